"""Word lists that recognise personal data, card data and secrets in property names.

Names are split into words (``userEmailAddress`` -> user, email, address) and matched on whole
words or runs of consecutive words, never on substrings: ``pinned`` is not a PIN, ``shipping``
is not ``ip``, ``productName`` is not a person's name. The lists are deliberately short and
explainable; teams extend them with the rules' ``extra_words`` option.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from designer.core.schema_walk import tokens

# Personal data (GDPR art. 4(1); Zalando Z#200): category -> word runs that identify it.
PII_WORDS: dict[str, tuple[str, ...]] = {
    "email address": ("email", "e mail", "mail address"),
    "phone number": ("phone", "mobile", "msisdn", "telephone", "fax", "cell number"),
    "person name": (
        "first name", "last name", "full name", "given name", "family name", "middle name",
        "maiden name", "surname", "forename", "customer name", "user name", "person name",
        "contact name", "recipient name", "sender name", "holder name", "cardholder name",
        "legal name", "display name", "nickname",
    ),
    "postal address": ("address", "street", "postcode", "postal code", "zip", "zip code", "zipcode"),
    "birth date": ("birth date", "birthdate", "date of birth", "dob", "birthday", "birth"),
    "IP address": ("ip", "ipv4", "ipv6", "ip address", "ipaddress", "remote addr"),
    "national id": (
        "ssn", "social security", "national id", "nationalid", "tax id", "taxid", "passport",
        "drivers license", "driver license", "driving licence", "nino", "vat number", "tin",
    ),
    "bank account": ("iban", "bic", "swift", "account number", "routing number", "sort code"),
    "location": ("latitude", "longitude", "lat", "lng", "lon", "geo", "geolocation", "gps",
                 "coordinates", "location"),
    "personal detail": ("gender", "ethnicity", "religion", "nationality", "marital status"),
}
# "address" is also a technical word: an e-mail address is still PII, but these are not.
PII_EXEMPT_RUNS: tuple[str, ...] = ("mac address", "wallet address", "contract address",
                                    "server address", "broker address", "memory address")

# Cardholder and sensitive authentication data (PCI DSS v4.0 3.3.1, 3.5.1).
CARD_WORDS: dict[str, tuple[str, ...]] = {
    "card number (PAN)": ("card number", "cardnumber", "card no", "card num", "pan",
                          "primary account number", "credit card", "creditcard", "debit card",
                          "cc number", "ccnumber", "ccnum"),
    "card verification code": ("cvv", "cvv2", "cvc", "cvc2", "cid", "csc", "security code",
                               "card verification"),
    "PIN": ("pin", "pin block", "pinblock"),
    "track data": ("track1", "track2", "track data", "track 1", "track 2", "magstripe",
                   "magnetic stripe"),
}
# Words that make a card-ish name harmless: a masked, truncated or tokenised reference.
CARD_SAFE_WORDS: frozenset[str] = frozenset(
    {"last4", "last", "masked", "mask", "token", "brand", "fingerprint", "bin", "type", "scheme",
     "expiry", "present", "country", "id", "issuer", "funding", "hash", "hashed", "reference"}
)

# Secrets (OWASP ASVS 4.0.3 V7.1.1: never log or publish credentials).
SECRET_WORDS: dict[str, tuple[str, ...]] = {
    "password": ("password", "passwd", "pwd", "passphrase", "pass phrase"),
    "secret": ("secret", "client secret", "credentials", "credential"),
    "token": ("token", "access token", "refresh token", "bearer", "auth token", "session token",
              "id token", "jwt"),
    "API key": ("api key", "apikey", "access key", "secret key", "signing key", "auth key"),
    "private key": ("private key", "privatekey", "priv key"),
    "one-time password": ("otp", "totp", "hotp", "mfa code", "one time password",
                          "verification code", "2fa code"),
}
# Tokens that are not credentials: pagination cursors, idempotency keys, payment tokens (a
# payment token replaces the PAN by design and is not a credential of the caller).
SECRET_SAFE_WORDS: frozenset[str] = frozenset(
    {"page", "next", "continuation", "cursor", "idempotency", "card", "payment", "csrf", "sync",
     "public", "pagination"}
)
# A last word that describes *about* a secret rather than the secret itself.
SECRET_QUALIFIERS: frozenset[str] = frozenset(
    {"id", "type", "name", "expires", "expiry", "expiration", "at", "ttl", "count", "length",
     "policy", "strength", "changed", "required", "enabled", "version", "hint", "reset",
     "updated", "set", "rotated", "created", "status", "kind", "scope", "scopes", "issuer"}
)


def _runs(words: list[str]) -> set[str]:
    """All runs of 1-4 consecutive words, joined by spaces, plus their unspaced forms."""
    out: set[str] = set()
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + 4) + 1):
            run = words[i:j]
            out.add(" ".join(run))
            out.add("".join(run))
    return out


def _index(table: dict[str, tuple[str, ...]]) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """word -> category for exact run lookups, and (unspaced word, category) for suffix matches."""
    exact: dict[str, str] = {}
    suffixes: list[tuple[str, str]] = []
    for category, words in table.items():
        for w in words:
            exact.setdefault(w, category)
            flat = w.replace(" ", "")
            if len(flat) >= MIN_INNER_MATCH:
                suffixes.append((flat, category))
    return exact, tuple(suffixes)


# Shortest table word looked for at the *end* of a one-word lowercase name (CloudEvents style
# ``useremail``, ``clientsecret``); shorter words (ip, pan, pin, zip) would match too often,
# and a word merely starting the name (``secretary``) is not enough.
MIN_INNER_MATCH = 5
_INDEXES = {"pii": _index(PII_WORDS), "card": _index(CARD_WORDS), "secret": _index(SECRET_WORDS)}


# Catalogs repeat the same property names thousands of times: classify each name once.
@lru_cache(maxsize=65536)
def _match(name: str, table: str, extra: tuple[str, ...] = ()) -> str | None:
    exact, suffixes = _INDEXES[table]
    words = tokens(name)
    runs = _runs(words)
    # Table order decides between categories: take the first category any run belongs to.
    hits = [exact[r] for r in runs if r in exact]
    if hits:
        order = list(dict.fromkeys(exact.values()))
        return min(hits, key=order.index)
    if len(words) == 1:
        for flat, category in suffixes:
            if words[0].endswith(flat):
                return category
    for w in extra:
        if " ".join(tokens(w)) in runs or w.lower() in runs:
            return "configured word"
    return None


def pii_category(name: str, extra: Iterable[str] = ()) -> str | None:
    """The kind of personal data a property name suggests ("email address", ...), or None."""
    return _pii(name, tuple(extra))


@lru_cache(maxsize=65536)
def _pii(name: str, extra: tuple[str, ...]) -> str | None:
    words = tokens(name)
    runs = _runs(words)
    flat = "".join(words)
    if any(r in runs or r.replace(" ", "") in flat for r in PII_EXEMPT_RUNS):
        return None
    return _match(name, "pii", extra)


def card_category(name: str, extra: Iterable[str] = ()) -> str | None:
    """The kind of card data a property name suggests, or None (masked/tokenised are safe)."""
    return _card(name, tuple(extra))


# Bounded like ``_pii``: property names repeat across thousands of messages, and the security
# rules ask about every property on every full lint.
@lru_cache(maxsize=65536)
def _card(name: str, extra: tuple[str, ...]) -> str | None:
    words = tokens(name)
    if CARD_SAFE_WORDS.intersection(words):
        return None
    return _match(name, "card", extra)


def secret_category(name: str, extra: Iterable[str] = ()) -> str | None:
    """The kind of secret a property name suggests, or None.

    A name whose last word qualifies the secret (``passwordChangedAt``, ``tokenType``,
    ``apiKeyId``) or that names a non-credential token (``pageToken``) is not a secret.
    """
    return _secret(name, tuple(extra))


@lru_cache(maxsize=65536)  # see ``_card``
def _secret(name: str, extra: tuple[str, ...]) -> str | None:
    words = tokens(name)
    if not words or words[-1] in SECRET_QUALIFIERS or SECRET_SAFE_WORDS.intersection(words):
        return None
    return _match(name, "secret", extra)


_DIGITS = re.compile(r"^[0-9][0-9 -]{11,22}[0-9]$")


def looks_like_pan(value: object) -> bool:
    """True for a string or int of 13-19 digits (spaces/dashes allowed) passing the Luhn check."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not _DIGITS.match(text):
        return False
    digits = [int(c) for c in text if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0
