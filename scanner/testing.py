"""Helpers for testing checks and plugins: builders with sensible defaults, ways to run a check,
and assertions on findings and on a check's rule catalogue.

Amounts are given as text, the way an EOB prints them::

    make_claim(lines=[make_line(code="99214", allowed="150.00")])

so a test reads like the document it models. A plugin author's test typically reads::

    findings = run_check(MyCheck(), [make_claim(lines=[make_line(patient_responsibility="80.00")])])
    assert_finding(findings, "XYZ001", amount_at_stake="30.00")

``docs/plugins.md`` documents every helper here; ``tests/test_testing_helpers.py`` tests them.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pluggy

from scanner import hookspecs
from scanner.checks import Check, CheckContext, rule_problems
from scanner.model import (
    AMOUNT_FIELDS,
    Bill,
    BillLine,
    Claim,
    ErrorClass,
    Finding,
    Party,
    Plan,
    ScanRequest,
    ScanResult,
    ServiceLine,
    Severity,
)
from scanner.money import Money, format_money, parse_money
from scanner.reference import load_reference

#: The default "today" of test scans: fixed, so deadlines in tests never drift.
DEFAULT_AS_OF = dt.date(2026, 11, 26)
DEFAULT_SERVICE_DATE = dt.date(2026, 3, 2)


def money(value: str | int | None) -> Money | None:
    """``"150.00"`` -> ``Money(15000)``; an int is taken as cents; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, str):
        return parse_money(value)
    return Money(value)


