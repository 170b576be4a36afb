"""Deadlines a patient must meet, computed from the dates on the EOB or the bill.

Each rule of thumb here is the federal floor (the plan's own documents may give more time); the
docs of the rules that use them say so. Month arithmetic clamps to the month's last day: four
months after October 31 is the last day of February.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import NamedTuple

from scanner.model import Claim, Reference
from scanner.reference.citations import cite


class Deadline(NamedTuple):
    key: str
    title: str
    due: dt.date
    reference: Reference | None


def add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def internal_appeal(processed: dt.date, *, medicare: bool = False) -> Deadline:
    """180 days from the denial for group and individual plans; 60 days for Medicare Advantage
    and Part D."""
    if medicare:
        return Deadline(
            "appeal_internal",
            "Ask Medicare Advantage / Part D plan for reconsideration",
            processed + dt.timedelta(days=60),
            cite("medicare-advantage-reconsideration"),
        )
    return Deadline(
        "appeal_internal",
        "File an internal appeal",
        processed + dt.timedelta(days=180),
        cite("aca-appeals-external-review"),
    )


def external_review(final_internal_denial: dt.date) -> Deadline:
    """Four months after the final internal denial."""
    return Deadline(
        "external_review",
        "Request an external review",
        add_months(final_internal_denial, 4),
        cite("aca-appeals-external-review"),
    )


def good_faith_estimate_dispute(bill_date: dt.date) -> Deadline:
    """120 days from the bill's date to start patient-provider dispute resolution."""
    return Deadline(
        "gfe_dispute",
        "Start the patient-provider dispute process",
        bill_date + dt.timedelta(days=120),
        cite("nsa-patient-provider-dispute"),
    )


def financial_assistance(first_bill: dt.date) -> Deadline:
    """240 days from the first post-discharge bill to apply for a nonprofit hospital's aid."""
    return Deadline(
        "financial_assistance",
        "Apply for the hospital's financial assistance",
        first_bill + dt.timedelta(days=240),
        cite("irs-501r-financial-assistance"),
    )


def is_medicare_claim(claim: Claim) -> bool:
    """Medicare Advantage and Part D plans name themselves; their appeal clock is 60 days."""
    names = " ".join(filter(None, (claim.payer, claim.plan_name))).lower()
    return "medicare" in names


def appeal_due(claim: Claim) -> dt.date | None:
    """When the internal appeal of this claim is due: 60 days for a Medicare plan's, else 180;
    None when the EOB does not say when it was processed."""
    if claim.processed_date is None:
        return None
    return internal_appeal(claim.processed_date, medicare=is_medicare_claim(claim)).due


def remind_on(due: dt.date, days_before: int = 7) -> dt.date:
    """The day a reminder fires: a week before the deadline unless told otherwise."""
    return due - dt.timedelta(days=days_before)


def days_left(due: dt.date, as_of: dt.date) -> int:
    """Whole days from ``as_of`` to ``due``; negative once the date has passed."""
    return (due - as_of).days
