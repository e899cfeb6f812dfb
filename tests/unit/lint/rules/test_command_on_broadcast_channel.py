from designer.core.lint.rules import command_on_broadcast_channel as rule
from tests.unit.lint.rules.rules_kit import Channel, model, msg, run, wire


def test_it_flags_a_command_on_a_topic_with_several_subscribers() -> None:
    messages = [msg("OrderPlaced", channel="orders"), msg("Charge", kind="command", channel="orders")]
    rels = wire("OrderPlaced", ["o"], ["pay", "ship"]) + wire("Charge", ["o"], ["pay"])
    found = run(rule, model(messages, relations=rels, channels=[Channel("orders", broker="kafka")]))
    assert [(f.element, f.path) for f in found] == [("Charge", "channel.orders")]


def test_it_passes_a_command_on_a_queue() -> None:
    messages = [msg("Charge", kind="command", channel="q")]
    rels = wire("Charge", ["o"], ["pay", "pay2"])
    assert run(rule, model(messages, relations=rels, channels=[Channel("q", broker="rabbitmq")])) == []


def test_it_flags_an_event_sent_point_to_point_to_one_consumer() -> None:
    rels = wire("OrderPlaced", ["o"], ["pay"])
    found = run(rule, model([msg(channel="q")], relations=rels, channels=[Channel("q", broker="rabbitmq")]))
    assert len(found) == 1 and "pay" in found[0].message


def test_the_channel_pattern_extension_overrides_the_broker() -> None:
    fanout = Channel("x", broker="rabbitmq", extensions={"x-pattern": "pubsub"})
    assert run(rule, model([msg(channel="x")], relations=wire("OrderPlaced", ["o"], ["pay"]), channels=[fanout])) == []
    queue = Channel("k", broker="kafka", extensions={"x-pattern": "queue"})
    messages = [msg("Charge", kind="command", channel="k")]
    assert run(rule, model(messages, relations=wire("Charge", ["o"], ["a", "b"]), channels=[queue])) == []


def test_it_ignores_relations_without_channels() -> None:
    assert run(rule, model([msg("Charge", kind="command")], relations=wire("Charge", ["o"], ["a", "b"]))) == []
