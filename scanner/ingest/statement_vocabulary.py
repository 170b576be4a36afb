"""The words provider statements use: column titles, labels, and the rows that are not services.

A provider's statement (the bill a hospital or clinic mails after the insurer paid) names its
columns and totals differently from an EOB: "Charges", "Payments/Adj", "Patient Balance",
"Amount Due", "Payment - Thank You". The EOB vocabulary (:mod:`scanner.ingest.vocabulary`) is
not reused for them on purpose: there "Patient Balance" is a line's patient responsibility and
"Paid" is the plan's payment, while on a statement a "Balance" column may be the account's
running balance and "Payments" may be anyone's. Matching is on whole phrases after
:func:`~scanner.ingest.vocabulary.normalise`.

Labels that identify a person or an account (account number, guarantor, patient, address, date
of birth, member id) are recognised so their values are never mistaken for something else, then
dropped: none of them enters a :class:`~scanner.model.Bill`, a note or an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from scanner.ingest.vocabulary import normalise

# --- table columns -----------------------------------------------------------------------------

#: Amount columns of a statement's itemized table.
AMOUNT_COLUMNS = frozenset(
    {
        "charge",
        "insurance_paid",
        "adjustment",
        "patient_paid",
        "credits",
        "patient_balance",
        "balance",
        "running",
    }
)
#: Columns that hold what was paid or written off against a line.
CREDIT_COLUMNS = ("insurance_paid", "adjustment", "patient_paid", "credits")
#: Columns that are recognised and not read (a posting date, units, insurance still pending).
IGNORED_COLUMNS = frozenset({"posted", "units", "pending"})
#: Columns that say which service a row is.
SERVICE_COLUMNS = frozenset({"service_date", "code", "rev_code", "description"})


def _phrases(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, phrases in table.items():
        for phrase in phrases:
            out.setdefault(normalise(phrase), name)
    return out


_COLUMN_PHRASES = _phrases(
    {
        "service_date": (
            "date", "dates", "date of service", "dates of service", "date(s) of service", "service date",
            "service dates", "dos", "svc date", "serv date", "service dt", "date of svc", "visit date",
            "from date", "service from",
        ),
        "posted": ("post date", "posting date", "posted", "date posted", "trans date", "transaction date"),
        "code": (
            "code", "cpt", "cpt code", "cpt/hcpcs", "cpt hcpcs", "hcpcs", "hcpcs code", "cpt/hcpcs code",
            "procedure", "procedure code", "proc code", "proc", "service code", "billing code", "cpt®",
        ),
        "rev_code": ("rev code", "revenue code", "rev", "rev cd", "revenue", "rev. code"),
        "description": (
            "description", "service", "services", "description of service", "service description",
            "item", "item description", "details", "transaction", "activity", "transaction description",
            "procedure description", "service provided", "services provided", "charge description",
        ),
        "units": ("qty", "units", "unit", "quantity"),
        "charge": (
            "charge", "charges", "amount", "total charges", "billed", "amount billed", "billed amount",
            "charge amount", "gross charges", "total charge", "fee", "fees",
        ),
        "insurance_paid": (
            "insurance paid", "ins paid", "insurance payment", "insurance payments", "ins pmt", "ins pmts",
            "ins payment", "ins payments", "plan paid", "paid by insurance", "insurance", "primary paid",
            "payer paid", "insurance pmt", "insurance credits",
        ),
        "adjustment": (
            "adjustment", "adjustments", "adj", "adjs", "contractual adjustment", "contractual adjustments",
            "discount", "discounts", "write off", "write offs", "insurance adjustment",
            "insurance adjustments", "contractual", "allowance",
        ),
        "patient_paid": (
            "patient paid", "patient payment", "patient payments", "your payment", "your payments",
            "paid by you", "you paid", "pt paid", "patient pmt", "pt payments",
        ),
        "credits": (
            "payments/adjustments", "payments and adjustments", "payments & adjustments", "payments/adj",
            "pmts/adj", "pmt/adj", "payments credits", "payments/credits", "credits", "credit",
            "payments", "payment", "credits and adjustments", "payments and credits", "paid",
            "adjustments and payments", "adjustments/payments",
        ),
        "patient_balance": (
            "patient balance", "your balance", "patient responsibility", "patient resp", "you owe",
            "patient amount", "patient due", "balance due", "amount due", "your responsibility",
            "pt balance", "patient portion", "your share", "patient owes", "pt resp", "you pay",
            "patient pays", "due from patient", "amount you owe", "line balance", "self pay",
            "self pay balance", "self-pay", "self-pay balance", "guarantor balance", "your portion",
        ),
        "balance": ("balance",),
        "running": ("running balance", "account balance", "balance forward", "acct balance"),
        "pending": ("insurance pending", "pending insurance", "expected insurance", "estimated insurance"),
    }
)  # fmt: skip

#: Columns an EOB's table has and a statement's does not: a table naming them is an EOB.
EOB_ONLY_COLUMNS = frozenset(
    normalise(p)
    for p in (
        "allowed", "allowed amount", "amount allowed", "plan allowance", "deductible", "coinsurance",
        "copay", "not covered", "network discount", "plan discount", "medicare approved",
        "what you owe", "applied to deductible", "eligible amount",
    )
)  # fmt: skip


def column_field(text: str) -> str | None:
    """The statement column a header cell names, or None."""
    return _COLUMN_PHRASES.get(normalise(text))


# --- labels ------------------------------------------------------------------------------------

#: Fields of the whole statement a label can name. ``private`` and ``ignored`` labels are read so
#: that their values are recognised, then dropped.
_LABEL_PHRASES = _phrases(
    {
        "statement_date": (
            "statement date", "statement dt", "date of statement", "bill date", "billing date",
            "date billed", "statement issued", "issue date", "date issued", "statement print date",
            "print date",
        ),
        "claim_number": (
            "claim", "claim #", "claim number", "claim no", "claim no.", "claim id", "insurance claim",
            "insurance claim number", "insurance claim #", "insurance claim no", "insurance claim id",
            "payer claim number", "payer claim #", "claim reference", "claim reference number", "icn",
            "ins claim #", "ins claim number",
        ),
        "provider": (
            "provider", "billing provider", "pay to", "remit to", "make checks payable to",
            "checks payable to", "payable to", "facility", "practice",
        ),
        "service_date": (
            "date of service", "dates of service", "date(s) of service", "service date", "service dates",
            "visit date", "date of visit", "dos",
        ),
        "amount_due": (
            "amount due", "balance due", "please pay", "total amount due", "patient balance", "total due",
            "amount now due", "amount due now", "pay this amount", "new balance", "current balance",
            "total balance due", "balance", "your balance", "total patient balance", "patient balance due",
            "current amount due", "amount you owe", "please pay this amount", "total balance",
        ),
        # Totals only: "Payment - Thank You", "Insurance Payment", "Adjustment" (singular) are
        # itemized rows (:func:`credit_kind`), which may be tied to a service line.
        "patient_paid": (
            "your payments", "patient payments", "payments received", "total patient payments",
            "payments made", "you paid", "patient paid", "paid by you", "payments - thank you",
            "payments thank you", "total payments by you", "your payments received",
        ),
        "insurance_paid": (
            "insurance paid", "insurance payments", "total insurance payments", "paid by insurance",
            "plan paid", "ins paid", "insurance credits", "ins payments", "insurance payments received",
        ),
        "adjustments": (
            "adjustments", "total adjustments", "contractual adjustments", "insurance adjustments",
            "discounts", "write offs", "total discounts",
        ),
        "credits": (
            "payments and adjustments", "payments/adjustments", "total credits", "credits",
            "payments/credits", "total payments and adjustments", "payments", "total payments",
            "payments & adjustments",
        ),
        "total_charges": (
            "total charges", "charges", "total", "totals", "subtotal", "sub total", "total billed",
            "account total", "new charges", "current charges", "statement total", "total of charges",
        ),
        "previous_balance": (
            "previous balance", "prior balance", "balance forward", "beginning balance",
            "last statement balance", "previous statement balance", "balance from previous statement",
        ),
        "good_faith_estimate": (
            "good faith estimate", "gfe", "good faith estimate amount", "gfe amount",
            "your good faith estimate", "good faith estimate total", "estimated total",
        ),
        "ignored": (
            "due date", "payment due date", "payment due", "pay by", "please pay by", "amount enclosed",
            "past due", "past due amount", "minimum payment", "minimum due", "insurance pending",
            "pending insurance", "estimated insurance", "page", "insurance", "primary insurance",
            "secondary insurance", "insurance company", "payer", "insurance carrier", "plan", "health plan",
            "billed to", "filed with", "submitted to", "phone", "questions", "fax", "website",
            "pay online", "tax id", "npi", "statement period", "billing period",
        ),
        "private": (
            "account", "account number", "account #", "account no", "acct", "acct #", "acct no",
            "account id", "guarantor", "guarantor name", "guarantor number", "guarantor #", "guarantor id",
            "guarantor account", "guarantor account number", "patient", "patient name", "patient account",
            "patient account number", "patient account #", "patient id", "mrn", "medical record number",
            "medical record #", "med rec #", "hospital account", "hospital account #",
            "hospital account number", "date of birth", "dob", "birth date", "address", "mailing address",
            "billing address", "member id", "member", "member number", "subscriber", "subscriber id",
            "subscriber name", "policy number", "policy #", "policy", "group number", "group #", "id",
            "name", "insured", "insured name", "responsible party", "ssn", "phone number", "home phone",
            "statement for", "for", "bill to", "mail to", "sent to", "patient number",
        ),
    }
)  # fmt: skip

#: Amount-due labels only a bill prints: an EOB never asks for payment in these words.
BILL_ONLY_DUE = frozenset(
    normalise(p)
    for p in (
        "amount due", "balance due", "please pay", "total amount due", "total due", "amount now due",
        "amount due now", "pay this amount", "current amount due", "total balance due", "new balance",
        "please pay this amount",
    )
)  # fmt: skip

#: Summary fields of amounts (a label followed by an amount).
AMOUNT_LABELS = frozenset(
    {
        "amount_due",
        "patient_paid",
        "insurance_paid",
        "adjustments",
        "credits",
        "total_charges",
        "previous_balance",
        "good_faith_estimate",
    }
)
#: Summary rows that close the itemized table: what comes below them is the statement's summary.
TABLE_ENDERS = frozenset({"amount_due", "total_charges", "credits", "insurance_paid", "adjustments"})


def label_field(text: str) -> str | None:
    """The statement field a label names ("Statement Date", "Account #", "Amount Due"), or None."""
    return _LABEL_PHRASES.get(normalise(text))


def label_key(text: str) -> str:
    """The normalised form labels are compared in."""
    return normalise(text)


# --- rows that are not services ------------------------------------------------------------------

_WORDS = re.compile(r"[a-z0-9]+")
_PAYMENT = {
    "payment",
    "payments",
    "pmt",
    "pmts",
    "pymt",
    "paid",
    "pay",
    "remittance",
    "collected",
    "received",
}
_INSURER = {
    "insurance", "ins", "insurer", "medicare", "medicaid", "payer", "payor", "plan", "primary",
    "secondary", "carrier", "tricare", "hmo", "ppo", "benefit", "benefits",
}  # fmt: skip
_PATIENT = {
    "patient",
    "pt",
    "your",
    "guarantor",
    "self",
    "copay",
    "personal",
    "cash",
    "check",
    "card",
    "online",
}
_ADJUSTMENT = {
    "adjustment", "adjustments", "adj", "contractual", "contract", "writeoff", "write", "discount",
    "discounts", "allowance", "courtesy", "charity", "forgiven", "waived", "waiver",
}  # fmt: skip
_UNCLEAR = {
    "refund",
    "reversal",
    "reversed",
    "transfer",
    "transferred",
    "reallocation",
    "void",
    "voided",
    "credit",
}
#: Rows that record what happened to the claim and move no money ("Billed to Example Health").
_INFO = {"pending", "billed", "submitted", "filed", "denied", "denial", "rejected", "resubmitted", "sent"}


def credit_kind(text: str) -> str | None:
    """What a row that is not a service is: ``insurance`` (a payer's payment), ``adjustment`` (a
    contractual or other write-off), ``patient`` (the patient's own payment), ``unclear`` (a
    payment that does not say who paid it, a refund, a transfer, a reversal), ``info`` (a row that
    moves no money: "Billed to Example Health", "Insurance pending"), or None for a row that
    names none of these (a service)."""
    lowered = text.lower()
    for joined, word in (("write-off", "writeoff"), ("write off", "writeoff"), ("co-pay", "copay")):
        lowered = lowered.replace(joined, word)
    lowered = re.sub(r"\bco pay\b", "copay", lowered).replace("credit card", "card")
    words = set(_WORDS.findall(lowered))
    if not words:
        return None
    if "thank" in words and "you" in words:
        return "patient"
    if words & _ADJUSTMENT and not words & _PAYMENT:
        return "adjustment"
    if words & _UNCLEAR:
        return "unclear"
    if words & _PAYMENT:
        if words & _INSURER:
            return "insurance"
        if words & _PATIENT:
            return "patient"
        return "unclear"
    if words & _ADJUSTMENT:
        return "adjustment"
    if words & _INFO:
        return "info"
    return None


#: Words of a statement's title and furniture: never a provider's name on their own.
_NOT_A_NAME = re.compile(
    r"\b(statement|itemized|invoice|bill|billing statement|page|summary|account|remit|payment|detach|"
    r"return|questions|customer service|financial assistance|thank you)\b",
    re.IGNORECASE,
)


def furniture_text(text: str) -> bool:
    """Whether a line of text is a statement's title or furniture ("Patient Statement", "Page 1
    of 2", "Please detach and return"), not the billing entity's name."""
    return bool(_NOT_A_NAME.search(text))


#: Words that say the care was paid by the patient alone: no insurance.
SELF_PAY = re.compile(
    r"\b(self[\s-]?pay|uninsured|no insurance|not using insurance|without insurance)\b", re.I
)
#: What an insurer's EOB prints and a provider's statement does not.
EOB_MARKERS = re.compile(
    r"\b(this is not a bill|explanation of benefits|medicare summary notice|summary notice|claims summary|"
    r"statement of claims)\b",
    re.IGNORECASE,
)
#: What a provider's statement prints: any of these, with itemized charges, makes a statement.
BILL_MARKERS = re.compile(
    r"\b(statement|bill|invoice|guarantor|account|please pay|remit|amount enclosed|balance due|amount due|"
    r"pay online|make checks payable)\b",
    re.IGNORECASE,
)
