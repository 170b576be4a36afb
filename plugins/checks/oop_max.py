"""Deductible and out-of-pocket maximum: cost sharing charged after a limit was reached.

The insurer keeps a running total of what each member and the family paid toward the deductible
and the out-of-pocket maximum. When a claim is processed before an earlier one, when a family
member's claims are not added to the family total, or after a reprocessed claim, the total lags
and the patient pays past the limit. This check replays the scan's claims
(:mod:`scanner.accumulators`) and reports, line by line, the dollars charged beyond a limit.

The deductible has two rules, so that no dollar is reported twice under two codes: a deductible
charged when nothing of it was left is insurer_processing's INS005; a deductible larger than what
was left (the line crossed the limit) is OOP002 here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from scanner import hookimpl
from scanner.accumulators import Limit, LineState, Replay
from scanner.checks import CheckContext, rule_maker
from scanner.deadlines import appeal_due
from scanner.model import (
    Action,
    Claim,
    Confidence,
    Evidence,
    Finding,
    Plan,
    Rule,
    RuleDocs,
    ServiceLine,
)
from scanner.money import dollars, format_money
from scanner.reference.citations import cite
from scanner.totals_line import service_name

CHECK = "oop_max"
VERSION = "1.0"

INSURER = "your insurer (the member services number on your card)"
PROVIDER = "the provider's billing office (the number on the bill)"

PLACEHOLDERS = {
    "claim_number": "{claim_number}",
    "member_id": "{member_id}",
    "provider_name": "{provider_name}",
    "patient_name": "{patient_name}",
}

OOP_SCRIPT = (
    "Hello, I'm calling about claim {claim_number} for member {member_id}. {standing} The cost "
    "sharing I'm charged for {service} on {service_date} is {cost_sharing}, {excess} above the "
    "maximum. Covered in-network care after the out-of-pocket maximum is paid at 100%. Could you "
    "check my out-of-pocket total for the plan year, reprocess this claim, and send me a corrected "
    "EOB? Please give me a reference number for this call."
)

DEDUCTIBLE_SCRIPT = (
    "Hello, I'm calling about claim {claim_number} for member {member_id}. Before {service} on "
    "{service_date}, only {left} of {limit} of {maximum} was left, but it applies "
    "{deductible} to the deductible, {excess} more than was left. Could you check my deductible "
    "total for the plan year, reprocess it with the rest as coinsurance, and send me a "
    "corrected EOB? Please give me a reference number for this call."
)

HOLD_SCRIPT = (
    "Hello, I'm calling about my account for {patient_name}, claim {claim_number}. I have asked "
    "my insurer to reprocess the claim because it was charged after my {limit} was reached. "
    "Please hold the account until the corrected EOB arrives, and bill me only what it says."
)


_rule = rule_maker(CHECK, "oop_max")


REPLAY_TEXT = (
    "The claims of the scan are replayed in service-date order, per member and for the family "
    "(a family plan has an individual maximum inside the family one), starting from what the plan "
    "context says was met before the earliest claim. What an EOB prints as met on its date (its "
    "deductible and out-of-pocket standing) raises the totals for every claim served after that "
    "date. Only in-network cost sharing counts, plus "
    "out-of-network care the No Surprises Act protects; claims outside the plan year, pending, "
    "dental and vision claims, and claims replaced by another claim of the scan are left out, and "
    "reversal lines take their amounts back. Amounts the EOB does not print are never guessed: they "
    "count as zero, so the totals after them are lower bounds. A limit those totals reach was "
    "reached; when they leave part of a limit, the finding says 'at least' with medium confidence."
)

AFTER_OOP_MAX = _rule(
    "OOP001",
    "cost-sharing-after-oop-max",
    "error",
    "Cost sharing was charged after the out-of-pocket maximum was reached.",
    RuleDocs(
        what_it_checks=(
            "For each line, whether its deductible, copay and coinsurance go beyond what was left "
            "of the member's or the family's out-of-pocket maximum. " + REPLAY_TEXT
        ),
        why_it_matters=(
            "The out-of-pocket maximum is the most you pay in a plan year for covered in-network "
            "care; after it, the plan pays 100%. Insurers' running totals lag (claims processed out "
            "of order, a family member's claims not added), and every dollar charged past the "
            "maximum is one you do not owe. The insurer may have applied the totals in the order it "
            "processed the claims, so the line it over-charged may differ; the total excess is the "
            "same."
        ),
        example=(
            "Out-of-pocket maximum $3,000.00, $2,950.00 met after a March claim. An April line "
            "charges $120.00 of coinsurance: only $50.00 could be yours, so $70.00 is at stake; "
            "every later line's cost sharing is at stake in full."
        ),
        what_to_do=(
            "Call the insurer, ask for your out-of-pocket total for the plan year (per member and "
            "family), and ask them to reprocess the claim at 100%. Ask the provider to hold the "
            "account until the corrected EOB arrives."
        ),
        references=[cite("aca-cost-sharing-limit"), cite("erisa-claims-procedure")],
    ),
)

DEDUCTIBLE_OVERSHOT = _rule(
    "OOP002",
    "deductible-beyond-remaining-deductible",
    "error",
    "More was applied to the deductible than was left of it.",
    RuleDocs(
        what_it_checks=(
            "For each line that crosses the deductible, whether the amount applied to the "
            "deductible is larger than what was left of the member's or the family's deductible "
            "(an individual deductible inside a family plan is taken as embedded). A deductible "
            "charged when nothing was left is reported by INS005. " + REPLAY_TEXT
        ),
        why_it_matters=(
            "Once the deductible is met, the plan pays its share and you pay only coinsurance or "
            "copays. A deductible that overshoots the limit makes you pay the plan's share of the "
            "excess."
        ),
        example=(
            "Deductible $1,000.00, $800.00 met. A line applies $500.00 to the deductible: only "
            "$200.00 was left, so $300.00 overshoots; at 20% coinsurance you would owe $60.00 of it, "
            "so $240.00 is at stake."
        ),
        what_to_do=(
            "Call the insurer, ask for your deductible total for the plan year (per member and "
            "family), and ask them to reprocess the line with the excess as coinsurance. If your "
            "family plan has only an aggregate deductible, say so: the finding assumes an embedded "
            "individual deductible."
        ),
        references=[cite("erisa-claims-procedure"), cite("aca-cost-sharing-limit")],
    ),
)


# --- wording ------------------------------------------------------------------------------------


def _script(template: str, **values: str) -> str:
    return template.format(**PLACEHOLDERS, **values)


def _service(line: ServiceLine) -> str:
    return service_name(line)


def _date(state: LineState) -> str:
    return state.service_date.isoformat() if state.service_date else "the date of service"


def _money(field: str, value: int | None, expected: int | None = None, note: str | None = None) -> Evidence:
    return Evidence(
        field=field,
        value=None if value is None else format_money(value),
        expected=None if expected is None else format_money(expected),
        note=note,
    )


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _limit_name(limit: Limit, kind: str) -> str:
    return f"your individual {kind}" if limit.scope == "individual" else f"the family {kind}"


def _spoken(name: str) -> str:
    """The limit's name in the patient's own words, for a call script: "my individual ..."."""
    return name.replace("your ", "my ", 1)


def _capped(amount: int, line: ServiceLine) -> int:
    """Never more than the patient was asked to pay for the line, never negative."""
    if line.patient_responsibility is not None:
        amount = min(amount, line.patient_responsibility)
    return max(amount, 0)


def _appeal(claim: Claim) -> Action | None:
    if claim.processed_date is None:
        return None
    return Action(
        kind="appeal_internal",
        who=INSURER,
        summary="If the insurer will not reprocess the claim, file an internal appeal by this date.",
        deadline=appeal_due(claim),
        template="appeal_internal_level1",
    )


def _reached(result: Replay, claim: Claim, limit: Limit, plan: Plan) -> str:
    """When the limit was reached: as an EOB printed it, or from the ledger ('with the claim of
    2026-04-02')."""
    if limit.printed is not None and limit.printed.met >= limit.maximum:
        return f"by {limit.printed.as_of.isoformat()} ({limit.printed.sentence()})"
    for entry in result.ledger:
        if entry.claim_id == claim.id:
            break
        if limit.scope == "individual" and entry.member != claim.member:
            continue
        met = entry.oop_met if limit.scope == "individual" else entry.family_oop_met
        if met is not None and met >= limit.maximum:
            day = entry.service_date.isoformat() if entry.service_date else "an earlier date"
            return f"with the claim of {day}"
    if plan.oop_met is not None and plan.oop_met >= limit.maximum:
        return "before the first claim of this scan"
    return "by the earlier lines of this claim"


# --- the rules ----------------------------------------------------------------------------------


def after_oop_max(
    claim: Claim, line: ServiceLine, state: LineState, result: Replay, plan: Plan
) -> Finding | None:
    limit = state.oop_limit
    if limit is None or state.oop_excess <= 0 or state.cost_sharing is None:
        return None
    at_stake = _capped(state.oop_excess, line)
    if at_stake <= 0:
        return None
    name = _limit_name(limit, "out-of-pocket maximum")
    # The replay only under-counts, so a maximum it finds met was met: the whole line is then
    # above it. A maximum it finds partly left may have had less left (hence "at least").
    proven = state.oop_exact or (limit.left == 0 and not state.plan_year_assumed)
    bound = "" if proven else "at least "
    if limit.left == 0:
        printed = f" ({limit.printed.sentence()})" if limit.printed else ""
        before = f"{name} of {dollars(limit.maximum)} had already been met{printed}"
        standing = f"{sentence(_spoken(name))} of {dollars(limit.maximum)} was met {_reached(result, claim, limit, plan)}."
    else:
        met = (
            f"none of {name} of {dollars(limit.maximum)} "
            + ("is known to have been met" if bound else "had been met")
            if limit.met == 0
            else f"{bound}{dollars(limit.met)} of {name} of {dollars(limit.maximum)} had been met"
        )
        before = f"{met}, so at most {dollars(limit.left)} of cost sharing could still be yours"
        standing = f"Only {dollars(limit.left)} of {_spoken(name)} of {dollars(limit.maximum)} was left."
    message = (
        f"Before {_service(line)} on {_date(state)}, {before}. It charges "
        f"{dollars(state.cost_sharing)} of cost sharing: {bound}{dollars(at_stake)} is above the "
        "maximum, which the plan should pay in full."
    )
    actions = [
        Action(
            kind="request_reprocessing",
            who=INSURER,
            summary="Ask the insurer to reprocess the claim at 100% after the out-of-pocket maximum.",
            script=_script(
                OOP_SCRIPT,
                standing=standing,
                service=_service(line),
                service_date=_date(state),
                cost_sharing=dollars(state.cost_sharing),
                excess=dollars(at_stake),
            ),
            template="oop_max_reprocessing",
        ),
        Action(
            kind="call_provider",
            who=PROVIDER,
            summary="Ask the provider to hold the account until the corrected EOB arrives.",
            script=_script(HOLD_SCRIPT, limit="out-of-pocket maximum"),
        ),
    ]
    appeal = _appeal(claim)
    if appeal is not None:
        actions.append(appeal)
    return AFTER_OOP_MAX.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="high" if proven else "medium",
        title="Charged after the out-of-pocket maximum",
        message=message,
        amount_at_stake=at_stake,
        evidence=[
            _money("cost_sharing", state.cost_sharing, limit.left, f"what was left of {name}"),
            _money(
                f"{limit.scope}_oop_met_before_line",
                limit.met,
                note=None if state.oop_exact else "a lower bound",
            ),
            _money(f"{limit.scope}_oop_max", limit.maximum),
            *([limit.printed.evidence(f"{limit.scope}_oop_met_printed")] if limit.printed else []),
        ],
        actions=actions,
    )


