"""Time the envelope/payload/topology/reliability/security rules on a large generated model.

Run: .venv/bin/python bench/lint_rules_bench.py  — prints per-rule and total median times for
100, 1,000 and 5,000 messages (500 services, ~8-property brief-envelope schemas with examples).
"""
from __future__ import annotations

import importlib
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere without install

from designer.core.model import Channel, Envelope, Message, Model, Relation, Service, Version

RULES = [
    "envelope_required_attributes", "envelope_attribute_name_format", "event_id_stable", "event_time_format",
    "message_schema_required", "payload_root_object", "payload_entity_id", "schema_examples_valid",
    "number_format_declared", "schema_content_model_explicit", "enum_closed_on_event",
    "correlation_ids_present", "trace_context_propagated", "datetime_property_naming",
    "payload_internal_id_only", "payload_notification_only", "payload_foreign_aggregate",
    "payload_size_budget", "event_no_consumer", "event_no_producer", "event_multiple_producers",
    "command_handler_count", "command_no_sender", "query_responder_count", "command_on_broadcast_channel",
    "flow_cycle", "choreography_chain_length", "channel_mixed_kinds", "owner_and_docs_required",
    "deprecated_reference", "consumer_idempotency", "ordering_needs_partition_key",
    "partition_key_is_entity", "dual_write_without_outbox", "pii_field_unclassified",
    "card_data_in_payload", "secret_in_payload", "sensitive_in_envelope",
]


def build(n_messages: int, n_services: int = 500, seed: int = 1) -> Model:
    rnd = random.Random(seed)
    services = tuple(Service(f"svc-{i}", owner="team", description="d", writes_database=i % 3 == 0,
                             outbox="outbox" if i % 2 else "") for i in range(n_services))
    channels = tuple(Channel(f"topic-{i}", partition_key="entityId", ordered=i % 4 == 0) for i in range(100))
    messages, relations = [], []
    for i in range(n_messages):
        kind = "event" if i % 10 < 8 else ("command" if i % 10 == 8 else "query")
        data = {"type": "object", "properties": {
            "entityId": {"type": "string", "format": "uuid"}, "userEmail": {"type": "string", "format": "email"},
            "amount": {"type": "number"}, "quantity": {"type": "integer"}, "status": {"type": "string", "enum": ["a", "b"]},
            "createdAt": {"type": "string", "format": "date-time"}, "note": {"type": "string", "maxLength": 200},
            "lines": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}}}}
        schema = {"type": "object", "required": ["eventId", "timestamp", "source", "version", "data"], "properties": {
            "eventId": {"type": "string"}, "eventType": {"type": "string"}, "version": {"type": "string"},
            "timestamp": {"type": "string", "format": "date-time"}, "source": {"type": "string"}, "data": data}}
        example = {"eventId": f"evt_{i}", "eventType": "x", "version": "1.0", "timestamp": "2025-03-15T14:30:00Z",
                   "source": "s", "data": {"entityId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "amount": 1.5,
                                           "quantity": 2, "status": "a", "lines": [{"sku": "x"}]}}
        name = f"Thing{i}Happened"
        messages.append(Message(name=name, kind=kind, channel=f"topic-{i % 100}", owner="t", description="d",
                                versions=(Version(schema=schema, example=example),)))
        relations.append(Relation(f"svc-{rnd.randrange(n_services)}", name, "produces"))
        for _ in range(rnd.randint(1, 3)):
            relations.append(Relation(f"svc-{rnd.randrange(n_services)}", name, "consumes", dedup_key="eventId"))
    return Model(services=services, messages=tuple(messages), channels=channels, relations=tuple(relations),
                 envelope=Envelope(profile="brief"))


def main() -> None:
    modules = [importlib.import_module(f"designer.core.lint.rules.{r}") for r in RULES]
    for n in (100, 1_000, 5_000):
        per_rule: dict[str, list[float]] = {m.ID: [] for m in modules}
        totals: list[float] = []
        findings = 0
        for _ in range(5):
            model = build(n)  # fresh snapshot: no cache carried over between runs
            start = time.perf_counter()
            findings = 0
            for m in modules:
                t = time.perf_counter()
                findings += sum(1 for _ in m.check(model, getattr(m, "OPTIONS", {})))
                per_rule[m.ID].append(time.perf_counter() - t)
            totals.append(time.perf_counter() - start)
        print(f"{n:>6} messages: {len(modules)} rules in {statistics.median(totals) * 1000:7.1f} ms "
              f"(median of 5), {findings} findings")
        if n == 5_000:
            slow = sorted(per_rule.items(), key=lambda kv: -statistics.median(kv[1]))[:8]
            for rule_id, times in slow:
                print(f"         {rule_id:<34} {statistics.median(times) * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
