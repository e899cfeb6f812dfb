import pytest

from designer.core.lint.rules import secret_in_payload as rule
from tests.unit.lint.rules.rules_kit import model, msg, obj, run, s


@pytest.mark.parametrize("name", ["password", "passwordHash", "client_secret", "accessToken", "refresh_token",
                                  "apiKey", "API_KEY", "privateKey", "otp", "mfaCode", "credentials", "jwt"])
def test_it_flags_secret_names(name: str) -> None:
    (finding,) = run(rule, model([msg(schema=obj(**{name: s()}))]))
    assert finding.severity == "error" and name in finding.message


@pytest.mark.parametrize("name", ["passwordChangedAt", "tokenType", "apiKeyId", "pageToken", "nextPageToken",
                                  "idempotencyToken", "cardToken", "tokenExpiresAt", "secretary"])
def test_it_leaves_names_about_secrets_alone(name: str) -> None:
    assert run(rule, model([msg(schema=obj(**{name: s()}))])) == []


def test_it_skips_booleans_numbers_and_dates() -> None:
    schema = obj(passwordResetRequired={"type": "boolean"}, tokenCount={"type": "integer"},
                 password=s(format="date-time"))
    assert run(rule, model([msg(schema=schema)])) == []


def test_it_finds_nested_secrets_and_uses_extra_words() -> None:
    schema = obj(auth=obj(bearer=s()), vaultPath=s())
    found = run(rule, model([msg(schema=schema)]), extra_words=["vaultPath"])
    assert sorted(f.path for f in found) == ["schema.properties.auth.properties.bearer", "schema.properties.vaultPath"]
