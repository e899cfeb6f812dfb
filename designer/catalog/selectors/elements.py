"""Reads of elements of any kind, through the kind registry."""
from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404

from designer.catalog.kinds import KINDS, ElementKind
from designer.catalog.models import Team

SEARCH_CHARS = 200  # a search longer than any name is a mistake (or an attack on the query)


def element_get(team: Team, kind: ElementKind, pk: int) -> Any:
    """The team's element of ``kind`` with ``pk``; 404 for another team's or an unknown one."""
    return get_object_or_404(kind.model, pk=pk, team=team)


def element_list(team: Team, kind: ElementKind, *, q: str = "", filters: dict[str, str] | None = None) -> list[Any]:
    """The team's elements of ``kind`` for the list page: searched, filtered, annotated."""
    qs = kind.annotate(kind.model.objects.filter(team=team))
    for flt in kind.filters:
        value = (filters or {}).get(flt.attr, "")
        if value in dict(flt.options):
            qs = qs.filter(**{kind.column(flt.attr): value})
    # No stored text holds a NUL (PostgreSQL cannot store one, nor compare with one): drop it.
    q = q.replace("\x00", "").strip()[:SEARCH_CHARS]
    if q:
        match = Q()
        for column in kind.search:
            match |= Q(**{f"{column}__icontains": q})
        qs = qs.filter(match)
    return list(qs.order_by("name"))


def element_name_taken(team: Team, kind: ElementKind, name: str, *, exclude_pk: int | None = None) -> bool:
    if "\x00" in name:  # no stored name holds one (and PostgreSQL refuses to compare with it)
        return False
    qs = kind.model.objects.filter(team=team, name=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return bool(name) and qs.exists()


def element_pks(team: Team) -> dict[str, int]:
    """Element key (``services/NAME``) -> primary key, for links to the element pages."""
    out: dict[str, int] = {}
    for kind in KINDS:
        for name, pk in kind.model.objects.filter(team=team).values_list("name", "pk"):
            out[f"{kind.coll}/{name}"] = pk
    return out


def element_by_key(team: Team, key: str) -> Any:
    """The element an element key (``messages/OrderPlaced``) names, or None."""
    coll, _, name = key.partition("/")
    for kind in KINDS:
        if kind.coll == coll:
            return kind.model.objects.filter(team=team, name=name).first()
    return None


def message_versions(message: Any) -> list[Any]:
    """A message's versions, newest first."""
    return list(message.versions.order_by("-position"))


def message_version(message: Any, pk: int) -> Any:
    """One version of ``message``, or None (another message's version is None too)."""
    return message.versions.filter(pk=pk).first()


def message_relation(message: Any, pk: int) -> Any:
    """One relation of ``message``; 404 for any other."""
    return get_object_or_404(message.relations, pk=pk)
