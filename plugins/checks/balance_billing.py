"""The provider's bill against the EOB: what you are asked to pay versus what the EOB says you owe.

The EOB is the insurer's account of the claim; the bill is the provider's. They must agree on the
patient's share. When they do not, the difference is either balance billing (forbidden to an
in-network provider, who agreed to accept the plan's allowed amount), a charge the insurer never
saw, a denial the provider must absorb, or a mismatch to clear up before paying. Bills are matched
to claims and lines by :mod:`scanner.matching`, and every finding carries the match's confidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import msgspec

from plugins.checks.denial import denial_of
from scanner import hookimpl
from scanner.checks import CheckContext, rule_maker
from scanner.deadlines import good_faith_estimate_dispute
from scanner.line_amounts import not_covered_above_allowance, patient_parts
from scanner.matching import BillMatch, LineMatch, match_bills, patient_share, weakest
from scanner.model import (
    Action,
    Bill,
    Claim,
    Confidence,
    Evidence,
    Finding,
    Rule,
    RuleDocs,
    ServiceLine,
    Severity,
)
from scanner.money import dollars, format_money
from scanner.networks import billing_network, line_network
from scanner.reference.citations import cite
from scanner.reference.nsa import load_nsa
from scanner.stake_layers import split_evidence
from scanner.totals_line import service_name

CHECK = "balance_billing"
VERSION = "1.0"

#: The patient-provider dispute threshold: billed at least this much above the good faith estimate.
GFE_DISPUTE_THRESHOLD = 400_00


_rule = rule_maker(CHECK, "balance_billing")


IN_NETWORK_BALANCE_BILL = _rule(
    "BAL001",
    "in-network-balance-billing",
    "error",
    "An in-network provider bills you more than the EOB's patient responsibility.",
    RuleDocs(
        what_it_checks=(
            "For each bill line matched to an EOB line of an in-network provider (or, for a bill "
            "without line balances, the bill as a whole), that the balance asked is not more than "
            "the patient responsibility on the EOB. Amounts the EOB adjusts under group CO, OA or PI "
            "(such as CO-45, the charge above the fee schedule) are not yours, and neither is a "
            "charge above the allowed amount that the EOB itself prints as 'not covered': the bill "
            "is then measured against the patient responsibility without it. A payment already "
            "made counts as asked: a statement whose line balances still ask the EOB's share after "
            "you paid it (a copay collected at the desk) asks the payment again. The finding says "
            "how much of its amount lies above the EOB's patient responsibility, which adds to any "
            "error on the EOB itself, and how much inside it, which such an error may claim too."
        ),
        why_it_matters=(
            "An in-network provider agreed to accept the plan's allowed amount. Billing you the "
            "difference between its full charge and the allowed amount is balance billing, and it "
            "is prohibited for in-network providers."
        ),
        example=(
            "Billed $400.00, allowed $150.00 (CO-45 $250.00), your coinsurance $30.00, and the bill "
            "asks $280.00: $250.00 is the CO-45 write-off and is at stake."
        ),
        what_to_do=(
            "Call the provider's billing office with the EOB, ask them to adjust the bill to the "
            "EOB's patient responsibility and to confirm in writing. If they insist, call your "
            "insurer: it enforces its network contract. Pay only the EOB's amount meanwhile."
        ),
    ),
)

NOT_SUBMITTED = _rule(
    "BAL002",
    "charge-not-on-eob",
    "warning",
    "The bill lists charges that are not on the EOB: they may never have been sent to your insurer.",
    RuleDocs(
        what_it_checks=(
            "Bill lines that match no line of the claim's EOB, by date and code, date and amount, "
            "or description."
        ),
        why_it_matters=(
            "A service the insurer never saw was never priced at the network rate nor counted "
            "toward your deductible. You may be billed the full charge for something your plan "
            "would have covered."
        ),
        example=(
            "The bill lists a $95.00 venipuncture on the visit date; the EOB has only the office "
            "visit: ask the provider to bill the venipuncture to your insurer."
        ),
        what_to_do=(
            "Ask the provider to bill your insurer for the charges that are not on the EOB and to "
            "hold them until the insurer processes them. Ask for an itemized bill if the lines are "
            "vague."
        ),
    ),
)

AMOUNT_MISMATCH = _rule(
    "BAL003",
    "bill-differs-from-eob",
    "warning",
    "The bill's balance for a service differs from the EOB's patient responsibility.",
    RuleDocs(
        what_it_checks=(
            "For bill lines matched to EOB lines of providers not known to be in network (and for "
            "any provider when the bill asks less), that the balance equals the EOB's patient "
            "responsibility."
        ),
        why_it_matters=(
            "The EOB says what you owe after the plan's rules. A higher bill may be an out-of-network "
            "balance bill (which the No Surprises Act forbids for emergencies and for many services "
            "at in-network facilities), a pending adjustment, or an error. A lower bill usually "
            "means the provider has not posted the insurer's decision yet."
        ),
        example="The bill asks $210.00 for a visit; the EOB says your share is $60.00: $150.00 at stake.",
        what_to_do=(
            "Ask the provider's billing office to bill the EOB's amount, and ask your insurer whether "
            "you are protected from the difference. Keep paying nothing above the EOB meanwhile."
        ),
        references=[cite("nsa-provider-balance-billing")],
    ),
)

DENIED_BILLED = _rule(
    "BAL004",
    "provider-liability-denial-billed",
    "error",
    "You are billed for a denied service that the provider, not you, must absorb.",
    RuleDocs(
        what_it_checks=(
            "Bill lines matched to denied EOB lines whose denial is the provider's liability: the "
            "denial is in group CO, prior authorization was missing for an in-network provider, or "
            "the claim was filed late (timely filing, CARC 29)."
        ),
        why_it_matters=(
            "When the plan denies a service for a reason the contract puts on the provider, the "
            "provider must write it off; billing you for it shifts their mistake to you."
        ),
        example=(
            "An MRI denied CO-197 (no prior authorization) by an in-network imaging center, and "
            "the bill asks you $1,250.00: all of it is at stake."
        ),
        what_to_do=(
            "Send the provider the EOB showing the CO denial and ask them to remove the charge. If "
            "the service needed authorization, ask them to request it retroactively and resubmit. "
            "Do not pay the denied amount meanwhile."
        ),
    ),
)

ABOVE_ESTIMATE = _rule(
    "BAL005",
    "bill-exceeds-good-faith-estimate",
    "warning",
    "A self-pay bill is $400 or more above the good faith estimate: you may start a dispute.",
    RuleDocs(
        what_it_checks=(
            "Self-pay (uninsured or not using insurance) bills with a good faith estimate, that the "
            "billed charges are less than $400 above the estimate."
        ),
        why_it_matters=(
            "Providers must give self-pay patients a good faith estimate. When the bill is "
            "substantially higher ($400 or more above it), the No Surprises Act gives you the "
            "patient-provider dispute resolution process, which must be started within 120 "
            "calendar days of the bill's date; while it runs, the provider may not send the bill "
            "to collections."
        ),
        example="Estimate $1,200.00, bill $1,850.00: $650.00 above the estimate, dispute within 120 days.",
        what_to_do=(
            "Ask the provider to bill the estimated amount. If they refuse, start the "
            "patient-provider dispute process (through CMS) before the deadline, with the estimate "
            "and the bill."
        ),
        references=[cite("nsa-good-faith-estimate"), cite("nsa-patient-provider-dispute")],
    ),
)

PROTECTED_BALANCE_BILL = _rule(
    "BAL007",
    "protected-balance-bill",
    "error",
    "An out-of-network provider bills you more than the EOB for care the No Surprises Act protects.",
    RuleDocs(
        what_it_checks=(
            "For each bill line matched to an EOB line that the No Surprises Act protects (emergency "
            "care, out-of-network care at an in-network facility without valid consent, ancillary "
            "care there, air ambulance, or a line whose remark code says the protections apply), "
            "that the balance asked is not more than the patient responsibility on the EOB. A bill "
            "without line balances is judged by its total when every line of its claim is protected."
        ),
        why_it_matters=(
            "For protected care the provider may collect only your in-network cost sharing, which "
            "the EOB states. Billing you the rest of its charge is balance billing the law forbids, "
            "whatever the provider's network status."
        ),
        example=(
            "An out-of-network emergency physician: the EOB says your share is $360.00 and the bill "
            "asks $1,310.00. $950.00 is a balance bill you do not owe."
        ),
        what_to_do=(
            "Tell the provider's billing office that the care is protected by the No Surprises Act "
            "and ask them to reduce the bill to the EOB's amount, in writing. If they refuse, file a "
            "complaint with the No Surprises Help Desk (1-800-985-3059). Pay only the EOB's amount."
        ),
        references=[cite("nsa-provider-balance-billing"), cite("nsa-emergency"), cite("nsa-complaints")],
    ),
)

PAYMENT_NOT_CREDITED = _rule(
    "BAL008",
    "payment-not-credited",
    "error",
    "The bill asks again for a payment you already made on it.",
    RuleDocs(
        what_it_checks=(
            "A bill whose line balances are what is still due (they add up to its amount due) and "
            "that records a payment already made: that the balances and the payment together do "
            "not ask more than the EOB's patient responsibility for the claim, beyond what the "
            "line-by-line rules already find."
        ),
        why_it_matters=(
            "A copay collected at the front desk, or a payment mailed last month, that the billing "
            "office never applied is asked a second time. Whatever the provider's network, a "
            "payment made is a payment owed no more; these dollars lie on no line of the EOB, so "
            "they add to any other error on the claim."
        ),
        example=(
            "The EOB's share is $30.00, paid at the visit; the statement records the $30.00 "
            "payment and its line still asks $30.00: $30.00 is asked twice."
        ),
        what_to_do=(
            "Call the provider's billing office with your receipt (or card statement) and ask them "
            "to apply the payment and send a corrected statement. Pay nothing more meanwhile."
        ),
    ),
)

PAY_UNDISPUTED = _rule(
    "BAL006",
    "pay-undisputed-part",
    "info",
    "While you dispute part of a bill, pay the undisputed part and get the dispute status in writing.",
    RuleDocs(
        what_it_checks="Bills with at least one disputed amount found by the other BAL rules.",
        why_it_matters=(
            "Paying the part you agree with shows good faith; asking the provider to put the rest "
            "in dispute status should pause collections. Never pay a charge you believe is wrong "
            "just because you are worried about collections: document the dispute instead."
        ),
        example="A $320.00 bill of which $250.00 is disputed: pay $70.00, dispute $250.00 in writing.",
        what_to_do=(
            "Pay the undisputed amount, and ask the provider in writing to place the disputed "
            "amount in dispute status; keep their written confirmation."
        ),
    ),
)


# --- helpers -------------------------------------------------------------------------------


def _service(line: ServiceLine | None, fallback: str = "this service") -> str:
    if line is None:
        return fallback
    return service_name(line)


def _date(line: ServiceLine, claim: Claim) -> str:
    day = line.service_date or claim.service_start
    return day.isoformat() if day else "the date of service"


def _in_network(claim: Claim, line: ServiceLine | None) -> bool:
    """Whether a contract with the plan binds the billing party to the EOB's share. The party's
    own network decides: an in-network provider's line processed as out of network is the
    insurer's error (NET001), and an out-of-network one's line priced in network (as the No
    Surprises Act requires) does not make it in network. Only when the EOB does not say who is in
    network does the line's level speak for it."""
    network = billing_network(claim)
    if network != "unknown":
        return network == "in"
    return line is not None and line_network(claim, line) == "in"


