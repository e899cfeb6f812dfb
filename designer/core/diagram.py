"""Model -> graphviz DOT text: the whole team, one flow, or one element's neighbourhood.

Pure: takes a ``Model`` snapshot and ``DiagramOptions`` and returns DOT source. Running graphviz
(and cleaning its SVG) is ``designer.catalog.render``'s job.

What is drawn:
- services (rounded boxes), messages with shape and colour by kind (event: orange ellipse,
  command: blue arrow, query: green hexagon), channels (optional, purple cylinders);
- edges ``producer -> message -> consumer`` labelled with active-voice sentences
  ("order-service sends OrderPlaced", "shipping-service receives OrderPlaced"); with channels
  shown the consumer side goes through the channel (``message -on <channel>-> channel ->
  consumer``);
- in a flow, step numbers on the edges, and an orchestrator drawn with a double border;
- lint findings: a node's border takes its worst severity's colour and a count badge (a table
  cell linking to the findings) is added to its label.

Every node and edge carries a stable ``id`` derived from the model (``svc-<slug>-<hash8>``,
``msg-...``, ``ch-...``; edges ``edge-<from id>-<to id>``) so later code can find them in the
SVG, e.g. to draw live traffic. The DOT node names *are* those ids, so no user text is ever
a DOT identifier; user text only appears inside quoted strings or HTML-like labels, escaped
by ``dot_string`` / ``html_text``. Output is deterministic: nodes, edges and clusters are
emitted in sorted order.

Plain string building rather than the ``graphviz`` package: it is several times faster for
large graphs and keeps the escaping rules in one visible place.
"""
from __future__ import annotations

import difflib
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol
from urllib.parse import quote

from designer.core.model import Model

SCOPES: tuple[str, ...] = ("team", "flow", "focus")
DIRECTIONS: tuple[str, ...] = ("LR", "TB")
CLUSTERS: tuple[str, ...] = ("none", "owner", "channel")

# Graphviz's own font stack; a generic family keeps PNG output readable on hosts without Helvetica.
FONT = "Helvetica,Arial,sans-serif"
SEVERITY_COLOURS: dict[str, str] = {
    "error": "#c62828",
    "warning": "#ef6c00",
    "info": "#1565c0",
    "hint": "#616161",
}
SEVERITY_ORDER: tuple[str, ...] = ("error", "warning", "info", "hint")
# (shape, fill colour) per message kind; unknown kinds are drawn as events.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "event": ("ellipse", "#ffe0b2"),
    "command": ("cds", "#bbdefb"),
    "query": ("hexagon", "#c8e6c9"),
}
SERVICE_STYLE = ("box", "#eceff1")
CHANNEL_STYLE = ("cylinder", "#e1bee7")
# Slugs only make ids readable; the hash makes them unique. 32 chars keeps ids short in the SVG.
SLUG_MAX = 32
# Names longer than this are cut in labels (the tooltip and page have the full text): one huge
# name would otherwise stretch a whole rank.
LABEL_MAX = 80
# Tooltips past this are unreadable in a browser and bloat the SVG of a 1,000-node team.
TOOLTIP_MAX = 400
# Sentences written on one edge; more are summarised ("and 3 more") and listed in its tooltip.
EDGE_LINES = 3
DEFAULT_LINK = "{collection}/{name}"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_SLUG = re.compile(r"[^a-z0-9]+")

LinkBase = str | Callable[[str], str]
# (worst severity, count, link to the findings)
FindingBadge = tuple[str, int, str]


class DiagramError(ValueError):
    """Unusable diagram options: unknown flow or focus element, bad scope, direction, hops."""


@dataclass(frozen=True)
class DiagramOptions:
    """What to draw and how.

    ``focus`` is an element key (``services/<name>``, ``messages/<name>`` or
    ``channels/<name>``); ``hops`` counts steps over the service<->message graph from it.
    ``findings`` maps element keys to ``(worst severity, count, link)``. ``link_base`` is a
    callable from element key to URL, or a pattern with ``{key}``, ``{collection}`` and
    ``{name}`` (URL-quoted). ``traffic`` maps edge ids to an extra edge label (live counts).
    """

    scope: str = "team"
    flow: str = ""
    focus: str = ""
    hops: int = 1
    direction: str = "LR"
    show_channels: bool = False
    show_queries: bool = True
    cluster: str = "none"
    findings: Mapping[str, FindingBadge] = field(default_factory=dict)
    link_base: LinkBase = DEFAULT_LINK
    traffic: Mapping[str, str] = field(default_factory=dict)


