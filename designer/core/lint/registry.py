"""The one place rules are registered: every module of ``designer.core.lint.rules``.

A rule module follows a fixed contract (see ``RuleInfo``): ``ID``, ``DEFAULT_SEVERITY``,
``CATEGORY``, optional ``OPTIONS``, ``SCOPE`` and ``DEPENDS``, a docstring that is its help page,
and ``check(model, options)`` yielding findings. Dropping a module into the folder registers it;
a module that breaks the contract fails loudly at import, naming the module and what is wrong,
because a silently skipped rule is a check the team believes they have and do not.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from designer.core.lint.finding import Finding
from designer.core.model import SEVERITIES, Model

CATEGORIES: tuple[str, ...] = (
    "naming", "envelope", "payload", "topology", "evolution", "reliability", "security",
)
SCOPES: tuple[str, ...] = ("element", "model")
READS: tuple[str, ...] = ("everything", "topology")
RULES_PACKAGE = "designer.core.lint.rules"

CheckFunction = Callable[[Model, Mapping[str, Any]], Iterable[Finding]]


class RuleContractError(ImportError):
    """A module in the rules package does not follow the rule module contract."""


@dataclass(frozen=True)
class RuleInfo:
    """What the engine, the UI and SARIF need to know about one rule."""

    id: str
    title: str  # the docstring's first line: a one-sentence summary
    default_severity: str
    category: str
    check: CheckFunction = field(compare=False)
    options: Mapping[str, Any] = field(default_factory=dict)
    # "element": a finding about an element depends only on that element and its neighbours
    # (its relations, channels, services, flows); "model": needs every message.
    scope: str = "element"
    depends: tuple[str, ...] = ()
    # "topology": the rule reads only names, kinds, wire types and channels of messages, plus
    # services, channels, relations and flows, never schemas, examples or descriptions; a
    # re-lint whose change leaves that projection alone reuses its findings. "everything" else.
    reads: str = "everything"
    module: str = ""
    doc: str = ""

    @property
    def needs_whole_model(self) -> bool:
        """True when the rule must be re-run on every message whenever anything changes."""
        return self.scope == "model" or "messages" in self.depends


def _fail(module: str, reason: str) -> RuleContractError:
    return RuleContractError(f"lint rule module {module}: {reason}")


def rule_from_module(module: ModuleType) -> RuleInfo:
    """Validate one rule module against the contract and describe it as a ``RuleInfo``."""
    name = module.__name__
    short = name.rsplit(".", 1)[-1]
    rule_id = getattr(module, "ID", None)
    if not isinstance(rule_id, str) or not rule_id:
        raise _fail(name, "missing ID: str")
    if rule_id.replace("-", "_") != short:
        raise _fail(name, f"ID {rule_id!r} does not match the module name {short!r}")
    severity = getattr(module, "DEFAULT_SEVERITY", None)
    if severity not in SEVERITIES:
        raise _fail(name, f"DEFAULT_SEVERITY {severity!r} is not one of {', '.join(SEVERITIES)}")
    category = getattr(module, "CATEGORY", None)
    if category not in CATEGORIES:
        raise _fail(name, f"CATEGORY {category!r} is not one of {', '.join(CATEGORIES)}")
    check = getattr(module, "check", None)
    if not callable(check):
        raise _fail(name, "missing check(model, options)")
    options = getattr(module, "OPTIONS", {})
    if not isinstance(options, Mapping):
        raise _fail(name, "OPTIONS must be a dict of option defaults")
    scope = getattr(module, "SCOPE", "element")
    if scope not in SCOPES:
        raise _fail(name, f"SCOPE {scope!r} is not one of {', '.join(SCOPES)}")
    reads = getattr(module, "READS", "everything")
    if reads not in READS:
        raise _fail(name, f"READS {reads!r} is not one of {', '.join(READS)}")
    depends_raw = getattr(module, "DEPENDS", ())
    if isinstance(depends_raw, str):
        depends_raw = (depends_raw,)
    try:
        # Accept "model.messages", "message" and "messages" alike: the contract leaves the
        # spelling open and a typo here must not make the incremental linter unsafe.
        depends = tuple(_normalise_depends(str(d)) for d in depends_raw)
    except TypeError as exc:
        raise _fail(name, "DEPENDS must be a tuple of strings") from exc
    doc = (module.__doc__ or "").strip()
    if not doc:
        raise _fail(name, "missing module docstring (it is the rule's help page)")
    title = doc.splitlines()[0].strip()
    return RuleInfo(
        id=rule_id, title=title, default_severity=severity, category=category, check=check,
        options=dict(options), scope=scope, depends=depends, module=name, doc=doc, reads=reads,
    )


def _normalise_depends(value: str) -> str:
    value = value.strip().lower().removeprefix("model.")
    if value in ("message", "messages", "messages_by_name", "model", "all", "*"):
        return "messages"
    return value


def _iter_rule_modules(package_name: str) -> Iterator[ModuleType]:
    package = importlib.import_module(package_name)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.ispkg:
            continue  # private helpers shared by rules are not rules
        yield importlib.import_module(f"{package_name}.{info.name}")


def discover(package_name: str = RULES_PACKAGE) -> dict[str, RuleInfo]:
    """Import every rule module of the package and return them keyed and sorted by id."""
    found: dict[str, RuleInfo] = {}
    for module in _iter_rule_modules(package_name):
        info = rule_from_module(module)
        if info.id in found:
            raise _fail(module.__name__, f"duplicate rule id {info.id!r}")
        found[info.id] = info
    return dict(sorted(found.items()))


RULES: dict[str, RuleInfo] = discover()
