"""PDF layouts: turning positioned words into claims.

A *layout* is a parser plugin for one family of EOB PDFs. It is registered through
``eobscan_register_parsers`` like any parser, and the PDF parser gives the words of a document to
the layout that :meth:`PdfLayout.match` es it best. Most EOBs are tables, so most layouts are a
:class:`TableLayout` with a few settings: the phrases that identify the document, defaults such
as the payer, and perhaps a hook for a column that means something special.

How a table is read (:class:`TableReader`):

1. words are grouped into rows (same baseline) and rows into cells (words closer than
   ``WORD_GAP``, a monospaced font's space with some room; an amount is always its own cell);
2. a header is one to three stacked rows of text whose cells name at least two amount columns
   (``Amount Billed``, ``Plan Paid``...) through :mod:`scanner.ingest.vocabulary`; a cell spanning
   several columns ("Your Share" above Deductible, Copay, Coinsurance) is a group title and ignored;
3. column edges are the midpoints between header cells; every later cell belongs to the column it
   overlaps most, on this page and the next ones until another header appears, so a table continues
   across pages;
4. a row with amounts is a line, a row starting with "Total" is the claim's printed totals (checked
   against the lines), a text-only row just under a line continues its description, and a
   ``Claim Number:`` label with a new number starts a new claim, and so does a ``Patient:``
   printed after a claim's lines; labels are read as in pasted text (:mod:`scanner.ingest.row_labels`),
   and a row of labels is never a header's title, however close above the table it is printed;
5. a claim's one-line summary ("Claim EX-1  Riverbend Clinic  03/02/2026  Billed $480.00  You owe
   $60.00"), a row that names a claim and prints each amount after its own label, is no line
   wherever it is printed: it gives the claim its number, provider and date, and its amounts are
   more of the claim's printed totals (checked against the lines like the totals row);
6. a legend that defines the codes the lines print ("Remark A1: This amount was applied to your
   deductible.") is read as the pasted text's is (:mod:`scanner.ingest.legend`): its rows are
   neither lines, descriptions nor labels.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from scanner.ingest import DocumentKind, ParsedDocument
from scanner.ingest.assemble import (
    ClaimDraft,
    Notes,
    build_claims,
    field_of_label,
    is_other_total_label,
    is_total_label,
    organisation_name,
    printed_codes,
    read_amounts,
)
from scanner.ingest.errors import DocumentError
from scanner.ingest.labels import MAX_LABEL_WORDS, find_labels
from scanner.ingest.legend import NO_LEGEND, Legend, read_with_legend
from scanner.ingest.pdf_text import PdfText, Word
from scanner.ingest.printed_accumulators import StandingReader, with_standing
from scanner.ingest.row_labels import another_claim, begins_next_claim, claim_cells, claim_column, row_labels
from scanner.ingest.values import (
    ZERO_DASHES,
    claim_number_of,
    find_code,
    find_dates,
    is_amount,
    is_currency_sign,
    parse_network,
    without_dates,
)
from scanner.ingest.vocabulary import AMOUNTS, LINE_FIELDS, cell_field, header_field, normalise
from scanner.model import Claim


def no_table_error() -> DocumentError:
    return DocumentError(
        422,
        "no_eob_table",
        "No EOB table was found in this PDF: no header row names at least two amount columns "
        "(such as Amount Billed, Allowed, Plan Paid, What You Owe) above rows of amounts.",
    )


class PdfLayout:
    """A parser plugin for one family of EOB PDFs (see the module docstring)."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1.0"
    kind: ClassVar[str] = "pdf-layout"

    def match(self, text: PdfText) -> float:
        """How sure this layout is that it can read the document: 0.0 to 1.0."""
        raise NotImplementedError

    def read(self, text: PdfText) -> ParsedDocument:
        raise NotImplementedError


# --- rows and cells ------------------------------------------------------------------------


