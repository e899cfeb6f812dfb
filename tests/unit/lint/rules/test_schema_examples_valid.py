from designer.core.lint.rules import schema_examples_valid as rule
from designer.core.model import Version
from tests.unit.lint.rules.rules_kit import model, msg, obj, run, s


def test_it_flags_an_example_of_the_wrong_type() -> None:
    (finding,) = run(rule, model([msg(schema=obj(required=["total"], total={"type": "number"}),
                                      example={"total": "59.98"})]))
    assert finding.path == "example" and "total" in finding.message


def test_it_checks_formats() -> None:
    found = run(rule, model([msg(schema=obj(at=s(format="date-time")), example={"at": "yesterday"})]))
    assert len(found) == 1


def test_it_flags_a_default_that_breaks_its_own_schema() -> None:
    schema = obj(status={"type": "string", "enum": ["a", "b"], "default": "c"})
    (finding,) = run(rule, model([msg(schema=schema)]))
    assert finding.path == "schema.properties.status.default"


def test_it_flags_a_bad_examples_entry() -> None:
    schema = obj(qty={"type": "integer", "examples": [1, "two"]})
    (finding,) = run(rule, model([msg(schema=schema)]))
    assert finding.path == "schema.properties.qty.examples.1"


def test_it_resolves_defs_from_a_nested_default() -> None:
    schema = {**obj(x={"$ref": "#/$defs/X", "default": 3}), "$defs": {"X": {"type": "integer"}}}
    assert run(rule, model([msg(schema=schema)])) == []
    bad = {**obj(x={"$ref": "#/$defs/X", "default": "three"}), "$defs": {"X": {"type": "integer"}}}
    assert len(run(rule, model([msg(schema=bad)]))) == 1


def test_it_checks_older_versions_under_their_version_path() -> None:
    m = msg(versions=(Version("1.0.0", schema=obj(a={"type": "integer"}), example={"a": "x"}),
                      Version("2.0.0", schema=obj(a=s()), example={"a": "x"})))
    assert [f.path for f in run(rule, model([m]))] == ["versions.1.0.0.example"]


def test_it_passes_valid_examples_and_never_fetches_remote_refs() -> None:
    assert run(rule, model([msg(schema=obj(a=s()), example={"a": "x"})])) == []
    assert run(rule, model([msg(schema={"$ref": "http://evil.invalid/s"}, example={"a": 1})])) == []
