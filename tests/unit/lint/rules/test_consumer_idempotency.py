from designer.core.lint.rules import consumer_idempotency as rule
from tests.unit.lint.rules.rules_kit import Channel, brief, model, msg, obj, rel, run, s, wire


def test_it_flags_an_at_least_once_consumer_without_dedup_and_offers_the_event_id() -> None:
    m = model([msg(schema=brief())], relations=wire("OrderPlaced", ["o"], ["pay"]), profile="brief")
    (finding,) = run(rule, m)
    assert finding.path == "consumers.pay"
    assert finding.fix is not None and finding.fix.value == "eventId"


def test_it_passes_a_dedup_key_or_a_declared_idempotent_consumer() -> None:
    rels = [rel("o", "OrderPlaced"), rel("pay", "OrderPlaced", "consumes", dedup_key="eventId"),
            rel("ship", "OrderPlaced", "consumes", idempotent=True)]
    assert run(rule, model([msg(schema=brief())], relations=rels, profile="brief")) == []


def test_it_flags_a_dedup_key_the_message_does_not_carry() -> None:
    rels = [rel("pay", "OrderPlaced", "consumes", dedup_key="requestNonce")]
    (finding,) = run(rule, model([msg(schema=obj(orderId=s()))], relations=rels))
    assert finding.path == "consumers.pay.dedup_key"


def test_it_accepts_cloudevents_id_and_payload_keys() -> None:
    rels = [rel("pay", "OrderPlaced", "consumes", dedup_key="id"),
            rel("ship", "OrderPlaced", "consumes", dedup_key="orderId")]
    assert run(rule, model([msg(schema=obj(orderId=s()))], relations=rels)) == []


def test_it_skips_at_most_once_channels_and_queries() -> None:
    ch = Channel("fire", delivery="at-most-once")
    m = model([msg(channel="fire"), msg("GetX", kind="query")],
              relations=wire("OrderPlaced", ["o"], ["pay"]) + wire("GetX", ["o"], ["pay"]), channels=[ch])
    assert run(rule, m) == []
