"""Our code generator side by side with quicktype and AsyncAPI Modelina, on the same schemas.

    .venv/bin/python bench/codegen_peers.py [--docs a.yml,b.json] [--max-messages 8] [--json OUT]

Inputs: the demo model's message schemas (``designer/catalog/demo/shop.yaml``) and a few real
AsyncAPI documents from ``tests/fixtures/asyncapi_real``. For every message the payload schema
(envelope unwrapped) is what ``designer.core.codegen.constraints.contract`` reads; the same
schema goes to each peer (one JSON Schema per message).

Generators, for TypeScript, Python and Go:

* ours: ``designer.core.codegen.generate`` for one service consuming every message (so one
  ``messages`` module holds them all);
* quicktype 26 (``quicktype-core``): TypeScript with ``runtime-typecheck`` (``Convert.toX``
  throws on a wrong type or a missing property), Python ``from_dict`` (asserts each type), Go;
* Modelina 5 (``@asyncapi/modelina``): TypeScript classes with ``unmarshal``
  (``TS_COMMON_PRESET`` marshalling), Python pydantic models (``PYTHON_PYDANTIC_PRESET``), Go.

Measured per tool and language: lines of code (non-blank lines of the message types; for ours
the ``messages`` module, for the peers the sum of one file per message), the names picked for a
few sample types and fields, and what the code **enforces at runtime**: each valid example and
every invalid payload ``contract()`` derives (one broken keyword at one JSON path, each confirmed
invalid by the schema itself) is run through each tool's output -- node for TypeScript (each file
transpiled by the TypeScript compiler), python3 for Python -- and counted rejected vs accepted
per keyword class. Go is generated and counted, not run.

The peers are installed into ``bench/peers/node_modules`` on first use (``npm ci``; pinned in
``bench/peers/package.json``); generated code goes to ``bench/peers/out/`` (ignored). A peer that
fails to install, generate or run is reported as such.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PEERS = ROOT / "bench" / "peers"
OUT = PEERS / "out"
REAL = ROOT / "tests" / "fixtures" / "asyncapi_real"
DEMO = ROOT / "designer" / "catalog" / "demo" / "shop.yaml"
DOCS = [
    "springwolf+springwolf-core/springwolf-examples/springwolf-kafka-example/src/test/resources/asyncapi.yaml",
    "asyncapi+spec@v3.0.0/examples/oneof-asyncapi.yml",
    "asyncapi+spec@v2.6.0/examples/slack-rtm.yml",
]
TOOLS = ("ours", "quicktype", "modelina")
LANGS = ("typescript", "python", "go")
# Keyword classes of the table (contract() keywords grouped).
CLASSES = {
    "required": "required", "type": "type", "nullable": "type", "additionalProperties": "additionalProperties",
    "enum": "enum/const", "const": "enum/const",
    "minimum": "min/max", "maximum": "min/max", "exclusiveMinimum": "min/max",
    "exclusiveMaximum": "min/max", "multipleOf": "min/max",
    "minLength": "length", "maxLength": "length", "pattern": "pattern", "format": "format",
    "minItems": "array bounds", "maxItems": "array bounds", "uniqueItems": "array bounds",
}
CLASS_ORDER = ["required", "type", "additionalProperties", "enum/const", "min/max", "length",
               "pattern", "format", "array bounds"]
TIMEOUT = 600

from designer.core.codegen import common, constraints, generate  # noqa: E402
from designer.core.formats import asyncapi, native  # noqa: E402
from designer.core.model import Model, Relation, Service  # noqa: E402


@dataclasses.dataclass
class Job:
    source: str
    name: str
    schema: Any
    example: Any
    cases: list[constraints.Violation]


def ensure_peers() -> str:
    """Install the peers on first use; '' when ready, else why not."""
    if (PEERS / "node_modules" / "quicktype-core").exists() and (PEERS / "node_modules" / "@asyncapi" / "modelina").exists():
        return ""
    npm = shutil.which("npm")
    if npm is None:
        return "npm not found (install Node.js/npm)"
    print("Installing quicktype and @asyncapi/modelina into bench/peers (first use)...", flush=True)
    proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PEERS,
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if proc.returncode != 0:
        return f"npm ci failed: {(proc.stderr or proc.stdout).strip().splitlines()[-1:]}"
    return ""


def load_inputs(docs: list[str], max_messages: int) -> list[tuple[str, Model, list[Job]]]:
    inputs = []
    sources = [("demo shop.yaml", DEMO)] + [(d.split("/")[0].replace("+", "/") + ":" + Path(d).name, REAL / d)
                                            for d in docs]
    for label, path in sources:
        text = path.read_text(encoding="utf-8")
        model = native.load(text) if path == DEMO else asyncapi.load(text, str(path))
        profile = common.envelope_profile(model)
        jobs = []
        for message in model.messages:
            c = constraints.contract(message, profile, limit=400)
            if not c.valid or not isinstance(c.tree.schema, dict):
                continue
            jobs.append(Job(label, message.name, c.tree.schema, c.example, list(c.cases)))
            if len(jobs) >= max_messages:
                break
        inputs.append((label, model, jobs))
    return inputs


def loc(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def ident(name: str) -> str:
    return re.sub(r"\W", "_", name)


def ours_generate(idx: int, model: Model, jobs: list[Job]) -> dict[str, Path]:
    """One service consuming every job's message; returns lang -> project dir."""
    names = {j.name for j in jobs}
    svc = Service("peers-bench")
    one = dataclasses.replace(model, services=(svc,), flows=(),
                              relations=tuple(Relation(svc.name, m.name, "consumes")
                                              for m in model.messages if m.name in names))
    dirs = {}
    for lang in LANGS:
        d = OUT / f"in{idx}" / "ours" / lang
        shutil.rmtree(d, ignore_errors=True)
        for rel, text in generate(one, lang, svc.name).items():
            f = d / rel
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(text, encoding="utf-8")
        dirs[lang] = d
    return dirs


