"""Property tests: any name gives valid, unique identifiers; any text embeds safely."""
from __future__ import annotations

import ast
import json
import keyword
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from designer.core.codegen import common, generate, go, java, python, typescript
from designer.core.codegen.common import Scope
from designer.core.model import Message, Model, Relation, Service, Version

# Bounded so the unit suite stays fast on a shared 2-core machine.
BOUNDED = settings(max_examples=150, deadline=None)
names = st.text(min_size=0, max_size=24)
name_lists = st.lists(names, min_size=1, max_size=12)
ASCII_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

LANG_SCOPES = {
    "python": [("pascal", python.KEYWORDS), ("snake", python.KEYWORDS),
               ("screaming", python.KEYWORDS)],
    "typescript": [("pascal", typescript.KEYWORDS), ("camel", typescript.KEYWORDS)],
    "java": [("pascal", java.KEYWORDS), ("camel", java.KEYWORDS), ("screaming", java.KEYWORDS)],
    "go": [("pascal", go.KEYWORDS)],
}


def _valid(lang: str, ident: str, keywords: frozenset[str]) -> bool:
    if lang == "python":
        return ident.isidentifier() and not keyword.iskeyword(ident)
    return bool(ASCII_IDENT.fullmatch(ident)) and ident not in keywords


@BOUNDED
@given(name_lists)
def test_every_language_gets_valid_unique_identifiers_for_any_names(raw: list[str]) -> None:
    for lang, scopes in LANG_SCOPES.items():
        for style, kws in scopes:
            scope = Scope(style, kws, fold_case=True)
            idents = [scope.name(f"k{i}", n) for i, n in enumerate(raw)]
            assert all(_valid(lang, i, kws) for i in idents), (lang, style, idents)
            assert len({i.lower() for i in idents}) == len(idents)


@BOUNDED
@given(names)
def test_go_exported_names_start_with_an_upper_case_letter(raw: str) -> None:
    assert Scope("pascal", go.KEYWORDS).name(raw)[0].isupper()


@BOUNDED
@given(st.text(max_size=40))
def test_any_text_round_trips_through_a_python_literal(text: str) -> None:
    assert ast.literal_eval(common.py_string(text)) == common.clean(text)


@BOUNDED
@given(st.text(max_size=40))
def test_any_text_round_trips_through_a_c_literal(text: str) -> None:
    assert json.loads(common.c_string(text)) == common.clean(text)


@BOUNDED
@given(st.text(max_size=40))
def test_no_text_can_close_a_comment(text: str) -> None:
    for line in common.comment_lines(text, java=True):
        assert "*/" not in line and "\n" not in line and "\r" not in line
        assert "\u2028" not in line and "\u2029" not in line


json_leaf = st.one_of(
    st.fixed_dictionaries({"type": st.sampled_from(["string", "integer", "number", "boolean"])}),
    st.fixed_dictionaries({"type": st.just("string"), "format": st.sampled_from(["date-time", "date"])}),
    st.fixed_dictionaries({"enum": st.lists(names, min_size=1, max_size=4)}),
)
schemas = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.fixed_dictionaries({"type": st.just("array"), "items": inner}),
        st.fixed_dictionaries({"type": st.just("object"),
                               "properties": st.dictionaries(names, inner, max_size=4)}),
    ),
    max_leaves=8,
)


@settings(max_examples=40, deadline=None)
@given(st.lists(names, min_size=1, max_size=4),
       st.dictionaries(names, schemas, min_size=1, max_size=4))
def test_generated_python_parses_for_any_names_and_schemas(msg_names: list[str],
                                                          props: dict[str, object]) -> None:
    schema = {"type": "object", "properties": props}
    messages = tuple(Message(n, kind="event", versions=(Version("1.0.0", schema),))
                     for n in dict.fromkeys(msg_names))
    model = Model(services=(Service("svc"),), messages=messages,
                  relations=tuple(Relation("svc", m.name, "consumes") for m in messages))
    for path, text in generate(model, "python").items():
        if path.endswith(".py"):
            ast.parse(text, path)
