"""Benchmark: schema compatibility checks and AsyncAPI import/export (prints its figures).

Run: .venv/bin/python bench/compat_asyncapi.py
"""
from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.core import compat
from designer.core.formats import asyncapi
from designer.core.model import Channel, Message, Model, Relation, Service, Version


def timed(fn: Callable[[], Any], repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def payload(i: int, extra: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = {f"f{k}": {"type": "string", "maxLength": 64} for k in range(8)}
    props["amount"] = {"type": "number", "minimum": 0}
    props["items"] = {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}}
    if extra:
        props["note"] = {"type": "string"}
    return {"type": "object", "properties": props, "required": ["f0"], "additionalProperties": False}


def main() -> None:
    old, new = payload(0), payload(0, extra=True)
    n = 1000
    t = timed(lambda: [compat.check(old, new, "FULL") for _ in range(n)])
    print(f"compat.check FULL, 11-property schemas: {n / t:,.0f} checks/s ({t / n * 1e6:.0f} us each)")
    wide_old = {"type": "object", "properties": {f"p{k}": {"type": "integer"} for k in range(1000)}}
    wide_new = {"type": "object", "properties": {f"p{k}": {"type": "number"} for k in range(1000)}}
    t = timed(lambda: compat.diff(wide_old, wide_new))
    print(f"compat.diff, 1,000 changed properties: {t * 1000:.1f} ms")
    history = [payload(0)] + [payload(0, extra=True)] * 19
    t = timed(lambda: compat.check_history(history, "FULL_TRANSITIVE"))
    print(f"compat.check_history FULL_TRANSITIVE, 20 versions: {t * 1000:.1f} ms")

    for count in (100, 1000):
        messages = tuple(Message(f"Thing{i}Happened", channel=f"topic{i % 50}",
                                 versions=(Version(schema=payload(i), example={"f0": "x"}),))
                         for i in range(count))
        model = Model(name="bench", services=(Service("a"), Service("b")),
                      channels=tuple(Channel(f"topic{i}") for i in range(50)), messages=messages,
                      relations=tuple(r for m in messages for r in (Relation("a", m.name, "produces"),
                                                                      Relation("b", m.name, "consumes"))))
        t_dump = timed(lambda model=model: asyncapi.dump_yaml(model), repeat=3)
        text = asyncapi.dump_yaml(model)
        t_load = timed(lambda text=text: asyncapi.load(text), repeat=3)
        print(f"AsyncAPI {count:,} messages ({len(text) / 1e6:.1f} MB): export {t_dump * 1000:.0f} ms, "
              f"import {t_load * 1000:.0f} ms")


if __name__ == "__main__":
    main()
