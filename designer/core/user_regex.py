"""Regular expressions that users write (team lint options) run on RE2: linear time, bounded memory.

Python's ``re`` backtracks: ``(a+)+$`` against two dozen ``a``s and a ``!`` takes seconds and
holds the GIL, stalling every team's pages. Google's RE2 (``google-re2``) guarantees time
linear in the input and caps the memory one pattern may use, at the price of lookaround and
backreferences, which a name pattern does not need. JSON Schema ``pattern`` keywords go
through ``designer.core.schema_compile`` instead (jsonschema-rs, bounded too).

Convention: a lint option whose name is ``pattern`` or ends in ``_pattern`` is a regular
expression; the lint settings refuse one that RE2 cannot compile, with RE2's reason.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

#: Longest pattern accepted: a name pattern is a line, not a document.
MAX_PATTERN_CHARS = 1_000
#: Memory RE2 may use for one compiled pattern (its default is 8 MB).
MAX_MEM = 2 * 1024 * 1024


class UserRegexError(ValueError):
    """A pattern that cannot be used; ``str()`` says why, for the user."""


def is_regex_option(name: str) -> bool:
    """Whether a lint option of this name holds a regular expression."""
    return name == "pattern" or name.endswith("_pattern")


@lru_cache(maxsize=256)
def compile_user_regex(pattern: str) -> Any:
    """``pattern`` compiled by RE2 (has ``fullmatch``/``search``); raises :class:`UserRegexError`.

    >>> compile_user_regex("[a-z]+(\\\\.[a-z]+)+").fullmatch("order.placed") is not None
    True
    """
    if len(pattern) > MAX_PATTERN_CHARS:
        raise UserRegexError(f"the pattern is {len(pattern):,} characters; the limit is {MAX_PATTERN_CHARS:,}")
    options = re2.Options()
    options.max_mem = MAX_MEM
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        raw = exc.args[0] if exc.args else b""
        reason = (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)) or "not accepted"
        raise UserRegexError(f"{pattern!r} is not a usable regular expression: {reason} (RE2 syntax: "
                             "no lookaround or backreferences)") from None


def regex_problem(pattern: Any) -> str | None:
    """Why ``pattern`` cannot be used as a user regular expression (None when it can)."""
    if not isinstance(pattern, str):
        return "a pattern is a string"
    try:
        compile_user_regex(pattern)
    except UserRegexError as exc:
        return str(exc)
    return None
