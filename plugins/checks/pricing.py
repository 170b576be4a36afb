"""Prices against the market: an allowed amount far above what Medicare pays for the same service.

Even a correctly processed claim can be negotiated. The Medicare Physician Fee Schedule is the
public price list for professional services; when the price your share was computed from is
several times it, you have data for a line-item reduction, on top of the usual levers (a prompt-pay
discount, a payment plan, financial assistance). A code the table does not price gets no finding:
we never guess a benchmark.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from scanner import hookimpl
from scanner.checks import CheckContext
from scanner.line_amounts import is_reversal
from scanner.model import Action, Claim, Evidence, Finding, Rule, RuleDocs, ServiceLine
from scanner.money import dollars, format_money
from scanner.reference.citations import cite
from scanner.reference.fee_schedule import (
    Benchmark,
    FeeSchedules,
    Setting,
    default_fee_schedules,
    scaled,
)
from scanner.settings import SettingError

CHECK = "pricing"
VERSION = "1.0"

#: Multiples of the benchmark, in tenths, above which a price is flagged, per claim type.
DEFAULT_MULTIPLES: Mapping[str, int] = {"professional": 30}
#: ``EOBSCAN_PRICE_MULTIPLE=2.5`` changes the professional multiple (read once, at load).
MULTIPLE_ENV = "EOBSCAN_PRICE_MULTIPLE"

#: CMS place-of-service codes paid at the facility rate; every other code is non-facility.
FACILITY_PLACES = frozenset(
    {"19", "21", "22", "23", "24", "26", "31", "34", "41", "42", "51", "52", "53", "56", "61"}
)
_HCPCS = re.compile(r"^[0-9A-Z]\d{3}[0-9A-Z]$")

PRICE_ABOVE_BENCHMARK = Rule(
    code="PRC001",
    name="price-far-above-medicare-rate",
    check=CHECK,
    error_class="pricing",
    severity="info",
    summary="A price several times the Medicare fee schedule amount: you have data to negotiate.",
    docs=RuleDocs(
        what_it_checks=(
            "For each line of a professional claim with a CPT or HCPCS code, the allowed amount (or "
            "the billed amount when nothing was allowed) against the Medicare Physician Fee Schedule "
            "amount for the code, modifier (26, TC, 53) and units: locality-adjusted when the plan "
            "gives a Medicare locality (Plan.pfs_locality, e.g. '13202-01'), national otherwise; the "
            "facility or non-facility rate from the place of service (the higher one when it is "
            "unknown). It flags prices above a multiple of that amount (3x by default for "
            "professional services; set EOBSCAN_PRICE_MULTIPLE to change it). Codes the table does "
            "not price nationally get no finding. The amount at stake is how much your share would "
            "fall, in proportion, if the price came down to that multiple."
        ),
        why_it_matters=(
            "The allowed amount is the price your deductible and coinsurance are computed from. "
            "Medicare's amount is public and computed by a published formula, so a price several "
            "times it is a concrete argument for a reduction, even after insurance has paid."
        ),
        example=(
            "An office visit (99213) allowed at $350.00 with $350.00 applied to your deductible; the "
            "2024 national Medicare amount is $90.87: 3.8x. Brought down to 3x ($272.61), your share "
            "would fall by $77.39."
        ),
        what_to_do=(
            "Call the provider's billing office: cite the Medicare amount and ask for a reduction of "
            "that line item; ask for a prompt-pay discount (often 10-20% for paying within 30 days), "
            "an interest-free payment plan, and their financial assistance policy. Ask your insurer "
            "whether the price matches the provider's contract."
        ),
        references=[cite("medicare-pfs-formula"), cite("irs-501r-financial-assistance")],
    ),
)

NEGOTIATION_SCRIPT = (
    "Hello, I'm calling about my bill for {patient_name}, account {account_number}. For {service} on "
    "{service_date}, the price is {price}. Medicare's published fee schedule amount for this service "
    "is {benchmark} ({where}), so the price is {ratio} the Medicare rate. I would like to ask for a "
    "reduction of this line item. I can also pay promptly: do you offer a prompt-pay discount (10 to "
    "20 percent) if I pay within 30 days? If not, I would like an interest-free payment plan, and a "
    "copy of your financial assistance policy and application."
)


def ratio_text(price: int, benchmark: int) -> str:
    """``"3.4x"``: the ratio in tenths, rounded down, with integers only."""
    tenths = price * 10 // benchmark
    return f"{tenths // 10}.{tenths % 10}x"


def _multiple_text(tenths: int) -> str:
    return f"{tenths // 10}x" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}x"


def multiples_from_env(env: Mapping[str, str] | None = None) -> dict[str, int]:
    """The multiples in tenths; a value that is not a multiple above 1 stops the start with a
    SettingError, since silently keeping the default would hide the user's setting."""
    env = os.environ if env is None else env
    multiples = dict(DEFAULT_MULTIPLES)
    raw = env.get(MULTIPLE_ENV, "").strip()
    if raw:
        try:
            value = scaled(raw.rstrip("xX"), 1)
        except ValueError:
            value = 0
        if value <= 10:  # 1x or less would flag every line; a typo must not pass unnoticed
            raise SettingError(f"{MULTIPLE_ENV} must be a multiple above 1, such as 2.5")
        multiples["professional"] = value
    return multiples


