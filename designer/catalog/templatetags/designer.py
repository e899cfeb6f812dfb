from __future__ import annotations

import json
import re
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html, urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def json_pretty(value: Any) -> str:
    """Pretty JSON for display (escaped by the template engine like any string)."""
    return json.dumps(value, indent=2, ensure_ascii=False)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def json_inline(value: Any) -> str:
    """Compact JSON on one line (``{"styles": {}}``, ``true``), not Python's repr."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


_CODE = re.compile(r"``(.+?)``")
_EMPHASIS = re.compile(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])")


@register.filter
def doc_text(value: str) -> str:
    """A rule docstring section as HTML: paragraphs re-flowed, ``code`` and *emphasis* marked up.

    Docstrings are hard-wrapped and use reStructuredText's inline markup; shown raw they read
    as ``order`` with the backticks. Everything is escaped first (urlize escapes), then only
    our own tags are added.
    """
    out = []
    for para in re.split(r"\n\s*\n", (value or "").strip()):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        if not lines:
            continue
        items = [line[2:] for line in lines if line.startswith("- ")]
        if len(items) == len(lines):
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
        else:
            out.append(f"<p>{_inline(' '.join(lines))}</p>")
    return mark_safe("".join(out))  # noqa: S308 - every piece went through urlize's escaping


@register.filter
def doc_inline(value: str) -> str:
    """One line of a rule docstring (its title) with ``code`` and *emphasis* marked up, no paragraph."""
    return mark_safe(_inline(" ".join((value or "").split())))  # noqa: S308 - urlize escaped it


def _inline(text: str) -> str:
    html = urlize(text, autoescape=True)
    html = _CODE.sub(r"<code>\1</code>", html)
    return _EMPHASIS.sub(r"<em>\1</em>", html)
@register.simple_tag
def element_cell(obj: Any, column: Any) -> str:
    """One cell of an element list: the value a ``kinds.base.Column`` names, shown its way."""
    value = getattr(obj, column.attr, "")
    if column.display == "kind":
        return format_html('<span class="kind kind-{}">{}</span>', value, value)
    if column.display == "code":
        return format_html("<code>{}</code>", value)
    if column.display == "yesno":
        return "yes" if value else "no"
    if column.display == "ref":
        return conditional_escape(value.name if value is not None else "—")
    return conditional_escape("" if value is None else value)
