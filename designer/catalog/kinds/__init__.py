"""The element-kind registry: one declaration per kind, read by every layer of the web app.

Each kind module (``service``, ``channel``, ``message``, ``flow``) declares one
:class:`~.base.ElementKind` named ``KIND``: its core declaration (``designer.core.kinds``,
read from the core dataclass), its Django model, how its attributes are stored, edited and
shown, its list columns, its page's template, and the few methods where it behaves unlike the
others. Views, services, selectors, the import and the history look kinds up here rather than
testing kind names. To add a kind, copy the module of the kind nearest to it and add it to
``KINDS`` below (see docs/ARCHITECTURE.md).
"""
from __future__ import annotations

from typing import Any

from django.http import Http404

from . import channel, flow, message, service
from .base import ElementKind, Refs, Spec

# In the order writes follow (what others name first): see ``designer.core.kinds.ELEMENT_KINDS``.
KINDS: tuple[ElementKind, ...] = (service.KIND, channel.KIND, message.KIND, flow.KIND)
_BY_KEY = {k.key: k for k in KINDS}
_BY_COLL = {k.coll: k for k in KINDS}
_BY_MODEL: dict[str, ElementKind] = {k.model_name: k for k in KINDS}

__all__ = ["KINDS", "ElementKind", "Refs", "Spec", "by_coll", "by_key", "of"]


def by_key(key: str) -> ElementKind:
    """The kind with history key ``key`` (``"service"``); KeyError for others."""
    return _BY_KEY[key]


def by_coll(coll: str) -> ElementKind:
    """The kind of URL segment ``coll`` (``"services"``); 404 for anything else."""
    kind = _BY_COLL.get(coll)
    if kind is None:
        raise Http404("No such page.")
    return kind


def of(obj: Any) -> ElementKind:
    """The kind of a model row."""
    return _BY_MODEL[type(obj).__name__]
