"""load_any/detect: one parse, then the native reader or the AsyncAPI one."""
from __future__ import annotations

from pathlib import Path

import pytest

from designer.core.formats import FormatError, asyncapi, detect, load_any

FIXTURES = Path(__file__).resolve().parents[1] / "asyncapi" / "fixtures"


def test_it_detects_native_and_asyncapi_documents() -> None:
    assert detect("version: 1\n") == "native"
    assert detect('{"asyncapi": "3.0.0", "info": {}}') == "asyncapi"
    assert detect("info:\n  asyncapi: nested\n") == "native"


def test_it_loads_a_native_document() -> None:
    model = load_any("version: 1\nmessages: [{name: OrderPlaced}]\n", "m.yaml")
    assert [m.name for m in model.messages] == ["OrderPlaced"]


def test_it_reports_native_errors_with_position_and_source() -> None:
    with pytest.raises(FormatError) as info:
        load_any("version: 1\nmessages: [{name: M, kind: fact}]\n", "m.yaml")
    assert (info.value.line, info.value.column, info.value.source) == (2, 28, "m.yaml")


def test_it_reports_a_parse_error_with_its_source() -> None:
    with pytest.raises(FormatError) as info:
        load_any("a: [", "broken.yaml")
    assert info.value.source == "broken.yaml"
    assert info.value.line is not None and info.value.reason.startswith("malformed YAML")


def test_it_hands_an_asyncapi_document_to_the_asyncapi_reader() -> None:
    text = (FIXTURES / "user_signup_v26.yaml").read_text()
    model = load_any(text, "user_signup_v26.yaml")
    assert detect(text) == "asyncapi"
    assert model.messages and all(m.name for m in model.messages)
    assert model == asyncapi.load(text, "user_signup_v26.yaml")
