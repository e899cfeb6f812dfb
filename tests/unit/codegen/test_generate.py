"""generate(): layout, determinism, headers, docstrings and errors, for every language."""
from __future__ import annotations

import ast
import re

import pytest

from designer.core.codegen import LANGUAGES, CodegenError, generate
from designer.core.model import Envelope, Message, Model, Relation, Service, Version
from tests.toolchain.models import hostile_model, shop_model


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_generates_byte_identical_files_for_the_same_model(lang: str) -> None:
    assert generate(shop_model(), lang) == generate(shop_model(), lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_file_names_the_model_revision_and_no_timestamp(lang: str) -> None:
    files = generate(shop_model(), lang, "order-service")
    for path, text in files.items():
        if path.endswith((".json", "go.mod", "py.typed")):
            continue
        assert "revision '42'" in text, path
        assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:\d\d", text.split("\n", 3)[0]), path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_service_gets_its_own_folder(lang: str) -> None:
    folders = {p.split("/", 1)[0] for p in generate(shop_model(), lang)}
    assert folders == {"order-service", "payment-service", "inventory-service",
                       "shipping-service", "email-service"}


def test_a_single_service_is_generated_at_the_root() -> None:
    files = generate(shop_model(), "python", "order-service")
    assert "pyproject.toml" in files and "order_service/handlers.py" in files


def test_it_rejects_an_unknown_language_clearly() -> None:
    with pytest.raises(CodegenError, match="unknown language 'cobol'"):
        generate(shop_model(), "cobol")


def test_it_rejects_an_unknown_service_and_names_the_known_ones() -> None:
    with pytest.raises(CodegenError, match="unknown service 'nope'.*order-service"):
        generate(shop_model(), "go", "nope")


def test_a_handler_docstring_says_what_the_message_means_and_who_sends_it() -> None:
    handlers = generate(shop_model(), "python", "payment-service")["payment_service/handlers.py"]
    assert "def on_order_placed(" in handlers
    assert "A customer placed an order." in handlers
    assert "Sent by: order-service." in handlers
    assert 'raise NotImplementedError("TODO: on_order_placed")' in handlers


def test_commands_get_a_handler_and_queries_a_responder() -> None:
    email = generate(shop_model(), "typescript", "email-service")["src/handlers.ts"]
    order = generate(shop_model(), "typescript", "order-service")["src/handlers.ts"]
    assert "handleSendEmail(" in email
    assert "answerGetOrderStatus(" in order


def test_publishers_build_the_brief_envelope() -> None:
    pub = generate(shop_model(), "python", "order-service")["order_service/publishers.py"]
    for wire in ("eventId", "eventType", "version", "timestamp", "source", "correlationId", "data"):
        assert f"{wire}=" in pub  # Envelope(...) keyword arguments: the wire names
    assert "outbox.add(envelope)" in pub


def test_publishers_build_a_cloudevents_envelope_when_the_team_uses_it() -> None:
    model = Model(services=(Service("s"),), messages=(Message("A"),),
                  relations=(Relation("s", "A", "produces"),), envelope=Envelope("cloudevents"))
    env = generate(model, "go", "s")["envelope.go"]
    for wire in ("id", "source", "specversion", "type", "time", "datacontenttype", "correlationid"):
        assert f'json:"{wire}' in env


def test_the_tests_skeleton_builds_order_placed_from_the_brief_example() -> None:
    test = generate(shop_model(), "go", "payment-service")["messages_test.go"]
    assert "ord_12345" in test and "prod_001" in test


def test_the_python_output_of_hostile_names_is_valid_python() -> None:
    for path, text in generate(hostile_model(), "python").items():
        if path.endswith(".py"):
            ast.parse(text, path)


def test_a_message_without_a_schema_still_gets_a_type_and_a_test() -> None:
    model = Model(services=(Service("s"),), messages=(Message("Ping", versions=(Version(),)),),
                  relations=(Relation("s", "Ping", "consumes"),))
    files = generate(model, "java", "s")
    assert "record Ping(" in files["src/main/java/com/example/s/Messages.java"]
