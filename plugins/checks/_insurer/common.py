"""What every insurer-processing rule needs: the rule factory, evidence, the call to the insurer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from scanner import line_amounts
from scanner.checks import rule_maker
from scanner.model import (
    Action,
    Claim,
    Evidence,
    Finding,
    Plan,
    ServiceLine,
)
from scanner.money import format_money
from scanner.totals_line import service_name

CHECK = "insurer_processing"

#: How every call about one line of an EOB opens; the claim and member placeholders stay for
#: the user to fill in.
CALL_OPENING = (
    "Hello, I'm calling about claim {claim_number} for member {member_id}. On the Explanation "
    "of Benefits, the line for {service} on {service_date} "
)

CALL_INSURER_SCRIPT = (
    CALL_OPENING + "shows {problem}. Could you review "
    "how this line was processed and reprocess the claim if it is wrong? Please give me a "
    "reference number for this call, and tell me when I will receive the corrected EOB."
)

INSURER = "your insurer (the member services number on your card)"

#: A rule that looks at one line of one claim, with the scan's plan (which may be absent).
LineRule = Callable[[Claim, ServiceLine, Plan | None], Iterator[Finding]]


#: The rule constructor of the insurer-processing check.
make_rule = rule_maker(CHECK, "insurer_processing")


def service(line: ServiceLine) -> str:
    return service_name(line)


def service_date(claim: Claim, line: ServiceLine) -> dt.date | None:
    return line.service_date or claim.service_start


def date_text(day: dt.date | None) -> str:
    return day.isoformat() if day else "the date of service"


def cost_sharing(line: ServiceLine) -> int:
    """Deductible + copay + coinsurance of a line (absent parts count as nothing)."""
    return line_amounts.cost_sharing(line) or 0


def capped(amount: int, line: ServiceLine) -> int:
    """Never more than the patient was asked to pay for the line, never negative."""
    if line.patient_responsibility is not None:
        amount = min(amount, line.patient_responsibility)
    return max(amount, 0)


def money_evidence(
    field: str, value: int | None, expected: int | None = None, note: str | None = None
) -> Evidence:
    return Evidence(
        field=field,
        value=None if value is None else format_money(value),
        expected=None if expected is None else format_money(expected),
        note=note,
    )


def call_insurer(
    claim: Claim, line: ServiceLine, problem: str, *, template: str = "reprocessing_request"
) -> Action:
    script = CALL_INSURER_SCRIPT.format(
        claim_number="{claim_number}",
        member_id="{member_id}",
        service=service(line),
        service_date=date_text(service_date(claim, line)),
        problem=problem,
    )
    return Action(
        kind="request_reprocessing",
        who=INSURER,
        summary="Ask the insurer to review and reprocess this line.",
        script=script,
        template=template,
    )