@dataclass
class Cell:
    x0: float
    x1: float
    text: str
    amount: bool

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Row:
    page: int
    top: float
    bottom: float
    size: float
    cells: list[Cell]

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    def segments(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def printed(self) -> str:
        """The row as pasted text would print it: its cells apart by two spaces."""
        return "  ".join(self.segments())

    @property
    def has_amount(self) -> bool:
        return any(c.amount for c in self.cells)


def rows_of(words: Iterable[Word], page: int) -> list[Row]:
    """Words on the same baseline, left to right, as rows of cells, top to bottom."""
    ordered = sorted(words, key=lambda w: (w.middle, w.x0))
    groups: list[list[Word]] = []
    total = 0.0
    for word in ordered:
        if groups:
            group = groups[-1]
            centre = total / len(group)
            if abs(word.middle - centre) <= 0.45 * max(word.size, group[0].size):
                group.append(word)
                total += word.middle
                continue
        groups.append([word])
        total = word.middle
    return [_row(group, page) for group in groups]


#: The widest gap between two words of one cell, in ems. A monospaced font's space is 0.6 em
#: (Courier; 0.602 in DejaVu Sans Mono, Menlo), so a portal's page printed in Courier separates
#: its words by exactly that and its columns by twice that or more; a proportional font's space
#: is about a quarter of an em.
WORD_GAP = 0.7


def _row(words: list[Word], page: int) -> Row:
    words.sort(key=lambda w: w.x0)
    size = statistics.median(w.size for w in words)
    cells: list[Cell] = []
    for word in words:
        amount = is_amount(word.text)
        last = cells[-1] if cells else None
        # Accounting's "$" at a cell's left edge stays a cell of its own: joined to the text
        # before it, it would end a description or a code with "$".
        apart = is_currency_sign(word.text) or (last is not None and is_currency_sign(last.text))
        if last is not None and not (amount or last.amount or apart) and word.x0 - last.x1 <= WORD_GAP * size:
            last.text = f"{last.text} {word.text}"
            last.x1 = word.x1
        else:
            cells.append(Cell(word.x0, word.x1, word.text, amount))
    return Row(page, min(w.top for w in words), max(w.bottom for w in words), size, cells)


def _without_signs(cells: Sequence[Cell]) -> list[Cell]:
    """The cells of a row without accounting's "$", printed at the left edge of an amount's cell
    with the number at its right edge: the number is read where it stands, and a "$" never takes
    a column of its own. The format's zero, "$" then "-", is one cell over both: a dash is too
    narrow for its position alone to tell its column."""
    out: list[Cell] = []
    for index, cell in enumerate(cells):
        if is_currency_sign(cell.text):
            continue
        sign = cells[index - 1] if index else None
        if sign is not None and is_currency_sign(sign.text) and cell.text in ZERO_DASHES:
            cell = Cell(sign.x0, cell.x1, f"{sign.text} {cell.text}", amount=False)
        out.append(cell)
    return out


# --- the header ----------------------------------------------------------------------------


@dataclass
class Column:
    field: str | None
    x0: float
    x1: float
    left: float = float("-inf")
    right: float = float("inf")


@dataclass
class Header:
    columns: list[Column]
    rows: int

    def fields(self) -> list[str]:
        return [c.field for c in self.columns if c.field]

    def column_of(self, cell: Cell) -> Column | None:
        best: tuple[float, Column] | None = None
        for column in self.columns:
            overlap = min(cell.x1, column.right) - max(cell.x0, column.left)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, column)
        if best is not None:
            return best[1]
        return next((c for c in self.columns if c.left <= cell.center < c.right), None)


def _stack(rows: Sequence[Row], start: int, limit: int) -> list[Row]:
    stack = [rows[start]]
    for row in rows[start + 1 : start + limit]:
        previous = stack[-1]
        if row.has_amount or row.page != previous.page or _labelled(row):
            break
        if abs(row.size - previous.size) > 0.15 * previous.size:
            break
        if row.top - previous.bottom > 0.6 * previous.size:
            break
        stack.append(row)
    return stack


def _labelled(row: Row) -> bool:
    """Whether the row prints a claim's labels ("Claim #: 7717000101   Provider: ..."): such a
    row, printed right above a table, is no title of its columns."""
    return bool(find_labels(row.segments(), field_of_label))


def _columns(stack: Sequence[Row]) -> list[Column]:
    """Header cells of stacked rows joined into columns, bottom row first. A cell that spans
    several columns, or that would turn a column's title into no title, is a group title and is
    left out."""
    groups: list[tuple[float, float, list[str]]] = []
    for row in reversed(stack):
        for cell in row.cells:
            hits = [i for i, (x0, x1, _) in enumerate(groups) if min(cell.x1, x1) - max(cell.x0, x0) > 0]
            if len(hits) == 1:
                x0, x1, texts = groups[hits[0]]
                merged = [cell.text, *texts]
                if header_field(" ".join(texts), LINE_FIELDS) and not header_field(
                    " ".join(merged), LINE_FIELDS
                ):
                    continue  # a title over this column ("Your Share" over "Copay"), not part of it
                groups[hits[0]] = (min(x0, cell.x0), max(x1, cell.x1), merged)
            elif not hits:
                groups.append((cell.x0, cell.x1, [cell.text]))
    groups.sort(key=lambda g: g[0])
    columns: list[Column] = []
    seen: set[str] = set()
    for x0, x1, texts in groups:
        name = header_field(" ".join(texts), LINE_FIELDS) or claim_column(" ".join(texts))
        if name in seen:
            name = None
        if name:
            seen.add(name)
        columns.append(Column(name, x0, x1))
    for left, right in itertools.pairwise(columns):
        edge = (left.x1 + right.x0) / 2
        left.right = edge
        right.left = edge
    return columns


