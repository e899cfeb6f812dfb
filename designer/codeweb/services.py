"""Generated code for the web: previews, deterministic zips and background team bundles."""
from __future__ import annotations

import io
import threading
import zipfile
from typing import Any

from django.db import transaction

from designer import outage
from designer.catalog.models import Team
from designer.catalog.selectors import team_model
from designer.core.codegen import LANGUAGES, generate, is_executable

from .models import CodeBundle

# A fixed timestamp inside zips: the same model gives byte-identical archives.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Finished bundles kept per team; older ones are pruned when a new one is requested.
KEEP_BUNDLES = 5

_PREVIEW: dict[tuple[int, str, str, str], dict[str, str]] = {}
_LOCK = threading.Lock()


def service_files(team: Team, lang: str, service: str) -> tuple[str, dict[str, str]]:
    """The files of one service in one language for the team's current revision (cached)."""
    model = team_model(team)
    key = (team.pk, model.revision, lang, service)
    with _LOCK:
        hit = _PREVIEW.get(key)
    if hit is None:
        hit = generate(model, lang, service)
        with _LOCK:
            if len(_PREVIEW) > 64:  # a handful of teams × languages; bounded
                _PREVIEW.clear()
            _PREVIEW[key] = hit
    return model.revision, hit


def zip_files(files: dict[str, str], prefix: str = "") -> bytes:
    """A deterministic zip (sorted names, fixed timestamps) of ``files``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{prefix}{path}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if is_executable(path) else 0o644) << 16
            zf.writestr(info, files[path])
    return buf.getvalue()


def bundle_request(*, team: Team, user: Any, lang: str) -> CodeBundle:
    """Queue a team bundle (one language or "all"); the task is enqueued after commit."""
    if lang != "all" and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)} or all")
    from .tasks import build_bundle

    # A bundle is built by a worker: with the task queue unreachable, say so before writing a
    # row that would wait forever.
    outage.require_task_queue("building a code bundle")

    def enqueue() -> None:
        try:
            build_bundle.delay(bundle.pk)
        except outage.REDIS_ERRORS as exc:  # lost between the check and the commit
            CodeBundle.objects.filter(pk=bundle.pk).update(
                status="failed", error="The task queue (Redis) was unreachable; request the bundle again.")
            raise outage.ServiceUnavailable("redis", "building a code bundle") from exc

    with transaction.atomic():
        revision = Team.objects.filter(pk=team.pk).values_list("revision", flat=True).get()
        bundle = CodeBundle.objects.create(team=team, revision=revision, lang=lang, created_by=user)
        old = CodeBundle.objects.filter(team=team).exclude(pk=bundle.pk).order_by("-id")[KEEP_BUNDLES:]
        CodeBundle.objects.filter(pk__in=[b.pk for b in old]).delete()
        transaction.on_commit(enqueue)
    return bundle


def bundle_build(bundle_id: int) -> None:
    """Build a bundle, recording progress per service and language. Idempotent."""
    bundle = CodeBundle.objects.select_related("team").get(pk=bundle_id)
    if bundle.status == "ready":
        return
    model = team_model(bundle.team)
    langs = list(LANGUAGES) if bundle.lang == "all" else [bundle.lang]
    services = sorted(s.name for s in model.services)
    steps = [(lang, svc) for lang in langs for svc in services]
    CodeBundle.objects.filter(pk=bundle.pk).update(status="running", total=len(steps), done=0, error="")
    files: dict[str, str] = {}
    try:
        for i, lang in enumerate(langs):
            everything = generate(model, lang)  # one folder per service, names unique per language
            for path, text in everything.items():
                files[f"{lang}/{path}" if len(langs) > 1 else path] = text
            CodeBundle.objects.filter(pk=bundle.pk).update(done=(i + 1) * len(services))
        data = zip_files(files, prefix=f"{bundle.team.slug}-{bundle.lang}/")
    except Exception as exc:  # shown on the page; the worker stays healthy
        CodeBundle.objects.filter(pk=bundle.pk).update(status="failed", error=f"{type(exc).__name__}: {exc}"[:2000])
        return
    CodeBundle.objects.filter(pk=bundle.pk).update(status="ready", data=data, files=len(files), done=len(steps),
                                                    total=len(steps))


def highlight(path: str, text: str) -> str:
    """Syntax-highlighted HTML of one file (Pygments escapes the text)."""
    from pygments import highlight as _hl
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_for_filename
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_for_filename(path, stripnl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    return _hl(text, lexer, HtmlFormatter(cssclass="hl", linenos="table"))


def highlight_css() -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(cssclass="hl").get_style_defs(".hl")
