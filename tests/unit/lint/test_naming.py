"""Naming analysis: splitting identifiers, tense, mood and casing, on the hard English cases."""
from __future__ import annotations

import pytest

from designer.core.naming import (
    casing_styles,
    command_mood,
    event_tense,
    normalise,
    parse_name,
    query_verb,
    split_identifier,
    verb_of_nominalisation,
    word_info,
)


@pytest.mark.parametrize(("name", "words"), [
    ("OrderPlaced", ["Order", "Placed"]),
    ("orderPlaced", ["order", "Placed"]),
    ("order_placed", ["order", "placed"]),
    ("order-placed", ["order", "placed"]),
    ("order.placed", ["order", "placed"]),
    ("ORDER_PLACED", ["ORDER", "PLACED"]),
    ("HTTPRequestSent", ["HTTP", "Request", "Sent"]),
    ("Order2Placed", ["Order", "2", "Placed"]),
])
def test_it_splits_every_casing_into_words(name: str, words: list[str]) -> None:
    assert split_identifier(name) == words


def test_it_drops_a_reverse_dns_prefix_and_a_version_suffix() -> None:
    parsed = parse_name("com.acme.order.placed.v2", "event")
    assert parsed.words == ("order", "placed")
    assert parsed.prefix == "com.acme"
    assert parsed.version == "v2"


@pytest.mark.parametrize("name", ["OrderPlacedV2", "order_placed_v3", "order-placed-v2"])
def test_it_drops_version_suffixes_in_any_casing(name: str) -> None:
    assert parse_name(name, "event").words == ("order", "placed")


def test_it_drops_a_trailing_particle_after_a_verb() -> None:
    assert parse_name("CartCheckedOut", "event").words == ("cart", "checked")
    assert parse_name("UserLoggedIn", "event").particle is not None


def test_it_drops_a_trailing_kind_word() -> None:
    assert parse_name("OrderPlacedEvent", "event").words == ("order", "placed")
    assert parse_name("PlaceOrderCommand", "command").words == ("place", "order")


def test_it_normalises_names_across_casings() -> None:
    assert normalise("OrderPlaced") == normalise("order_placed") == normalise("ORDER-PLACED")
    assert normalise("OrderPlaced") != normalise("OrderShipped")


@pytest.mark.parametrize("name", [
    "OrderPlaced", "PaymentSent", "InvoicePaid", "FundsWithdrawn", "HouseBuilt", "StockHeld",
    "ItemSold", "AuctionBegan", "PasswordReset", "PriceSet", "FileRead", "TopicSplit",
    "NewsBroadcast", "CartCheckedOut", "UserLoggedIn", "UserSignedUp", "ItemAddedToCart",
    "com.acme.order.placed.v2", "order_placed", "ORDER_PLACED", "order-placed", "orderPlaced",
    "OrderCancelled", "OrderCanceled", "NeedIdentified", "AddressGeocoded", "OrderPlacedEvent",
])
def test_it_accepts_past_tense_event_names(name: str) -> None:
    verdict = event_tense(name)
    assert verdict.ok, verdict.reason


def test_it_finds_the_head_verb_in_the_middle_of_a_name() -> None:
    assert event_tense("ItemAddedToCart").head == "Added"


@pytest.mark.parametrize(("name", "shape", "suggestion"), [
    ("OrderCancel", "base", "OrderCancelled"),
    ("OrderProcessing", "gerund", "OrderProcessed"),
    ("UserRegisters", "present", "UserRegistered"),
    ("OrderCreation", "nominal", "OrderCreated"),
    ("OrderCancellation", "nominal", "OrderCancelled"),
    ("PaymentApproval", "nominal", "PaymentApproved"),
    ("CartCheckout", "nominal", "CartCheckedOut"),
    ("com.acme.order.create.v2", "base", "com.acme.order.created.v2"),
    ("order_create", "base", "order_created"),
    ("SendEmail", "imperative", "EmailSent"),
    ("ResetPassword", "imperative", "PasswordReset"),
    ("SetPrice", "imperative", "PriceSet"),
])
def test_it_flags_non_past_event_names_and_suggests_the_past(name: str, shape: str, suggestion: str) -> None:
    verdict = event_tense(name)
    assert not verdict.ok
    assert verdict.shape == shape
    assert verdict.suggestion == suggestion


