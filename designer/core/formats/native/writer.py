"""Writing the canonical native design file for a model.

Canonical means deterministic: fixed key order, elements sorted by name, default values left
out, so that ``dump(load(dump(model))) == dump(model)`` holds for every model and a diff of two
exports shows only real changes. An element's keys are its kind's attributes
(``designer.core.kinds``), written by ``_attrs`` in their declared order.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from designer.core.kinds import CHANNEL, FLOW, MESSAGE, RELATION, SERVICE, STEP, VERSION, Kind
from designer.core.model import MESSAGE_KINDS, Envelope, Flow, Message, Model, Relation, Service

from .keys import CONSUMER_KEYS, DEFAULT_COMPAT, FORMAT_VERSION, SHORTHAND_STATUS, SHORTHAND_VERSION


def to_data(model: Model) -> dict[str, Any]:
    """The canonical plain-data form of ``model`` (what ``dump`` writes as YAML).

    Elements are sorted by name (flow steps and schema keys keep their order), fields equal to
    their default are left out, and a message with exactly one version ``1.0.0``, status draft
    and no compat mode is written with the ``schema``/``example`` shorthand. Relations are
    written under their message; a relation to a message the model does not have is dropped
    (the format cannot express it). A service that only a relation names is listed by name.
    """
    out: dict[str, Any] = {"version": FORMAT_VERSION}
    if model.name:
        out["name"] = model.name
    if model.description:
        out["description"] = model.description
    if model.envelope != Envelope():
        env: dict[str, Any] = {"profile": model.envelope.profile}
        if model.envelope.schema is not None:
            env["schema"] = model.envelope.schema
        out["envelope"] = env
    compat = {k: v for k, v in sorted(model.default_compat.items(), key=lambda kv: _kind_rank(kv[0]))
              if DEFAULT_COMPAT.get(k) != v}
    if compat:
        out["compatibility"] = compat
    lint: dict[str, Any] = {}
    if model.lint.severities:
        lint["severities"] = dict(sorted(model.lint.severities.items()))
    if model.lint.options:
        lint["options"] = {k: dict(v) for k, v in sorted(model.lint.options.items())}
    if lint:
        out["lint"] = lint
    # A service named only by a relation is written as a name-only entry: that is what `load`
    # creates for it, so the text is the same before and after a round trip.
    services = list(model.services)
    listed = {s.name for s in services}
    message_names = set(model.messages_by_name)
    for rel in model.relations:
        if rel.service not in listed and rel.message in message_names:
            listed.add(rel.service)
            services.append(Service(name=rel.service))
    if services:
        out["services"] = [element_data(SERVICE, s) for s in sorted(services, key=lambda s: s.name)]
    if model.channels:
        out["channels"] = [element_data(CHANNEL, c) for c in sorted(model.channels, key=lambda c: c.name)]
    if model.messages:
        out["messages"] = [_message_data(m, model) for m in sorted(model.messages, key=lambda m: m.name)]
    if model.flows:
        out["flows"] = [_flow_data(f) for f in sorted(model.flows, key=lambda f: f.name)]
    return out


def _kind_rank(kind: str) -> tuple[int, str]:
    return (MESSAGE_KINDS.index(kind) if kind in MESSAGE_KINDS else len(MESSAGE_KINDS), kind)


def _put(out: dict[str, Any], key: str, value: Any, default: Any = "") -> None:
    if value != default:
        out[key] = value


def _extensions(out: dict[str, Any], extensions: Mapping[str, Any]) -> dict[str, Any]:
    for key in sorted(extensions):
        out[key] = extensions[key]
    return out


def _attrs(kind: Kind, obj: Any, *, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """An element's attributes, those equal to their default left out (required ones always kept)."""
    out: dict[str, Any] = {}
    for attr in kind.attrs:
        if only is not None and attr.name not in only:
            continue
        if attr.required:  # the name, a version's number, a step's service and message
            out[attr.name] = getattr(obj, attr.name)
        else:
            _put(out, attr.name, getattr(obj, attr.name), attr.default)
    return out


def element_data(kind: Kind, obj: Any) -> dict[str, Any]:
    """One element of ``kind`` as the design file writes it (its attributes and extensions)."""
    out = _attrs(kind, obj)
    return _extensions(out, obj.extensions) if kind.extensions else out


def _message_data(m: Message, model: Model) -> dict[str, Any]:
    out = _attrs(MESSAGE, m)
    producers = [
        r.service if not r.channel else {"service": r.service, "channel": r.channel}
        for r in sorted(model.producers(m.name), key=lambda r: (r.service, r.channel))
    ]
    if producers:
        out["producers"] = producers
    consumers = [_consumer_data(r) for r in sorted(model.consumers(m.name), key=lambda r: (r.service, r.channel))]
    if consumers:
        out["consumers"] = consumers
    versions = m.versions
    if (len(versions) == 1 and versions[0].version == SHORTHAND_VERSION and versions[0].status == SHORTHAND_STATUS
            and not versions[0].compat and (versions[0].schema is not None or versions[0].example is not None)):
        if versions[0].schema is not None:
            out["schema"] = versions[0].schema
        if versions[0].example is not None:
            out["example"] = versions[0].example
    elif versions:
        out["versions"] = [_attrs(VERSION, v) for v in versions]
    return _extensions(out, m.extensions)


def _consumer_data(r: Relation) -> str | dict[str, Any]:
    out = _attrs(RELATION, r, only=CONSUMER_KEYS)
    return r.service if len(out) == 1 else out


def _flow_data(f: Flow) -> dict[str, Any]:
    out = _attrs(FLOW, f)
    if f.steps:
        out["steps"] = [_attrs(STEP, s) for s in f.steps]
    return out


try:  # libyaml's emitter writes about 5x faster; both write the same YAML for our data.
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]


class _Dumper(_BaseDumper):
    """Block style, no anchors: the canonical form spells every value out."""

    def ignore_aliases(self, data: Any) -> bool:
        """Write shared sub-structures out in full: the canonical form has no anchors."""
        return True


# YAML 1.1 line breaks besides \n. PyYAML's emitter folds them inside plain, single-quoted and
# block scalars and they do not read back the same; double quotes write them as escapes.
_ODD_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: _Dumper, data: str) -> yaml.ScalarNode:
    # Multi-line text reads best as a literal block; the emitter falls back to quotes when a
    # block cannot hold the string exactly (e.g. trailing spaces).
    style: str | None = None
    if not _ODD_BREAKS.isdisjoint(data):
        style = '"'
    elif "\n" in data:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)

# Long strings stay on one line: folding them is legal YAML but makes diffs noisy.
_NO_WRAP = 1 << 30


def dump(model: Model) -> str:
    """The canonical native document for ``model`` (deterministic; see :func:`to_data`)."""
    text: str = yaml.dump(
        to_data(model),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_NO_WRAP,
    )
    return text
