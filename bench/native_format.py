"""Benchmark the native design-as-code format: dump, load, and refusing hostile documents.

Run: .venv/bin/python bench/native_format.py   (prints one line per figure; medians of 5 runs)
"""
from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.core.formats import native, yamlsafe
from designer.core.formats.errors import FormatError
from designer.core.model import Channel, Message, Model, Relation, Service, Version


def build(n_messages: int) -> Model:
    """A model like a big team's: 8-property payloads, 2 consumers each, 50 services."""
    services = tuple(Service(name=f"service-{i}", owner="team", language="python") for i in range(50))
    channels = tuple(Channel(name=f"topic-{i}", partition_key="id") for i in range(20))
    messages, relations = [], []
    for i in range(n_messages):
        schema = {
            "type": "object",
            "required": ["id", "at"],
            "properties": {
                "id": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
                **{f"field{j}": {"type": "integer", "format": "int64"} for j in range(6)},
            },
        }
        example = {"id": f"e{i}", "at": "2025-03-15T14:30:00Z", **{f"field{j}": j for j in range(6)}}
        messages.append(Message(name=f"Thing{i}Happened", type=f"thing.{i}.happened",
                                channel=f"topic-{i % 20}", versions=(Version(schema=schema, example=example),)))
        relations.append(Relation(service=f"service-{i % 50}", message=f"Thing{i}Happened", role="produces"))
        for k in (1, 2):
            relations.append(Relation(service=f"service-{(i + k) % 50}", message=f"Thing{i}Happened",
                                      role="consumes", idempotent=True, dedup_key="id"))
    return Model(services=services, channels=channels, messages=tuple(messages), relations=tuple(relations))


def median_seconds(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def refused(text: str) -> None:
    try:
        yamlsafe.parse(text)
    except FormatError:
        return
    raise AssertionError("the document was not refused")


def main() -> None:
    for n in (100, 1000):
        model = build(n)
        text = native.dump(model)
        t_dump = median_seconds(lambda m=model: native.dump(m))
        t_load = median_seconds(lambda t=text: native.load(t))
        assert native.dump(native.load(text)) == text
        print(f"{n:>5} messages: document {len(text.encode()) / 1024:,.0f} KB; "
              f"dump {t_dump * 1000:,.0f} ms; load (parse + validate) {t_load * 1000:,.0f} ms")

    laughs = "a0: &a0 [" + ",".join(['"lol"'] * 9) + "]\n" + "".join(
        f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    print(f"billion laughs refused in {median_seconds(lambda: refused(laughs)) * 1000:.2f} ms")
    deep = "[" * 100_000 + "]" * 100_000
    print(f"100,000-deep nesting refused in {median_seconds(lambda: refused(deep)) * 1000:.2f} ms")
    huge = "a: " + "x" * (50 * 1024 * 1024)
    print(f"50 MB document refused by size in {median_seconds(lambda: refused(huge)) * 1000:.2f} ms")
    big = native.dump(build(2500))
    mb = len(big.encode()) / 1024 / 1024
    print(f"parse only, {mb:.1f} MB document: {median_seconds(lambda: yamlsafe.parse(big), 3):.2f} s")


if __name__ == "__main__":
    main()
