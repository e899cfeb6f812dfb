"""Code generation: typed messages, handlers, publishers and reliability plumbing per service.

``generate(model, lang, service=None)`` returns ``{relative path: file text}``; the output is
deterministic (byte-identical for the same model) and each file's header names the model
revision. One package per target language, registered by its ``LANGUAGE`` declaration (see
``registry``); what they share lives in ``common``.
"""
from __future__ import annotations

from functools import cache

from designer.core.codegen import common
from designer.core.codegen.registry import Language, language_from_package
from designer.core.model import Model

# The language packages (designer.core.codegen.<name>), in the order the CLI and the UI offer
# them. Adding a language: a sibling package declaring LANGUAGE, and its name here.
LANGUAGES: tuple[str, ...] = ("python", "typescript", "java", "go")
GENERATOR = "designer codegen 1"  # named in every file header; bump when the output changes


def is_executable(path: str) -> bool:
    """Should the generated file at ``path`` be executable (the ``bin/validate`` wrappers)?"""
    return path == "bin/validate" or path.endswith("/bin/validate")


class CodegenError(ValueError):
    """Unusable request: an unknown language or service."""


@cache
def language(lang: str) -> Language:
    """The registered language ``lang`` (its package imported on first use).

    Raises CodegenError for a name not in ``LANGUAGES``; LanguageContractError when its
    package does not declare a valid ``LANGUAGE``.
    """
    if lang not in LANGUAGES:
        raise CodegenError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return language_from_package(__name__, lang)


def registry() -> dict[str, Language]:
    """Every registered language by name, in ``LANGUAGES`` order (imports every generator)."""
    return {name: language(name) for name in LANGUAGES}


def generate(model: Model, lang: str, service: str | None = None) -> dict[str, str]:
    """Generate the project of ``service`` (or of every service, one folder each) in ``lang``.

    Raises CodegenError for an unknown language or service name.
    """
    gen = language(lang).generate_service
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
