from designer.core.lint.rules import ordering_needs_partition_key as rule
from tests.unit.lint.rules.rules_kit import Channel, model, run


def test_it_flags_an_ordered_kafka_topic_without_key() -> None:
    (finding,) = run(rule, model([], channels=[Channel("orders", broker="kafka", ordered=True)]))
    assert finding.kind == "channel" and "record key" in finding.message


def test_it_passes_a_keyed_topic_an_unordered_one_and_rabbitmq_queues() -> None:
    channels = [Channel("a", ordered=True, partition_key="orderId"), Channel("b"),
                Channel("c", broker="rabbitmq", ordered=True)]
    assert run(rule, model([], channels=channels)) == []


def test_it_treats_a_blank_key_as_missing() -> None:
    assert len(run(rule, model([], channels=[Channel("a", ordered=True, partition_key="  ")]))) == 1
