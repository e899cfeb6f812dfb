"""AsyncAPI import/export fidelity on real documents nobody here wrote.

For every document of a corpus: is it valid by the official AsyncAPI parser (the library behind
`asyncapi validate`)? Does the designer import it (with the files its relative `$ref`s name,
as an upload of several files would)? Is the export valid? How many messages go in and come
out, does a second import give the same model (messages with kinds and schemas, channels,
relations), and does any message carry a name nobody wrote? The naming findings of the linter on
each imported model are written to a file, one per line, for a person to judge.

Two corpora:

- ``tuning``: the documents committed under tests/fixtures/asyncapi_real (the test suite runs
  the same checks on them with the official CLI; see their README for sources and licences);
- ``heldout``: documents we never tuned on, read at bench time from clones of their public
  repositories (``--mirrors DIR`` holding ``<owner>+<name>/repo`` git directories, as the
  project's fetch tool lays them out, or plain clones ``<owner>/<name>``), at the commits
  below. Not committed.

Run:
    .venv/bin/python bench/asyncapi_corpus.py --set tuning
    .venv/bin/python bench/asyncapi_corpus.py --set heldout --mirrors /work/.mirror \
        --findings /tmp/heldout-naming.tsv
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import posixpath
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from designer.core.formats import FormatError, asyncapi, load_files, yamlsafe  # noqa: E402
from designer.core.lint.engine import lint  # noqa: E402

TUNING_DIR = ROOT / "tests" / "fixtures" / "asyncapi_real"
NODE_MODULES = ROOT / ".tools" / "node_modules"
VALIDATOR = ROOT / "tests" / "toolchain" / "asyncapi_validate.cjs"
NAMING_RULES = ("event-name-past-tense", "command-name-imperative", "query-name-retrieval",
                "event-name-command-shaped", "event-name-no-before-after", "naming-casing-consistent",
                "message-name-unique", "event-type-namespace")

# The held-out corpus: (repository, commit, include globs, exclude globs). Framework example
# apps, SaaS trigger definitions, code generator and tool fixtures; none of it is in the tuning
# set (the spec's own examples are all in the tuning set, so none of their versions is here).
HELDOUT: list[tuple[str, str, list[str], list[str]]] = [
    ("springwolf/springwolf-core", "981b80437bc2f110455685f3794630207c25b1ca",
     ["springwolf-examples/*/src/test/resources/asyncapi*.json",
      "springwolf-core/src/test/resources/application/asyncapi.*.json",
      "springwolf-asyncapi/src/test/resources/v3/asyncapi/asyncapi*.yaml"],
     ["springwolf-examples/springwolf-amqp-example/*", "springwolf-examples/springwolf-kafka-example/*",
      "*/asyncapi.polymorphic.json"]),
    ("ballerina-platform/asyncapi-triggers", "ff7e4e47f3a8b30e5494417103b4e437f695e37d",
     ["asyncapi/*/asyncapi.y*ml"], ["asyncapi/github/*", "asyncapi/twilio/*", "asyncapi/hubspot/*"]),
    ("lerenn/asyncapi-codegen", "2974485068d999cadbd12d8cd286e5dde4436050",
     ["test/v2/issues/*/asyncapi*.yaml", "test/v3/issues/*/asyncapi.yaml",
      "test/v3/issues/*/*/asyncapi.yaml"], ["test/v3/issues/130/requestreply/*"]),
    ("asyncapi/generator", "97161a533dfb497eb420bdada5249e587907e7c7", ["apps/generator/test/docs/*"], []),
    ("asyncapi/cli", "1b70618a4a7aa1f8423b75198b541d85e6242f04",
     ["test/fixtures/*.yml", "test/fixtures/*.json", "test/fixtures/*/*.yaml", "test/fixtures/*/*.yml",
      "test/fixtures/*/*.json", "test/integration/bundle/*.yaml", "github-action/test/*.yml",
      "github-action/test/bundle/*.yaml"], ["test/fixtures/specification-v3.yml"]),
    ("asyncapi/html-template", "02ae78aa250ebbd574f4cd7b51a8b3df5262cb35", ["test/spec/*.yml"], []),
    ("asyncapi/modelina", "3508206e302af8aa7fc03780111cdfdc0f1108c3",
     ["modelina-cli/test/fixtures/asyncapi_*", "test/processors/AsyncAPIInputProcessor/*",
      "examples/file-uri-input/*.yml", "examples/integrate-with-maven/maven-project/asyncapi.json"], []),
    ("asyncapi/bundler", "9f9ee9d6cbe174ab66ba0e862d11c2e40e3fb912",
     ["tests/*.yml", "tests/*.yaml", "tests/*/*.yaml", "tests/*/*/*.yaml", "tests/*/*/*/*/*.yaml"], []),
]


@dataclass
class Result:
    doc: str
    valid_input: bool | None = None
    imported: bool = False
    error: str = ""
    messages_in: int = 0
    messages_out: int = 0
    round_trip: bool = False
    round_trip_diff: str = ""
    invented: list[str] = field(default_factory=list)
    valid_export: bool | None = None
    export_errors: str = ""
    naming: list[str] = field(default_factory=list)


# ---- corpora ----------------------------------------------------------------------------------

def _is_asyncapi(text: str) -> bool:
    return re.search(r'^\s*"?asyncapi"?\s*:', text, re.M) is not None


def tuning_files() -> dict[str, bytes]:
    """Every committed fixture file, by its path relative to the fixtures folder."""
    return {p.relative_to(TUNING_DIR).as_posix(): p.read_bytes()
            for p in sorted(TUNING_DIR.rglob("*")) if p.is_file() and p.name != "README.md"}


def _git_dir(mirrors: Path, repo: str) -> Path:
    for candidate in (mirrors / repo.replace("/", "+") / "repo", mirrors / repo):
        if candidate.exists():
            return candidate
    raise SystemExit(f"{repo}: no clone under {mirrors} (clone https://github.com/{repo} there)")


def heldout_files(mirrors: Path) -> tuple[dict[str, bytes], list[str]]:
    """The held-out documents and the files near them (their folder and its parent, where
    relative $refs point), read from the clones at the listed commits."""
    files: dict[str, bytes] = {}
    docs: list[str] = []
    for repo, commit, include, exclude in HELDOUT:
        git = _git_dir(mirrors, repo)
        listing = subprocess.run(["git", "--git-dir", str(git), "ls-tree", "-r", "--name-only", commit],
                                 capture_output=True, text=True, check=True).stdout.split("\n")
        wanted = [p for p in listing if any(fnmatch.fnmatch(p, g) for g in include)
                  and not any(fnmatch.fnmatch(p, g) for g in exclude)]
        near = {posixpath.dirname(posixpath.dirname(p)) for p in wanted}
        paths = [p for p in listing if p.endswith((".yaml", ".yml", ".json", ".avsc"))
                 and any(p.startswith(d + "/") or d == "" for d in near)]
        blobs = _cat(git, commit, paths)
        for path, blob in blobs.items():
            key = f"{repo.replace('/', '+')}/{path}"
            files[key] = blob
            if path in wanted and _is_asyncapi(blob.decode("utf-8", "replace")):
                docs.append(key)
    return files, docs


def _cat(git: Path, commit: str, paths: list[str]) -> dict[str, bytes]:
    """Many files of one commit in one `git cat-file --batch` process."""
    request = "".join(f"{commit}:{p}\n" for p in paths).encode()
    out = subprocess.run(["git", "--git-dir", str(git), "cat-file", "--batch"], input=request,
                         capture_output=True, check=True).stdout
    blobs: dict[str, bytes] = {}
    pos = 0
    for path in paths:
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        pos = header_end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        blobs[path] = out[pos:pos + size]
        pos += size + 1
    return blobs


# ---- one document -----------------------------------------------------------------------------

_REF = re.compile(r'["\']?\$ref["\']?\s*:\s*["\']?([^"\'\s,}]+)')


def upload_for(doc: str, files: dict[str, bytes]) -> dict[str, bytes]:
    """The document and the files its relative $refs name, transitively (what a user uploads)."""
    out: dict[str, bytes] = {}
    todo = [doc]
    while todo:
        name = todo.pop()
        if name in out or name not in files:
            continue
        out[name] = files[name]
        for ref in _REF.findall(files[name].decode("utf-8", "replace")):
            location = ref.split("#", 1)[0]
            if location and not re.match(r"^[a-z]+:", location) and not location.startswith("/"):
                todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(name), location)))
    return out


def messages_in(data: Any) -> int:
    """Distinct messages a document declares: on channels, in operations and replies, and under
    components (a message used twice through one $ref counts once)."""
    seen: set[str] = set()
    anonymous = 0

    def note(msg: Any, where: str) -> None:
        nonlocal anonymous
        if isinstance(msg, dict) and isinstance(msg.get("$ref"), str):
            seen.add(msg["$ref"].split("#", 1)[-1] if msg["$ref"].startswith("#") else msg["$ref"])
        elif isinstance(msg, dict):
            seen.add(where)

    if not isinstance(data, dict):
        return 0
    version = str(data.get("asyncapi", ""))
    comps = data.get("components") if isinstance(data.get("components"), dict) else {}
    comp_msgs = comps.get("messages") if isinstance(comps.get("messages"), dict) else {}
    for key in comp_msgs:
        seen.add(f"/components/messages/{key}")
    channels = data.get("channels") if isinstance(data.get("channels"), dict) else {}
    for cname, ch in channels.items():
        if not isinstance(ch, dict):
            continue
        if version.startswith("2."):
            for verb in ("publish", "subscribe"):
                op = ch.get(verb)
                msg = op.get("message") if isinstance(op, dict) else None
                if isinstance(msg, dict) and isinstance(msg.get("oneOf"), list):
                    for i, m in enumerate(msg["oneOf"]):
                        note(m, f"/channels/{cname}/{verb}/message/oneOf/{i}")
                elif msg is not None:
                    note(msg, f"/channels/{cname}/{verb}/message")
        else:
            msgs = ch.get("messages") if isinstance(ch.get("messages"), dict) else {}
            for key, m in msgs.items():
                note(m, f"/channels/{cname}/messages/{key}")
    # A channel message that is a $ref to a component and the component itself are one message.
    return len({s.replace("~1", "/") for s in seen}) + anonymous


def _candidates(data: Any) -> set[str]:
    """Every string an author wrote that a message name may be taken from."""
    out: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                out.add(str(k))
                if (k in ("name", "messageId", "title", "operationId", "$ref")
                        or asyncapi._NAMING_EXTENSION.match(str(k))) and isinstance(v, str):
                    out.add(v)
                    out.add(v.rsplit("/", 1)[-1])
                    out.add(asyncapi._identifier(v))
                    out.add(v.rsplit(".", 1)[-1])
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return out


def _split_qualified(name: str, authored: set[str]) -> list[str]:
    """Split "<channel>.<name>" at the dot where both halves are authored, if there is one."""
    for i, ch in enumerate(name):
        if ch == "." and name[:i] in authored and name[i + 1:] in authored:
            return [name[:i], name[i + 1:]]
    return [name]


def measure(doc: str, files: dict[str, bytes], tmp: Path) -> Result:
    res = Result(doc)
    upload = upload_for(doc, files)
    try:
        model = load_files(upload, main=doc)
    except FormatError as exc:
        res.error = str(exc)
        return res
    except Exception as exc:  # noqa: BLE001 - a crash is a finding of this bench
        res.error = f"CRASH {type(exc).__name__}: {exc}"
        return res
    res.imported = True
    authored: set[str] = set()
    for text in upload.values():
        try:
            data, _ = yamlsafe.parse(text)
        except FormatError:
            continue
        authored |= _candidates(data)
    main_data, _ = yamlsafe.parse(upload[doc])
    res.messages_in = messages_in(main_data)
    # A name made of two names the author wrote (<channel>.<name>, for two different messages of
    # one name) is not invented; a number, or a word nobody wrote (<channel>.message), is.
    res.invented = [m.name for m in model.messages if m.name.isdigit() or (
        m.name not in authored and not (m.name.count(".") >= 1 and all(
            p in authored for p in _split_qualified(m.name, authored))))]
    text = asyncapi.dump_yaml(model)
    out = tmp / (re.sub(r"[^A-Za-z0-9]+", "_", doc) + ".export.yaml")
    out.write_text(text)
    exported = yamlsafe.parse(text)[0]
    res.messages_out = len(exported.get("components", {}).get("messages", {}))
    second = asyncapi.load(text, "export")
    res.round_trip, res.round_trip_diff = _same(model, second)
    findings = lint(model)
    for f in findings:
        if f.rule in NAMING_RULES:
            res.naming.append(f"{doc}\t{f.rule}\t{f.kind}\t{f.key}\t{f.message}")
    return res


def _same(a: Any, b: Any) -> tuple[bool, str]:
    def view(m: Any) -> dict[str, Any]:
        return {
            "messages": {x.name: (x.kind, json.dumps(x.schema, sort_keys=True), json.dumps(
                x.latest.example if x.latest else None, sort_keys=True)) for x in m.messages},
            "channels": {c.name: (c.broker, c.partition_key) for c in m.channels},
            "relations": sorted((r.service, r.message, r.role, r.channel) for r in m.relations),
        }

    va, vb = view(a), view(b)
    for part in va:
        if va[part] != vb[part]:
            if isinstance(va[part], dict):
                keys = sorted(k for k in set(va[part]) | set(vb[part]) if va[part].get(k) != vb[part].get(k))
                return False, f"{part}: {keys[:5]}"
            return False, f"{part}: {sorted(set(va[part]) ^ set(vb[part]))[:5]}"
    return True, ""


# ---- the official parser ------------------------------------------------------------------------

def validate(paths: list[Path]) -> dict[str, str]:
    """path -> "" when valid by the official parser, else its errors (one process for all)."""
    if not paths:
        return {}
    result = subprocess.run(["node", str(VALIDATOR), *map(str, paths)], capture_output=True, text=True,
                            env={**os.environ, "ASYNCAPI_PARSER_DIR": str(NODE_MODULES)}, check=False,
                            timeout=3600)
    out: dict[str, str] = {str(p): "" for p in paths}
    seen: set[str] = set()
    for line in result.stdout.splitlines():
        for p in paths:
            prefix = f"{p}: "
            if line.startswith(prefix):
                seen.add(str(p))
                if not line.endswith(": valid"):
                    out[str(p)] += line[len(prefix):] + "\n"
    missing = [str(p) for p in paths if str(p) not in seen]
    if missing:  # the validator did not run (missing modules, a crash): no verdict is not "valid"
        raise SystemExit(f"the official parser gave no verdict on {len(missing)} documents "
                         f"(exit {result.returncode}): {result.stderr.strip()[-1500:]}")
    return out


def run(files: dict[str, bytes], docs: list[str], tmp: Path) -> list[Result]:
    src = tmp / "in"
    for name, blob in files.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
    verdicts = validate([src / d for d in docs])
    results = []
    for doc in docs:
        res = Result(doc)
        res.valid_input = verdicts[str(src / doc)] == ""
        if res.valid_input:
            res = measure(doc, files, tmp)
            res.valid_input = True
        results.append(res)
    exports = {r.doc: tmp / (re.sub(r"[^A-Za-z0-9]+", "_", r.doc) + ".export.yaml") for r in results if r.imported}
    verdicts = validate(list(exports.values()))
    for r in results:
        if r.imported:
            errors = verdicts[str(exports[r.doc])]
            r.valid_export = errors == ""
            r.export_errors = errors[:2000]
    return results


def report(results: list[Result], label: str) -> dict[str, Any]:
    valid = [r for r in results if r.valid_input]
    imported = [r for r in valid if r.imported]
    figures = {
        "corpus": label,
        "documents": len(results),
        "valid_by_official_parser": len(valid),
        "imported": len(imported),
        "exports_valid": sum(1 for r in imported if r.valid_export),
        "round_trip": sum(1 for r in imported if r.round_trip and r.valid_export),
        "messages_in": sum(r.messages_in for r in imported),
        "messages_out": sum(r.messages_out for r in imported),
        "documents_messages_in_equal_out": sum(1 for r in imported if r.messages_in == r.messages_out),
        "names_invented": sum(len(r.invented) for r in imported),
        "naming_findings": sum(len(r.naming) for r in imported),
    }
    for r in valid:
        problems = []
        if not r.imported:
            problems.append(f"refused: {r.error}")
        else:
            if not r.valid_export:
                problems.append("export invalid: " + r.export_errors.strip().replace("\n", " | ")[:600])
            if not r.round_trip:
                problems.append(f"round trip differs: {r.round_trip_diff}")
            if r.messages_in != r.messages_out:
                problems.append(f"messages in {r.messages_in}, out {r.messages_out}")
            if r.invented:
                problems.append(f"invented names {r.invented}")
        if problems:
            print(f"  {r.doc}: " + "; ".join(problems))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("tuning", "heldout"), default="tuning")
    parser.add_argument("--mirrors", type=Path, default=Path(os.environ.get("ASYNCAPI_CORPUS_MIRRORS", "")))
    parser.add_argument("--findings", type=Path, help="write the naming findings here (TSV) for judging")
    parser.add_argument("--only", default="", help="measure only documents whose path contains this")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.set == "tuning":
        files = tuning_files()
        docs = [name for name, blob in files.items() if _is_asyncapi(blob.decode("utf-8", "replace"))]
    else:
        if not str(args.mirrors):
            parser.error("--mirrors DIR (or ASYNCAPI_CORPUS_MIRRORS) is needed for the held-out corpus")
        files, docs = heldout_files(args.mirrors)
    docs = sorted(d for d in docs if args.only in d)
    with tempfile.TemporaryDirectory() as tmp:
        results = run(files, docs, Path(tmp))
    figures = report(results, args.set)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures, indent=2))
    if args.findings:
        args.findings.write_text("".join(line + "\n" for r in results for line in r.naming))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

