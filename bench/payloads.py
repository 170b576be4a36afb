"""Deterministic scan requests of a chosen size, shaped like real EOBs.

Every line adds up the way an insurer's arithmetic should, except a few planted problems (a
patient share above the plan's rules, a preventive visit billed to the patient, an out-of-network
line, a repeated line) so the checks have findings to build, as they would on real claims.
"""

from __future__ import annotations

import datetime as dt

from scanner.model import Claim, Network, Party, Plan, ScanRequest, ServiceLine, encode
from scanner.money import Money

AS_OF = dt.date(2026, 11, 26)
_SERVICES = [
    ("99214", 24_000, 15_000),
    ("85025", 4_500, 1_800),
    ("80053", 9_000, 2_400),
    ("99395", 28_000, 19_000),
    ("71046", 16_000, 6_500),
    ("36415", 2_500, 900),
    ("99213", 17_000, 11_000),
    ("90686", 6_000, 3_800),
]


def _line(index: int, day: dt.date, salt: int) -> ServiceLine:
    code, billed, allowed = _SERVICES[(index + salt) % len(_SERVICES)]
    coinsurance = allowed // 5
    copay = 2_500 if code in {"99213", "99214"} else 0
    deductible = 0
    patient = coinsurance + copay + deductible
    plan_paid = allowed - patient
    network: Network = "out" if (index + salt) % 17 == 16 else "in"
    if (index + salt) % 13 == 12:
        patient += 4_000  # charged more than coinsurance and copay add up to
    return ServiceLine(
        id=str(index + 1),
        service_date=day,
        code=code,
        code_system="CPT",
        network=network,
        billed=Money(billed),
        allowed=Money(allowed),
        plan_paid=Money(plan_paid),
        copay=Money(copay),
        coinsurance=Money(coinsurance),
        deductible=Money(deductible),
        patient_responsibility=Money(patient),
    )


def claim(claim_id: str, lines: int, salt: int = 0) -> Claim:
    day = dt.date(2026, 1, 5) + dt.timedelta(days=(salt * 3) % 300)
    return Claim(
        id=claim_id,
        claim_type="professional",
        member=("self", "spouse", "child-1", "child-2")[salt % 4],
        payer="Example Health Plan",
        provider=Party(name="Example Medical Group", network="in", role="primary_care"),
        service_start=day,
        service_end=day,
        processed_date=day + dt.timedelta(days=20),
        status="paid",
        lines=[_line(i, day, salt) for i in range(lines)],
    )


def plan() -> Plan:
    return Plan(
        plan_year_start=dt.date(2026, 1, 1),
        plan_year_end=dt.date(2026, 12, 31),
        coverage_tier="family",
        deductible_individual=Money(150_000),
        deductible_family=Money(300_000),
        oop_max_individual=Money(450_000),
        oop_max_family=Money(900_000),
        coinsurance_in_network=20,
        coinsurance_out_of_network=40,
    )


def request(claims: int, lines_per_claim: int) -> ScanRequest:
    """``claims`` claims of ``lines_per_claim`` lines each, with a family plan."""
    return ScanRequest(
        claims=[claim(f"claim-{i + 1}", lines_per_claim, salt=i) for i in range(claims)],
        plan=plan(),
        as_of=AS_OF,
    )


def request_json(claims: int, lines_per_claim: int) -> bytes:
    return encode(request(claims, lines_per_claim))
