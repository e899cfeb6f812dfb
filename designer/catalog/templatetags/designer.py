from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html

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
