"""Reading a provider's statement (the bill a hospital or clinic mails) into one :class:`Bill`.

A patient holds two papers about one visit: the insurer's EOB and the provider's statement. The
EOB readers (:func:`scanner.ingest.read_document`) turn the first into claims; this module turns
the second into the :class:`~scanner.model.Bill` that :mod:`scanner.matching` ties to its claim
and the balance-billing rules (BAL001-BAL008) hold against it.

Usage::

    from scanner.ingest.statement import read_statement

    parsed = read_statement(data, "statement.pdf")     # PDF, pasted text or a CSV export
    parsed.bill       # Bill: provider_name, statement_date, claim_id, amount_due, amount_paid, lines...
    parsed.notes      # list[str]: what was unclear, in plain English (never the document's text)

``read_statement(data, filename, *, limits=None) -> ParsedStatement``. The kind is decided by the
content (a PDF starts with ``%PDF-``; anything else must be text); the filename only catches a
file named ``.pdf`` that is not one. Raises :class:`~scanner.ingest.errors.DocumentError`:

- 413 ``document_too_large`` (above ``DocumentLimits.max_bytes``);
- 415 ``not_a_pdf`` (named .pdf, not a PDF), ``unsupported_document`` (binary, not a PDF);
- 422 ``empty_document``; ``not_a_statement`` (an insurer's EOB, "This is not a bill", or a
  document with neither an amount due nor itemized charges); ``invalid_amount`` (an amount that
  cannot be read, named by its row and column); ``too_many_lines`` (more text lines than the text
  reader takes, or more service lines than ``DocumentLimits.max_claims``);
- for a PDF, what the sandboxed reader raises (:func:`scanner.ingest.pdf.pdf_words`): 422
  ``pdf_truncated``, ``too_many_pages``, ``pdf_no_text``, ``pdf_encrypted``, ``pdf_unreadable``,
  ``pdf_too_complex``, ``pdf_timeout``, ``pdf_worker_died``; 503 ``busy``.

Every message names what is wrong (a label, a row, a limit) and never quotes the document.

What the Bill holds:

- ``provider_name``: the billing entity printed at the top ("Riverbend General Hospital"); only a
  business's name is ever kept;
- ``statement_date``, ``amount_due`` ("Amount Due", "Balance Due", "Please Pay", "Total Amount Due",
  "Patient Balance"...), ``amount_paid`` (the patient's own payments: "Your Payments", or the
  "Patient Payment" / "Payment - Thank You" rows added up), ``claim_id`` (the insurance claim
  number when printed, "Claim #", "Insurance Claim Number": the matcher compares it with the EOB's);
- ``lines``: each service of the itemized table (date, CPT/HCPCS code or else revenue code,
  description, charge, and its patient balance when printed, or computed when every payment and
  adjustment is clearly tied to one line: see :mod:`scanner.ingest.statement_balances`). Insurance
  payments and adjustments printed as rows of their own are not service lines;
- ``good_faith_estimate`` when printed ("Good Faith Estimate: $1,200.00"); ``self_pay`` only when
  the statement says the care is self-pay or uninsured and shows no insurance at all;
- ``id``: an opaque id (:func:`scanner.ingest.ids.opaque_bill_id`), the same for the same statement
  within a process, that reveals nothing of it.

The account number, the guarantor's and the patient's names, addresses and dates of birth are
recognised as such and dropped: they enter neither the Bill, nor the notes, nor an error.

``POST /v1/scan/document`` reads it from the form's ``bill_file``, ``eobscan scan --bill-file``
from a file, and the upload page from its "statement itself" field; what the patient types wins
over what is read (:mod:`scanner.bill_input`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from scanner.ingest import DocumentLimits
from scanner.ingest.assemble import Notes
from scanner.ingest.errors import DocumentError
from scanner.ingest.ids import opaque_bill_id
from scanner.ingest.statement_reader import StatementDraft, StatementReader
from scanner.ingest.statement_rows import StatementRow
from scanner.ingest.statement_vocabulary import BILL_MARKERS, EOB_MARKERS, SELF_PAY
from scanner.ingest.text import decode_text
from scanner.ingest.values import find_dates, parse_date
from scanner.model import Bill, BillLine
from scanner.money import format_money

__all__ = ["NOT_A_STATEMENT", "ParsedStatement", "StatementKind", "read_statement"]

StatementKind = Literal["pdf", "text", "csv"]

NOT_A_STATEMENT = (
    "No provider's statement was found: the document prints no amount due (such as 'Amount Due' or "
    "'Balance Due') and no itemized charges. Upload the bill the hospital or clinic sent."
)
AN_EOB = (
    "This is an insurer's Explanation of Benefits (it says it is not a bill), not a provider's "
    "statement: read it as an EOB, and upload the bill the hospital or clinic sent as the statement."
)
UNSUPPORTED = "The statement is not a supported type: send a PDF or the statement's text."


@dataclass
class ParsedStatement:
    """What :func:`read_statement` read: the bill, and plain-English notes about the reading."""

    bill: Bill
    notes: list[str] = field(default_factory=list)
    kind: StatementKind = "text"
    pages: int | None = None
    #: CPU seconds spent in the sandboxed PDF worker, for the request log.
    worker_cpu_seconds: float | None = None


def read_statement(
    data: bytes, filename: str | None, *, limits: DocumentLimits | None = None
) -> ParsedStatement:
    """Read a provider's statement (PDF, pasted text or CSV) into one :class:`Bill` and notes.

    See the module docstring for what is read and for the :class:`DocumentError` raised.
    """
    limits = limits or DocumentLimits()
    if len(data) > limits.max_bytes:
        raise DocumentError.too_large(limits.max_bytes)
    if not data.strip():
        raise DocumentError(422, "empty_document", "The document is empty.")
    pages: int | None = None
    cpu: float | None = None
    kind: StatementKind
    if b"%PDF-" in data[:1024]:
        from scanner.ingest.statement_pdf import pdf_rows, statement_pdf_words

        words = statement_pdf_words(data, limits)
        rows = pdf_rows(words)
        kind, pages, cpu = "pdf", len(words.pages), words.cpu_seconds
    else:
        from scanner.ingest.statement_text import text_rows

        if filename and str(filename).lower().endswith(".pdf"):
            raise DocumentError.unsupported(data, filename)
        text = decode_text(data)
        if text is None:
            raise DocumentError(415, "unsupported_document", UNSUPPORTED)
        if not text.strip():
            raise DocumentError(422, "empty_document", "The document is empty.")
        rows, kind = text_rows(text)
    bill, notes = read_rows(rows, limits)
    return ParsedStatement(bill=bill, notes=notes, kind=kind, pages=pages, worker_cpu_seconds=cpu)


def read_rows(rows: list[StatementRow], limits: DocumentLimits | None = None) -> tuple[Bill, list[str]]:
    """The Bill the rows of a statement describe, and the notes; refuses what is not a statement."""
    limits = limits or DocumentLimits()
    notes = Notes()
    reader = StatementReader(notes, max_lines=limits.max_claims)
    reader.read(rows)
    draft = reader.finish()
    _refuse_what_is_not_a_statement(draft)
    return _bill(draft, notes), notes.items


def _refuse_what_is_not_a_statement(draft: StatementDraft) -> None:
    eob = bool(EOB_MARKERS.search(draft.text)) or draft.eob_columns
    if eob and not draft.bill_only_due:
        raise DocumentError(422, "not_a_statement", AN_EOB)
    if draft.amount_due_seen:
        return
    if draft.lines and BILL_MARKERS.search(draft.text):
        return
    raise DocumentError(422, "not_a_statement", NOT_A_STATEMENT)


def _bill(draft: StatementDraft, notes: Notes) -> Bill:
    claim_id: str | None = None
    if len(draft.claim_numbers) == 1:
        claim_id = draft.claim_numbers[0]
    elif len(draft.claim_numbers) > 1:
        notes.add(
            "The statement prints more than one insurance claim number; the bill was not tied to one "
            "claim (it is matched to the EOB by provider, dates and amounts instead)."
        )
    statement_date = parse_date(draft.statement_date or "")
    one_date = _one_date(draft.service_date)
    lines = [
        BillLine(
            id=str(number),
            service_date=parse_date(day) or one_date,
            code=code,
            description=description,
            charge=charge,
            patient_balance=balance,
        )
        for number, (day, code, description, charge, balance) in enumerate(draft.lines, start=1)
    ]
    self_pay = bool(SELF_PAY.search(draft.text)) and not draft.insurance_activity
    if draft.good_faith_estimate is not None and not self_pay:
        notes.add(
            "The statement prints a good faith estimate but does not say the care was self-pay "
            "(uninsured); an estimate is held against the bill only for self-pay care."
        )
    if draft.provider_name is None:
        notes.add("The provider's name was not found at the top of the statement.")
    if statement_date is None:
        notes.add("The statement date was not found.")
    if draft.amount_due is None and not draft.amount_due_seen:
        notes.add("The amount due was not found on the statement.")
    bill = Bill(
        id="pending",
        claim_id=claim_id,
        provider_name=draft.provider_name,
        statement_date=statement_date,
        amount_due=draft.amount_due,
        amount_paid=draft.amount_paid,
        self_pay=self_pay,
        good_faith_estimate=draft.good_faith_estimate,
        lines=lines,
    )
    bill.id = opaque_bill_id(_identity(bill))
    return bill


def _one_date(text: str | None) -> dt.date | None:
    """A date of service printed for the whole statement, when it is a single day."""
    dates = find_dates(text or "")
    return dates[0] if dates and dates[0] == dates[-1] else None


def _identity(bill: Bill) -> list[str]:
    """The facts that make a statement this statement (never a person's or an account's)."""

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            return format_money(value)
        return str(value)

    parts = [text(bill.provider_name), text(bill.statement_date), text(bill.claim_id)]
    # "Your Payments: $0.00" and no payments printed at all are the same statement.
    parts += [text(bill.amount_due), text(bill.amount_paid or None), text(bill.good_faith_estimate)]
    for line in bill.lines:
        parts += [text(line.service_date), text(line.code), text(line.charge), text(line.patient_balance)]
    return parts
