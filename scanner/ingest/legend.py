"""An EOB's legend: what the insurer's own codes in its remarks column mean.

Insurers print codes of their own in a line's "Remark" or "See notes" column and define them
further down the document: "Remark A1: This amount was applied to your deductible.", a "Notes"
block of "2A  This provider is not in your network.", "45 - Charge exceeds the maximum allowable
amount.", "Code 72: Benefit maximum reached". Those codes are shaped like X12 reason codes, and
read as X12 they say what the insurer did not ("A1" is a denial, "1" the deductible), so a code
the document defines is the insurer's own, and what it means is the document's words.

A row is a legend row only when a line of the same document prints its code in its remarks cell:
an ordinary row of the same shape ("99213  Office visit, established patient") stays what it was.
A row that explains an X12 code ("CO-45: ...", "N130: ...") is no legend row either
(:func:`~scanner.ingest.codes.is_standard`): the code keeps its standard meaning.
Which codes the lines print is known once they are read, so a document whose lines print a code
it defines is read twice (:func:`read_with_legend`); the second reading skips the legend rows and
sorts the codes with the legend.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from scanner.ingest.codes import is_standard, normal_code
from scanner.ingest.values import is_amount
from scanner.model import MAX_INSURER_MEANING

T = TypeVar("T")

_TITLE = r"(?:remarks?|notes?|codes?|messages?|explanations?|reasons?)"
_ROW = re.compile(
    rf"^\s*(?:{_TITLE}\s+(?:codes?\s+)?)?(?P<code>[A-Za-z0-9]{{1,5}})"
    r"(?:\s*[:=\u2013-]\s*|\s{2,}|\t\s*)(?P<meaning>\S.*)$",
    re.IGNORECASE,
)
#: "CO-45: ..." and "PR 2  ..." explain X12 codes: the group code makes them standard ones.
_GROUPED = re.compile(r"^\s*(?:CO|PR|OA|PI|CR)[-\s]?[A-Z]?\d", re.ASCII)
#: A legend explains its code in words; fewer is a label and its value ("A1: Yes").
_FEWEST_WORDS = 2
#: A legend row is a sentence or two; a longer row is prose, never a legend.
_LONGEST_ROW = 1000


@dataclass(frozen=True)
class Legend:
    """The codes a document defines that its lines print, each with what the document says."""

    meanings: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.meanings)

    def holds(self, row: str) -> bool:
        """Whether the row is one of this legend's: it is then no line, label or header."""
        if not self.meanings:
            return False
        entry = legend_entry(row)
        return entry is not None and entry[0] in self.meanings


NO_LEGEND = Legend()


def legend_entry(row: str) -> tuple[str, str] | None:
    """(code, meaning) when a printed row is shaped like a legend row, else None. The code is
    upper-cased as on a line; the meaning has its spaces collapsed and is cut to a sentence's
    length. A code is a digit or capitals ("A1", "72", "2A", "PDC"), so that a row that starts
    with a word ("Claim 45: ...") is not one, and a row with an amount is a figure, not a code's
    meaning ("Deductible: $20.00")."""
    if len(row) > _LONGEST_ROW or _GROUPED.match(row):
        return None
    match = _ROW.match(row)
    if match is None:
        return None
    code, meaning = match["code"], " ".join(match["meaning"].split())
    if not (code.isupper() or any(c.isdigit() for c in code)):
        return None
    if sum(1 for word in meaning.split() if any(c.isalpha() for c in word)) < _FEWEST_WORDS:
        return None
    if any(is_amount(token) for token in row.split()):
        return None
    return normal_code(code), _capped(meaning)


def _capped(text: str) -> str:
    if len(text) <= MAX_INSURER_MEANING:
        return text
    return text[: MAX_INSURER_MEANING - 1].rsplit(" ", 1)[0] + "\u2026"


def find_legend(rows: Iterable[str], printed: Iterable[str]) -> Legend:
    """The legend of a document from its rows, given the codes its lines print: the first
    definition of each printed code that is not X12's by its shape."""
    used = {code for code in printed if not is_standard(code)}
    meanings: dict[str, str] = {}
    if used:
        for row in rows:
            entry = legend_entry(row)
            if entry is not None and entry[0] in used:
                meanings.setdefault(*entry)
    return Legend(meanings)


def read_with_legend(rows: Iterable[str], read: Callable[[Legend], tuple[T, Iterable[str]]]) -> T:
    """What ``read`` gives for a document, read with the document's legend when it has one.

    ``read`` reads the whole document with a legend and returns what it read and the codes its
    lines print in their remarks cells. The first reading has no legend; a document that defines
    none of its lines' codes is read once, exactly as without this module."""
    result, printed = read(NO_LEGEND)
    legend = find_legend(rows, printed)
    return read(legend)[0] if legend else result


__all__ = ["NO_LEGEND", "Legend", "find_legend", "legend_entry", "read_with_legend"]