def find_header(rows: Sequence[Row], start: int) -> Header | None:
    """A table header beginning at ``rows[start]``, or None."""
    if rows[start].has_amount or _labelled(rows[start]):
        return None
    best: tuple[tuple[int, int], Header] | None = None
    stack = _stack(rows, start, 3)
    for size in range(1, len(stack) + 1):
        columns = _columns(stack[:size])
        names = [c.field for c in columns if c.field]
        amounts = sum(1 for n in names if n in AMOUNTS)
        if amounts < 2 or len(names) < 3:
            continue
        score = (amounts, len(names))
        if best is None or score > best[0]:
            best = (score, Header(columns, size))
    return best[1] if best else None


# --- a claim's one-line summary ---------------------------------------------------------------

#: A claim named without a colon: "Claim EX-2026-000123", "Claim # 123", "Claim No. 2026 0302 11".
_CLAIM_NAMED = re.compile(r"^claim(?:\s*(?:number|no\.?|nbr|id|#))?\s*#?\s*(?=\S*\d)", re.IGNORECASE)
_DATE_FIELDS = frozenset({"service_date", "received_date", "processed_date"})


@dataclass
class ClaimSummary:
    """A claim's one-line summary: its header fields, and its amounts by field."""

    fields: list[tuple[str, str]]
    amounts: dict[str, str]


def claim_summary(row: Row) -> ClaimSummary | None:
    """The row as a claim's one-line summary, or None when it is not one.

    A summary names its claim ("Claim Number: EX-1" or "Claim EX-1") and prints every amount just
    after a label naming it ("Billed $480.00", "Plan paid: $300.00"). A table line prints its
    amounts side by side under the header instead, so it is never taken for one.
    """
    cells = row.cells
    amounts: dict[str, str] = {}
    segments: list[str] = []
    for index, cell in enumerate(cells):
        if cell.amount:
            continue
        text = cell.text
        after = cells[index + 1] if index + 1 < len(cells) else None
        if after is not None and after.amount:
            labelled = _amount_label(text)
            if labelled is None or labelled[0] in amounts:
                return None
            amounts[labelled[0]], text = after.text, labelled[1]
        if text:
            segments.append(text)
    if not amounts or len(amounts) != sum(1 for cell in cells if cell.amount):
        return None  # an amount after another amount, or first in the row: no label of its own
    fields = _summary_fields(segments)
    if not any(name == "claim_number" for name, _ in fields):
        return None
    return ClaimSummary(fields, amounts)


def _amount_label(text: str) -> tuple[str, str] | None:
    """The amount field the last words of ``text`` name, and the words before them."""
    words = text.split()
    for size in range(min(MAX_LABEL_WORDS, len(words)), 0, -1):
        name = cell_field(" ".join(words[-size:]))
        if name in AMOUNTS:
            return name, " ".join(words[:-size])
    return None


def _summary_fields(segments: Sequence[str]) -> list[tuple[str, str]]:
    """The header fields of a summary's text: labelled ("Claim Number: EX-1  Provider: ..."), or
    a claim named first, then a business's name, a date or a network status, in any order."""
    pairs = find_labels(segments, field_of_label)
    if any(name == "claim_number" for name, _ in pairs) or not segments:
        return pairs
    named = _CLAIM_NAMED.match(segments[0])
    if named is None:
        return []
    value = segments[0][named.end() :]
    number = claim_number_of(value)
    rest = " ".join(value.split()[len(number.split()) :])
    fields = [("claim_number", number)]
    for text in (rest, *segments[1:]):
        fields += _summary_values(text)
    return fields


def _summary_values(text: str) -> list[tuple[str, str]]:
    """One piece of an unlabelled summary: its labels if it has any; else a date (the date of
    service, unless a date's name precedes it: "Processed 03/20/2026") and what is left, kept as
    the provider only when it is a business's name (a person's name is never kept)."""
    labelled = find_labels([text], field_of_label)
    if labelled:
        return labelled
    name = without_dates(text).strip(" -\u2013\u2014|,;:")
    named = cell_field(name) if name else None
    out: list[tuple[str, str]] = []
    if find_dates(text):
        if named in _DATE_FIELDS:
            return [(named, text)]  # "Processed 03/20/2026"
        if named is None:
            out.append(("service_date", text))
    if name and named is None and organisation_name(name):
        out.append(("provider", name))
    elif name and parse_network(name):
        out.append(("network", name))
    return out


