"""The engine: run every check on its own, order the findings, add up what is at stake.

Summary rule (no dollar counted twice): within a claim, findings are taken from the narrowest
(one line) to the widest (several lines, or the whole claim), largest amount first. Each finding
adds only what it claims beyond the dollars already counted on its lines. So two rules that flag
the same line (an out-of-network line that is also past the out-of-pocket maximum) count the
larger amount once, and a claim-level finding counts only its excess over the line findings it
covers. ``by_class`` applies the same rule to each error class on its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import msgspec

from scanner.accumulators import Replay, replay
from scanner.actions import deadlines_from
from scanner.check_output import OutputGuard
from scanner.checks import Check, CheckContext
from scanner.isolation import DEADLINE_FACTOR, Breaker, TimedOut, Workers
from scanner.logs import plugin_running
from scanner.model import (
    CheckStatus,
    Claim,
    Finding,
    ScanRequest,
    ScanResult,
    Summary,
    decode_request,
    encode,
)
from scanner.money import Money
from scanner.plugins import Registry, default_registry
from scanner.reference import load_reference

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

#: A check slower than this per scan is reported as slow. One that takes ``DEADLINE_FACTOR``
#: times as long is abandoned, reported as timed out, and skipped by later scans
#: (:mod:`scanner.isolation`).
DEFAULT_BUDGET_MS = 200.0

#: The checks that timed out in this process.
BREAKER = Breaker()


@dataclass(frozen=True)
class _Outcome:
    findings: list[Finding]
    status: CheckStatus


def scan(
    request: ScanRequest,
    registry: Registry | None = None,
    *,
    budget_ms: float = DEFAULT_BUDGET_MS,
    deadline_ms: float | None = None,
    breaker: Breaker = BREAKER,
) -> ScanResult:
    """Scan the request's claims with every registered check.

    ``budget_ms`` is each check's time budget per scan; ``deadline_ms`` (by default
    ``DEADLINE_FACTOR`` times the budget) is when the scan stops waiting for a check.
    """
    registry = registry or default_registry()
    context = CheckContext(
        as_of=request.as_of or dt.date.today(),
        reference=load_reference(),
        plan=request.plan,
        bills=tuple(request.bills),
    )
    accumulators = _replay(request)
    context = dataclasses.replace(
        context, accumulators=accumulators, ledger=accumulators.ledger if accumulators else ()
    )
    limits = _Limits(
        budget_ms,
        deadline_ms or budget_ms * DEADLINE_FACTOR,
        breaker,
        OutputGuard(request.claims, request.bills),
    )
    as_sent = encode(request)
    with Workers() as workers:
        outcomes = [_run(check, request.claims, context, limits, workers) for check in registry.checks]
        if encode(request) != as_sent:
            # Some check changed its input: start again from the request as sent, watching each
            # check, so the culprit's findings are dropped and the others rest on true data.
            context = _restore(request, as_sent, context)
            outcomes = _run_watched(registry.checks, request, as_sent, context, limits, workers)
    findings = order_findings([f for o in outcomes for f in o.findings], request.claims)
    return ScanResult(
        findings=findings,
        summary=summarize(findings, request.claims),
        checks=[o.status for o in outcomes],
        ledger=list(context.ledger),
        deadlines=deadlines_from(findings, request.claims),
    )


def _run_watched(
    checks: Sequence[Check],
    request: ScanRequest,
    as_sent: bytes,
    context: CheckContext,
    limits: _Limits,
    workers: Workers,
) -> list[_Outcome]:
    outcomes = []
    for check in checks:
        outcome = _run(check, request.claims, context, limits, workers)
        if encode(request) != as_sent:
            context = _restore(request, as_sent, context)
            outcome = _changed_its_input(outcome)
        outcomes.append(outcome)
    return outcomes


def _restore(request: ScanRequest, as_sent: bytes, context: CheckContext) -> CheckContext:
    """Put the request back as the client sent it, for the next checks and for the caller."""
    original = decode_request(as_sent)
    request.claims[:] = original.claims
    request.bills[:] = original.bills
    request.plan = original.plan
    return dataclasses.replace(context, plan=request.plan, bills=tuple(request.bills))


def _changed_its_input(outcome: _Outcome) -> _Outcome:
    """A check that changed the claims it was given: its findings rest on altered data."""
    status = msgspec.structs.replace(
        outcome.status, status="error", error=f"check {outcome.status.name} changed the claims it was given"
    )
    return _Outcome([], status)


def _replay(request: ScanRequest) -> Replay | None:
    """The accumulator replay, computed once per scan for every check and for the result's
    ledger. A failure leaves it out (checks then replay on their own and report their own error)
    rather than costing the user the findings."""
    try:
        return replay(request.claims, request.plan)
    except Exception:
        return None


@dataclass(frozen=True)
class _Limits:
    budget_ms: float
    deadline_ms: float
    breaker: Breaker
    guard: OutputGuard


def _run(
    check: Check, claims: Sequence[Claim], context: CheckContext, limits: _Limits, workers: Workers
) -> _Outcome:
    if limits.breaker.is_open(check):
        reason = f"check {check.name} timed out in an earlier scan; it is skipped until restart"
        return _Outcome([], _status(check, "skipped", 0.0, reason, slow=False))
    start = time.perf_counter()
    error = None
    try:
        produced, exc = workers.call(lambda: _quietly(check, claims, context), limits.deadline_ms / 1000)
    except TimedOut:
        limits.breaker.trip(check)
        produced, exc = [], None
        error = f"check {check.name} timed out after {limits.deadline_ms:.0f} ms and was abandoned"
    if exc is not None:
        # Only the type: an exception's text may quote claim data.
        produced, error = [], f"{type(exc).__name__} raised by check {check.name}"
    findings, problem = limits.guard.validated(produced, check)
    error = error or problem
    elapsed = (time.perf_counter() - start) * 1000
    status = _status(check, "error" if error else "ok", elapsed, error, slow=elapsed > limits.budget_ms)
    return _Outcome(findings, status)


def _quietly(check: Check, claims: Sequence[Claim], context: CheckContext) -> list[object]:
    """Run a check with its log records and prints muted (see :mod:`scanner.logs`)."""
    token = plugin_running.set(True)
    try:
        return list(check.check(claims, context))
    finally:
        plugin_running.reset(token)


def _status(check: Check, status: str, elapsed: float, error: str | None, *, slow: bool) -> CheckStatus:
    return CheckStatus(
        name=check.name,
        version=check.version,
        status=status,  # type: ignore[arg-type]
        duration_ms=round(elapsed, 3),
        error=error,
        slow=slow,
    )


def order_findings(findings: Iterable[Finding], claims: Sequence[Claim]) -> list[Finding]:
    """Claim order of the request, then line order, then severity, then rule code."""
    claim_index = {claim.id: i for i, claim in enumerate(claims)}
    line_index = {(claim.id, line.id): j for claim in claims for j, line in enumerate(claim.lines)}

    def key(f: Finding) -> tuple[int, int, int, str, str, str]:
        first_line = min((line_index[(f.claim_id, lid)] for lid in f.line_ids), default=-1)
        return (
            claim_index.get(f.claim_id, len(claim_index)),
            first_line,
            SEVERITY_ORDER[f.severity],
            f.rule,
            ",".join(f.line_ids),
            f.message,
        )

    return sorted(findings, key=key)


def summarize(findings: Sequence[Finding], claims: Sequence[Claim]) -> Summary:
    """Totals for the result; see the module docstring for the no-double-counting rule."""
    lines_of = {claim.id: tuple(line.id for line in claim.lines) for claim in claims}
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] += 1
    classes: list[str] = sorted({f.error_class for f in findings})
    by_class: dict[str, Money] = {
        error_class: at_stake([f for f in findings if f.error_class == error_class], lines_of)
        for error_class in classes
    }
    return Summary(
        patient_responsibility=patient_responsibility(claims),
        amount_at_stake=at_stake(findings, lines_of),
        by_class=by_class,
        counts=counts,
    )


def at_stake(findings: Sequence[Finding], lines_of: dict[str, tuple[str, ...]]) -> Money:
    """The dollars at stake in ``findings``, each line's dollars counted once."""
    counted: dict[tuple[str, str], int] = {}
    total = 0

    def owner(f: Finding) -> str:
        return f.claim_id or f"bill:{f.bill_id}"

    def place(f: Finding) -> tuple[str, ...]:
        return tuple(f.line_ids) or lines_of.get(f.claim_id, ()) or ("",)

    for f in sorted(findings, key=lambda f: (owner(f), len(place(f)), -f.amount_at_stake)):
        lines = place(f)
        extra = f.amount_at_stake - sum(counted.get((owner(f), line), 0) for line in lines)
        if extra > 0:
            counted[(owner(f), lines[0])] = counted.get((owner(f), lines[0]), 0) + extra
            total += extra
    return Money(total)


def patient_responsibility(claims: Sequence[Claim]) -> Money:
    """What the EOBs say the patient owes, leaving out claims replaced by another in the scan."""
    present = {claim.id for claim in claims}
    total = 0
    for claim in claims:
        if any(r.relationship == "replaced_by" and r.claim_id in present for r in claim.related):
            continue
        from_lines = [line.patient_responsibility for line in claim.lines]
        if any(amount is not None for amount in from_lines):
            total += sum(amount or 0 for amount in from_lines)
        elif claim.totals and claim.totals.patient_responsibility is not None:
            total += claim.totals.patient_responsibility
    return Money(total)
