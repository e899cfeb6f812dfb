from designer.core.lint.rules import message_schema_required as rule
from designer.core.model import Message, Version
from tests.unit.lint.rules.rules_kit import model, msg, obj, run


def test_it_flags_a_message_without_versions() -> None:
    (finding,) = run(rule, model([Message(name="OrderPlaced")]))
    assert finding.element == "OrderPlaced" and finding.path == "schema"


def test_it_flags_a_newest_version_without_schema() -> None:
    m = msg(versions=(Version("1.0.0", schema=obj()), Version("2.0.0", schema=None)))
    (finding,) = run(rule, model([m]))
    assert "2.0.0" in finding.message


def test_it_passes_a_message_with_a_schema() -> None:
    assert run(rule, model([msg(schema=obj())])) == []


def test_it_counts_an_empty_schema_as_declared() -> None:
    assert run(rule, model([msg(schema={})])) == []


def test_it_uses_the_message_kind() -> None:
    (finding,) = run(rule, model([Message(name="GetOrder", kind="query")]))
    assert finding.kind == "query"
