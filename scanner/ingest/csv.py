"""CSV claim exports: one row per service line, grouped into claims by claim number.

Portals export claims with their own column names ("Amount Billed", "Your Responsibility",
"Claim #"); the header is mapped through the same synonyms as the PDF and text readers. Columns
that name a person (patient, member id) are recognised and never read. A row without a claim
number belongs to the claim above it (grouped exports print the number on a claim's first row
only); when no row has one, all rows form one claim. A row whose first cell says "Total" is that
claim's printed totals; a "Grand Total", "Subtotal" or "Page Total" row is skipped. Up to two
title lines above the header, and one-cell notes among the rows, are not read. An NPI column is
read per row, and is the provider's NPI when a claim's rows agree on it
(:func:`~scanner.ingest.assemble.provider_npi`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import ClassVar

from scanner.ingest import DocumentKind, ParseContext, ParsedDocument, Parser
from scanner.ingest.assemble import (
    ClaimDraft,
    Notes,
    build_claims,
    is_other_total_label,
    is_total_label,
    read_amounts,
)
from scanner.ingest.errors import DocumentError
from scanner.ingest.text import decode_text
from scanner.ingest.vocabulary import AMOUNTS, PRIVATE_FIELDS, header_field

DELIMITERS = (",", "\t", ";", "|")
MAX_ROWS = 50_000
_CLAIM_FIELDS = frozenset(
    {
        "claim_number",
        "provider",
        "facility",
        "facility_network",
        "facility_npi",
        "payer",
        "plan_name",
        "status",
        "processed_date",
        "received_date",
        "claim_type",
        "place_of_service",
        "emergency",
        "network",
        "member",
    }
)


def _delimiter(first_line: str) -> str | None:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] >= 2 else None


def _rows(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text), delimiter=delimiter)


#: How many lines above the header a CSV may carry (a title, an export date): portals add them.
#: A line of labels ("Claim Number: ...") above a table is a text EOB's, not a CSV's preamble.
MAX_PREAMBLE_LINES = 2
_LABEL = re.compile(r"\w:\s")


def _header(text: str) -> tuple[str, list[str | None], int] | None:
    """The delimiter, the fields of the header row, and the index of its line: the first of the
    first few non-empty lines that names at least two amount columns."""
    seen = 0
    for index, line in enumerate(text.lstrip("\ufeff").splitlines()):
        if not line.strip():
            continue
        seen += 1
        if seen > MAX_PREAMBLE_LINES + 1 or _LABEL.search(line):
            return None
        delimiter = _delimiter(line)
        if delimiter is None:
            continue
        try:
            titles = next(_rows(line, delimiter))
        except (csv.Error, StopIteration):
            continue
        fields = [header_field(t) for t in titles]
        if sum(1 for f in fields if f in AMOUNTS) >= 2:
            return delimiter, fields, index
    return None


class CsvParser(Parser):
    name: ClassVar[str] = "csv"
    version: ClassVar[str] = "1.0"
    kind: ClassVar[DocumentKind] = "csv"

    def sniff(self, data: bytes, filename: str | None) -> float:
        text = decode_text(data[:65536])
        if text is None or text.lstrip().startswith(("{", "[", "<")):
            return 0.0
        found = _header(text)
        if found is None:
            return 0.0
        delimiter, fields, at = found
        sample = [line for line in text.lstrip("\ufeff").splitlines()[at + 1 : at + 6] if line.strip()][:4]
        try:
            rows = _rows("\n".join(sample), delimiter)
            widths = {len(row) for row in rows if sum(1 for cell in row if cell.strip()) > 1}
        except csv.Error:
            return 0.0
        return 0.8 if widths <= {len(fields)} else 0.0

    def parse(self, data: bytes, context: ParseContext) -> ParsedDocument:
        text = decode_text(data)
        found = _header(text) if text is not None else None
        if text is None or found is None:
            raise DocumentError(
                422, "csv_header", "The CSV has no header row naming at least two amount columns."
            )
        delimiter, fields, at = found
        notes = Notes()
        drafts: dict[str, ClaimDraft] = {}
        pending: dict[str, list[tuple[int, dict[str, str]]]] = {}
        body = "".join(text.lstrip("\ufeff").splitlines(keepends=True)[at + 1 :])
        rows = _rows(body, delimiter)
        try:
            for number, row in enumerate(rows, start=at + 2):
                if number > MAX_ROWS:
                    raise DocumentError(422, "too_many_rows", f"The CSV has more than {MAX_ROWS} rows.")
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(fields) and sum(1 for cell in row if cell.strip()) == 1:
                    # A note or a disclaimer under the table, one cell wide: not a service.
                    notes.add(f"Row {number} is one cell of text, not a table row; it was not read.")
                    continue
                if len(row) != len(fields):
                    raise DocumentError(
                        422,
                        "csv_row_width",
                        f"Row {number} has {len(row)} cells; the header has {len(fields)}.",
                    )
                _take_row(row, number, fields, drafts, pending)
        except csv.Error:
            raise DocumentError(
                422, "csv_unreadable", "The CSV could not be read (a quote is not closed)."
            ) from None
        for key, draft in drafts.items():
            for row_number, cells in pending[key]:
                draft.add_line(cells, where=f"Row {row_number}")
        claims = build_claims(drafts.values(), "csv", notes)
        if not claims:
            raise DocumentError(422, "no_eob_rows", "The CSV has a header but no rows with amounts.")
        return ParsedDocument(claims=claims, notes=notes.items, kind="csv", parser=self.name)


def _take_row(
    row: list[str],
    number: int,
    fields: list[str | None],
    drafts: dict[str, ClaimDraft],
    pending: dict[str, list[tuple[int, dict[str, str]]]],
) -> None:
    cells = {
        f: v.strip() for f, v in zip(fields, row, strict=True) if f and f not in PRIVATE_FIELDS and v.strip()
    }
    first = next((v for v in row if v.strip()), "")
    labels = (first, cells.get("description", ""))
    if any(is_other_total_label(text) for text in labels):
        return  # a page's, a provider's or the export's sum: no line, not a claim's totals
    totals = any(is_total_label(text) for text in labels)
    if totals and is_total_label(cells.get("claim_number", "")):
        del cells["claim_number"]  # "Total" printed in the claim number's column
    # Grouped exports print the claim number on a claim's first row only: a row without one
    # belongs to the claim above it. Without any claim number, all rows form one claim.
    key = cells.get("claim_number") or next(reversed(drafts), "")
    draft = drafts.setdefault(key, ClaimDraft())
    pending.setdefault(key, [])
    for name in _CLAIM_FIELDS:
        if name in cells:
            draft.label(name, cells[name])
    for column, value in zip(fields, row, strict=True):
        if column == "patient" and value.strip():
            draft.label(column, value)  # tells the patients apart; the name itself is dropped
    if totals:
        draft.totals.update(read_amounts(cells, where=f"Row {number}"))
        return
    pending[key].append((number, cells))
