"""The lexicon snapshot answers exactly what lemminflect answers, and is rebuilt when missing."""
from __future__ import annotations

from pathlib import Path

import lemminflect
import pytest
from lemminflect.core.Lemmatizer import Lemmatizer

from designer.core import lexicon

# Words the naming rules meet: irregular, same-form, -ed non-verbs, unknown words, nouns.
NAMED = ("placed sent paid withdrawn reset put read split broadcast feed need hundred order "
         "ship shipped cancel cancelled canceled upserted geocoded sync checkout payment create "
         "creation get fetch retry archived failed closed refund refunded begin began").split()


def _sample() -> list[str]:
    words = sorted(Lemmatizer()._getLemmaDict())
    return [w for w in words[::251] if w.islower() and w.isalpha()] + NAMED


@pytest.mark.parametrize("word", _sample())
def test_it_answers_like_lemminflect(word: str) -> None:
    readings = lemminflect.getAllLemmas(word)
    assert lexicon.known(word) == bool(readings)
    assert lexicon.is_noun(word) == ("NOUN" in readings or "PROPN" in readings)
    assert lexicon.verb_lemmas(word) == tuple(readings.get("VERB", ()))
    for lemma in lexicon.verb_lemmas(word) or (word,):
        expected = {tag: tuple(forms) for tag, forms in
                    lemminflect.getAllInflections(lemma, upos="VERB").items()}
        assert lexicon.verb_forms(lemma) == expected
        for tag in ("VBN", "VBD"):
            assert lexicon.inflection(lemma, tag) == tuple(lemminflect.getInflection(lemma, tag=tag))


def test_it_writes_the_snapshot_once_and_reads_it_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESIGNER_CACHE_DIR", str(tmp_path))
    lexicon._tables.cache_clear()
    try:
        path = lexicon.ensure_snapshot()
        assert path is not None and path.parent == tmp_path and path.stat().st_size > 100_000
        built = lexicon._tables()
        lexicon._tables.cache_clear()
        assert lexicon._tables() == built  # read back from the file
    finally:
        lexicon._tables.cache_clear()


def test_it_rebuilds_a_damaged_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESIGNER_CACHE_DIR", str(tmp_path))
    lexicon._tables.cache_clear()
    try:
        path = lexicon.snapshot_path()
        assert path is not None
        path.write_bytes(b"not marshal data")
        assert lexicon.verb_lemmas("sent") == ("send",)
        assert path.stat().st_size > 100_000
    finally:
        lexicon._tables.cache_clear()


def test_it_still_answers_when_the_cache_cannot_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("DESIGNER_CACHE_DIR", str(blocker / "sub"))  # a directory under a file
    lexicon._tables.cache_clear()
    try:
        assert lexicon.verb_lemmas("paid") == ("pay",)
    finally:
        lexicon._tables.cache_clear()
