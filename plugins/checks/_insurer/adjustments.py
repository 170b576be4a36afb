"""Adjustment and remark codes in plain English, and the group-code rule (only PR is yours).

The insurer's own codes (``ServiceLine.insurer_codes``) are explained in the EOB's own words: they
are defined by its legend, and our X12 table would explain a different code of the same shape.
"""

from __future__ import annotations

from collections.abc import Iterator

from plugins.checks._insurer.common import call_insurer, capped, make_rule, money_evidence, service
from scanner.model import Adjustment, Claim, Evidence, Finding, InsurerCode, RuleDocs, ServiceLine
from scanner.money import dollars, format_money
from scanner.reference.adjustment_codes import (
    GROUPS,
    X12_CARC_URL,
    AdjustmentCodes,
    group_is_patient_liability,
    normalize_carc,
)
from scanner.reference.citations import cite

CODES_EXPLAINED = make_rule(
    "INS009",
    "adjustment-codes-explained",
    "info",
    "What the adjustment reason codes and remark codes on a line mean, in plain English.",
    RuleDocs(
        what_it_checks=(
            "Every claim adjustment reason code (CARC, with its group code) and remittance remark "
            "code (RARC) printed on a line, looked up in our table of plain-English explanations. "
            "A code the insurer defines itself in the EOB's legend ('Remark A1: This amount was "
            "applied to your deductible') is its own code, not a standard one, and is explained "
            "in the EOB's own words."
        ),
        why_it_matters=(
            "The codes are the insurer's reasons for every dollar it did not pay. 'CO-45' means "
            "the provider must write the amount off; 'PR-1' means it went to your deductible. "
            "Knowing which is which tells you what you owe and what to contest."
        ),
        example=(
            "CO-45 $120.00: the charge is above the allowed amount and the difference is written "
            "off. PR-2 $30.00: your coinsurance. N130: read your plan documents for limits."
        ),
        what_to_do=(
            "Nothing, unless another finding points at the line. Only amounts in group PR can be "
            "billed to you. The official code wording is at x12.org."
        ),
        references=[cite("erisa-claims-procedure")],
    ),
)

NON_PATIENT_GROUP_CHARGED = make_rule(
    "INS010",
    "non-patient-adjustment-charged-to-you",
    "error",
    "An amount the insurer adjusted under group CO, OA or PI was counted in your responsibility.",
    RuleDocs(
        what_it_checks=(
            "Lines whose patient responsibility is larger than the sum of their PR (patient "
            "responsibility) adjustments, when the difference is explained by CO, OA or PI "
            "adjustments: either the adjustments balance the line (billed = paid + adjustments) "
            "or the excess equals a CO/OA/PI amount exactly."
        ),
        why_it_matters=(
            "Only group PR amounts are the patient's. CO (contractual obligation) amounts must be "
            "written off by the provider; OA and PI amounts are between the payers and the "
            "provider. Counting them in what you owe is an error."
        ),
        example=(
            "Billed $300.00, plan paid $150.00, CO-45 $100.00, PR-2 $50.00, patient "
            "responsibility $150.00: the $100.00 CO-45 write-off was added to your share."
        ),
        what_to_do=(
            "Call the insurer and ask them to correct the patient responsibility to the PR total. "
            "Do not pay the CO/OA/PI amount to the provider."
        ),
        references=[cite("nsa-provider-balance-billing"), cite("erisa-claims-procedure")],
    ),
)

RULES = (CODES_EXPLAINED, NON_PATIENT_GROUP_CHARGED)


def _adjustment_evidence(adjustment: Adjustment, codes: AdjustmentCodes) -> Evidence:
    label = f"{adjustment.group}-{adjustment.reason}"
    explanation = codes.explain_carc(adjustment.reason)
    meaning = (
        explanation.text if explanation else f"We have no explanation for this code; see {X12_CARC_URL}."
    )
    group = GROUPS.get(adjustment.group, "unknown group")
    return Evidence(
        field="adjustments",
        value=label if adjustment.amount is None else f"{label} {format_money(adjustment.amount)}",
        note=f"{meaning} Group {adjustment.group}: {group}.",
    )


def _remark_evidence(remark: str, codes: AdjustmentCodes) -> Evidence:
    explanation = codes.explain_rarc(remark)
    meaning = explanation.text if explanation else "We have no explanation for this remark code."
    return Evidence(field="remarks", value=remark, note=meaning)


def _summary(adjustment: Adjustment, codes: AdjustmentCodes) -> str:
    explanation = codes.explain_carc(adjustment.reason)
    amount = f" ({dollars(adjustment.amount)})" if adjustment.amount is not None else ""
    meaning = explanation.text.split(". ")[0].rstrip(".") if explanation else "a code we do not explain"
    return f"{adjustment.group}-{adjustment.reason}{amount}: {meaning}"


