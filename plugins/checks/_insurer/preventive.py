"""Preventive care charged as if it were diagnostic (PRV rules).

A non-grandfathered plan must cover in-network preventive services with no deductible, copay or
coinsurance (45 CFR 147.130). Whether a line is preventive depends on its code, its modifiers and
its first diagnosis (see :mod:`scanner.reference.preventive`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from plugins.checks._insurer.common import (
    call_insurer,
    capped,
    cost_sharing,
    date_text,
    make_rule,
    money_evidence,
    service,
    service_date,
)
from plugins.checks._network.wording import SITUATIONS
from scanner.deadlines import appeal_due, is_medicare_claim
from scanner.model import (
    COMBINED_FIELDS,
    Action,
    Claim,
    Confidence,
    Evidence,
    Finding,
    Plan,
    RuleDocs,
    ServiceLine,
)
from scanner.money import dollars
from scanner.networks import billing_network, line_network
from scanner.reference.citations import cite
from scanner.reference.nsa import NsaTables, Protection
from scanner.reference.preventive import (
    COLONOSCOPY_COMPANIONS,
    PREVENTIVE_MODIFIERS,
    SCREENING_COLONOSCOPIES,
    PreventiveEntry,
    PreventiveTable,
    normalize_procedure,
)

REFERENCES = [cite("aca-preventive"), cite("aca-grandfathered")]

PREVENTIVE_COST_SHARED = make_rule(
    "PRV001",
    "preventive-care-cost-shared",
    "error",
    "A preventive service from an in-network provider was charged a deductible, copay or coinsurance.",
    RuleDocs(
        what_it_checks=(
            "Lines whose procedure code is a preventive service (well visits 99381-99397, Medicare "
            "wellness visits G0438/G0439, screening mammography 77067, a screening colonoscopy "
            "with modifier 33 or PT or a Z12.11 diagnosis, vaccines and their administration, the "
            "USPSTF screenings), coded as preventive (modifier 33/PT or a preventive diagnosis "
            "first), processed in network, that still show a deductible, copay or coinsurance. "
            "Two out-of-network lines count as in network: a line of an in-network provider that "
            "the insurer processed out of network, and care the No Surprises Act limits to "
            "in-network cost sharing (the anesthesia of a screening colonoscopy by an "
            "out-of-network anesthesiologist at an in-network centre, emergency care); in network, "
            "preventive care owes nothing, so all their cost sharing is at stake. "
            "Removing a polyp during a screening colonoscopy, its pathology and the anesthesia "
            "for it (00811, 00812, 88305) are part of the screening: they count as preventive when "
            "they carry modifier 33/PT or when a colonoscopy coded as a screening was done the "
            "same day for the same person, on any claim of the scan (anesthesia and pathology "
            "come from other providers, on claims of their own). Under Medicare (a plan that "
            "names itself so), modifier PT (a screening that became diagnostic) waives only the "
            "deductible: its coinsurance is lawful while it is phased down to zero by 2030, so "
            "only a deductible is reported there. Under other plans a screening that removed a "
            "polyp stays a screening, with no cost sharing at all."
        ),
        why_it_matters=(
            "The Affordable Care Act requires non-grandfathered plans to cover these services in "
            "network with no cost sharing at all. Insurers often apply the deductible anyway, "
            "for instance when a polyp was removed or when the claim lost its preventive coding."
        ),
        example=(
            "Screening colonoscopy 45385 with modifier 33 and diagnosis Z12.11, in network: "
            "deductible $350.00 applied. All $350.00 is at stake."
        ),
        what_to_do=(
            "Call the insurer, say the service was preventive (give the code, the modifier and the "
            "diagnosis) and ask for reprocessing with no cost sharing. If they refuse, file an "
            "internal appeal citing 45 CFR 147.130. A grandfathered plan is exempt: ask if yours "
            "is. Frequency, age and sex limits of the recommendation still apply."
        ),
        references=REFERENCES,
    ),
)

PREVENTIVE_CODE_PROBLEM_DIAGNOSIS = make_rule(
    "PRV002",
    "preventive-code-with-problem-diagnosis",
    "warning",
    "A preventive service was cost-shared because a problem diagnosis was listed first.",
    RuleDocs(
        what_it_checks=(
            "Lines with a preventive procedure code, processed in network with cost sharing, "
            "whose first diagnosis is a problem (not a screening or wellness code) while the "
            "service is a screening or a preventive diagnosis appears further down."
        ),
        why_it_matters=(
            "Insurers decide 'preventive or diagnostic' from the diagnosis order. A routine "
            "screening coded with a symptom first is processed as diagnostic and charged, even "
            "when you went for the screening. Sometimes that is correct (the visit really was "
            "about a problem), so this is a question to ask, not an error."
        ),
        example=(
            "Screening mammography 77067 with N63.0 (breast lump) first and Z12.31 second: "
            "coinsurance $38.00 charged. Ask whether it was coded as diagnostic."
        ),
        what_to_do=(
            "Ask the provider's billing office whether the visit was coded as diagnostic. If it "
            "was a routine screening, ask them to correct the diagnosis order (or add modifier 33) "
            "and resubmit; then ask the insurer to reprocess."
        ),
        references=REFERENCES,
    ),
)

PREVENTIVE_OUT_OF_NETWORK = make_rule(
    "PRV003",
    "preventive-care-out-of-network",
    "info",
    "A preventive service from an out-of-network provider was cost-shared; ask whether an "
    "in-network provider was available.",
    RuleDocs(
        what_it_checks=(
            "Preventive services (coded as such) from an out-of-network provider, processed at the "
            "out-of-network level with a deductible, copay or coinsurance, when the No Surprises "
            "Act does not protect the care (protected care is PRV001)."
        ),
        why_it_matters=(
            "The no-cost-sharing rule applies in network, so out-of-network cost sharing is "
            "usually allowed. But when the plan has no in-network provider who can give the "
            "service, it must cover the out-of-network one without cost sharing."
        ),
        example=(
            "Out-of-network screening mammography 77067 with Z12.31: coinsurance $64.00. If no "
            "in-network imaging centre offered it, the $64.00 can be waived."
        ),
        what_to_do=(
            "If you could not find an in-network provider for this service, tell the insurer and "
            "ask for reprocessing without cost sharing (a network gap exception)."
        ),
        references=REFERENCES,
    ),
)

#: The reason text of a line marked with Medicare's PT modifier.
MEDICARE_PT = "modifier PT"

RULES = (PREVENTIVE_COST_SHARED, PREVENTIVE_CODE_PROBLEM_DIAGNOSIS, PREVENTIVE_OUT_OF_NETWORK)

#: Modifier 25 marks a separately identifiable problem visit on the day of a preventive one:
#: that part is lawfully cost-shared.
PROBLEM_VISIT_MODIFIER = "25"


@dataclass(frozen=True)
class Reading:
    """How a line reads: preventive (and why) or a preventive code led by a problem diagnosis."""

    entry: PreventiveEntry
    verdict: Literal["preventive", "problem_first"]
    reason: str
    certain: bool


#: The days on which a member had a colonoscopy coded as a screening: ``(member, day)``.
ScreeningDays = frozenset[tuple[str, dt.date]]


def screening_colonoscopy_days(claims: Sequence[Claim], table: PreventiveTable) -> ScreeningDays:
    """When each member had a screening colonoscopy: that day's anesthesia and pathology belong
    to it, even on another provider's claim."""
    days: set[tuple[str, dt.date]] = set()
    for claim in claims:
        for line in claim.lines:
            day = service_date(claim, line)
            if day is None or normalize_procedure(line.code or "") not in SCREENING_COLONOSCOPIES:
                continue
            reading = read_line(line, table)
            if reading is not None and reading.verdict == "preventive":
                days.add((claim.member, day))
    return frozenset(days)


