"""The network check's rules and their documentation pages."""

from __future__ import annotations

from scanner.checks import rule_maker
from scanner.model import RuleDocs
from scanner.reference.citations import cite

CHECK = "network"
VERSION = "1.0"


_rule = rule_maker(CHECK, "network")


IN_NETWORK_PROCESSED_OUT = _rule(
    "NET001",
    "in-network-provider-processed-out-of-network",
    "error",
    "An in-network provider's line was processed at the out-of-network level.",
    RuleDocs(
        what_it_checks=(
            "Lines processed at the out-of-network level although the provider (or, for a facility "
            "claim, the facility) is marked in network. The amount at stake is the cost sharing "
            "charged minus the in-network cost sharing (the line's deductible, the plan's in-network "
            "copay for the kind of visit, the plan's in-network coinsurance on the rest of the "
            "allowed amount, or for an office visit charged only coinsurance the plan's copay when "
            "larger; none at all for preventive care, and never more than was left of the "
            "in-network deductible and out-of-pocket maximum before the scan's first claim), plus "
            "anything charged above the cost sharing. Without the plan's rates, the whole amount "
            "you are asked to pay is at stake, with medium confidence."
        ),
        why_it_matters=(
            "Out-of-network processing of an in-network provider is one of the most common insurer "
            "errors: an outdated directory, a new practice location, a provider number that did not "
            "match. It raises your coinsurance, sends the cost sharing to the wrong accumulator, and "
            "may let the provider bill you more than the contracted rate."
        ),
        example=(
            "An in-network specialist's visit: allowed $200.00, processed out of network with 50% "
            "coinsurance ($100.00). Your plan's in-network coinsurance is 20%, $40.00: $60.00 is at "
            "stake."
        ),
        what_to_do=(
            "Call the insurer and ask for the line to be reprocessed at the in-network level; ask "
            "the provider's office to confirm its network status for the date of service. Do not "
            "pay the difference meanwhile."
        ),
        references=[cite("erisa-claims-procedure"), cite("aca-appeals-external-review")],
    ),
)

EMERGENCY_OUT_OF_NETWORK = _rule(
    "NET002",
    "emergency-care-charged-out-of-network",
    "error",
    "Emergency care was charged out-of-network cost sharing or a balance.",
    RuleDocs(
        what_it_checks=(
            "Emergency care (the EOB's emergency flag, place of service 23, emergency room revenue "
            "codes 045x, emergency department visit codes 99281-99285, or the insurer's remark N864) "
            "from an out-of-network provider or facility, when the line charges more than in-network "
            "cost sharing: out-of-network cost sharing, or a balance above the cost sharing (for "
            "example a PR-45 'charges exceed the allowance' amount, or a not-covered amount above "
            "the allowance). The excess is at stake. When the EOB does not say whether the provider "
            "was in network, only a balance above the allowance is reported: in network or out, no "
            "one may bill emergency care above it. A consent remark (N882) on the emergency visit "
            "itself changes nothing: a consent may waive only care after you were stable. A ground "
            "ambulance is not emergency care the law protects, even on the way to the emergency "
            "room (see NET004)."
        ),
        why_it_matters=(
            "Under the No Surprises Act, emergency care is covered without prior authorization and "
            "at in-network cost sharing wherever you went, and neither the hospital nor its doctors "
            "may bill you the difference. That cost sharing also counts toward your in-network "
            "deductible and out-of-pocket maximum."
        ),
        example=(
            "An out-of-network emergency physician: allowed $800.00, you are charged 50% "
            "coinsurance ($400.00) and a $600.00 balance. In-network coinsurance of 20% would be "
            "$160.00: $240.00 + $600.00 = $840.00 is at stake."
        ),
        what_to_do=(
            "Ask the insurer to reprocess the line at the in-network level. Tell the provider that "
            "the balance is prohibited and ask them to remove it; if they keep billing it, file a "
            "complaint with the No Surprises Help Desk (1-800-985-3059)."
        ),
        references=[
            cite("nsa-plan-emergency"),
            cite("nsa-emergency"),
            cite("nsa-complaints"),
            cite("nsa-provider-complaints"),
        ],
    ),
)

