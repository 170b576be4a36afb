"""The columns of a provider's itemized table: its header, and which column each cell is in.

A header is one to three stacked rows of titles naming at least one service column (date, code,
description) and one amount column (charges, payments, balance), as
:mod:`scanner.ingest.statement_vocabulary` names them; a header of an EOB's own columns (allowed,
deductible...) is told apart, because an EOB is not a statement. Under the header, an amount
belongs to the column it sits under; a text cell is what it is (a date, a code, else the
description), and a row whose amounts lost their alignment is read by their order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from scanner.ingest.assemble import Notes
from scanner.ingest.pdf_layouts import Cell, Column, Header
from scanner.ingest.statement_rows import StatementRow
from scanner.ingest.statement_vocabulary import (
    AMOUNT_COLUMNS,
    EOB_ONLY_COLUMNS,
    SERVICE_COLUMNS,
    column_field,
    label_key,
)
from scanner.ingest.values import find_coded, find_dates, without_dates

#: What is left of a cell of dates once they are taken out: "to", "-", "thru", or nothing.
_RANGE_REST = re.compile(r"[\s\-\u2013]*(?:to|thru|through)?[\s\-\u2013]*", re.IGNORECASE)
#: A cell that holds a service code and nothing else: "99214", "99214-25", "J1100", "0450".
_CODE_CELL = re.compile(r"[A-Za-z]?\d{3,5}[A-Za-z]?(?:[-\s,]+[A-Za-z0-9]{2})*", re.ASCII)
_REV_CODE = re.compile(r"^(?:rev(?:enue)?\s*(?:code)?\s*)?(0?\d{3})$", re.IGNORECASE | re.ASCII)


# --- the header ------------------------------------------------------------------------------


def find_header(rows: Sequence[StatementRow], start: int) -> tuple[Header, int] | None:
    """A statement table's header beginning at ``rows[start]`` (one to three stacked rows) and
    how many rows it takes, or None."""
    if rows[start].has_amount or any(":" in c.text for c in rows[start].cells):
        return None
    stack = [rows[start]]
    for row in rows[start + 1 : start + 3]:
        previous = stack[-1]
        if row.has_amount or row.page != previous.page or any(":" in c.text for c in row.cells):
            break
        if (
            abs(row.size - previous.size) > 0.15 * previous.size
            or row.top - previous.bottom > 0.6 * previous.size
        ):
            break
        stack.append(row)
    best: tuple[int, Header, int] | None = None
    for size in range(1, len(stack) + 1):
        columns, contributing = _columns(stack[:size])
        if contributing < size:
            break  # a row over the titles that names no column: a label or a name, not a title
        names = [c.field for c in columns if c.field]
        amounts = [n for n in names if n in AMOUNT_COLUMNS]
        service = [n for n in names if n in SERVICE_COLUMNS]
        if not amounts or not service:
            continue
        if len(names) < 3 and len(names) < len(columns):
            continue
        if best is None or len(names) > best[0]:
            best = (len(names), Header(columns, size), size)
    return (best[1], best[2]) if best else None


def _columns(stack: Sequence[StatementRow]) -> tuple[list[Column], int]:
    """Header cells of stacked rows joined into columns, bottom row first; a cell spanning
    several columns, or one that would turn a column's title into none, is a group title. Also
    how many of the rows have a cell in a named column."""
    groups: list[tuple[float, float, list[str], set[int]]] = []
    for level, row in enumerate(reversed(stack)):
        for cell in _header_cells(row):
            hits = [i for i, (x0, x1, _, _) in enumerate(groups) if min(cell.x1, x1) - max(cell.x0, x0) > 0]
            if len(hits) == 1:
                x0, x1, texts, rows = groups[hits[0]]
                merged = [cell.text, *texts]
                if column_field(" ".join(texts)) and not column_field(" ".join(merged)):
                    continue
                groups[hits[0]] = (min(x0, cell.x0), max(x1, cell.x1), merged, rows | {level})
            elif not hits:
                groups.append((cell.x0, cell.x1, [cell.text], {level}))
    groups.sort(key=lambda g: g[0])
    columns: list[Column] = []
    seen: set[str] = set()
    contributing: set[int] = set()
    for x0, x1, texts, rows in groups:
        name = column_field(" ".join(texts))
        if name in seen:
            name = None
        if name:
            seen.add(name)
            contributing |= rows
        columns.append(Column(name, x0, x1))
    for left, right in itertools.pairwise(columns):
        edge = (left.x1 + right.x0) / 2
        left.right = edge
        right.left = edge
    return columns, len(contributing)


def _header_cells(row: StatementRow) -> list[Cell]:
    """The row's cells; a cell of several column titles printed close together ("Date Code
    Description Charges", as pasted text keeps it) is split into one cell per title."""
    out: list[Cell] = []
    for cell in row.cells:
        if column_field(cell.text) is not None:
            out.append(cell)
            continue
        split = _split_titles(cell)
        out.extend(split or [cell])
    return out


