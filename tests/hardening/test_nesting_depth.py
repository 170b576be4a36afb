"""The depth check that runs before msgspec, as a property: it agrees with a real parse.

The check strips strings with a regular expression and counts brackets, so a bracket or an
escaped quote inside a string must never move the count: a description of ``"]]]]"`` followed by
deep nesting would otherwise slip a recursion bomb past it, and ``"[[[["`` would refuse a
harmless claim.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.service.decoding import nesting_depth_exceeds

# Text that leans on what the string pattern must get right: brackets, quotes, backslashes.
tricky_text = st.text(alphabet=st.sampled_from(list('[]{}"\\ab/\n\u00e9')), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | tricky_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(tricky_text, inner, max_size=4),
    max_leaves=40,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((depth(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(item) for item in value.values()), default=0)
    return 0


@settings(max_examples=800, deadline=None)
@given(value=json_values, limit=st.integers(min_value=0, max_value=8))
def test_the_depth_check_agrees_with_a_parse(value: Any, limit: int) -> None:
    body = json.dumps(value, ensure_ascii=bool(limit % 2)).encode()
    assert nesting_depth_exceeds(body, limit) is (depth(value) > limit)


def test_brackets_inside_strings_neither_hide_nor_invent_depth() -> None:
    hidden = b'{"note": "]]]]]]]]\\"]]]]", "x": [[[[[1]]]]]}'
    assert nesting_depth_exceeds(hidden, 5) is True
    harmless = b'{"note": "[[[[[[[[[[\\\\", "x": [1]}'
    assert nesting_depth_exceeds(harmless, 2) is False
