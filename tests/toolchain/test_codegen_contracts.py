"""Generated Python and TypeScript enforce the contract they were generated from (issue 12).

Projects come from the CLI (``manage.py codegen``, the path a user takes) on the shipped demo
model (designer/catalog/demo/shop.yaml, what ``seed_demo`` loads) and on real AsyncAPI documents
from tests/fixtures/asyncapi_real. Then the generated code runs: its own tests (accept each
example, reject one payload per constraint at its JSON path, the dispatcher's idempotency under
two concurrent deliveries), ``bin/validate`` on the issue's invalid message, and regeneration
keeping the developer's handler file.

A missing toolchain fails the test when CI=true; elsewhere it skips with the reason.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.toolchain
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "designer" / "catalog" / "demo" / "shop.yaml"
REAL = ROOT / "tests" / "fixtures" / "asyncapi_real"
KEYWORDS = ROOT / "tests" / "fixtures" / "codegen_keywords.yaml"  # what the demo does not use
COMMAND_REPLY = ROOT / "tests" / "fixtures" / "codegen_command_reply.yaml"  # a command that answers
ONE_OF = ROOT / "tests" / "fixtures" / "codegen_oneof.yaml"  # oneOf alternatives that overlap
TOOLS = ROOT / ".tools" / "node_modules"
TIMEOUT = 300
# Real documents with unions, request/reply, recursion and many messages.
REAL_DOCS = [
    "asyncapi+spec@v3.0.0/examples/oneof-asyncapi.yml",
    "asyncapi+spec@v2.6.0/examples/anyof.yml",
    "asyncapi+spec@v3.0.0/examples/kraken-websocket-request-reply-multiple-channels-asyncapi.yml",
    "springwolf+springwolf-core/springwolf-core/src/test/resources/application/asyncapi.polymorphic.json",
    "springwolf+springwolf-core/springwolf-examples/springwolf-kafka-example/src/test/resources/asyncapi.yaml",
    "asyncapi+spec@v2.6.0/examples/slack-rtm.yml",
]
# The issue's message: OrderPlaced data with a required field missing deep down and an unknown one.
ISSUE_PAYLOAD = '{"items":[{"price":1}],"bogus":true}'


def _need(tool: str, path: str | None) -> str:
    if path:
        return path
    reason = f"{tool} is not installed"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: toolchains are required)")
    pytest.skip(reason)


def _run(cmd: list[str], cwd: Path, stdin: str | None = None, ok: tuple[int, ...] = (0,)
         ) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                          check=False, input=stdin,
                          env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})
    assert proc.returncode in ok, f"{' '.join(cmd)} in {cwd}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _codegen(model: Path, lang: str, out: Path) -> list[Path]:
    _run([sys.executable, "manage.py", "codegen", str(model), "--lang", lang, "--out", str(out)], ROOT)
    return sorted(p for p in out.iterdir() if p.is_dir() and p.name != "node_modules")


def _check_python(project: Path) -> None:
    bindir = Path(sys.executable).parent
    _run([str(bindir / "ruff"), "check", "--no-cache", "."], project)
    # Issue 12: generated Python is already as ruff format writes it (the project's line length).
    _run([str(bindir / "ruff"), "format", "--check", "--no-cache", "."], project)
    _run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, "."],
         project)
    _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:django", "tests"],
         project)


def test_python_from_the_demo_model_enforces_its_schemas(tmp_path: Path) -> None:
    projects = _codegen(DEMO, "python", tmp_path)
    assert [p.name for p in projects] == ["email-service", "inventory-service", "order-service",
                                          "payment-service", "shipping-service"]
    for project in projects:
        _check_python(project)
    payment = tmp_path / "payment-service"
    # The issue's invalid OrderPlaced: rejected with the path of each problem, exit 1.
    bad = _run(["sh", "bin/validate", "OrderPlaced"], payment, ISSUE_PAYLOAD, ok=(1,))
    for path in ("$.items[0].productId", "$.items[0].quantity", "$.orderId", "$.bogus"):
        assert path in bad.stderr, bad.stderr
    example = {"orderId": "ord_12345", "userId": "usr_67890", "userEmail": "user@example.com",
               "items": [{"productId": "prod_001", "quantity": 2, "price": 29.99}],
               "total": 59.98, "currency": "USD"}  # the demo's own example
    _run(["sh", "bin/validate", "OrderPlaced"], payment, json.dumps(example))
    unknown = _run(["sh", "bin/validate", "NoSuchMessage"], payment, "{}", ok=(2,))
    assert "OrderPlaced" in unknown.stderr
    # The dispatcher never hands the issue's message to a handler.
    script = (
        "import json\n"
        "from payment_service.dispatcher import Dispatcher\n"
        "from payment_service.handlers import Handlers\n"
        "from payment_service.idempotency import InMemoryIdempotencyStore\n"
        "from payment_service.messages import InvalidMessage\n"
        "calls = []\n"
        "class H(Handlers):\n"
        "    def on_order_placed(self, message, envelope, tx):\n"
        "        calls.append(message)\n"
        "store = InMemoryIdempotencyStore()\n"
        "d = Dispatcher(H(), store, store)\n"
        "env = {'eventId': 'e1', 'eventType': 'order.placed', 'version': '1.0',\n"
        "       'timestamp': '2025-03-15T14:30:00Z', 'source': 'order-service',\n"
        f"       'data': json.loads({ISSUE_PAYLOAD!r})}}\n"
        "try:\n"
        "    d.dispatch(json.dumps(env))\n"
        "except InvalidMessage as exc:\n"
        "    print(json.dumps(exc.problems))\n"
        "assert calls == [], calls\n"
    )
    out = _run([sys.executable, "-c", script], payment)
    problems = dict(json.loads(out.stdout))
    assert {"$.data.items[0].productId", "$.data.bogus"} <= set(problems), problems
    # GetOrderStatus is answered with its reply, OrderStatusReported: the responder returns that
    # type, and a reply built without validation is refused before it is sent.
    order = tmp_path / "order-service"
    assert "-> m.OrderStatusReported:" in (order / "order_service" / "handlers.py").read_text()
    script = (
        "import json\n"
        "from order_service import messages as m\n"
        "from order_service.dispatcher import Dispatcher\n"
        "from order_service.handlers import Handlers\n"
        "from order_service.idempotency import InMemoryIdempotencyStore\n"
        "class H(Handlers):\n"
        "    reply = m.OrderStatusReported.model_construct(status='shipped')\n"
        "    def answer_get_order_status(self, message, envelope):\n"
        "        return self.reply\n"
        "store = InMemoryIdempotencyStore()\n"
        "d = Dispatcher(H(), store, store)\n"
        "env = {'eventId': 'q1', 'eventType': 'order.get-status', 'version': '1.0',\n"
        "       'timestamp': '2025-03-16T09:00:00Z', 'source': 'shipping-service', 'data': {'orderId': 'o1'}}\n"
        "try:\n"
        "    d.dispatch(json.dumps(env))\n"
        "except m.InvalidMessage as exc:\n"
        "    print(json.dumps(exc.problems))\n"
        "H.reply = m.OrderStatusReported(orderId='o1', status='paid')\n"
        "assert d.dispatch(json.dumps(env)) == H.reply\n"
    )
    refused = dict(json.loads(_run([sys.executable, "-c", script], order).stdout))
    assert "$.orderId" in refused, refused


def test_python_command_handler_returns_its_typed_reply_once(tmp_path: Path) -> None:
    projects = _codegen(COMMAND_REPLY, "python", tmp_path)
    for project in projects:
        _check_python(project)  # its own tests: typed reply, duplicate answers None, bad reply refused
    billing = tmp_path / "billing-service"
    assert "-> m.CardCharged:" in (billing / "billing_service" / "handlers.py").read_text(encoding="utf-8")
    script = (
        "import json\n"
        "from billing_service import messages as m\n"
        "from billing_service.dispatcher import Dispatcher\n"
        "from billing_service.handlers import Handlers\n"
        "from billing_service.idempotency import InMemoryIdempotencyStore\n"
        "calls = []\n"
        "class H(Handlers):\n"
        "    reply = m.CardCharged.model_construct(order_id='o1')\n"
        "    def handle_charge_card(self, message, envelope, tx):\n"
        "        calls.append(message.order_id)\n"
        "        return self.reply\n"
        "store = InMemoryIdempotencyStore()\n"
        "d = Dispatcher(H(), store, store)\n"
        "env = json.dumps({'id': 'c1', 'type': 'billing.charge-card', 'specversion': '1.0',\n"
        "                  'source': 'checkout-service', 'time': '2025-03-16T09:00:00Z',\n"
        "                  'datacontenttype': 'application/json', 'dataversion': '1.0',\n"
        "                  'data': {'orderId': 'o1', 'amount': 3}})\n"
        "try:\n"
        "    d.dispatch(env)\n"
        "except m.InvalidMessage as exc:\n"
        "    print(json.dumps(exc.problems))\n"
        "H.reply = m.CardCharged(orderId='o1', chargeId='ch1')\n"
        "assert d.dispatch(env) == H.reply  # the refusal released the claim: the retry ran\n"
        "assert d.dispatch(env) is None  # a duplicate: not handled, no reply\n"
        "assert calls == ['o1', 'o1'], calls\n"
    )
    refused = dict(json.loads(_run([sys.executable, "-c", script], billing).stdout))
    assert "$.chargeId" in refused, refused


def test_regenerating_python_keeps_the_developers_handlers(tmp_path: Path) -> None:
    _codegen(DEMO, "python", tmp_path)
    mine = tmp_path / "payment-service" / "payment_service" / "handlers.py"
    base = tmp_path / "payment-service" / "payment_service" / "handlers_base.py"
    mine.write_text(mine.read_text(encoding="utf-8") + "\n# my code\n", encoding="utf-8")
    base.write_text("# edited by hand\n", encoding="utf-8")
    _codegen(DEMO, "python", tmp_path)
    assert mine.read_text(encoding="utf-8").endswith("# my code\n")
    assert "Do not edit: regenerating replaces this file" in base.read_text(encoding="utf-8")
    assert "This file is yours" in mine.read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", REAL_DOCS)
def test_python_from_real_asyncapi_documents_enforces_its_schemas(doc: str, tmp_path: Path) -> None:
    for project in _codegen(REAL / doc, "python", tmp_path):
        _check_python(project)


def _typescript(tmp_path: Path, model: Path) -> tuple[str, str, list[Path]]:
    local = TOOLS / ".bin" / "tsc"
    tsc = _need("tsc (typescript)", str(local) if local.exists() else shutil.which("tsc"))
    node = _need("node", shutil.which("node"))
    if not (TOOLS / "zod" / "package.json").exists():
        _need("zod in .tools (make toolchains)", None)
    # Node resolves node_modules up the tree: zod, @types/node and typescript from .tools.
    (tmp_path / "node_modules").symlink_to(TOOLS)
    return tsc, node, _codegen(model, "typescript", tmp_path)


def _check_typescript(tsc: str, node: str, project: Path) -> None:
    _run([tsc, "-p", "tsconfig.json", "--strict"], project)
    out = _run([node, "--test", "dist/test/"], project)
    assert "# fail 0" in out.stdout and "# pass 0" not in out.stdout, out.stdout


def test_typescript_from_the_demo_model_enforces_its_schemas(tmp_path: Path) -> None:
    tsc, node, projects = _typescript(tmp_path, DEMO)
    assert len(projects) == 5
    for project in projects:
        package = json.loads((project / "package.json").read_text(encoding="utf-8"))
        assert package["dependencies"] == {"zod": "4.6.7"}
        _check_typescript(tsc, node, project)
    # GetOrderStatus's responder resolves to OrderStatusReported, checked before it is sent.
    order = tmp_path / "order-service"
    assert "Promise<m.OrderStatusReported>" in (order / "src" / "handlers.ts").read_text(encoding="utf-8")
    out = _run([node, "--test", "dist/test/"], order)
    assert "ok " in out.stdout and "- an invalid reply is never sent" in out.stdout, out.stdout
    assert "not ok" not in out.stdout
    payment = tmp_path / "payment-service"
    bad = _run(["sh", "bin/validate", "OrderPlaced"], payment, ISSUE_PAYLOAD, ok=(1,))
    for path in ("$.items[0].productId", "$.items[0].quantity", "$.orderId", "$.bogus"):
        assert path in bad.stderr, bad.stderr
    good = {"orderId": "ord_12345", "userId": "usr_67890", "userEmail": "user@example.com",
            "items": [{"productId": "prod_001", "quantity": 2, "price": 29.99}],
            "total": 59.98, "currency": "USD"}
    _run(["sh", "bin/validate", "OrderPlaced"], payment, json.dumps(good))
    _run(["sh", "bin/validate", "NoSuchMessage"], payment, "{}", ok=(2,))
    # The dispatcher never hands the issue's message to a handler.
    script = (
        "import { Dispatcher } from './dist/src/dispatcher.js';\n"
        "import { Handlers } from './dist/src/handlers.js';\n"
        "import { InMemoryIdempotencyStore } from './dist/src/idempotency.js';\n"
        "const calls = [];\n"
        "class H extends Handlers { async onOrderPlaced(m) { calls.push(m); } }\n"
        "const store = new InMemoryIdempotencyStore();\n"
        "const d = new Dispatcher(new H(), store, store);\n"
        "const env = { eventId: 'e1', eventType: 'order.placed', version: '1.0',\n"
        "  timestamp: '2025-03-15T14:30:00Z', source: 'order-service',\n"
        f"  data: JSON.parse({ISSUE_PAYLOAD!r}) }};\n"
        "try { await d.dispatch(env); } catch (e) { console.log(JSON.stringify(e.problems)); }\n"
        "if (calls.length !== 0) { process.exit(3); }\n"
    )
    out = _run([node, "--input-type=module", "-e", script], payment)
    paths = {p["path"] for p in json.loads(out.stdout)}
    assert {"$.data.items[0].productId", "$.data.bogus"} <= paths, paths


def test_typescript_command_handler_resolves_to_its_typed_reply_once(tmp_path: Path) -> None:
    tsc, node, projects = _typescript(tmp_path, COMMAND_REPLY)
    for project in projects:
        _check_typescript(tsc, node, project)  # its tests: typed reply, duplicate undefined, bad reply refused
    billing = tmp_path / "billing-service"
    generated = (billing / "dist" / "test" / "dispatcher.test.js").read_text(encoding="utf-8")
    assert "an invalid command reply is refused and releases the claim" in generated
    assert "Promise<m.CardCharged>" in (billing / "src" / "handlers.ts").read_text(encoding="utf-8")


def test_regenerating_typescript_keeps_the_developers_handlers(tmp_path: Path) -> None:
    _codegen(DEMO, "typescript", tmp_path)
    mine = tmp_path / "payment-service" / "src" / "handlers.ts"
    mine.write_text(mine.read_text(encoding="utf-8") + "\n// my code\n", encoding="utf-8")
    _codegen(DEMO, "typescript", tmp_path)
    assert mine.read_text(encoding="utf-8").endswith("// my code\n")


@pytest.mark.parametrize("doc", REAL_DOCS)
def test_typescript_from_real_asyncapi_documents_enforces_its_schemas(doc: str, tmp_path: Path) -> None:
    tsc, node, projects = _typescript(tmp_path, REAL / doc)
    for project in projects:
        _check_typescript(tsc, node, project)


@pytest.mark.parametrize("lang", ["python", "typescript"])
def test_every_keyword_the_demo_lacks_is_enforced(lang: str, tmp_path: Path) -> None:
    if lang == "python":
        projects = _codegen(KEYWORDS, "python", tmp_path)
        for project in projects:
            _check_python(project)
        tests = (tmp_path / "b-service" / "tests" / "test_messages.py").read_text(encoding="utf-8")
    else:
        tsc, node, projects = _typescript(tmp_path, KEYWORDS)
        for project in projects:
            _check_typescript(tsc, node, project)
        tests = (tmp_path / "b-service" / "test" / "messages.test.ts").read_text(encoding="utf-8")
    for keyword in ("exclusiveMinimum", "exclusiveMaximum", "multipleOf", "maxItems", "uniqueItems",
                    "maxLength", "format", "pattern", "enum", "additionalProperties", "required"):
        assert f'"{keyword}"' in tests, keyword  # a generated case the project's own tests ran
    consumer = tmp_path / "b-service"
    good = json.dumps({"x": 1.5, "n": 4, "tags": ["ab"], "level": 2, "site": "https://example.com/",
                       "id": "3f2b8c1e-7a4d-4e5f-9b6a-1c2d3e4f5a6b", "ratio": None, "choice": 7})
    _run(["sh", "bin/validate", "Mixed"], consumer, good)
    bad = json.dumps({"x": 2, "n": 3, "tags": ["ab", "ab"], "level": True, "site": "not a uri",
                      "id": "nope", "ratio": 2, "choice": "a", "when": "2025-13-99"})
    out = _run(["sh", "bin/validate", "Mixed"], consumer, bad, ok=(1,))
    for path in ("$.x", "$.n", "$.tags", "$.level", "$.site", "$.id", "$.ratio", "$.choice", "$.when"):
        assert path in out.stderr, (path, out.stderr)


# Issue 12: oneOf is exact. Payloads per message: (payload, rejected at this path or None).
ONE_OF_PAYLOADS = {
    "TargetChosen": [('{"id":"t_1","target":{"a":"x"}}', None), ('{"id":"t_1","target":{"b":1}}', None),
                     ('{"id":"t_1","target":{"a":"x","b":1}}', "$.target"),
                     ('{"id":"t_1","target":{}}', "$.target")],
    "ShapeSent": [('{"a":"x"}', None), ('{"b":1}', None), ('{"a":"x","b":1}', "$"), ('{"c":1}', "$")],
}


@pytest.mark.parametrize("lang", ["python", "typescript"])
def test_one_of_rejects_a_payload_matching_two_alternatives(lang: str, tmp_path: Path) -> None:
    if lang == "python":
        projects = _codegen(ONE_OF, "python", tmp_path)
    else:
        tsc, node, projects = _typescript(tmp_path, ONE_OF)
    receiver = tmp_path / "receiver-service"
    assert receiver in projects
    # The generated tests feed the contract's "matches two oneOf alternatives" cases too.
    test_file = receiver / ("tests/test_messages.py" if lang == "python" else "test/messages.test.ts")
    text = test_file.read_text(encoding="utf-8")
    assert '"oneOf", "$.target"' in text and '"oneOf", "$"' in text, text
    if lang == "python":
        _check_python(receiver)
    else:
        _check_typescript(tsc, node, receiver)
    for message, cases in ONE_OF_PAYLOADS.items():
        for payload, path in cases:
            proc = _run(["sh", "bin/validate", message], receiver, payload, ok=(0,) if path is None else (1,))
            if path is not None:
                # at the oneOf itself, or (none matches) at what each alternative misses there
                assert any(line.startswith((f"{path}: ", f"{path}.")) for line in proc.stderr.splitlines()), \
                    proc.stderr
    for message, payload, path in (("TargetChosen", '{"id":"t_1","target":{"a":"x","b":1}}', "$.target"),
                                   ("ShapeSent", '{"a":"x","b":1}', "$")):
        two = _run(["sh", "bin/validate", message], receiver, payload, ok=(1,))
        line = two.stderr.splitlines()[0]  # pydantic prefixes "Value error, "
        assert line.startswith(f"{path}: ") and line.endswith("must match exactly one oneOf alternative, matches 2"), line
