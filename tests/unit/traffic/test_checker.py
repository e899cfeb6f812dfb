"""TrafficChecker: each check, with an event that trips it and one that does not."""
from __future__ import annotations

from typing import Any

from designer.core.model import Message, Version
from designer.core.traffic import (
    DUPLICATE_ID,
    ENVELOPE_VIOLATION,
    INVALID_SCHEMA,
    MISSING_CORRELATION_ID,
    OUT_OF_ORDER,
    SCHEMA_VIOLATION,
    UNDECLARED_PRODUCER,
    UNDECLARED_TYPE,
    UNDECLARED_VERSION,
    TrafficChecker,
    TrafficFinding,
    event_from_dict,
    source_matches,
)

from .builders import brief, ce, checkout_model, valid_order

NOW = 1_714_557_600.0  # 2024-05-01T10:00:00Z


def check(checker: TrafficChecker, event: dict[str, Any], now: float = NOW) -> list[TrafficFinding]:
    return checker.check(event_from_dict(event), now)


def kinds(findings: list[TrafficFinding]) -> list[str]:
    return [f.kind for f in findings]


def test_a_valid_declared_event_has_no_findings() -> None:
    assert check(TrafficChecker(checkout_model()), ce()) == []


def test_it_flags_an_undeclared_type_with_the_schema_of_what_was_seen() -> None:
    checker = TrafficChecker(checkout_model())
    check(checker, ce("com.shop.cart.abandoned", {"cartId": "a", "items": 2}, id="1"))
    findings = check(checker, ce("com.shop.cart.abandoned", {"cartId": "b"}, id="2"))
    assert kinds(findings) == [UNDECLARED_TYPE]
    schema = findings[0].inferred_schema
    assert schema["properties"]["cartId"] == {"type": "string"}
    assert schema["required"] == ["cartId"]  # items was not in every payload
    assert "not declared" in findings[0].detail


def test_a_message_without_wire_type_is_matched_by_name() -> None:
    model = checkout_model()
    model = type(model)(messages=(Message("CartAbandoned"),), relations=())
    checker = TrafficChecker(model)
    assert UNDECLARED_TYPE not in kinds(check(checker, ce("CartAbandoned", {})))


def test_it_reports_schema_violations_with_json_path_and_reason() -> None:
    data = valid_order()
    data["placedAt"] = "yesterday"
    data["lines"][0]["quantity"] = 0
    data["currency"] = "GBP"
    findings = check(TrafficChecker(checkout_model()), ce(data=data))
    assert set(kinds(findings)) == {SCHEMA_VIOLATION}
    paths = {f.path: f.detail for f in findings}
    assert set(paths) == {"$.placedAt", "$.lines[0].quantity", "$.currency"}
    assert "date-time" in paths["$.placedAt"]
    assert "minimum" in paths["$.lines[0].quantity"] or "less than" in paths["$.lines[0].quantity"]
    assert all(f.severity == "error" and f.message == "OrderPlaced" for f in findings)


def test_it_checks_formats_such_as_email_and_uuid() -> None:
    data = valid_order()
    data["customerEmail"] = "not-an-email"
    data["orderId"] = "123"
    paths = sorted(f.path for f in check(TrafficChecker(checkout_model()), ce(data=data)))
    assert paths == ["$.customerEmail", "$.orderId"]


def test_a_missing_required_field_is_a_violation_at_the_object() -> None:
    data = valid_order()
    del data["total"]
    findings = check(TrafficChecker(checkout_model()), ce(data=data))
    assert kinds(findings) == [SCHEMA_VIOLATION]
    assert findings[0].path == "$"
    assert "total" in findings[0].detail


def test_violations_per_event_are_capped() -> None:
    schema = {"type": "object", "properties": {f"p{i}": {"type": "integer"} for i in range(50)}}
    model = checkout_model()
    msg = Message("Big", type="big", versions=(Version("1.0.0", schema),))
    model = type(model)(messages=(msg,), services=model.services)
    findings = check(TrafficChecker(model, max_errors_per_event=5), ce("big", {f"p{i}": "x" for i in range(50)}))
    assert kinds(findings).count(SCHEMA_VIOLATION) == 5