NSA_COMPLAINT = Action(
    kind="file_complaint",
    who="the federal No Surprises Help Desk, 1-800-985-3059",
    summary="If the provider will not reduce the bill, file a complaint.",
    template="nsa_complaint",
)


def _all_protected(claim: Claim, lines: Sequence[ServiceLine]) -> bool:
    """Whether the No Surprises Act protects every line a bill is for."""
    nsa = load_nsa()
    return bool(lines) and all(nsa.protection(claim, line) is not None for line in lines)


def _owed(line: ServiceLine) -> int | None:
    if line.patient_responsibility is not None:
        return int(line.patient_responsibility)
    return patient_parts(line)


def _write_offs(line: ServiceLine) -> list[str]:
    return [
        f"{a.group}-{a.reason} {dollars(a.amount)}"
        for a in line.adjustments
        if a.group != "PR" and a.amount is not None and a.amount > 0
    ]


def _money(field: str, value: int | None, expected: int | None = None, note: str | None = None) -> Evidence:
    return Evidence(
        field=field,
        value=None if value is None else format_money(value),
        expected=None if expected is None else format_money(expected),
        note=note,
    )


def _above_and_inside(asked: int, owed: int, excess: int) -> tuple[int, int]:
    """Of an in-network bill's ``excess``, the part above the EOB's patient responsibility
    (``owed``) and the part inside it: a charge above the allowed amount that the EOB itself puts
    on the patient as not covered, which an error on the EOB (INS001) may claim too."""
    above = min(max(asked - owed, 0), excess)
    return above, excess - above