@pytest.mark.parametrize("name", ["ProductFeed", "SeedData", "SpeedLimit", "HundredItems"])
def test_it_does_not_take_ed_words_that_are_not_verbs_for_past_tense(name: str) -> None:
    assert not event_tense(name).ok


def test_it_knows_feed_need_and_seed_are_not_past_forms() -> None:
    for word in ("feed", "need", "seed", "speed", "embed", "hundred"):
        assert not word_info(word).is_past, word


def test_it_reads_irregular_past_forms_from_the_dictionary() -> None:
    for word in ("sent", "paid", "built", "held", "sold", "began", "withdrawn"):
        assert word_info(word).is_past, word


def test_it_offers_no_rename_when_the_last_word_is_mostly_a_noun() -> None:
    verdict = event_tense("PaymentOrder")
    assert not verdict.ok
    assert verdict.suggestion is None


def test_it_offers_no_rename_for_a_lone_nominalisation() -> None:
    assert event_tense("Payment").suggestion is None


def test_it_turns_nominalisations_back_into_verbs() -> None:
    assert verb_of_nominalisation("creation") == "create"
    assert verb_of_nominalisation("payment") == "pay"
    assert verb_of_nominalisation("registration") == "register"
    assert verb_of_nominalisation("window") is None


@pytest.mark.parametrize("name", [
    "PlaceOrder", "ProcessPayment", "ResetPassword", "CreateOrder", "CheckoutCart", "CheckOutCart",
    "SendEmail", "place_order", "PlaceOrderCommand", "SetPrice", "SyncInventory", "OrderPizza",
])
def test_it_accepts_imperative_command_names(name: str) -> None:
    verdict = command_mood(name)
    assert verdict.ok, verdict.reason


@pytest.mark.parametrize(("name", "suggestion"), [
    ("OrderPlaced", "PlaceOrder"),
    ("order_placed", "place_order"),
    ("PaymentProcess", "ProcessPayment"),
    ("PasswordReset", "ResetPassword"),
    ("OrderCreate", "CreateOrder"),
    ("EmailSent", "SendEmail"),
    ("SendingEmail", "SendEmail"),
])
def test_it_flags_commands_that_do_not_start_with_a_base_verb(name: str, suggestion: str) -> None:
    verdict = command_mood(name)
    assert not verdict.ok
    assert verdict.suggestion == suggestion


@pytest.mark.parametrize("name", [
    "GetCustomer", "FetchOrders", "FindUser", "ListOrders", "SearchProducts", "LookupAddress",
    "CountItems", "IsEmailTaken", "GetCustomerQuery", "get_customer",
])
def test_it_accepts_retrieval_query_names(name: str) -> None:
    assert query_verb(name).ok


@pytest.mark.parametrize(("name", "shape"), [
    ("DeleteCustomer", "mutating"), ("UpdateOrder", "mutating"), ("CustomerFetched", "past"),
    ("CustomerDetails", "none"),
])
def test_it_flags_queries_that_do_not_ask_for_data(name: str, shape: str) -> None:
    verdict = query_verb(name)
    assert not verdict.ok
    assert verdict.shape == shape


@pytest.mark.parametrize(("name", "style"), [
    ("OrderPlaced", "PascalCase"), ("orderPlaced", "camelCase"), ("order_placed", "snake_case"),
    ("ORDER_PLACED", "SCREAMING_SNAKE_CASE"), ("order-placed", "kebab-case"),
    ("order.placed", "dot.case"),
])
def test_it_recognises_every_casing_style(name: str, style: str) -> None:
    assert style in casing_styles(name)


def test_it_lets_a_single_lower_word_fit_several_styles() -> None:
    assert {"camelCase", "snake_case", "kebab-case"} <= casing_styles("order")


def test_it_finds_no_style_in_a_mixed_name() -> None:
    assert casing_styles("Order_placed") == frozenset()
