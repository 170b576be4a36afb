"""A provider's statement as text: pasted from a portal or a PDF, or exported as CSV.

Each line becomes a :class:`~scanner.ingest.statement_rows.StatementRow` whose cells carry a
position, so the table is read the same way as a PDF's:

- text that keeps its columns apart with runs of spaces: a cell is a run of words one space
  apart, at its character offset (an amount is always a cell of its own);
- a line with tabs or ``|`` between cells (a spreadsheet or a table copied from a web page):
  each cell is at its index, so an empty cell still holds its column's place;
- a CSV export, when the first line is a CSV header naming the statement's columns: every line
  is split as CSV, each field at its index.

When a line's amounts do not sit under their header's columns, the reader falls back on their
order (:func:`~scanner.ingest.statement_columns.assign_cells`).
"""

from __future__ import annotations

import csv
import re
from typing import Literal

from scanner.ingest.errors import DocumentError
from scanner.ingest.pdf_layouts import Cell
from scanner.ingest.statement_rows import StatementRow
from scanner.ingest.statement_vocabulary import AMOUNT_COLUMNS, SERVICE_COLUMNS, column_field
from scanner.ingest.text import MAX_TEXT_LINES
from scanner.ingest.values import is_amount

#: A row printed under a line starts at least this many characters right of its description.
INDENT = 2
_TOKEN = re.compile(r"\S+")
_CELL_SEPARATOR = re.compile(r"\t|\s*\|\s*")


def text_rows(text: str) -> tuple[list[StatementRow], Literal["text", "csv"]]:
    """The rows of a pasted or exported statement, and its kind ("text" or "csv")."""
    lines = text.splitlines()
    if len(lines) > MAX_TEXT_LINES:
        raise DocumentError(422, "too_many_lines", f"The text has more than {MAX_TEXT_LINES} lines.")
    if _is_csv(lines):
        return [_row(_index_cells(fields), n) for n, fields in enumerate(csv.reader(lines), start=1)], "csv"
    return [_row(_cells(line), number) for number, line in enumerate(lines, start=1)], "text"


def _is_csv(lines: list[str]) -> bool:
    first = next((line for line in lines if line.strip()), "")
    if "," not in first or "\t" in first:
        return False
    fields = [column_field(f) for f in next(csv.reader([first]))]
    named = [f for f in fields if f]
    return (
        len(fields) >= 3
        and any(f in AMOUNT_COLUMNS for f in named)
        and any(f in SERVICE_COLUMNS for f in named)
        and len(named) * 2 >= len(fields)
    )


def _row(cells: list[Cell], number: int) -> StatementRow:
    return StatementRow(
        cells=cells,
        where=f"Line {number}",
        page=1,
        top=float(number),
        bottom=float(number) + 0.5,
        size=1.0,
        indent=INDENT,
    )


def _cells(line: str) -> list[Cell]:
    if "\t" in line or "|" in line:
        return _index_cells(_CELL_SEPARATOR.split(line.strip("\r\n")))
    cells: list[Cell] = []
    for match in _TOKEN.finditer(line):
        start, end, word = match.start(), match.end(), match.group(0)
        amount = is_amount(word)
        last = cells[-1] if cells else None
        if last is not None and not amount and not last.amount and start - last.x1 <= 1:
            last.text = f"{last.text} {word}"
            last.x1 = end
        else:
            cells.append(Cell(float(start), float(end), word, amount))
    return cells


def _index_cells(fields: list[str]) -> list[Cell]:
    """Cells of a separated line, each at its index: an empty field keeps its column's place."""
    cells: list[Cell] = []
    for index, raw in enumerate(fields):
        value = " ".join(raw.split())
        if not value:
            continue
        cells.append(Cell(index * 10.0, index * 10.0 + 8.0, value, is_amount(value)))
    return cells