def _claim_split(rule: Rule, excess: int) -> list[Evidence]:
    """A bill judged against its claim as a whole asks ``excess`` above the EOB's share, all of it."""
    return split_evidence(excess, 0) if rule is IN_NETWORK_BALANCE_BILL else []


def _severity(default: Severity, confidence: Confidence) -> Severity:
    """A weak match cannot carry an accusation: errors drop to warnings."""
    if confidence == "low" and default == "error":
        return "warning"
    return default


PROVIDER_SCRIPT = (
    "Hello, I'm calling about my bill for {patient_name}, account {account_number}. My insurer's "
    "Explanation of Benefits for claim {claim_number} shows my responsibility for {service} on "
    "{service_date} as {owed}, but your bill asks {asked}. {reason} Please adjust the bill to {owed}, "
    "put the difference in dispute status meanwhile, and confirm both in writing."
)
INSURER_SCRIPT = (
    "Hello, I'm calling about claim {claim_number} for member {member_id}. {provider_name} is billing "
    "me {asked} for {service} on {service_date}, although your Explanation of Benefits says my share "
    "is {owed}. Can you contact the provider about this balance bill and confirm that I owe only {owed}? "
    "Please give me a reference number for this call."
)
CREDIT_SCRIPT = (
    "Hello, I'm calling about my bill for {patient_name}, account {account_number}. I already paid "
    "{paid} on it, but the statement still asks {due}. My insurer's Explanation of Benefits for claim "
    "{claim_number} says I owe {owed} in all. Please apply my payment, send me a corrected statement, "
    "and put the difference in dispute status meanwhile. I can send my receipt."
)
SUBMIT_SCRIPT = (
    "Hello, I'm calling about my bill for {patient_name}, account {account_number}. The bill lists "
    "{items} that do not appear on my insurer's Explanation of Benefits for claim {claim_number}. "
    "Please bill these charges to my insurance and hold them until the insurer has processed them. "
    "Could you also send me an itemized bill?"
)


