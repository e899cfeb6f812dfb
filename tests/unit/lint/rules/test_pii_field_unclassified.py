import pytest

from designer.core.lint.rules import pii_field_unclassified as rule
from tests.unit.lint.rules.rules_kit import brief, model, msg, obj, run, s


@pytest.mark.parametrize("name", ["userEmail", "phone_number", "firstName", "LAST_NAME", "shippingAddress",
                                  "postcode", "dateOfBirth", "ipAddress", "ssn", "iban", "latitude",
                                  "passportNumber"])
def test_it_flags_personal_data_names(name: str) -> None:
    (finding,) = run(rule, model([msg(schema=obj(**{name: s()}))]))
    assert finding.fix is not None and finding.fix.field.endswith(".x-pii")


@pytest.mark.parametrize("name", ["productName", "shipping", "pinned", "latency", "macAddress", "brokeraddress",
                                  "orderId", "description"])
def test_it_leaves_look_alike_names_alone(name: str) -> None:
    assert run(rule, model([msg(schema=obj(**{name: s()}))])) == []


def test_it_accepts_x_pii_and_x_classification() -> None:
    schema = obj(email=s(**{"x-pii": True}), phone=s(**{"x-pii": False}),
                 street=s(**{"x-classification": "personal"}))
    assert run(rule, model([msg(schema=schema)])) == []


def test_it_skips_booleans_and_finds_nested_and_header_fields() -> None:
    schema = brief(data=obj(emailVerified={"type": "boolean"}, customer=obj(email=s())))
    m = msg(schema=schema, extensions={"x-headers": obj(userEmail=s())})
    found = run(rule, model([m], profile="brief"))
    assert sorted(f.path for f in found) == ["headers.properties.userEmail",
                                             "schema.properties.data.properties.customer.properties.email"]


def test_it_uses_extra_words_and_ignore_options() -> None:
    schema = obj(loyaltyCard=s(), email=s())
    found = run(rule, model([msg(schema=schema)]), extra_words=["loyaltyCard"], ignore=["email"])
    assert [f.path for f in found] == ["schema.properties.loyaltyCard"]
