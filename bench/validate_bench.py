"""Parse + validate throughput for one brief-style event with a strict schema (formats on).

Compares json+jsonschema, orjson+fastjsonschema, orjson+jsonschema-rs, and the full core path
(designer.core.traffic.parse_request + TrafficChecker.check), single events and batches of 100.
Prints events per second on one core. Run: .venv/bin/python bench/validate_bench.py [seconds]
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import fastjsonschema
import jsonschema
import jsonschema_rs
import orjson

from designer.core.model import Envelope, Message, Model, Relation, Service, Version
from designer.core.traffic import TrafficChecker, parse_request

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["eventId", "eventType", "version", "timestamp", "source", "data"],
    "properties": {
        "eventId": {"type": "string", "format": "uuid"},
        "eventType": {"type": "string", "const": "order.placed"},
        "version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$"},
        "timestamp": {"type": "string", "format": "date-time"},
        "source": {"type": "string", "minLength": 1},
        "correlationId": {"type": "string", "format": "uuid"},
        "data": {
            "type": "object",
            "additionalProperties": False,
            "required": ["orderId", "customerEmail", "total", "currency", "lines"],
            "properties": {
                "orderId": {"type": "string", "format": "uuid"},
                "customerEmail": {"type": "string", "format": "email"},
                "total": {"type": "number", "minimum": 0},
                "currency": {"type": "string", "enum": ["EUR", "USD", "GBP"]},
                "lines": {
                    "type": "array", "minItems": 1, "maxItems": 100,
                    "items": {
                        "type": "object", "additionalProperties": False,
                        "required": ["sku", "quantity"],
                        "properties": {
                            "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
                            "quantity": {"type": "integer", "minimum": 1},
                        },
                    },
                },
            },
        },
    },
}
EVENT: dict[str, Any] = {
    "eventId": "6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6b",
    "eventType": "order.placed",
    "version": "1.0.0",
    "timestamp": "2024-05-01T10:00:00Z",
    "source": "orders",
    "correlationId": "0b1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6c",
    "data": {
        "orderId": "1a2b3c4d-3b4d-4e5f-9a0b-1c2d3e4f5a6b",
        "customerEmail": "ada@example.com",
        "total": 42.5,
        "currency": "EUR",
        "lines": [{"sku": "ABC-1234", "quantity": 2}, {"sku": "XYZ-0001", "quantity": 1}],
    },
}
BODY = orjson.dumps(EVENT)
HEADERS = {"content-type": "application/json"}


def rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``fn`` over about ``seconds``."""
    fn()  # warm up (compiles, caches)
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(50):
            fn()
        n += 50
        now = time.perf_counter()
        if now >= deadline:
            return n / (now - start)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    py_validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    fast = fastjsonschema.compile(SCHEMA, formats={"uuid": r"^[0-9a-fA-F-]{36}$"})
    rs = jsonschema_rs.validator_for(SCHEMA, validate_formats=True, offline=True)
    assert py_validator.is_valid(EVENT) and rs.is_valid(EVENT)
    fast(EVENT)

    def py_path() -> None:
        py_validator.validate(json.loads(BODY))

    def fast_path() -> None:
        fast(orjson.loads(BODY))

    def rs_path() -> None:
        rs.validate(orjson.loads(BODY))

    model = Model(
        services=(Service("orders"),),
        messages=(Message("OrderPlaced", type="order.placed", versions=(Version("1.0.0", SCHEMA),)),),
        relations=(Relation("orders", "OrderPlaced", "produces"),),
        envelope=Envelope("brief"),
    )
    # Bodies are built before timing, each event with its own id as real traffic has (repeated
    # ids would all be duplicates and take the finding path).
    n_events = 50_000
    singles = [BODY.replace(b"6f1c2a8e", f"{i:08x}".encode(), 1) for i in range(n_events)]
    batches = [
        b"[" + b",".join(singles[j] for j in range(i, i + 100)) + b"]" for i in range(0, n_events, 100)
    ]
    now = 1_714_557_600.0

    def core_rate(bodies: list[bytes]) -> float:
        checker = TrafficChecker(model)
        checker.check(parse_request(BODY, HEADERS).events[0], now)  # warm the validator cache
        findings = 0
        start = time.perf_counter()
        for body in bodies:
            for event in parse_request(body, HEADERS).events:
                findings += len(checker.check(event, now))
        elapsed = time.perf_counter() - start
        assert findings == 0, findings
        return n_events / elapsed

    rows = [
        ("json + jsonschema (pure Python)", rate(py_path, seconds)),
        ("orjson + fastjsonschema", rate(fast_path, seconds)),
        ("orjson + jsonschema-rs", rate(rs_path, seconds)),
        ("core: parse_request + TrafficChecker.check, single", core_rate(singles)),
        ("core: parse_request + TrafficChecker.check, batch of 100", core_rate(batches)),
    ]
    print(f"parse + validate one brief-style event (strict schema, formats on), {len(BODY)} bytes")
    for name, value in rows:
        print(f"  {name:58s} {value:>10,.0f} events/s")


if __name__ == "__main__":
    main()
