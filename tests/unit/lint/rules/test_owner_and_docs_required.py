from designer.core.lint.rules import owner_and_docs_required as rule
from tests.unit.lint.rules.rules_kit import Channel, Flow, Service, model, msg, run


def test_it_flags_each_missing_field_of_each_element() -> None:
    m = model([msg()], services=[Service("s")], channels=[Channel("c")], flows=[Flow("f")])
    found = run(rule, m)
    assert sorted((f.kind, f.path) for f in found) == [
        ("channel", "description"), ("channel", "owner"), ("event", "description"), ("event", "owner"),
        ("flow", "description"), ("service", "description"), ("service", "owner")]


def test_it_passes_documented_and_owned_elements() -> None:
    m = model([msg(owner="t", description="d")], services=[Service("s", owner="t", description="d")],
              channels=[Channel("c", owner="t", description="d")], flows=[Flow("f", description="d")])
    assert run(rule, m) == []


def test_it_treats_whitespace_as_missing() -> None:
    assert len(run(rule, model([], services=[Service("s", owner=" ", description="d")]))) == 1