def _fill(template: str, **values: str) -> str:
    keep = {
        name: "{" + name + "}"
        for name in ("patient_name", "account_number", "claim_number", "member_id", "provider_name")
    }
    return template.format(**keep, **values)


def _dispute_actions(
    claim: Claim, line: ServiceLine | None, asked: int, owed: int, reason: str
) -> list[Action]:
    values = {
        "service": _service(line, "the services on this claim"),
        "service_date": _date(line, claim) if line else "the dates on the EOB",
        "asked": dollars(asked),
        "owed": dollars(owed),
    }
    return [
        Action(
            kind="dispute_bill",
            who="the provider's billing office (the phone number on the bill)",
            summary=f"Ask the provider to reduce the bill to the EOB's {dollars(owed)}.",
            script=_fill(PROVIDER_SCRIPT, reason=reason, **values),
            template="balance_billing_dispute",
        ),
        Action(
            kind="call_insurer",
            who="your insurer (the member services number on your card)",
            summary="If the provider insists, ask your insurer to intervene.",
            script=_fill(INSURER_SCRIPT, **values),
        ),
    ]


# --- per bill ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Asked:
    """What the bill asks for one EOB line (its matched bill lines together)."""

    eob_line: ServiceLine
    bill_lines: tuple[LineMatch, ...]
    asked: int
    confidence: Confidence


def _asked_per_line(match: BillMatch) -> list[_Asked]:
    result = []
    for eob_line in match.eob_lines:
        matched = tuple(m for m in match.for_eob_line(eob_line.id) if m.bill_line.patient_balance is not None)
        if not matched:
            continue
        asked = sum(int(m.bill_line.patient_balance or 0) for m in matched)
        confidence = weakest(match.confidence, *(m.confidence for m in matched))
        result.append(_Asked(eob_line, matched, asked, confidence))
    return result


