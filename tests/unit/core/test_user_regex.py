"""Patterns users write run on RE2: linear time, bounded memory, clear refusals."""
from __future__ import annotations

import time

import pytest

from designer.core.user_regex import (
    MAX_PATTERN_CHARS,
    UserRegexError,
    compile_user_regex,
    is_regex_option,
    regex_problem,
)


def test_it_matches_a_catastrophic_pattern_in_linear_time() -> None:
    started = time.perf_counter()
    assert compile_user_regex("(a+)+$").fullmatch("a" * 100_000 + "!") is None
    assert time.perf_counter() - started < 0.1


@pytest.mark.parametrize("pattern, reason", [("((", "missing )"), ("(?=a)a", "invalid perl operator"),
                                             ("(a)\\1", "invalid escape sequence")])
def test_it_refuses_patterns_re2_cannot_run_with_the_reason(pattern: str, reason: str) -> None:
    with pytest.raises(UserRegexError) as exc:
        compile_user_regex(pattern)
    assert reason in str(exc.value) and repr(pattern) in str(exc.value)


def test_it_refuses_overlong_and_non_string_patterns() -> None:
    assert "the limit is" in (regex_problem("a" * (MAX_PATTERN_CHARS + 1)) or "")
    assert regex_problem(5) == "a pattern is a string"
    assert regex_problem("[a-z]+") is None


def test_it_knows_which_options_are_patterns() -> None:
    assert is_regex_option("pattern") and is_regex_option("name_pattern") and not is_regex_option("patterns_off")