class _HasSeverity(Protocol):
    @property
    def key(self) -> str: ...  # pragma: no cover - protocol

    @property
    def severity(self) -> str: ...  # pragma: no cover - protocol


# ---- escaping ---------------------------------------------------------------------------------
def _clean(text: str, limit: int) -> str:
    """Drop characters XML cannot carry (graphviz would write an SVG no parser accepts)."""
    if "\r" in text or "\t" in text:
        text = text.replace("\r\n", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def dot_string(text: str, limit: int = 10_000) -> str:
    """``text`` as a double-quoted DOT string that renders literally.

    Backslashes are doubled first (graphviz expands ``\\N``, ``\\G``, ``\\l`` in labels, URLs
    and tooltips), then quotes escaped; newlines become graphviz's ``\\n`` line break.
    Nothing inside can end the string, so ``"]; evil [`` stays text.
    """
    text = _clean(text, limit)
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def html_text(text: str, limit: int = 10_000) -> str:
    """``text`` for the content of a graphviz HTML-like label (a table cell).

    Graphviz applies its backslash escapes there too, so backslashes are doubled before the
    XML escaping of ``& < > " '``; newlines become ``<BR/>``.
    """
    text = _clean(text, limit).replace("\\", "\\\\")
    return html.escape(text, quote=True).replace("\n", "<BR/>")


def html_attr(text: str, limit: int = 10_000) -> str:
    """``text`` for an attribute value in a graphviz HTML-like label (``HREF``, ``TOOLTIP``).

    Like ``html_text`` but a newline becomes the character reference ``&#10;``: ``<BR/>`` is
    markup and would make the label ill-formed inside an attribute.
    """
    text = _clean(text, limit).replace("\\", "\\\\")
    return html.escape(text, quote=True).replace("\n", "&#10;")


# RFC 3986 unreserved and reserved characters minus the apostrophe: everything else (spaces,
# quotes, < >, backslashes, non-ASCII) is percent-encoded, because graphviz 2.43 copies URLs
# into the SVG without XML-escaping them.
_URL_SAFE = "-._~:/?#[]@!$&()*+,;=%"


def safe_url(url: str) -> str:
    """``url`` with every character that is not plain URL syntax percent-encoded.

    Already-encoded sequences and ``&`` are kept (``&`` separates query parameters); graphviz
    leaves ``&`` bare in the SVG, which ``sanitize_svg`` repairs.
    """
    return quote(_clean(url, 4_000), safe=_URL_SAFE)


# ---- ids and keys -----------------------------------------------------------------------------
_PREFIX = {"services": "svc", "messages": "msg", "channels": "ch"}


def element_key(collection: str, name: str) -> str:
    """The fully qualified key of an element, e.g. ``messages/OrderPlaced``."""
    return f"{collection}/{name}"


# Every edge asks for the ids of both its ends; caching keeps a 1,000-node build near 10 ms.
@lru_cache(maxsize=65_536)
def node_id(key: str) -> str:
    """The stable DOT/SVG id of an element: ``svc-<slug>-<hash8>`` (``msg-``, ``ch-``).

    The slug is for humans reading the SVG; the hash of the full key keeps ids distinct for
    names that slug alike (``Order Service`` and ``order-service``).
    """
    collection, _, name = key.partition("/")
    prefix = _PREFIX.get(collection, "el")
    slug = _SLUG.sub("-", name.lower()).strip("-")[:SLUG_MAX].strip("-") or "x"
    digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{prefix}-{slug}-{digest}"


def edge_id(from_id: str, to_id: str) -> str:
    """The stable id of the edge between two nodes: ``edge-<from id>-<to id>``."""
    return f"edge-{from_id}-{to_id}"


def element_url(key: str, link_base: LinkBase = DEFAULT_LINK) -> str:
    """The URL of an element's page from a callable or a ``{key}/{collection}/{name}`` pattern."""
    if callable(link_base):
        return link_base(key)
    collection, _, name = key.partition("/")
    return link_base.format(
        key=quote(key, safe="/"), collection=quote(collection, safe=""), name=quote(name, safe="")
    )


def findings_badges(
    findings: Iterable[_HasSeverity], link: LinkBase = "{collection}/{name}#findings"
) -> dict[str, FindingBadge]:
    """Summarise findings per element key as ``(worst severity, count, link)`` for badges.

    ``findings`` are objects with ``key`` and ``severity`` (lint ``Finding``s); ``link`` builds
    the URL of an element's findings like ``element_url`` does.
    """
    worst: dict[str, str] = {}
    counts: dict[str, int] = {}
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    for f in findings:
        key = f.key
        counts[key] = counts.get(key, 0) + 1
        prev = worst.get(key)
        if prev is None or rank.get(f.severity, 9) < rank.get(prev, 9):
            worst[key] = f.severity
    return {k: (worst[k], counts[k], element_url(k, link)) for k in sorted(counts)}


# ---- focus by name ----------------------------------------------------------------------------
_FOCUS_COLLECTIONS: tuple[str, ...] = ("services", "messages", "channels")


def focus_choices(model: Model) -> list[tuple[str, str, str]]:
    """``(key, name, kind)`` of every element a diagram can focus on, sorted by name.

    ``kind`` is what a picker shows beside the name: ``service``, ``channel`` or the message's
    kind (``event``, ``command``, ``query``).
    """
    out = [(element_key("services", s.name), s.name, "service") for s in model.services]
    out += [(element_key("messages", m.name), m.name, m.kind) for m in model.messages]
    out += [(element_key("channels", c.name), c.name, "channel") for c in model.channels]
    return sorted(out, key=lambda c: (c[1].lower(), c[0]))


def resolve_focus(model: Model, text: str) -> str:
    """The element key for what a user typed: ``services/NAME`` or just ``NAME``.

    A bare name is looked up among services, messages and channels (exactly, then ignoring
    case); a name two kinds share must be qualified. Raises ``DiagramError`` saying which
    names come close when nothing matches.
    """
    text = text.strip()
    collection, sep, rest = text.partition("/")
    choices = focus_choices(model)
    keys = {key for key, _, _ in choices}
    if sep and collection in _FOCUS_COLLECTIONS and (text in keys or rest):
        # Qualified: existence is checked by build_dot (relations may name undeclared ones).
        return text
    exact = [key for key, name, _ in choices if name == text]
    if not exact:
        exact = [key for key, name, _ in choices if name.lower() == text.lower()]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise DiagramError(f"{text!r} names more than one element: choose one of {', '.join(sorted(exact))}")
    close = difflib.get_close_matches(text, sorted({name for _, name, _ in choices}), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise DiagramError(f"nothing named {text!r} in the model{hint}")


# ---- selection --------------------------------------------------------------------------------
@dataclass
class _Link:
    """One service-message relation to draw, with the flow steps it belongs to."""

    service: str
    message: str
    role: str  # produces | consumes
    channel: str
    steps: list[int] = field(default_factory=list)


def _validate(model: Model, o: DiagramOptions) -> None:
    if o.scope not in SCOPES:
        raise DiagramError(f"scope {o.scope!r} is not one of {', '.join(SCOPES)}")
    if o.direction not in DIRECTIONS:
        raise DiagramError(f"direction {o.direction!r} is not one of {', '.join(DIRECTIONS)}")
    if o.cluster not in CLUSTERS:
        raise DiagramError(f"cluster {o.cluster!r} is not one of {', '.join(CLUSTERS)}")
    if o.scope == "flow" and not any(f.name == o.flow for f in model.flows):
        known = ", ".join(sorted(f.name for f in model.flows)) or "none"
        raise DiagramError(f"no flow named {o.flow!r} in the model (flows: {known})")
    if o.scope == "focus":
        if isinstance(o.hops, bool) or not isinstance(o.hops, int) or o.hops < 0:
            raise DiagramError(f"hops must be a whole number >= 0, not {o.hops!r}")
        collection, _, name = o.focus.partition("/")
        exists: dict[str, Mapping[str, object]] = {
            "services": model.services_by_name,
            "messages": model.messages_by_name,
            "channels": model.channels_by_name,
        }
        if collection not in exists:
            raise DiagramError(
                f"focus {o.focus!r} must be services/<name>, messages/<name> or channels/<name>"
            )
        known_names = set(exists[collection])
        if collection == "services":
            known_names |= {r.service for r in model.relations}
        elif collection == "messages":
            known_names |= {r.message for r in model.relations}
        if name not in known_names:
            raise DiagramError(f"focus element {o.focus!r} is not in the model")


def _channel_name(model: Model, message: str, explicit: str = "") -> str:
    """The relation's own channel, else its message's default channel ("" for none)."""
    if explicit:
        return explicit
    msg = model.messages_by_name.get(message)
    return msg.channel if msg else ""


def _is_hidden(model: Model, o: DiagramOptions, message: str) -> bool:
    if o.show_queries:
        return False
    msg = model.messages_by_name.get(message)
    return msg is not None and msg.kind == "query"


def _select(model: Model, o: DiagramOptions) -> tuple[list[str], list[str], list[_Link], set[str]]:
    """(services, messages, links, extra channels) to draw for the chosen scope."""
    relations = [r for r in model.relations if not _is_hidden(model, o, r.message)]
    services: set[str] = set()
    messages: set[str] = set()
    extra_channels: set[str] = set()
    links: dict[tuple[str, str, str], _Link] = {}

    if o.scope == "flow":
        flow = next(f for f in model.flows if f.name == o.flow)
        declared = {(r.service, r.message, r.role): r.channel for r in model.relations}
        for number, step in enumerate(flow.steps, start=1):
            if _is_hidden(model, o, step.message):
                continue
            role = "produces" if step.action == "sends" else "consumes"
            k = (step.service, step.message, role)
            if k not in links:
                ch = _channel_name(model, step.message, declared.get(k, ""))
                links[k] = _Link(step.service, step.message, role, ch)
            links[k].steps.append(number)
        if flow.orchestrator:
            services.add(flow.orchestrator)
    else:
        for r in relations:
            k = (r.service, r.message, r.role)
            if k not in links:
                links[k] = _Link(r.service, r.message, r.role,
                                 _channel_name(model, r.message, r.channel))
        if o.scope == "team":
            services.update(s.name for s in model.services)
            messages.update(m.name for m in model.messages if not _is_hidden(model, o, m.name))
            if o.show_channels:
                extra_channels.update(c.name for c in model.channels)
        else:
            keep_s, keep_m = _neighbourhood(model, o, list(links.values()))
            links = {k: v for k, v in links.items() if v.service in keep_s and v.message in keep_m}
            services.update(keep_s)
            messages.update(keep_m)
            collection, _, name = o.focus.partition("/")
            if collection == "channels" and o.show_channels:
                extra_channels.add(name)

    for link in links.values():
        services.add(link.service)
        messages.add(link.message)
    return sorted(services), sorted(messages), sorted(links.values(), key=_link_key), extra_channels


def _link_key(link: _Link) -> tuple[str, str, str]:
    return (link.service, link.message, link.role)


def _neighbourhood(model: Model, o: DiagramOptions, links: list[_Link]) -> tuple[set[str], set[str]]:
    """Services and messages within ``o.hops`` steps of the focus element (breadth first)."""
    by_service: dict[str, set[str]] = {}
    by_message: dict[str, set[str]] = {}
    for link in links:
        by_service.setdefault(link.service, set()).add(link.message)
        by_message.setdefault(link.message, set()).add(link.service)
    collection, _, name = o.focus.partition("/")
    seen_s: set[str] = set()
    seen_m: set[str] = set()
    frontier_s: set[str] = set()
    frontier_m: set[str] = set()
    hops = o.hops
    if collection == "services":
        frontier_s = {name}
    elif collection == "messages":
        if not _is_hidden(model, o, name):
            frontier_m = {name}
    else:  # a channel: its messages are the first hop
        frontier_m = {
            link.message for link in links if link.channel == name
        } | {m.name for m in model.messages if m.channel == name and not _is_hidden(model, o, m.name)}
        if hops == 0:
            frontier_m = set()
        hops -= 1 if hops > 0 else 0
    seen_s |= frontier_s
    seen_m |= frontier_m
    for _ in range(hops):
        next_m = {m for s in frontier_s for m in by_service.get(s, ())} - seen_m
        next_s = {s for m in frontier_m for s in by_message.get(m, ())} - seen_s
        seen_m |= next_m
        seen_s |= next_s
        frontier_s, frontier_m = next_s, next_m
        if not frontier_s and not frontier_m:
            break
    return seen_s, seen_m


# ---- emission ---------------------------------------------------------------------------------
@dataclass
class _Node:
    key: str
    label: str  # plain text; may contain newlines
    tooltip: str
    shape: str
    fill: str
    owner: str
    group: str  # the channel cluster it belongs to ("" for none)
    extra: str = ""  # extra DOT attributes, already safe


def _node_dot(n: _Node, o: DiagramOptions) -> str:
    nid = node_id(n.key)
    url = safe_url(element_url(n.key, o.link_base))
    tooltip = n.tooltip or n.label
    badge = o.findings.get(n.key)
    attrs = [f'id="{nid}"', f"shape={n.shape}", f'fillcolor="{n.fill}"']
    if badge is None:
        attrs.append("label=" + dot_string(n.label, LABEL_MAX * 2))
        attrs.append("URL=" + dot_string(url))
        attrs.append("tooltip=" + dot_string(tooltip, TOOLTIP_MAX))
    else:
        # The node's own URL would wrap the badge's link in a second <a>; nested links are
        # invalid, so the name cell and the badge cell each carry their own link instead.
        severity, count, link = badge
        link = safe_url(link)
        colour = SEVERITY_COLOURS.get(severity, SEVERITY_COLOURS["hint"])
        noun = "finding" if count == 1 else "findings"
        attrs.append(f'color="{colour}"')
        attrs.append("penwidth=2")
        attrs.append(
            'label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"><TR>'
            f'<TD BGCOLOR="{n.fill}" HREF="{html_attr(url)}" TOOLTIP="{html_attr(tooltip, TOOLTIP_MAX)}"'
            f' ID="{nid}-label">{html_text(n.label, LABEL_MAX * 2)}</TD>'
            f'<TD BGCOLOR="{colour}" HREF="{html_attr(link)}"'
            f' TOOLTIP="{html_attr(f"{count} lint {noun}, worst: {severity}")}"'
            f' ID="badge-{nid}"><FONT COLOR="white" POINT-SIZE="9">{int(count)}</FONT></TD>'
            "</TR></TABLE>>"
        )
    if n.extra:
        attrs.append(n.extra)
    return f'  "{nid}" [{", ".join(attrs)}];'


def _short(name: str) -> str:
    return _clean(name, LABEL_MAX)


def build_dot(model: Model, options: DiagramOptions | None = None) -> str:
    """The DOT source of the diagram ``options`` describe (default: the whole team).

    Raises ``DiagramError`` for an unknown flow or focus element or invalid options.
    """
    o = options or DiagramOptions()
    _validate(model, o)
    service_names, message_names, links, extra_channels = _select(model, o)

    orchestrator = ""
    if o.scope == "flow":
        orchestrator = next(f for f in model.flows if f.name == o.flow).orchestrator

    nodes: dict[str, _Node] = {}
    for name in service_names:
        svc = model.services_by_name.get(name)
        key = element_key("services", name)
        label = _short(name)
        extra = 'style="rounded,filled"'
        tooltip = svc.description if svc else "not declared in the model"
        if svc is None:
            extra = 'style="rounded,filled,dashed"'
        if name == orchestrator:
            label += "\n«orchestrator»"
            extra += ", peripheries=2"
        nodes[key] = _Node(key, label, tooltip, SERVICE_STYLE[0], SERVICE_STYLE[1],
                           svc.owner if svc else "", "", extra)
    for name in message_names:
        msg = model.messages_by_name.get(name)
        kind = msg.kind if msg else "event"
        shape, fill = KIND_STYLE.get(kind, KIND_STYLE["event"])
        key = element_key("messages", name)
        tooltip = f"{kind}: {msg.description}" if msg and msg.description else kind
        if msg is None:
            tooltip = "not declared in the model"
        nodes[key] = _Node(key, _short(name), tooltip, shape, fill, msg.owner if msg else "",
                           msg.channel if msg else "", "" if msg else 'style="filled,dashed"')

    channel_names: set[str] = set(extra_channels)
    if o.show_channels:
        channel_names |= {link.channel for link in links if link.channel}
        for name in sorted(channel_names):
            ch = model.channels_by_name.get(name)
            key = element_key("channels", name)
            label = _short(name) + (f"\n({_short(ch.broker)})" if ch else "")
            tooltip = (ch.description if ch else "") or ("channel" if ch else "not declared in the model")
            nodes[key] = _Node(key, label, tooltip, CHANNEL_STYLE[0], CHANNEL_STYLE[1],
                               ch.owner if ch else "", name,
                               "" if ch else 'style="filled,dashed"')

    edges = _edges(model, o, links)

    lines = [
        "digraph diagram {",
        (f'  graph [id="diagram", rankdir={o.direction}, fontname="{FONT}", fontsize=11, '
         "nodesep=0.3, ranksep=0.5];"),
        f'  node [fontname="{FONT}", fontsize=11, style=filled, color="#455a64", margin="0.12,0.05"];',
        # 10 pt edge labels in a dark grey: 9 pt light grey was unreadable once a diagram is fitted.
        f'  edge [fontname="{FONT}", fontsize=10, color="#607d8b", fontcolor="#263238"];',
    ]
    grouped = _clusters(nodes, o)
    for cluster_key, (label, members) in grouped.items():
        # graphviz draws a subgraph as a box only when its name starts with "cluster".
        cid = f"cluster-{o.cluster}-" + node_id(cluster_key).split("-", 1)[1]
        lines.append(f'  subgraph "{cid.replace("-", "_", 1)}" {{')
        lines.append(f'    graph [id="{cid}", label={dot_string(_short(label))}, '
                     f'tooltip={dot_string(f"{o.cluster}: {label}", TOOLTIP_MAX)}, '
                     'style="rounded,dashed", color="#90a4ae", fontcolor="#455a64"];')
        lines.extend("  " + _node_dot(nodes[k], o) for k in members)
        lines.append("  }")
    clustered = {k for _, members in grouped.values() for k in members}
    lines.extend(_node_dot(nodes[k], o) for k in sorted(nodes) if k not in clustered)
    lines.extend(edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _clusters(nodes: Mapping[str, _Node], o: DiagramOptions) -> dict[str, tuple[str, list[str]]]:
    """Cluster key -> (label, member node keys), sorted, for the chosen clustering."""
    if o.cluster == "none":
        return {}
    groups: dict[str, list[str]] = {}
    for key in sorted(nodes):
        n = nodes[key]
        value = n.owner if o.cluster == "owner" else n.group
        if value:
            groups.setdefault(value, []).append(key)
    prefix = "owners" if o.cluster == "owner" else "channels"
    return {element_key(prefix, v): (v, groups[v]) for v in sorted(groups)}


def _edges(model: Model, o: DiagramOptions, links: list[_Link]) -> list[str]:
    """DOT edge statements, merged per (from, to) node pair and sorted by edge id.

    Labels are sentences in the active voice with the service as subject, read along the arrow
    or not ("shipping-service receives OrderPlaced", never "OrderPlaced → receives →
    shipping-service"), so a label makes sense on its own wherever graphviz puts it.
    """
    # edge id -> [from id, to id, step numbers, sentences, style]
    merged: dict[str, tuple[str, str, list[int], list[str], str]] = {}

    def add(src: str, dst: str, steps: list[int], sentence: str, style: str = "") -> None:
        a, b = node_id(src), node_id(dst)
        eid = edge_id(a, b)
        if eid not in merged:
            merged[eid] = (a, b, [], [], style)
        merged[eid][2].extend(steps)
        if sentence not in merged[eid][3]:
            merged[eid][3].append(sentence)

    for link in links:
        svc = element_key("services", link.service)
        msg = element_key("messages", link.message)
        ch = element_key("channels", link.channel) if o.show_channels and link.channel else ""
        if link.role == "produces":
            add(svc, msg, link.steps, f"{link.service} sends {link.message}")
            if ch:
                add(msg, ch, [], f"on {link.channel}", "dashed")
        else:
            if ch:
                add(msg, ch, [], f"on {link.channel}", "dashed")
                add(ch, svc, link.steps, f"{link.service} receives {link.message} from {link.channel}")
            else:
                add(msg, svc, link.steps, f"{link.service} receives {link.message}")

    out: list[str] = []
    for eid in sorted(merged):
        a, b, steps, sentences, style = merged[eid]
        # One line per sentence, at most EDGE_LINES of them: a channel feeding one consumer many
        # messages would otherwise stack a paragraph on one edge (the tooltip has them all).
        shown = [_clean(s, LABEL_MAX) for s in sentences[:EDGE_LINES]]
        if len(sentences) > EDGE_LINES:
            shown.append(f"and {len(sentences) - EDGE_LINES} more")
        label = "\n".join(shown)
        if steps:
            label = ", ".join(str(s) for s in sorted(set(steps))) + ". " + label
        extra = o.traffic.get(eid)
        if extra:
            label += "\n" + extra
        attrs = [f'id="{eid}"', "label=" + dot_string(label, LABEL_MAX * (EDGE_LINES + 2)),
                 "tooltip=" + dot_string("; ".join(sentences), TOOLTIP_MAX)]
        if style:
            attrs.append(f"style={style}")
        out.append(f'  "{a}" -> "{b}" [{", ".join(attrs)}];')
    return out