def test_the_brief_profile_validates_the_whole_envelope() -> None:
    envelope_schema = {
        "type": "object", "required": ["eventId", "eventType", "data"],
        "properties": {"eventId": {"type": "string", "minLength": 3},
                       "data": {"type": "object", "required": ["orderId"]}},
    }
    model = checkout_model("brief")
    msg = Message("OrderPlaced", type="com.shop.order.placed",
                  versions=(Version("1.0.0", envelope_schema),))
    model = type(model)(messages=(msg,), services=model.services, relations=model.relations,
                        envelope=model.envelope)
    checker = TrafficChecker(model)
    assert check(checker, brief(eventId="evt-1")) == []
    findings = check(checker, brief(eventId="e2", data={}))
    assert sorted(f.path for f in findings) == ["$.data", "$.eventId"]
    # A CloudEvent arriving for a brief-profile team is validated as its envelope view.
    assert check(checker, ce(id="evt-3", source="orders")) == []


def test_a_claimed_version_selects_the_schema_and_an_unknown_one_is_flagged() -> None:
    v1 = {"type": "object", "required": ["a"]}
    v2 = {"type": "object", "required": ["b"]}
    model = checkout_model()
    msg = Message("Thing", type="thing", versions=(Version("1.0.0", v1), Version("2.0.0", v2)))
    model = type(model)(messages=(msg,))
    checker = TrafficChecker(model)
    assert SCHEMA_VIOLATION not in kinds(check(checker, ce("thing", {"a": 1}, id="1", dataversion="1")))
    assert SCHEMA_VIOLATION in kinds(check(checker, ce("thing", {"a": 1}, id="2")))  # latest is 2.0.0
    assert SCHEMA_VIOLATION not in kinds(check(checker, ce("thing", {"b": 1}, id="3", dataversion="2.0.0")))
    assert UNDECLARED_VERSION in kinds(check(checker, ce("thing", {"b": 1}, id="4", dataversion="3.0.0")))


def test_an_invalid_schema_is_reported_not_raised() -> None:
    model = checkout_model()
    msg = Message("Broken", type="broken", versions=(Version("1.0.0", {"type": "bogus"}),))
    findings = check(TrafficChecker(type(model)(messages=(msg,))), ce("broken", {}))
    assert INVALID_SCHEMA in kinds(findings)


def test_a_custom_envelope_schema_is_checked_too() -> None:
    env_schema = {"type": "object", "required": ["tenant"]}
    checker = TrafficChecker(checkout_model("custom", env_schema))
    findings = check(checker, ce())
    assert kinds(findings) == [ENVELOPE_VIOLATION]
    assert check(checker, ce(id="2", tenant="t1")) == []


def test_it_flags_a_source_that_is_not_a_declared_producer() -> None:
    findings = check(TrafficChecker(checkout_model()), ce(source="https://payments.shop.example"))
    assert kinds(findings) == [UNDECLARED_PRODUCER]
    assert "declared: orders" in findings[0].detail


def test_a_producer_can_declare_its_exact_source() -> None:
    model = checkout_model()
    from designer.core.model import Service
    services = (Service("orders", extensions={"source": "urn:x:42"}),) + model.services[1:]
    checker = TrafficChecker(type(model)(messages=model.messages, services=services, relations=model.relations))
    assert check(checker, ce(source="urn:x:42")) == []


def test_sources_name_services_by_whole_tokens() -> None:
    assert source_matches("/services/orders", "orders")
    assert source_matches("urn:svc:order-service", "OrderService")
    assert source_matches("https://orders.example.com", "Orders")
    assert not source_matches("orderbook", "orders")
    assert not source_matches("/services/payments", "orders")


def test_it_flags_a_duplicate_id_within_the_window_only() -> None:
    checker = TrafficChecker(checkout_model(), dedup_window=60)
    assert check(checker, ce(id="a"), NOW) == []
    findings = check(checker, ce(id="a"), NOW + 10)
    assert kinds(findings) == [DUPLICATE_ID]
    assert "10.0s earlier" in findings[0].detail
    assert check(checker, ce(id="b"), NOW + 11) == []
    assert check(checker, ce(id="a"), NOW + 100) == []  # the window has passed


def test_the_same_id_from_another_source_is_not_a_duplicate() -> None:
    model = checkout_model()
    from designer.core.model import Relation
    model = type(model)(messages=model.messages, services=model.services,
                        relations=model.relations + (Relation("payments", "OrderPlaced", "produces"),))
    checker = TrafficChecker(model)
    assert check(checker, ce(id="a", source="orders")) == []
    assert check(checker, ce(id="a", source="payments")) == []


