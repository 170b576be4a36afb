"""The rows of a provider's itemized table: which are service lines, and which are not.

Under a header (:mod:`scanner.ingest.statement_columns`), each row with a date or a code, and a
charge, is a service line. A row that names a payment or an adjustment ("Insurance Payment -
Example Health", "Contractual Adjustment", "Payment - Thank You") is a credit, not a line, and
neither is a row of only words and an amount (a subtotal, or a family member's name over their
lines: a person's name must never become a line's description). A "Total" row and a "Balance
Forward" row are printed totals (:mod:`scanner.ingest.statement_totals`).

Rows printed under a line belong to it: a wrapped description continues it, and an indented
"Insurance Payment" or "Patient Responsibility" row is its credit or its printed balance. What
the credits leave each line owing is :mod:`scanner.ingest.statement_balances`'s to work out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.ingest.assemble import Notes, is_other_total_label, is_total_label, strip_code
from scanner.ingest.errors import DocumentError
from scanner.ingest.labels import find_labels
from scanner.ingest.pdf_layouts import Cell, Header
from scanner.ingest.statement_columns import assign_cells, rev_code, text_field
from scanner.ingest.statement_labels import LEADING_DATE
from scanner.ingest.statement_rows import StatementRow, first_amount, read_cell_amount
from scanner.ingest.statement_totals import LABEL_TITLES, PrintedTotals
from scanner.ingest.statement_vocabulary import (
    AMOUNT_COLUMNS,
    CREDIT_COLUMNS,
    credit_kind,
    label_field,
    label_key,
)
from scanner.ingest.values import find_coded, find_dates
from scanner.money import Money

#: How a column is named in an error message.
_COLUMN_TITLES = {
    "charge": "Charges",
    "insurance_paid": "Insurance Paid",
    "adjustment": "Adjustments",
    "patient_paid": "Patient Paid",
    "credits": "Payments/Adjustments",
    "patient_balance": "Patient Balance",
    "balance": "Balance",
    "running": "Running Balance",
}
#: Which credit kind a credit column holds.
_COLUMN_KIND = {
    "insurance_paid": "insurance",
    "adjustment": "adjustment",
    "patient_paid": "patient",
    "credits": "credit",
}
#: A row printed under a line that gives that line's balance ("Patient Responsibility $250.00").
_BALANCE_ROW = frozenset(
    label_key(p)
    for p in (
        "patient responsibility", "patient balance", "your balance", "balance", "balance due", "you owe",
        "amount due", "patient portion", "your responsibility", "your share", "self pay", "self-pay",
        "self pay balance", "self-pay balance", "line balance", "patient resp",
    )
)  # fmt: skip


@dataclass
class ServiceRow:
    """A service line as its row prints it."""

    row: StatementRow
    service_date: str
    code: str | None
    description: str | None
    charge: Money | None
    #: The balance printed for the line: in a "Patient Balance" column, in a "Balance" column
    #: that is not a running balance, or on a "Patient Responsibility" row under it.
    printed: Money | None = None
    #: Credits on the line's own row: (kind, cents).
    credits: list[tuple[str, int]] = field(default_factory=list)
    desc_x0: float = 0.0


@dataclass
class CreditRow:
    """A payment or an adjustment printed as a row of its own."""

    row: StatementRow
    kind: str
    cents: int
    code: str | None
    #: The running balance printed on the row, if any (a ledger).
    balance_printed: bool = False
    #: The index of the line it is printed under, once known.
    tied: int | None = None


class StatementTable:
    """The itemized table read so far: its header, its lines and its credit rows."""

    def __init__(self, notes: Notes, max_lines: int, totals: PrintedTotals) -> None:
        self.notes = notes
        self.max_lines = max_lines
        self.totals = totals
        self.header: Header | None = None
        self.services: list[ServiceRow] = []
        self.credits: list[CreditRow] = []
        #: The line the rows printed under it belong to, until a row that is not one of them.
        self.group: ServiceRow | None = None
        self.last_line_row: StatementRow | None = None
        self.running_values: list[tuple[int, Money]] = []  # (service index, balance) of a "Balance" column

    def continues(self, row: StatementRow) -> bool:
        last, header = self.last_line_row, self.header
        if not row.continues or last is None or header is None or self.group is None:
            return False
        if last.page != row.page or not 0 <= row.top - last.bottom <= 0.8 * row.size:
            return False
        # Wrapped text starts where the description above it does; a row that starts further
        # left (a family member's name over their own lines) is not part of it.
        for cell in row.cells:
            column = header.column_of(cell)
            if text_field(header, cell, column.field if column is not None else None) != "description":
                return False
            if cell.x0 < self.group.desc_x0 - 0.5 * row.size:
                return False
        if find_labels(row.segments(), label_field) or credit_kind(row.text):
            return False
        self.group.description = f"{self.group.description or ''} {row.text}".strip()
        self.last_line_row = row
        return True

    def dated(self, row: StatementRow) -> bool:
        first = next((c for c in row.cells if not c.amount), None)
        if first is None:
            return False
        if self.header is not None:
            column = self.header.column_of(first)
            if column is not None and column.field in ("service_date", "posted") and find_dates(first.text):
                return True
        return bool(LEADING_DATE.match(first.text))

    def under_line(self, row: StatementRow) -> bool:
        """Whether a row with amounts is printed indented under the current line, and so read."""
        group = self.group
        return (
            self.header is not None
            and group is not None
            and self._indented(row, group)
            and self._sub_row(row, group)
        )

    # --- a row of the table ---------------------------------------------------------------------

    def _assign(self, row: StatementRow) -> dict[str, list[Cell]]:
        assert self.header is not None
        return assign_cells(self.header, row, self.notes)

    def read_row(self, row: StatementRow) -> None:
        by_field = self._assign(row)
        texts = [c for c in row.cells if not c.amount]
        first_text = texts[0].text if texts else ""
        totals = label_field(first_text) in ("total_charges", "amount_due")
        if totals or is_total_label(first_text) or is_other_total_label(first_text):
            self._totals_row(row, by_field, first_text)
            self.group = None
            return
        date_text = " ".join(c.text for c in by_field.get("service_date", []))
        code_text = " ".join(c.text for c in by_field.get("code", []))
        rev_text = " ".join(c.text for c in by_field.get("rev_code", []))
        description = " ".join(c.text for c in by_field.get("description", []))
        if not find_dates(date_text):
            leading = LEADING_DATE.match(description)
            if leading:
                date_text = leading.group(1)
                description = description[leading.end() :]
        coded = find_coded(code_text, cell=True) if code_text else None
        if coded is None and description:
            coded = find_coded(description)
        code = coded[0] if coded else rev_code(rev_text)
        description = _strip_code(description, coded[0] if coded else None)
        if label_field(description) == "previous_balance":
            # "03/01/2026  Balance Forward  $100.00": what an earlier statement left, not a service.
            amount = self._credit_amount(row, by_field)
            if amount is None:
                amount = first_amount(row, "Previous Balance")
            if amount is not None:
                self.totals.add("previous_balance", amount, label_key(description))
            self.group = None
            return
        kind = credit_kind(description) if description else None
        if kind is None and not description:
            column = next((name for name in CREDIT_COLUMNS if by_field.get(name)), None)
            if column is not None and not by_field.get("charge"):
                kind = "unclear" if column == "credits" else _COLUMN_KIND[column]
        if kind == "info":
            self.group = None
            return
        if kind is not None:
            amount = self._credit_amount(row, by_field)
            if amount is not None:
                credit = CreditRow(
                    row, kind, abs(int(amount)), code, balance_printed=bool(by_field.get("balance"))
                )
                self.credits.append(credit)
            self.group = None
            return
        charge = self._cell_amount(row, by_field, "charge")
        printed = self._cell_amount(row, by_field, "patient_balance")
        running = self._cell_amount(row, by_field, "balance")
        if charge is None and printed is None and running is None:
            self.notes.add(f"{row.where}: a row with amounts was not read (it names no charge).")
            self.group = None
            return
        if not (find_dates(date_text) or code):
            # A charge with only words beside it: a department's subtotal, or a family member's
            # name over their own lines, which must never become a line's description.
            if description:
                self.notes.add(
                    "Rows with an amount but neither a date nor a service code were not read as lines."
                )
            self.group = None
            return
        if len(self.services) >= self.max_lines:
            raise DocumentError(
                422, "too_many_lines", f"The statement lists more than {self.max_lines} service lines."
            )
        service = ServiceRow(
            row=row,
            service_date=date_text,
            code=code,
            description=" ".join(description.split()) or None,
            charge=charge,
            printed=printed,
        )
        for name in CREDIT_COLUMNS:
            value = self._cell_amount(row, by_field, name)
            if value is not None:
                service.credits.append((_COLUMN_KIND[name], abs(int(value))))
        if running is not None:
            self.running_values.append((len(self.services), running))
        desc_cells = by_field.get("description", [])
        service.desc_x0 = desc_cells[0].x0 if desc_cells else self._description_left()
        self.services.append(service)
        self.group = service
        self.last_line_row = row

    def _description_left(self) -> float:
        assert self.header is not None
        column = next((c for c in self.header.columns if c.field == "description"), None)
        return column.x0 if column is not None else float("inf")

    def _credit_amount(self, row: StatementRow, by_field: dict[str, list[Cell]]) -> Money | None:
        for name in (*CREDIT_COLUMNS, "charge", "patient_balance"):
            value = self._cell_amount(row, by_field, name)
            if value is not None:
                return value
        return None

    def _cell_amount(self, row: StatementRow, by_field: dict[str, list[Cell]], name: str) -> Money | None:
        cells = [c for c in by_field.get(name, []) if c.amount]
        if not cells:
            return None
        return read_cell_amount(cells[0].text, _COLUMN_TITLES[name], row.where)

    def _totals_row(self, row: StatementRow, by_field: dict[str, list[Cell]], label: str) -> None:
        if is_other_total_label(label):
            return  # a page's or a group's sum
        named = label_field(label)
        if named == "amount_due":
            amount = first_amount(row, LABEL_TITLES["amount_due"])
            if amount is not None:
                self.totals.add("amount_due", amount, label_key(label))
            return
        charge = self._cell_amount(row, by_field, "charge")
        if charge is None and not any(by_field.get(n) for n in AMOUNT_COLUMNS):
            charge = first_amount(row, _COLUMN_TITLES["charge"])
        if charge is not None:
            self.totals.add("total_charges", charge, "total")
        for name, total in (("insurance_paid", "insurance_paid"), ("adjustment", "adjustments")):
            value = self._cell_amount(row, by_field, name)
            if value is not None:
                self.totals.add(total, Money(abs(int(value))), "total")
        credits = self._cell_amount(row, by_field, "credits")
        if credits is not None:
            self.totals.add("credits", Money(abs(int(credits))), "total")

    # --- rows printed under a line --------------------------------------------------------------

    def _indented(self, row: StatementRow, service: ServiceRow) -> bool:
        assert self.header is not None
        if row.page != service.row.page:
            return False
        start = self._row_text_start(row)
        if start is None:
            return False
        column = next((c for c in self.header.columns if c.field == "description"), None)
        inside = column is None or start < column.right
        return inside and start - service.desc_x0 >= row.indent

    def _row_text_start(self, row: StatementRow) -> float | None:
        """Where the row's description starts (its date and code cells left aside)."""
        assert self.header is not None
        for cell in row.cells:
            if cell.amount:
                continue
            column = self.header.column_of(cell)
            if text_field(self.header, cell, column.field if column is not None else None) == "description":
                return cell.x0
        return None

    def _sub_row(self, row: StatementRow, service: ServiceRow) -> bool:
        """A row printed indented under a line: one of its credits, or its balance."""
        by_field = self._assign(row)
        text = " ".join(c.text for c in by_field.get("description", []))
        text = LEADING_DATE.sub("", text).strip()
        if label_key(text) in _BALANCE_ROW:
            amount = self._credit_amount(row, by_field)
            if amount is None:
                amount = first_amount(row, "Patient Balance")
            if amount is not None and service.printed is None:
                service.printed = amount
            return True
        kind = credit_kind(text)
        if kind == "info":
            return True
        if kind is None:
            return False
        amount = self._credit_amount(row, by_field)
        if amount is None:
            return True
        index = self.services.index(service)
        self.credits.append(
            CreditRow(
                row, kind, abs(int(amount)), None, balance_printed=bool(by_field.get("balance")), tied=index
            )
        )
        return True


def _strip_code(description: str, code: str | None) -> str:
    """The description without the code it prints ("99214 Office visit" is "Office visit")."""
    if not code:
        return description.strip()
    return strip_code(description, code) or ""
