from designer.core.lint.rules import channel_mixed_kinds as rule
from tests.unit.lint.rules.rules_kit import Channel, model, msg, rel, run


def test_it_flags_commands_and_events_on_one_channel() -> None:
    m = model([msg(channel="orders"), msg("CancelOrder", kind="command", channel="orders")],
              channels=[Channel("orders")])
    (finding,) = run(rule, m)
    assert finding.kind == "channel" and "CancelOrder" in finding.message


def test_it_counts_relation_channels() -> None:
    m = model([msg(channel="orders"), msg("CancelOrder", kind="command")],
              relations=[rel("a", "CancelOrder", channel="orders")], channels=[Channel("orders")])
    assert len(run(rule, m)) == 1


def test_it_passes_separate_channels_and_queries_beside_events() -> None:
    m = model([msg(channel="orders"), msg("GetOrder", kind="query", channel="orders")],
              channels=[Channel("orders")])
    assert run(rule, m) == []