def deductible_overshot(claim: Claim, line: ServiceLine, state: LineState, plan: Plan) -> Finding | None:
    limit = state.deductible_limit
    deductible = state.deductible
    if limit is None or deductible is None or not 0 < limit.left < deductible:
        return None
    over = deductible - limit.left
    rate = plan.coinsurance_in_network
    still_yours = 0 if rate is None else (over * rate + 50) // 100
    at_stake = _capped(over - still_yours, line)
    if at_stake <= 0:
        return None
    name = _limit_name(limit, "deductible")
    bound = "" if state.deductible_exact else "at least "
    share = (
        f"at your {rate}% coinsurance you would owe {dollars(still_yours)} of it instead"
        if rate is not None
        else "the plan should have paid its share of it"
    )
    embedded = (
        " (this assumes your family plan has an embedded individual deductible)"
        if limit.assumed_embedded
        else ""
    )
    confidence: Confidence = (
        "high" if state.deductible_exact and rate is not None and not limit.assumed_embedded else "medium"
    )
    actions = [
        Action(
            kind="request_reprocessing",
            who=INSURER,
            summary="Ask the insurer to reprocess the line with only what was left of the deductible.",
            script=_script(
                DEDUCTIBLE_SCRIPT,
                service=_service(line),
                service_date=_date(state),
                left=dollars(limit.left),
                limit=_spoken(name),
                maximum=dollars(limit.maximum),
                deductible=dollars(deductible),
                excess=dollars(over),
            ),
            template="reprocessing_request",
        )
    ]
    appeal = _appeal(claim)
    if appeal is not None:
        actions.append(appeal)
    return DEDUCTIBLE_OVERSHOT.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence=confidence,
        title="More applied to the deductible than was left",
        message=(
            f"Before {_service(line)} on {_date(state)}, {bound}{dollars(limit.met)} of {name} of "
            f"{dollars(limit.maximum)} had been met, leaving {dollars(limit.left)}{embedded}. It "
            f"applies {dollars(deductible)} to the deductible, {dollars(over)} more than was left; "
            f"{share}. {sentence(bound)}{dollars(at_stake)} is at stake."
        ),
        amount_at_stake=at_stake,
        evidence=[
            _money("deductible", deductible, limit.left, f"what was left of {name}"),
            _money(
                f"{limit.scope}_deductible_met_before_line",
                limit.met,
                note=None if state.deductible_exact else "a lower bound",
            ),
            _money(f"{limit.scope}_deductible", limit.maximum),
        ],
        actions=actions,
    )


class OopMaxCheck:
    """Cost sharing beyond the deductible and the out-of-pocket maximum, from the replayed totals."""

    name = CHECK
    version = VERSION
    rules: Sequence[Rule] = (AFTER_OOP_MAX, DEDUCTIBLE_OVERSHOT)

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        plan = context.plan
        if plan is None:
            return
        result = context.accumulated(claims)
        for claim in claims:
            for line in claim.lines:
                state = result.line(claim.id, line.id)
                if state is not None and state.counted:
                    yield from _line_findings(claim, line, state, result, plan)


def _line_findings(
    claim: Claim, line: ServiceLine, state: LineState, result: Replay, plan: Plan
) -> Iterator[Finding]:
    for finding in (
        after_oop_max(claim, line, state, result, plan),
        deductible_overshot(claim, line, state, plan),
    ):
        if finding is not None:
            yield finding


@hookimpl
def eobscan_register_checks(register: Callable[[object], None]) -> None:
    register(OopMaxCheck())