def _line_findings(match: BillMatch, item: _Asked) -> Iterator[Finding]:
    claim, line = match.claim, item.eob_line
    owed = _owed(line)
    if owed is None:
        return
    in_network = _in_network(claim, line)
    # An in-network provider agreed to the allowance: a charge above it that the EOB itself counts
    # as "not covered" (INS001's case) is no more the patient's on the bill than on the EOB.
    above = not_covered_above_allowance(line) if in_network else 0
    excess = item.asked - (owed - above)
    repeated = any(m.repeat_of is not None for m in item.bill_lines)
    evidence = [
        _money(
            "bill.patient_balance",
            item.asked,
            owed - above,
            "the bill lists this service twice" if repeated else None,
        ),
        _money("patient_responsibility", owed),
        _money("allowed", line.allowed),
        _money("billed", line.billed),
        Evidence(field="match", value=", ".join(m.how or "" for m in item.bill_lines), note=match.how),
    ]
    service, day = _service(line), _date(line, claim)
    denial = denial_of(claim, line)
    liability = denial.provider_liability if denial is not None and denial.full else None
    if liability is not None and item.asked > 0:
        # A denial the provider must absorb is not the patient's, whatever share the EOB prints.
        printed = f" (the EOB prints {dollars(owed)} as your share, which is itself wrong)" if owed else ""
        yield DENIED_BILLED.finding(
            claim_id=claim.id,
            line_ids=[line.id],
            confidence=item.confidence,
            severity=_severity("error", item.confidence),
            title="Billed for a denial the provider must absorb",
            message=(
                f"The plan denied {service} on {day} and {liability}. The bill still asks "
                f"{dollars(item.asked)} for it; you should owe nothing for it{printed}."
            ),
            amount_at_stake=item.asked,
            evidence=evidence,
            actions=_dispute_actions(claim, line, item.asked, 0, f"The denial says {liability}."),
        )
        return
    if excess > 0:
        write_offs = _write_offs(line)
        written = f" The EOB writes off {', '.join(write_offs)} (not yours to pay)." if write_offs else ""
        if in_network:
            share = f"your share is {dollars(owed)}"
            if above:
                share += (
                    f", of which {dollars(above)} is above the allowed amount and so not yours either "
                    f"(you owe at most {dollars(owed - above)})"
                )
            yield IN_NETWORK_BALANCE_BILL.finding(
                claim_id=claim.id,
                line_ids=[line.id],
                confidence=item.confidence,
                severity=_severity("error", item.confidence),
                title="In-network provider bills more than the EOB allows",
                message=(
                    f"For {service} on {day} the bill asks {dollars(item.asked)}, but the EOB says "
                    f"{share}.{written} An in-network provider may not bill you the difference: "
                    f"{dollars(excess)}."
                ),
                amount_at_stake=excess,
                evidence=[
                    *evidence,
                    *(
                        [_money("not_covered", line.not_covered, note="above the allowed amount")]
                        if above
                        else []
                    ),
                    *split_evidence(*_above_and_inside(item.asked, owed, excess)),
                ],
                actions=_dispute_actions(
                    claim,
                    line,
                    item.asked,
                    owed - above,
                    "As an in-network provider you agreed to the plan's rate.",
                ),
            )
            return
        if load_nsa().protection(claim, line) is not None:
            yield PROTECTED_BALANCE_BILL.finding(
                claim_id=claim.id,
                line_ids=[line.id],
                confidence=item.confidence,
                severity=_severity("error", item.confidence),
                title="A balance bill the No Surprises Act forbids",
                message=(
                    f"For {service} on {day} the bill asks {dollars(item.asked)}, but the EOB says "
                    f"your share is {dollars(owed)}. The No Surprises Act protects this care: the "
                    f"provider may not bill you the {dollars(excess)} difference."
                ),
                amount_at_stake=excess,
                evidence=evidence,
                actions=[
                    *_dispute_actions(
                        claim, line, item.asked, owed, "The No Surprises Act protects this care."
                    ),
                    NSA_COMPLAINT,
                ],
            )
            return
        yield AMOUNT_MISMATCH.finding(
            claim_id=claim.id,
            line_ids=[line.id],
            confidence=item.confidence,
            title="The bill asks more than the EOB says you owe",
            message=(
                f"For {service} on {day} the bill asks {dollars(item.asked)}, but the EOB says your "
                f"share is {dollars(owed)}.{written} The provider is not known to be in network; ask "
                f"whether you are protected from the {dollars(excess)} difference."
            ),
            amount_at_stake=excess,
            evidence=evidence,
            actions=_dispute_actions(claim, line, item.asked, owed, "The bill does not match the EOB."),
        )
    elif excess < 0 and match.bill.amount_paid is None:
        yield AMOUNT_MISMATCH.finding(
            claim_id=claim.id,
            line_ids=[line.id],
            confidence=item.confidence,
            severity="info",
            title="The bill asks less than the EOB says you owe",
            message=(
                f"For {service} on {day} the bill asks {dollars(item.asked)} and the EOB says your "
                f"share is {dollars(owed)}. The provider may not have posted the insurer's decision "
                "yet: pay what the bill asks, and keep the EOB to check the next statement."
            ),
            amount_at_stake=0,
            evidence=evidence,
        )


