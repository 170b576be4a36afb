"""Invented provider statements (the bills a hospital or clinic mails) and their renderings.

Each rendering is drawn from a :class:`Statement` (the truth), so a test can read it back and
compare every amount with what was printed. All people, account numbers, claim numbers and
providers are invented; amounts are made up to add up.

Layouts:

- :func:`hospital_itemized`: a hospital's itemized statement, the insurer's payment and the
  contractual adjustment printed as rows of their own, indented under each service (or, with
  ``tied=False``, once for the whole claim below the services), and a summary at the bottom;
- :func:`clinic_summary_box`: a clinic's statement with a summary box across the top ("Total
  Charges / Insurance Paid / Adjustments / Your Payments / Amount Due") and a table that prints
  each line's insurance payment, adjustment and patient balance in columns;
- :func:`summary_only`: a statement with the amount due and no itemized lines;
- :func:`pasted_text`: the text a patient copies from a portal's statement page;
- :func:`csv_export`: a statement's lines exported as CSV.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import letter

from . import documents as docs
from .documents import PATIENT, Col, Sheet, long_date, money, us_date

ACCOUNT = "7781234-01"
ADDRESS = ("100 Example Lane", "Testville, ZZ 00000")
DAY = dt.date(2026, 3, 2)


@dataclass
class Item:
    """One service line of a statement, with what the insurer paid and wrote off for it."""

    date: dt.date
    code: str
    description: str
    charge: int
    insurance: int = 0
    adjustment: int = 0
    patient_paid: int = 0
    rev_code: str | None = None

    @property
    def balance(self) -> int:
        return self.charge - self.insurance - self.adjustment - self.patient_paid


@dataclass
class Statement:
    provider: str
    statement_date: dt.date
    items: list[Item]
    claim_number: str | None = None
    payer: str = "Example Mutual Health"
    #: The patient's payments not printed against any line (at the desk, by mail).
    payments: int = 0
    good_faith_estimate: int | None = None
    self_pay: bool = False
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def total_charges(self) -> int:
        return sum(i.charge for i in self.items)

    @property
    def insurance(self) -> int:
        return sum(i.insurance for i in self.items)

    @property
    def adjustments(self) -> int:
        return sum(i.adjustment for i in self.items)

    @property
    def your_payments(self) -> int:
        return self.payments + sum(i.patient_paid for i in self.items)

    @property
    def amount_due(self) -> int:
        return sum(i.balance for i in self.items) - self.payments


def credit(cents: int) -> str:
    """A payment or adjustment as statements print it: "-$950.00"."""
    return f"-{money(cents)}" if cents else money(0)


# --- the ER visit that the EOB of documents.py also describes ------------------------------------

ER_CLAIM = "EX-2026-000777"


def er_visit_eob(*, network: str = "In-Network") -> docs.Case:
    """The insurer's EOB for the emergency visit: your share is $250.00 + $8.00 = $258.00."""
    lines = [
        docs.Line(DAY, "99284", "Emergency department visit", 185000, 65000, 120000, 95000, 25000, 0, 0, 0, ("CO-45",)),
        docs.Line(DAY, "85025", "Complete blood count", 9500, 5500, 4000, 3200, 0, 0, 800, 0, ("CO-45",)),
    ]  # fmt: skip
    claim = docs.Claim(
        ER_CLAIM,
        "Riverbend General Hospital",
        network,
        DAY + dt.timedelta(days=4),
        DAY + dt.timedelta(days=18),
        lines,
    )
    return docs.Case("er-visit", "Example Mutual Health", [claim])


def er_visit_statement(*, er_adjustment: int = 65000, claim_number: str | None = ER_CLAIM) -> Statement:
    """The hospital's statement for the same visit. With the contractual adjustments the EOB
    prints, it asks $258.00, the EOB's share; ``er_adjustment`` below $650.00 asks more."""
    items = [
        Item(
            DAY, "99284", "Emergency department visit, level 4", 185000, 95000, er_adjustment, rev_code="0450"
        ),
        Item(DAY, "85025", "Complete blood count (CBC)", 9500, 3200, 5500, rev_code="0300"),
    ]
    return Statement("Riverbend General Hospital", dt.date(2026, 4, 15), items, claim_number=claim_number)


# --- layout 1: a hospital's itemized statement ---------------------------------------------------