OURS_MESSAGES = {"python": "peers_bench/messages.py", "typescript": "src/messages.ts", "go": "messages.go"}


def peers_generate(idx: int, jobs: list[Job]) -> dict[tuple[str, str, str], str]:
    """Run bench/peers/generate.cjs; (tool, lang, name) -> '' when generated, else the error."""
    base = OUT / f"in{idx}"
    jobs_file = base / "jobs.json"
    base.mkdir(parents=True, exist_ok=True)
    jobs_file.write_text(json.dumps([{"name": ident(j.name), "schema": j.schema} for j in jobs]), encoding="utf-8")
    proc = _run(["node", "generate.cjs", str(jobs_file), str(base)])
    status: dict[tuple[str, str, str], str] = {}
    for line in proc.stdout.splitlines():
        row = json.loads(line)
        status[(row["tool"], row["lang"], row["name"])] = "" if row["ok"] else row["error"] or "failed"
    if proc.returncode != 0 and not status:
        err = (proc.stderr.strip().splitlines() or ["node failed"])[-1]
        for j in jobs:
            for tool in TOOLS[1:]:
                for lang in LANGS:
                    status[(tool, lang, ident(j.name))] = err
    return status


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` in bench/peers; a missing program or a timeout is a failed run, not a crash."""
    try:
        return subprocess.run(cmd, cwd=PEERS, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(cmd, 127, "", f"{cmd[0]}: {exc}")


PY_DRIVER = r'''
import importlib.util, json, sys, types
tasks = json.load(open(sys.argv[1]))
for t in tasks:
    row = {"tool": t["tool"], "name": t["name"], "results": [], "error": ""}
    try:
        if t["tool"] == "ours":
            sys.path.insert(0, t["project"])
            import peers_bench.messages as M
            model = M.MESSAGES[t["name"]]
            def run(p):
                try:
                    M.parse(model, json.dumps(p).encode())
                    return False
                except M.InvalidMessage:
                    return True
        else:
            src = open(t["file"]).read()
            mod = types.ModuleType("peer_" + t["name"])
            exec(compile(src, t["file"], "exec"), mod.__dict__)
            if t["tool"] == "quicktype":
                import re
                fn = getattr(mod, re.search(r"^def (\w+_from_dict)\(", src, re.M).group(1))
            else:
                import re, pydantic
                for v in list(mod.__dict__.values()):
                    if isinstance(v, type) and issubclass(v, pydantic.BaseModel) and v is not pydantic.BaseModel:
                        v.model_rebuild(_types_namespace=mod.__dict__)
                fn = getattr(mod, re.search(r"^class (\w+)\(BaseModel\)", src, re.M).group(1)).model_validate
            def run(p):
                try:
                    fn(p)
                    return False
                except Exception:
                    return True
        row["results"] = [run(p) for p in t["payloads"]]
    except Exception as e:
        row["error"] = (type(e).__name__ + ": " + str(e)).splitlines()[0][:200]
    print(json.dumps(row), flush=True)
'''


def run_lang(lang: str, tasks: list[dict[str, Any]], base: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Run ``tasks`` (tool, name, file/project, payloads) in node or python; (tool, name) -> row."""
    if not tasks:
        return {}
    task_file = base / f"tasks-{lang}.json"
    task_file.write_text(json.dumps(tasks), encoding="utf-8")
    if lang == "typescript":
        cmd = ["node", str(PEERS / "run_ts.cjs"), str(task_file)]
    else:
        driver = base / "driver.py"
        driver.write_text(PY_DRIVER, encoding="utf-8")
        cmd = [sys.executable, str(driver), str(task_file)]
    out: dict[tuple[str, str], dict[str, Any]] = {}
    # One process per tool, so that a crash in one peer's output does not hide the others.
    for tool in TOOLS:
        mine = [t for t in tasks if t["tool"] == tool]
        if not mine:
            continue
        task_file.write_text(json.dumps(mine), encoding="utf-8")
        proc = _run(cmd)
        for line in proc.stdout.splitlines():
            if line.startswith("{"):
                row = json.loads(line)
                out[(row["tool"], row["name"])] = row
        for t in mine:
            out.setdefault((tool, t["name"]), {"results": [], "error": (proc.stderr.strip().splitlines()
                                                                        or ["no output"])[-1][:200]})
    return out


START = {  # where the demo's OrderPlaced is defined, per language
    "typescript": r"^export const OrderPlacedSchema\b|^export interface OrderPlaced\b|^class OrderPlaced\b",
    "python": r"^class OrderPlaced\b",
    "go": r"^type OrderPlaced struct",
}
NAME_PATTERNS = {
    "typescript": {"orderId": r"^\s+(_?order_?[iI][dD])\??\s*[:(]", "userEmail": r"^\s+(_?user_?[eE]mail)\??\s*[:(]",
                   "items[] type": r"\bitems\??\s*:\s*\[?(\w+)|return z\.array\((\w+?)Schema\)"},
    "python": {"orderId": r"^\s+(order_?[iI][dD]\w*)\s*:", "userEmail": r"^\s+(user_?[eE]mail\w*)\s*:",
               "items[] type": r"^\s+items\s*:\s*(?:Annotated\[)?(?:List|list)\[(?:\"|')?(\w+)"},
    "go": {"orderId": r"^\s+(Order[Ii][Dd]\w*)\s", "userEmail": r"^\s+(User[Ee]mail\w*)\s",
           "items[] type": r"^\s+Items\s+\[\]\*?(\w+)"},
}


def sample_names(files: dict[tuple[str, str], str]) -> dict[tuple[str, str], dict[str, str]]:
    """How each tool spells the demo OrderPlaced's orderId, userEmail and items[] element type."""
    out = {}
    for (tool, lang), text in files.items():
        start = re.search(START[lang], text, re.M)
        block = "\n".join(text[start.start():].splitlines()[:40]) if start else ""
        row = {}
        for what, pat in NAME_PATTERNS[lang].items():
            m = re.search(pat, block, re.M)
            row[what] = next((g for g in m.groups() if g), "?") if m else "-"
        out[(tool, lang)] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default=",".join(DOCS), help="AsyncAPI documents under tests/fixtures/asyncapi_real")
    parser.add_argument("--max-messages", type=int, default=8, help="messages per input")
    parser.add_argument("--json", help="write the figures as JSON here")
    args = parser.parse_args()

    peer_error = ensure_peers()
    if shutil.which("node") is None:
        peer_error = peer_error or "node not found"
    inputs = load_inputs([d for d in args.docs.split(",") if d], args.max_messages)
    OUT.mkdir(parents=True, exist_ok=True)

    lines: dict[tuple[str, str], int] = defaultdict(int)
    gen_fail: dict[tuple[str, str], list[str]] = defaultdict(list)
    # (tool, lang) -> class -> [rejected, total]; plus examples accepted
    enforce: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    by_keyword: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    examples: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    run_fail: dict[tuple[str, str], list[str]] = defaultdict(list)
    demo_files: dict[tuple[str, str], str] = {}
    n_messages = n_cases = 0

    for idx, (label, model, jobs) in enumerate(inputs):
        if not jobs:
            continue
        n_messages += len(jobs)
        n_cases += sum(len(j.cases) for j in jobs)
        base = OUT / f"in{idx}"
        ours = ours_generate(idx, model, jobs)
        for lang in LANGS:
            text = (ours[lang] / OURS_MESSAGES[lang]).read_text(encoding="utf-8")
            lines[("ours", lang)] += loc(text)
            if idx == 0:
                demo_files[("ours", lang)] = text
        status = peers_generate(idx, jobs) if not peer_error else {
            (tool, lang, ident(j.name)): peer_error for tool in TOOLS[1:] for lang in LANGS for j in jobs}
        ext = {"typescript": "ts", "python": "py", "go": "go"}
        for tool in TOOLS[1:]:
            for lang in LANGS:
                texts = []
                for j in jobs:
                    err = status.get((tool, lang, ident(j.name)), "not generated")
                    if err:
                        gen_fail[(tool, lang)].append(f"{label} {j.name}: {err}")
                        continue
                    text = (base / tool / lang / f"{ident(j.name)}.{ext[lang]}").read_text(encoding="utf-8")
                    lines[(tool, lang)] += loc(text)
                    texts.append(text)
                if idx == 0:
                    demo_files[(tool, lang)] = "\n".join(texts)
        for lang in ("typescript", "python"):
            tasks = []
            for j in jobs:
                payloads = [j.example] + [c.payload for c in j.cases]
                tasks.append({"tool": "ours", "name": j.name, "project": str(ours[lang]),
                              "file": str(ours[lang] / OURS_MESSAGES[lang]), "payloads": payloads})
                for tool in TOOLS[1:]:
                    if not status.get((tool, lang, ident(j.name)), "x"):
                        tasks.append({"tool": tool, "name": ident(j.name), "payloads": payloads,
                                      "file": str(base / tool / lang / f"{ident(j.name)}.{ext[lang]}")})
            rows = run_lang(lang, tasks, base)
            for j in jobs:
                for tool in TOOLS:
                    key = (tool, j.name if tool == "ours" else ident(j.name))
                    if tool != "ours" and status.get((tool, lang, ident(j.name)), "x"):
                        continue
                    row = rows.get(key, {"results": [], "error": "no result"})
                    res = row["results"]
                    if row.get("error") or len(res) != len(j.cases) + 1:
                        run_fail[(tool, lang)].append(f"{label} {j.name}: {row.get('error') or 'incomplete'}")
                        continue
                    examples[(tool, lang)][0] += 0 if res[0] else 1
                    examples[(tool, lang)][1] += 1
                    if res[0]:  # refuses a valid payload: its rejections say nothing
                        run_fail[(tool, lang)].append(f"{label} {j.name}: refuses the valid example")
                        continue
                    for case, rejected in zip(j.cases, res[1:], strict=True):
                        cell = enforce[(tool, lang)][CLASSES.get(case.keyword, case.keyword)]
                        cell[0] += 1 if rejected else 0
                        cell[1] += 1
                        raw = by_keyword[(tool, lang)][case.keyword]
                        raw[0] += 1 if rejected else 0
                        raw[1] += 1

    # ---- report ----
    print(f"\ninputs: {', '.join(f'{label} ({len(jobs)} messages)' for label, _, jobs in inputs)}")
    print(f"{n_messages} messages, {n_cases} invalid payloads (constraints.contract), peers: "
          f"{peer_error or 'quicktype 26.0.0, @asyncapi/modelina 5.10.1'}\n")
    print("lines of code (non-blank, message types; ours: the messages module of one service consuming all)")
    print(f"{'tool':<10}" + "".join(f"{lang:>12}" for lang in LANGS))
    for tool in TOOLS:
        print(f"{tool:<10}" + "".join(f"{lines[(tool, lang)]:>12}" for lang in LANGS))

    print("\nnames picked (demo OrderPlaced)")
    names = sample_names(demo_files)
    for lang in LANGS:
        for tool in TOOLS:
            if (tool, lang) in names:
                r = names[(tool, lang)]
                print(f"  {lang:<10} {tool:<10} " + "  ".join(f"{k}={v}" for k, v in r.items()))

    print("\nenforced at runtime: invalid payloads rejected / derived, per keyword class")
    header = f"{'tool/lang':<22}{'valid ok':>9}" + "".join(f"{c[:12]:>13}" for c in CLASS_ORDER) + f"{'total':>11}"
    print(header)
    for lang in ("typescript", "python"):
        for tool in TOOLS:
            cells = enforce[(tool, lang)]
            tot = [sum(v[0] for v in cells.values()), sum(v[1] for v in cells.values())]
            ex = examples[(tool, lang)]
            print(f"{tool + ' ' + lang:<22}{f'{ex[0]}/{ex[1]}':>9}" + "".join(
                f"{(f'{cells[c][0]}/{cells[c][1]}' if c in cells else '-'):>13}" for c in CLASS_ORDER)
                + f"{f'{tot[0]}/{tot[1]}':>11}")
    for title, fails in (("not generated", gen_fail), ("could not run", run_fail)):
        for (tool, lang), items in sorted(fails.items()):
            print(f"{title}: {tool} {lang}: {len(items)} message(s), e.g. {items[0]}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "lines": {f"{t} {lg}": n for (t, lg), n in lines.items()},
            "names": {f"{t} {lg}": r for (t, lg), r in names.items()},
            "enforced": {f"{t} {lg}": dict(c) for (t, lg), c in enforce.items()},
            "by_keyword": {f"{t} {lg}": dict(c) for (t, lg), c in by_keyword.items()},
            "examples_accepted": {f"{t} {lg}": v for (t, lg), v in examples.items()},
            "not_generated": {f"{t} {lg}": v for (t, lg), v in gen_fail.items()},
            "could_not_run": {f"{t} {lg}": v for (t, lg), v in run_fail.items()},
        }, indent=2), encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
