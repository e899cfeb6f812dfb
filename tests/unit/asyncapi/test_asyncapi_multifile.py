"""Documents split over several files: the one loader reads an upload (files or a zip) and
resolves relative $refs to its files only; `lint` and `import_model` read the same files from
the disk beside the document, or from a zip."""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from designer.core.formats import FormatError, UploadError, files_from_zip, load_files

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "asyncapi_real"
SOCIAL = REAL / "asyncapi+spec@v2.6.0" / "examples" / "social-media"


def _social_files() -> dict[str, bytes]:
    return {p.relative_to(SOCIAL).as_posix(): p.read_bytes() for p in SOCIAL.rglob("*.yaml")}


def test_it_reads_the_chosen_document_with_the_files_it_refers_to() -> None:
    model = load_files(_social_files(), main="backend/asyncapi.yaml")
    assert {m.name for m in model.messages} == {"commentLiked", "likeComment", "commentChanged", "updateCommentLikes"}
    assert model.channels_by_name["comment__commentId__changed"].broker == "mqtt"  # servers from common/servers.yaml


def test_it_asks_which_document_when_an_upload_holds_several() -> None:
    with pytest.raises(UploadError, match="several AsyncAPI documents .*choose which one"):
        load_files(_social_files())


def test_it_takes_the_only_document_of_an_upload() -> None:
    files = {k: v for k, v in _social_files().items() if k.startswith(("common/", "frontend/"))}
    assert {m.name for m in load_files(files).messages} >= {"likeComment"}


def test_an_error_in_a_referenced_file_names_that_file() -> None:
    files = _social_files()
    files["common/schemas.yaml"] = b"commentId: [unclosed\n"
    with pytest.raises(FormatError) as err:
        load_files(files, main="backend/asyncapi.yaml")
    assert "common/schemas.yaml" in str(err.value) and err.value.line == 2


@pytest.mark.parametrize("name", ["../evil.yaml", "a/../../b.yaml"])
def test_a_zip_entry_that_climbs_out_is_refused(name: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(name, b"asyncapi: 3.0.0\n")
    with pytest.raises(UploadError, match="not a file name inside the upload"):
        files_from_zip(buf.getvalue())


def test_a_zip_that_unpacks_past_the_limit_is_refused_while_reading() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.yaml", b"x" * 2_000_000)
    with pytest.raises(UploadError, match="more than 1,000,000 bytes"):
        files_from_zip(buf.getvalue(), max_bytes=1_000_000)


def test_lint_reads_the_files_beside_a_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(SOCIAL, tmp_path / "social")
    call_command("lint", str(tmp_path / "social" / "backend" / "asyncapi.yaml"), "--format", "json",
                 "--fail-on", "never")
    findings = json.loads(capsys.readouterr().out)
    assert any(f["element"] == "likeComment" for f in findings)


def test_lint_reads_a_zip_and_refuses_what_import_refuses_with_the_same_words(tmp_path: Path) -> None:
    archive = tmp_path / "api.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("api/asyncapi.yaml", "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nchannels:\n  c:\n"
                                         "    address: c\n    messages:\n      m: {$ref: './m.yaml'}\n")
        zf.writestr("api/m.yaml", "name: Thing\npayload: {type: object, properties: {n: {type: int}}}\n")
    err = io.StringIO()
    with pytest.raises(SystemExit) as code:
        call_command("lint", str(archive), stdout=io.StringIO(), stderr=err)
    assert code.value.code == 2
    assert 'payload.properties.n.type: "int" is not a JSON Schema type' in err.getvalue()