def _not_submitted(match: BillMatch) -> Iterator[Finding]:
    missing = [m for m in match.unmatched if _asks_something(m)]
    if not missing:
        return
    at_stake = sum(int(m.bill_line.patient_balance or 0) for m in missing)
    items = ", ".join(_bill_item(m) for m in missing)
    confidence = weakest(match.confidence, *(m.confidence for m in missing))
    yield NOT_SUBMITTED.finding(
        claim_id=match.claim.id,
        confidence=confidence,
        title="Charges on the bill that are not on the EOB",
        message=(
            f"The bill lists {items}, which match no line of the EOB. They may never have been sent "
            f"to your insurer; ask the provider to bill your insurer before you pay "
            f"{dollars(at_stake)} for them."
        ),
        amount_at_stake=at_stake,
        evidence=[
            _money(f"bill.lines[{m.index}].patient_balance", m.bill_line.patient_balance, note=_bill_item(m))
            for m in missing
        ],
        actions=[
            Action(
                kind="call_provider",
                who="the provider's billing office (the phone number on the bill)",
                summary="Ask the provider to bill your insurer for these charges.",
                script=_fill(SUBMIT_SCRIPT, items=items),
            ),
            Action(
                kind="request_itemized_bill",
                who="the provider's billing office",
                summary="Ask for an itemized bill with codes, to compare with the EOB.",
                template="itemized_bill_request",
            ),
        ],
    )


def _asks_something(m: LineMatch) -> bool:
    """A balance above zero, or a charge when the bill prints no balance (credits are not asked)."""
    balance, charge = m.bill_line.patient_balance, m.bill_line.charge
    if balance is not None:
        return balance > 0
    return charge is not None and charge > 0


def _bill_item(m: LineMatch) -> str:
    line = m.bill_line
    what = f"code {line.code}" if line.code else (f'"{line.description}"' if line.description else m.label)
    day = f" on {line.service_date.isoformat()}" if line.service_date else ""
    amount = line.patient_balance if line.patient_balance is not None else line.charge
    return f"{what}{day} ({dollars(amount)})" if amount is not None else f"{what}{day}"


def _bill_total(bill: Bill) -> int | None:
    if bill.amount_due is None:
        return None
    return int(bill.amount_due) + int(bill.amount_paid or 0)


def _whole_bill(match: BillMatch) -> Iterator[Finding]:
    """A bill without line balances: its total against the claim's patient responsibility."""
    claim, bill = match.claim, match.bill
    asked, owed = _bill_total(bill), patient_share(claim)
    if asked is None or owed is None:
        return
    denials = [denial_of(claim, line) for line in match.eob_lines]
    liabilities = [d.provider_liability if d is not None and d.full else None for d in denials]
    provider_bears_all = bool(liabilities) and all(liabilities)
    if provider_bears_all:
        owed = 0  # a denial the provider must absorb is not the patient's, whatever the EOB prints
    excess = asked - owed
    paid = f" (including {dollars(bill.amount_paid)} you already paid)" if bill.amount_paid else ""
    line_ids = [line.id for line in match.eob_lines]
    evidence = _claim_evidence(bill, owed)
    overpaid = int(bill.amount_paid or 0) - max(owed, 0)
    refund = (
        f" You have already paid more than you owe: ask for a refund of {dollars(overpaid)}."
        if overpaid > 0
        else ""
    )
    if excess > 0:
        if provider_bears_all:
            rule, title = DENIED_BILLED, "Billed for a denial the provider must absorb"
            reason = f"The plan denied the claim and {liabilities[0]}."
        else:
            rule, title, reason = _whole_claim_rule(claim, match.eob_lines)
        yield rule.finding(
            claim_id=claim.id,
            line_ids=line_ids,
            confidence=match.confidence,
            severity=_severity(rule.severity, match.confidence),
            title=title,
            message=(
                f"The bill asks {dollars(asked)} in all{paid}; the EOB says you owe {dollars(owed)} for "
                f"this claim: {dollars(excess)} too much. {reason}{refund}"
            ),
            amount_at_stake=excess,
            evidence=[*evidence, *_claim_split(rule, excess)],
            actions=[
                *_dispute_actions(claim, None, asked, owed, reason),
                *([NSA_COMPLAINT] if rule is PROTECTED_BALANCE_BILL else []),
            ],
        )
    elif excess < 0 and bill.amount_paid is None:
        yield AMOUNT_MISMATCH.finding(
            claim_id=claim.id,
            line_ids=line_ids,
            confidence=match.confidence,
            severity="info",
            title="The bill asks less than the EOB says you owe",
            message=(
                f"The bill asks {dollars(asked)}; the EOB says you owe {dollars(owed)} for this claim. "
                "The provider may not have posted the insurer's decision yet: pay what the bill asks, "
                "and keep the EOB to check the next statement."
            ),
            amount_at_stake=0,
            evidence=evidence,
        )


