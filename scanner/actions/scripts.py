"""Call scripts: whom to call, what to have at hand, what to say and what to ask for.

A call only counts when it leaves a trace, so every script asks for a reference number and the
representative's name, and ends with what to get in writing. The words to say are the check's
own script when it wrote one (it knows the problem best); otherwise the kind's opener, filled
with the finding's numbers. Placeholders the client keeps (``{claim_number}``, ``{member_id}``,
``{patient_name}``, ``{provider_name}``) stay literal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import msgspec

from scanner.actions import facts
from scanner.actions.schedule import action_deadline
from scanner.model import Action, ActionKind, Claim, Finding
from scanner.money import dollars

#: The federal No Surprises Help Desk (CMS), for complaints about surprise bills.
NSA_HELP_DESK = "the No Surprises Help Desk at 1-800-985-3059 (https://www.cms.gov/nosurprises)"

ALWAYS_ASK = "A reference number for this call, and the name of the person you spoke with"
NOTE_DOWN = [
    "The date and time of the call",
    "The representative's name and the reference number",
    "What they agreed to do, and by when",
]


class CallScript(msgspec.Struct, kw_only=True):
    """One call to make about one finding."""

    kind: ActionKind
    who: str
    have_at_hand: list[str]
    say: str
    ask_for: list[str]
    note_down: list[str]
    in_writing: str
    deadline: dt.date | None = None
    letter: str | None = None


@dataclass(frozen=True)
class _Guide:
    who: str
    have: tuple[str, ...]
    opener: str
    ask: tuple[str, ...]
    in_writing: str


_CARD = "Your insurance card (member ID {member_id})"
_EOB = "The Explanation of Benefits for claim {claim_number}"
_BILL = "The provider's latest statement (account {account_number})"

_INSURER = "Your insurer: the member services number on the back of your insurance card"
_PROVIDER = "The provider's billing office: the number on the statement ({provider_name})"

_REPROCESS_ASKS = (
    "That they reprocess the claim and send you a corrected EOB",
    "How long reprocessing takes (often two to four weeks)",
    "That they tell the provider the claim is being reprocessed",
    "If they refuse: the specific reason in writing, and how to appeal",
)
_DISPUTE_ASKS = (
    "That the disputed amount be put in dispute status, so it is not sent to collections",
    "Written confirmation that the account is in dispute status",
    "A corrected statement that matches the EOB",
)

GUIDES: dict[str, _Guide] = {
    "call_insurer": _Guide(
        _INSURER,
        (_CARD, _EOB),
        "I'm calling about claim {claim_number} for member {member_id}. {problem}",
        _REPROCESS_ASKS,
        "the corrected EOB, or the decision and its reason",
    ),
    "request_reprocessing": _Guide(
        _INSURER,
        (_CARD, _EOB),
        "I'm calling about claim {claim_number} for member {member_id}. {problem} "
        "Could you reprocess the claim?",
        _REPROCESS_ASKS,
        "the corrected EOB, or the decision and its reason",
    ),
    "appeal_internal": _Guide(
        _INSURER,
        (_CARD, _EOB, "Your plan's Summary of Benefits and Coverage", "Your treating physician's name"),
        "I'm calling about claim {claim_number} for member {member_id}. I want to appeal how it was "
        "decided. {problem}",
        (
            "The specific reason for the denial, in writing",
            "Where to send the appeal (address or fax) and the exact deadline",
            "A free copy of the claim file and of any criteria they used",
            "Whether an expedited appeal is possible if the care is urgent",
        ),
        "the denial reason and the appeal decision",
    ),
    "external_review": _Guide(
        _INSURER,
        (_CARD, _EOB, "The final internal denial letter"),
        "I'm calling about claim {claim_number} for member {member_id}. My internal appeals are "
        "finished and I want an independent external review. {problem}",
        (
            "Which external review process applies to your plan (federal or state)",
            "Where to send the request, and the deadline",
            "An expedited review if the care is urgent",
        ),
        "the confirmation that your request was received, and who will review it",
    ),
    "call_provider": _Guide(
        _PROVIDER,
        (_BILL, _EOB, _CARD),
        "I'm calling about my account for {patient_name}, services on {service_dates}. {problem}",
        _DISPUTE_ASKS,
        "the dispute status and the corrected statement",
    ),
    "dispute_bill": _Guide(
        _PROVIDER,
        (_BILL, _EOB, _CARD),
        "I'm calling about my account for {patient_name}, services on {service_dates}. Your bill "
        "does not match my insurer's Explanation of Benefits for claim {claim_number}. {problem}",
        _DISPUTE_ASKS,
        "the dispute status and the corrected statement",
    ),
    "request_itemized_bill": _Guide(
        _PROVIDER,
        (_BILL, _EOB),
        "I'm calling about my account for {patient_name}, services on {service_dates}. Please send "
        "me a fully itemized bill with the codes for each charge. {problem}",
        (
            "An itemized bill with the date, code, units and charge of every service",
            "A hold on the account until you have reviewed it, confirmed in writing",
        ),
        "the itemized bill and the hold on the account",
    ),
    "file_complaint": _Guide(
        NSA_HELP_DESK,
        (_EOB, _BILL, "Any notice or consent form you signed"),
        "I want to report a bill I believe the No Surprises Act protects me from. {problem}",
        (
            "A complaint number",
            "Which documents to send, and where",
            "What happens next, and when",
        ),
        "the complaint number and the outcome",
    ),
    "negotiate": _Guide(
        _PROVIDER,
        (_BILL, _EOB),
        "I'm calling about my account for {patient_name}, services on {service_dates}. I'd like to "
        "settle the balance. {problem}",
        (
            "A prompt-pay discount (hospitals often give 10 to 20 percent for paying within 30 days)",
            "Otherwise, an interest-free payment plan",
            "Whether you qualify for financial assistance",
        ),
        "the agreed amount, stated as payment in full, before you pay",
    ),
    "apply_financial_assistance": _Guide(
        _PROVIDER,
        (_BILL, _EOB, "Proof of household income"),
        "I'm calling about my account for {patient_name}, services on {service_dates}. I'd like to "
        "apply for financial assistance. {problem}",
        (
            "The financial assistance policy and the application form",
            "The income limits and the documents they need",
            "A hold on collection activity while the application is reviewed",
        ),
        "the decision on your application",
    ),
    "pay_undisputed": _Guide(
        _PROVIDER,
        (_BILL, _EOB, "A card or account to pay from"),
        "I'm calling about my account for {patient_name}, services on {service_dates}. I want to pay "
        "the part I don't dispute. {problem}",
        (
            "That the payment go to the undisputed amount only",
            "That the disputed amount stay in dispute status",
            "A receipt",
        ),
        "the receipt and the dispute status",
    ),
}


def call_script(action: Action, finding: Finding, claim: Claim | None) -> CallScript:
    """The call sheet for one action of one finding."""
    guide = GUIDES[action.kind]
    problem = _problem(finding, claim)
    say = action.script or guide.opener.format(
        claim_number="{claim_number}",
        member_id="{member_id}",
        patient_name="{patient_name}",
        service_dates=facts.service_dates(claim) if claim else "the date on the statement",
        problem=problem,
    )
    have = list(guide.have)
    if claim is not None and claim.processed_date is not None:
        processed = facts.long_date(claim.processed_date)
        have = [f"{item} (processed {processed})" if item == _EOB else item for item in have]
    return CallScript(
        kind=action.kind,
        who=action.who or guide.who,
        have_at_hand=have,
        say=say,
        ask_for=[ALWAYS_ASK, *guide.ask],
        note_down=list(NOTE_DOWN),
        in_writing=f"Get in writing: {guide.in_writing}.",
        deadline=action_deadline(action, claim),
        letter=action.template,
    )


def _problem(finding: Finding, claim: Claim | None) -> str:
    where = ""
    if claim is not None:
        lines = facts.finding_lines(finding, claim)
        if lines and finding.line_ids:
            where = "The line for " + ", ".join(facts.line_label(line) for line in lines) + ": "
    amount = f" That is {dollars(finding.amount_at_stake)}." if finding.amount_at_stake else ""
    return f"{where}{finding.title}.{amount}"
