"""A provider's statement as printed rows: the one shape every statement reader works on.

The PDF part (:mod:`scanner.ingest.statement_pdf`) and the text part
(:mod:`scanner.ingest.statement_text`) turn a document into the same :class:`StatementRow` list,
and :mod:`scanner.ingest.statement_reader` decides what the rows mean. Reading an amount from a
row lives here too, because every part of that reader does it and an amount that cannot be read
must be refused the same way everywhere: by its row and column, never by quoting it.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.ingest.errors import DocumentError
from scanner.ingest.pdf_layouts import Row
from scanner.ingest.values import read_amount
from scanner.money import Money, MoneyError


@dataclass
class StatementRow(Row):
    """One printed row: a layout's row (its cells left to right, its page, top, bottom and text
    size) and where it is, as messages name it ("Page 1, row 4", "Line 12")."""

    where: str
    #: How far right of a line's description a row must start to be printed under it (indented).
    indent: float
    #: Whether a text-only row just under a line may continue its description (a PDF's wrapped
    #: description); pasted text has no such rows that can be told from a new paragraph.
    continues: bool = False


def read_cell_amount(text: str, column: str, where: str) -> Money | None:
    """The amount a cell prints; an unreadable one is refused, named by ``where`` and ``column``."""
    try:
        return read_amount(text)
    except MoneyError as exc:
        raise DocumentError.invalid_amount(where, column, exc) from None


def first_amount(row: StatementRow, column: str) -> Money | None:
    cell = next((c for c in row.cells if c.amount), None)
    return read_cell_amount(cell.text, column, row.where) if cell is not None else None
