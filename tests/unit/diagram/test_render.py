"""Rendering with the real graphviz here: links and ids in the SVG, sanitising, time box, fallbacks."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from designer.catalog import render as rd
from designer.core.diagram import DiagramOptions, build_dot, element_url, node_id

from .builders import HOSTILE, ModelBuilder, hostile, shop

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def svg_tree(text: str) -> ET.Element:
    return ET.fromstring(text)


def groups_by_id(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g")}


def links_in(el: ET.Element) -> list[str]:
    return [a.get(f"{XLINK}href", "") for a in el.iter(f"{SVG}a") if a.get(f"{XLINK}href")]


def tangled(n: int) -> str:
    b = ModelBuilder()
    for i in range(n):
        b.sends(f"s{i % (n // 3)}", f"M{i}")
        for k in (1, 5, 11):
            b.receives(f"s{(i * k + 3) % (n // 3)}", f"M{i}")
    return build_dot(b.build())


# ---- the picture -----------------------------------------------------------------------------
def test_the_svg_carries_every_element_with_its_id_and_a_link_to_its_page() -> None:
    model = shop()
    findings = {"messages/OrderPlaced": ("warning", 2, "messages/OrderPlaced#findings")}
    dot = build_dot(model, DiagramOptions(show_channels=True, findings=findings))
    root = svg_tree(rd.sanitize_svg(rd.render(dot, "svg")))
    groups = groups_by_id(root)
    keys = ([f"services/{s.name}" for s in model.services] + [f"messages/{m.name}" for m in model.messages]
            + [f"channels/{c.name}" for c in model.channels])
    for key in keys:
        nid = node_id(key)
        assert nid in groups, key
        assert element_url(key) in links_in(groups[nid]), key
    assert "messages/OrderPlaced#findings" in links_in(groups[node_id("messages/OrderPlaced")])
    assert f"badge-{node_id('messages/OrderPlaced')}" in {g.lstrip("a_") for g in groups} | {
        g[2:] for g in groups if g.startswith("a_")}


def test_the_svg_carries_edge_ids_for_the_traffic_hook() -> None:
    dot = build_dot(shop())
    groups = groups_by_id(svg_tree(rd.sanitize_svg(rd.render(dot))))
    edge_ids = {g for g in groups if g.startswith("edge-")}
    assert len(edge_ids) == 8
    assert f"edge-{node_id('services/order-service')}-{node_id('messages/OrderPlaced')}" in edge_ids


def test_links_with_query_strings_and_odd_characters_survive_into_the_svg() -> None:
    findings = {"services/order-service": ("info", 1, '/findings?element=services/order-service&sev=<info>')}
    dot = build_dot(shop(), DiagramOptions(findings=findings, link_base="/t/{collection}/{name}?tab=a&b=1"))
    root = svg_tree(rd.sanitize_svg(rd.render(dot)))
    links = links_in(root)
    assert "/findings?element=services/order-service&sev=%3Cinfo%3E" in links
    assert "/t/services/order-service?tab=a&b=1" in links


def test_descriptions_become_tooltips() -> None:
    root = svg_tree(rd.sanitize_svg(rd.render(build_dot(shop()))))
    titles = {a.get(f"{XLINK}title") for a in root.iter(f"{SVG}a")}
    assert "Takes orders" in titles


def test_hostile_names_render_as_text_and_the_svg_carries_no_script() -> None:
    model = hostile()
    keys = ([f"services/{s.name}" for s in model.services] + [f"messages/{m.name}" for m in model.messages]
            + [f"channels/{c.name}" for c in model.channels])
    # a badge on every element puts every hostile name and description in an HTML-like label too
    findings = {key: ("error", 1, f"{key}#<findings>") for key in keys[::2]}
    dot = build_dot(model, DiagramOptions(show_channels=True, cluster="owner", findings=findings))
    raw = rd.render(dot, "svg")
    clean = rd.sanitize_svg(raw)
    root = svg_tree(clean)
    texts = {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}
    assert HOSTILE in texts
    assert '"]; evil [' in texts
    assert "<script" not in clean.lower() and "<img" not in clean.lower()
    assert not [k for el in root.iter() for k in el.attrib if k.lower().startswith("on")]
    assert not root.findall(f".//{SVG}script")
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]) == len(keys)


def test_it_renders_png_and_returns_dot_source_as_is() -> None:
    dot = build_dot(shop())
    assert rd.render(dot, "png").startswith(b"\x89PNG\r\n\x1a\n")
    assert rd.render(dot, "dot") == dot.encode()


def test_it_refuses_unknown_formats_and_engines() -> None:
    with pytest.raises(ValueError, match="format"):
        rd.render("digraph {}", "pdf")
    with pytest.raises(ValueError, match="engine"):
        rd.render("digraph {}", "svg", engine="rm")


def test_it_reports_a_graphviz_error_in_one_line() -> None:
    with pytest.raises(rd.RenderError) as info:
        rd.render("digraph { a -> }")
    assert "dot failed" in str(info.value) and "\n" not in str(info.value)


def test_it_tells_what_to_install_when_graphviz_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rd.shutil, "which", lambda name: None)
    with pytest.raises(rd.GraphvizMissing, match="apt-get install graphviz"):
        rd.render(build_dot(shop()))


def test_graphviz_may_not_read_files_named_in_the_dot() -> None:
    out = rd.render('digraph { a [image="/usr/share/pixmaps/debian-logo.png", label=""]; }')
    assert b"<image" not in out


# ---- time box and fallbacks ------------------------------------------------------------------
def test_it_falls_back_to_sfdp_when_dot_runs_out_of_time() -> None:
    result = rd.render_diagram(build_dot(shop()), "svg", timeout=0.000001)
    assert result.engine == "sfdp" and result.fell_back
    assert "longer than" in result.note
    assert node_id("services/order-service") in groups_by_id(svg_tree(rd.sanitize_svg(result.data)))


def test_it_refuses_with_a_focus_hint_when_even_the_fallback_runs_out_of_time() -> None:
    with pytest.raises(rd.DiagramTooLarge, match="focus"):
        rd.render_diagram(build_dot(shop()), "svg", timeout=0.000001, fallback_timeout=0.000001)


def test_it_does_not_try_dot_on_a_large_tangled_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = rd._run

    def spy(dot: bytes, fmt: str, engine: str, timeout: float, extra: tuple[str, ...] = ()) -> Any:
        calls.append(engine)
        return real(dot, fmt, engine, timeout, extra)

    monkeypatch.setattr(rd, "_run", spy)
    dot = tangled(150)
    nodes, edges = rd.graph_size(dot)
    assert nodes >= rd.TANGLED_MIN_NODES and edges > rd.TANGLED_RATIO * nodes
    result = rd.render_diagram(dot, "svg")
    assert calls == ["sfdp"]
    assert result.fell_back and "too tangled" in result.note


def test_it_lays_out_small_graphs_with_dot() -> None:
    result = rd.render_diagram(build_dot(shop()))
    assert (result.engine, result.fell_back, result.note) == ("dot", False, "")


def test_it_counts_nodes_and_edges_of_the_builders_dot() -> None:
    assert rd.graph_size(build_dot(shop())) == (7, 8)
    assert rd.graph_size(build_dot(hostile(), DiagramOptions(cluster="owner"))) == (4, 4)


# ---- sanitising ------------------------------------------------------------------------------
EVIL = b"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- comment --> <?pi x?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="a()" width="10">
<script>alert(1)</script>
<style>* { background: url(https://evil) }</style>
<g id="node1" class="node" onclick="b()" onmouseover="c()"><title>node &lt;1&gt;</title>
<a xlink:href="javascript:alert(1)" xlink:title="tip"><text x="1" y="2">A</text></a>
<a xlink:href="services/ok" xlink:title="fine" target="_blank"><text>B</text></a>
<a href="/abs/ok"><text>C</text></a>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
<image xlink:href="https://evil/x.png"/><use xlink:href="https://evil/#x"/>
<set attributeName="href" to="javascript:alert(1)"/>
<text>keep <tspan>this</tspan><script>no</script> tail</text>
<polygon fill="url(https://evil/#p)" stroke="black" style="behavior:url(x)" points="0,0"/>
<stop offset="0" style="stop-color:#fff;stop-opacity:1.;"/>
</g>
</svg>"""