def _remark_summary(remark: str, codes: AdjustmentCodes) -> str:
    explanation = codes.explain_rarc(remark)
    return f"{remark}: " + (explanation.text.rstrip(".") if explanation else "a remark we do not explain")


def _insurer_code_evidence(code: InsurerCode) -> Evidence:
    note = code.meaning or "The EOB does not say what this code of the insurer's means."
    return Evidence(field="insurer_codes", value=code.code, note=note)


def _insurer_code_summary(code: InsurerCode) -> str:
    meaning = code.meaning.rstrip(".") if code.meaning else "the EOB does not say what it means"
    return f"{code.code} (your EOB's own code): {meaning}"


def codes_explained(claim: Claim, line: ServiceLine, codes: AdjustmentCodes) -> Iterator[Finding]:
    if not line.adjustments and not line.remarks and not line.insurer_codes:
        return
    evidence = [_adjustment_evidence(a, codes) for a in line.adjustments]
    evidence += [_remark_evidence(r, codes) for r in line.remarks]
    evidence += [_insurer_code_evidence(c) for c in line.insurer_codes]
    parts = [_summary(a, codes) for a in line.adjustments]
    parts += [_remark_summary(r, codes) for r in line.remarks]
    parts += [_insurer_code_summary(c) for c in line.insurer_codes]
    yield CODES_EXPLAINED.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        title="What the codes on this line mean",
        message=f"For {service(line)}: " + "; ".join(parts) + ".",
        amount_at_stake=0,
        evidence=evidence,
    )


def _sum(adjustments: list[Adjustment]) -> int:
    return sum(a.amount or 0 for a in adjustments)


def _balances(line: ServiceLine) -> bool:
    """The 835 balancing rule: billed = paid + prior payer + every adjustment."""
    if line.billed is None or line.plan_paid is None:
        return False
    if any(a.amount is None for a in line.adjustments):
        return False
    # A prior payer's payment is either printed apart or carried by a reason-23 adjustment.
    carried = any(normalize_carc(a.reason) == "23" for a in line.adjustments)
    prior = 0 if carried else (line.prior_payer_paid or 0)
    return line.billed == line.plan_paid + prior + _sum(line.adjustments)


def _matching(others: list[Adjustment], excess: int) -> list[Adjustment]:
    """The CO/OA/PI adjustments that account exactly for the excess. Only meaningful when the
    line also lists PR adjustments: a portal that prints just "CO-45" says nothing of your share."""
    single = [a for a in others if a.amount == excess]
    return single or (list(others) if _sum(others) == excess else [])


def _verb(adjustments: list[Adjustment]) -> str:
    return "is" if len(adjustments) == 1 else "are"


def non_patient_group_charged(claim: Claim, line: ServiceLine) -> Iterator[Finding]:
    others = [a for a in line.adjustments if not group_is_patient_liability(a.group) and a.amount]
    if line.patient_responsibility is None or not others:
        return
    patient_total = _sum([a for a in line.adjustments if group_is_patient_liability(a.group)])
    excess = line.patient_responsibility - patient_total
    if excess <= 0:
        return
    listed_pr = any(group_is_patient_liability(a.group) for a in line.adjustments)
    exact = _matching(others, excess) if listed_pr else []
    if not exact and not _balances(line):
        return
    charged = exact or others
    at_stake = capped(min(excess, _sum(charged)), line)
    labels = ", ".join(f"{a.group}-{a.reason} {dollars(a.amount or 0)}" for a in charged)
    yield NON_PATIENT_GROUP_CHARGED.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="high" if exact else "medium",
        title="An insurer write-off was counted as yours",
        message=(
            f"For {service(line)}, the patient-responsibility (PR) adjustments add up to "
            f"{dollars(patient_total)}, but the EOB says you owe {dollars(line.patient_responsibility)}. "
            f"The difference comes from {labels} (not patient responsibility): "
            f"{dollars(at_stake)} is not yours to pay."
        ),
        amount_at_stake=at_stake,
        evidence=[
            money_evidence("patient_responsibility", line.patient_responsibility, patient_total, "sum of PR"),
            *[
                money_evidence(f"adjustment {a.group}-{a.reason}", a.amount, note=GROUPS.get(a.group))
                for a in charged
            ],
        ],
        actions=[
            call_insurer(
                claim,
                line,
                f"a patient responsibility of {dollars(line.patient_responsibility)} although the PR "
                f"adjustments total {dollars(patient_total)}; {labels} {_verb(charged)} not mine to pay",
            )
        ],
    )