def _whole_claim_rule(claim: Claim, lines: Sequence[ServiceLine]) -> tuple[Rule, str, str]:
    """The rule, title and reason of a bill judged against its claim as a whole, by who may not
    bill the difference: an in-network provider, a provider of protected care, or (not known)
    a mismatch to ask about."""
    if _in_network(claim, None):
        return (
            IN_NETWORK_BALANCE_BILL,
            "In-network provider bills more than the EOB allows",
            "An in-network provider may not bill you the difference.",
        )
    if _all_protected(claim, lines):
        return (
            PROTECTED_BALANCE_BILL,
            "A balance bill the No Surprises Act forbids",
            "The No Surprises Act protects this care: the provider may not bill you the difference.",
        )
    return (
        AMOUNT_MISMATCH,
        "The bill asks more than the EOB says you owe",
        "Ask the provider why, and your insurer whether you are protected from the difference.",
    )


def _claim_evidence(bill: Bill, owed: int) -> list[Evidence]:
    return [
        _money("bill.amount_due", bill.amount_due),
        _money("bill.amount_paid", bill.amount_paid),
        _money("patient_responsibility", owed, note="the EOB's total for the claim"),
    ]


def _payment_not_credited(match: BillMatch, line_findings: Sequence[Finding]) -> Iterator[Finding]:
    """A bill whose line balances ask the EOB's share although the patient already paid some of it.

    The line balances are what is still due (they add up to the amount due), so each can match
    the EOB and the bill still ask too much in all: the copay paid at the desk is asked again.
    What the line findings already claim is not claimed twice, so what is left is the payment
    itself (at most), on no line of the EOB (:data:`scanner.stake_layers.OFF_THE_EOB`).
    """
    claim, bill = match.claim, match.bill
    if not bill.amount_paid or bill.amount_due is None:
        return
    balances = [m.bill_line.patient_balance for m in match.lines]
    if any(b is None for b in balances) or sum(int(b or 0) for b in balances) != bill.amount_due:
        return  # balances before the payment, or not all printed: the lines say it all
    owed = patient_share(claim)
    if owed is None:
        return
    claimed = sum(int(f.amount_at_stake) for f in line_findings if f.severity != "info")
    asked = int(bill.amount_due) + int(bill.amount_paid)
    excess = asked - owed - claimed
    if excess <= 0:
        return
    yield PAYMENT_NOT_CREDITED.finding(
        claim_id=claim.id,
        confidence=match.confidence,
        severity=_severity(PAYMENT_NOT_CREDITED.severity, match.confidence),
        title="Your payment was not credited",
        message=(
            f"The bill still asks {dollars(bill.amount_due)} although you already paid "
            f"{dollars(bill.amount_paid)}, and the EOB says you owe {dollars(owed)} for this claim: "
            f"{dollars(excess)} of your payment is asked again. Ask the provider to credit it."
        ),
        amount_at_stake=excess,
        evidence=_claim_evidence(bill, owed),
        actions=[_credit_action(bill.amount_paid, bill.amount_due, owed)],
    )


def _credit_action(paid: int, due: int, owed: int) -> Action:
    """A payment not applied is the billing office's to fix, with the receipt: the insurer has
    nothing to do with it, so the one action is the call (and the letter) to the provider."""
    return Action(
        kind="dispute_bill",
        who="the provider's billing office (the phone number on the bill)",
        summary=f"Ask the provider to apply your {dollars(paid)} payment and correct the bill.",
        script=_fill(CREDIT_SCRIPT, paid=dollars(paid), due=dollars(due), owed=dollars(owed)),
        template="balance_billing_dispute",
    )


def _above_estimate(
    bill: Bill, claim_id: str, confidence: Confidence, bill_id: str | None = None
) -> Iterator[Finding]:
    """A self-pay bill $400+ above its good faith estimate; for a bill that no claim of the
    scan matches (usual for self-pay care), the finding points at the bill alone."""
    if not bill.self_pay or bill.good_faith_estimate is None:
        return
    charges = [line.charge for line in bill.lines]
    if charges and all(c is not None for c in charges):
        billed = sum(int(c or 0) for c in charges)
    else:
        total = _bill_total(bill)
        if total is None:
            return
        billed = total
    excess = billed - bill.good_faith_estimate
    if excess < GFE_DISPUTE_THRESHOLD:
        return
    deadline = good_faith_estimate_dispute(bill.statement_date) if bill.statement_date else None
    when = (
        f"Start the dispute by {deadline.due.isoformat()} (120 days from the bill's date)."
        if deadline
        else "Start the dispute within 120 days of the date on the bill."
    )
    yield ABOVE_ESTIMATE.finding(
        claim_id=claim_id,
        bill_id=bill_id,
        confidence=confidence,
        title="Bill $400 or more above your good faith estimate",
        message=(
            f"The bill's charges total {dollars(billed)}, {dollars(excess)} above the good faith "
            f"estimate of {dollars(bill.good_faith_estimate)}. You can use the patient-provider "
            f"dispute process. {when}"
        ),
        amount_at_stake=excess,
        evidence=[
            _money("bill.charges", billed, bill.good_faith_estimate, "at most $400.00 above the estimate"),
            Evidence(
                field="bill.statement_date",
                value=bill.statement_date.isoformat() if bill.statement_date else None,
            ),
        ],
        actions=[
            Action(
                kind="dispute_bill",
                who="the provider's billing office, then the patient-provider dispute process (CMS)",
                summary="Ask to be billed the estimate; if refused, start the patient-provider dispute.",
                script=(
                    "Hello, I'm calling about my bill for {patient_name}, account {account_number}. "
                    f"Your good faith estimate was {dollars(bill.good_faith_estimate)} and the bill is "
                    f"{dollars(billed)}, {dollars(excess)} more. Please rebill me at the estimate; "
                    "otherwise I will start the patient-provider dispute process. Please hold the "
                    "account meanwhile."
                ),
                deadline=deadline.due if deadline else None,
            )
        ],
    )