def _amounts(kwargs: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {name: money(kwargs.pop(name)) for name in list(fields) if name in kwargs}


def make_line(id: str = "1", **kwargs: Any) -> ServiceLine:
    """A service line: processed in network on 2026-03-02 unless told otherwise."""
    kwargs.setdefault("service_date", DEFAULT_SERVICE_DATE)
    kwargs.setdefault("network", "in")
    amounts = _amounts(kwargs, AMOUNT_FIELDS)
    return ServiceLine(id=id, **amounts, **kwargs)


def make_claim(id: str = "claim-1", lines: Sequence[ServiceLine] | None = None, **kwargs: Any) -> Claim:
    """A paid professional claim from an in-network provider, with one line by default."""
    lines = list(lines) if lines is not None else [make_line()]
    dates = [line.service_date for line in lines if line.service_date]
    kwargs.setdefault("service_start", min(dates) if dates else DEFAULT_SERVICE_DATE)
    kwargs.setdefault("service_end", max(dates) if dates else kwargs["service_start"])
    kwargs.setdefault("processed_date", kwargs["service_end"] + dt.timedelta(days=21))
    kwargs.setdefault("claim_type", "professional")
    kwargs.setdefault("status", "paid")
    kwargs.setdefault("provider", Party(name="Example Clinic", network="in", role="primary_care"))
    return Claim(id=id, lines=lines, **kwargs)


def make_plan(**kwargs: Any) -> Plan:
    """An individual plan for calendar year 2026; amounts as text."""
    kwargs.setdefault("plan_year_start", dt.date(2026, 1, 1))
    kwargs.setdefault("plan_year_end", dt.date(2026, 12, 31))
    money_fields = Plan._money_fields
    amounts = _amounts(kwargs, money_fields)
    copays = {k: m for k, v in kwargs.pop("copays", {}).items() if (m := money(v)) is not None}
    return Plan(**amounts, copays=copays, **kwargs)


def make_bill_line(**kwargs: Any) -> BillLine:
    kwargs.setdefault("service_date", DEFAULT_SERVICE_DATE)
    amounts = _amounts(kwargs, BillLine._money_fields)
    return BillLine(**amounts, **kwargs)


def make_bill(id: str = "bill-1", lines: Sequence[BillLine] | None = None, **kwargs: Any) -> Bill:
    kwargs.setdefault("statement_date", DEFAULT_SERVICE_DATE + dt.timedelta(days=45))
    amounts = _amounts(kwargs, Bill._money_fields)
    return Bill(id=id, lines=list(lines or []), **amounts, **kwargs)


def make_request(claims: Sequence[Claim], **kwargs: Any) -> ScanRequest:
    kwargs.setdefault("as_of", DEFAULT_AS_OF)
    return ScanRequest(claims=list(claims), **kwargs)


def run_check(
    check: Check,
    claims: Sequence[Claim],
    *,
    plan: Plan | None = None,
    bills: Sequence[Bill] = (),
    as_of: dt.date = DEFAULT_AS_OF,
) -> list[Finding]:
    """Run one check the way the engine does, and return its findings as a list."""
    context = CheckContext(as_of=as_of, reference=load_reference(), plan=plan, bills=tuple(bills))
    return list(check.check(list(claims), context))


def only(findings: Sequence[Finding], rule: str) -> Finding:
    """The single finding of ``rule``; fails loudly when there are none or several."""
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, f"expected one {rule} finding, got {[f.rule for f in findings]}"
    return matching[0]


def assert_silent(findings: Sequence[Finding], rule: str | None = None) -> None:
    """The clean twin: no finding (of ``rule``, when given)."""
    hits = [f.rule for f in findings if rule is None or f.rule == rule]
    assert not hits, f"expected no findings, got {hits}"


def findings_of(findings: Sequence[Finding], rule: str) -> list[Finding]:
    """Every finding of ``rule``, in order."""
    return [f for f in findings if f.rule == rule]


def assert_finding(
    findings: Sequence[Finding],
    rule: str,
    *,
    amount_at_stake: str | int | None = None,
    claim_id: str | None = None,
    line_ids: Sequence[str] | None = None,
    severity: Severity | None = None,
) -> Finding:
    """The single finding of ``rule``, checked against what the test expects, and returned.

    ``amount_at_stake`` is text (``"30.00"``) or cents; the comparison is exact. Fields left out
    are not compared. The failure message says what differed, field by field.
    """
    found = only(findings, rule)
    expected: dict[str, object] = {}
    actual: dict[str, object] = {}
    if amount_at_stake is not None:
        expected["amount_at_stake"] = format_money(money(amount_at_stake) or 0)
        actual["amount_at_stake"] = format_money(found.amount_at_stake)
    if claim_id is not None:
        expected["claim_id"], actual["claim_id"] = claim_id, found.claim_id
    if line_ids is not None:
        expected["line_ids"], actual["line_ids"] = list(line_ids), found.line_ids
    if severity is not None:
        expected["severity"], actual["severity"] = severity, found.severity
    differences = [
        f"{k}: expected {expected[k]!r}, got {actual[k]!r}" for k in expected if expected[k] != actual[k]
    ]
    assert not differences, f"{rule} finding differs: " + "; ".join(differences)
    return found


def total_at_stake(findings: Sequence[Finding]) -> Money:
    """The engine's total for these findings (no dollar counted twice), to compare with text."""
    from scanner.engine import summarize

    claim_ids = list(dict.fromkeys(f.claim_id for f in findings))
    return summarize(findings, [Claim(id=cid) for cid in claim_ids]).amount_at_stake


# --- the rule catalogue ---------------------------------------------------------------------

#: Rule code prefixes of the built-in checks; a third-party plugin picks its own.
RESERVED_PREFIXES = frozenset({"INS", "PRV", "COB", "NET", "OOP", "BAL", "DEN", "PRC", "DUP"})

_CHECK_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SEVERITIES = frozenset(typing.get_args(Severity))
_ERROR_CLASSES = frozenset(typing.get_args(ErrorClass))


def rules_problems(check: Check, *, prefix: str | None = None) -> list[str]:
    """Everything wrong with a check's rule catalogue (empty when it is well formed)."""
    problems: list[str] = []
    if not isinstance(check.name, str) or not _CHECK_NAME.match(check.name):
        problems.append(f"check name {check.name!r} is not snake_case")
    if not isinstance(check.version, str) or not check.version.strip():
        problems.append(f"check {check.name} has no version")
    if not check.rules:
        problems.append(f"check {check.name} declares no rules")
    builtin = type(check).__module__.startswith("plugins.checks.")
    seen: set[str] = set()
    for rule in check.rules:
        problems += rule_problems(rule)
        if rule.code in seen:
            problems.append(f"rule code {rule.code} is declared twice")
        seen.add(rule.code)
        if rule.check != check.name:
            problems.append(f"rule {rule.code} says check {rule.check!r}, not {check.name!r}")
        if rule.severity not in _SEVERITIES:
            problems.append(
                f"rule {rule.code} has severity {rule.severity!r}, not one of {sorted(_SEVERITIES)}"
            )
        if rule.error_class not in _ERROR_CLASSES:
            problems.append(f"rule {rule.code} has an unknown error class {rule.error_class!r}")
        if not rule.summary.strip():
            problems.append(f"rule {rule.code} has an empty summary")
        if prefix is not None and not rule.code.startswith(prefix):
            problems.append(f"rule code {rule.code} does not start with the plugin's prefix {prefix}")
        if not builtin and rule.code[:3] in RESERVED_PREFIXES:
            problems.append(f"rule code {rule.code} uses the built-in prefix {rule.code[:3]}")
        for ref in rule.docs.references if rule.docs else []:
            if not ref.title.strip() or not ref.citation.strip():
                problems.append(f"rule {rule.code} has a reference without a title or a citation")
    return problems


def check_rules_well_formed(check: Check, *, prefix: str | None = None) -> None:
    """Fail with every problem at once when a check's rules would be refused or mislead users.

    The same rules the host applies when it loads a plugin (:func:`scanner.checks.rule_problems`:
    code pattern, kebab-case name, the four documentation sections), plus: each rule names this
    check, codes are unique and use ``prefix`` when given and never a built-in prefix, severity
    and error class are ones the API knows, and the summary is not empty.
    """
    problems = rules_problems(check, prefix=prefix)
    assert not problems, f"check {check.name!r} is not well formed:\n  " + "\n  ".join(problems)


# --- plugins as the host sees them ----------------------------------------------------------


@dataclass
class Registered:
    """What a plugin registers through its hooks."""

    checks: list[Any] = field(default_factory=list)
    parsers: list[Any] = field(default_factory=list)


def registered(plugin: object) -> Registered:
    """Register ``plugin`` (a module or object with ``@hookimpl`` functions) with a fresh plugin
    manager, the way the host does, and return the checks and parsers it registers.

    Fails like the host would: on a hook implementation whose name or arguments do not match a
    hook of :mod:`scanner.hookspecs`.
    """
    pm = pluggy.PluginManager("eobscan")
    pm.add_hookspecs(hookspecs)
    pm.register(plugin)
    pm.check_pending()
    found = Registered()
    pm.hook.eobscan_register_checks(register=found.checks.append)
    pm.hook.eobscan_register_parsers(register=found.parsers.append)
    return found


def scan_with(
    checks: Sequence[Check],
    claims: Sequence[Claim],
    *,
    plan: Plan | None = None,
    bills: Sequence[Bill] = (),
    as_of: dt.date = DEFAULT_AS_OF,
    budget_ms: float | None = None,
) -> ScanResult:
    """Scan through the real engine with only ``checks``: its validation, ordering, summary and
    time budget, so a test sees exactly what a user would (a finding the engine refuses is
    missing, and the check's status says why)."""
    from scanner.engine import DEFAULT_BUDGET_MS, scan
    from scanner.isolation import Breaker
    from scanner.plugins import Registry

    registry = Registry(
        checks=list(checks), rules={rule.code: rule for check in checks for rule in check.rules}
    )
    request = make_request(claims, plan=plan, bills=list(bills), as_of=as_of)
    return scan(request, registry, budget_ms=budget_ms or DEFAULT_BUDGET_MS, breaker=Breaker())


def assert_checks_ok(result: ScanResult) -> None:
    """Every check of the scan ran to the end, kept all its findings and stayed in its budget."""
    bad = [f"{c.name}: {c.error or 'slow'}" for c in result.checks if c.status != "ok" or c.slow]
    assert not bad, "checks did not run cleanly: " + "; ".join(bad)
