from designer.core.lint.rules import schema_content_model_explicit as rule
from designer.core.model import Version
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run


def closed() -> dict:  # type: ignore[type-arg]
    return {**obj(), "additionalProperties": False}


def test_it_flags_a_closed_event_under_forward() -> None:
    (finding,) = run(rule, model([msg(schema=closed())]))
    assert "FORWARD" in finding.message
    assert finding.fix is not None and finding.fix.value is True


def test_it_flags_an_open_command_under_backward() -> None:
    (finding,) = run(rule, model([msg("ShipOrder", kind="command", schema=obj())]))
    assert "BACKWARD" in finding.message and finding.fix is not None and finding.fix.value is False


def test_it_passes_matching_choices() -> None:
    assert run(rule, model([msg(schema=obj()), msg("ShipOrder", kind="command", schema=closed())])) == []


def test_it_uses_the_version_compat_over_the_team_default() -> None:
    m = msg(versions=(Version(schema=obj(), compat="BACKWARD_TRANSITIVE"),))
    assert len(run(rule, model([m]))) == 1


def test_it_asks_full_to_be_explicit() -> None:
    m = msg(versions=(Version(schema=obj(), compat="FULL"),))
    assert len(run(rule, model([m]))) == 1
    m2 = msg(versions=(Version(schema=closed(), compat="FULL"),))
    assert run(rule, model([m2])) == []


def test_it_ignores_none_and_looks_at_brief_data() -> None:
    assert run(rule, model([msg(versions=(Version(schema=closed(), compat="NONE"),))])) == []
    found = run(rule, model([msg(schema=brief(data=closed()))], profile="brief"))
    assert [f.path for f in found] == ["schema.properties.data.additionalProperties"]
