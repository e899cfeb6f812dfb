"""The fast reading paths give exactly what the complete, position-recording pass gives.

``yamlsafe.parse`` records positions only for short paths and reads JSON with the C decoder;
these tests hold it to the complete pass (every position recorded) on the shipped demo, real
AsyncAPI documents and generated big models, in YAML and JSON, for data and every position.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from designer.core.formats import asyncapi, native, yamlsafe
from designer.core.formats.errors import FormatError
from designer.core.formats.yamlsafe import Positions

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = [ROOT / "designer/catalog/demo/shop.yaml",
             *sorted((ROOT / "tests/unit/asyncapi/fixtures").glob("*.yaml"))]
LIMITS = (yamlsafe.DEFAULT_MAX_DEPTH, yamlsafe.DEFAULT_MAX_ALIASES, yamlsafe.DEFAULT_MAX_ALIAS_NODES)


def complete(text: str) -> tuple[object, Positions]:
    positions = Positions()
    return yamlsafe._read(text, positions, LIMITS, None), positions


def texts() -> list[tuple[str, str]]:
    out = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        out.append((path.name, text))
        data, _ = yamlsafe.parse(text)
        out.append((path.name + " as JSON", json.dumps(data, indent=2, ensure_ascii=False)))
    model = native.load(DOCUMENTS[0].read_text(encoding="utf-8"))
    out.append(("demo exported to AsyncAPI", json.dumps(asyncapi.dump(model), indent=1)))
    return out


@pytest.mark.parametrize(("name", "text"), texts(), ids=[n for n, _ in texts()])
def test_it_reads_data_and_positions_like_the_complete_pass(name: str, text: str) -> None:
    data, positions = yamlsafe.parse(text)
    full_data, full = complete(text)
    assert data == full_data
    # Every position it recorded is the complete pass's, and every other one it finds on demand.
    assert all(full.keys[k] == v for k, v in positions.keys.items())
    assert all(full.values[k] == v for k, v in positions.values.items())
    for path in random.Random(name).sample(sorted(full.keys, key=repr), min(400, len(full.keys))):
        assert positions.key(path) == full.keys[path]
        assert positions.value(path) == full.values[path]


def test_it_reports_an_error_found_on_the_fast_pass_with_its_exact_place() -> None:
    text = "version: 1\nmessages:\n  - name: A\n    schema:\n      properties:\n        a: 1\n        a: 2\n"
    with pytest.raises(FormatError) as caught:
        yamlsafe.parse(text)
    assert (caught.value.line, caught.value.column) == (7, 9)
    assert caught.value.reason == "duplicate key 'a' (first at line 6, column 9)"


@pytest.mark.parametrize(("text", "reason"), [
    ('{"a": 1, "a": 2}', "duplicate key 'a' (first at line 1, column 2)"),
    ("[" * 80 + "]" * 80, "the document nests deeper than 64 levels"),
])
def test_it_hands_json_it_cannot_take_to_the_yaml_reader(text: str, reason: str) -> None:
    with pytest.raises(FormatError) as caught:
        yamlsafe.parse(text)
    assert caught.value.reason == reason


@pytest.mark.parametrize(("text", "data"), [
    ('{"a": NaN}', {"a": "NaN"}),  # not JSON; YAML 1.1 reads it as text
    ('{"a": 1e400}', {"a": "1e400"}),  # not a finite JSON number; text for YAML 1.1
    ('{"a": 1,}', {"a": 1}),  # a trailing comma: YAML flow syntax, not JSON
])
def test_it_reads_what_json_refuses_as_yaml(text: str, data: object) -> None:
    assert yamlsafe.parse(text)[0] == data


def test_it_reads_json_numbers_as_json_does() -> None:
    data, positions = yamlsafe.parse('{\n  "maximum": 1e5,\n  "n": [1, 2.5]\n}')
    assert data == {"maximum": 100000.0, "n": [1, 2.5]}
    assert positions.key(("n", 1)) == (3, 12)


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "yaml"])
def test_a_read_document_is_freed_without_the_cyclic_collector(as_json: bool) -> None:
    # The command line runs with the cyclic collector off: a reading that left a reference
    # cycle behind (a self-referring closure holding the text and the position maps) kept a
    # whole document alive until exit, 15 MB of text at 5,000 messages.
    import gc

    text = json.dumps({"asyncapi": "3.0.0", "channels": {"a": {"messages": {"m": {"x": [1, 2]}}}}})
    if not as_json:
        text = "asyncapi: 3.0.0\nchannels:\n  a:\n    messages:\n      m: {x: [1, 2]}\n"
    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        data, positions = yamlsafe.parse(text)
        assert positions.key(("channels", "a", "messages", "m")) is not None
        del data, positions
        assert gc.collect() == 0  # nothing was left for the collector: all freed already
    finally:
        if was:
            gc.enable()
