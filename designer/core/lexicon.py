"""English verb and noun data for the naming rules: lemminflect's dictionary, loaded fast.

lemminflect answers from two gzipped CSV tables (lemmas of ~70k words, inflections of ~34k
lemmas) that it parses on first use, and importing it imports numpy: together 1-3 s on the
development machine, most of a command-line lint's start-up. This module asks lemminflect once
for exactly what the naming rules read (per word: a noun reading, verb lemmas; per verb: its
forms), keeps that as a compact ``marshal`` snapshot in the user's cache directory, and loads
the snapshot (about 30 ms) on later runs. The snapshot is keyed by the size and modification
time of lemminflect's data files, so upgrading lemminflect rebuilds it; when the cache directory
cannot be written, every run reads lemminflect directly (slower, same answers). lemminflect
itself is imported only for words outside its dictionary (its rule model guesses their forms).

The functions return exactly what the named lemminflect calls return for a lower-case word, so
``naming`` decides the same with or without the snapshot (a test compares them word by word).
"""
from __future__ import annotations

import importlib.util
import marshal
import os
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

# Penn tags of verb forms: all that ``getAllInflections(lemma, upos="VERB")`` can return.
VERB_TAGS: tuple[str, ...] = ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ")
_FORMAT = 2  # bump when the snapshot layout changes
_DATA_FILES = ("lemma_lu.csv.gz", "lemma_overrides.csv", "infl_lu.csv.gz", "infl_overrides.csv")

# word -> "N" or "-" (noun reading or not) followed by its comma-separated verb lemmas.
_Lemmas = dict[str, str]
# verb lemma -> "TAG:form,form;TAG:form" for its verb tags.
_Verbs = dict[str, str]


def cache_dir() -> Path:
    """Where the snapshot lives: ``$DESIGNER_CACHE_DIR``, else the XDG cache directory."""
    explicit = os.environ.get("DESIGNER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "event-flow-designer"


def _resources() -> Path | None:
    spec = importlib.util.find_spec("lemminflect")  # finds the package without importing it
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "resources"


def snapshot_path() -> Path | None:
    """The snapshot file for the installed lemminflect data (None if lemminflect is missing)."""
    resources = _resources()
    if resources is None:
        return None
    stamp = f"{_FORMAT};{resources}"
    for name in _DATA_FILES:
        try:
            st = (resources / name).stat()
        except OSError:
            continue
        stamp += f";{name}:{st.st_size}:{st.st_mtime_ns}"
    return cache_dir() / f"lexicon-{zlib.crc32(stamp.encode()):08x}.marshal"


def _build() -> tuple[_Lemmas, _Verbs]:
    """Read lemminflect's tables (with its overrides) through lemminflect itself."""
    from lemminflect.core.Inflections import Inflections
    from lemminflect.core.Lemmatizer import Lemmatizer

    lemmatizer, inflections = Lemmatizer(), Inflections()
    lemma_lu, lemma_over = lemmatizer._getLemmaDict(), lemmatizer._getOverridesDict()
    infl_lu, infl_over = inflections._getInflDict(), inflections._getOverridesDict()
    lemmas: _Lemmas = {}
    for word in lemma_lu.keys() | lemma_over.keys():
        readings = dict(lemma_lu.get(word, {}))
        readings.update(lemma_over.get(word, {}))  # what getAllLemmas does
        noun = "NOUN" in readings or "PROPN" in readings
        # Lower case, as lemminflect returns them for a lower-case word (its "caps style").
        lemmas[word] = ("N" if noun else "-") + ",".join(v.lower() for v in readings.get("VERB", ()))
    verbs: _Verbs = {}
    for lemma in infl_lu.keys() | infl_over.keys():
        forms = dict(infl_lu.get(lemma, {}))
        forms.update(infl_over.get(lemma, {}))  # what getAllInflections does
        parts = [f"{tag}:{','.join(f.lower() for f in forms[tag])}" for tag in VERB_TAGS if forms.get(tag)]
        if parts:
            verbs[lemma] = ";".join(parts)
    return lemmas, verbs


def _write(path: Path, data: bytes) -> None:
    import tempfile  # only when the snapshot is (re)built

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lexicon-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one
    except OSError:
        pass  # a read-only home or cache: every run reads lemminflect instead


@lru_cache(maxsize=1)
def _tables() -> tuple[_Lemmas, _Verbs]:
    path = snapshot_path()
    if path is not None:
        try:
            loaded: Any = marshal.loads(path.read_bytes())
            if (isinstance(loaded, tuple) and len(loaded) == 2
                    and isinstance(loaded[0], dict) and isinstance(loaded[1], dict)):
                return loaded[0], loaded[1]
        except (OSError, EOFError, ValueError, TypeError):
            pass  # missing or damaged: rebuild it
    tables = _build()
    if path is not None:
        _write(path, marshal.dumps(tables))
    return tables


def ensure_snapshot() -> Path | None:
    """Build the snapshot now if it is missing (``make setup`` calls this); return its path."""
    _tables()
    path = snapshot_path()
    return path if path is not None and path.exists() else None


def known(word: str) -> bool:
    """``word`` (lower case) is in lemminflect's dictionary (``getAllLemmas`` is not empty)."""
    return word in _tables()[0]


def is_noun(word: str) -> bool:
    """``word`` (lower case) has a noun or proper-noun reading."""
    entry = _tables()[0].get(word)
    return entry is not None and entry[0] == "N"


def verb_lemmas(word: str) -> tuple[str, ...]:
    """``getAllLemmas(word).get("VERB", ())`` for a lower-case word."""
    entry = _tables()[0].get(word)
    if not entry or len(entry) == 1:
        return ()
    return tuple(entry[1:].split(","))


@lru_cache(maxsize=16384)
def verb_forms(lemma: str) -> dict[str, tuple[str, ...]]:
    """``getAllInflections(lemma, upos="VERB")`` for a lower-case lemma (tag -> forms)."""
    entry = _tables()[1].get(lemma)
    if not entry:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for part in entry.split(";"):
        tag, _, forms = part.partition(":")
        out[tag] = tuple(forms.split(","))
    return out


@lru_cache(maxsize=4096)
def oov_verb_lemmas(word: str) -> tuple[str, ...]:
    """``getAllLemmasOOV(word, upos="VERB")``'s lemmas: lemminflect's guess for an unknown word."""
    import lemminflect

    return tuple(lemminflect.getAllLemmasOOV(word, upos="VERB").get("VERB", ()))


@lru_cache(maxsize=4096)
def oov_verb_forms(lemma: str) -> dict[str, tuple[str, ...]]:
    """``getAllInflectionsOOV(lemma, upos="VERB")``: the regular forms of an unknown verb."""
    import lemminflect

    found = lemminflect.getAllInflectionsOOV(lemma, upos="VERB")
    return {tag: tuple(forms) for tag, forms in found.items()}


def inflection(lemma: str, tag: str) -> tuple[str, ...]:
    """``getInflection(lemma, tag)`` for a verb tag (VBN and VBD stand in for each other)."""
    forms = verb_forms(lemma.lower()) if lemma.islower() else {}
    found = forms.get(tag)
    if found is None and tag in ("VBD", "VBN"):
        found = forms.get("VBN" if tag == "VBD" else "VBD")
    if found is None:
        if not lemma.islower():
            import lemminflect

            return tuple(lemminflect.getInflection(lemma, tag=tag))
        found = oov_verb_forms(lemma).get(tag)
    return found or ()
