import pytest

from designer.core.lint.rules import card_data_in_payload as rule
from tests.unit.lint.rules.rules_kit import model, msg, obj, run, s


@pytest.mark.parametrize("name", ["cardNumber", "card_number", "pan", "CVV", "cvc2", "pin", "pinBlock",
                                  "track2", "creditCard", "securityCode"])
def test_it_flags_card_data_names(name: str) -> None:
    (finding,) = run(rule, model([msg(schema=obj(**{name: s()}))]))
    assert finding.severity == "error"


@pytest.mark.parametrize("name", ["cardLast4", "maskedPan", "cardToken", "cardBrand", "company", "pinned",
                                  "spinner", "panel", "cardFingerprint"])
def test_it_leaves_safe_card_references_alone(name: str) -> None:
    assert run(rule, model([msg(schema=obj(**{name: s()}))])) == []


def test_it_flags_a_luhn_valid_card_number_in_an_example() -> None:
    m = msg(schema=obj(ref=s()), example={"ref": "4111 1111 1111 1111", "other": "4111111111111112"})
    (finding,) = run(rule, model([m]))
    assert finding.path == "example.ref"


def test_it_can_skip_examples_and_checks_headers() -> None:
    m = msg(schema=obj(), example={"x": 4111111111111111}, extensions={"x-headers": obj(cvv=s())})
    found = run(rule, model([m]), check_examples=False)
    assert [f.path for f in found] == ["headers.properties.cvv"]