# --- the reader ----------------------------------------------------------------------------


@dataclass
class _Line:
    cells: dict[str, str]
    row: Row


@dataclass
class _Claim:
    draft: ClaimDraft = field(default_factory=ClaimDraft)
    lines: list[_Line] = field(default_factory=list)


def _date_out_of_description(cells: dict[str, str]) -> None:
    """A description printed one space before the date ("MRI brain w/o contrast 70551
    03/10/2026") is one cell with it, read under the description's column: its date is the line's
    date, and no word of the description."""
    description = cells.get("description", "")
    if "service_date" in cells or not find_dates(description):
        return
    cells["service_date"] = description
    rest = without_dates(description).strip(" -")
    if rest:
        cells["description"] = rest
    else:
        del cells["description"]


class TableReader:
    """Reads every page's rows into claim drafts (see the module docstring)."""

    def __init__(self, layout: TableLayout, notes: Notes, legend: Legend = NO_LEGEND) -> None:
        self.layout = layout
        self.notes = notes
        self.legend = legend
        self.header: Header | None = None
        self.claims: list[_Claim] = [_Claim()]
        self.tables = 0
        #: The plan's deductible and out-of-pocket standing, wherever the pages print it.
        self.standing = StandingReader()

    @property
    def current(self) -> _Claim:
        return self.claims[-1]

    def read(self, pages: Sequence[Sequence[Row]]) -> list[ClaimDraft]:
        """The claim drafts of a document's rows, page by page (:func:`rows_of`). The legend's
        rows are left out first: a header or a line's description is never one of them."""
        for page in pages:
            rows = [row for row in page if not self.legend.holds(row.printed)]
            index = 0
            while index < len(rows):
                header = find_header(rows, index)
                if header is not None:
                    self.header = header
                    self.tables += 1
                    index += header.rows
                    continue
                self._row(rows[index])
                index += 1
        return [self._finish(claim) for claim in self.claims]

    def _row(self, row: Row) -> None:
        if self.standing.read(row.printed):
            return
        if row.has_amount:
            summary = claim_summary(row)
            if summary is not None:
                self._claim_fields(summary.fields)
                where = self._where(row, "claim summary")
                self.current.draft.summary.update(read_amounts(summary.amounts, where=where))
                return
        if self.header is not None:
            cells = self._cells(row)
            first_text = next((c.text for c in row.cells if not c.amount), "")
            if is_other_total_label(first_text):
                return  # a page's, a provider's or the document's sum: no line, not the claim's totals
            if self._is_totals(row, cells):
                self.current.draft.totals.update(read_amounts(cells, where=self._where(row, "totals row")))
                return
            if self._is_line(cells):
                self._claim_cells(claim_cells(cells))
                self.current.lines.append(_Line(cells, row))
                return
            if self._continues_description(row, cells):
                last = self.current.lines[-1]
                last.cells["description"] = (
                    f"{last.cells.get('description', '')} {cells['description']}".strip()
                )
                last.row = row
                return
        self._labels(row)

    def _cells(self, row: Row) -> dict[str, str]:
        assert self.header is not None
        cells: dict[str, str] = {}
        for cell in _without_signs(row.cells):
            column = self.header.column_of(cell)
            if column is None or column.field is None:
                continue
            text = cell.text
            if column.field in cells:
                if column.field in AMOUNTS:
                    self.notes.add("A table row had two amounts under one column; the first was kept.")
                    continue
                cells[column.field] = f"{cells[column.field]} {text}"
            else:
                cells[column.field] = text
        if "service_date" in self.header.fields():
            _date_out_of_description(cells)
        return self.layout.adjust_cells(cells)

    def _is_totals(self, row: Row, cells: Mapping[str, str]) -> bool:
        first_text = next((c.text for c in row.cells if not c.amount), "")
        amounts = sum(1 for name in cells if name in AMOUNTS)
        dated = bool(find_dates(cells.get("service_date", "")))
        return is_total_label(first_text) and not dated and amounts >= min(2, self._amount_columns())

    def _amount_columns(self) -> int:
        assert self.header is not None
        return sum(1 for name in self.header.fields() if name in AMOUNTS)

    def _is_line(self, cells: Mapping[str, str]) -> bool:
        amounts = [name for name in cells if name in AMOUNTS and is_amount(cells[name])]
        if not amounts:
            return False
        dated = bool(find_dates(cells.get("service_date", "")))
        coded = bool(find_code(cells.get("code", "") or cells.get("description", "")))
        if self.current.draft.totals and not (dated or coded):
            # Below a claim's totals row, amounts without a date or a code are a summary (the
            # plan year's deductible and out-of-pocket "met to date" box), not a service.
            return False
        return len(amounts) >= 2 or dated or coded

    def _continues_description(self, row: Row, cells: Mapping[str, str]) -> bool:
        if not self.current.lines or "description" not in cells or row.has_amount:
            return False
        if set(cells) - {"description"}:
            return False
        last = self.current.lines[-1].row
        if not (last.page == row.page and 0 <= row.top - last.bottom <= 0.8 * row.size):
            return False
        return not find_labels(row.segments(), field_of_label)

    def _labels(self, row: Row) -> None:
        self._claim_fields(row_labels(row.segments(), field_of_label))

    @property
    def _priced(self) -> bool:
        """Whether the current claim has printed amounts: lines, totals or a summary."""
        draft = self.current.draft
        return bool(self.current.lines or draft.totals or draft.summary)

    def _claim_cells(self, printed: dict[str, str]) -> None:
        """A line's cells of the claim's own fields, given to the claim: to the next claim when
        they name another claim than the lines before (each row of a list of claims is one)."""
        if printed and self._priced and another_claim(self.current.draft, printed):
            self.claims.append(_Claim())
        for name, value in printed.items():
            self.current.draft.label(name, value)

    def _claim_fields(self, pairs: Iterable[tuple[str, str]]) -> None:
        for name, value in pairs:
            if self._begins_claim(name, value):
                self.claims.append(_Claim())
            self.current.draft.label(name, value)

    def _begins_claim(self, name: str, value: str) -> bool:
        """A claim number other than this claim's, printed after its lines, begins the next
        claim; so does a patient named after them (:func:`begins_next_claim`)."""
        priced = self._priced
        if name in self.layout.claim_start_fields:
            known = self.current.draft.fields.get(name)
            return priced and not (known is not None and claim_number_of(known) == claim_number_of(value))
        return name == "patient" and begins_next_claim(name, value, number=None, priced=priced)

    def _where(self, row: Row, what: str) -> str:
        return f"Page {row.page}, {what}"

    def _finish(self, claim: _Claim) -> ClaimDraft:
        draft = claim.draft
        for key, value in self.layout.defaults.items():
            draft.fields.setdefault(key, value)
        for number, line in enumerate(claim.lines, start=1):
            draft.add_line(line.cells, where=self._where(line.row, f"line {number}"), legend=self.legend)
        return draft


