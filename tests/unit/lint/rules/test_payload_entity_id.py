from designer.core.lint.rules import payload_entity_id as rule
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run, s


def test_it_flags_an_event_without_an_entity_id() -> None:
    (finding,) = run(rule, model([msg("OrderShipped", schema=obj(carrier=s()))]))
    assert "orderId" in finding.message and finding.path == "schema.properties"


def test_it_passes_common_identifier_shapes() -> None:
    for name in ("orderId", "order_id", "id", "orderNumber", "sku", "customerKey", "ORDER_ID"):
        assert run(rule, model([msg(schema=obj(**{name: s()}))])) == [], name


def test_it_does_not_count_envelope_ids() -> None:
    assert len(run(rule, model([msg(schema=obj(eventId=s(), correlationId=s(), note=s()))]))) == 1


def test_it_looks_inside_brief_data() -> None:
    found = run(rule, model([msg(schema=brief(data=obj(carrier=s())))], profile="brief"))
    assert [f.path for f in found] == ["schema.properties.data.properties"]
    assert run(rule, model([msg(schema=brief())], profile="brief")) == []


def test_it_ignores_commands_and_empty_payloads() -> None:
    assert run(rule, model([msg("ShipOrder", kind="command", schema=obj(carrier=s())),
                            msg("Ping", schema=obj())])) == []
