"""Every real AsyncAPI document of tests/fixtures/asyncapi_real (all valid by the official
parser; see the README there) imported into an EXISTING team, the seeded demo shop, the ways a
user does it: through the import page (upload -> [choose the document] -> preview -> apply) and
through ``manage.py import_model`` in its own process. Each one imports with every message it
declares, or is refused with a message naming the file and nothing changes; never a 500 or a
traceback. ``manage.py lint`` reads the same documents through the same loader, so it refuses
exactly those import refuses (exit 2) and reads the rest."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from designer.catalog.models import Change, Message
from designer.cli.localfiles import files_for
from designer.core.formats import FormatError, load_files

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "asyncapi_real"
DOCUMENTS = sorted(p for p in REAL.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json")
                   and re.search(r'^\s*"?asyncapi"?\s*:', p.read_text(), re.M))


def _upload(doc: Path) -> tuple[list[SimpleUploadedFile], str]:
    """What a user uploads: the document alone, or a zip of it with the files it refers to."""
    files, main = files_for(doc, doc.read_bytes())
    if len(files) == 1:
        return [SimpleUploadedFile(doc.name, doc.read_bytes())], main
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in sorted(files.items()):
            zf.writestr(name, blob)
    return [SimpleUploadedFile(f"{doc.stem}.zip", buf.getvalue())], main


def _field(page: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    return found.group(1) if found else None


def _expected(doc: Path) -> set[str] | None:
    """The message names the designer's loader reads from the document, None when it refuses it."""
    files, main = files_for(doc, doc.read_bytes())
    try:
        return {m.name for m in load_files(files, main=main).messages}
    except FormatError:
        return None


def test_every_real_document_imports_into_the_demo_team_through_the_page(demo_team: Any, member_client: Any) -> None:
    editor = member_client(demo_team, "editor")
    url = reverse("import_model", args=[demo_team.slug])
    demo_messages = set(Message.objects.filter(team=demo_team).values_list("name", flat=True))
    assert demo_messages  # an existing model, not an empty team
    outcomes: dict[str, str] = {}
    for doc in DOCUMENTS:
        label = doc.relative_to(REAL).as_posix()
        expected = _expected(doc)
        with transaction.atomic():  # each document into the demo team as seeded
            before = (Message.objects.filter(team=demo_team).count(), Change.objects.filter(team=demo_team).count())
            files, main = _upload(doc)
            # The test client raises what a view raises: a 500 fails here with its traceback.
            resp = editor.post(url, {"file": files, "mode": "merge"})
            page = resp.content.decode()
            if resp.status_code == 200 and 'name="main"' in page:  # a zip of several documents
                resp = editor.post(url, {"pending": _field(page, "pending"), "main": main, "mode": "merge"})
                page = resp.content.decode()
            if resp.status_code == 422:
                assert expected is None, (label, page[:1500])
                assert "Traceback" not in page and doc.name in page, (label, page[:1500])
                assert (Message.objects.filter(team=demo_team).count(),
                        Change.objects.filter(team=demo_team).count()) == before, label
                outcomes[label] = "refused"
            else:
                assert resp.status_code == 200 and expected is not None, (label, resp.status_code, page[:1500])
                assert before[0] == Message.objects.filter(team=demo_team).count(), label  # preview writes nothing
                resp = editor.post(url, {"pending": _field(page, "pending"), "mode": "merge"})
                assert resp.status_code == 302, (label, resp.content.decode()[:1500])
                names = set(Message.objects.filter(team=demo_team).values_list("name", flat=True))
                assert expected <= names and demo_messages <= names, (label, expected - names)
                outcomes[label] = "imported"
            transaction.set_rollback(True)
    assert len(outcomes) == len(DOCUMENTS) >= 60
    # Every document here is valid by the official CLI, and the designer imports every one.
    assert [d for d, o in outcomes.items() if o != "imported"] == []


CLI_DRIVER = r"""
import contextlib, io, json, sys
from django.core.management import ManagementUtility
out = {}
for command, path in json.loads(sys.argv[1]):
    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            ManagementUtility(["manage.py", *command, path]).execute()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    out.setdefault(path, {})[command[0]] = [code, stdout.getvalue()[-2000:], stderr.getvalue()[-2000:]]
print(json.dumps(out))
"""


def test_every_real_document_imports_into_the_demo_team_through_the_cli_and_lint_agrees(tmp_path: Path) -> None:
    # Its own process and database file: migrate, seed the demo shop, then `import_model --team
    # demo-shop --mode merge` and `lint` for each document (one Python process runs the commands
    # one after the other as manage.py would, to spare 150 start-ups).
    env = {**os.environ, "DESIGNER_SQLITE_PATH": str(tmp_path / "db.sqlite3"), "DJANGO_SETTINGS_MODULE": "designer.settings"}
    for key in ("DATABASE_URL", "REDIS_URL"):
        env.pop(key, None)

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=600, check=False)

    assert manage("migrate", "--noinput", "-v", "0").returncode == 0
    assert manage("seed_demo").returncode == 0
    jobs = [(cmd, str(doc)) for doc in DOCUMENTS
            for cmd in (["import_model", "--team", "demo-shop", "--mode", "merge"], ["lint"])]
    driver = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + CLI_DRIVER, json.dumps(jobs)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200, check=False)
    assert driver.returncode == 0, driver.stderr[-3000:]
    results = json.loads(driver.stdout.strip().splitlines()[-1])
    for doc in DOCUMENTS:
        imported, linted = results[str(doc)]["import_model"], results[str(doc)]["lint"]
        assert "Traceback" not in imported[2] + linted[2], (doc, imported, linted)
        assert imported[0] == 0 and "Imported" in imported[1], (doc, imported)
        assert linted[0] in (0, 1), (doc, linted)  # read (findings or not), never refused
    # One true process per command on documents of every shape: multi-file, Avro, recursive, 2.x.
    for doc in ("asyncapi+spec@v3.0.0/examples/social-media/backend/asyncapi.yaml",
                "asyncapi+avro-schema-parser/test/documents/valid-asyncapi.yaml",
                "springwolf+springwolf-core/springwolf-core/src/test/resources/application/asyncapi.polymorphic.json",
                "asyncapi+generator/apps/generator/test/docs/dummy.yml"):
        path = REAL / doc
        assert path.is_file(), doc
        done = manage("import_model", str(path), "--team", "demo-shop", "--mode", "merge")
        assert done.returncode == 0 and "Imported" in done.stdout, (doc, done.stdout, done.stderr)
        assert manage("lint", str(path)).returncode in (0, 1)
    # Refused: a broken document changes nothing and both commands say where, without a traceback.
    broken = tmp_path / "broken.yaml"
    broken.write_text("asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\nchannels:\n  a: {messages: {m: {payload: {type: int}}}}\n")
    refused, lint_refused = manage("import_model", str(broken), "--team", "demo-shop"), manage("lint", str(broken))
    assert refused.returncode != 0 and "broken.yaml" in refused.stderr and "Traceback" not in refused.stderr
    assert lint_refused.returncode == 2 and "broken.yaml" in lint_refused.stdout + lint_refused.stderr
    assert "Traceback" not in lint_refused.stderr
