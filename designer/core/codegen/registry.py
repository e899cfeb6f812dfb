"""The one place code generation languages are registered: one package per language.

A language package (``designer.core.codegen.<name>``) follows a fixed contract, as lint rule
modules do (``designer.core.lint.registry``): it declares ``LANGUAGE = Language(...)`` naming its
``generate_service``, its ``templates`` directory and its naming policy. ``LANGUAGE_PACKAGES`` in
``designer.core.codegen`` lists the packages in the order the CLI and the UI offer them; a
package is imported only when its language is used, so listing the names stays cheap (the CLI's
``--help`` imports no generator and no Jinja2). A package that breaks the contract fails loudly
on first use, naming the package and what is wrong.

Each template is rendered with a typed context (a ``TypedDict`` declared next to the generator,
named after what it renders): ``render(LANGUAGE, "messages.py.j2", ctx)``.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from designer.core.codegen.common import ServiceShape

# common.Scope styles, plus "wire": the name as it is on the wire (quoted where it must be).
STYLES: tuple[str, ...] = ("snake", "camel", "pascal", "gopascal", "kebab", "screaming", "lowerjoin", "wire")


class LanguageContractError(ImportError):
    """A language package does not follow the language package contract."""


@dataclass(frozen=True)
class Naming:
    """How a language spells identifiers: the ``common.Scope`` style per kind of name."""

    types: str  # message and schema types (classes, interfaces, structs)
    fields: str  # a type's fields / properties / record components
    packages: str  # the service's package, module or project folder
    keywords: frozenset[str]  # never used as an identifier (a suffix "_" is added)

    def __post_init__(self) -> None:
        for kind in ("types", "fields", "packages"):
            if getattr(self, kind) not in STYLES:
                raise ValueError(f"naming style {getattr(self, kind)!r} for {kind} is not one of {', '.join(STYLES)}")


@dataclass(frozen=True)
class Language:
    """What ``generate()`` needs to know about one target language."""

    name: str  # the --lang value; equals the package name
    title: str  # shown to people: "Python 3.11 (pydantic v2)"
    generate_service: Callable[[ServiceShape], dict[str, str]] = field(compare=False)
    templates: Path  # the Jinja2 templates directory (usually <package>/templates)
    naming: Naming


def _fail(package: str, reason: str) -> LanguageContractError:
    return LanguageContractError(f"codegen language package {package}: {reason}")


def language_from_package(package_name: str, name: str) -> Language:
    """Import ``<package_name>.<name>`` and validate its ``LANGUAGE`` declaration."""
    module_name = f"{package_name}.{name}"
    module = importlib.import_module(module_name)
    lang = getattr(module, "LANGUAGE", None)
    if not isinstance(lang, Language):
        raise _fail(module_name, "missing LANGUAGE = Language(...)")
    if lang.name != name:
        raise _fail(module_name, f"LANGUAGE.name {lang.name!r} does not match the package name {name!r}")
    if not callable(lang.generate_service):
        raise _fail(module_name, "generate_service is not callable")
    if not lang.templates.is_dir():
        raise _fail(module_name, f"templates directory {lang.templates} does not exist")
    return lang
