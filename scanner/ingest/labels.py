"""Reading "Label: value" pairs from a printed row.

A row is a list of segments (text separated by a wide gap on a PDF page, or by two spaces or a tab
in pasted text). A label is the longest run of at most six words ending with a colon that names a
known field; its value is everything up to the next label. "Claim Number: 12-345  Provider: Lake
Clinic" gives two pairs, and so does the same text with single spaces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
