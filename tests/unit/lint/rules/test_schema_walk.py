from designer.core.model import Envelope, Message, Model, Version
from designer.core.schema_walk import (
    all_props,
    envelope_names,
    payload_root,
    properties_of,
    resolve,
    tokens,
    walk,
)


def test_it_walks_nested_properties_items_and_combinators_with_paths() -> None:
    schema = {"type": "object", "required": ["a"], "properties": {
        "a": {"type": "object", "properties": {"b": {"type": "string"}}},
        "list": {"type": "array", "items": {"properties": {"c": {}}}},
        "alt": {"oneOf": [{"properties": {"d": {}}}]}}}
    found = {p.path: p for p in walk(schema)}
    assert set(found) == {"schema.properties.a", "schema.properties.a.properties.b", "schema.properties.list",
                          "schema.properties.list.items.properties.c", "schema.properties.alt",
                          "schema.properties.alt.oneOf.0.properties.d"}
    assert found["schema.properties.a"].required and not found["schema.properties.list"].required


def test_it_resolves_local_refs_and_stops_on_cycles() -> None:
    schema = {"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}, "S": {"type": "string"}},
              "properties": {"s": {"$ref": "#/$defs/S"}, "loop": {"$ref": "#/$defs/A"}, "me": {"$ref": "#"}}}
    assert resolve({"$ref": "#/$defs/S"}, schema) == {"type": "string"}
    assert resolve({"$ref": "#/$defs/A"}, schema) == {}
    assert resolve({"$ref": "https://x.invalid/s"}, schema) == {}
    names = [p.name for p in walk(schema)]
    assert names.count("me") >= 1 and len(names) < 50


def test_it_follows_refs_through_escaped_pointers_and_list_indices() -> None:
    doc = {"a/b": {"c~d": [{"type": "integer"}, {"type": "string"}]}}
    assert resolve({"$ref": "#/a~1b/c~0d/1"}, doc) == {"type": "string"}
    assert resolve({"$ref": "#/missing"}, doc) == {}


def test_it_merges_all_of_properties() -> None:
    schema = {"allOf": [{"properties": {"a": {}}}, {"$ref": "#/$defs/X"}], "$defs": {"X": {"properties": {"b": {}}}}}
    assert set(properties_of(schema, schema)) == {"a", "b"}


def test_it_splits_identifiers() -> None:
    assert tokens("userEmailAddress") == ["user", "email", "address"]
    assert tokens("HTTPServer_v2-id") == ["http", "server", "v", "2", "id"]


def test_it_finds_the_payload_per_profile_and_the_envelope_names() -> None:
    schema = {"type": "object", "properties": {"eventId": {}, "data": {"properties": {"x": {}}}}}
    message = Message(name="M", versions=(Version(schema=schema),),
                      extensions={"x-headers": {"properties": {"traceparent": {}}}})
    brief = Model(messages=(message,), envelope=Envelope(profile="brief"))
    cloud = Model(messages=(message,), envelope=Envelope(profile="cloudevents"))
    assert payload_root(brief, message)[1] == "schema.properties.data"
    assert payload_root(cloud, message)[1] == "schema"
    assert {"eventId", "data", "traceparent"} <= envelope_names(brief, message)
    assert "eventId" not in envelope_names(cloud, message) and "specversion" in envelope_names(cloud, message)


def test_it_caches_properties_per_snapshot_and_message() -> None:
    message = Message(name="M", versions=(Version(schema={"properties": {"a": {}}}),))
    m = Model(messages=(message,))
    assert all_props(m, message) is all_props(m, message)
    other = Message(name="M", versions=(Version(schema={"properties": {"b": {}}}),))
    assert [p.name for p in all_props(m, other)] == ["b"]
