"""A rule's help page, read from its module docstring (one source for code and docs).

Docstring layout (the rule module contract): first line, a one-sentence title; then
paragraphs; then sections introduced by lines starting with ``Flags:``, ``Why:``, ``Source:``
(text, possibly over several lines) and ``Fails:`` / ``Passes:`` (an indented YAML snippet: a
native-format model fragment, or a bare name). Optional ```` ``` ```` fences are tolerated.
"""
from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass

from designer.core.lint.registry import RuleInfo

TEXT_SECTIONS: tuple[str, ...] = ("Flags", "Why", "Source")
EXAMPLE_SECTIONS: tuple[str, ...] = ("Fails", "Passes")


@dataclass(frozen=True)
class RuleDoc:
    """The parts of a rule's help page."""

    title: str
    body: str
    flags: str
    why: str
    source: str
    fails: str
    passes: str

    @property
    def missing(self) -> list[str]:
        """Names of the sections that are empty (a complete page has none)."""
        parts = {"title": self.title, "body": self.body, "Flags": self.flags, "Why": self.why,
                 "Source": self.source, "Fails": self.fails, "Passes": self.passes}
        return [name for name, value in parts.items() if not value.strip()]


def _header(line: str) -> str | None:
    for name in TEXT_SECTIONS + EXAMPLE_SECTIONS:
        if line.startswith(name + ":"):
            return name
    return None


def parse_docstring(doc: str) -> RuleDoc:
    """Split a rule docstring into title, body, flags, why, source and the two examples."""
    lines = inspect.cleandoc(doc or "").splitlines()
    if not lines:
        return RuleDoc("", "", "", "", "", "", "")
    title = lines[0].strip()
    body: list[str] = []
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines[1:]:
        name = _header(line)
        if name is not None:
            current = name
            sections[name] = [line[len(name) + 1:].strip()]
            continue
        if current is None:
            body.append(line)
        elif current in EXAMPLE_SECTIONS:
            if line.strip().startswith("```"):
                continue
            if line.strip() and not line[:1].isspace():
                current = None  # an unindented line ends the example
                body.append(line)
                continue
            sections[current].append(line)
        else:
            if not line.strip():
                current = None  # a blank line ends a text section
                continue
            sections[current].append(line.strip())

    def text(name: str) -> str:
        return " ".join(part for part in sections.get(name, []) if part).strip()

    def example(name: str) -> str:
        parts = sections.get(name, [])
        head = parts[0] if parts else ""
        block = textwrap.dedent("\n".join(parts[1:])).strip("\n")
        return (head + "\n" + block).strip() if head and block else (head or block).strip()

    return RuleDoc(
        title=title,
        body="\n".join(body).strip(),
        flags=text("Flags"), why=text("Why"), source=text("Source"),
        fails=example("Fails"), passes=example("Passes"),
    )


def rule_doc(rule: RuleInfo) -> RuleDoc:
    """The help page of a registered rule."""
    return parse_docstring(rule.doc)


def is_model_fragment(example: str) -> bool:
    """True when an example is a YAML document (a model fragment), not just a name."""
    return "\n" in example.strip() or ":" in example
