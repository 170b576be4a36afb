"""The facts of a finding in words: dates, lines, amounts, codes, as letters and scripts print them.

What the client keeps to itself (the patient's name, member id, addresses, and the claim number
when it was not sent) is never invented: it comes out as a ``{placeholder}`` the client fills in
locally. Everything else is taken from the claim as the EOB printed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from scanner.model import Bill, Claim, Finding, Plan, Reference, ServiceLine
from scanner.money import dollars
from scanner.reference.citations import CITATIONS

#: Placeholders left in letters and scripts for the client to fill in locally. Anything else in
#: braces in a rendered letter is a bug.
CLIENT_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "patient_name",
        "patient_address",
        "member_id",
        "group_number",
        "claim_number",
        "account_number",
        "provider_name",
        "provider_address",
        "insurer_name",
        "insurer_address",
        "physician_name",
        "physician_address",
        "phone",
        "level1_decision_date",
        "final_denial_date",
        "other_insurer_name",
        "other_member_id",
        "household_size",
        "household_income",
    }
)


def placeholder(name: str) -> str:
    """``{name}``, for a value only the client knows."""
    if name not in CLIENT_PLACEHOLDERS:
        raise KeyError(name)
    return "{" + name + "}"


def long_date(day: dt.date) -> str:
    """``March 2, 2026``: the form a letter prints."""
    return f"{day:%B} {day.day}, {day.year}"


def service_dates(claim: Claim) -> str:
    start, end = claim.service_start, claim.service_end
    if start is None and end is None:
        dates = sorted(line.service_date for line in claim.lines if line.service_date)
        start, end = (dates[0], dates[-1]) if dates else (None, None)
    if start is None:
        return "the date(s) of service on the EOB"
    if end is None or end == start:
        return long_date(start)
    return f"{long_date(start)} to {long_date(end)}"


def processed_date(claim: Claim) -> str:
    return long_date(claim.processed_date) if claim.processed_date else "the date printed on the EOB"


def claim_number(claim: Claim) -> str:
    return claim.claim_number or placeholder("claim_number")


def payer(claim: Claim) -> str:
    return claim.payer or placeholder("insurer_name")


def provider(claim: Claim) -> str:
    name = claim.provider.name if claim.provider else None
    return name or placeholder("provider_name")


def finding_lines(finding: Finding, claim: Claim) -> list[ServiceLine]:
    """The lines a finding covers; all lines of the claim when it names none."""
    if not finding.line_ids:
        return list(claim.lines)
    wanted = set(finding.line_ids)
    return [line for line in claim.lines if line.id in wanted]


def line_label(line: ServiceLine) -> str:
    code = f"{line.code_system or 'code'} {line.code}" if line.code else f"line {line.id}"
    when = f" on {long_date(line.service_date)}" if line.service_date else ""
    what = f" ({line.description})" if line.description else ""
    return f"{code}{what}{when}"


def line_amounts(line: ServiceLine) -> str:
    parts = [
        (label, getattr(line, name))
        for label, name in (
            ("billed", "billed"),
            ("allowed", "allowed"),
            ("plan paid", "plan_paid"),
            ("deductible", "deductible"),
            ("copay", "copay"),
            ("coinsurance", "coinsurance"),
            ("copay and coinsurance", "copay_and_coinsurance"),
            ("deductible and other cost sharing", "deductible_and_cost_sharing"),
            ("not covered", "not_covered"),
            ("my responsibility", "patient_responsibility"),
        )
    ]
    printed = [f"{label} {dollars(value)}" for label, value in parts if value is not None]
    return ", ".join(printed) if printed else "no amounts printed"


def lines_block(lines: Sequence[ServiceLine]) -> str:
    if not lines:
        return "- the whole claim"
    return "\n".join(f"- {line_label(line)}: {line_amounts(line)}" for line in lines)


def codes(lines: Iterable[ServiceLine]) -> str:
    """Adjustment and remark codes as printed (``CO-50``, ``N130``), for appeals."""
    found: list[str] = []
    for line in lines:
        found += [f"{adj.group}-{adj.reason}" for adj in line.adjustments]
        found += list(line.remarks)
    unique = list(dict.fromkeys(found))
    return ", ".join(unique) if unique else "none printed"


def diagnoses(lines: Iterable[ServiceLine]) -> str:
    found = list(dict.fromkeys(code for line in lines for code in line.diagnoses))
    return ", ".join(found) if found else "the diagnosis codes on the claim"


def total(lines: Iterable[ServiceLine], field: str) -> int | None:
    values = [getattr(line, field) for line in lines]
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def patient_share(finding: Finding, claim: Claim) -> int | None:
    share = total(finding_lines(finding, claim), "patient_responsibility")
    if share is None and claim.totals is not None:
        return claim.totals.patient_responsibility
    return share


def amount_or(cents: int | None, fallback: str) -> str:
    return dollars(cents) if cents is not None else fallback


def bill_for(claim: Claim, bills: Sequence[Bill]) -> Bill | None:
    return next((bill for bill in bills if bill.claim_id == claim.id), None)


def evidence_block(finding: Finding) -> str:
    rows = []
    for item in finding.evidence:
        text = f"- {item.field.replace('_', ' ')}"
        if item.value is not None:
            text += f": {_money_text(item.value)}"
        if item.expected is not None:
            text += f" (expected {_money_text(item.expected)})"
        if item.note:
            text += f"; {item.note}"
        rows.append(text)
    return "\n".join(rows) if rows else "- see the EOB lines above"


def _money_text(value: str) -> str:
    """Evidence values are wire strings; amounts read better with a dollar sign."""
    head, _, cents = value.partition(".")
    if len(cents) == 2 and cents.isdigit() and head.lstrip("-").isdigit():
        negative = head.startswith("-")
        return dollars((-1 if negative else 1) * (abs(int(head)) * 100 + int(cents)))
    return value


def oop_max(plan: Plan | None) -> int | None:
    if plan is None:
        return None
    if plan.coverage_tier == "family" and plan.oop_max_family is not None:
        return plan.oop_max_family
    return plan.oop_max_individual


def registry_references(references: Iterable[Reference]) -> list[str]:
    """The registry keys of a finding's references; anything the registry lacks is dropped
    (cite-or-abstain: a reference that came over the wire is only printed if we know it)."""
    by_citation = {entry.citation: key for key, entry in CITATIONS.items()}
    keys = [by_citation.get(ref.citation) for ref in references]
    return list(dict.fromkeys(key for key in keys if key is not None))
