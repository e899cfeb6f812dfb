from designer.core.lint.rules import payload_internal_id_only as rule
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run, s


def test_it_flags_a_payload_keyed_only_by_pk() -> None:
    (finding,) = run(rule, model([msg(schema=obj(pk={"type": "integer"}, status=s()))]))
    assert finding.path == "schema.properties.pk" and "business" in finding.message


def test_it_flags_an_auto_increment_id() -> None:
    assert len(run(rule, model([msg(schema=obj(id={"type": "integer"}))]))) == 1


def test_it_passes_a_uuid_id_and_business_keys_beside_internal_ones() -> None:
    assert run(rule, model([msg(schema=obj(id=s(format="uuid")))])) == []
    assert run(rule, model([msg(schema=obj(row_id={"type": "integer"}, orderNumber=s()))])) == []


def test_it_looks_inside_brief_data_and_takes_keys_from_options() -> None:
    schema = brief(data=obj(legacyKey={"type": "integer"}))
    assert run(rule, model([msg(schema=schema)], profile="brief")) == []
    found = run(rule, model([msg(schema=brief(data=obj(db_id={"type": "integer"})))], profile="brief"))
    assert [f.path for f in found] == ["schema.properties.data.properties.db_id"]
    assert len(run(rule, model([msg(schema=obj(legacy={"type": "integer"}))]), internal_keys=["legacy"])) == 1
