"""Run graphviz on DOT text (the only place that spawns ``dot``/``sfdp``) and clean its SVG.

``render(dot, fmt)`` lays the graph out with a time box. ``dot`` gives the readable layered
picture but its crossing minimisation explodes on tangled graphs (docs: PERF_ANCHORS, 8 s at
200 nodes, unfinished after minutes at 1,000), so when ``dot`` runs out of time, or the graph
is too big to try, the force-directed ``sfdp`` (0.4 s at 1,000 nodes) draws it instead; when
even that fails the caller gets ``DiagramTooLarge`` whose message suggests a focus view.

``sanitize_svg(svg)`` makes graphviz output safe to inline in our pages: allowlisted SVG
elements and attributes only, no script, event handler, foreignObject, style sheet, external
reference or non-relative link. Labels are escaped by the DOT builder already; this is the
second wall, for anything that got past it (or any SVG from elsewhere).

No Django import: usable from the CLI, a Celery task or a view alike.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass

ENGINES: tuple[str, ...] = ("dot", "sfdp", "neato", "fdp", "circo", "twopi")
FORMATS: tuple[str, ...] = ("svg", "png", "dot")
# dot lays out a 1,000-node layered team in ~2 s here; past 5 s the graph is tangled and more
# waiting rarely helps (8 s at 200 tangled nodes, minutes at 1,000), so switch to sfdp.
DOT_TIMEOUT = 5.0
# sfdp draws 1,000 tangled nodes in ~0.4 s; 20 s leaves room for teams ten times that size on
# a busy machine before we give up and ask for a focus view.
FALLBACK_TIMEOUT = 20.0
# Past this many edges dot is not even tried: a layered graph this size already takes longer
# than the time box, so trying would only add DOT_TIMEOUT to every render.
DOT_MAX_EDGES = 3_000
# Random wiring (~2.7 edges a node) took dot 0.2 s at 50 nodes but did not finish in 30 s at
# 200 here, while layered teams stay near 1.2 edges a node; past 120 nodes, more than 2 edges a
# node goes straight to sfdp.
TANGLED_MIN_NODES = 120
TANGLED_RATIO = 2.0
# A DOT text this large (tens of thousands of nodes) cannot give a readable picture; refuse
# early rather than keep a graphviz process busy for nothing.
MAX_DOT_BYTES = 8_000_000
# sfdp settings: remove node overlaps, straight edges (spline routing is the slow part of sfdp).
SFDP_ARGS: tuple[str, ...] = ("-Goverlap=prism", "-Gsplines=line", "-Goutputorder=edgesfirst")
FOCUS_HINT = ("draw a focus view instead (one service or message with N hops, e.g. "
              "--focus services/NAME --hops 2) or a single flow (--flow NAME)")


class RenderError(RuntimeError):
    """Graphviz could not draw the diagram; the message says why in one line."""


class GraphvizMissing(RenderError):
    """The graphviz programs are not installed (or not on PATH)."""


class DiagramTooLarge(RenderError):
    """The graph is too big or tangled to lay out in time; the message suggests a focus view."""


@dataclass(frozen=True)
class Rendered:
    """A rendered diagram and how it was made (the page can say "drawn with sfdp because...")."""

    data: bytes
    engine: str  # the engine that produced ``data`` ("" for fmt="dot": no layout ran)
    fell_back: bool  # True when dot was asked for but sfdp drew it
    seconds: float
    note: str = ""  # why a fallback happened, for the user


def _binary(engine: str) -> str:
    path = shutil.which(engine)
    if path is None:
        raise GraphvizMissing(
            f"graphviz is not installed: the {engine!r} program was not found on PATH. Install "
            "graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)."
        )
    return path


def _env() -> dict[str, str]:
    # SERVER_NAME makes graphviz refuse to read files (image=, shapefile=) named in the DOT:
    # a server must never let a diagram pull files off its disk.
    env = dict(os.environ)
    env["SERVER_NAME"] = "designer"
    env.pop("GV_FILE_PATH", None)
    return env


def _run(dot: bytes, fmt: str, engine: str, timeout: float, extra: tuple[str, ...] = ()) -> bytes:
    cmd = [_binary(engine), f"-T{fmt}", *extra]
    try:
        proc = subprocess.run(cmd, input=dot, capture_output=True, timeout=timeout, env=_env(),
                              check=False)
    except FileNotFoundError as exc:  # raced with an uninstall, or a broken PATH entry
        raise GraphvizMissing(f"graphviz is not installed: {exc}. Install graphviz.") from exc
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        detail = lines[0] if lines else f"exit status {proc.returncode}"
        raise RenderError(f"{engine} failed: {detail}")
    return proc.stdout


_NODE_STMT = re.compile(r'^\s*"(?:[^"\\\n]|\\.)*"\s*\[', re.MULTILINE)
_EDGE_STMT = re.compile(r'^\s*"(?:[^"\\\n]|\\.)*"\s*-[->]', re.MULTILINE)


def graph_size(dot: str) -> tuple[int, int]:
    """(nodes, edges) declared one per line as the DOT builder writes them (0s for other DOT)."""
    return len(_NODE_STMT.findall(dot)), len(_EDGE_STMT.findall(dot))


def _skip_dot(dot: str) -> str:
    """Why dot should not even be tried ("" to try it): saves the whole time box when the
    outcome is known. Tangled = more than TANGLED_RATIO edges a node past TANGLED_MIN_NODES."""
    nodes, edges = graph_size(dot)
    if edges > DOT_MAX_EDGES:
        return f"drawn with sfdp: {edges} edges is too many for a layered layout"
    if nodes >= TANGLED_MIN_NODES and edges > TANGLED_RATIO * nodes:
        return (f"drawn with sfdp: {nodes} nodes with {edges} edges is too tangled for a "
                "layered layout")
    return ""


def render_diagram(
    dot: str,
    fmt: str = "svg",
    engine: str = "dot",
    timeout: float = DOT_TIMEOUT,
    fallback_timeout: float = FALLBACK_TIMEOUT,
) -> Rendered:
    """Lay out ``dot`` with ``engine`` in ``fmt`` within ``timeout`` seconds.

    With ``engine="dot"``, a graph over ``DOT_MAX_EDGES`` edges or a dot run that times out is
    drawn with ``sfdp`` instead (``fell_back=True``). ``fmt="dot"`` returns the source as is.
    Raises ``GraphvizMissing``, ``DiagramTooLarge`` or ``RenderError``; ``ValueError`` for an
    unknown format or engine.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r} is not one of {', '.join(ENGINES)}")
    data = dot.encode("utf-8")
    started = time.perf_counter()
    if fmt == "dot":
        return Rendered(data, "", False, 0.0)
    if len(data) > MAX_DOT_BYTES:
        raise DiagramTooLarge(
            f"the diagram is too large to draw ({len(data) // 1_000_000} MB of DOT); {FOCUS_HINT}")
    note = ""
    if engine == "dot":
        note = _skip_dot(dot)
        if not note:
            try:
                out = _run(data, fmt, "dot", timeout)
                return Rendered(out, "dot", False, time.perf_counter() - started)
            except subprocess.TimeoutExpired:
                note = f"drawn with sfdp: the layered layout took longer than {timeout:g} s"
        try:
            out = _run(data, fmt, "sfdp", fallback_timeout, SFDP_ARGS)
        except subprocess.TimeoutExpired:
            raise DiagramTooLarge(
                f"the diagram is too large or tangled to draw in time; {FOCUS_HINT}") from None
        return Rendered(out, "sfdp", True, time.perf_counter() - started, note)
    try:
        out = _run(data, fmt, engine, timeout, SFDP_ARGS if engine == "sfdp" else ())
    except subprocess.TimeoutExpired:
        raise DiagramTooLarge(
            f"{engine} did not finish within {timeout:g} s; {FOCUS_HINT}") from None
    return Rendered(out, engine, False, time.perf_counter() - started)


