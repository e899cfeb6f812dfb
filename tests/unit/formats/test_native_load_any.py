"""load_any/detect: one parse, then the native reader or the AsyncAPI one."""
from __future__ import annotations

import importlib.util
import sys
import types

import pytest

from designer.core import formats
from designer.core.formats import FormatError, detect, load_any
from designer.core.model import Model


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


def test_it_hands_an_asyncapi_document_to_the_asyncapi_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []

    def load_data(data: object, positions: object, source: str) -> Model:
        seen.append((data, source))
        return Model(name="from asyncapi")

    fake = types.ModuleType("designer.core.formats.asyncapi")
    fake.load_data = load_data  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "designer.core.formats.asyncapi", fake)
    model = load_any("asyncapi: 3.0.0\ninfo: {title: Shop}\n", "api.yaml")
    assert model.name == "from asyncapi"
    assert seen == [({"asyncapi": "3.0.0", "info": {"title": "Shop"}}, "api.yaml")]


def test_it_says_asyncapi_is_unavailable_when_the_reader_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = formats.importlib.import_module

    def missing(name: str, package: str | None = None) -> types.ModuleType:
        if name == "designer.core.formats.asyncapi":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, package)

    monkeypatch.setattr(formats.importlib, "import_module", missing)
    with pytest.raises(FormatError) as info:
        load_any("asyncapi: 3.0.0\n", "api.yaml")
    assert info.value.reason == "AsyncAPI import is not available"
    assert importlib.util.find_spec("designer.core.formats") is not None
