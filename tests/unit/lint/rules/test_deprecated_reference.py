from designer.core.lint.rules import deprecated_reference as rule
from tests.unit.lint.rules.rules_kit import Version, model, msg, obj, rel, run

VERSIONS = (Version("1.0.0", schema=obj(), status="deprecated"), Version("2.0.0", schema=obj(), status="released"))


def test_it_flags_a_consumer_pinned_to_a_deprecated_version_and_offers_the_current_one() -> None:
    m = model([msg(versions=VERSIONS)], relations=[rel("pay", "OrderPlaced", "consumes", version="1.0.0")])
    (finding,) = run(rule, m)
    assert finding.path == "consumers.pay" and finding.fix is not None and finding.fix.value == "2.0.0"


def test_it_flags_a_pin_to_an_unknown_version() -> None:
    m = model([msg(versions=VERSIONS)], relations=[rel("pay", "OrderPlaced", "consumes", version="9.0.0")])
    (finding,) = run(rule, m)
    assert "does not exist" in finding.message


def test_it_passes_current_and_unpinned_consumers() -> None:
    rels = [rel("pay", "OrderPlaced", "consumes", version="2.0.0"), rel("ship", "OrderPlaced", "consumes")]
    assert run(rule, model([msg(versions=VERSIONS)], relations=rels)) == []


def test_it_has_no_fix_when_every_version_is_deprecated() -> None:
    only = (Version("1.0.0", schema=obj(), status="deprecated"),)
    m = model([msg(versions=only)], relations=[rel("pay", "OrderPlaced", "consumes", version="1.0.0")])
    (finding,) = run(rule, m)
    assert finding.fix is None
