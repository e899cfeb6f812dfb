"""The import page with an upload of several files or a zip: real multi-file AsyncAPI documents
(the specification's social-media application, the bundler's examples) whose relative
``$ref``s resolve to the uploaded files only, through preview and apply."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from designer.catalog.models import Change, Message, Service

pytestmark = pytest.mark.django_db

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "asyncapi_real"
SOCIAL = REAL / "asyncapi+spec@v3.0.0" / "examples" / "social-media"
NESTED = REAL / "asyncapi+bundler" / "example" / "example-with-nested-dirs" / "asyncapi"


def _zip(root: Path, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, f"{root.name}/{path.relative_to(root).as_posix()}")
        for name, blob in (extra or {}).items():
            zf.writestr(name, blob)
    return buf.getvalue()


def _pending(page: str) -> str:
    found = re.search(r'name="pending" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def _apply(client: Any, url: str, page: str, mode: str = "merge") -> Any:
    return client.post(url, {"pending": _pending(page), "mode": mode})


def test_it_imports_a_document_uploaded_with_the_files_it_refers_to(make_team: Any, member_client: Any) -> None:
    team = make_team()
    editor = member_client(team, "editor")
    url = reverse("import_model", args=[team.slug])
    files = [SimpleUploadedFile("asyncapi.yaml", (SOCIAL / "backend" / "asyncapi.yaml").read_bytes())]
    # A browser sends base names only: ../common/messages.yaml arrives as messages.yaml.
    files += [SimpleUploadedFile(p.name, p.read_bytes()) for p in sorted((SOCIAL / "common").glob("*.yaml"))]
    resp = editor.post(url, {"file": files, "mode": "merge"})
    page = resp.content.decode()
    assert resp.status_code == 200, page[:2000]
    assert "likeComment" in page and "updateCommentLikes" in page
    assert not Message.objects.filter(team=team).exists()  # the preview writes nothing
    resp = _apply(editor, url, page)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    messages = {m.name: m for m in Message.objects.filter(team=team)}
    assert set(messages) == {"commentLiked", "likeComment", "commentChanged", "updateCommentLikes"}
    payload = messages["likeComment"].versions.get().schema
    assert payload["title"] == "likeCommentPayload"  # from ../common/schemas.yaml
    assert payload["properties"]["commentId"]["allOf"][0] == {"type": "string"}
    assert Service.objects.filter(team=team).exists()


def test_it_asks_which_document_of_a_zip_to_import_then_imports_it(make_team: Any, member_client: Any) -> None:
    team = make_team()
    editor = member_client(team, "editor")
    url = reverse("import_model", args=[team.slug])
    upload = SimpleUploadedFile("social-media.zip", _zip(SOCIAL), content_type="application/zip")
    resp = editor.post(url, {"file": upload, "mode": "merge"})
    page = resp.content.decode()
    assert resp.status_code == 200, page[:2000]
    assert "Which document?" in page
    select = page[page.index('id="id_main"'):]
    options = re.findall(r'<option value="([^"]+)"', select[:select.index("</select>")])
    assert "social-media/comments-service/asyncapi.yaml" in options and len(options) == 5
    resp = editor.post(url, {"pending": _pending(page), "mode": "merge",
                             "main": "social-media/comments-service/asyncapi.yaml"})
    page = resp.content.decode()
    assert resp.status_code == 200 and 'id="import-preview"' in page, page[:2000]
    assert _apply(editor, url, page).status_code == 302
    assert set(Message.objects.filter(team=team).values_list("name", flat=True)) == {
        "commentLiked", "commentChanged"}


def test_it_imports_a_zip_of_nested_folders_with_schema_files(make_team: Any, member_client: Any) -> None:
    team = make_team()
    editor = member_client(team, "editor")
    url = reverse("import_model", args=[team.slug])
    resp = editor.post(url, {"file": SimpleUploadedFile("lights.zip", _zip(NESTED)), "mode": "replace"})
    page = resp.content.decode()
    assert "Which document?" in page
    resp = editor.post(url, {"pending": _pending(page), "mode": "replace",
                             "main": "asyncapi/receive/lightingMeasured/asyncapi.yaml"})
    page = resp.content.decode()
    assert resp.status_code == 200 and 'id="import-preview"' in page, page[:2000]
    assert _apply(editor, url, page, "replace").status_code == 302
    assert set(Message.objects.filter(team=team).values_list("name", flat=True)) == {"lightMeasured"}
    measured = Message.objects.get(team=team, name="lightMeasured").versions.get().schema
    assert "lumens" in measured["properties"]  # from receive/lightingMeasured/schema.json


def test_it_refuses_a_reference_to_a_file_that_was_not_uploaded_and_changes_nothing(
        make_team: Any, member_client: Any) -> None:
    team = make_team()
    editor = member_client(team, "editor")
    url = reverse("import_model", args=[team.slug])
    main = SimpleUploadedFile("asyncapi.yaml", (SOCIAL / "backend" / "asyncapi.yaml").read_bytes())
    resp = editor.post(url, {"file": [main], "mode": "merge"})
    page = resp.content.decode()
    assert resp.status_code == 422
    assert "../common/" in page and "upload" in page and "Nothing was changed" in page
    assert not Change.objects.filter(team=team, action="import").exists()


@pytest.mark.parametrize("ref", ["https://example.com/schemas/user.json", "file:///etc/passwd",
                                 "/etc/passwd", "../../outside.yaml"])
def test_it_never_reads_a_reference_outside_the_upload(ref: str, make_team: Any, member_client: Any) -> None:
    team = make_team()
    editor = member_client(team, "editor")
    doc = ("asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nchannels:\n  c:\n    address: c\n    messages:\n"
           f"      m: {{payload: {{$ref: '{ref}'}}}}\n").encode()
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("api/asyncapi.yaml", doc)
        zf.writestr("api/other.yaml", b"type: object\n")
    resp = editor.post(reverse("import_model", args=[team.slug]),
                       {"file": SimpleUploadedFile("api.zip", zipped.getvalue()), "mode": "merge"})
    page = resp.content.decode()
    assert resp.status_code == 422, page[:2000]
    assert "Nothing was changed" in page and ("never fetched" in page or "not part of the upload" in page)
    assert not Message.objects.filter(team=team).exists()


def test_it_refuses_a_zip_bomb_and_a_broken_zip(make_team: Any, member_client: Any, settings: Any) -> None:
    team = make_team()
    editor = member_client(team, "editor")
    url = reverse("import_model", args=[team.slug])
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.yaml", b"a: '" + b"x" * (settings.DESIGNER_MAX_MODEL_BYTES + 10) + b"'\n")
    assert len(bomb.getvalue()) < 100_000  # small on the wire, over the limit unpacked
    for name, blob in (("bomb.zip", bomb.getvalue()), ("broken.zip", b"PK\x03\x04 not really a zip")):
        resp = editor.post(url, {"file": SimpleUploadedFile(name, blob), "mode": "merge"})
        assert resp.status_code == 422, (name, resp.content.decode()[:1000])
        assert "Nothing was changed" in resp.content.decode()


def test_it_imports_a_document_whose_example_does_not_match_its_schema(make_team: Any, member_client: Any) -> None:
    team = make_team()
    editor = member_client(team, "editor")
    url = reverse("import_model", args=[team.slug])
    doc = (b"asyncapi: 3.0.0\ninfo: {title: Thermostat, version: '1'}\nchannels:\n  t:\n    address: t\n"
           b"    messages:\n      TemperatureMeasured:\n        payload: {type: object, properties: {celsius: "
           b"{type: number}}}\n        examples: [{payload: {celsius: warm}}]\n")
    resp = editor.post(url, {"file": SimpleUploadedFile("thermostat.yaml", doc), "mode": "merge"})
    assert resp.status_code == 200, resp.content.decode()[:1000]
    assert _apply(editor, url, resp.content.decode()).status_code == 302
    assert Message.objects.get(team=team, name="TemperatureMeasured").versions.get().example == {"celsius": "warm"}


def test_it_shows_where_an_invalid_schema_is_and_changes_nothing(make_team: Any, member_client: Any) -> None:
    team = make_team()
    editor = member_client(team, "editor")
    doc = (b"asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nchannels:\n  t:\n    address: t\n"
           b"    messages:\n      Thing:\n        payload:\n          type: object\n          properties:\n"
           b"            n: {type: int}\n")
    resp = editor.post(reverse("import_model", args=[team.slug]),
                       {"file": SimpleUploadedFile("t.yaml", doc), "mode": "merge"})
    page = resp.content.decode()
    assert resp.status_code == 422
    assert "t.yaml: line 11, column 23:" in page and "payload.properties.n.type" in page
    assert "&quot;int&quot; is not a JSON Schema type" in page


def test_it_lets_viewers_not_upload(make_team: Any, member_client: Any) -> None:
    team = make_team()
    viewer = member_client(team, "viewer")
    resp = viewer.post(reverse("import_model", args=[team.slug]),
                       {"file": SimpleUploadedFile("social.zip", _zip(SOCIAL)), "mode": "merge"})
    assert resp.status_code == 403
    assert not Message.objects.filter(team=team).exists()
