"""The labelled values a provider's statement prints outside its table, and its provider's name.

A label is printed with a colon ("Statement Date: 04/15/2026"), as a cell of its own before its
value ("Amount Due" "$258.00"), at the start of a cell ("Statement Date 04/15/2026"), or in a row
of labels over a row of amounts (a summary box). What is kept: the statement date and date of
service, the insurance claim number, the provider, and the totals (:mod:`scanner.ingest.statement_totals`).
The labels of a person or an account (account number, guarantor, patient, address...) are
recognised so that their values are dropped: they never become a provider, a line or a note.

The provider is the business's name printed at the top of the first page (the largest one, when
several are), else a labelled one ("Make checks payable to: ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from scanner.ingest.assemble import organisation_name
from scanner.ingest.labels import MAX_LABEL_WORDS, find_labelled
from scanner.ingest.pdf_layouts import Cell
from scanner.ingest.statement_rows import StatementRow, read_cell_amount
from scanner.ingest.statement_totals import LABEL_TITLES, PrintedTotals
from scanner.ingest.statement_vocabulary import (
    AMOUNT_LABELS,
    column_field,
    furniture_text,
    label_field,
    label_key,
)
from scanner.ingest.values import claim_number_of, find_dates, is_amount, split_network_note

#: The first rows of the first page, where the billing entity prints its name.
TOP_ROWS = 12
#: A date at the start of a text: "04/15/2026 ...", "4-15-26", "2026-04-15".
LEADING_DATE = re.compile(r"^\s*(\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b")

#: A label's (field, key) and the cell that prints it.
Title = tuple[str, str, Cell]


class StatementLabels:
    """The labelled values read so far; the totals go to the :class:`PrintedTotals` given.

    :meth:`read` keeps what (field, label key, value) pairs say, a person's or an account's
    dropped; :meth:`summary_box` reads a row of amounts under a row of :func:`summary_titles`,
    each amount the value of the label it sits under; :meth:`name_candidates` keeps the business
    names a row near the top prints (see :data:`TOP_ROWS`)."""

    def __init__(self, totals: PrintedTotals) -> None:
        self.totals = totals
        self.fields: dict[str, str] = {}
        self.claim_numbers: list[str] = []
        #: Names printed at the top: (text size, minus the order seen, name).
        self.candidates: list[tuple[float, int, str]] = []

    def read(self, pairs: Iterable[tuple[str, str, str]], row: StatementRow) -> None:
        for name, key, value in pairs:
            if name in ("private", "ignored"):
                continue
            if name in AMOUNT_LABELS:
                amount_text = next((t for t in value.split() if is_amount(t)), None)
                if amount_text is None:
                    continue
                amount = read_cell_amount(amount_text, LABEL_TITLES[name], row.where)
                if amount is None:
                    continue
                self.totals.add(name, amount, key)
            elif name == "claim_number":
                number = claim_number_of(value)
                if any(ch.isdigit() for ch in number) and number not in self.claim_numbers:
                    self.claim_numbers.append(number)
            elif name == "provider":
                kept = organisation_name(split_network_note(value)[0])
                if kept is not None:
                    self.fields.setdefault("provider", kept)
            elif name in ("statement_date", "service_date") and find_dates(value):
                self.fields.setdefault(name, value)

    def summary_box(self, labels: list[Title], row: StatementRow) -> None:
        amounts = [c for c in row.cells if c.amount]
        if len(amounts) == len(labels):
            pairs = list(zip(labels, amounts, strict=True))
        else:
            pairs = [
                (min(labels, key=lambda lab: abs(lab[2].center - cell.center)), cell) for cell in amounts
            ]
        self.read(((name, key, cell.text) for (name, key, _), cell in pairs), row)

    def name_candidates(self, row: StatementRow) -> None:
        for position, cell in enumerate(row.cells):
            text = " ".join(cell.text.split())
            before = row.cells[position - 1].text if position else ""
            if ":" in text or before.endswith(":") or any(ch.isdigit() for ch in text):
                continue
            if label_field(text) or column_field(text) or furniture_text(text):
                continue
            name = organisation_name(split_network_note(text)[0])
            if name is not None:
                self.candidates.append((row.size, -len(self.candidates), name))

    def provider(self) -> str | None:
        if self.candidates:
            return max(self.candidates)[2]
        return self.fields.get("provider")


def summary_titles(row: StatementRow) -> list[Title] | None:
    """A row of two or more amount labels and nothing else, the titles of a summary box whose
    amounts the next row prints; None for any other row."""
    labels = [(label_field(c.text.rstrip(":")), c) for c in row.cells]
    if len(labels) >= 2 and all(f in AMOUNT_LABELS for f, _ in labels):
        return [(str(f), label_key(c.text.rstrip(":")), c) for f, c in labels]
    return None


def label_pairs(row: StatementRow) -> tuple[list[tuple[str, str, str]], bool]:
    """The (field, label, value) pairs of a row, and whether they hold every amount of the row.

    Labels end with a colon ("Amount Due: $258.00"), or are a cell of their own followed by their
    value ("Amount Due" "$258.00"), or start a cell ("Statement Date 04/15/2026")."""
    pairs = _colon_pairs(row.segments()) or _spaced_pairs(row.cells)
    held = sum(
        1
        for name, _, value in pairs
        if name in AMOUNT_LABELS and value.split()[:1] and is_amount(value.split()[0])
    )
    amounts = sum(1 for c in row.cells if c.amount)
    return pairs, bool(pairs) and amounts > 0 and held == amounts


def _colon_pairs(segments: Sequence[str]) -> list[tuple[str, str, str]]:
    """As :func:`scanner.ingest.labels.find_labels` (the longest label of at most six words of one
    segment, ending with a colon), with the label's key kept for the caller."""
    return [(name, label_key(label), value) for name, label, value in find_labelled(segments, label_field)]


def _spaced_pairs(cells: Sequence[Cell]) -> list[tuple[str, str, str]]:
    pairs: list[tuple[str, str, str]] = []
    index = 0
    while index < len(cells):
        cell = cells[index]
        after = cells[index + 1] if index + 1 < len(cells) else None
        if not cell.amount:
            name = label_field(cell.text)
            # An amount label takes the amount after it; any other label, the text after it.
            if name is not None and after is not None and (name in AMOUNT_LABELS) == bool(after.amount):
                pairs.append((name, label_key(cell.text), after.text))
                index += 2
                continue
            prefixed = _prefix_label(cell.text)
            if prefixed is not None:
                pairs.append(prefixed)
        index += 1
    return pairs


def _prefix_label(text: str) -> tuple[str, str, str] | None:
    """ "Statement Date 04/15/2026": a label's words, then a value that label can take."""
    words = text.split()
    if ":" in text or len(words) < 2:
        return None
    for size in range(min(MAX_LABEL_WORDS, len(words) - 1), 0, -1):
        label = " ".join(words[:size])
        name = label_field(label)
        if name is None or name in AMOUNT_LABELS:
            continue
        value = " ".join(words[size:])
        if _takes(name, value):
            return name, label_key(label), value
        return None
    return None


def _takes(name: str, value: str) -> bool:
    """Whether ``value`` is a value the label ``name`` can take without a colon between them."""
    if name in ("statement_date", "service_date"):
        return LEADING_DATE.match(value) is not None
    if name == "claim_number":
        return any(ch.isdigit() for ch in value.split()[0])
    return name == "private"
