"""Jinja2 environments for the generators: one per language, templates beside the generator."""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

if TYPE_CHECKING:
    from designer.core.codegen.registry import Language


@cache
def environment(templates_dir: str) -> Environment:
    """The (cached) environment loading templates from ``templates_dir``.

    Autoescaping is off: templates emit code, and every piece of model text is escaped for its
    language by the generator before it reaches a template. StrictUndefined turns a typo in a
    template into an error instead of silently empty code.
    """
    return Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(language: Language, template: str, context: Mapping[str, Any]) -> str:
    """Render ``template`` of ``language`` with its typed ``context`` (a TypedDict)."""
    return environment(str(language.templates)).get_template(template).render(**context)