HOSPITAL_COLUMNS = (
    Col(("Service", "Date"), 36, 58, "date"),
    Col(("Rev", "Code"), 94, 34, "rev_code"),
    Col(("CPT/", "HCPCS"), 128, 44, "code"),
    Col(("Description",), 172, 240, "description"),
    Col(("Charges",), 412, 70, "charge"),
    Col(("Payments/", "Adjustments"), 482, 94, "credit"),
)
#: How far right of the description a payment row under a service is drawn.
INDENT = 12


def _hospital_furniture(statement: Statement, sheet: Sheet) -> None:
    sheet.text(36, statement.provider, size=15, font="Helvetica-Bold")
    sheet.text(sheet.width - 36, "ITEMIZED STATEMENT", size=11, font="Helvetica-Bold", align="right")
    sheet.down(13)
    sheet.text(36, "Patient Financial Services  -  PO Box 4410, Testville, ZZ 00000", size=8)
    sheet.text(sheet.width - 36, f"Page {sheet.page}", size=8, align="right")
    sheet.down(26)


def hospital_itemized(statement: Statement, *, tied: bool = True, rows_per_page: int = 40) -> bytes:
    """``tied``: each service's insurance payment and contractual adjustment printed indented
    under it; ``tied=False``: printed once for the claim, below all the services, not indented."""
    sheet = Sheet(letter, lambda s: _hospital_furniture(statement, s))
    for line in (PATIENT, *ADDRESS):
        sheet.text(54, line, size=10)
        sheet.down(12)
    sheet.down(12)
    pairs = (
        (f"Statement Date: {us_date(statement.statement_date)}", f"Account Number: {ACCOUNT}"),
        (f"Guarantor: {PATIENT}", f"Patient: {PATIENT}"),
        (f"Insurance: {statement.payer}", f"Insurance Claim Number: {statement.claim_number}"),
        (f"Amount Due: {money(statement.amount_due)}", "Due Date: 05/15/2026"),
    )
    for left, right in pairs:
        if statement.claim_number is None and "Claim Number" in right:
            right = ""
        sheet.text(36, left, size=9)
        sheet.text(320, right, size=9)
        sheet.down(13)
    sheet.down(10)
    docs.draw_header(sheet, HOSPITAL_COLUMNS)
    payments_day = statement.statement_date - dt.timedelta(days=20)
    rows = 0
    description = HOSPITAL_COLUMNS[3]

    def row(cells: Sequence[tuple[Col, str]], *, indent: float = 0) -> None:
        nonlocal rows
        if rows and rows % rows_per_page == 0:
            sheet.new_page()
            docs.draw_header(sheet, HOSPITAL_COLUMNS)
        rows += 1
        for column, value in cells:
            if column.field in ("charge", "credit"):
                sheet.text(column.right, value, size=8, align="right")
            else:
                sheet.text(column.x + 1 + (indent if column is description else 0), value, size=8)
        sheet.down(11)

    cols = {c.field: c for c in HOSPITAL_COLUMNS}
    for item in statement.items:
        row(
            [
                (cols["date"], us_date(item.date)),
                (cols["rev_code"], item.rev_code or ""),
                (cols["code"], item.code),
                (cols["description"], item.description),
                (cols["charge"], money(item.charge)),
            ]
        )
        if tied:
            for text, cents in (
                (f"Insurance Payment - {statement.payer}", item.insurance),
                ("Contractual Adjustment", item.adjustment),
            ):
                if cents:
                    row(
                        [
                            (cols["date"], us_date(payments_day)),
                            (description, text),
                            (cols["credit"], credit(cents)),
                        ],
                        indent=INDENT,
                    )
    if not tied:
        for text, cents in (
            (f"Insurance Payment - {statement.payer}", statement.insurance),
            ("Contractual Adjustment", statement.adjustments),
        ):
            row([(cols["date"], us_date(payments_day)), (description, text), (cols["credit"], credit(cents))])
    sheet.down(14)
    for label, value in (
        ("Total Charges", money(statement.total_charges)),
        ("Insurance Payments", credit(statement.insurance)),
        ("Adjustments", credit(statement.adjustments)),
        ("Your Payments", credit(statement.your_payments)),
        ("Amount Due", money(statement.amount_due)),
    ):
        sheet.text(430, label, size=9, font="Helvetica-Bold" if label == "Amount Due" else "Helvetica")
        sheet.text(sheet.width - 36, value, size=9, align="right")
        sheet.down(12)
    sheet.down(16)
    sheet.text(
        36,
        "Questions about your insurance payment? See the Explanation of Benefits from your insurer.",
        size=7,
    )
    sheet.down(20)
    # The tear-off coupon.
    sheet.text(36, "Please detach and return this portion with your payment", size=7)
    sheet.down(14)
    sheet.text(36, "Account Number", size=8)
    sheet.text(140, ACCOUNT, size=8)
    sheet.text(330, "Amount Due", size=8)
    sheet.text(sheet.width - 36, money(statement.amount_due), size=8, align="right")
    sheet.down(11)
    sheet.text(36, "Statement Date", size=8)
    sheet.text(140, us_date(statement.statement_date), size=8)
    sheet.text(330, "Amount Enclosed", size=8)
    sheet.text(sheet.width - 36, "$__________", size=8, align="right")
    sheet.down(16)
    for line in (PATIENT, *ADDRESS):
        sheet.text(54, line, size=9)
        sheet.down(11)
    sheet.down(6)
    sheet.text(330, f"Make checks payable to {statement.provider}", size=8)
    return sheet.finish()


