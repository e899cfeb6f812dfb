"""Code generation: typed messages, handlers, publishers and reliability plumbing per service.

``generate(model, lang, service=None)`` returns ``{relative path: file text}``; the output is
deterministic (byte-identical for the same model) and each file's header names the model
revision. One package per target language; what they share lives in ``common``.
"""
from __future__ import annotations

from collections.abc import Callable

from designer.core.codegen import common
from designer.core.model import Model

LANGUAGES: tuple[str, ...] = ("python", "typescript", "java", "go")
GENERATOR = "designer codegen 1"  # named in every file header; bump when the output changes


def is_executable(path: str) -> bool:
    """Should the generated file at ``path`` be executable (the ``bin/validate`` wrappers)?"""
    return path == "bin/validate" or path.endswith("/bin/validate")


class CodegenError(ValueError):
    """Unusable request: an unknown language or service."""


def _generator(lang: str) -> Callable[[common.ServiceShape], dict[str, str]]:
    if lang == "python":
        from designer.core.codegen.python import generate_service as py
        return py
    if lang == "typescript":
        from designer.core.codegen.typescript import generate_service as ts
        return ts
    if lang == "java":
        from designer.core.codegen.java import generate_service as java
        return java
    if lang == "go":
        from designer.core.codegen.go import generate_service as go
        return go
    raise CodegenError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")


def generate(model: Model, lang: str, service: str | None = None) -> dict[str, str]:
    """Generate the project of ``service`` (or of every service, one folder each) in ``lang``.

    Raises CodegenError for an unknown language or service name.
    """
    gen = _generator(lang)
    if service is not None:
        svc = model.services_by_name.get(service)
        if svc is None:
            known = ", ".join(sorted(model.services_by_name)) or "none"
            raise CodegenError(f"unknown service {service!r}; the model has: {known}")
        return dict(sorted(gen(common.shape_service(model, svc, {})).items()))
    cache: dict[str, common.MessageShape] = {}
    # Folder names are unique even when case is folded (macOS and Windows file systems).
    folders = common.Scope("kebab", fold_case=True)
    out: dict[str, str] = {}
    for svc in sorted(model.services, key=lambda s: s.name):
        folder = folders.name(svc.name)
        for path, text in gen(common.shape_service(model, svc, cache)).items():
            out[f"{folder}/{path}"] = text
    return dict(sorted(out.items()))