def test_sanitize_removes_prolog_scripts_handlers_and_foreign_content() -> None:
    clean = rd.sanitize_svg(EVIL)
    low = clean.lower()
    for bad in ("<?xml", "<!doctype", "<!--", "<script", "<style", "onload", "onclick", "onmouseover",
                "javascript:", "foreignobject", "<div", "<image", "<use", "<set", "evil", "behavior",
                "target", "<?pi"):
        assert bad not in low, bad
    assert clean.startswith("<svg")


def test_sanitize_keeps_ids_titles_tooltips_safe_links_and_text() -> None:
    root = svg_tree(rd.sanitize_svg(EVIL))
    g = groups_by_id(root)["node1"]
    assert g.get("class") == "node"
    assert g.find(f"{SVG}title").text == "node <1>"  # type: ignore[union-attr]
    assert links_in(root) == ["services/ok", "/abs/ok"]
    assert {a.get(f"{XLINK}title") for a in root.iter(f"{SVG}a")} == {"tip", "fine", None}
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "keep this tail" in texts
    stop = root.find(f".//{SVG}stop")
    assert stop is not None and stop.get("style") == "stop-color:#fff;stop-opacity:1.;"
    poly = root.find(f".//{SVG}polygon")
    assert poly is not None and poly.get("fill") is None and poly.get("stroke") == "black"


@pytest.mark.parametrize("url,safe", [
    ("services/order-service", True), ("/teams/a/services/x", True), ("#findings", True),
    ("?tab=findings", True), ("services/a:b", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), ("java\tscript:alert(1)", False),
    (" javascript:alert(1)", False), ("\x01javascript:alert(1)", False), ("data:text/html,x", False),
    ("https://evil.example", False), ("//evil.example/x", False), ("\\\\evil\\x", False),
    ("/\\evil.example", False), ("", False), ("vbscript:x", False),
])
def test_it_accepts_only_our_own_relative_links(url: str, safe: bool) -> None:
    assert rd.is_safe_link(url) is safe


def test_sanitize_refuses_entity_declarations_and_non_svg() -> None:
    with pytest.raises(ValueError, match="entities"):
        rd.sanitize_svg(b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')
    with pytest.raises(ValueError, match="not an SVG"):
        rd.sanitize_svg(b"<html><script>x</script></html>")
    with pytest.raises(ValueError, match="well-formed"):
        rd.sanitize_svg(b"<svg")
