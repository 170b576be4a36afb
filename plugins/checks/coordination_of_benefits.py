"""Coordination of benefits: which plan pays first, and claims stuck because the insurer guessed.

The scanner never decides which of two plans is primary; the plans do, by the rules the docs of
these rules summarise. It compares what the claim shows with what the plan context says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from plugins.checks._insurer.benefits import claim_responsibility
from plugins.checks._insurer.common import INSURER, capped, cost_sharing, money_evidence, service
from scanner import hookimpl
from scanner.checks import CheckContext, rule_maker
from scanner.line_amounts import patient_owes
from scanner.model import Action, Claim, Evidence, Finding, Plan, Rule, RuleDocs, ServiceLine
from scanner.money import dollars
from scanner.reference.adjustment_codes import normalize_carc
from scanner.reference.citations import cite

CHECK = "coordination_of_benefits"
VERSION = "1.0"

#: 22: another plan may be primary; 23: reduced by a prior payer; 109: not this payer's claim.
COB_REASONS = frozenset({"22", "23", "109"})
#: The reasons that say "someone else should pay", as opposed to ordinary secondary processing.
OTHER_PAYER_REASONS = frozenset({"22", "109"})

ORDERING_RULES = (
    "Which plan pays first is set by the plans' coordination rules (most states follow the NAIC "
    "model): the plan that covers you as an employee or subscriber pays before the plan that "
    "covers you as a dependent; for a child covered by both parents, the plan of the parent "
    "whose birthday (month and day) comes first in the year pays first, unless a court order or "
    "custody arrangement says otherwise; active-employee coverage pays before COBRA or retiree "
    "coverage; otherwise the plan that has covered you longer pays first. Medicare pays second to "
    "an employer plan when you or your spouse are actively working for an employer with 20 or "
    "more employees (100 or more when Medicare is due to disability, and during the first 30 "
    "months for kidney failure); it pays first against retiree coverage. Workers' compensation, "
    "auto no-fault and liability insurance pay before health plans for the injuries they cover. "
    "The scanner does not decide the order for you: it compares the claim with what you said."
)

REFERENCES = [cite("naic-cob-model"), cite("medicare-secondary-payer")]


_rule = rule_maker(CHECK, "coordination_of_benefits")


DENIED_FOR_OTHER_COVERAGE = _rule(
    "COB001",
    "cob-denial-without-other-coverage",
    "error",
    "A line was denied or reduced because 'another plan may be primary', but you have no other coverage.",
    RuleDocs(
        what_it_checks=(
            "Lines with adjustment reason 22 (another payer may be primary), 23 (reduced by a "
            "prior payer) or 109 (not this payer's claim) when the plan context says the member "
            "has no other coverage."
        ),
        why_it_matters=(
            "Insurers deny claims when their coordination-of-benefits record is stale (an old "
            "spouse's plan, a questionnaire you never returned). With no other plan, the denial "
            "is simply wrong, and the provider will bill you the whole amount."
        ),
        example=(
            "CARC 22 on an office visit, allowed $180.00, you owe $180.00, and your plan says you "
            "have no other coverage: $180.00 is at stake."
        ),
        what_to_do=(
            "Call the insurer, tell them you have no other coverage and ask them to update the "
            "coordination-of-benefits record (many insurers do it on the phone or by a short "
            "form), then ask them to reprocess the claim. Tell the provider the claim is being "
            "reprocessed. " + ORDERING_RULES
        ),
        references=REFERENCES,
    ),
)

PRIMARY_NOT_BILLED = _rule(
    "COB002",
    "primary-payer-probably-not-billed",
    "warning",
    "This plan is secondary, but the line shows no payment by the primary plan and your full cost sharing.",
    RuleDocs(
        what_it_checks=(
            "When the plan context says this plan is secondary: lines with cost sharing, not "
            "denied, that show no prior payer payment (none printed, or zero) and no adjustment "
            "for a prior payer (reason 23)."
        ),
        why_it_matters=(
            "A secondary plan is supposed to pay after the primary one. When no primary payment "
            "appears, the primary plan was probably never billed, and you are left with cost "
            "sharing the primary plan would have covered."
        ),
        example=(
            "Secondary plan, no prior payer paid, deductible $150.00 and coinsurance $40.00: up to "
            "$190.00 may be covered once the primary plan is billed."
        ),
        what_to_do=(
            "Ask the provider to bill your primary plan first and send its EOB to this plan; ask "
            "this insurer to confirm the order of your plans. " + ORDERING_RULES
        ),
        references=REFERENCES,
    ),
)

POSITION_MISMATCH = _rule(
    "COB003",
    "coverage-position-mismatch",
    "error",
    "The claim was processed as primary when this plan is secondary, or the reverse.",
    RuleDocs(
        what_it_checks=(
            "The plan's position in the plan context (primary or secondary) against how the claim "
            "was processed: its printed coverage position, or a prior payer payment on its lines "
            "(which means it was processed as secondary)."
        ),
        why_it_matters=(
            "Processed as secondary when it is primary, the plan subtracts a payment nobody made "
            "and leaves it to you. Processed as primary when it is secondary, the real primary "
            "plan is never billed, and the insurer may take its payment back later."
        ),
        example=(
            "Your plan context says this plan is primary; the claim says 'secondary' and you owe "
            "$260.00: up to $260.00 is at stake."
        ),
        what_to_do=(
            "Call the insurer, confirm which plan is primary, ask them to correct the "
            "coordination-of-benefits record and reprocess the claim. " + ORDERING_RULES
        ),
        references=REFERENCES,
    ),
)

OTHER_COVERAGE_QUESTION = _rule(
    "COB004",
    "other-coverage-question",
    "warning",
    "The insurer thinks another plan should pay; check whether you have other coverage.",
    RuleDocs(
        what_it_checks=(
            "Lines denied or reduced with reason 22 or 109 when the plan context does not say "
            "whether the member has other coverage."
        ),
        why_it_matters=(
            "These denials usually mean the insurer's coordination-of-benefits record needs an "
            "update. Without it, the claim stays unpaid and the provider bills you."
        ),
        example="CARC 22 on a lab test, you owe $95.00: $95.00 waits on the coordination record.",
        what_to_do=(
            "If you have no other coverage, tell the insurer so and ask for reprocessing. If you "
            "do, make sure the provider bills that plan first. " + ORDERING_RULES
        ),
        references=REFERENCES,
    ),
)

RULES = (DENIED_FOR_OTHER_COVERAGE, PRIMARY_NOT_BILLED, POSITION_MISMATCH, OTHER_COVERAGE_QUESTION)


def _reasons(line: ServiceLine) -> list[str]:
    found = [normalize_carc(a.reason) for a in line.adjustments]
    return [r for r in dict.fromkeys(found) if r in COB_REASONS]


NO_OTHER_COVERAGE = (
    "It was processed as if another plan should pay first, but I have no other health coverage"
)
CONFIRM_ORDER = "I would like to confirm which of my plans is primary and which is secondary"


def _update_record(statement: str) -> Action:
    return Action(
        kind="call_insurer",
        who=INSURER,
        summary="Update the coordination-of-benefits record.",
        script=(
            "Hello, I'm calling about claim {claim_number} for member {member_id}. "
            f"{statement}. Could you update the "
            "coordination-of-benefits record now, and tell me what else you need from me? Please "
            "give me a reference number for this call."
        ),
        template="cob_update",
    )


def _reprocess() -> Action:
    return Action(
        kind="request_reprocessing",
        who=INSURER,
        summary="Once the record is updated, ask for the claim to be reprocessed.",
        script=(
            "Now that the coordination-of-benefits record for member {member_id} is updated, "
            "please reprocess claim {claim_number} and send me the corrected EOB."
        ),
        template="reprocessing_request",
    )


def _bill_primary() -> Action:
    return Action(
        kind="call_provider",
        who="the provider's billing office",
        summary="Ask the provider to bill your primary plan first.",
        script=(
            "Hello, I'm calling about the bill for {patient_name}, claim {claim_number}. The plan "
            "this was billed to is my secondary plan. Could you bill my primary plan first, then "
            "send its EOB to the secondary plan? Please hold the balance until both have paid."
        ),
    )


# --- COB001 and COB004 -----------------------------------------------------------------------


def denied_for_other_coverage(claim: Claim, line: ServiceLine, plan: Plan | None) -> Iterator[Finding]:
    reasons = _reasons(line)
    if not reasons:
        return
    if plan is not None and plan.other_coverage is False:
        yield _no_other_coverage(claim, line, reasons)
    elif (plan is None or plan.other_coverage is None) and set(reasons) & OTHER_PAYER_REASONS:
        yield _coverage_question(claim, line, reasons)


def _codes(reasons: list[str]) -> str:
    return ", ".join(f"CARC {r}" for r in reasons)


def _no_other_coverage(claim: Claim, line: ServiceLine, reasons: list[str]) -> Finding:
    at_stake = patient_owes(claim, line)
    return DENIED_FOR_OTHER_COVERAGE.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        title="Held up for other coverage you do not have",
        message=(
            f"{service(line).capitalize()} was processed with {_codes(reasons)} (another plan "
            f"should pay first), but your plan details say you have no other coverage. Once the "
            f"coordination-of-benefits record is fixed, the {dollars(at_stake)} you are asked to "
            "pay should be reprocessed."
        ),
        amount_at_stake=at_stake,
        evidence=[
            Evidence(field="adjustments", value=_codes(reasons), note="another payer may be primary"),
            Evidence(field="plan.other_coverage", value="false"),
            money_evidence("patient_responsibility", line.patient_responsibility),
        ],
        actions=[_update_record(NO_OTHER_COVERAGE), _reprocess()],
    )


def _coverage_question(claim: Claim, line: ServiceLine, reasons: list[str]) -> Finding:
    at_stake = patient_owes(claim, line)
    return OTHER_COVERAGE_QUESTION.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="low",
        title="The insurer thinks another plan should pay",
        message=(
            f"{service(line).capitalize()} was processed with {_codes(reasons)}: the insurer thinks "
            f"another plan should pay first. If you have no other coverage, updating the record "
            f"should get the {dollars(at_stake)} reprocessed."
        ),
        amount_at_stake=at_stake,
        evidence=[Evidence(field="adjustments", value=_codes(reasons), note="another payer may be primary")],
        actions=[_update_record(NO_OTHER_COVERAGE), _reprocess()],
    )


# --- COB002 -----------------------------------------------------------------------------------


def primary_not_billed(claim: Claim, line: ServiceLine, plan: Plan | None) -> Iterator[Finding]:
    if plan is None or plan.this_plan_position != "secondary" or claim.coverage_position == "primary":
        return
    if line.denied or line.prior_payer_paid or "23" in _reasons(line):
        return
    shared = cost_sharing(line)
    if shared <= 0:
        return
    at_stake = capped(shared, line)
    printed_zero = line.prior_payer_paid is not None
    yield PRIMARY_NOT_BILLED.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="low" if printed_zero else "medium",
        title="Your primary plan was probably never billed",
        message=(
            f"This plan is your secondary plan, yet {service(line)} shows no payment by a primary "
            f"plan and charges you {dollars(shared)} of cost sharing. If the primary plan is "
            f"billed first, up to {dollars(at_stake)} may be covered."
        ),
        amount_at_stake=at_stake,
        evidence=[
            money_evidence("prior_payer_paid", line.prior_payer_paid, note="a primary payment was expected"),
            money_evidence("cost_sharing", shared),
            Evidence(field="plan.this_plan_position", value="secondary"),
        ],
        actions=[_bill_primary(), _update_record(CONFIRM_ORDER)],
    )


# --- COB003 -----------------------------------------------------------------------------------


def processed_position(claim: Claim) -> str | None:
    """How the claim was processed: its printed position, else secondary when a prior payer paid."""
    if claim.coverage_position is not None:
        return "primary" if claim.coverage_position == "primary" else "secondary"
    if any(line.prior_payer_paid for line in claim.lines):
        return "secondary"
    return None


def position_mismatch(claim: Claim, plan: Plan | None) -> Iterator[Finding]:
    expected = plan.this_plan_position if plan else None
    actual = processed_position(claim)
    if expected is None or actual is None or expected == actual:
        return
    at_stake = max(claim_responsibility(claim), 0)
    consequence = (
        "it subtracted a primary payment that should not be there"
        if expected == "primary"
        else "your primary plan was never asked to pay first"
    )
    yield POSITION_MISMATCH.finding(
        claim_id=claim.id,
        line_ids=[line.id for line in claim.lines],
        confidence="medium",
        title=f"Processed as {actual}, but this plan is {expected}",
        message=(
            f"Your plan details say this plan is {expected}, but the claim was processed as "
            f"{actual}: {consequence}. Your share of {dollars(at_stake)} may change once the "
            "order is corrected."
        ),
        amount_at_stake=at_stake,
        evidence=[
            Evidence(field="coverage_position", value=claim.coverage_position or actual, expected=expected),
        ],
        actions=[
            _update_record(f"It was processed as {actual}, but this plan is my {expected} plan"),
            _reprocess(),
        ],
    )


class CoordinationOfBenefitsCheck:
    """The order of payment between the member's plans, against the plan context."""

    name = CHECK
    version = VERSION
    rules: Sequence[Rule] = RULES

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        plan = context.plan
        for claim in claims:
            yield from position_mismatch(claim, plan)
            for line in claim.lines:
                if line.billed is not None and line.billed < 0:
                    continue  # a reversal line mirrors another line
                yield from denied_for_other_coverage(claim, line, plan)
                yield from primary_not_billed(claim, line, plan)


@hookimpl
def eobscan_register_checks(register: Callable[[object], None]) -> None:
    register(CoordinationOfBenefitsCheck())
