"""Findings that are alternatives across the plan year: how much of each the total counts.

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
  say which line's tally it would lower), not about a provider's bill (a balance billing finding,
  even on a claim line: the bill is not in the tally, and disputing it leaves the EOB as it is);
- at most the line's printed cost sharing, and of a finding that names the cost sharing owed (the
  network rules' evidence), only the cost sharing above it: only deductible, copay and
  coinsurance enter the out-of-pocket tally, and a correction takes coinsurance first, then copay, then deductible,
  so the deductible tally moves as little as possible;
- never the OOP001 line's own finding: within a line the engine already counts the largest
  finding once.
Corrections can only lower the tally, so the total can only go down, never below what the
corrected maximum still leaves to recover.

The deductible works the same way, both ways round:
- a deductible charged beyond what was left of it (INS005, OOP002) that an earlier overcharge
  brought forward counts in the total only for what stays beyond the corrected deductible;
- a correction that takes deductible off an earlier line (a preventive visit billed to the
  deductible, a duplicate) hands that deductible to the later lines of the year that met it, and
  counts in the total only for what it saves over the year (:mod:`scanner.later_claims`), and
  so does one that keeps the year's out-of-pocket maximum from being reached as early. A finding
  whose whole cost sharing is wrong (PRV001, DUP001) takes the deductible off first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import msgspec

from scanner.accumulators import Replay, charged, replay
from scanner.later_claims import later_cost, may_cost_later
from scanner.model import Claim, Evidence, Finding, Plan, ServiceLine
from scanner.money import Money, dollars, format_money, parse_money
from scanner.stake_layers import above_the_eob

#: The rules whose amount is cost sharing above what was left of the out-of-pocket maximum.
OOP_EXCESS_RULES = frozenset({"OOP001"})
#: The rules whose amount is (the plan's share of) a deductible beyond what was left of it.
DEDUCTIBLE_EXCESS_RULES = frozenset({"INS005", "OOP002"})
_EXCESS_RULES = OOP_EXCESS_RULES | DEDUCTIBLE_EXCESS_RULES
#: Rules that find a line's whole cost sharing wrong: their correction takes the deductible too.
WHOLE_SHARE_RULES = frozenset({"PRV001", "DUP001"})

LineKey = tuple[str, str]

#: Evidence fields on a finding the total counts at less than its amount, and what each says.
EVIDENCE_FIELD = "above_maximum_once_earlier_lines_corrected"
DEDUCTIBLE_FIELD = "beyond_deductible_once_earlier_lines_corrected"
YEAR_FIELD = "saved_over_the_plan_year"
LINKED_FIELDS = (EVIDENCE_FIELD, DEDUCTIBLE_FIELD, YEAR_FIELD)
EVIDENCE_NOTE = (
    "what stays above the maximum if the overcharges on earlier lines of the plan year are "
    "corrected; the total at stake counts this figure"
)
DEDUCTIBLE_NOTE = (
    "what stays beyond the deductible if the overcharges on earlier lines of the plan year are "
    "corrected; the total at stake counts this figure"
)
YEAR_NOTE = (
    "what the correction saves over the plan year: with this line corrected, the deductible or the "
    "out-of-pocket maximum is reached later, and the later claims of the year, reprocessed, would "
    "charge about {cost} more; the total at stake counts this figure"
)


class Linked(NamedTuple):
    """A finding the total counts at ``amount`` (less than its own), for the reason ``field``
    names; ``cost`` is what the later claims would charge more (for ``YEAR_FIELD``)."""

    amount: int
    field: str
    cost: int = 0


def linked_excess(
    findings: Sequence[Finding], claims: Sequence[Claim], plan: Plan | None, processed: Replay | None = None
) -> dict[int, Linked]:
    """For each finding (by its index in ``findings``) that the total counts at less than its
    amount, that amount and why. ``processed`` is the replay of the claims as printed, when the
    caller has it."""
    if plan is None:
        return {}
    corrections = _corrections(findings)
    if not corrections:
        return {}
    targets = [(i, f) for i, f in enumerate(findings) if _single_line(f) and f.rule in _EXCESS_RULES]
    corrected_claims, removed, deductible_freed = _corrected_claims(claims, corrections)
    if not targets and not any(removed.values()):
        return {}
    processed = processed if processed is not None else replay(claims, plan)
    costs_later = any(removed.values()) and may_cost_later(processed, removed, deductible_freed)
    if not targets and not costs_later:
        return {}  # nothing past a limit, and no later line a limit held back: no replay needed
    corrected = replay(corrected_claims, plan)
    lowered: dict[int, Linked] = {}
    for index, finding in targets:
        linked = _excess_once_corrected(finding, claims, processed, corrected)
        if linked is not None:
            _lower(lowered, index, finding, linked)
    if costs_later:
        cost = later_cost(claims, processed, corrected, removed, plan.coinsurance_in_network)
        _lower_by_later_cost(lowered, findings, corrections, cost)
    return lowered


def _excess_once_corrected(
    finding: Finding, claims: Sequence[Claim], processed: Replay, corrected: Replay
) -> Linked | None:
    """What an excess finding's line still charges past its limit once the earlier lines are
    corrected."""
    key = (finding.claim_id, finding.line_ids[0])
    line = next((ln for c in claims if c.id == key[0] for ln in c.lines if ln.id == key[1]), None)
    state, before = corrected.line(*key), processed.line(*key)
    if line is None or state is None or before is None:
        return None
    deductible, cost_sharing = charged(line)
    if finding.rule in OOP_EXCESS_RULES:
        if state.oop_left is None or cost_sharing is None:
            return None
        return Linked(max(cost_sharing - state.oop_left, 0), EVIDENCE_FIELD)
    if not deductible or state.deductible_left is None or before.deductible_left is None:
        return None
    # The amount is the excess less the coinsurance still owed on it: it shrinks with the excess.
    excess_before = max(deductible - before.deductible_left, 0)
    excess_after = max(deductible - state.deductible_left, 0)
    if not excess_before or excess_after >= excess_before:
        return None
    return Linked(finding.amount_at_stake * excess_after // excess_before, DEDUCTIBLE_FIELD)


def _lower_by_later_cost(
    lowered: dict[int, Linked],
    findings: Sequence[Finding],
    corrections: Mapping[LineKey, tuple[int, bool]],
    cost: Mapping[LineKey, int],
) -> None:
    """Each error finding on a line whose correction would cost that much on later lines counts
    for what the line's correction saves over the year, at most, and the dollars a bill asks above
    the EOB's share in full (:func:`scanner.stake_layers.above_the_eob`)."""
    for index, finding in enumerate(findings):
        if finding.severity != "error" or not _single_line(finding):
            continue
        key = (finding.claim_id, finding.line_ids[0])
        if cost.get(key, 0) <= 0:
            continue
        saved = max(corrections[key][0] - cost[key], 0)
        # What a bill asks above the EOB's share is no correction of the EOB: it stays whole.
        above = above_the_eob(finding)
        counted = above + min(saved, int(finding.amount_at_stake) - above)
        _lower(lowered, index, finding, Linked(counted, YEAR_FIELD, cost[key]))