# --- layout 2: a clinic's statement with a summary box --------------------------------------------

CLINIC_COLUMNS = (
    Col(("Date of", "Service"), 36, 62, "date"),
    Col(("CPT",), 98, 40, "code"),
    Col(("Description",), 138, 170, "description"),
    Col(("Charges",), 308, 60, "charge"),
    Col(("Ins. Paid",), 368, 60, "insurance"),
    Col(("Adjustments",), 428, 62, "adjustment"),
    Col(("Patient", "Balance"), 490, 86, "balance"),
)
BOX = (
    ("Total Charges", 36, 140),
    ("Insurance Paid", 140, 244),
    ("Adjustments", 244, 348),
    ("Your Payments", 348, 452),
    ("Amount Due", 452, 576),
)


def clinic_summary_box(statement: Statement, *, wrap: int | None = None, family: bool = False) -> bytes:
    """``wrap``: the line whose description runs over two printed rows; ``family``: a family
    account's statement, which prints the patient's name over their lines (at the left margin,
    just under the row above) and their subtotal under them."""

    def furniture(sheet: Sheet) -> None:
        sheet.text(36, statement.provider, size=16, font="Helvetica-Bold")
        sheet.text(sheet.width - 36, "STATEMENT", size=12, font="Helvetica-Bold", align="right")
        sheet.down(13)
        sheet.text(36, "2200 Maple Grove Road, Suite 110, Testville, ZZ 00000  -  (555) 010-0199", size=8)
        sheet.down(24)

    sheet = Sheet(letter, furniture)
    sheet.text(36, f"Statement Date: {long_date(statement.statement_date)}", size=9)
    sheet.text(320, f"Account #: {ACCOUNT}", size=9)
    sheet.down(13)
    sheet.text(36, f"Patient: {PATIENT}", size=9)
    if statement.claim_number:
        sheet.text(320, f"Claim #: {statement.claim_number}", size=9)
    sheet.down(20)
    top = sheet.y + 12
    for label, left, right in BOX:
        sheet.text((left + right) / 2, label, size=8, font="Helvetica-Bold", align="center")
    sheet.down(14)
    values = (
        money(statement.total_charges),
        credit(statement.insurance),
        credit(statement.adjustments),
        credit(statement.your_payments),
        money(statement.amount_due),
    )
    for (_, left, right), value in zip(BOX, values, strict=True):
        sheet.text((left + right) / 2, value, size=10, align="center")
    sheet.canvas.rect(36, sheet.y - 6, 540, top - sheet.y + 6, stroke=1, fill=0)
    sheet.down(34)
    docs.draw_header(sheet, CLINIC_COLUMNS)
    cols = {c.field: c for c in CLINIC_COLUMNS}
    if family:
        sheet.text(cols["date"].x + 1, PATIENT, size=8, font="Helvetica-Bold")
        sheet.down(10)
    for index, item in enumerate(statement.items):
        words = item.description.split()
        first, rest = (
            (" ".join(words[:-1]), words[-1]) if index == wrap and len(words) > 1 else (item.description, "")
        )
        sheet.text(cols["date"].x + 1, us_date(item.date), size=8)
        sheet.text(cols["code"].x + 1, item.code, size=8)
        sheet.text(cols["description"].x + 1, first, size=8)
        for name, cents in (
            ("charge", item.charge),
            ("insurance", item.insurance),
            ("adjustment", item.adjustment),
            ("balance", item.balance),
        ):
            sheet.text(cols[name].right, money(cents), size=8, align="right")
        sheet.down(10)
        if rest:
            sheet.text(cols["description"].x + 1, rest, size=8)
            sheet.down(10)
        sheet.down(2)
        if family and index == 0:
            sheet.text(cols["date"].x + 1, PATIENT, size=8, font="Helvetica-Bold")  # a page's repeat
            sheet.down(12)
    if family:
        sheet.text(cols["date"].x + 1, PATIENT, size=8, font="Helvetica-Bold")
        sheet.text(
            cols["balance"].right, money(sum(i.balance for i in statement.items)), size=8, align="right"
        )
        sheet.down(12)
    sheet.down(18)
    sheet.text(36, "Thank you for choosing us. Pay online or call (555) 010-0199 with questions.", size=8)
    return sheet.finish()


