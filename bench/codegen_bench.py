"""Generate all four languages for models of 100 and 1,000 messages; print seconds per language.

Target (issue 4): under 3 s per language for 1,000 messages. Run: .venv/bin/python bench/codegen_bench.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.core.codegen import LANGUAGES, generate
from designer.core.model import Message, Model, Relation, Service, Version

SERVICES = 20  # messages are spread over this many services, each producing and consuming some


def build(n: int) -> Model:
    """A model of ``n`` messages with 8-property payloads (nested object, array, enum, date-time)."""
    schema = {"type": "object", "required": ["id", "at", "state"], "properties": {
        "id": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
        "state": {"enum": ["open", "closed"]}, "amount": {"type": "number"},
        "count": {"type": "integer"}, "flag": {"type": "boolean"},
        "lines": {"type": "array", "items": {"type": "object", "properties": {
            "sku": {"type": "string"}, "qty": {"type": "integer"}}}},
        "meta": {"type": "object", "additionalProperties": {"type": "string"}}}}
    kinds = ("event", "command", "query")
    messages = tuple(Message(f"Thing{i}Happened", kind=kinds[i % 3], type=f"thing.{i}",
                             description=f"Message {i}.",
                             versions=(Version("1.0.0", schema, "released"),)) for i in range(n))
    services = tuple(Service(f"service-{s}") for s in range(SERVICES))
    relations = []
    for i, m in enumerate(messages):
        relations.append(Relation(f"service-{i % SERVICES}", m.name, "produces"))
        relations.append(Relation(f"service-{(i + 1) % SERVICES}", m.name, "consumes"))
    return Model(name="bench", services=services, messages=messages,
                 relations=tuple(relations), revision="bench")


def main() -> None:
    generate(build(3), "python")  # warm the template cache: first-use compile is not the figure
    for n in (100, 1000):
        model = build(n)
        for lang in LANGUAGES:
            start = time.perf_counter()
            files = generate(model, lang)
            took = time.perf_counter() - start
            size = sum(len(t) for t in files.values())
            print(f"{n:>5} messages  {lang:<10} {took:6.2f} s  {len(files):>4} files  {size / 1e6:5.1f} MB")


if __name__ == "__main__":
    main()
