"""Every keyword the official meta-schemas define is judged by the engine or known to annotate.

The meta-schemas come from the ``jsonschema-specifications`` package (the JSON Schema
organisation's own documents for draft-04 to 2020-12). A keyword the engine did not know would
fall into its "cannot prove" rule, which is safe but useless for a real keyword; a validation
keyword mistaken for an annotation would be silently compatible, which is the failure this file
guards against.
"""
from __future__ import annotations

import pytest
from jsonschema_specifications import REGISTRY

from designer.core import compat

DIALECTS = {
    "legacy": ["http://json-schema.org/draft-04/schema", "http://json-schema.org/draft-06/schema",
               "http://json-schema.org/draft-07/schema"],
    "2019": [f"https://json-schema.org/draft/2019-09/meta/{v}" for v in
             ("core", "applicator", "validation", "meta-data", "format", "content")],
    "2020": [f"https://json-schema.org/draft/2020-12/meta/{v}" for v in
             ("core", "applicator", "unevaluated", "validation", "meta-data", "format-annotation", "content")],
}
# Vocabularies whose keywords decide what validates: none of them may be taken for an annotation.
ASSERTING = [u for u in (*DIALECTS["legacy"], *DIALECTS["2019"], *DIALECTS["2020"])
             if not u.endswith(("meta-data", "content", "format", "format-annotation", "core"))]


def keywords(uri: str) -> set[str]:
    return set(REGISTRY.contents(uri).get("properties", {}))


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_it_knows_every_keyword_of_each_dialect(dialect: str) -> None:
    defined = set().union(*(keywords(u) for u in DIALECTS[dialect]))
    known = compat._HANDLED[dialect] | compat._ANNOTATIONS | set(compat._REF_KEYWORDS) | set(compat._COMBINATORS)
    assert sorted(defined - known) == []


def test_it_never_takes_a_validation_keyword_for_an_annotation() -> None:
    # The draft-04/06/07 meta-schemas are one document each: take out what the later drafts file
    # under core, meta-data, content and format (draft-04's "id"; "definitions", the old $defs).
    annotating = {"id", "format", "definitions"}.union(*(keywords(u) for u in (*DIALECTS["2019"], *DIALECTS["2020"])
                                         if u.endswith(("meta-data", "content", "core"))))
    asserting = set().union(*(keywords(u) for u in ASSERTING)) - annotating
    assert {"type", "required", "additionalItems", "dependencies", "unevaluatedProperties"} <= asserting
    assert sorted(asserting & compat._ANNOTATIONS) == []