# --- layout 3: no itemized lines -----------------------------------------------------------------


def summary_only(provider: str, statement_date: dt.date, amount_due: int, *, visit: dt.date = DAY) -> bytes:
    def furniture(sheet: Sheet) -> None:
        sheet.text(36, provider, size=14, font="Helvetica-Bold")
        sheet.down(14)
        sheet.text(36, "410 Harbor Street, Testville, ZZ 00000", size=8)
        sheet.down(24)

    sheet = Sheet(letter, furniture)
    sheet.text(36, "Patient Statement", size=12, font="Helvetica-Bold")
    sheet.down(20)
    for line in (
        f"Statement Date: {us_date(statement_date)}",
        f"Account Number: {ACCOUNT}",
        f"Patient Name: {PATIENT}",
        f"Date of Service: {us_date(visit)}",
    ):
        sheet.text(36, line, size=10)
        sheet.down(14)
    sheet.down(10)
    sheet.text(36, "Balance Due:", size=12, font="Helvetica-Bold")
    sheet.text(200, money(amount_due), size=12, font="Helvetica-Bold")
    sheet.down(24)
    sheet.text(
        36, "Your insurance has paid its share of this visit. The balance is your responsibility.", size=8
    )
    return sheet.finish()


# --- text and CSV --------------------------------------------------------------------------------


def pasted_text(statement: Statement, *, indent: bool = True) -> str:
    """The statement page of a billing portal, copied: aligned with spaces, one service per row
    and its insurer's payment and adjustment indented under it."""
    out = [
        statement.provider,
        "Patient Statement",
        f"Statement Date: {long_date(statement.statement_date)}          Account Number: {ACCOUNT}",
        f"Patient Name: {PATIENT}",
        f"Mailing Address: {ADDRESS[0]}, {ADDRESS[1]}",
    ]
    if statement.claim_number:
        out.append(f"Insurance Claim Number: {statement.claim_number}")
    if statement.good_faith_estimate is not None:
        out.append(f"Good Faith Estimate: {money(statement.good_faith_estimate)}")
    if statement.self_pay:
        out.append("Self-pay account: you told us you are uninsured for this visit.")
    out.append("")
    out.append(f"{'Date of Service':<18}{'Code':<8}{'Description':<44}{'Charges':>12}")
    pad = "  " if indent else ""
    posted = statement.statement_date - dt.timedelta(days=14)
    for item in statement.items:
        out.append(f"{us_date(item.date):<18}{item.code:<8}{item.description:<44}{money(item.charge):>12}")
        for text, cents in (
            (f"Insurance Payment - {statement.payer}", item.insurance),
            ("Contractual Adjustment", item.adjustment),
        ):
            if cents:
                out.append(f"{us_date(posted):<18}{'':<8}{pad + text:<44}{credit(cents):>12}")
    if statement.payments:
        out.append(f"{'':<18}{'':<8}{'Payment - Thank You':<44}{credit(statement.payments):>12}")
    out.append("")
    out.append(f"Balance Due: {money(statement.amount_due)}")
    out.append("Pay online at the patient portal, or mail a check with your account number.")
    return "\n".join(out)


def csv_export(statement: Statement) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "Date of Service",
            "CPT Code",
            "Description",
            "Charges",
            "Insurance Paid",
            "Adjustments",
            "Patient Balance",
        ]
    )
    for item in statement.items:
        writer.writerow(
            [
                item.date.isoformat(),
                item.code,
                item.description,
                money(item.charge),
                money(item.insurance),
                money(item.adjustment),
                money(item.balance),
            ]
        )
    writer.writerow(["Amount Due", "", "", "", "", "", money(statement.amount_due)])
    return buffer.getvalue()