def _lower(lowered: dict[int, Linked], index: int, finding: Finding, linked: Linked) -> None:
    """Keep the lowest figure a finding can be counted at, and only when below its own."""
    current = lowered.get(index)
    if linked.amount < finding.amount_at_stake and (current is None or linked.amount < current.amount):
        lowered[index] = linked


def with_linked_evidence(findings: Sequence[Finding], lowered: Mapping[int, Linked]) -> list[Finding]:
    """The findings as reported: one the total counts at less says, in its evidence, at how much
    and why."""
    return [
        msgspec.structs.replace(f, evidence=[*f.evidence, _evidence(lowered[i])]) if i in lowered else f
        for i, f in enumerate(findings)
    ]


def _evidence(linked: Linked) -> Evidence:
    note = {
        EVIDENCE_FIELD: EVIDENCE_NOTE,
        DEDUCTIBLE_FIELD: DEDUCTIBLE_NOTE,
        YEAR_FIELD: YEAR_NOTE.format(cost=dollars(linked.cost)),
    }[linked.field]
    return Evidence(field=linked.field, value=format_money(linked.amount), note=note)


def linked_amount(finding: Finding) -> Money | None:
    """The amount the total counts a reported finding at, when its evidence says it is less than
    its own (an excess earlier overcharges brought forward, a correction that costs on later
    claims), or None."""
    evidence = linked_evidence(finding)
    return None if evidence is None or evidence.value is None else parse_money(evidence.value)


def linked_evidence(finding: Finding) -> Evidence | None:
    return next((e for e in finding.evidence if e.field in LINKED_FIELDS), None)