class TableLayout(PdfLayout):
    """A layout that reads EOB tables; subclasses set ``signature`` and ``defaults``.

    ``signature``: phrases that must all appear on the first page (compared after
    :func:`~scanner.ingest.vocabulary.normalise`); a layout without one is the generic fallback.
    """

    signature: ClassVar[tuple[str, ...]] = ()
    defaults: ClassVar[Mapping[str, str]] = {}
    claim_start_fields: ClassVar[frozenset[str]] = frozenset({"claim_number"})
    document_kind: ClassVar[DocumentKind] = "pdf"

    def match(self, text: PdfText) -> float:
        if not self.signature:
            return 0.1
        first = normalise(text.first_text(pages=1))
        return 0.9 if all(normalise(phrase) in first for phrase in self.signature) else 0.0

    def adjust_cells(self, cells: dict[str, str]) -> dict[str, str]:
        """A hook for a column that means something particular in this layout."""
        return cells

    def read(self, text: PdfText) -> ParsedDocument:
        pages = [rows_of(page.words, page.number) for page in text.pages]
        printed = [row.printed for rows in pages for row in rows]
        claims, notes, tables = read_with_legend(printed, lambda legend: self._claims(pages, legend))
        if tables == 0 or not claims:
            raise no_table_error()
        return ParsedDocument(
            claims=claims, notes=notes, kind=self.document_kind, parser=self.name, pages=len(text.pages)
        )

    def _claims(
        self, pages: Sequence[Sequence[Row]], legend: Legend
    ) -> tuple[tuple[list[Claim], list[str], int], set[str]]:
        """The claims, notes and count of tables of the rows read with ``legend``, and the codes
        the lines print."""
        notes = Notes()
        reader = TableReader(self, notes, legend)
        drafts = reader.read(pages)
        claims = with_standing(build_claims(drafts, "pdf", notes), reader.standing)
        return (claims, notes.items, reader.tables), printed_codes(drafts)
