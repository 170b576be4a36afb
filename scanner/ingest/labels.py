"""Reading "Label: value" pairs from a printed row.

A row is a list of segments (text separated by a wide gap on a PDF page, or by two spaces or a tab
in pasted text). A label is the longest run of at most six words ending with a colon that names a
known field; its value is everything up to the next label. "Claim Number: 12-345  Provider: Lake
Clinic" gives two pairs, and so does the same text with single spaces.

A claim's number may also be labelled without a colon after other words on its line, as portals
print it after the patient's name: "Casey Example (Self) - claim # 26301A0000001"
(:func:`claim_number_within`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from scanner.ingest.values import claim_number_of

LabelNamer = Callable[[str], str | None]

MAX_LABEL_WORDS = 6


def find_labels(segments: Sequence[str], name_of: LabelNamer) -> list[tuple[str, str]]:
    """(field, value) pairs in the order printed."""
    return [(field, value) for field, _, value in find_labelled(segments, name_of)]


def find_labelled(segments: Sequence[str], name_of: LabelNamer) -> list[tuple[str, str, str]]:
    """(field, label, value) in the order printed: :func:`find_labels` with each label's words."""
    tokens: list[tuple[str, int]] = [
        (word, index) for index, segment in enumerate(segments) for word in segment.split()
    ]
    starts: list[tuple[int, int, str, str]] = []  # (first token, token after the colon, field, label)
    floor = 0
    for end, (word, _) in enumerate(tokens):
        if not word.endswith(":"):
            continue
        best: tuple[int, str, str] | None = None
        segment = tokens[end][1]
        for size in range(1, MAX_LABEL_WORDS + 1):
            first = end - size + 1
            if first < floor or tokens[first][1] != segment:
                break
            text = " ".join(w for w, _ in tokens[first : end + 1]).rstrip(":")
            field = name_of(text)
            if field is not None:
                best = (first, field, text)
        if best is not None:
            starts.append((best[0], end + 1, best[1], best[2]))
            floor = end + 1
    triples = []
    for position, (_, value_start, field, label) in enumerate(starts):
        value_end = starts[position + 1][0] if position + 1 < len(starts) else len(tokens)
        value = " ".join(w for w, _ in tokens[value_start:value_end])
        triples.append((field, label, value))
    return triples


#: "claim #", "claim number", "claim no." after a dash, a bar, a wide gap or a closing bracket
#: (the patient's relationship, "(Self)"), with a word holding a digit after it. A sentence that
#: speaks of a claim ("This claim was processed", "your claim number is below") names no number,
#: and neither does "claim # 1234" inside a sentence ("this adjusts claim # 1234"): read as the
#: claim's number, another claim's would split this one in two.
_CLAIM_AFTER_WORDS = re.compile(
    r"(?:\s[-\u2013\u2014|]|\)|\s{2,}|\t)\s*claim\s*(?:#|number\b|no\b\.?|nbr\b|id\b)\s*[#:]?\s*"
    r"(?=[\w-]*\d)",
    re.IGNORECASE,
)


def claim_number_within(text: str) -> str | None:
    """The claim number labelled after other words of ``text``, or None. The words before the
    label (the patient's name) are not returned: a person's identity never enters a claim."""
    return split_claim_number(text)[1]


def split_claim_number(text: str) -> tuple[str, str | None]:
    """The words before a claim number labelled after them, and the number: "Casey Example
    (Self) - claim # 123" -> ("Casey Example (Self)", "123"); ``(text, None)`` without one."""
    found = _CLAIM_AFTER_WORDS.search(text)
    number = claim_number_of(text[found.end() :]).rstrip(".,;") if found else ""
    if found is None or not number:
        return text, None
    return text[: found.start()].rstrip(" -–|"), number
