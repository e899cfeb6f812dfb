from designer.core.pii import card_category, looks_like_pan, pii_category, secret_category


def test_it_matches_whole_words_in_every_casing() -> None:
    assert pii_category("customer_email_address") == "email address"
    assert pii_category("CustomerPhone") == "phone number"
    assert pii_category("shipping") is None


def test_it_matches_inside_one_word_lowercase_attribute_names() -> None:
    assert pii_category("useremail") == "email address"
    assert pii_category("company") is None
    assert card_category("company") is None


def test_it_lets_extra_words_extend_the_lists() -> None:
    assert pii_category("loyaltyNumber") is None
    assert pii_category("loyaltyNumber", ["loyaltyNumber"]) == "configured word"


def test_it_classifies_card_data_and_spares_masked_forms() -> None:
    assert card_category("cvv") == "card verification code"
    assert card_category("cardLast4") is None


def test_it_spares_qualified_secret_names() -> None:
    assert secret_category("refreshToken") == "token"
    assert secret_category("refreshTokenExpiresAt") is None


def test_it_checks_card_numbers_with_luhn() -> None:
    assert looks_like_pan("4111-1111-1111-1111")
    assert looks_like_pan(5500000000000004)
    assert not looks_like_pan("4111111111111112")
    assert not looks_like_pan("12345")
    assert not looks_like_pan(True)