def _pay_undisputed(match: BillMatch, disputed: int) -> Iterator[Finding]:
    bill = match.bill
    if disputed <= 0:
        return
    balances = [m.bill_line.patient_balance for m in match.lines if m.bill_line.patient_balance is not None]
    due = bill.amount_due if bill.amount_due is not None else (sum(balances) if balances else None)
    if due is not None:
        undisputed = max(int(due) - disputed, 0)
        plan = (
            f"Pay {dollars(undisputed)}, the part of the {dollars(due)} balance you do not dispute, and "
            if undisputed
            else "Pay nothing yet: the whole balance is disputed. "
        )
    else:
        undisputed, plan = 0, "Pay the part of the bill you do not dispute, and "
    yield PAY_UNDISPUTED.finding(
        claim_id=match.claim.id,
        confidence=match.confidence,
        title="Pay the undisputed part; put the rest in dispute status",
        message=(
            f"{plan}ask the provider in writing to put the disputed {dollars(disputed)} in dispute "
            "status, which should pause collections. Keep their written confirmation."
        ),
        amount_at_stake=0,
        evidence=[
            _money("undisputed", undisputed if due is not None else None),
            _money("disputed", disputed),
        ],
        actions=[
            Action(
                kind="pay_undisputed",
                who="the provider's billing office",
                summary=(
                    f"Pay {dollars(undisputed) if due is not None else 'the undisputed part'} and ask "
                    f"in writing for dispute status on {dollars(disputed)}."
                ),
            )
        ],
    )


def bill_findings(match: BillMatch) -> list[Finding]:
    """Everything the rules say about one matched bill, each finding naming the bill (``bill_id``):
    with a hospital's statement and a collector's letter for one claim, the patient must know
    which of the two asks too much."""
    return [msgspec.structs.replace(f, bill_id=match.bill.id) for f in _about_the_bill(match)]


def _about_the_bill(match: BillMatch) -> list[Finding]:
    found: list[Finding] = list(_above_estimate(match.bill, match.claim.id, match.confidence))
    if not match.bill.self_pay:
        per_line = _asked_per_line(match)
        if per_line:
            for item in per_line:
                found.extend(_line_findings(match, item))
            found.extend(_payment_not_credited(match, found))
        elif not any(m.bill_line.patient_balance is not None for m in match.lines):
            found.extend(_whole_bill(match))
        found.extend(_not_submitted(match))
    disputed = sum(int(f.amount_at_stake) for f in found if f.severity != "info")
    found.extend(_pay_undisputed(match, disputed))
    return found


class BalanceBillingCheck:
    """Each bill of the scan against the EOB it belongs to."""

    name = CHECK
    version = VERSION
    rules: Sequence[Rule] = (
        IN_NETWORK_BALANCE_BILL,
        NOT_SUBMITTED,
        AMOUNT_MISMATCH,
        DENIED_BILLED,
        ABOVE_ESTIMATE,
        PAY_UNDISPUTED,
        PROTECTED_BALANCE_BILL,
        PAYMENT_NOT_CREDITED,
    )

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        matched: set[str] = set()
        for match in match_bills(context.bills, claims):
            matched.add(match.bill.id)
            yield from bill_findings(match)
        for bill in context.bills:
            if bill.id not in matched:
                yield from _above_estimate(bill, "", "high", bill_id=bill.id)


@hookimpl
def eobscan_register_checks(register: Callable[[object], None]) -> None:
    register(BalanceBillingCheck())