def _split_titles(cell: Cell) -> list[Cell] | None:
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", cell.text)]
    if len(words) < 2:
        return None
    scale = (cell.x1 - cell.x0) / max(len(cell.text), 1)
    out: list[Cell] = []
    index = 0
    while index < len(words):
        for size in range(min(4, len(words) - index), 0, -1):
            phrase = " ".join(w for _, _, w in words[index : index + size])
            if column_field(phrase) is not None:
                start, end = words[index][0], words[index + size - 1][1]
                out.append(Cell(cell.x0 + start * scale, cell.x0 + end * scale, phrase, False))
                index += size
                break
        else:
            return None
    return out if len(out) >= 2 else None


def eob_header(row: StatementRow) -> bool:
    """Whether a row without amounts names the columns of an EOB (allowed, deductible...)."""
    if row.has_amount:
        return False
    return sum(1 for c in row.cells if label_key(c.text) in EOB_ONLY_COLUMNS) >= 2


# --- the cells under it ----------------------------------------------------------------------


def assign_cells(header: Header, row: StatementRow, notes: Notes) -> dict[str, list[Cell]]:
    """Cells by column field. An amount belongs to the column it sits under; a text cell is
    what it is (a date, a code, else the description), the columns only choosing between
    two of a kind (date of service or posting date, CPT or revenue code): titles are
    centred over their columns and text is left-aligned, so position alone misleads."""
    by_field: dict[str, list[Cell]] = {}
    for cell in row.cells:
        column = header.column_of(cell)
        name = column.field if column is not None else None
        if cell.amount:
            by_field.setdefault(name if name in AMOUNT_COLUMNS else "_amount", []).append(cell)
        else:
            by_field.setdefault(text_field(header, cell, name), []).append(cell)
    amounts = [name for name, cells in by_field.items() for c in cells if c.amount]
    if "_amount" in by_field or len(amounts) != len(set(amounts)):
        by_field = _by_order(header, row, by_field, notes)
    return by_field


def text_field(header: Header, cell: Cell, under: str | None) -> str:
    text = cell.text.strip()
    fields = header.fields()
    if _whole_date(text):
        if under in ("service_date", "posted"):
            return under
        return "posted" if "posted" in fields and "service_date" not in fields else "service_date"
    if _CODE_CELL.fullmatch(text) and (find_coded(text, cell=True) or rev_code(text)):
        if under in ("code", "rev_code"):
            return under
        revenue = rev_code(text) is not None and find_coded(text, cell=True) is None
        if revenue and "rev_code" in fields:
            return "rev_code"
        if "code" in fields:
            return "code"
        return "rev_code" if "rev_code" in fields else "description"
    if under == "units" and text.isdigit():
        return "units"
    return "description"


def _by_order(
    header: Header, row: StatementRow, by_field: dict[str, list[Cell]], notes: Notes
) -> dict[str, list[Cell]]:
    """Amounts that do not sit under their columns (a paste that lost its alignment): in the
    order of the header's amount columns when the counts agree, else the first is the row's
    charge (or credit) and the others are not read."""
    amounts = [c for c in row.cells if c.amount]
    kept = {
        name: cells for name, cells in by_field.items() if name not in AMOUNT_COLUMNS and name != "_amount"
    }
    columns = [c.field for c in header.columns if c.field in AMOUNT_COLUMNS]
    if len(amounts) == len(columns):
        for name, cell in zip(columns, amounts, strict=True):
            kept[str(name)] = [cell]
        return kept
    first = "charge" if "charge" in columns else (columns[0] if columns else "charge")
    kept[str(first)] = [amounts[0]]
    if len(amounts) > 1:
        notes.add(
            f"{row.where}: the amounts do not line up with the table's columns; only the first was read."
        )
    return kept


def _whole_date(text: str) -> bool:
    """A cell that is a date or a range of dates and nothing else."""
    return bool(find_dates(text)) and _RANGE_REST.fullmatch(without_dates(text)) is not None


def rev_code(text: str) -> str | None:
    match = _REV_CODE.match(text.strip())
    if match is None:
        return None
    return match.group(1).zfill(4)
