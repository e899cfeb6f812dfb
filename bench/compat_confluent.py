"""Benchmark: our compatibility verdicts against Confluent Schema Registry's JSON Schema diff cases.

Confluent's ``json-schema-provider`` test resources hold schema pairs with the verdict their
``SchemaDiff`` gives under BACKWARD (``original_schema`` = the registered version, ``update_schema``
= the new one, ``compatible``). Their files are read at bench time, never copied into this repo.

Run (PATH is a folder holding the four files, or a git mirror of confluentinc/schema-registry):
    .venv/bin/python bench/compat_confluent.py PATH [--verbose]

Prints the agreement overall and per category, every disagreement, and the *unsafe* verdicts
(we say compatible, Confluent says not). Where we disagree because Confluent's expected verdict is
wrong, ``PROOFS`` below holds a concrete instance; the bench validates it with a real validator
(jsonschema-rs, through ``designer.core.schema_compile.compile_schema``) against their schemas and prints
whether it proves the point: valid under the original, rejected by the update, so the update
cannot read all old data and the pair is not BACKWARD compatible. Exit status 1 when there is an
unsafe verdict or an unproven disagreement.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from designer.core import compat
from designer.core.schema_compile import compile_schema

FILES = ("diff-schema-examples.json", "diff-schema-examples-2020-12.json",
         "diff-combined-schema-examples.json", "diff-combined-schema-examples-2020-12.json")
IN_REPO = "json-schema-provider/src/test/resources/"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# Cases where Confluent's expected verdict is wrong by what validates: (description) -> an
# instance valid under original_schema and rejected by update_schema (so the update cannot read
# old data: not BACKWARD compatible although the file says it is). Written here, checked at run.
PROOFS: dict[str, Any] = {
    # original requires "foo", update requires "bar": {"foo": "x"} was valid and is now rejected.
    "Detect required array to be changed": {"foo": "x"},
}

# The category of a case: the first group (in this order) whose keywords appear in either schema.
CATEGORIES: tuple[tuple[str, frozenset[str]], ...] = (
    ("combinators", frozenset({"allOf", "anyOf", "oneOf"})),
    ("not", frozenset({"not"})),
    ("positional arrays", frozenset({"prefixItems", "additionalItems", "unevaluatedItems"})),
    ("contains", frozenset({"contains", "minContains", "maxContains"})),
    ("dependencies", frozenset({"dependencies", "dependentRequired", "dependentSchemas"})),
    ("unevaluatedProperties", frozenset({"unevaluatedProperties"})),
    ("content model", frozenset({"additionalProperties", "patternProperties"})),
    ("properties / required", frozenset({"properties", "required"})),
    ("$ref", frozenset({"$ref"})),
    ("enum / const", frozenset({"enum", "const"})),
    ("numbers", frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})),
    ("strings", frozenset({"minLength", "maxLength", "pattern", "format"})),
    ("arrays", frozenset({"items", "minItems", "maxItems", "uniqueItems"})),
    ("object size", frozenset({"minProperties", "maxProperties"})),
    ("type", frozenset({"type"})),
)


@dataclass
class Case:
    file: str
    index: int
    description: str
    original: Any
    update: Any
    compatible: bool

    @property
    def draft_07(self) -> bool:
        return "2020-12" not in self.file


def lenient_json(text: str) -> Any:
    """Parse JSON that has trailing commas (Confluent's files do; their parser is lenient)."""
    out: list[str] = []
    in_string = False
    i = 0
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1])
                i += 2
                continue
            in_string = c != '"'
        elif c == '"':
            in_string = True
            out.append(c)
        elif c == ",":
            j = i + 1
            while j < len(text) and text[j] in " \t\r\n":
                j += 1
            if j >= len(text) or text[j] not in "}]":
                out.append(c)
        else:
            out.append(c)
        i += 1
    return json.loads("".join(out))


def read_file(source: Path, name: str) -> str:
    if (source / name).is_file():
        return (source / name).read_text()
    if (source / IN_REPO / name).is_file():
        return (source / IN_REPO / name).read_text()
    # A bare git mirror: read the file at HEAD.
    return subprocess.run(["git", "--git-dir", str(source), "show", f"HEAD:{IN_REPO}{name}"],
                          check=True, capture_output=True, text=True).stdout


