"""Reading a provider's statement from rows of positioned cells into a :class:`StatementDraft`.

The PDF part (:mod:`scanner.ingest.statement_pdf`) and the text part
(:mod:`scanner.ingest.statement_text`) turn a document into the same
:class:`~scanner.ingest.statement_rows.StatementRow` list. This module walks the rows in order
and hands each to the part that knows what it means; :func:`scanner.ingest.statement.read_rows`
makes the draft a :class:`~scanner.model.Bill`.

- labels anywhere, a summary box, and the provider's name at the top:
  :mod:`scanner.ingest.statement_labels` (the labels of a person or an account are dropped there);
- the totals those labels and the table's total rows print: :mod:`scanner.ingest.statement_totals`;
- the itemized table's header and columns: :mod:`scanner.ingest.statement_columns`;
- its rows (service lines, credits, rows printed under a line): :mod:`scanner.ingest.statement_table`;
- each line's patient balance, printed or computed, and the patient's payments:
  :mod:`scanner.ingest.statement_balances`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scanner.ingest.assemble import Notes
from scanner.ingest.statement_balances import LineBalances
from scanner.ingest.statement_columns import eob_header, find_header
from scanner.ingest.statement_labels import TOP_ROWS, StatementLabels, Title, label_pairs, summary_titles
from scanner.ingest.statement_rows import StatementRow, first_amount
from scanner.ingest.statement_table import CreditRow, StatementTable
from scanner.ingest.statement_totals import PrintedTotals
from scanner.ingest.statement_vocabulary import credit_kind
from scanner.money import Money


@dataclass
class StatementDraft:
    """What the rows say, before it becomes a Bill (see :func:`scanner.ingest.statement.read_rows`)."""

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
        self.totals = PrintedTotals(notes)
        self.labels = StatementLabels(self.totals)
        self.table = StatementTable(notes, max_lines, self.totals)
        self.pending: list[Title] = []
        self.rows_seen = 0
        self.eob_columns = False
        self.texts: list[str] = []

    def read(self, rows: Sequence[StatementRow]) -> None:
        index = 0
        while index < len(rows):
            row = rows[index]
            self.texts.append(row.text)
            if eob_header(row):
                self.eob_columns = True
            header = find_header(rows, index)
            if header is not None:
                self.table.header, size = header
                for extra in rows[index + 1 : index + size]:
                    self.texts.append(extra.text)
                    self.eob_columns = self.eob_columns or eob_header(extra)
                self.table.group = None
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
            self.labels.summary_box(pending, row)
            self.table.group = None
            return
        if self.table.under_line(row):
            return
        pairs, consumed = label_pairs(row)
        dated = self.table.dated(row)
        if pairs and consumed and not dated:
            self.labels.read(pairs, row)
            self.table.group = None
            return
        if self.table.header is not None:
            self.table.read_row(row)
            return
        self.labels.read(pairs, row)
        kind = credit_kind(" ".join(c.text for c in row.cells if not c.amount))
        if kind in ("insurance", "adjustment", "patient", "unclear") and not pairs:
            amount = first_amount(row, "credit")
            if amount is not None:
                self.table.credits.append(CreditRow(row, kind, abs(int(amount)), None))
        self.table.group = None

    def _text_row(self, row: StatementRow) -> None:
        if self.table.continues(row):
            return
        titles = summary_titles(row)
        if titles is not None:
            self.pending = titles
            self.table.group = None
            return
        pairs, _ = label_pairs(row)
        if pairs:
            self.labels.read(pairs, row)
        elif self.table.header is None and row.page == 1 and self.rows_seen < TOP_ROWS:
            self.labels.name_candidates(row)
        self.table.group = None

    def finish(self) -> StatementDraft:
        draft = StatementDraft(eob_columns=self.eob_columns, text="\n".join(self.texts))
        draft.provider_name = self.labels.provider()
        draft.statement_date = self.labels.fields.get("statement_date")
        draft.service_date = self.labels.fields.get("service_date")
        draft.claim_numbers = list(self.labels.claim_numbers)
        draft.amount_due, draft.amount_due_seen, draft.bill_only_due = self.totals.amount_due()
        balances = LineBalances(self.table.services, self.table.credits, self.totals, self.notes)
        draft.amount_paid = balances.amount_paid()
        gfe = self.totals.one("good_faith_estimate")
        draft.good_faith_estimate = Money(abs(gfe)) if gfe is not None else None
        draft.insurance_activity = self._insurance_activity()
        balances.resolve_running_balance(self.table.running_values)
        lines = balances.balances(draft.amount_due)
        balances.check_charges()
        draft.lines = [
            (s.service_date, s.code, s.description, s.charge, balance)
            for s, balance in zip(self.table.services, lines, strict=True)
        ]
        return draft

    def _insurance_activity(self) -> bool:
        """Whether the statement shows the insurer at all: a claim number, a payment or a total."""
        services, credits = self.table.services, self.table.credits
        return bool(
            self.labels.claim_numbers
            or any(c.kind == "insurance" and c.cents for c in credits)
            or any(kind == "insurance" and cents for s in services for kind, cents in s.credits)
            or any(amount for amount, _ in self.totals.printed("insurance_paid"))
        )
