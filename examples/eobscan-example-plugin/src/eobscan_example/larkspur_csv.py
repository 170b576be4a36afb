"""Larkspur Mutual's "Download claims (CSV)" export, read into claims.

Larkspur Mutual is an invented insurer; its export is a typical one. A title row, then a header
row, then one row per service line, lines of one claim sharing its claim number::

    Larkspur Mutual Claims Export,Generated 04/02/2026
    Claim Number,Patient,Relationship,Date of Service,Provider,Network Status,Service Code,...
    LM-0000001,Alex Sample,Subscriber,03/02/2026,Coastline Ambulance,Out of Network,A0427,...

The patient's name is read past and never kept: checks do not need it, and a scan result must not
carry it. Amounts go through :func:`scanner.money.parse_money`, so they are exact cents.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from typing import ClassVar

from eobscan_example.codes import AIR_AMBULANCE_CODES, GROUND_AMBULANCE_CODES
from scanner import hookimpl
from scanner.ingest import DocumentError, DocumentKind, ParseContext, ParsedDocument, Parser
from scanner.model import Claim, Network, Party, Role, ServiceLine
from scanner.money import Money, MoneyError, parse_money

TITLE = b"Larkspur Mutual Claims Export"

#: Export column -> ServiceLine amount field.
AMOUNT_COLUMNS = {
    "Billed Charges": "billed",
    "Plan Allowance": "allowed",
    "Larkspur Paid": "plan_paid",
    "Deductible": "deductible",
    "Copay": "copay",
    "Coinsurance": "coinsurance",
    "Not Covered": "not_covered",
    "Member Owes": "patient_responsibility",
}
REQUIRED = ("Claim Number", "Date of Service", "Network Status", "Service Code", "Member Owes")
NETWORK: dict[str, Network] = {"in network": "in", "out of network": "out"}
DEPENDENT = re.compile(r"^dependent\s+(\d{1,2})$")


class LarkspurCsvParser(Parser):
    """Reads Larkspur Mutual's CSV claims export."""

    name: ClassVar[str] = "larkspur-mutual-csv"
    version: ClassVar[str] = "1.0.0"
    kind: ClassVar[DocumentKind] = "csv"

    def sniff(self, data: bytes, filename: str | None) -> float:
        head = data.lstrip(b"\xef\xbb\xbf \r\n")[:200]
        if head.startswith(TITLE):
            return 1.0
        return 0.9 if b"Larkspur Paid" in head else 0.0

    def parse(self, data: bytes, context: ParseContext) -> ParsedDocument:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DocumentError(422, "not_utf8", "The Larkspur Mutual export is not UTF-8 text.") from None
        rows = list(enumerate(csv.reader(io.StringIO(text)), start=1))
        if rows and rows[0][1] and rows[0][1][0].startswith(TITLE.decode()):
            rows = rows[1:]
        if not rows:
            raise DocumentError(422, "no_header", "The Larkspur Mutual export has no header row.")
        header = [cell.strip() for cell in rows[0][1]]
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise DocumentError(
                422,
                "missing_columns",
                f"The Larkspur Mutual export lacks the column(s) {', '.join(missing)}.",
            )
        records = [(n, dict(zip(header, row, strict=False))) for n, row in rows[1:] if "".join(row).strip()]
        claims = list(_claims(records))
        notes = [f"Read {sum(len(c.lines) for c in claims)} lines of {len(claims)} claims."]
        return ParsedDocument(claims=claims, notes=notes, kind="csv", parser=self.name)


def _claims(records: list[tuple[int, dict[str, str]]]) -> Iterator[Claim]:
    """One claim per claim number, in the order the export first lists them."""
    by_number: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for row_number, record in records:
        by_number.setdefault(record.get("Claim Number", "").strip(), []).append((row_number, record))
    for index, (number, rows) in enumerate(by_number.items(), start=1):
        lines = [_line(str(i), row_number, record) for i, (row_number, record) in enumerate(rows, start=1)]
        first = rows[0][1]
        network = lines[0].network
        yield Claim(
            id=f"larkspur-{index}",
            source="csv",
            claim_type="professional",
            member=_member(first.get("Relationship", "")),
            payer="Larkspur Mutual",
            claim_number=number or None,
            provider=Party(
                name=first.get("Provider", "").strip() or None, network=network, role=_role(lines)
            ),
            service_start=min(line.service_date for line in lines if line.service_date),
            service_end=max(line.service_date for line in lines if line.service_date),
            lines=lines,
        )


def _line(line_id: str, row_number: int, record: dict[str, str]) -> ServiceLine:
    amounts: dict[str, Money | None] = {}
    for column, field in AMOUNT_COLUMNS.items():
        amounts[field] = _amount(record.get(column, ""), column, row_number)
    code = record.get("Service Code", "").strip().upper()
    line = ServiceLine(
        id=line_id,
        service_date=_date(record.get("Date of Service", ""), row_number),
        code=code or None,
        code_system="HCPCS" if code[:1].isalpha() else "CPT",
        description=record.get("Description", "").strip() or None,
        network=NETWORK.get(record.get("Network Status", "").strip().lower(), "unknown"),
    )
    for field, value in amounts.items():
        setattr(line, field, value)
    return line


def _amount(text: str, column: str, row_number: int) -> Money | None:
    if not text.strip():
        return None
    try:
        return parse_money(text)
    except MoneyError:
        # Name the place, never the value: it is someone's health data.
        raise DocumentError(422, "bad_amount", f"Row {row_number}, column {column}: not an amount.") from None


def _date(text: str, row_number: int) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        raise DocumentError(
            422, "bad_date", f"Row {row_number}, column Date of Service: not a MM/DD/YYYY date."
        ) from None


def _member(relationship: str) -> str:
    value = relationship.strip().lower()
    if value in {"subscriber", "self", ""}:
        return "self"
    if value == "spouse":
        return "spouse"
    dependent = DEPENDENT.match(value)
    return f"child-{int(dependent.group(1))}" if dependent else "other"


def _role(lines: list[ServiceLine]) -> Role | None:
    codes = {line.code for line in lines}
    if codes & AIR_AMBULANCE_CODES:
        return "air_ambulance"
    if codes & GROUND_AMBULANCE_CODES:
        return "ambulance"
    return None


@hookimpl
def eobscan_register_parsers(register: Callable[[object], None]) -> None:
    register(LarkspurCsvParser())