def load_cases(source: Path) -> list[Case]:
    cases = []
    for name in FILES:
        for i, raw in enumerate(lenient_json(read_file(source, name))):
            cases.append(Case(name, i, raw["description"], raw["original_schema"], raw["update_schema"],
                              bool(raw["compatible"])))
    return cases


def keywords(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            found.update(k for k in cur if isinstance(k, str))
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return found


def category(case: Case) -> str:
    used = keywords(case.original) | keywords(case.update)
    if any(isinstance(x, list) for x in (case.original.get("items"), case.update.get("items"))):
        used.add("additionalItems")  # an items array is a tuple: positional
    return next((name for name, kws in CATEGORIES if used & kws), "annotations")


def prove(case: Case) -> str:
    """Check the documented instance with a real validator; a sentence saying what it shows."""
    if case.description not in PROOFS:
        return "no proof recorded"
    instance = PROOFS[case.description]

    def dialect(schema: Any) -> Any:
        return {"$schema": DRAFT_07, **schema} if case.draft_07 and "$schema" not in schema else schema

    valid_old = compile_schema(dialect(case.original)).is_valid(instance)
    valid_new = compile_schema(dialect(case.update)).is_valid(instance)
    if valid_old and not valid_new:
        return (f"PROVEN by jsonschema-rs: {json.dumps(instance)} is valid under original_schema and "
                "rejected by update_schema, so the update is not BACKWARD compatible")
    return f"NOT PROVEN: {json.dumps(instance)} valid under original={valid_old}, under update={valid_new}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder with the four files, or a git mirror of the repo")
    parser.add_argument("--verbose", action="store_true", help="print why we break for each disagreement")
    args = parser.parse_args()
    cases = load_cases(args.source)

    verdicts: list[bool] = []
    runs: list[float] = []
    for _ in range(5):
        t = time.perf_counter()
        verdicts = [compat.check(c.original, c.update, "BACKWARD").compatible for c in cases]
        runs.append(time.perf_counter() - t)

    per_file: Counter[str] = Counter()
    per_file_agree: Counter[str] = Counter()
    per_cat: Counter[str] = Counter()
    per_cat_agree: Counter[str] = Counter()
    disagreements: list[tuple[Case, bool]] = []
    for case, ours in zip(cases, verdicts):
        cat = category(case)
        per_file[case.file] += 1
        per_cat[cat] += 1
        if ours == case.compatible:
            per_file_agree[case.file] += 1
            per_cat_agree[cat] += 1
        else:
            disagreements.append((case, ours))

    agree = len(cases) - len(disagreements)
    unsafe = [(c, o) for c, o in disagreements if o]
    print(f"Confluent JSON Schema diff cases: {len(cases)}, BACKWARD verdicts agreeing: {agree} "
          f"({100 * agree / len(cases):.1f}%), unsafe (we say compatible, Confluent says not): {len(unsafe)}")
    print(f"time for all {len(cases)} checks: median {statistics.median(runs) * 1000:.0f} ms of 5 runs")
    print("\nper file:")
    for name in FILES:
        print(f"  {name:<44} {per_file_agree[name]:>3}/{per_file[name]:<3}")
    print("\nper category (cases, agreeing, we break where Confluent accepts, unsafe):")
    for name in [n for n, _ in CATEGORIES] + ["annotations"]:
        if per_cat[name]:
            alarms = sum(1 for c, o in disagreements if category(c) == name and not o)
            bad = sum(1 for c, o in unsafe if category(c) == name)
            print(f"  {name:<24} {per_cat[name]:>4} {per_cat_agree[name]:>4} {alarms:>4} {bad:>4}")
    unproven = 0
    if disagreements:
        print("\ndisagreements:")
    for case, ours in disagreements:
        verdict = "UNSAFE: we say compatible" if ours else "we say incompatible"
        print(f"  {case.file}[{case.index}] {case.description!r} ({category(case)}): Confluent says "
              f"{'compatible' if case.compatible else 'incompatible'}, {verdict}")
        if not ours:
            proof = prove(case)
            unproven += not proof.startswith("PROVEN")
            print(f"      {proof}")
            if args.verbose:
                for brk in compat.check(case.original, case.update, "BACKWARD").breaks:
                    print(f"      our reason: {brk}")
    return 1 if unsafe or unproven else 0


if __name__ == "__main__":
    sys.exit(main())
