"""Dollars past the out-of-pocket maximum that an earlier overcharge brought forward.

OOP001 reports cost sharing above what was left of the out-of-pocket maximum, as the insurer
counted it. When an earlier line of the same tally was itself overcharged (coinsurance above the
plan's rate, a preventive visit billed to the patient, a duplicate), the insurer's tally ran ahead
by that overcharge. Once the earlier line is corrected, the maximum is reached later, and part of
the later line's cost sharing is rightly the patient's again. The two findings are alternatives,
not sums: coinsurance $1,000 too high in March and $1,500 past the maximum in May recover at most
$1,000 plus what May still charges beyond the corrected maximum ($500), not $2,500.

So the total at stake counts an OOP001 line at what is above the maximum once the earlier
corrections are made. Each finding keeps its own amount, because that is what the patient is owed
if the insurer refuses the earlier correction; ``by_class`` counts each class on its own, so it
keeps them too.

What counts as a correction, and why only that:
- an error finding on one claim line (a finding on several lines or on the whole claim does not
  say which line's tally it would lower), not a bill's (a provider's bill is not in the tally);
- at most the line's printed cost sharing: only deductible, copay and coinsurance enter the
  out-of-pocket tally, and a correction takes coinsurance first, then copay, then deductible,
  so the deductible tally moves as little as possible;
- never the OOP001 line's own finding: within a line the engine already counts the largest
  finding once.
Corrections can only lower the tally, so the total can only go down, never below what the
corrected maximum still leaves to recover.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from scanner.accumulators import charged, replay
from scanner.model import Claim, Evidence, Finding, Plan, ServiceLine
from scanner.money import Money, format_money, parse_money

#: The rules whose amount is cost sharing above what was left of the out-of-pocket maximum.
OOP_EXCESS_RULES = frozenset({"OOP001"})

LineKey = tuple[str, str]


#: The evidence field that tells the patient, on the OOP001 finding, what stays above the maximum.
EVIDENCE_FIELD = "above_maximum_once_earlier_lines_corrected"
EVIDENCE_NOTE = (
    "what stays above the maximum if the overcharges on earlier lines of the plan year are "
    "corrected; the total at stake counts this figure"
)


def linked_excess(findings: Sequence[Finding], claims: Sequence[Claim], plan: Plan | None) -> dict[int, int]:
    """For each OOP excess finding (by its index in ``findings``) that earlier overcharges
    brought forward, the dollars still above the maximum once they are corrected."""
    excess = [(i, f) for i, f in enumerate(findings) if _is_oop_excess(f)]
    if plan is None or not excess:
        return {}
    corrections = _corrections(findings)
    if not corrections:
        return {}
    corrected = replay(_corrected_claims(claims, corrections), plan)
    cost_sharing = {(c.id, line.id): charged(line)[1] for c in claims for line in c.lines}
    lowered: dict[int, int] = {}
    for index, finding in excess:
        key = (finding.claim_id, finding.line_ids[0])
        state = corrected.line(*key)
        charged_here = cost_sharing.get(key)
        if state is None or state.oop_left is None or charged_here is None:
            continue
        still_above = max(charged_here - state.oop_left, 0)
        if still_above < finding.amount_at_stake:
            lowered[index] = still_above
    return lowered


def with_linked_evidence(findings: Sequence[Finding], lowered: Mapping[int, int]) -> list[Finding]:
    """The findings as reported: an OOP excess that earlier overcharges brought forward says,
    in its evidence, what stays above the maximum once they are corrected."""
    return [
        msgspec.structs.replace(
            f,
            evidence=[
                *f.evidence,
                Evidence(field=EVIDENCE_FIELD, value=format_money(lowered[i]), note=EVIDENCE_NOTE),
            ],
        )
        if i in lowered
        else f
        for i, f in enumerate(findings)
    ]


def linked_amount(finding: Finding) -> Money | None:
    """What a reported finding says stays above the maximum once earlier overcharges are
    corrected (the amount the total counts it at), or None when nothing brought it forward."""
    value = next((e.value for e in finding.evidence if e.field == EVIDENCE_FIELD), None)
    return None if value is None else parse_money(value)


def for_the_total(findings: Sequence[Finding], lowered: Mapping[int, int]) -> list[Finding]:
    """The findings as the total counts them: each brought-forward excess at its lowered amount."""
    return [
        msgspec.structs.replace(f, amount_at_stake=Money(lowered[i])) if i in lowered else f
        for i, f in enumerate(findings)
    ]


def _is_oop_excess(finding: Finding) -> bool:
    return finding.rule in OOP_EXCESS_RULES and bool(finding.claim_id) and len(finding.line_ids) == 1


def _corrections(findings: Sequence[Finding]) -> dict[LineKey, int]:
    """Per claim line, the largest error finding's dollars (the engine counts a line's largest
    finding once)."""
    corrections: dict[LineKey, int] = {}
    for f in findings:
        if f.severity != "error" or f.bill_id is not None or len(f.line_ids) != 1 or not f.claim_id:
            continue
        if f.rule in OOP_EXCESS_RULES or f.amount_at_stake <= 0:
            continue
        key = (f.claim_id, f.line_ids[0])
        corrections[key] = max(corrections.get(key, 0), int(f.amount_at_stake))
    return corrections


def _corrected_claims(claims: Sequence[Claim], corrections: dict[LineKey, int]) -> list[Claim]:
    touched = {claim_id for claim_id, _ in corrections}
    return [
        msgspec.structs.replace(
            claim, lines=[_lowered(line, corrections.get((claim.id, line.id), 0)) for line in claim.lines]
        )
        if claim.id in touched
        else claim
        for claim in claims
    ]


def _lowered(line: ServiceLine, amount: int) -> ServiceLine:
    """The line with ``amount`` less cost sharing: coinsurance first, then copay, then deductible."""
    if amount <= 0 or charged(line)[1] is None:
        return line
    changes: dict[str, Money] = {}
    for name in ("coinsurance", "copay", "deductible"):
        part: int = getattr(line, name) or 0
        taken = min(max(part, 0), amount)
        if taken:
            changes[name] = Money(part - taken)
            amount -= taken
    return msgspec.structs.replace(line, **changes) if changes else line