def for_the_total(findings: Sequence[Finding], lowered: Mapping[int, Linked]) -> list[Finding]:
    """The findings as the total counts them: each linked one at its lowered amount."""
    return [
        msgspec.structs.replace(f, amount_at_stake=Money(lowered[i].amount)) if i in lowered else f
        for i, f in enumerate(findings)
    ]


def _single_line(finding: Finding) -> bool:
    """A finding about one line of a claim (a finding about a bill names the bill and its claim's
    line; one about a bill no claim matched has no claim)."""
    return bool(finding.claim_id) and len(finding.line_ids) == 1


def _corrections(findings: Sequence[Finding]) -> dict[LineKey, tuple[int, bool]]:
    """Per claim line, the largest error finding's dollars (the engine counts a line's largest
    finding once), and whether it finds the line's whole cost sharing wrong."""
    corrections: dict[LineKey, tuple[int, bool]] = {}
    for f in findings:
        if f.severity != "error" or not _single_line(f):
            continue
        if f.rule in OOP_EXCESS_RULES or f.amount_at_stake <= 0:
            continue
        if f.error_class == "balance_billing":
            continue  # about what a provider's bill asks: the EOB, and so the tally, stays as it is
        key = (f.claim_id, f.line_ids[0])
        amount, whole = corrections.get(key, (0, False))
        correcting = _cost_sharing_corrected(f)
        if correcting > amount:
            amount = correcting
        corrections[key] = (amount, whole or f.rule in WHOLE_SHARE_RULES)
    return corrections


#: The evidence field in which a finding names the cost sharing charged and the cost sharing owed.
COST_SHARING_FIELD = "cost_sharing"


def _cost_sharing_corrected(finding: Finding) -> int:
    """How much of the line's cost sharing the finding's correction takes off: all of its amount,
    unless its evidence names the cost sharing owed (the network rules do). Then only the cost
    sharing above it: the rest of the amount is a balance above the cost sharing, which was never
    in the tally."""
    for evidence in finding.evidence:
        if evidence.field == COST_SHARING_FIELD and evidence.value and evidence.expected:
            charged_now, owed = parse_money(evidence.value), parse_money(evidence.expected)
            if charged_now is not None and owed is not None:
                return max(min(int(finding.amount_at_stake), charged_now - owed), 0)
    return int(finding.amount_at_stake)


def _corrected_claims(
    claims: Sequence[Claim], corrections: Mapping[LineKey, tuple[int, bool]]
) -> tuple[list[Claim], dict[LineKey, int], bool]:
    """The claims with each corrected line lowered, per corrected line the cost sharing taken
    off, and whether any correction takes deductible off."""
    touched = {claim_id for claim_id, _ in corrections}
    removed: dict[LineKey, int] = {}
    deductible_freed = False
    out: list[Claim] = []
    for claim in claims:
        if claim.id not in touched:
            out.append(claim)
            continue
        lines = []
        for line in claim.lines:
            key = (claim.id, line.id)
            if key not in corrections:
                lines.append(line)
                continue
            amount, whole = corrections[key]
            new = _lowered(line, amount, WHOLE_ORDER if whole else PART_ORDER)
            removed[key] = (charged(line)[1] or 0) - (charged(new)[1] or 0)
            deductible_freed = deductible_freed or (new.deductible or 0) < (line.deductible or 0)
            lines.append(new)
        out.append(msgspec.structs.replace(claim, lines=lines))
    return out, removed, deductible_freed


#: The order a correction takes cost sharing off a line. Not knowing which part a finding is
#: about, coinsurance goes first, so the deductible tally moves as little as possible; a finding
#: on the whole share takes the deductible first (it is all wrong, the order only matters when
#: the amount was capped).
PART_ORDER = ("coinsurance", "copay_and_coinsurance", "copay", "deductible_and_cost_sharing", "deductible")
WHOLE_ORDER = ("deductible", "deductible_and_cost_sharing", "copay", "coinsurance", "copay_and_coinsurance")


def _lowered(line: ServiceLine, amount: int, order: Sequence[str]) -> ServiceLine:
    """The line with ``amount`` less cost sharing, taken from its parts in ``order``."""
    if amount <= 0 or charged(line)[1] is None:
        return line
    changes: dict[str, Money] = {}
    for name in order:
        part: int = getattr(line, name) or 0
        taken = min(max(part, 0), amount)
        if taken:
            changes[name] = Money(part - taken)
            amount -= taken
    return msgspec.structs.replace(line, **changes) if changes else line