ANCILLARY_OUT_OF_NETWORK = _rule(
    "NET003",
    "ancillary-provider-charged-out-of-network",
    "error",
    "An out-of-network ancillary provider at an in-network facility charged out-of-network prices.",
    RuleDocs(
        what_it_checks=(
            "Non-emergency care at an in-network facility by an out-of-network anesthesiologist, "
            "pathologist, radiologist, neonatologist, assistant surgeon, hospitalist, intensivist, "
            "emergency physician or laboratory (by the provider's role, or by the procedure code "
            "when the role is not printed), when the line charges more than in-network cost sharing "
            "or a balance. The excess is at stake. The facility is a hospital, a hospital outpatient "
            "department or an ambulatory surgical center (place of service 19, 21-24, or not "
            "printed): the law does not cover an office, an urgent care centre or a lab of its own."
        ),
        why_it_matters=(
            "You choose the hospital or surgery center, not who reads your scan or puts you to "
            "sleep. The No Surprises Act therefore limits these clinicians to in-network cost "
            "sharing, and a consent form cannot waive that protection."
        ),
        example=(
            "An out-of-network anesthesiologist during surgery at an in-network hospital: allowed "
            "$1,200.00, charged 40% ($480.00). In-network coinsurance of 20% is $240.00: $240.00 is "
            "at stake."
        ),
        what_to_do=(
            "Ask the insurer to reprocess the line at the in-network level, and the provider to "
            "remove any balance. If the provider keeps billing it, file a complaint with the No "
            "Surprises Help Desk (1-800-985-3059)."
        ),
        references=[
            cite("nsa-plan-nonemergency-facility"),
            cite("nsa-nonemergency-facility"),
            cite("nsa-complaints"),
            cite("nsa-provider-complaints"),
        ],
    ),
)

AIR_AMBULANCE_OUT_OF_NETWORK = _rule(
    "NET004",
    "air-ambulance-charged-out-of-network",
    "error",
    "An out-of-network air ambulance charged more than in-network cost sharing.",
    RuleDocs(
        what_it_checks=(
            "Air ambulance lines (the provider's role, HCPCS A0430, A0431, A0435, A0436, or the "
            "insurer's remark N866) from an out-of-network provider, when the line charges more than "
            "in-network cost sharing or a balance. The excess is at stake. Ground ambulances are "
            "not covered by the federal law (some states protect them)."
        ),
        why_it_matters=(
            "Air ambulance bills are among the largest surprise bills. The No Surprises Act limits "
            "you to in-network cost sharing and forbids the provider to bill the rest."
        ),
        example=(
            "A helicopter transport: allowed $30,000.00, charged 30% ($9,000.00) plus a $12,000.00 "
            "balance. In-network coinsurance of 20% is $6,000.00: $3,000.00 + $12,000.00 = "
            "$15,000.00 is at stake."
        ),
        what_to_do=(
            "Ask the insurer to reprocess at the in-network level; refuse the balance and, if it is "
            "still billed, complain to the No Surprises Help Desk (1-800-985-3059)."
        ),
        references=[
            cite("nsa-plan-air-ambulance"),
            cite("nsa-air-ambulance-balance-billing"),
            cite("nsa-complaints"),
            cite("nsa-provider-complaints"),
        ],
    ),
)

FACILITY_OUT_OF_NETWORK = _rule(
    "NET005",
    "out-of-network-provider-at-in-network-facility",
    "warning",
    "An out-of-network clinician at an in-network facility charged out-of-network prices.",
    RuleDocs(
        what_it_checks=(
            "Non-emergency care at an in-network facility by an out-of-network provider who is not "
            "an ancillary provider (a surgeon, a consulting specialist), when the line charges more "
            "than in-network cost sharing or a balance, and the insurer did not mark a valid consent "
            "(remark N882). The excess is at stake. As for NET003, the facility is a hospital, its "
            "outpatient department or an ambulatory surgical center."
        ),
        why_it_matters=(
            "These clinicians are protected by the No Surprises Act unless you signed a notice and "
            "consent form at least 72 hours before the care (3 hours for care booked less than 72 "
            "hours ahead). Many patients never did, or signed one that does not meet the rules."
        ),
        example=(
            "An out-of-network surgeon at an in-network hospital: allowed $2,000.00, charged 50% "
            "($1,000.00); in-network 20% is $400.00: $600.00 is at stake unless you gave valid "
            "consent."
        ),
        what_to_do=(
            "Ask the provider whether you signed a consent form and for a copy. If you did not, ask "
            "the insurer to reprocess at the in-network level and refuse any balance; if no "
            "in-network provider was available, ask the insurer for a network gap exception."
        ),
        references=[
            cite("nsa-plan-nonemergency-facility"),
            cite("nsa-nonemergency-facility"),
            cite("nsa-complaints"),
        ],
    ),
)

