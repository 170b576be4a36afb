"""Reading a provider's statement from rows of positioned cells into one :class:`~scanner.model.Bill`.

The PDF part (:mod:`scanner.ingest.statement_pdf`) and the text part
(:mod:`scanner.ingest.statement_text`) turn a document into the same :class:`StatementRow` list:
cells with a horizontal position (points on a PDF page, characters in pasted text, a column's
index in a tab-separated or CSV paste). This module decides what the rows mean.

What is read:

- labels anywhere ("Statement Date: 04/15/2026", "Insurance Claim Number: EX-1", "Amount Due
  $258.00", with or without a colon, or a row of labels above a row of amounts as in a summary
  box); labels of a person or an account are recognised and dropped;
- the provider: the business's name printed at the top of the first page (the largest one, when
  several are), else a labelled one ("Make checks payable to: ...");
- the itemized table, under a header row naming at least one service column (date, code,
  description) and one amount column (charges, payments, balance): each row with a date or a
  code, and a charge, is a service line; a row that names a payment or an adjustment ("Insurance
  Payment - Example Health", "Contractual Adjustment", "Payment - Thank You") is not, and neither is
  a row of only words and an amount (a subtotal, or a family member's name over their lines: a
  person's name must never become a line's description);
- a line's patient balance: as printed (a "Patient Balance" column, or a "Patient Responsibility"
  row printed under the line). When it is not printed it is computed (charge less the credits)
  only when every payment and adjustment of the statement is clearly tied to one line: printed on
  the line's own row, printed indented under it, naming its code, or the statement having one
  line only; the printed totals must agree, and the balances must add up to the amount due.
  Otherwise it stays None and a note says why;
- a "Balance" column that is the account's running balance (printed on payment rows too, or each
  row's balance being the previous one plus the row) is not read as the lines' balances.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scanner.ingest.assemble import Notes, is_other_total_label, is_total_label, organisation_name
from scanner.ingest.errors import DocumentError
from scanner.ingest.labels import MAX_LABEL_WORDS, find_labels
from scanner.ingest.pdf_layouts import Cell, Column, Header
from scanner.ingest.statement_vocabulary import (
    AMOUNT_COLUMNS,
    AMOUNT_LABELS,
    BILL_ONLY_DUE,
    CREDIT_COLUMNS,
    EOB_ONLY_COLUMNS,
    SERVICE_COLUMNS,
    column_field,
    credit_kind,
    furniture_text,
    label_field,
    label_key,
)
from scanner.ingest.values import (
    claim_number_of,
    find_coded,
    find_dates,
    is_amount,
    read_amount,
    split_network_note,
    without_dates,
)
from scanner.money import Money, MoneyError, dollars

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
_LABEL_TITLES = {
    "amount_due": "Amount Due",
    "patient_paid": "Your Payments",
    "insurance_paid": "Insurance Paid",
    "adjustments": "Adjustments",
    "credits": "Payments and Adjustments",
    "total_charges": "Total Charges",
    "previous_balance": "Previous Balance",
    "good_faith_estimate": "Good Faith Estimate",
}
#: Which credit kind a credit column holds.
_COLUMN_KIND = {
    "insurance_paid": "insurance",
    "adjustment": "adjustment",
    "patient_paid": "patient",
    "credits": "credit",
}
#: Which credit kinds a printed total covers.
_TOTAL_KINDS = {
    "insurance_paid": ("insurance",),
    "adjustments": ("adjustment",),
    "patient_paid": ("patient",),
    "credits": ("insurance", "adjustment", "patient", "credit", "unclear"),
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
#: The first rows of the first page, where the billing entity prints its name.
_TOP_ROWS = 12
_LEADING_DATE = re.compile(r"^\s*(\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b")
#: What is left of a cell of dates once they are taken out: "to", "-", "thru", or nothing.
_RANGE_REST = re.compile(r"[\s\-\u2013]*(?:to|thru|through)?[\s\-\u2013]*", re.IGNORECASE)
#: A cell that holds a service code and nothing else: "99214", "99214-25", "J1100", "0450".
_CODE_CELL = re.compile(r"[A-Za-z]?\d{3,5}[A-Za-z]?(?:[-\s,]+[A-Za-z0-9]{2})*", re.ASCII)
_REV_CODE = re.compile(r"^(?:rev(?:enue)?\s*(?:code)?\s*)?(0?\d{3})$", re.IGNORECASE | re.ASCII)


@dataclass
class StatementRow:
    """One printed row: its cells left to right and where it is."""

    cells: list[Cell]
    where: str
    page: int
    top: float
    bottom: float
    size: float
    #: How far right of a line's description a row must start to be printed under it (indented).
    indent: float
    #: Whether a text-only row just under a line may continue its description (a PDF's wrapped
    #: description); pasted text has no such rows that can be told from a new paragraph.
    continues: bool = False

    @property
    def has_amount(self) -> bool:
        return any(c.amount for c in self.cells)

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    def segments(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class _Service:
    row: StatementRow
    service_date: str
    code: str | None
    description: str | None
    charge: Money | None
    #: The balance printed for the line: in a "Patient Balance" column, in a "Balance" column
    #: that is not a running balance, or on a "Patient Responsibility" row under it.
    printed: Money | None = None
    #: Credits on the line's own row: (kind, cents, positive).
    credits: list[tuple[str, int]] = field(default_factory=list)
    desc_x0: float = 0.0


@dataclass
class _Credit:
    row: StatementRow
    kind: str
    cents: int
    code: str | None
    #: The running balance printed on the row, if any (a ledger).
    balance_printed: bool = False
    tied: int | None = None


@dataclass
class StatementDraft:
    """What the rows say, before it becomes a Bill (see :func:`read_rows`)."""

    provider_name: str | None = None
    statement_date: str | None = None
    claim_numbers: list[str] = field(default_factory=list)
    amount_due: Money | None = None
    amount_due_seen: bool = False
    bill_only_due: bool = False
    amount_paid: Money | None = None
    good_faith_estimate: Money | None = None
    insurance_activity: bool = False
    lines: list[tuple[str, str | None, str | None, Money | None, Money | None]] = field(default_factory=list)
    service_date: str | None = None
    eob_columns: bool = False
    text: str = ""


class StatementReader:
    """Reads rows in order (see the module docstring); :meth:`finish` gives the draft."""

    def __init__(self, notes: Notes, max_lines: int) -> None:
        self.notes = notes
        self.max_lines = max_lines
        self.header: Header | None = None
        self.services: list[_Service] = []
        self.credits: list[_Credit] = []
        self.fields: dict[str, str] = {}
        self.claim_numbers: list[str] = []
        self.totals: dict[str, list[tuple[Money, str]]] = {}
        self.candidates: list[tuple[float, int, str]] = []
        self.group: _Service | None = None
        self.last_line_row: StatementRow | None = None
        self.pending: list[tuple[str, str, Cell]] = []
        self.rows_seen = 0
        self.eob_columns = False
        self.running_values: list[tuple[int, Money]] = []  # (service index, balance) of a "Balance" column
        self.texts: list[str] = []

    # --- rows ---------------------------------------------------------------------------------

    def read(self, rows: Sequence[StatementRow]) -> None:
        index = 0
        while index < len(rows):
            row = rows[index]
            self.texts.append(row.text)
            if _eob_header(row):
                self.eob_columns = True
            header = _find_header(rows, index)
            if header is not None:
                self.header, size = header
                for extra in rows[index + 1 : index + size]:
                    self.texts.append(extra.text)
                    self.eob_columns = self.eob_columns or _eob_header(extra)
                self.group = None
                self.pending = []
                index += size
                continue
            self._row(row)
            self.rows_seen += 1
            index += 1

    def _row(self, row: StatementRow) -> None:
        pending, self.pending = self.pending, []
        if not row.has_amount:
            self._text_row(row)
            return
        if pending and all(c.amount for c in row.cells):
            self._summary_box(pending, row)
            self.group = None
            return
        group = self.group
        if (
            self.header is not None
            and group is not None
            and self._indented(row, group)
            and self._sub_row(row, group)
        ):
            return
        pairs, consumed = _label_pairs(row)
        dated = self._dated(row)
        if pairs and consumed and not dated:
            self._labels(pairs, row)
            self.group = None
            return
        if self.header is not None:
            self._table_row(row)
            return
        self._labels(pairs, row)
        kind = credit_kind(" ".join(c.text for c in row.cells if not c.amount))
        if kind in ("insurance", "adjustment", "patient", "unclear") and not pairs:
            amount = _first_amount(row, "credit")
            if amount is not None:
                self.credits.append(_Credit(row, kind, abs(int(amount)), None))
        self.group = None

    def _text_row(self, row: StatementRow) -> None:
        if self._continues(row):
            return
        labels = [(label_field(c.text.rstrip(":")), c) for c in row.cells]
        if len(labels) >= 2 and all(f in AMOUNT_LABELS for f, _ in labels):
            self.pending = [(str(f), label_key(c.text.rstrip(":")), c) for f, c in labels]
            self.group = None
            return
        pairs, _ = _label_pairs(row)
        if pairs:
            self._labels(pairs, row)
        elif self.header is None and row.page == 1 and self.rows_seen < _TOP_ROWS:
            self._candidates(row)
        self.group = None

    def _candidates(self, row: StatementRow) -> None:
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

    def _continues(self, row: StatementRow) -> bool:
        last, header = self.last_line_row, self.header
        if not row.continues or last is None or header is None or self.group is None:
            return False
        if last.page != row.page or not 0 <= row.top - last.bottom <= 0.8 * row.size:
            return False
        # Wrapped text starts where the description above it does; a row that starts further
        # left (a family member's name over their own lines) is not part of it.
        for cell in row.cells:
            column = header.column_of(cell)
            if self._text_field(cell, column.field if column is not None else None) != "description":
                return False
            if cell.x0 < self.group.desc_x0 - 0.5 * row.size:
                return False
        if find_labels(row.segments(), label_field) or credit_kind(row.text):
            return False
        self.group.description = f"{self.group.description or ''} {row.text}".strip()
        self.last_line_row = row
        return True

    def _dated(self, row: StatementRow) -> bool:
        first = next((c for c in row.cells if not c.amount), None)
        if first is None:
            return False
        if self.header is not None:
            column = self.header.column_of(first)
            if column is not None and column.field in ("service_date", "posted") and find_dates(first.text):
                return True
        return bool(_LEADING_DATE.match(first.text))

    # --- labels -------------------------------------------------------------------------------

    def _labels(self, pairs: Iterable[tuple[str, str, str]], row: StatementRow) -> None:
        for name, key, value in pairs:
            if name in ("private", "ignored"):
                continue
            if name in AMOUNT_LABELS:
                amount_text = next((t for t in value.split() if is_amount(t)), None)
                if amount_text is None:
                    continue
                amount = _amount(amount_text, _LABEL_TITLES[name], row.where)
                if amount is None:
                    continue
                self.totals.setdefault(name, []).append((amount, key))
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

    def _summary_box(self, labels: list[tuple[str, str, Cell]], row: StatementRow) -> None:
        amounts = [c for c in row.cells if c.amount]
        if len(amounts) == len(labels):
            pairs = list(zip(labels, amounts, strict=True))
        else:
            pairs = [
                (min(labels, key=lambda lab: abs(lab[2].center - cell.center)), cell) for cell in amounts
            ]
        self._labels(((name, key, cell.text) for (name, key, _), cell in pairs), row)

    # --- the table ----------------------------------------------------------------------------

    def _assign(self, row: StatementRow) -> dict[str, list[Cell]]:
        """Cells by column field. An amount belongs to the column it sits under; a text cell is
        what it is (a date, a code, else the description), the columns only choosing between
        two of a kind (date of service or posting date, CPT or revenue code): titles are
        centred over their columns and text is left-aligned, so position alone misleads."""
        assert self.header is not None
        by_field: dict[str, list[Cell]] = {}
        for cell in row.cells:
            column = self.header.column_of(cell)
            name = column.field if column is not None else None
            if cell.amount:
                by_field.setdefault(name if name in AMOUNT_COLUMNS else "_amount", []).append(cell)
            else:
                by_field.setdefault(self._text_field(cell, name), []).append(cell)
        amounts = [name for name, cells in by_field.items() for c in cells if c.amount]
        if "_amount" in by_field or len(amounts) != len(set(amounts)):
            by_field = self._by_order(row, by_field)
        return by_field

    def _text_field(self, cell: Cell, under: str | None) -> str:
        text = cell.text.strip()
        fields = self.header.fields() if self.header is not None else []
        if _whole_date(text):
            if under in ("service_date", "posted"):
                return under
            return "posted" if "posted" in fields and "service_date" not in fields else "service_date"
        if _CODE_CELL.fullmatch(text) and (find_coded(text, cell=True) or _rev_code(text)):
            if under in ("code", "rev_code"):
                return under
            revenue = _rev_code(text) is not None and find_coded(text, cell=True) is None
            if revenue and "rev_code" in fields:
                return "rev_code"
            if "code" in fields:
                return "code"
            return "rev_code" if "rev_code" in fields else "description"
        if under == "units" and text.isdigit():
            return "units"
        return "description"

    def _by_order(self, row: StatementRow, by_field: dict[str, list[Cell]]) -> dict[str, list[Cell]]:
        """Amounts that do not sit under their columns (a paste that lost its alignment): in the
        order of the header's amount columns when the counts agree, else the first is the row's
        charge (or credit) and the others are not read."""
        assert self.header is not None
        amounts = [c for c in row.cells if c.amount]
        kept = {
            name: cells
            for name, cells in by_field.items()
            if name not in AMOUNT_COLUMNS and name != "_amount"
        }
        columns = [c.field for c in self.header.columns if c.field in AMOUNT_COLUMNS]
        if len(amounts) == len(columns):
            for name, cell in zip(columns, amounts, strict=True):
                kept[str(name)] = [cell]
            return kept
        first = "charge" if "charge" in columns else (columns[0] if columns else "charge")
        kept[str(first)] = [amounts[0]]
        if len(amounts) > 1:
            self.notes.add(
                f"{row.where}: the amounts do not line up with the table's columns; only the first was read."
            )
        return kept

    def _table_row(self, row: StatementRow) -> None:
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
            leading = _LEADING_DATE.match(description)
            if leading:
                date_text = leading.group(1)
                description = description[leading.end() :]
        coded = find_coded(code_text, cell=True) if code_text else None
        if coded is None and description:
            coded = find_coded(description)
        code = coded[0] if coded else _rev_code(rev_text)
        description = _strip_code(description, coded[0] if coded else None)
        if label_field(description) == "previous_balance":
            # "03/01/2026  Balance Forward  $100.00": what an earlier statement left, not a service.
            amount = self._credit_amount(row, by_field)
            if amount is None:
                amount = _first_amount(row, "Previous Balance")
            if amount is not None:
                self.totals.setdefault("previous_balance", []).append((amount, label_key(description)))
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
                credit = _Credit(
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
        service = _Service(
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
        return _amount(cells[0].text, _COLUMN_TITLES[name], row.where)

    def _totals_row(self, row: StatementRow, by_field: dict[str, list[Cell]], label: str) -> None:
        if is_other_total_label(label):
            return  # a page's or a group's sum
        named = label_field(label)
        if named == "amount_due":
            amount = _first_amount(row, _LABEL_TITLES["amount_due"])
            if amount is not None:
                self.totals.setdefault("amount_due", []).append((amount, label_key(label)))
            return
        charge = self._cell_amount(row, by_field, "charge")
        if charge is None and not any(by_field.get(n) for n in AMOUNT_COLUMNS):
            charge = _first_amount(row, _COLUMN_TITLES["charge"])
        if charge is not None:
            self.totals.setdefault("total_charges", []).append((charge, "total"))
        for name, total in (("insurance_paid", "insurance_paid"), ("adjustment", "adjustments")):
            value = self._cell_amount(row, by_field, name)
            if value is not None:
                self.totals.setdefault(total, []).append((Money(abs(int(value))), "total"))
        credits = self._cell_amount(row, by_field, "credits")
        if credits is not None:
            self.totals.setdefault("credits", []).append((Money(abs(int(credits))), "total"))

    # --- rows printed under a line --------------------------------------------------------------

    def _indented(self, row: StatementRow, service: _Service) -> bool:
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
            if self._text_field(cell, column.field if column is not None else None) == "description":
                return cell.x0
        return None

    def _sub_row(self, row: StatementRow, service: _Service) -> bool:
        """A row printed indented under a line: one of its credits, or its balance."""
        by_field = self._assign(row)
        text = " ".join(c.text for c in by_field.get("description", []))
        text = _LEADING_DATE.sub("", text).strip()
        if label_key(text) in _BALANCE_ROW:
            amount = self._credit_amount(row, by_field)
            if amount is None:
                amount = _first_amount(row, "Patient Balance")
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
            _Credit(
                row, kind, abs(int(amount)), None, balance_printed=bool(by_field.get("balance")), tied=index
            )
        )
        return True

    # --- the bill -------------------------------------------------------------------------------

    def finish(self) -> StatementDraft:
        draft = StatementDraft(eob_columns=self.eob_columns, text="\n".join(self.texts))
        draft.provider_name = self._provider()
        draft.statement_date = self.fields.get("statement_date")
        draft.service_date = self.fields.get("service_date")
        draft.claim_numbers = list(self.claim_numbers)
        dues = self.totals.get("amount_due", [])
        draft.amount_due_seen = bool(dues)
        draft.bill_only_due = any(key in BILL_ONLY_DUE for _, key in dues)
        distinct = list(dict.fromkeys(int(amount) for amount, _ in dues))
        if len(distinct) == 1:
            draft.amount_due = Money(distinct[0])
        elif len(distinct) > 1:
            self.notes.add(
                "The statement prints different amounts due ("
                + ", ".join(dollars(a) for a in distinct)
                + "); none was taken as the amount due."
            )
        draft.amount_paid = self._amount_paid()
        gfe = self._one_total("good_faith_estimate")
        draft.good_faith_estimate = Money(abs(gfe)) if gfe is not None else None
        draft.insurance_activity = bool(
            self.claim_numbers
            or any(c.kind == "insurance" and c.cents for c in self.credits)
            or any(kind == "insurance" and cents for s in self.services for kind, cents in s.credits)
            or any(amount for amount, _ in self.totals.get("insurance_paid", []))
        )
        self._resolve_running_balance()
        balances = self._balances(draft.amount_due)
        self._check_charges()
        draft.lines = [
            (s.service_date, s.code, s.description, s.charge, balance)
            for s, balance in zip(self.services, balances, strict=True)
        ]
        return draft

    def _provider(self) -> str | None:
        if self.candidates:
            return max(self.candidates)[2]
        return self.fields.get("provider")

    def _one_total(self, name: str) -> int | None:
        values = list(dict.fromkeys(int(amount) for amount, _ in self.totals.get(name, [])))
        if len(values) > 1:
            self.notes.add(
                f"The statement prints more than one {_LABEL_TITLES[name]!r} amount; none was read."
            )
            return None
        return values[0] if values else None

    def _amount_paid(self) -> Money | None:
        total = self._one_total("patient_paid")
        itemized = [c.cents for c in self.credits if c.kind == "patient"]
        itemized += [cents for s in self.services for kind, cents in s.credits if kind == "patient"]
        if total is not None:
            if itemized and sum(itemized) != abs(total):
                self.notes.add(
                    f"The statement's total of your payments ({dollars(abs(total))}) differs from the "
                    f"payments it lists ({dollars(sum(itemized))}); the total was taken."
                )
            return Money(abs(total))
        if itemized:
            return Money(sum(itemized))
        return None

    def _resolve_running_balance(self) -> None:
        """A "Balance" column: each line's balance, unless it is the account's running balance."""
        if not self.running_values:
            return
        running = any(c.balance_printed for c in self.credits)
        if not running and len(self.running_values) >= 2:
            running = self._cumulative()
        if running:
            self.notes.add(
                "The statement's Balance column is the account's running balance, not each line's "
                "balance; it was not read as the lines' balances."
            )
            return
        for index, value in self.running_values:
            service = self.services[index]
            if service.printed is None:
                service.printed = value

    def _cumulative(self) -> bool:
        previous: int | None = None
        for index, value in self.running_values:
            service = self.services[index]
            step = int(service.charge or 0) - sum(cents for _, cents in service.credits)
            step -= sum(c.cents for c in self.credits if c.tied == index)
            if previous is not None and int(value) != previous + step:
                return False
            previous = int(value)
        return True

    def _balances(self, amount_due: Money | None) -> list[Money | None]:
        printed = [s.printed for s in self.services]
        missing = [i for i, value in enumerate(printed) if value is None]
        if not self.services or not missing:
            self._check_balances(printed, amount_due)
            return printed
        tied = self._tie()
        if tied is None:
            return printed
        computed: list[Money | None] = list(printed)
        for index in missing:
            service = self.services[index]
            credits = [*service.credits, *tied.get(index, [])]
            if service.charge is None or any(kind == "unclear" for kind, _ in credits):
                if any(kind == "unclear" for kind, _ in credits):
                    self.notes.add(
                        f"{service.row.where}: a payment or credit printed under the line does not say "
                        "who paid it or what it is; the line's balance was not computed."
                    )
                continue
            balance = int(service.charge) - sum(cents for _, cents in credits)
            if balance < 0:
                self.notes.add(
                    f"{service.row.where}: the payments and adjustments of the line are more than its "
                    "charge; the line's balance was not computed."
                )
                continue
            computed[index] = Money(balance)
        if amount_due is not None and all(v is not None for v in computed):
            added = sum(int(v or 0) for v in computed)
            if added != int(amount_due):
                self.notes.add(
                    f"The line balances worked out from the charges, payments and adjustments add up to "
                    f"{dollars(added)}, not to the amount due ({dollars(amount_due)}); they were not kept."
                )
                return printed
        return computed

    def _tie(self) -> dict[int, list[tuple[str, int]]] | None:
        """Every credit row by the line it is tied to; None when any is not clearly tied to one."""
        codes: dict[str, list[int]] = {}
        for index, service in enumerate(self.services):
            if service.code:
                codes.setdefault(service.code, []).append(index)
        single = len(self.services) == 1
        loose = False
        for credit in self.credits:
            if credit.tied is None and credit.code and len(codes.get(credit.code, [])) == 1:
                credit.tied = codes[credit.code][0]
            if credit.tied is None and single:
                credit.tied = 0
            loose = loose or credit.tied is None
        tied: dict[int, list[tuple[str, int]]] = {}
        for credit in self.credits:
            if credit.tied is not None:
                tied.setdefault(credit.tied, []).append((credit.kind, credit.cents))
        if loose:
            self.notes.add(
                "The statement's payments and adjustments are not printed against its service lines, "
                "so each line's balance is unknown; only the amount due is read."
            )
            return None
        previous = self._one_total("previous_balance")
        if previous:
            self.notes.add(
                "The statement carries a previous balance, so each line's balance is unknown; only the "
                "amount due is read."
            )
            return None
        credited = 0  # credits printed only in a total, given to the one line
        for name, kinds in _TOTAL_KINDS.items():
            total = self._one_total(name)
            if total is None:
                continue
            listed = sum(c.cents for c in self.credits if c.kind in kinds)
            listed += sum(cents for s in self.services for kind, cents in s.credits if kind in kinds)
            if name == "credits":
                listed += credited
            residual = abs(total) - listed
            if residual == 0:
                continue
            if single and residual > 0:
                # One line: whatever the statement credited is credited to it.
                tied.setdefault(0, []).append((kinds[0] if len(kinds) == 1 else "credit", residual))
                credited += residual
                continue
            self.notes.add(
                f"The statement's {_LABEL_TITLES[name]!r} total ({dollars(abs(total))}) is not the sum "
                f"of the payments and adjustments it lists against its lines ({dollars(listed)}), so "
                "each line's balance is unknown; only the amount due is read."
            )
            return None
        return tied

    def _check_balances(self, balances: Sequence[Money | None], amount_due: Money | None) -> None:
        if amount_due is None or not balances or any(b is None for b in balances):
            return
        added = sum(int(b or 0) for b in balances)
        paid = self._one_total("patient_paid")
        if added not in (int(amount_due), int(amount_due) + abs(paid or 0)):
            self.notes.add(
                f"The line balances add up to {dollars(added)}, not to the amount due ({dollars(amount_due)})."
            )

    def _check_charges(self) -> None:
        total = self._one_total("total_charges")
        charges = [int(s.charge) for s in self.services if s.charge is not None]
        if total is not None and charges and sum(charges) != total:
            self.notes.add(
                f"The statement's total charges ({dollars(total)}) differ from the sum of its lines "
                f"({dollars(sum(charges))})."
            )


# --- helpers ---------------------------------------------------------------------------------


def _amount(text: str, column: str, where: str) -> Money | None:
    try:
        return read_amount(text)
    except MoneyError as exc:
        raise DocumentError(
            422, "invalid_amount", f"{where}: the {column!r} amount is not readable: {exc}."
        ) from None


def _first_amount(row: StatementRow, column: str) -> Money | None:
    cell = next((c for c in row.cells if c.amount), None)
    return _amount(cell.text, column, row.where) if cell is not None else None


def _whole_date(text: str) -> bool:
    """A cell that is a date or a range of dates and nothing else."""
    return bool(find_dates(text)) and _RANGE_REST.fullmatch(without_dates(text)) is not None


def _rev_code(text: str) -> str | None:
    match = _REV_CODE.match(text.strip())
    if match is None:
        return None
    return match.group(1).zfill(4)


def _strip_code(description: str, code: str | None) -> str:
    if not code:
        return description.strip()
    stripped = re.sub(rf"\(?\b{re.escape(code)}(?:-[A-Za-z0-9]{{2}}\b)*\)?", " ", description)
    return " ".join(stripped.split()).strip(" -–:,")


def _label_pairs(row: StatementRow) -> tuple[list[tuple[str, str, str]], bool]:
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
    segment, ending with a colon), with the label's own words kept for the caller."""
    tokens = [(word, index) for index, segment in enumerate(segments) for word in segment.split()]
    starts: list[tuple[int, int, str, str]] = []
    floor = 0
    for end, (word, segment) in enumerate(tokens):
        if not word.endswith(":"):
            continue
        best: tuple[int, str, str] | None = None
        for size in range(1, MAX_LABEL_WORDS + 1):
            first = end - size + 1
            if first < floor or tokens[first][1] != segment:
                break
            text = " ".join(w for w, _ in tokens[first : end + 1]).rstrip(":")
            name = label_field(text)
            if name is not None:
                best = (first, name, label_key(text))
        if best is not None:
            starts.append((best[0], end + 1, best[1], best[2]))
            floor = end + 1
    pairs = []
    for position, (_, value_start, name, key) in enumerate(starts):
        value_end = starts[position + 1][0] if position + 1 < len(starts) else len(tokens)
        pairs.append((name, key, " ".join(w for w, _ in tokens[value_start:value_end])))
    return pairs


def _spaced_pairs(cells: Sequence[Cell]) -> list[tuple[str, str, str]]:
    pairs: list[tuple[str, str, str]] = []
    index = 0
    while index < len(cells):
        cell = cells[index]
        after = cells[index + 1] if index + 1 < len(cells) else None
        if not cell.amount:
            name = label_field(cell.text)
            if name is not None and after is not None:
                if name in AMOUNT_LABELS and after.amount:
                    pairs.append((name, label_key(cell.text), after.text))
                    index += 2
                    continue
                if name not in AMOUNT_LABELS and not after.amount:
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
        return _LEADING_DATE.match(value) is not None
    if name == "claim_number":
        return any(ch.isdigit() for ch in value.split()[0])
    return name == "private"


def _find_header(rows: Sequence[StatementRow], start: int) -> tuple[Header, int] | None:
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


def _eob_header(row: StatementRow) -> bool:
    """Whether a row without amounts names the columns of an EOB (allowed, deductible...)."""
    if row.has_amount:
        return False
    return sum(1 for c in row.cells if label_key(c.text) in EOB_ONLY_COLUMNS) >= 2
