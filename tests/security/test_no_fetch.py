"""Server-side request forgery and local file read: a schema naming a URL or a file is refused with
a message naming the reference, and nothing is fetched or read — from every entry point a user
reaches (validate-as-you-type, create a message, save a version, the team's custom envelope, a
native import with ``$id`` + relative ``$ref``, an AsyncAPI import).

Proof, for each: a listener on 127.0.0.1 records every connection (none may arrive); a temporary
file holds a marker (it must not appear in any answer); and Python's audit hooks record every
``open`` of that file and every ``socket.connect`` to the listener in this process (none may
happen), so even a read whose content is never shown is caught.
"""
from __future__ import annotations

import io
import json
import socket
import sys
import threading
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.urls import reverse

from designer.catalog.models import Message
from tests.security.conftest import db_fingerprint

pytestmark = pytest.mark.django_db


class Listener:
    """A TCP listener on 127.0.0.1 that records each connection and answers a JSON document."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.connections.append(conn.recv(4096))
                    body = b'{"type": "string", "description": "LISTENER-WAS-FETCHED"}'
                    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body)
                except OSError:
                    self.connections.append(b"")

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


class Audit:
    """Records, while ``watching``, opens of ``paths`` and connections to ``port`` in this process.

    Audit hooks cannot be removed, so one recorder serves the whole session.
    """

    def __init__(self) -> None:
        self.watching = False
        self.paths: set[str] = set()
        self.port = -1
        self.events: list[str] = []
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.watching:
            return
        if event == "open" and args and str(args[0]) in self.paths:
            self.events.append(f"open {args[0]}")
        elif event == "socket.connect" and len(args) > 1 and isinstance(args[1], tuple) and args[1][1:2] == (self.port,):
            self.events.append(f"connect {args[1]}")


_AUDIT: Audit | None = None


@pytest.fixture
def trap(tmp_path: Path) -> Iterator[dict[str, Any]]:
    global _AUDIT
    if _AUDIT is None:
        _AUDIT = Audit()
    listener = Listener()
    marker = f"FILE-WAS-READ-{uuid.uuid4().hex}"
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"type": "string", "description": marker}))
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"type": "string", "description": marker}))
    _AUDIT.paths = {str(secret), str(other)}
    _AUDIT.port = listener.port
    _AUDIT.events = []
    _AUDIT.watching = True
    url = f"http://127.0.0.1:{listener.port}"
    refs = {
        "http": {"type": "object", "properties": {"a": {"$ref": f"{url}/x.json"}}},
        "file": {"type": "object", "properties": {"a": {"$ref": secret.as_uri()}}},
        "relative-to-remote-id": {"$id": f"{url}/schemas/base.json", "type": "object",
                                  "properties": {"a": {"$ref": "other.json"}}},
        "relative-to-file-id": {"$id": tmp_path.as_uri() + "/base.json", "type": "object",
                                "properties": {"a": {"$ref": "other.json"}}},
    }
    try:
        yield {"refs": refs, "marker": marker, "listener": listener, "url": url, "dir": tmp_path}
    finally:
        _AUDIT.watching = False
        listener.close()
    assert listener.connections == [], f"the server connected to the listener: {listener.connections[:2]}"
    assert _AUDIT.events == [], f"the server opened or connected: {_AUDIT.events}"


def assert_refused(resp: Any, trap: dict[str, Any], *, ref_named: bool = True) -> str:
    text = resp.content.decode()
    assert resp.status_code < 500, text[:1000]
    assert trap["marker"] not in text and "LISTENER-WAS-FETCHED" not in text
    if ref_named:
        assert "$ref" in text or "reference" in text.lower(), text[:2000]
    return text


REF_KINDS = ["http", "file", "relative-to-remote-id", "relative-to-file-id"]


@pytest.mark.parametrize("ref", REF_KINDS)
def test_validate_as_you_type(owner_of_demo: Any, trap: dict[str, Any], ref: str) -> None:
    team, _, client, _ = owner_of_demo
    schema = json.dumps(trap["refs"][ref])
    for field in ("schema", "example"):
        resp = client.post(reverse("validate_field", args=[team.slug, "messages"]),
                           {"_field": field, "schema": schema, "example": '{"a": 1}'})
        assert_refused(resp, trap, ref_named=field == "schema")


@pytest.mark.parametrize("ref", REF_KINDS)
def test_create_a_message(owner_of_demo: Any, trap: dict[str, Any], ref: str) -> None:
    team, _, client, _ = owner_of_demo
    before = db_fingerprint()
    resp = client.post(reverse("element_new", args=[team.slug, "messages"]),
                       {"name": "ProbeSent", "kind": "event", "schema": json.dumps(trap["refs"][ref]), "example": '{"a": 1}'})
    assert_refused(resp, trap)
    assert resp.status_code == 422 and db_fingerprint() == before


@pytest.mark.parametrize("ref", REF_KINDS)
def test_save_a_version(owner_of_demo: Any, trap: dict[str, Any], ref: str) -> None:
    team, _, client, _ = owner_of_demo
    msg = Message.objects.filter(team=team).first()
    before = db_fingerprint()
    resp = client.post(reverse("version_save", args=[team.slug, msg.pk]),
                       {"schema": json.dumps(trap["refs"][ref]), "example": '{"a": 1}'})
    assert_refused(resp, trap)
    assert resp.status_code == 422 and db_fingerprint() == before


@pytest.mark.parametrize("ref", REF_KINDS)
def test_the_teams_custom_envelope(owner_of_demo: Any, trap: dict[str, Any], ref: str) -> None:
    team, _, client, _ = owner_of_demo
    before = db_fingerprint()
    resp = client.post(reverse("team_settings", args=[team.slug]),
                       {"name": team.name, "description": "", "envelope_profile": "custom",
                        "envelope_schema": json.dumps(trap["refs"][ref]), "lock_version": team.lock_version})
    assert_refused(resp, trap)
    assert db_fingerprint() == before


def _import(client: Any, team: Any, name: str, content: bytes) -> Any:
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("import_model", args=[team.slug]), {"file": upload, "mode": "merge"})


@pytest.mark.parametrize("ref", REF_KINDS)
def test_a_native_import(owner_of_demo: Any, trap: dict[str, Any], ref: str) -> None:
    team, _, client, _ = owner_of_demo
    doc = {"version": 1, "messages": [{"name": "ProbeSent", "kind": "event", "schema": trap["refs"][ref],
                                       "examples": [{"a": 1}]}]}
    before = db_fingerprint()
    assert_refused(_import(client, team, "model.yaml", yaml.safe_dump(doc).encode()), trap)
    assert db_fingerprint() == before


def _asyncapi(payload: dict[str, Any]) -> dict[str, Any]:
    return {"asyncapi": "2.6.0", "info": {"title": "Probe", "version": "1.0.0"},
            "channels": {"probe": {"subscribe": {"message": {"name": "ProbeSent", "payload": payload}}}}}


@pytest.mark.parametrize("ref", REF_KINDS)
def test_an_asyncapi_import(owner_of_demo: Any, trap: dict[str, Any], ref: str) -> None:
    team, _, client, _ = owner_of_demo
    before = db_fingerprint()
    assert_refused(_import(client, team, "asyncapi.yaml", yaml.safe_dump(_asyncapi(trap["refs"][ref])).encode()), trap)
    assert db_fingerprint() == before


def test_an_asyncapi_import_whose_document_refs_a_url_or_a_file(owner_of_demo: Any, trap: dict[str, Any]) -> None:
    """A ``$ref`` outside any schema (a message by URL, a zip member pointing out of the zip)."""
    team, _, client, _ = owner_of_demo
    doc = _asyncapi({"type": "string"})
    doc["channels"]["probe"]["subscribe"]["message"] = {"$ref": f"{trap['url']}/message.yaml"}
    assert_refused(_import(client, team, "asyncapi.yaml", yaml.safe_dump(doc).encode()), trap)
    doc["channels"]["probe"]["subscribe"]["message"] = {"$ref": (trap["dir"] / "secret.json").as_uri()}
    assert_refused(_import(client, team, "asyncapi.yaml", yaml.safe_dump(doc).encode()), trap)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        doc["channels"]["probe"]["subscribe"]["message"] = {"$ref": f"../../../..{trap['dir']}/secret.json"}
        z.writestr("asyncapi.yaml", yaml.safe_dump(doc))
    assert_refused(_import(client, team, "bundle.zip", buf.getvalue()), trap, ref_named=False)


def test_the_trap_does_catch_a_fetch_and_a_read(tmp_path: Path) -> None:
    """Control: what the old form path did (jsonschema without a registry falls back to urlopen)
    is seen by the listener and by the audit hook, so the tests above would notice it."""
    import urllib.request

    global _AUDIT
    if _AUDIT is None:
        _AUDIT = Audit()
    listener = Listener()
    secret = tmp_path / "secret.json"
    secret.write_text("{}")
    _AUDIT.paths, _AUDIT.port, _AUDIT.events, _AUDIT.watching = {str(secret)}, listener.port, [], True
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{listener.port}/x.json", timeout=5) as r:
            assert b"LISTENER-WAS-FETCHED" in r.read()
        with urllib.request.urlopen(secret.as_uri(), timeout=5) as r:
            r.read()
    finally:
        _AUDIT.watching = False
        listener.close()
    assert len(listener.connections) == 1 and listener.connections[0].startswith(b"GET /x.json")
    assert any(e.startswith("connect") for e in _AUDIT.events)
    assert f"open {secret}" in _AUDIT.events
