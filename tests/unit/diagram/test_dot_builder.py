"""The DOT builder: what is drawn, stable ids, escaping of hostile names, focus, clusters, badges."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from designer.core import diagram
from designer.core.diagram import DiagramError, DiagramOptions, build_dot, edge_id, node_id
from designer.core.model import Message, Model, Relation

from .builders import BREAKOUT, HOSTILE, ModelBuilder, hostile, shop
from .dotparse import parse, unquote

SVC = {name: node_id(f"services/{name}") for name in ("order-service", "payment-service", "shipping-service")}
MSG = {name: node_id(f"messages/{name}") for name in ("OrderPlaced", "PaymentTaken", "ShipOrder", "GetOrder")}


def draw(model: Model, **kw: object) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    return parse(build_dot(model, DiagramOptions(**kw)))  # type: ignore[arg-type]


# ---- ids ------------------------------------------------------------------------------------
def test_it_derives_readable_stable_ids_from_element_keys() -> None:
    assert re.fullmatch(r"svc-order-service-[0-9a-f]{8}", node_id("services/order-service"))
    assert re.fullmatch(r"msg-orderplaced-[0-9a-f]{8}", node_id("messages/OrderPlaced"))
    assert re.fullmatch(r"ch-orders-[0-9a-f]{8}", node_id("channels/orders"))
    assert node_id("services/order-service") == node_id("services/order-service")


def test_it_keeps_ids_distinct_for_names_that_slug_alike() -> None:
    assert node_id("services/Order Service") != node_id("services/order-service")
    assert node_id("services/x") != node_id("messages/x")


def test_it_gives_hostile_names_ids_of_safe_characters_only() -> None:
    for name in (HOSTILE, BREAKOUT, "", "ümlaut ✓", "a" * 500):
        assert re.fullmatch(r"svc-[a-z0-9-]{1,32}-[0-9a-f]{8}", node_id(f"services/{name}"))


def test_it_names_edges_after_their_two_nodes() -> None:
    _, edges = draw(shop())
    eid = edge_id(SVC["order-service"], MSG["OrderPlaced"])
    assert eid == f"edge-{SVC['order-service']}-{MSG['OrderPlaced']}"
    assert edges[eid]["_from"] == SVC["order-service"]
    assert edges[eid]["_to"] == MSG["OrderPlaced"]


def test_it_writes_the_same_text_for_the_same_model_whatever_the_declaration_order() -> None:
    model = shop()
    shuffled = Model(name=model.name, services=model.services[::-1], messages=model.messages[::-1],
                     channels=model.channels[::-1], relations=model.relations[::-1], flows=model.flows)
    opts = DiagramOptions(show_channels=True, cluster="owner")
    assert build_dot(model, opts) == build_dot(shuffled, opts)


# ---- what is drawn ---------------------------------------------------------------------------
def test_it_draws_every_service_and_message_of_the_team_with_a_link_and_tooltip() -> None:
    nodes, _ = draw(shop())
    assert set(nodes) == set(SVC.values()) | set(MSG.values())
    order = nodes[SVC["order-service"]]
    assert unquote(order["URL"]) == "services/order-service"
    assert unquote(order["tooltip"]) == "Takes orders"
    assert unquote(nodes[MSG["OrderPlaced"]]["tooltip"]) == "event: An order was placed"


def test_it_shapes_and_colours_messages_by_kind() -> None:
    nodes, _ = draw(shop())
    shapes = {name: (nodes[i]["shape"], unquote(nodes[i]["fillcolor"])) for name, i in MSG.items()}
    assert shapes["OrderPlaced"] == diagram.KIND_STYLE["event"]
    assert shapes["ShipOrder"] == diagram.KIND_STYLE["command"]
    assert shapes["GetOrder"] == diagram.KIND_STYLE["query"]
    assert len({s for s in shapes.values()}) == 3
    assert nodes[SVC["order-service"]]["shape"] == "box"


def test_it_labels_edges_from_producer_to_message_to_consumer() -> None:
    _, edges = draw(shop())
    sends = edges[edge_id(SVC["order-service"], MSG["OrderPlaced"])]
    receives = edges[edge_id(MSG["OrderPlaced"], SVC["payment-service"])]
    # Active voice, the service as subject: the label reads right wherever graphviz puts it.
    assert unquote(sends["label"]) == "order-service sends OrderPlaced"
    assert unquote(receives["label"]) == "payment-service receives OrderPlaced"
    assert unquote(receives["tooltip"]) == "payment-service receives OrderPlaced"
    assert len(edges) == 8


def test_it_routes_consumers_through_channels_when_channels_are_shown() -> None:
    nodes, edges = draw(shop(), show_channels=True)
    orders = node_id("channels/orders")
    assert nodes[orders]["shape"] == "cylinder"
    assert unquote(nodes[orders]["label"]) == "orders\n(kafka)"
    assert edge_id(MSG["OrderPlaced"], orders) in edges
    assert unquote(edges[edge_id(orders, SVC["payment-service"])]["label"]) == (
        "payment-service receives OrderPlaced from orders")
    assert unquote(edges[edge_id(MSG["OrderPlaced"], orders)]["label"]) == "on orders"
    assert edge_id(MSG["OrderPlaced"], SVC["payment-service"]) not in edges
    # GetOrder has no channel: still drawn straight to its responder
    assert edge_id(MSG["GetOrder"], SVC["order-service"]) in edges


def test_it_hides_channels_by_default() -> None:
    nodes, _ = draw(shop())
    assert not any(n.startswith("ch-") for n in nodes)


def test_it_hides_queries_and_their_edges_when_asked() -> None:
    nodes, edges = draw(shop(), show_queries=False)
    assert MSG["GetOrder"] not in nodes
    assert not any(MSG["GetOrder"] in e for e in edges)
    assert MSG["ShipOrder"] in nodes


def test_it_lays_out_left_to_right_or_top_to_bottom() -> None:
    assert "rankdir=TB" in build_dot(shop(), DiagramOptions(direction="TB"))
    assert "rankdir=LR" in build_dot(shop(), DiagramOptions())


def test_it_draws_undeclared_services_from_relations_dashed() -> None:
    model = Model(messages=(Message("A"),), relations=(Relation("ghost", "A", "produces"),))
    nodes, _ = draw(model)
    ghost = nodes[node_id("services/ghost")]
    assert "dashed" in unquote(ghost["style"])
    assert unquote(ghost["tooltip"]) == "not declared in the model"


# ---- flows -----------------------------------------------------------------------------------
def test_it_numbers_the_steps_of_an_orchestrated_flow_and_marks_its_orchestrator() -> None:
    nodes, edges = draw(shop(), scope="flow", flow="checkout")
    labels = {eid: unquote(e["label"]) for eid, e in edges.items()}
    assert labels == {
        edge_id(SVC["order-service"], MSG["OrderPlaced"]): "1. order-service sends OrderPlaced",
        edge_id(MSG["OrderPlaced"], SVC["payment-service"]): "2. payment-service receives OrderPlaced",
        edge_id(SVC["payment-service"], MSG["PaymentTaken"]): "3. payment-service sends PaymentTaken",
        edge_id(SVC["order-service"], MSG["ShipOrder"]): "4. order-service sends ShipOrder",
        edge_id(MSG["ShipOrder"], SVC["shipping-service"]): "5. shipping-service receives ShipOrder",
    }
    orchestrator = nodes[SVC["order-service"]]
    assert unquote(orchestrator["label"]) == "order-service\n«orchestrator»"
    assert orchestrator["peripheries"] == "2"
    assert MSG["GetOrder"] not in nodes


def test_it_merges_repeated_steps_on_one_edge() -> None:
    model = (ModelBuilder().sends("a", "Pinged").receives("b", "Pinged")
             .flow("f", [("a", "Pinged", "sends"), ("b", "Pinged", "receives"), ("a", "Pinged", "sends")])
             .build())
    _, edges = draw(model, scope="flow", flow="f")
    assert unquote(edges[edge_id(node_id("services/a"), node_id("messages/Pinged"))]["label"]) == "1, 3. a sends Pinged"


def test_it_draws_the_orchestrator_even_when_it_has_no_step() -> None:
    model = (ModelBuilder().service("boss").sends("a", "Pinged")
             .flow("f", [("a", "Pinged", "sends")], style="orchestration", orchestrator="boss").build())
    nodes, _ = draw(model, scope="flow", flow="f")
    assert node_id("services/boss") in nodes


def test_it_refuses_an_unknown_flow_naming_the_known_ones() -> None:
    with pytest.raises(DiagramError, match="no flow named 'nope'.*checkout"):
        build_dot(shop(), DiagramOptions(scope="flow", flow="nope"))


# ---- focus -----------------------------------------------------------------------------------
def test_it_focuses_on_a_service_and_what_it_sends_and_receives() -> None:
    nodes, edges = draw(shop(), scope="focus", focus="services/payment-service", hops=1)
    assert set(nodes) == {SVC["payment-service"], MSG["OrderPlaced"], MSG["PaymentTaken"]}
    assert set(edges) == {edge_id(MSG["OrderPlaced"], SVC["payment-service"]),
                          edge_id(SVC["payment-service"], MSG["PaymentTaken"])}


def test_it_widens_the_focus_one_hop_at_a_time() -> None:
    two, _ = draw(shop(), scope="focus", focus="services/payment-service", hops=2)
    assert set(two) == {SVC["payment-service"], MSG["OrderPlaced"], MSG["PaymentTaken"],
                        SVC["order-service"], SVC["shipping-service"]}
    three, _ = draw(shop(), scope="focus", focus="services/payment-service", hops=3)
    assert set(three) == set(SVC.values()) | set(MSG.values())
    zero, edges = draw(shop(), scope="focus", focus="services/payment-service", hops=0)
    assert set(zero) == {SVC["payment-service"]} and edges == {}


def test_it_focuses_on_a_message_and_its_producers_and_consumers() -> None:
    nodes, _ = draw(shop(), scope="focus", focus="messages/ShipOrder", hops=1)
    assert set(nodes) == {MSG["ShipOrder"], SVC["order-service"], SVC["shipping-service"]}


def test_it_focuses_on_a_channel_through_its_messages() -> None:
    nodes, _ = draw(shop(), scope="focus", focus="channels/orders", hops=1, show_channels=True)
    assert set(nodes) == {node_id("channels/orders"), MSG["OrderPlaced"], MSG["ShipOrder"]}


@pytest.mark.parametrize("focus", ["services/nobody", "messages/Nothing", "flows/checkout", "OrderPlaced"])
def test_it_refuses_a_focus_that_is_not_an_element_of_the_model(focus: str) -> None:
    with pytest.raises(DiagramError, match="focus"):
        build_dot(shop(), DiagramOptions(scope="focus", focus=focus))


@pytest.mark.parametrize("opts", [
    {"scope": "everything"}, {"direction": "RL"}, {"cluster": "team"},
    {"scope": "focus", "focus": "services/order-service", "hops": -1},
])
def test_it_refuses_options_outside_their_choices(opts: dict[str, object]) -> None:
    with pytest.raises(DiagramError):
        build_dot(shop(), DiagramOptions(**opts))  # type: ignore[arg-type]


# ---- clusters --------------------------------------------------------------------------------
def test_it_clusters_elements_by_owner() -> None:
    dot = build_dot(shop(), DiagramOptions(cluster="owner"))
    parse(dot)
    blocks = re.findall(r'subgraph "(cluster_[^"]+)" \{\n    graph \[[^\n]*label="([^"]*)"[^\n]*\n(.*?)\n  \}',
                        dot, re.DOTALL)
    members = {label: {m for m in re.findall(r'^\s*"([a-z0-9-]+)" \[', body, re.MULTILINE)}
               for _, label, body in blocks}
    assert members == {"finance": {SVC["payment-service"]},
                       "sales": {SVC["order-service"], SVC["shipping-service"]}}
    assert all(name.startswith("cluster_owner-") for name, _, _ in blocks)


def test_it_clusters_messages_and_their_channel_by_channel() -> None:
    dot = build_dot(shop(), DiagramOptions(cluster="channel", show_channels=True))
    blocks = re.findall(r'label="([^"]*)"[^\n]*\n(.*?)\n  \}', dot, re.DOTALL)
    members = {label: set(re.findall(r'^\s*"([a-z0-9-]+)" \[', body, re.MULTILINE)) for label, body in blocks}
    assert members["orders"] == {node_id("channels/orders"), MSG["OrderPlaced"], MSG["ShipOrder"]}
    assert members["payments"] == {node_id("channels/payments"), MSG["PaymentTaken"]}
    assert SVC["order-service"] not in set().union(*members.values())


def test_it_draws_no_clusters_by_default() -> None:
    assert "subgraph" not in build_dot(shop())


# ---- findings and traffic --------------------------------------------------------------------
def test_it_colours_a_node_by_its_worst_finding_and_adds_a_linked_count_badge() -> None:
    findings = {"services/order-service": ("error", 3, "/t/shop/findings?element=services/order-service")}
    nodes, _ = draw(shop(), findings=findings)
    node = nodes[SVC["order-service"]]
    assert unquote(node["color"]) == diagram.SEVERITY_COLOURS["error"]
    label = node["label"]
    assert 'HREF="/t/shop/findings?element=services/order-service"' in label
    assert f'ID="badge-{SVC["order-service"]}"' in label
    assert ">3</FONT>" in label
    assert 'HREF="services/order-service"' in label  # the name cell still links to the page
    assert "URL" not in node  # no outer link wrapping the badge's link
    assert "color" not in nodes[SVC["payment-service"]]


def test_it_summarises_findings_per_element_by_worst_severity() -> None:
    class F:
        def __init__(self, key: str, severity: str) -> None:
            self.key, self.severity = key, severity

    badges = diagram.findings_badges([F("services/a", "info"), F("services/a", "warning"),
                                      F("messages/B", "hint")], link="/f/{collection}/{name}")
    assert badges == {"messages/B": ("hint", 1, "/f/messages/B"), "services/a": ("warning", 2, "/f/services/a")}


def test_it_adds_traffic_labels_to_edges_by_edge_id() -> None:
    eid = edge_id(SVC["order-service"], MSG["OrderPlaced"])
    _, edges = draw(shop(), traffic={eid: "12/s"})
    assert unquote(edges[eid]["label"]) == "order-service sends OrderPlaced\n12/s"


def test_it_builds_element_urls_from_a_pattern_or_a_callable() -> None:
    nodes, _ = draw(shop(), link_base="/teams/acme/{collection}/{name}/")
    assert unquote(nodes[SVC["order-service"]]["URL"]) == "/teams/acme/services/order-service/"
    nodes, _ = draw(shop(), link_base=lambda key: "#" + key)
    assert unquote(nodes[MSG["OrderPlaced"]]["URL"]) == "#messages/OrderPlaced"


# ---- escaping --------------------------------------------------------------------------------
def test_it_keeps_hostile_names_inside_their_strings() -> None:
    model = hostile()
    nodes, _edges = parse(build_dot(model, DiagramOptions(show_channels=True, cluster="owner")))
    # every element is one node statement, nothing else got in
    assert len(nodes) == len(model.services) + len(model.messages) + len(model.channels)
    assert not any("evil" in k for n in nodes.values() for k in n)
    labels = {unquote(n["label"]) for n in nodes.values()}
    assert HOSTILE in labels and BREAKOUT in labels and 'Evil"Event\\' in labels


def test_it_escapes_backslashes_so_graphviz_escapes_stay_literal() -> None:
    nodes, _ = draw(hostile())
    tooltip = nodes[node_id(f"services/{BREAKOUT}")]["tooltip"]
    assert tooltip == '"back\\\\slash \\\\N \\\\G \\"quoted\\""'
    assert unquote(tooltip) == 'back\\slash \\N \\G "quoted"'


def test_it_drops_control_characters_and_turns_newlines_into_line_breaks() -> None:
    nodes, _ = draw(hostile())
    label = nodes[node_id("messages/Multi\nLine\r\nName\x00\x07")]["label"]
    assert label == '"Multi\\nLine\\nName"'


def test_it_escapes_hostile_text_inside_html_badge_labels() -> None:
    key = f"services/{HOSTILE}"
    findings = {key: ("warning", 1, '/f?a=1&b="x"><script>')}
    nodes, _ = draw(hostile(), findings=findings)
    label = nodes[node_id(key)]["label"]
    assert "<script>" not in label
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in label
    assert 'HREF="/f?a=1&amp;b=%22x%22%3E%3Cscript%3E"' in label
    assert label.count("<TD") == 2


def test_it_percent_encodes_everything_but_url_syntax_in_links() -> None:
    assert diagram.safe_url('/f?a=1&b="<x>" \\ \'é') == "/f?a=1&b=%22%3Cx%3E%22%20%5C%20%27%C3%A9"
    assert diagram.safe_url("/already%20encoded#frag") == "/already%20encoded#frag"
    nodes, _ = draw(shop(), link_base=lambda key: f"/x y/{key}")
    assert unquote(nodes[SVC["order-service"]]["URL"]) == "/x%20y/services/order-service"


def test_it_percent_encodes_names_in_urls() -> None:
    nodes, _ = draw(hostile())
    url = unquote(nodes[node_id(f"services/{HOSTILE}")]["URL"])
    assert url == "services/%3Cscript%3Ealert%281%29%3C%2Fscript%3E"


def test_it_cuts_very_long_names_in_labels_but_not_in_ids() -> None:
    name = "A" * 300
    nodes, _ = draw(ModelBuilder().service(name).build())
    label = unquote(nodes[node_id(f"services/{name}")]["label"])
    assert len(label) == diagram.LABEL_MAX and label.endswith("…")


# ---- purity and speed ------------------------------------------------------------------------
def test_the_diagram_core_imports_nothing_from_django() -> None:
    tree = ast.parse(Path(diagram.__file__).read_text())
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert imported and not any(m.split(".")[0] in {"django", "designer.catalog"} for m in imported)
    assert not any(m.startswith("designer.catalog") or m == "subprocess" for m in imported)


def test_it_builds_a_thousand_node_team_quickly() -> None:
    import time

    b = ModelBuilder()
    for i in range(500):
        b.sends(f"svc-{i}", f"Event{i}Happened").receives(f"svc-{(i * 7 + 1) % 500}", f"Event{i}Happened")
    model = b.build()
    started = time.perf_counter()
    dot = build_dot(model, DiagramOptions(cluster="owner"))
    elapsed = time.perf_counter() - started
    assert dot.count(" -> ") == 1000
    assert elapsed < 1.0  # ~10 ms here; generous for a shared CI machine


def test_it_summarises_a_channel_edge_that_carries_many_messages() -> None:
    builder = ModelBuilder().channel("bus")
    for i in range(5):
        name = f"Thing{i}Happened"
        builder = builder.message(name, channel="bus").sends("a", name).receives("b", name)
    _, edges = draw(builder.build(), show_channels=True)
    label = unquote(edges[edge_id(node_id("channels/bus"), node_id("services/b"))]["label"])
    assert label.splitlines() == ["b receives Thing0Happened from bus", "b receives Thing1Happened from bus",
                                  "b receives Thing2Happened from bus", "and 2 more"]


# ---- focus by name ---------------------------------------------------------------------------
def test_it_resolves_a_bare_name_to_its_element_key() -> None:
    model = shop()
    assert diagram.resolve_focus(model, "OrderPlaced") == "messages/OrderPlaced"
    assert diagram.resolve_focus(model, " order-SERVICE ") == "services/order-service"
    assert diagram.resolve_focus(model, "services/order-service") == "services/order-service"


def test_it_refuses_an_unknown_or_shared_name_with_the_names_to_pick_from() -> None:
    with pytest.raises(DiagramError, match="did you mean OrderPlaced"):
        diagram.resolve_focus(shop(), "OrderPlace")
    with pytest.raises(DiagramError, match="nothing named 'zzz'"):
        diagram.resolve_focus(shop(), "zzz")
    shared = ModelBuilder().service("Orders").channel("Orders").build()
    with pytest.raises(DiagramError, match="channels/Orders, services/Orders"):
        diagram.resolve_focus(shared, "Orders")


def test_focus_choices_say_what_kind_each_element_is() -> None:
    choices = {name: kind for _, name, kind in diagram.focus_choices(shop())}
    assert choices["GetOrder"] == "query" and choices["order-service"] == "service"