def render(dot: str, fmt: str = "svg", engine: str = "dot", timeout: float = DOT_TIMEOUT) -> bytes:
    """The bytes of ``dot`` drawn as ``fmt`` (see ``render_diagram`` for fallbacks and errors)."""
    return render_diagram(dot, fmt, engine, timeout).data


# ---- SVG sanitising ---------------------------------------------------------------------------
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# What graphviz writes, and nothing that can run code, load resources or embed other markup
# (no script, style, foreignObject, image, use, animate/set, iframe...).
ALLOWED_ELEMENTS: frozenset[str] = frozenset({
    "svg", "g", "a", "title", "desc", "path", "polygon", "polyline", "ellipse", "circle", "rect",
    "line", "text", "tspan", "defs", "linearGradient", "radialGradient", "stop",
})
ALLOWED_ATTRIBUTES: frozenset[str] = frozenset({
    "id", "class", "width", "height", "viewBox", "transform", "points", "d", "cx", "cy", "rx",
    "ry", "r", "x", "y", "x1", "y1", "x2", "y2", "fx", "fy", "offset", "fill", "fill-opacity",
    "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
    "text-decoration", "opacity", "preserveAspectRatio", "gradientUnits", "gradientTransform",
    "stop-color", "stop-opacity", "style",
})
_LINK_ATTRS = {f"{{{XLINK_NS}}}href": f"{{{XLINK_NS}}}href", "href": f"{{{XLINK_NS}}}href"}
_TITLE_ATTR = f"{{{XLINK_NS}}}title"
# graphviz's gradient stops use style="stop-color:#hex;stop-opacity:1.;": plain declarations
# only, no parentheses (so no url(), expression() or escapes).
_SAFE_STYLE = re.compile(r"^(\s*[a-z-]+\s*:\s*[#\w.,%\s-]*;?)*\s*$")
_URL_REF = re.compile(r"url\(\s*(?!#)", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_BARE_AMP = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def is_safe_link(url: str) -> bool:
    """True for our own relative URLs: ``/path``, ``path``, ``?query`` or ``#fragment``.

    Browsers ignore control characters and spaces inside a scheme (``java\\tscript:``), so
    they are removed before looking; any scheme, ``//host`` and ``\\`` prefixes are refused.
    """
    compact = _INVISIBLE.sub("", url)
    if not compact:
        return False
    if compact.startswith(("//", "\\", "/\\")) or "\\" in compact.split("?", 1)[0]:
        return False
    first = re.split(r"[/?#]", compact, maxsplit=1)[0]
    return not (":" in first or _SCHEME.match(compact))


def _local(tag: str) -> str | None:
    """The SVG local name of ``tag``, or None for other namespaces (xhtml, custom)."""
    if tag.startswith(f"{{{SVG_NS}}}"):
        return tag[len(SVG_NS) + 2:]
    return None


def _clean_attributes(el: ET.Element, local: str) -> None:
    for name in list(el.attrib):
        value = el.attrib.pop(name)
        if name in _LINK_ATTRS:
            if local == "a" and is_safe_link(value):
                el.set(_LINK_ATTRS[name], value)
            continue
        if name == _TITLE_ATTR:
            el.set(name, value)
            continue
        if name not in ALLOWED_ATTRIBUTES:
            continue
        if _URL_REF.search(value):
            continue
        if name == "style" and not _SAFE_STYLE.match(value):
            continue
        el.set(name, value)


def _move_tail(parent: ET.Element, index: int, tail: str | None) -> None:
    """Keep the text that followed a removed child (it belongs to the parent)."""
    if not tail:
        return
    if index > 0:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail


def _clean(el: ET.Element) -> None:
    for child in list(el):
        if not isinstance(child.tag, str):  # comments / processing instructions
            index = list(el).index(child)
            el.remove(child)
            _move_tail(el, index, child.tail)
            continue
        local = _local(child.tag)
        if local is None or local not in ALLOWED_ELEMENTS:
            index = list(el).index(child)
            el.remove(child)
            _move_tail(el, index, child.tail)
            continue
        _clean_attributes(child, local)
        _clean(child)


def sanitize_svg(svg: bytes) -> str:
    """``svg`` made safe to inline in an HTML page, as text.

    Drops the XML prolog, doctype and comments, every element and attribute outside the
    allowlists (so ``<script>``, ``on*`` handlers and ``foreignObject`` go), links that are
    not our own relative URLs, and references to outside resources. Keeps ids, classes,
    shapes, text, tooltips (``<title>``, ``xlink:title``) and safe links. Raises
    ``ValueError`` when the input is not an SVG document or declares entities.
    """
    if re.search(rb"<!ENTITY", svg, re.IGNORECASE):
        raise ValueError("refusing an SVG that declares XML entities")
    # graphviz 2.43 writes URLs without escaping "&" (the DOT builder percent-encodes every
    # other XML-special character); escape the bare ones so the document parses.
    svg = _BARE_AMP.sub(b"&amp;", svg)
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise ValueError(f"not a well-formed SVG document: {exc}") from exc
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG document (the root element is not <svg>)")
    _clean_attributes(root, "svg")
    _clean(root)
    return ET.tostring(root, encoding="unicode")