REMARK_PROTECTION_IGNORED = _rule(
    "NET006",
    "surprise-billing-remark-ignored",
    "error",
    "The insurer's remark says surprise-billing protections apply, yet the line charges more.",
    RuleDocs(
        what_it_checks=(
            "Lines whose remark codes say the No Surprises Act or a surprise-billing law applies "
            "(N830, N859, N865, N878, N879) but that still charge out-of-network cost sharing or a "
            "balance above the cost sharing, when no other network rule already covers the line. "
            "N878 and N879 mean balance billing is prohibited outright."
        ),
        why_it_matters=(
            "The insurer itself says the protections apply. Any amount above your in-network cost "
            "sharing on such a line is not yours to pay."
        ),
        example=(
            "A line with remark N879, processed in network, whose patient responsibility includes "
            "$350.00 under PR-45 (charges above the allowance): $350.00 is at stake."
        ),
        what_to_do=(
            "Point the insurer and the provider at the remark code; ask for a corrected EOB and for "
            "the balance to be removed. If the provider insists, complain to the No Surprises Help "
            "Desk (1-800-985-3059)."
        ),
        references=[
            cite("nsa-provider-balance-billing"),
            cite("nsa-complaints"),
            cite("nsa-provider-complaints"),
        ],
    ),
)

NSA_NOT_APPLIED = _rule(
    "NET007",
    "no-surprises-act-not-applied",
    "warning",
    "The insurer says it did not apply the No Surprises Act (remark N885); you may appeal.",
    RuleDocs(
        what_it_checks=(
            "Lines with remark N885: the payer disagrees that the No Surprises Act applies, so it "
            "used out-of-network rules. When the line's excess over in-network cost sharing can be "
            "computed, it is at stake. (When the EOB itself shows protected care, NET002-NET006 "
            "report the line instead, with the appeal.)"
        ),
        why_it_matters=(
            "A payer's view that the law does not apply is an adverse decision you can appeal. If "
            "the care was an emergency, an air ambulance, or given during a visit to an in-network "
            "facility, you are likely owed in-network cost sharing."
        ),
        example=(
            "Remark N885 on an out-of-network line charged $450.00 in coinsurance where in-network "
            "coinsurance would be $180.00: $270.00 is at stake if the appeal succeeds."
        ),
        what_to_do=(
            "Ask the insurer in writing why the law does not apply, then file an internal appeal "
            "within 180 days of the EOB, explaining where and how the care happened."
        ),
        references=[
            cite("aca-appeals-external-review"),
            cite("erisa-claims-procedure"),
            cite("nsa-complaints"),
        ],
    ),
)

NSA_MAY_APPLY = _rule(
    "NET008",
    "surprise-billing-protection-may-apply",
    "info",
    "The insurer asks whether the care was at an in-network facility (remark N884).",
    RuleDocs(
        what_it_checks="Lines with remark N884: the No Surprises Act may apply and the payer needs facts.",
        why_it_matters=(
            "If the care happened during a visit to an in-network facility, the line must be "
            "processed with in-network cost sharing; the payer will not know unless someone tells "
            "it."
        ),
        example=(
            "An out-of-network pathologist's line with N884, after a biopsy at an in-network surgery center."
        ),
        what_to_do="Call the insurer, say where the care took place, and ask for the line to be reprocessed.",
        references=[cite("nsa-plan-nonemergency-facility"), cite("nsa-nonemergency-facility")],
    ),
)

NETWORK_GAP = _rule(
    "NET009",
    "network-gap-exception-possible",
    "info",
    "Out-of-network care: if no in-network provider was available, ask for a network gap exception.",
    RuleDocs(
        what_it_checks=(
            "Out-of-network lines the No Surprises Act does not protect, when the plan's in-network "
            "rates are known and the line charges more than in-network cost sharing would be. The "
            "difference in cost sharing is the saving to ask for."
        ),
        why_it_matters=(
            "Insurers may process out-of-network care at the in-network level when no in-network "
            "provider could reasonably give it (too far, too long a wait, no specialist of that "
            "kind). They rarely offer it; you have to ask."
        ),
        example=(
            "An out-of-network specialist, allowed $300.00, 50% coinsurance ($150.00); in-network "
            "20% would be $60.00: $90.00 to ask for."
        ),
        what_to_do=(
            "If no in-network provider was available, call the insurer and request a network gap "
            "exception (some plans call it a network adequacy exception), with your doctor's "
            "support if you have it."
        ),
        references=[cite("erisa-claims-procedure")],
    ),
)
