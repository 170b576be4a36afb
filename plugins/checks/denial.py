"""Denied claims and appeals: every denied line explained, with its appeal rights and dates.

A denial is the start of a process, not its end: the patient may appeal inside the plan, then ask
an independent reviewer, and some denials are not the patient's business at all (a coding or
paperwork error the in-network provider must fix and resubmit). These rules say which is which,
what evidence helps and by when, from the reason codes on the line. They never predict the outcome
of an appeal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from scanner import hookimpl
from scanner.checks import CheckContext, rule_maker
from scanner.deadlines import external_review, internal_appeal, is_medicare_claim
from scanner.line_amounts import cost_sharing, is_reversal, patient_owes
from scanner.model import Action, Adjustment, Claim, Evidence, Finding, Reference, Rule, RuleDocs, ServiceLine
from scanner.money import dollars, format_money
from scanner.networks import line_network
from scanner.reference.adjustment_codes import COST_SHARING_CARCS, explain_carc, explain_rarc, normalize_carc
from scanner.reference.citations import cite
from scanner.totals_line import service_name

CHECK = "denial"
VERSION = "1.0"

Category = Literal[
    "coding",
    "paperwork",
    "authorization",
    "timely_filing",
    "medical_necessity",
    "not_covered",
    "preventive",
    "benefit_limit",
    "eligibility",
    "network",
    "emergency",
    "bundling",
    "documentation",
    "patient_information",
    "unspecified",
]

#: Reason codes that mean the plan refused to pay all or part of a line, and what kind of refusal
#: each is. Deductible, copay, coinsurance, contractual write-offs (45), coordination of benefits
#: and duplicates (18, B13) are not denials here: other checks own them.
DENIAL_REASONS: dict[str, Category] = {
    "4": "coding",
    "5": "coding",
    "6": "coding",
    "7": "coding",
    "8": "coding",
    "9": "coding",
    "10": "coding",
    "11": "coding",
    "15": "authorization",
    "16": "paperwork",
    "26": "eligibility",
    "27": "eligibility",
    "29": "timely_filing",
    "31": "paperwork",
    "32": "eligibility",
    "33": "eligibility",
    "35": "benefit_limit",
    "39": "authorization",
    "40": "emergency",
    "49": "preventive",
    "50": "medical_necessity",
    "54": "coding",
    "55": "medical_necessity",
    "56": "medical_necessity",
    "58": "coding",
    "96": "not_covered",
    "97": "bundling",
    "107": "coding",
    "112": "documentation",
    "119": "benefit_limit",
    "125": "paperwork",
    "129": "paperwork",
    "140": "paperwork",
    "146": "coding",
    "149": "benefit_limit",
    "150": "medical_necessity",
    "151": "medical_necessity",
    "167": "not_covered",
    "170": "coding",
    "181": "coding",
    "185": "coding",
    "189": "coding",
    "197": "authorization",
    "198": "authorization",
    "200": "eligibility",
    "204": "not_covered",
    "226": "documentation",
    "227": "patient_information",
    "234": "bundling",
    "236": "bundling",
    "242": "network",
    "243": "network",
    "A1": "unspecified",
    "B7": "coding",
    "B15": "coding",
    "B20": "coding",
}

#: The coding and paperwork reasons that an in-network provider fixes by sending a corrected claim.
PROVIDER_FIXES: frozenset[str] = frozenset({"4", "11", "16", "31", "197"})
#: Missing authorization: the in-network provider's job to obtain.
AUTHORIZATION_REASONS: frozenset[str] = frozenset({"15", "197", "198"})
TIMELY_FILING = "29"

#: Categories the provider resolves (a corrected claim, its own appeal, or a write-off).
_PROVIDER_SIDE: frozenset[Category] = frozenset(
    {"coding", "paperwork", "timely_filing", "bundling", "documentation"}
)

#: What helps, per kind of denial.
EVIDENCE_THAT_HELPS: dict[Category, str] = {
    "medical_necessity": (
        "a letter of medical necessity from your treating doctor, the relevant medical records, "
        "and the plan's Summary of Benefits and Coverage (SBC) showing the service is a covered benefit"
    ),
    "not_covered": (
        "the plan's Summary of Benefits and Coverage (SBC) and the plan document section that covers "
        "the service, and a letter of medical necessity if the plan calls it excluded"
    ),
    "preventive": (
        "the plan's Summary of Benefits and Coverage (SBC) and the federal preventive services list; "
        "ask the provider to confirm the preventive coding (corrected coding if it was billed as diagnostic)"
    ),
    "benefit_limit": (
        "the plan's Summary of Benefits and Coverage (SBC) showing the limit, and your own count of the "
        "visits or amounts used this year"
    ),
    "eligibility": (
        "proof you were covered on the date of service (ID card, enrollment or premium confirmation)"
    ),
    "authorization": (
        "the authorization number or approval letter if there was one; otherwise a letter of medical "
        "necessity and a request that the provider seek retroactive authorization"
    ),
    "network": (
        "proof the care was an emergency or that no in-network provider was available (ask for a "
        "network gap exception); the plan's Summary of Benefits and Coverage (SBC)"
    ),
    "emergency": (
        "a description of your symptoms at the time: the standard is whether a prudent layperson would "
        "have thought it an emergency, not the final diagnosis"
    ),
    "coding": "a corrected claim from the provider (corrected coding, modifier or diagnosis)",
    "paperwork": "a corrected or completed claim from the provider",
    "timely_filing": "nothing from you: a late claim is the provider's loss, not yours",
    "bundling": "nothing from you: a bundled service is paid as part of another one",
    "documentation": "the provider's records sent to the plan",
    "patient_information": (
        "the form or information the plan asked you for (often an other-coverage questionnaire)"
    ),
    "unspecified": (
        "the specific denial reason in writing from the plan first; then, depending on it, a letter of "
        "medical necessity, the plan's Summary of Benefits and Coverage (SBC), or corrected coding"
    ),
}

APPEALABLE: dict[Category, str] = {
    "medical_necessity": "yes: medical-necessity denials are decided on evidence, which you can add",
    "not_covered": "yes: ask for the plan provision the denial relies on, and appeal if the plan covers it",
    "preventive": "yes: preventive services on the federal list must be covered without cost sharing",
    "benefit_limit": (
        "yes, when the count or limit is wrong or the limit is not allowed on an essential benefit"
    ),
    "eligibility": "yes, when you were covered on that date: usually fixed by correcting the record",
    "authorization": "yes; and when the provider is in network, getting the authorization was its job",
    "network": "yes: ask for a network gap exception, and emergency care is protected",
    "emergency": "yes: the prudent-layperson standard decides, not the final diagnosis",
    "coding": "not by you, usually: the provider corrects the claim and resubmits it",
    "paperwork": "not by you, usually: the provider corrects the claim and resubmits it",
    "timely_filing": "not needed: the provider missed the plan's filing deadline and normally writes it off",
    "bundling": "not needed: the service is paid as part of another; the provider may not bill it to you",
    "documentation": "not by you, usually: the provider sends the missing records",
    "patient_information": "not needed once you send the information the plan asked for",
    "unspecified": "yes: first ask the plan for the specific reason in writing",
}

# --- what a line's denial is ---------------------------------------------------------------


@dataclass(frozen=True)
class Denial:
    """Why and how much of a line was denied, and who bears it."""

    claim: Claim
    line: ServiceLine
    full: bool
    reasons: tuple[Adjustment, ...]
    category: Category

    @property
    def codes(self) -> list[str]:
        return [normalize_carc(a.reason) for a in self.reasons]

    @property
    def in_network(self) -> bool:
        return line_network(self.claim, self.line) == "in"

    @property
    def provider_liability(self) -> str | None:
        """Why the provider, not the patient, bears the denied amount (None when it may be the
        patient's)."""
        codes = set(self.codes)
        if TIMELY_FILING in codes:
            return "the claim was filed late (timely filing), which the provider bears"
        if self.in_network and codes & AUTHORIZATION_REASONS:
            return "prior authorization was missing, which an in-network provider must obtain"
        if self.reasons and all(a.group == "CO" for a in self.reasons):
            return "the denial is in group CO (contractual obligation): the provider may not bill you for it"
        return None

    @property
    def provider_fix(self) -> bool:
        """A coding or paperwork denial that an in-network provider must correct and resubmit."""
        return self.in_network and bool(set(self.codes) & PROVIDER_FIXES)

    @property
    def patient_share(self) -> int:
        """The part of the patient's share that the denial put there."""
        owed = patient_owes(self.claim, self.line)
        if self.full:
            return max(owed, 0)
        denied_pr = [a.amount for a in self.reasons if a.group == "PR" and a.amount is not None]
        part = sum(denied_pr) if denied_pr else (self.line.not_covered or 0)
        return max(min(part, owed), 0)


def _denial_adjustments(line: ServiceLine) -> tuple[Adjustment, ...]:
    return tuple(a for a in line.adjustments if normalize_carc(a.reason) in DENIAL_REASONS)


def _category(reasons: Sequence[Adjustment]) -> Category:
    """The most telling category: a patient-side reason wins over a provider-side one, because
    it is the one that costs the patient money unless appealed."""
    categories = [DENIAL_REASONS.get(normalize_carc(a.reason), "unspecified") for a in reasons]
    patient_side = [c for c in categories if c not in _PROVIDER_SIDE and c != "unspecified"]
    known = [c for c in categories if c != "unspecified"]
    return patient_side[0] if patient_side else (known[0] if known else "unspecified")


def denial_of(claim: Claim, line: ServiceLine) -> Denial | None:
    """The line's denial, full or partial, or None when nothing on it was denied."""
    if is_reversal(line):
        return None
    reasons = _denial_adjustments(line)
    full = line.denied or (claim.status == "denied" and not line.plan_paid)
    if not full and reasons and line.plan_paid is not None and line.plan_paid == 0:
        # Nothing paid is no denial when the allowance went to the deductible, a copay or
        # coinsurance: printed as amounts or as their codes (PR-1, PR-2, PR-3).
        full = not (cost_sharing(line) or 0) > 0 and not any(
            a.group == "PR" and normalize_carc(a.reason) in COST_SHARING_CARCS for a in line.adjustments
        )
    if not full:
        partial = [a for a in reasons if a.amount is None or a.amount > 0]
        if not partial:
            return None
        return Denial(claim, line, False, tuple(partial), _category(partial))
    # A full denial explains itself with whatever codes the line carries (a COB code such as
    # PR-22 is not a denial reason of our table, but it is why this line was denied).
    reasons = reasons or tuple(
        a for a in line.adjustments if normalize_carc(a.reason) not in COST_SHARING_CARCS
    )
    return Denial(claim, line, True, reasons, _category(reasons))


def denials(claims: Iterable[Claim]) -> Iterator[Denial]:
    for claim in claims:
        for line in claim.lines:
            found = denial_of(claim, line)
            if found is not None:
                yield found


# --- rules ---------------------------------------------------------------------------------


_rule = rule_maker(CHECK, "denial")


APPEAL_REFERENCES = [
    cite("aca-appeals-external-review"),
    cite("erisa-claims-procedure"),
    cite("medicare-advantage-reconsideration"),
    cite("medicare-part-d-redetermination"),
]

DENIED_SERVICE = _rule(
    "DEN001",
    "denied-service",
    "warning",
    "A service was denied in whole or in part: what the reason means, whether to appeal, and by when.",
    RuleDocs(
        what_it_checks=(
            "Every line the plan denied, fully or in part (a denial reason code such as 50, 96, 204 or "
            "197 on the line, or the line marked denied). The finding explains each CARC and RARC in "
            "plain English, says whether an appeal is yours to make, which evidence helps (a letter of "
            "medical necessity, the plan's Summary of Benefits and Coverage, corrected coding from the "
            "provider) and computes the dates from the EOB's processed date: an internal appeal within "
            "180 days for group and individual plans, 60 days when the payer is a Medicare Advantage or "
            "Part D plan (the shorter, safer date: Original Medicare allows 120 days for a "
            "redetermination); an external review within 4 months after the plan's final internal "
            "denial. Coding and paperwork denials for in-network providers are DEN002 instead."
        ),
        why_it_matters=(
            "A denial moves the whole charge onto you unless someone acts, and the appeal window closes. "
            "Appeals are rarely filed: in KFF's analysis of 2023 HealthCare.gov plans ('Claims Denials "
            "and Appeals in ACA Marketplace Plans in 2023'), consumers appealed "
            "fewer than 1% of denied in-network claims, and insurers upheld 56% of the internal appeals "
            "that were filed (so 44% were not upheld). Those are public base rates, not a prediction for "
            "any one claim. While an appeal is pending, the provider should not send the amount to "
            "collections. Urgent care: when waiting the standard time could seriously jeopardize your "
            "life, health or ability to regain maximum function, ask for an expedited (urgent) appeal; "
            "the plan must decide it within 72 hours, and you may request an expedited external review "
            "at the same time."
        ),
        example=(
            "An MRI denied with PR-50 (not medically necessary), processed 2026-03-23, with $1,200.00 "
            "billed to you: appealable with a letter of medical necessity; internal appeal by "
            "2026-09-19; external review within 4 months of the final internal denial."
        ),
        what_to_do=(
            "Ask the plan for the specific denial reason in writing. Ask your doctor for a letter of "
            "medical necessity, gather the plan's Summary of Benefits and Coverage, and file the "
            "internal appeal before the date shown. Tell the provider the claim is under appeal and ask "
            "them to hold the bill. If the plan upholds the denial, request an external review within 4 "
            "months of its final letter."
        ),
        references=APPEAL_REFERENCES,
    ),
)

CODING_DENIAL = _rule(
    "DEN002",
    "coding-or-paperwork-denial",
    "error",
    "An in-network service was denied for a coding or paperwork error the provider must fix and resubmit.",
    RuleDocs(
        what_it_checks=(
            "Lines from an in-network provider denied with CARC 4 (modifier), 11 (diagnosis does not "
            "support the procedure), 16 (missing information or billing error), 31 (member not "
            "identified) or 197 (prior authorization missing)."
        ),
        why_it_matters=(
            "These denials are not about whether the care is covered: the claim was coded or filed "
            "wrong. An in-network provider must correct and resubmit it (and obtain authorizations), "
            "and should not bill you meanwhile. Paying now means chasing a refund later."
        ),
        example=(
            "A visit denied CO-16 with remark MA130 (incomplete claim) and $180.00 shown as your share: "
            "ask the provider to send a corrected claim; do not pay the $180.00 meanwhile."
        ),
        what_to_do=(
            "Call the provider's billing office: give them the denial code, ask them to correct and "
            "resubmit the claim, and to hold your account until the new EOB arrives. For CARC 31, "
            "check that the member id and name on file match your insurance card. Keep the appeal "
            "deadline in view in case the corrected claim is denied again."
        ),
        references=[cite("aca-appeals-external-review"), cite("erisa-claims-procedure")],
    ),
)


# --- findings ------------------------------------------------------------------------------


def _service(line: ServiceLine) -> str:
    return service_name(line)


def _service_title(line: ServiceLine) -> str:
    text = _service(line)
    return text[:1].upper() + text[1:]


def _when(line: ServiceLine, claim: Claim) -> str:
    day = line.service_date or claim.service_start
    return day.isoformat() if day else "the date of service"


def _reason_texts(denial: Denial) -> list[str]:
    texts = []
    for a in denial.reasons:
        code = normalize_carc(a.reason)
        known = explain_carc(code)
        meaning = known.text if known else "a reason code we do not explain yet; see x12.org for its wording"
        texts.append(f"{_label(a)}: {meaning}")
    for remark in denial.line.remarks:
        known_remark = explain_rarc(remark)
        if known_remark:
            texts.append(f"remark {known_remark.code}: {known_remark.text}")
    return texts


def _reasons_sentence(denial: Denial) -> str:
    return " ".join(text if text.endswith(".") else text + "." for text in _reason_texts(denial))


def _evidence(denial: Denial, deadline: dt.date | None, appealable: str) -> list[Evidence]:
    items = [
        Evidence(
            field=f"adjustments[{a.group}-{normalize_carc(a.reason)}]", value=_amount(a.amount), note=text
        )
        for a, text in zip(denial.reasons, _reason_texts(denial), strict=False)
    ]
    for remark in denial.line.remarks:
        known = explain_rarc(remark)
        if known:
            items.append(Evidence(field="remarks", value=known.code, note=known.text))
    items.append(Evidence(field="appealable", value=appealable))
    items.append(Evidence(field="evidence_that_helps", note=EVIDENCE_THAT_HELPS[denial.category]))
    if denial.line.patient_responsibility is not None:
        items.append(
            Evidence(field="patient_responsibility", value=format_money(denial.line.patient_responsibility))
        )
    if deadline is not None:
        items.append(Evidence(field="internal_appeal_deadline", value=deadline.isoformat()))
    return items


def _label(adjustment: Adjustment) -> str:
    return f"{adjustment.group}-{normalize_carc(adjustment.reason)}"


def _amount(value: int | None) -> str | None:
    return None if value is None else format_money(value)


def _review_sentence(claim: Claim) -> str:
    due = _external_review_due(claim)
    if due is not None:
        return (
            f" This EOB replaces an earlier one: if it is the plan's final internal denial, request an "
            f"external review by {due.isoformat()}."
        )
    return " External review: within 4 months after the plan's final internal denial."


def _appeal_deadline(claim: Claim) -> tuple[dt.date | None, Reference | None, str]:
    medicare = is_medicare_claim(claim)
    window = "60 days (Medicare Advantage / Part D)" if medicare else "180 days"
    if claim.processed_date is None:
        return None, None, window
    deadline = internal_appeal(claim.processed_date, medicare=medicare)
    return deadline.due, deadline.reference, window


def _deadline_sentence(due: dt.date | None, window: str, as_of: dt.date) -> str:
    if due is None:
        return f"File an internal appeal within {window} of the date on the denial."
    if due < as_of:
        return (
            f"The usual internal appeal window ({window}) ended on {due.isoformat()}; ask the plan "
            "whether it accepts a late appeal for good cause."
        )
    return f"Internal appeal by {due.isoformat()} ({window} from processing)."


APPEAL_SCRIPT = (
    "Hello, I'm calling about claim {claim_number} for member {member_id}. The line for {service} on "
    "{service_date} was denied with reason {codes}. Please send me the specific reason for the denial "
    "in writing, the plan provision it relies on, and a copy of the claim file. I intend to appeal. "
    "Please give me a reference number for this call."
)
PROVIDER_FIX_SCRIPT = (
    "Hello, I'm calling about my account for {patient_name}, claim {claim_number}. The insurer denied "
    "{service} on {service_date} with reason {codes}, which is a coding or paperwork issue. Please "
    "correct the claim and resubmit it to my insurer, and put my account on hold until the new "
    "Explanation of Benefits arrives. Could you confirm in writing that the account is on hold?"
)
HOLD_SCRIPT = (
    "Hello, I'm calling about my account for {patient_name}, claim {claim_number}. The insurer denied "
    "{service} on {service_date} with reason {codes}; {liability}. I should not be billed for it. "
    "Please confirm in writing that this amount has been written off."
)


def _fill(template: str, denial: Denial, **extra: str) -> str:
    return template.format(
        claim_number="{claim_number}",
        member_id="{member_id}",
        patient_name="{patient_name}",
        service=_service(denial.line),
        service_date=_when(denial.line, denial.claim),
        codes=", ".join(_label(a) for a in denial.reasons) or "not printed",
        **extra,
    )


def _external_review_due(claim: Claim) -> dt.date | None:
    """When this EOB replaces an earlier one (the plan looked at the claim again) and still denies,
    its processed date may be the final internal denial: external review runs 4 months from it."""
    if claim.processed_date is None or not any(r.relationship == "replaces" for r in claim.related):
        return None
    return external_review(claim.processed_date).due


def _appeal_actions(denial: Denial, due: dt.date | None) -> list[Action]:
    actions = [
        Action(
            kind="call_insurer",
            who="your insurer (the member services number on your card)",
            summary="Ask for the specific denial reason and the plan provision in writing.",
            script=_fill(APPEAL_SCRIPT, denial),
        )
    ]
    if denial.category in {"medical_necessity", "authorization", "not_covered", "emergency"}:
        actions.append(
            Action(
                kind="call_provider",
                who="your treating doctor's office",
                summary="Ask your doctor for a letter of medical necessity for the appeal.",
                template="medical_necessity_request",
                deadline=due,
            )
        )
    actions.append(
        Action(
            kind="appeal_internal",
            who="your insurer's appeals department (address on the EOB or denial letter)",
            summary="File a first-level internal appeal with the evidence listed.",
            template="appeal_internal_level1",
            deadline=due,
        )
    )
    review_due = _external_review_due(denial.claim)
    actions.append(
        Action(
            kind="external_review",
            who="the independent review organization named in the plan's final denial letter",
            summary=(
                "If this reprocessed claim is the plan's final internal denial, request an external review "
                "by the date shown (4 months after it)."
                if review_due
                else "If the plan upholds the denial, request an external review within 4 months of its "
                "final letter."
            ),
            template="external_review_request",
            deadline=review_due,
        )
    )
    return actions


def _denied_service(denial: Denial, as_of: dt.date) -> Finding:
    due, reference, window = _appeal_deadline(denial.claim)
    category = denial.category
    appealable = APPEALABLE[category]
    at_stake = denial.patient_share
    liability = denial.provider_liability
    reasons = _reasons_sentence(denial) or "The EOB prints no reason code."
    how = "denied" if denial.full else "partly denied"
    line = denial.line
    if liability is not None:
        actions = [
            Action(
                kind="call_provider",
                who="the provider's billing office",
                summary="Confirm the denied amount is written off and not billed to you.",
                script=_fill(HOLD_SCRIPT, denial, liability=liability),
            )
        ]
        advice = f"You should not owe it: {liability}."
    else:
        actions = _appeal_actions(denial, due)
        advice = (
            f"Appealable: {appealable}. Evidence that helps: {EVIDENCE_THAT_HELPS[category]}. "
            + _deadline_sentence(due, window, as_of)
            + _review_sentence(denial.claim)
        )
    share = f" Your share on the EOB because of it: {dollars(at_stake)}." if at_stake else ""
    references = [reference] if reference is not None else []
    references += [
        r
        for r in (cite("aca-appeals-external-review"), cite("erisa-claims-procedure"))
        if r not in references
    ]
    return DENIED_SERVICE.finding(
        claim_id=denial.claim.id,
        line_ids=[line.id],
        severity="warning" if at_stake > 0 else "info",
        confidence="high" if denial.reasons else "medium",
        title=f"Service {how}"
        if category == "unspecified"
        else f"Service {how}: {category.replace('_', ' ')}",
        message=(
            f"{_service_title(line)} on {_when(line, denial.claim)} was {how}. {reasons}{share} {advice}"
        ),
        amount_at_stake=at_stake,
        evidence=_evidence(denial, due, appealable),
        actions=actions,
        references=references,
    )


def _coding_denial(denial: Denial, as_of: dt.date) -> Finding:
    due, reference, window = _appeal_deadline(denial.claim)
    at_stake = denial.patient_share
    line = denial.line
    reasons = _reasons_sentence(denial)
    share = (
        f" The EOB shows {dollars(at_stake)} as your share: do not pay it while the claim is corrected."
        if at_stake
        else " You owe nothing for it now; if the provider bills you, do not pay until the corrected "
        "claim is processed."
    )
    references = [reference] if reference is not None else []
    return CODING_DENIAL.finding(
        claim_id=denial.claim.id,
        line_ids=[line.id],
        severity="error" if at_stake > 0 else "info",
        title="Denied for a coding or paperwork error the provider must fix",
        message=(
            f"{_service_title(line)} on {_when(line, denial.claim)} was denied. {reasons} "
            "The in-network provider must correct the claim and resubmit it."
            + share
            + " If the corrected claim is denied again, you can appeal. "
            + _deadline_sentence(due, window, as_of)
        ),
        amount_at_stake=at_stake,
        evidence=_evidence(denial, due, APPEALABLE["paperwork"]),
        actions=[
            Action(
                kind="call_provider",
                who="the provider's billing office",
                summary="Ask the provider to correct and resubmit the claim and hold your account meanwhile.",
                script=_fill(PROVIDER_FIX_SCRIPT, denial),
            ),
            Action(
                kind="appeal_internal",
                who="your insurer's appeals department",
                summary="Only if the corrected claim is denied again: file an internal appeal.",
                template="appeal_internal_level1",
                deadline=due,
            ),
        ],
        references=[*references, cite("aca-appeals-external-review")],
    )


class DenialCheck:
    """Every denied line, explained, with its appeal route and dates."""

    name = CHECK
    version = VERSION
    rules: Sequence[Rule] = (DENIED_SERVICE, CODING_DENIAL)

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        for denial in denials(claims):
            if denial.provider_fix:
                yield _coding_denial(denial, context.as_of)
            else:
                yield _denied_service(denial, context.as_of)


@hookimpl
def eobscan_register_checks(register: Callable[[object], None]) -> None:
    register(DenialCheck())