def read_in_context(
    claim: Claim, line: ServiceLine, table: PreventiveTable, screening_days: ScreeningDays
) -> Reading | None:
    """The line's own reading, unless it is the anesthesia or pathology of a screening colonoscopy
    that the line itself does not mark as such."""
    reading = read_line(line, table)
    if reading is not None and reading.certain:
        return reading
    entry = table.procedure(line.code)
    day = service_date(claim, line)
    if (
        entry is not None
        and day is not None
        and normalize_procedure(line.code or "") in COLONOSCOPY_COMPANIONS
        and (claim.member, day) in screening_days
        and PROBLEM_VISIT_MODIFIER not in {m.strip().upper() for m in line.modifiers}
    ):
        return Reading(entry, "preventive", f"part of the screening colonoscopy on {day.isoformat()}", False)
    return reading


def read_line(line: ServiceLine, table: PreventiveTable) -> Reading | None:
    entry = table.procedure(line.code)
    modifiers = {m.strip().upper() for m in line.modifiers}
    if entry is None or PROBLEM_VISIT_MODIFIER in modifiers:
        return None
    marked = sorted(modifiers & PREVENTIVE_MODIFIERS)
    if marked:
        return Reading(entry, "preventive", f"modifier {marked[0]}", True)
    diagnoses = [d for d in line.diagnoses if d.strip()]
    if diagnoses and table.is_preventive_diagnosis(diagnoses[0]):
        return Reading(entry, "preventive", f"diagnosis {diagnoses[0]}", True)
    if not diagnoses and entry.context == "screening":
        return Reading(entry, "preventive", "a preventive procedure code (no diagnosis printed)", False)
    if diagnoses and (
        entry.context == "screening" or any(table.is_preventive_diagnosis(d) for d in diagnoses)
    ):
        return Reading(
            entry, "problem_first", f"the problem diagnosis {diagnoses[0]} was listed first", False
        )
    return None


