"""Jinja2 environments for the generators: one per language, templates beside the generator."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined


@cache
def environment(language_dir: str) -> Environment:
    """The (cached) environment loading ``<language_dir>/templates``.

    Autoescaping is off: templates emit code, and every piece of model text is escaped for its
    language by the generator before it reaches a template. StrictUndefined turns a typo in a
    template into an error instead of silently empty code.
    """
    return Environment(
        loader=FileSystemLoader(str(Path(language_dir) / "templates")),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(language_dir: str, template: str, **context: object) -> str:
    """Render one template of a language with ``context``."""
    return environment(language_dir).get_template(template).render(**context)
