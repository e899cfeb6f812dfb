"""A strict reader of the DOT the builder writes: one statement per line, or it fails.

Used to prove that nothing a name contains can add a statement or an attribute: every line
must be exactly a node or edge statement between two of our ids, with quoted or HTML values.
"""
from __future__ import annotations

import re

ID = r'"[a-z0-9-]+"'
QUOTED = r'"(?:[^"\\\n]|\\.)*"'
HTML = r"<<TABLE[^\n]*?</TABLE>>"
BARE = r"[A-Za-z0-9.#_-]+"
ATTR = rf"[A-Za-z]+=(?:{QUOTED}|{HTML}|{BARE})"
NODE = re.compile(rf"^\s*({ID}) \[((?:{ATTR})(?:, {ATTR})*)\];$")
EDGE = re.compile(rf"^\s*({ID}) -> ({ID}) \[((?:{ATTR})(?:, {ATTR})*)\];$")
ATTR_RE = re.compile(rf"([A-Za-z]+)=({QUOTED}|{HTML}|{BARE})")
HEADER = re.compile(
    rf'^\s*(digraph diagram \{{|\}}|(graph|node|edge) \[(?:{ATTR})(?:, {ATTR})*\];|subgraph "cluster_[a-z0-9_-]+" \{{)$'
)


def unquote(value: str) -> str:
    """The text a quoted DOT value stands for (graphviz's reading of \\\\ and \\")."""
    if not value.startswith('"'):
        return value
    out, i, body = [], 0, value[1:-1]
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def parse(dot: str) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """(nodes by id, edges by id) with raw attribute values; AssertionError on any other line."""
    nodes: dict[str, dict[str, str]] = {}
    edges: dict[str, dict[str, str]] = {}
    for line in dot.splitlines():
        if HEADER.match(line):
            continue
        m = EDGE.match(line)
        if m:
            attrs = dict(ATTR_RE.findall(m.group(3)))
            attrs["_from"], attrs["_to"] = m.group(1).strip('"'), m.group(2).strip('"')
            edges[unquote(attrs["id"])] = attrs
            continue
        m = NODE.match(line)
        assert m, f"unexpected DOT line: {line!r}"
        attrs = dict(ATTR_RE.findall(m.group(2)))
        assert unquote(attrs["id"]) == m.group(1).strip('"')
        nodes[m.group(1).strip('"')] = attrs
    return nodes, edges