def test_it_flags_time_going_backwards_for_one_partition_key() -> None:
    checker = TrafficChecker(checkout_model())
    assert check(checker, ce(id="1", partitionkey="k", time="2024-05-01T10:00:05Z")) == []
    assert check(checker, ce(id="2", partitionkey="other", time="2024-05-01T10:00:00Z")) == []
    findings = check(checker, ce(id="3", partitionkey="k", time="2024-05-01T10:00:01Z"))
    assert kinds(findings) == [OUT_OF_ORDER]
    assert "'k'" in findings[0].detail
    # the high-water mark stays at 10:00:05, so 10:00:03 is still late, 10:00:06 is fine
    assert kinds(check(checker, ce(id="4", partitionkey="k", time="2024-05-01T10:00:03Z"))) == [OUT_OF_ORDER]
    assert check(checker, ce(id="5", partitionkey="k", time="2024-05-01T10:00:06Z")) == []


def test_it_flags_a_sequence_going_backwards_numerically() -> None:
    checker = TrafficChecker(checkout_model())
    assert check(checker, ce(id="1", partitionkey="k", sequence="9")) == []
    assert check(checker, ce(id="2", partitionkey="k", sequence="10")) == []  # 10 > 9, not "10" < "9"
    findings = check(checker, ce(id="3", partitionkey="k", sequence="8"))
    assert kinds(findings) == [OUT_OF_ORDER]
    assert "sequence 8 after 10" in findings[0].detail


def test_the_partition_key_comes_from_the_channel_when_the_event_has_none() -> None:
    checker = TrafficChecker(checkout_model())  # channel "orders" partitions by orderId
    assert check(checker, ce(id="1", time="2024-05-01T10:00:05Z")) == []
    findings = check(checker, ce(id="2", time="2024-05-01T10:00:01Z"))
    assert kinds(findings) == [OUT_OF_ORDER]
    assert valid_order()["orderId"] in findings[0].detail


def test_a_duplicate_is_not_also_reported_out_of_order() -> None:
    checker = TrafficChecker(checkout_model())
    check(checker, ce(id="1", partitionkey="k", time="2024-05-01T10:00:00Z"))
    check(checker, ce(id="2", partitionkey="k", time="2024-05-01T10:00:05Z"))
    assert kinds(check(checker, ce(id="1", partitionkey="k", time="2024-05-01T10:00:00Z"))) == [DUPLICATE_ID]


def test_it_flags_a_missing_correlation_id_only_when_required() -> None:
    event = ce()
    del event["correlationid"]
    assert check(TrafficChecker(checkout_model()), event) == []
    findings = check(TrafficChecker(checkout_model(), require_correlation_id=True), event)
    assert kinds(findings) == [MISSING_CORRELATION_ID]
    assert "correlationid" in findings[0].detail
    assert check(TrafficChecker(checkout_model(), require_correlation_id=True), ce()) == []


def test_the_brief_envelope_correlation_id_counts() -> None:
    model = checkout_model("brief")
    msg = Message("OrderPlaced", type="com.shop.order.placed")
    model = type(model)(messages=(msg,), services=model.services, relations=model.relations,
                        envelope=model.envelope)
    checker = TrafficChecker(model, require_correlation_id=True)
    assert kinds(check(checker, brief())) == [MISSING_CORRELATION_ID]
    assert check(checker, brief(eventId="2", correlationId="c")) == []


def test_it_counts_events_per_type_per_minute_and_keeps_samples() -> None:
    checker = TrafficChecker(checkout_model(), samples_per_type=3, rate_minutes=5)
    for i in range(5):
        check(checker, ce(id=str(i), data={**valid_order(), "total": i}), NOW + i)
    check(checker, ce(id="late"), NOW + 120)
    series = checker.stats(NOW + 120)["rates"]["com.shop.order.placed"]
    assert series == [0, 0, 5, 0, 1]
    assert [s["total"] for s in checker.samples.get("com.shop.order.placed")] == [3, 4, 42.5]
    assert checker.stats(NOW)["events"] == 6


def test_validators_are_compiled_once_and_cached() -> None:
    checker = TrafficChecker(checkout_model())
    check(checker, ce(id="1"))
    first = checker._validators[("OrderPlaced", "1.0.0")]
    check(checker, ce(id="2"))
    assert checker._validators[("OrderPlaced", "1.0.0")] is first
    assert TrafficChecker(checkout_model())._validator(checker.model.messages[0],
                                                       checker.model.messages[0].versions[0]) is first
