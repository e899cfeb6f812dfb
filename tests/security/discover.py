"""Find every page, form, field and API of the running app, so hostile-input tests cannot go stale.

URLs come from the URL conf (every route, filled with rows of a real team); forms and their
fields come from the HTML those pages render (``<form>`` and htmx ``hx-post``/``hx-get``
elements with their ``hx-vals``), so a new form or field is covered the day it ships. A route
with a parameter this module does not know how to fill fails the test that uses it, rather
than being skipped.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver

_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
COLLECTIONS = ("services", "messages", "channels", "flows")


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "t/<slug:slug>/messages/<int:pk>/versions/"
    name: str

    @property
    def params(self) -> list[str]:
        return [m["name"] for m in _PARAM.finditer(self.template)]

    @property
    def is_api(self) -> bool:
        return self.template.startswith("api/")


def routes() -> list[Route]:
    """Every route of the URL conf (nested includes flattened), admin excluded."""
    out: list[Route] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                out.append(Route(prefix + str(p.pattern), p.name or ""))

    walk(get_resolver().url_patterns, "")
    return [r for r in out if not r.template.startswith("admin/")]


def fill(route: Route, values: dict[str, Any]) -> list[str]:
    """Concrete paths for ``route`` with the team's rows in ``values``; raises KeyError when unknown.

    ``values`` maps a parameter name, or ``<segment before it>.<name>`` for names whose meaning
    depends on the path (``messages.pk``, ``flows.pk``), to one value or a list of values. After a
    ``<coll>`` segment, ``<collection>.pk`` of the chosen collection is used.
    """
    paths = ["/" + route.template]
    for m in list(_PARAM.finditer(route.template)):
        name = m["name"]
        before = route.template[: m.start()].rstrip("/").rsplit("/", 1)[-1]
        filled = []
        for path in paths:
            seg = before
            if before.startswith("<") and "coll" in before:  # <str:coll>/<int:pk>: the chosen collection
                seg = next((c for c in COLLECTIONS if f"/{c}/" in path), before)
            key = f"{seg}.{name}" if f"{seg}.{name}" in values else name
            if key not in values:
                raise KeyError(f"no value for <{name}> in the route {route.template!r}: teach tests/security/discover.py")
            choices = values[key] if isinstance(values[key], list) else [values[key]]
            filled += [path.replace(m.group(0), str(c), 1) for c in choices]
        paths = filled
    return paths


@dataclass
class FormSpec:
    """A form a page offers: where it posts, how, and its fields (name -> kind, choices)."""

    action: str
    method: str
    fields: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    enctype: str = ""
    source: str = ""  # the page it was found on

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        # Element ids vary across pages; the shape of the action does not.
        return (self.method, re.sub(r"/\d+/", "/N/", urlsplit(self.action).path), tuple(sorted(self.fields)))


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[FormSpec] = []
        self.stack: list[FormSpec] = []
        self.select: tuple[str, list[str]] | None = None
        self.htmx: list[tuple[FormSpec | None, str, str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        current = self.stack[-1] if self.stack else None
        if tag == "form":
            spec = FormSpec(urljoin(self.page, attrs.get("action") or self.page), (attrs.get("method") or "get").lower(),
                            enctype=attrs.get("enctype", ""), source=self.page)
            self.stack.append(spec)
            self.forms.append(spec)
            current = spec
        for verb in ("post", "get"):
            url = attrs.get(f"hx-{verb}")
            if url and tag != "form":
                vals = {}
                try:
                    vals = json.loads(attrs.get("hx-vals") or "{}")
                except ValueError:
                    pass
                self.htmx.append((current, verb, urljoin(self.page, url), {str(k): str(v) for k, v in vals.items()}))
        if current is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            current.fields.setdefault(name, (kind, (attrs.get("value", ""),) if kind in ("hidden", "checkbox", "radio") else ()))
        elif tag == "textarea" and name:
            current.fields[name] = ("textarea", ())
        elif tag == "select" and name:
            self.select = (name, [])
        elif tag == "option" and self.select is not None:
            self.select[1].append(attrs.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select is not None and self.stack:
            name, options = self.select
            self.stack[-1].fields[name] = ("select", tuple(options))
            self.select = None
        elif tag == "form" and self.stack:
            self.stack.pop()


def forms_in(html: str, page: str) -> list[FormSpec]:
    """The forms of a page, plus one per htmx request element (its form's fields and hx-vals)."""
    parser = _FormParser(page)
    parser.feed(html)
    out = list(parser.forms)
    for form, verb, url, vals in parser.htmx:
        fields = dict(form.fields) if form is not None else {}
        for k, v in vals.items():
            fields[k] = ("hidden", (v,))
        out.append(FormSpec(url, verb, fields, source=page))
    return [f for f in out if urlsplit(f.action).netloc in ("", "testserver")]
