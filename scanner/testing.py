"""Helpers for testing checks: builders with sensible defaults and a way to run one check.

Amounts are given as text, the way an EOB prints them::

    make_claim(lines=[make_line(code="99214", allowed="150.00")])

so a test reads like the document it models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from scanner.checks import Check, CheckContext
from scanner.model import (
    AMOUNT_FIELDS,
    Bill,
    BillLine,
    Claim,
    Finding,
    Party,
    Plan,
    ScanRequest,
    ServiceLine,
)
from scanner.money import Money, parse_money
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
    copays = {kind: money(value) for kind, value in kwargs.pop("copays", {}).items()}
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
    context = CheckContext(
        as_of=as_of, reference=load_reference(), plan=plan, bills=tuple(bills)
    )
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