def setting_of(claim: Claim) -> Setting | None:
    place = (claim.place_of_service or "").strip()
    if not place:
        return None
    return "facility" if place.zfill(2) in FACILITY_PLACES else "non-facility"


def _price(line: ServiceLine) -> tuple[int, str] | None:
    if line.allowed is not None and line.allowed > 0:
        return int(line.allowed), "allowed"
    if line.billed is not None and line.billed > 0:
        return int(line.billed), "billed"
    return None


def _service(line: ServiceLine) -> str:
    return f"code {line.code}" + (f"-{'-'.join(line.modifiers)}" if line.modifiers else "")


class PricingCheck:
    """Each priced professional line against the Medicare Physician Fee Schedule."""

    name = CHECK
    version = VERSION
    rules: Sequence[Rule] = (PRICE_ABOVE_BENCHMARK,)

    def __init__(self, schedules: FeeSchedules | None = None, multiples: Mapping[str, int] | None = None):
        # Loaded here, at registration, so a scan never waits for the table.
        self.schedules = schedules if schedules is not None else default_fee_schedules()
        self.multiples = dict(multiples) if multiples is not None else multiples_from_env()

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        locality = context.plan.pfs_locality if context.plan else None
        for claim in claims:
            multiple = self.multiples.get(claim.claim_type or "professional")
            if multiple is None:
                continue
            for line in claim.lines:
                yield from self._line(claim, line, multiple, locality)

    def _line(
        self, claim: Claim, line: ServiceLine, multiple: int, locality: str | None
    ) -> Iterator[Finding]:
        code = (line.code or "").strip().upper()
        if line.code_system not in (None, "CPT", "HCPCS") or not _HCPCS.match(code) or is_reversal(line):
            return
        owed = line.patient_responsibility
        priced = _price(line)
        if owed is None or owed <= 0 or priced is None:
            return
        day = line.service_date or claim.service_start
        schedule = self.schedules.for_date(day)
        if schedule is None:
            return
        unit = schedule.benchmark(code, line.modifiers, setting=setting_of(claim), locality=locality)
        if unit is None:
            return
        units = max(line.units, 1)
        benchmark = unit.cents * units
        price, basis = priced
        if price * 10 <= multiple * benchmark:
            return
        ceiling = -(-multiple * benchmark // 10)
        at_stake = min(int(owed), int(owed) * (price - ceiling) // price)
        yield self._finding(
            claim, line, unit, units, benchmark, price, basis, multiple, ceiling, at_stake, locality
        )

    def _finding(
        self,
        claim: Claim,
        line: ServiceLine,
        unit: Benchmark,
        units: int,
        benchmark: int,
        price: int,
        basis: str,
        multiple: int,
        ceiling: int,
        at_stake: int,
        locality: str | None,
    ) -> Finding:
        ratio = ratio_text(price, benchmark)
        day = line.service_date or claim.service_start
        where = f"{unit.year} {unit.where}, {unit.setting}"
        per_units = f" for {units} units" if units > 1 else ""
        price_words = (
            "the plan allowed" if basis == "allowed" else "the provider billed (nothing was allowed)"
        )
        unknown_locality = locality is not None and unit.locality is None
        script = NEGOTIATION_SCRIPT.format(
            patient_name="{patient_name}",
            account_number="{account_number}",
            service=_service(line),
            service_date=day.isoformat() if day else "the date of service",
            price=dollars(price),
            benchmark=dollars(benchmark),
            where=where,
            ratio=ratio,
        )
        return PRICE_ABOVE_BENCHMARK.finding(
            claim_id=claim.id,
            line_ids=[line.id],
            confidence="high" if unit.locality is not None else "medium",
            title=f"Price {ratio} the Medicare rate: you have data to negotiate",
            message=(
                f"For {_service(line)}, {price_words} {dollars(price)}; Medicare's fee schedule amount"
                f"{per_units} is {dollars(benchmark)} ({where}), so the price is {ratio} the Medicare "
                f"rate. Brought down to {_multiple_text(multiple)} ({dollars(ceiling)}), your share "
                f"would fall by about {dollars(at_stake)}. Ask for a line-item reduction, a prompt-pay "
                "discount (often 10-20%), a payment plan or financial assistance."
            ),
            amount_at_stake=at_stake,
            evidence=[
                Evidence(
                    field=basis,
                    value=format_money(price),
                    expected=format_money(ceiling),
                    note=f"at most {_multiple_text(multiple)} the benchmark",
                ),
                Evidence(
                    field="benchmark",
                    value=format_money(benchmark),
                    note=f"Medicare PFS {where}; {unit.source}"
                    + (
                        "; the locality given was not found, national amount used" if unknown_locality else ""
                    ),
                ),
                Evidence(field="ratio", value=ratio),
                Evidence(
                    field="patient_responsibility", value=format_money(line.patient_responsibility or 0)
                ),
            ],
            actions=[
                Action(
                    kind="negotiate",
                    who="the provider's billing office (the phone number on the bill)",
                    summary="Ask for a line-item reduction citing Medicare, or a prompt-pay discount.",
                    script=script,
                    template="prompt_pay_discount",
                ),
                Action(
                    kind="apply_financial_assistance",
                    who="the provider's financial assistance office",
                    summary="Ask for the financial assistance policy; insured patients can qualify.",
                    template="financial_assistance_application",
                ),
            ],
        )


@hookimpl
def eobscan_register_checks(register: Callable[[object], None]) -> None:
    register(PricingCheck())
