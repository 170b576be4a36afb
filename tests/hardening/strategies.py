"""Hypothesis strategies for scan requests that look like the EOBs the checks were written for.

Half the lines add up the way an insurer's arithmetic should (allowed = plan paid + what the
patient owes), half are drawn freely, so the checks see both clean claims and every kind of
error; codes, reason codes, networks, places of service and bills come from the vocabulary the
built-in checks react to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from hypothesis import strategies as st

from scanner.model import (
    AMOUNT_FIELDS,
    PRINTED_ACCUMULATOR_FIELDS,
    Adjustment,
    Amounts,
    Bill,
    BillLine,
    Claim,
    CopayKind,
    Party,
    Plan,
    PrintedAccumulators,
    RelatedClaim,
    ScanRequest,
    ServiceLine,
)
from scanner.money import Money

CodeSystem = Literal["CPT", "HCPCS", "REV", "CDT", "NDC"]
AS_OF = dt.date(2026, 11, 26)
YEAR_START = dt.date(2026, 1, 1)

CODES: list[tuple[str, CodeSystem]] = [
    ("99213", "CPT"),
    ("99214", "CPT"),
    ("99285", "CPT"),
    ("99395", "CPT"),
    ("99396", "CPT"),
    ("85025", "CPT"),
    ("80053", "CPT"),
    ("36415", "CPT"),
    ("71046", "CPT"),
    ("00840", "CPT"),
    ("77067", "CPT"),
    ("45378", "CPT"),
    ("90686", "CPT"),
    ("G0121", "HCPCS"),
    ("A0427", "HCPCS"),
    ("0450", "REV"),
    ("0300", "REV"),
    ("D1110", "CDT"),
]
CARCS = [
    "1",
    "2",
    "3",
    "4",
    "16",
    "18",
    "22",
    "23",
    "45",
    "50",
    "96",
    "97",
    "109",
    "119",
    "197",
    "204",
    "242",
    "253",
]
RARCS = ["N130", "M15", "MA01", "N381", "N830", "N860", "M80", "N4"]
ROLES = [
    "primary_care",
    "specialist",
    "emergency",
    "anesthesiology",
    "radiology",
    "laboratory",
    "ambulance",
    "facility",
]
COPAY_KINDS: list[CopayKind] = ["primary_care", "specialist", "emergency"]
NETWORKS = ["in", "out", "unknown"]

cents = st.integers(min_value=0, max_value=500_000)
maybe_cents = st.one_of(st.none(), cents)
day = st.dates(min_value=dt.date(2025, 10, 1), max_value=dt.date(2026, 11, 20))


def money(value: int | None) -> Money | None:
    return None if value is None else Money(value)


@st.composite
def adjustments(draw: st.DrawFn) -> list[Adjustment]:
    return draw(
        st.lists(
            st.builds(
                Adjustment,
                group=st.sampled_from(["CO", "PR", "OA", "PI", "CR"]),
                reason=st.sampled_from(CARCS),
                amount=st.one_of(st.none(), st.integers(min_value=-20_000, max_value=200_000).map(Money)),
            ),
            max_size=3,
        )
    )


@st.composite
def consistent_amounts(draw: st.DrawFn) -> dict[str, Any]:
    """Amounts that add up: billed >= allowed = plan paid + deductible + copay + coinsurance.
    Some EOBs print copay and coinsurance, or the deductible with either, as one column; then
    only their sum is known."""
    deductible, copay, coinsurance = (draw(st.integers(0, 50_000)) for _ in range(3))
    plan_paid = draw(st.integers(0, 200_000))
    allowed = plan_paid + deductible + copay + coinsurance
    billed = allowed + draw(st.integers(0, 200_000))
    owed = deductible + copay + coinsurance
    values = {
        "billed": billed,
        "allowed": allowed,
        "discount": billed - allowed,
        "plan_paid": plan_paid,
        "deductible": deductible,
        "copay": copay,
        "coinsurance": coinsurance,
        "patient_responsibility": owed,
    }
    joined = draw(st.sampled_from(["apart", "copay_and_coinsurance", "deductible_and_cost_sharing"]))
    if joined == "copay_and_coinsurance":
        values[joined] = values.pop("copay") + values.pop("coinsurance")
    elif joined == "deductible_and_cost_sharing":
        values[joined] = values.pop("deductible") + values.pop("coinsurance")
    kept = draw(st.sets(st.sampled_from(sorted(values)), min_size=3))
    return {name: money(value) if name in kept else None for name, value in values.items()}


@st.composite
def free_amounts(draw: st.DrawFn) -> dict[str, Any]:
    return {name: money(draw(maybe_cents)) for name in AMOUNT_FIELDS}


@st.composite
def service_lines(draw: st.DrawFn, count: int) -> list[ServiceLine]:
    lines = []
    for index in range(count):
        code, system = draw(st.sampled_from(CODES))
        amounts = draw(st.one_of(consistent_amounts(), free_amounts()))
        lines.append(
            ServiceLine(
                id=str(index + 1),
                service_date=draw(st.one_of(st.none(), day)),
                code=code,
                code_system=system,
                modifiers=draw(st.lists(st.sampled_from(["25", "59", "26", "TC", "GA", "33"]), max_size=2)),
                diagnoses=draw(
                    st.lists(st.sampled_from(["Z00.00", "Z1211", "J06.9", "R07.9", "Z23"]), max_size=2)
                ),
                units=draw(st.integers(0, 4)),
                adjustments=draw(adjustments()),
                remarks=draw(st.lists(st.sampled_from(RARCS), max_size=2)),
                network=draw(st.sampled_from(NETWORKS)),
                denied=draw(st.booleans()),
                **amounts,
            )
        )
    return lines


@st.composite
def claims(draw: st.DrawFn, claim_id: str, others: list[str]) -> Claim:
    lines = draw(service_lines(draw(st.integers(0, 5))))
    dates = [line.service_date for line in lines if line.service_date]
    start = min(dates) if dates else draw(st.one_of(st.none(), day))
    totals = None
    if draw(st.booleans()):
        totals = Amounts(**{k: v for k, v in draw(consistent_amounts()).items() if k != "discount"})
    related: list[RelatedClaim] = []
    linked: bool = draw(st.booleans())
    if others and linked:
        related = [
            RelatedClaim(
                claim_id=draw(st.sampled_from(others)),
                relationship=draw(st.sampled_from(["replaces", "replaced_by"])),
            )
        ]
    return Claim(
        id=claim_id,
        source=draw(st.sampled_from(["portal", "pdf", "fhir", "manual"])),
        claim_type=draw(st.sampled_from([None, "professional", "institutional", "dental"])),
        member=draw(st.sampled_from(["self", "spouse", "child-1"])),
        payer=draw(st.sampled_from([None, "Example Health Plan"])),
        provider=draw(
            st.one_of(
                st.none(),
                st.builds(
                    Party,
                    name=st.sampled_from(["Example Clinic", "Example Hospital", None]),
                    network=st.sampled_from(NETWORKS),
                    role=st.sampled_from([None, *ROLES]),
                ),
            )
        ),
        facility=draw(
            st.one_of(
                st.none(), st.builds(Party, network=st.sampled_from(NETWORKS), role=st.just("facility"))
            )
        ),
        service_start=start,
        service_end=max(dates) if dates else start,
        received_date=draw(st.one_of(st.none(), day)),
        processed_date=draw(st.one_of(st.none(), day)),
        emergency=draw(st.booleans()),
        place_of_service=draw(st.sampled_from([None, "11", "21", "22", "23", "41"])),
        status=draw(st.sampled_from([None, "paid", "denied", "partial", "adjusted"])),
        coverage_position=draw(st.sampled_from([None, "primary", "secondary"])),
        lines=lines,
        totals=totals,
        related=related,
        accumulators=draw(st.one_of(st.none(), standings())),
    )


@st.composite
def standings(draw: st.DrawFn) -> PrintedAccumulators:
    """A standing as an EOB prints it: any figure may be missing, "met" may pass its limit."""
    figure = st.one_of(st.none(), st.integers(0, 800_000).map(Money))
    return PrintedAccumulators(
        as_of=draw(st.one_of(st.none(), day)), **{name: draw(figure) for name in PRINTED_ACCUMULATOR_FIELDS}
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    return Plan(
        plan_year_start=YEAR_START,
        plan_year_end=dt.date(2026, 12, 31),
        coverage_tier=draw(st.sampled_from(["individual", "family"])),
        deductible_individual=money(draw(st.one_of(st.none(), st.integers(0, 500_000)))),
        deductible_family=money(draw(st.one_of(st.none(), st.integers(0, 1_000_000)))),
        oop_max_individual=money(draw(st.one_of(st.none(), st.integers(0, 900_000)))),
        oop_max_family=money(draw(st.one_of(st.none(), st.integers(0, 1_800_000)))),
        deductible_met=money(draw(maybe_cents)),
        oop_met=money(draw(maybe_cents)),
        coinsurance_in_network=draw(st.one_of(st.none(), st.integers(0, 100))),
        coinsurance_out_of_network=draw(st.one_of(st.none(), st.integers(0, 100))),
        copays={
            k: Money(v)
            for k, v in draw(st.dictionaries(st.sampled_from(COPAY_KINDS), st.integers(0, 20_000))).items()
        },
        other_coverage=draw(st.sampled_from([None, True, False])),
        this_plan_position=draw(st.sampled_from([None, "primary", "secondary"])),
        grandfathered=draw(st.booleans()),
    )


@st.composite
def bills(draw: st.DrawFn, claim_ids: list[str]) -> list[Bill]:
    result = []
    for index in range(draw(st.integers(0, 2))):
        result.append(
            Bill(
                id=f"bill-{index + 1}",
                claim_id=draw(st.one_of(st.none(), st.sampled_from(claim_ids))) if claim_ids else None,
                provider_name=draw(st.sampled_from([None, "Example Clinic"])),
                statement_date=draw(st.one_of(st.none(), day)),
                amount_due=money(draw(maybe_cents)),
                amount_paid=money(draw(st.one_of(st.none(), st.integers(0, 50_000)))),
                self_pay=draw(st.booleans()),
                good_faith_estimate=money(draw(maybe_cents)),
                lines=[
                    BillLine(
                        service_date=draw(st.one_of(st.none(), day)),
                        code=draw(st.sampled_from([None, *[c for c, _ in CODES]])),
                        charge=money(draw(maybe_cents)),
                        patient_balance=money(draw(maybe_cents)),
                    )
                    for _ in range(draw(st.integers(0, 3)))
                ],
            )
        )
    return result


@st.composite
def scan_requests(draw: st.DrawFn, max_claims: int = 4) -> ScanRequest:
    ids = [f"claim-{i + 1}" for i in range(draw(st.integers(1, max_claims)))]
    made = [draw(claims(claim_id, [other for other in ids if other != claim_id])) for claim_id in ids]
    return ScanRequest(
        claims=made,
        plan=draw(st.one_of(st.none(), plans())),
        bills=draw(bills(ids)),
        as_of=AS_OF,
    )


@st.composite
def balance_billed_claims(draw: st.DrawFn) -> ScanRequest:
    """An in-network visit whose EOB line may itself ask too much (a share above the allowed amount
    minus the plan's payment, a not-covered charge above the allowance), and a bill for it that
    asks some balance: BAL001 beside INS001 on one line, each owning some of the dollars."""
    allowed = draw(st.integers(1_000, 100_000))
    plan_paid = draw(st.integers(0, allowed))
    coinsurance = allowed - plan_paid + draw(st.sampled_from([0, 0, 1_000, 3_000]))
    not_covered = draw(st.sampled_from([None, 0, 5_000, 25_000]))
    owed = coinsurance + (not_covered or 0)
    billed = allowed + (not_covered or 0) + draw(st.integers(0, 100_000))
    service_day = dt.date(2026, 3, 2)
    line = ServiceLine(
        id="1",
        service_date=service_day,
        code="99214",
        code_system="CPT",
        network="in",
        billed=Money(billed),
        allowed=Money(allowed),
        plan_paid=Money(plan_paid),
        coinsurance=Money(coinsurance),
        not_covered=money(not_covered),
        patient_responsibility=Money(owed),
    )
    claim = Claim(
        id="claim-1",
        member="self",
        provider=Party(name="Example Clinic", network="in", role="primary_care"),
        service_start=service_day,
        service_end=service_day,
        status="paid",
        place_of_service="11",
        lines=[line],
    )
    balance = draw(st.integers(0, owed + 100_000))
    bill = Bill(
        id="bill-1",
        claim_id="claim-1",
        provider_name="Example Clinic",
        amount_due=Money(balance),
        lines=[
            BillLine(
                service_date=service_day, code="99214", charge=Money(billed), patient_balance=Money(balance)
            )
        ],
    )
    return ScanRequest(claims=[claim], bills=[bill], as_of=AS_OF)
