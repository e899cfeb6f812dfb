from designer.core.lint.rules import partition_key_is_entity as rule
from tests.unit.lint.rules.rules_kit import Channel, model, msg, obj, run, s


def test_it_flags_event_ids_times_and_random_keys() -> None:
    channels = [Channel("a", partition_key="eventId"), Channel("b", partition_key="data.timestamp"),
                Channel("c", partition_key="random"), Channel("d", partition_key="orderId")]
    found = run(rule, model([], channels=channels))
    assert sorted(f.element for f in found) == ["a", "b", "c"]


def test_it_reads_the_key_format_from_a_message_on_the_channel() -> None:
    m = model([msg(channel="a", schema=obj(placed=s(format="date-time")))],
              channels=[Channel("a", partition_key="placed")])
    (finding,) = run(rule, m)
    assert "a time" in finding.message


def test_it_passes_an_entity_key_and_no_key() -> None:
    assert run(rule, model([], channels=[Channel("a", partition_key="customer_id"), Channel("b")])) == []