def _named_parts(line: ServiceLine) -> list[tuple[str, int | None]]:
    """The cost-sharing columns as printed; the combined one only on EOBs that print it."""
    named: list[tuple[str, int | None]] = [
        ("deductible", line.deductible),
        ("copay", line.copay),
        ("coinsurance", line.coinsurance),
    ]
    for name in COMBINED_FIELDS:
        value = getattr(line, name)
        if value is not None:
            named.append((name, value))
    return named


def _parts(line: ServiceLine) -> str:
    return ", ".join(
        f"{name.replace('_', ' ')} {dollars(value)}" for name, value in _named_parts(line) if value
    )


def _evidence(line: ServiceLine, reading: Reading) -> list[Evidence]:
    return [
        Evidence(field="code", value=line.code, note=reading.entry.description),
        Evidence(field="modifiers", value=",".join(line.modifiers) or None),
        Evidence(field="diagnoses", value=",".join(line.diagnoses) or None, note=reading.reason),
        *(money_evidence(name, value, 0 if value else None) for name, value in _named_parts(line)),
    ]


def _appeal(claim: Claim) -> Action:
    deadline = appeal_due(claim)
    return Action(
        kind="appeal_internal",
        who="your insurer (appeals address on the EOB)",
        summary="If the insurer will not reprocess, file an internal appeal citing 45 CFR 147.130.",
        script=None,
        deadline=deadline,
        template="appeal_internal_level1",
    )


def _ask_provider(claim: Claim, line: ServiceLine, reading: Reading) -> Action:
    return Action(
        kind="call_provider",
        who="the provider's billing office",
        summary="Ask whether the service was coded as diagnostic, and to correct it if it was a screening.",
        script=(
            "Hello, I'm calling about the visit of {patient_name} on "
            f"{date_text(service_date(claim, line))} ({service(line)}). My insurer processed it "
            f"as diagnostic because {reading.reason}. It was a routine preventive visit: was it "
            "coded as diagnostic? If not, could you correct the diagnosis order or add modifier "
            "33 and resubmit the claim to my insurer?"
        ),
        template=None,
    )


def owes_nothing_in_network(
    claim: Claim,
    line: ServiceLine,
    plan: Plan | None,
    table: PreventiveTable,
    screening_days: ScreeningDays = frozenset(),
) -> bool:
    """In network, the line would cost the patient nothing: preventive care (read in context) on
    a plan that is not grandfathered, except Medicare's PT screenings, whose coinsurance stays."""
    if plan is not None and plan.grandfathered:
        return False
    reading = read_in_context(claim, line, table, screening_days)
    if reading is None or reading.verdict != "preventive":
        return False
    return not (reading.reason == MEDICARE_PT and is_medicare_claim(claim))


def preventive_findings(
    claim: Claim,
    line: ServiceLine,
    plan: Plan | None,
    table: PreventiveTable,
    nsa: NsaTables,
    screening_days: ScreeningDays = frozenset(),
) -> Iterator[Finding]:
    """PRV001-PRV003 for one line. A line processed out of network still owes in-network cost
    sharing, nothing for preventive care, when its provider is in network or the No Surprises Act
    protects it; only other out-of-network care is the network-gap question (PRV003)."""
    shared = cost_sharing(line)
    if line.denied or shared <= 0 or (plan is not None and plan.grandfathered):
        return
    reading = read_in_context(claim, line, table, screening_days)
    network = line_network(claim, line)
    if reading is None or network == "unknown":
        return
    if reading.verdict == "problem_first":
        if network == "in":
            yield _problem_first(claim, line, reading)
        return
    processed_out = network != "in"
    # Out of network, the provider's own network or the law decides what was owed in network.
    out_of_network_provider = processed_out and billing_network(claim) != "in"
    protection = nsa.protection(claim, line) if out_of_network_provider else None
    if out_of_network_provider and protection is None:
        yield _out_of_network(claim, line, reading)
    elif reading.reason == MEDICARE_PT and is_medicare_claim(claim):
        if line.deductible:
            yield _medicare_pt_deductible(claim, line, reading)
    else:
        yield _cost_shared(claim, line, plan, reading, processed_out=processed_out, protection=protection)


