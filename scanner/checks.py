"""The contract of a check: what a plugin registers and what the engine calls."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from scanner.accumulators import Replay, replay
from scanner.model import Bill, Claim, ErrorClass, Finding, LedgerEntry, Plan, Rule, RuleDocs, Severity
from scanner.reference import ReferenceTables

RULE_CODE = re.compile(r"^[A-Z]{3}[0-9]{3}$")
RULE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may know besides the claims.

    ``as_of`` is the scan's "today": it is read once by the engine, so a check never reads the
    clock and the same request always gives the same findings.
    """

    as_of: dt.date
    reference: ReferenceTables
    plan: Plan | None = None
    bills: Sequence[Bill] = ()
    ledger: Sequence[LedgerEntry] = field(default_factory=tuple)
    accumulators: Replay | None = None

    def accumulated(self, claims: Sequence[Claim]) -> Replay:
        """The deductible and out-of-pocket replay of the scan: the engine's, computed once per
        scan, or a fresh one when a test runs a check on its own."""
        return self.accumulators if self.accumulators is not None else replay(claims, self.plan)


@runtime_checkable
class Check(Protocol):
    """A named group of rules with one function that looks at every claim of a scan.

    A check sees all claims at once so that cross-claim rules (accumulators, duplicates) need no
    second hook. It must be a pure function of its arguments: no network, no clock, no files.
    """

    name: str
    version: str
    rules: Sequence[Rule]

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]: ...


def rule_problems(rule: Rule) -> list[str]:
    """Why a rule is malformed (empty when it is fine). Used at load time and by the kit."""
    problems = []
    if not RULE_CODE.match(rule.code):
        problems.append(f"rule code {rule.code!r} is not three capital letters and three digits")
    if not RULE_NAME.match(rule.name):
        problems.append(f"rule name {rule.name!r} of {rule.code} is not kebab-case")
    if rule.docs is None:
        problems.append(f"rule {rule.code} has no documentation")
    else:
        for section in ("what_it_checks", "why_it_matters", "example", "what_to_do"):
            if not getattr(rule.docs, section).strip():
                problems.append(f"rule {rule.code} has an empty '{section}' section")
    return problems


RuleMaker = Callable[[str, str, Severity, str, RuleDocs], Rule]


def rule_maker(check: str, error_class: ErrorClass) -> RuleMaker:
    """The rule constructor of one check, so each rule states only what is its own:
    ``_rule = rule_maker("denial", "denial")`` then ``_rule("DEN001", "denied-service", ...)``."""

    def make(code: str, name: str, severity: Severity, summary: str, docs: RuleDocs) -> Rule:
        return Rule(
            code=code,
            name=name,
            check=check,
            error_class=error_class,
            severity=severity,
            summary=summary,
            docs=docs,
        )

    return make
