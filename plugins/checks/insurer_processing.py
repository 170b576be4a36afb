"""Insurer processing errors, and preventive care charged as if it were diagnostic.

The rules live in the private package ``plugins.checks._insurer``, one module per concern:
- ``arithmetic``: an EOB whose own numbers contradict each other (INS001-INS004);
- ``deductible``: a deductible applied after it was met (INS005);
- ``benefits``: wrong plan, coinsurance rate and copay different from the plan (INS006-INS008);
- ``adjustments``: adjustment and remark codes explained, non-PR amounts charged (INS009-INS010);
- ``preventive``: ACA preventive services charged cost sharing (PRV001-PRV003).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from plugins.checks._insurer import adjustments, arithmetic, benefits, deductible, preventive
from plugins.checks._insurer.arithmetic import (
    ALLOWED_ABOVE_BILLED,
    COST_SHARING_DOES_NOT_ADD_UP,
    PATIENT_SHARE_TOO_HIGH,
    PLAN_PAID_ABOVE_ALLOWED,
)
from plugins.checks._insurer.common import CHECK
from scanner import hookimpl
from scanner.checks import CheckContext
from scanner.line_amounts import is_reversal
from scanner.model import Claim, Finding, Plan, Rule, ServiceLine
from scanner.reference.nsa import load_nsa

VERSION = "1.1"

__all__ = [
    "ALLOWED_ABOVE_BILLED",
    "COST_SHARING_DOES_NOT_ADD_UP",
    "PATIENT_SHARE_TOO_HIGH",
    "PLAN_PAID_ABOVE_ALLOWED",
    "InsurerProcessingCheck",
]


class InsurerProcessingCheck:
    """How the insurer applied its own numbers and the plan's benefits to each line."""

    name = CHECK
    version = VERSION
    rules: Sequence[Rule] = (
        *arithmetic.RULES,
        *deductible.RULES,
        *benefits.RULES,
        *adjustments.RULES,
        *preventive.RULES,
    )

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        plan = context.plan
        screening_days = preventive.screening_colonoscopy_days(claims, context.reference.preventive)
        for claim in claims:
            yield from benefits.wrong_plan(claim, plan)
            yield from benefits.copay_amount(claim, plan)
            for line in claim.lines:
                if not is_reversal(line):
                    yield from self._line(claim, line, plan, context, screening_days)
        yield from deductible.deductible_after_met(claims, plan, context.accumulated(claims))

    @staticmethod
    def _line(
        claim: Claim,
        line: ServiceLine,
        plan: Plan | None,
        context: CheckContext,
        screening_days: preventive.ScreeningDays,
    ) -> Iterator[Finding]:
        for rule in arithmetic.LINE_RULES:
            yield from rule(claim, line, plan)
        yield from benefits.coinsurance_rate(claim, line, plan)
        yield from adjustments.codes_explained(claim, line, context.reference.adjustment_codes)
        yield from adjustments.non_patient_group_charged(claim, line)
        yield from preventive.preventive_findings(
            claim, line, plan, context.reference.preventive, load_nsa(), screening_days
        )


@hookimpl
def eobscan_register_checks(register: Callable[[object], None]) -> None:
    register(InsurerProcessingCheck())