def _medicare_pt_deductible(claim: Claim, line: ServiceLine, reading: Reading) -> Finding:
    """Modifier PT (Medicare): the deductible is waived, the coinsurance is not (yet)."""
    deductible = line.deductible or 0
    at_stake = capped(deductible, line)
    return PREVENTIVE_COST_SHARED.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        title="Deductible on a screening that became diagnostic",
        message=(
            f"{_what(claim, line, reading)} carries modifier PT: a colorectal cancer screening "
            f"that became diagnostic or removed a polyp. Medicare waives the deductible for it, "
            f"yet {dollars(deductible)} was applied to the deductible. (Its coinsurance is lawful "
            "while it is phased down to zero by 2030.)"
        ),
        amount_at_stake=at_stake,
        evidence=[Evidence(field="modifiers", value="PT"), money_evidence("deductible", deductible, 0)],
        actions=[
            call_insurer(claim, line, f"{dollars(deductible)} of deductible on a screening with modifier PT"),
            _appeal(claim),
        ],
    )


def _what(claim: Claim, line: ServiceLine, reading: Reading) -> str:
    """``Code 77067 (screening mammography, both breasts) on 2026-06-02``."""
    description = reading.entry.description[0].lower() + reading.entry.description[1:]
    return f"{service(line).capitalize()} ({description}) on {date_text(service_date(claim, line))}"


def _caveat(plan: Plan | None) -> str:
    if plan is not None:
        return ""
    return (
        " We assumed your plan is not grandfathered (most plans are not); a grandfathered plan "
        "may charge for preventive care."
    )


def _cost_shared(
    claim: Claim,
    line: ServiceLine,
    plan: Plan | None,
    reading: Reading,
    *,
    processed_out: bool = False,
    protection: Protection | None = None,
) -> Finding:
    """PRV001. A line processed out of network owes in-network cost sharing when its provider is
    in network (no ``protection``) or when the No Surprises Act protects it: in network,
    preventive care owes nothing."""
    at_stake = capped(cost_sharing(line), line)
    confidence: Confidence = "high" if plan is not None and reading.certain else "medium"
    charged = f"{dollars(at_stake)} ({_parts(line)})"
    rule = "preventive services must be covered with no deductible, copay or coinsurance."
    what = f"{_what(claim, line, reading)} is preventive ({reading.reason})"
    if not processed_out:
        message = f"{what} and was given in network, yet you were charged {charged}. {rule.capitalize()}"
    elif protection is None:
        message = (
            f"{what}. The provider is in your plan's network, yet the line was processed out of "
            f"network and you were charged {charged}. In network, {rule}"
        )
    else:
        confidence = "medium"  # whether the law protects the care is read from roles and codes
        message = (
            f"{what}. It was processed out of network and you were charged {charged}, but it is "
            f"{SITUATIONS[protection]}: the No Surprises Act lets the plan charge only "
            f"in-network cost sharing, and in network, {rule}"
        )
    problem = f"cost sharing ({_parts(line)}) on a preventive service ({reading.reason})"
    return PREVENTIVE_COST_SHARED.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence=confidence,
        title="Preventive care should cost you nothing",
        message=message + _caveat(plan),
        amount_at_stake=at_stake,
        evidence=_evidence(line, reading),
        actions=[call_insurer(claim, line, problem), _appeal(claim)],
    )


def _problem_first(claim: Claim, line: ServiceLine, reading: Reading) -> Finding:
    at_stake = capped(cost_sharing(line), line)
    return PREVENTIVE_CODE_PROBLEM_DIAGNOSIS.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="low",
        title="Preventive service processed as diagnostic: ask how it was coded",
        message=(
            f"{_what(claim, line, reading)} is a preventive service, but {reading.reason}, so the "
            f"insurer charged you {dollars(at_stake)} ({_parts(line)}). Ask whether it was coded as "
            "diagnostic; if the visit was a routine screening, the coding can be corrected."
        ),
        amount_at_stake=at_stake,
        evidence=_evidence(line, reading),
        actions=[_ask_provider(claim, line, reading)],
    )


def _out_of_network(claim: Claim, line: ServiceLine, reading: Reading) -> Finding:
    at_stake = capped(cost_sharing(line), line)
    problem = (
        f"out-of-network cost sharing ({_parts(line)}) on a preventive service for which I could not "
        "find an in-network provider"
    )
    return PREVENTIVE_OUT_OF_NETWORK.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="low",
        title="Out-of-network preventive care: ask about a network gap",
        message=(
            f"{_what(claim, line, reading)} is a preventive service, processed out of network with "
            f"{dollars(at_stake)} of cost sharing. That is usually allowed, unless no in-network "
            "provider could give the service: then the plan must waive it."
        ),
        amount_at_stake=at_stake,
        evidence=_evidence(line, reading),
        actions=[call_insurer(claim, line, problem, template="network_gap_exception")],
    )
