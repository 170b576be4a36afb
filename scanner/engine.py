"""The engine: run every check on its own, order the findings, add up what is at stake.

Summary rule (no dollar counted twice): within a claim, findings are taken from the narrowest
(one line) to the widest (several lines, or the whole claim), largest amount first. Each finding
adds only what it claims beyond the dollars already counted on its lines. So two rules that flag
the same line (an out-of-network line that is also past the out-of-pocket maximum) count the
larger amount once, and a claim-level finding counts only its excess over the line findings it
covers. ``by_class`` applies the same rule to each error class on its own.

Two kinds of dollars never overlap, so they add up: what the EOB asks the patient to pay beyond
what is owed (every check), and what a provider's bill asks beyond the EOB (``BEYOND_THE_EOB``,
and the part of a BAL001 finding that its evidence puts above the EOB's patient responsibility;
:mod:`scanner.stake_layers`). An EOB that charges $180.00 of out-of-network cost sharing on
protected emergency care, and a bill that asks $950.00 more than that EOB, put $1,130.00 at stake,
not the larger of the two. A BAL001 dollar inside the EOB's share (a not-covered charge above the
allowed amount, which INS001 may find on the EOB too) is the EOB's, counted once with its findings.

A claim that another claim of the scan replaces (an EOB reprocessed) is superseded: the patient
owes what the new one says, so findings on the old one are dropped rather than counted twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import msgspec

from scanner import check_clock
from scanner.accumulators import Replay, replaced_ids, replay
from scanner.actions import deadlines_from
from scanner.bill_notes import unmatched_bill_notes
from scanner.check_output import OutputGuard
from scanner.checks import Check, CheckContext
from scanner.isolation import DEADLINE_FACTOR, Breaker, Outcome, run_with_deadline
from scanner.linked_stakes import Linked, for_the_total, linked_excess, with_linked_evidence
from scanner.logs import plugin_running
from scanner.model import (
    Bill,
    CheckStatus,
    Claim,
    Finding,
    Plan,
    ScanRequest,
    ScanResult,
    Summary,
    from_snapshot,
    snapshot,
)
from scanner.money import Money
from scanner.plugins import Registry, default_registry
from scanner.reference import load_reference
from scanner.stake_layers import BEYOND_THE_EOB as BEYOND_THE_EOB  # re-exported: the engine's rule
from scanner.stake_layers import OFF_THE_EOB as OFF_THE_EOB
from scanner.stake_layers import OFF_THE_EOB_PLACE, above_the_eob
from scanner.standings import with_printed_limits
from scanner.totals_line import about_the_claim, as_printed, with_totals_lines
from scanner.tripwire import Record, arm, disarm

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


#: A check slower than this per scan is reported as slow. One that takes ``DEADLINE_FACTOR``
#: times as long is abandoned, reported as timed out, and skipped by later scans
#: (:mod:`scanner.isolation`). Both are measured without the garbage collector's pauses
#: (:mod:`scanner.check_clock`).
DEFAULT_BUDGET_MS = 200.0

#: The checks that timed out in this process.
BREAKER = Breaker()


class _Outcome(NamedTuple):
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
    sent = request
    request, lined = with_totals_lines(sent)  # a claim printed with totals only: one line of them
    context = check_context(request.claims, request.plan, request.bills, request.as_of or dt.date.today())
    limits = _Limits(
        budget_ms,
        deadline_ms or budget_ms * DEADLINE_FACTOR,
        breaker,
        OutputGuard(request.claims, request.bills),
        frozenset(registry.builtin_checks),
    )
    as_sent = snapshot(request)
    outcomes = _run(registry.checks, request.claims, context, limits)
    if snapshot(request) != as_sent:
        # Some check changed its input: start again from the request as sent, watching each
        # check, so the culprit's findings are dropped and the others rest on true data.
        context = _restore(request, as_sent, context)
        outcomes = _run_watched(registry.checks, request, as_sent, context, limits)
        if request is not sent:  # the client's own request is put back too
            sent.claims[:] = as_printed(request.claims, lined)
            sent.plan = request.plan
    superseded = replaced_ids(request.claims)
    found = [f for o in outcomes for f in o.findings if f.claim_id not in superseded]
    findings = order_findings(found, request.claims)
    linked = linked_excess(findings, request.claims, context.plan, context.accumulators)
    findings = about_the_claim(with_linked_evidence(findings, linked), lined)
    return ScanResult(
        findings=findings,
        summary=summarize(findings, sent.claims, linked),
        checks=[o.status for o in outcomes],
        ledger=list(context.ledger),
        deadlines=deadlines_from(findings, sent.claims),
        notes=unmatched_bill_notes(request.bills, request.claims),
    )


def _run_watched(
    checks: Sequence[Check],
    request: ScanRequest,
    as_sent: bytes,
    context: CheckContext,
    limits: _Limits,
) -> list[_Outcome]:
    outcomes = []
    for check in checks:
        [outcome] = _run([check], request.claims, context, limits)
        if snapshot(request) != as_sent:
            context = _restore(request, as_sent, context)
            outcome = _changed_its_input(outcome)
        outcomes.append(outcome)
    return outcomes


def _restore(request: ScanRequest, as_sent: bytes, context: CheckContext) -> CheckContext:
    """Put the request back as the client sent it, for the next checks and for the caller."""
    original = from_snapshot(as_sent)
    request.claims[:] = original.claims
    request.bills[:] = original.bills
    request.plan = original.plan
    return dataclasses.replace(
        context, plan=with_printed_limits(request.plan, request.claims), bills=tuple(request.bills)
    )


def _changed_its_input(outcome: _Outcome) -> _Outcome:
    """A check that changed the claims it was given: its findings rest on altered data."""
    status = msgspec.structs.replace(
        outcome.status, status="error", error=f"check {outcome.status.name} changed the claims it was given"
    )
    return _Outcome([], status)


def check_context(
    claims: Sequence[Claim], plan: Plan | None, bills: Sequence[Bill], as_of: dt.date
) -> CheckContext:
    """What every check of a scan is given besides the claims (here, and in the plugin process).

    The accumulator replay is computed once per scan, for every check and for the result's
    ledger. A failure leaves it out (checks then replay on their own and report their own error)
    rather than costing the user the findings. The limits the plan leaves out are taken from the
    standing the EOBs printed (:func:`~scanner.standings.with_printed_limits`)."""
    plan = with_printed_limits(plan, claims)
    try:
        accumulators: Replay | None = replay(claims, plan)
    except Exception:
        accumulators = None
    return CheckContext(
        as_of=as_of,
        reference=load_reference(),
        plan=plan,
        bills=tuple(bills),
        accumulators=accumulators,
        ledger=accumulators.ledger if accumulators else (),
    )


@dataclass(frozen=True)
class _Limits:
    budget_ms: float
    deadline_ms: float
    breaker: Breaker
    guard: OutputGuard
    builtin: frozenset[int]


def _run(
    checks: Sequence[Check], claims: Sequence[Claim], context: CheckContext, limits: _Limits
) -> list[_Outcome]:
    """Run the checks the breaker does not hold: ours right here, the plugins' back to back in
    a worker, each under its deadline (:mod:`scanner.isolation`)."""
    # By position, not by ``id()``: every ``id()`` call raises an audit event, and the tripwire's
    # audit hook (:mod:`scanner.tripwire`) makes each one cost a Python call.
    builtin = [id(check) in limits.builtin for check in checks]
    records = [Record() for _ in checks]
    runnable = [i for i, check in enumerate(checks) if not limits.breaker.is_open(check)]

    def job(i: int) -> Callable[[], list[object]]:
        return functools.partial(run_quietly, checks[i], claims, context, records[i])

    plugins = [i for i in runnable if not builtin[i]]
    ran = dict(
        zip(plugins, run_with_deadline([job(i) for i in plugins], limits.deadline_ms / 1000), strict=True)
    )
    for i in runnable:
        if builtin[i]:
            ran[i] = _run_here(job(i))
    return [
        _judged(check, ran[i], records[i], limits) if i in ran else _skipped(check)
        for i, check in enumerate(checks)
    ]


def _run_here(job: Callable[[], object]) -> Outcome:
    """A built-in check, in the scanning thread: handing it to a worker would cost more than it."""
    start = check_clock.now()
    try:
        value = job()
    except Exception as exc:
        return Outcome(error=exc, elapsed_s=check_clock.now() - start)
    return Outcome(value, elapsed_s=check_clock.now() - start)


def _skipped(check: Check) -> _Outcome:
    reason = f"check {check.name} timed out in an earlier scan; it is skipped until restart"
    return _Outcome([], _status(check, "skipped", 0.0, reason, slow=False))


def _judged(check: Check, ran: Outcome, record: Record, limits: _Limits) -> _Outcome:
    """The check's findings, if they pass the output guard, and its status."""
    produced, error = ran.value or [], None
    if ran.timed_out:
        limits.breaker.trip(check)
    if record.violation is not None:
        # Whatever it found, it also tried to send, run or write something: none of it is kept.
        produced = []
        error = f"check {check.name} tried to {record.violation}, which checks may not do; it was stopped"
    elif ran.timed_out:
        error = f"check {check.name} timed out after {limits.deadline_ms:.0f} ms and was abandoned"
    elif ran.error is not None:
        # Only the type: an exception's text may quote claim data.
        produced, error = [], f"{type(ran.error).__name__} raised by check {check.name}"
    findings, problem = limits.guard.validated(produced, check)
    error = error or problem
    elapsed = ran.elapsed_s * 1000
    slow = ran.timed_out or elapsed > limits.budget_ms  # abandoned on the wall clock: slow by definition
    status = _status(check, "error" if error else "ok", elapsed, error, slow=slow)
    return _Outcome(findings, status)


def run_quietly(check: Check, claims: Sequence[Claim], context: CheckContext, record: Record) -> list[object]:
    """Run a check with its log records and prints muted (see :mod:`scanner.logs`), and the
    tripwire armed (see :mod:`scanner.tripwire`)."""
    token, armed = plugin_running.set(True), arm(record)
    try:
        return list(check.check(claims, context))
    finally:
        disarm(armed)
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


def summarize(
    findings: Sequence[Finding], claims: Sequence[Claim], linked: Mapping[int, Linked] | None = None
) -> Summary:
    """Totals for the result; see the module docstring for the no-double-counting rule.

    ``linked`` (from :func:`scanner.linked_stakes.linked_excess`) lowers, in the total only, a
    line past the out-of-pocket maximum to what correcting the earlier overcharges would leave;
    ``by_class`` takes each class on its own, as if the others were not pursued.
    """
    lines_of = {claim.id: tuple(line.id for line in claim.lines) for claim in claims}
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] += 1
    classes: list[str] = sorted({f.error_class for f in findings})
    by_class: dict[str, Money] = {
        error_class: at_stake([f for f in findings if f.error_class == error_class], lines_of)
        for error_class in classes
    }
    counted = for_the_total(findings, linked or {})
    return Summary(
        patient_responsibility=patient_responsibility(claims),
        amount_at_stake=at_stake(counted, lines_of),
        by_class=by_class,
        counts=counts,
        total_by_severity=split_by_severity(counted, lines_of),
    )


def split_by_severity(findings: Sequence[Finding], lines_of: dict[str, tuple[str, ...]]) -> dict[str, Money]:
    """The total at stake in three parts that add up to it: the dollars errors account for (you
    likely don't owe them), then what warnings add on top (worth checking), then what info
    findings add (a saving to ask for, such as a price to negotiate).

    Each part is what its severity adds to the stronger ones, so a line flagged as an error and
    also as a negotiation opportunity counts in the error part, and in the info part only for
    what the negotiation saves beyond the error. ``at_stake`` only grows as findings are added,
    so no part is negative.
    """
    parts: dict[str, Money] = {}
    included: list[Finding] = []
    counted_so_far = 0
    for severity in SEVERITY_ORDER:
        added = [f for f in findings if f.severity == severity]
        if not added:  # most scans have one or two severities: no need to count again
            parts[severity] = Money(0)
            continue
        included += added
        with_this = at_stake(included, lines_of)
        parts[severity] = Money(with_this - counted_so_far)
        counted_so_far = with_this
    return parts


def at_stake(findings: Sequence[Finding], lines_of: dict[str, tuple[str, ...]]) -> Money:
    """The dollars at stake in ``findings``, each line's dollars counted once: the EOB's and the
    bill's beyond it on their own (:data:`BEYOND_THE_EOB`; a finding may have dollars in both,
    :func:`scanner.stake_layers.above_the_eob`)."""
    counted: dict[tuple[str, str], int] = {}
    total = 0

    def place(f: Finding) -> tuple[str, ...]:
        if f.rule in OFF_THE_EOB and not f.line_ids:
            return (OFF_THE_EOB_PLACE,)
        return tuple(f.line_ids) or lines_of.get(f.claim_id, ()) or ("",)

    # (owner, place, amount): a finding's dollars in the EOB's layer and in the bill's above it.
    parts: list[tuple[str, tuple[str, ...], int]] = []
    for f in findings:
        where, lines, amount = f.claim_id or f"bill:{f.bill_id}", place(f), int(f.amount_at_stake)
        above = above_the_eob(f)
        if above:
            parts.append((f"{where}|beyond the EOB", lines, above))
        if amount - above or not above:
            parts.append((where, lines, amount - above))

    for owner, lines, amount in sorted(parts, key=lambda p: (p[0], len(p[1]), -p[2])):
        extra = amount - sum(counted.get((owner, line), 0) for line in lines)
        if extra > 0:
            counted[(owner, lines[0])] = counted.get((owner, lines[0]), 0) + extra
            total += extra
    return Money(total)


def patient_responsibility(claims: Sequence[Claim]) -> Money:
    """What the EOBs say the patient owes, leaving out claims replaced by another in the scan."""
    superseded = replaced_ids(claims)
    total = 0
    for claim in claims:
        if claim.id in superseded:
            continue
        from_lines = [line.patient_responsibility for line in claim.lines]
        if any(amount is not None for amount in from_lines):
            total += sum(amount or 0 for amount in from_lines)
        elif claim.totals and claim.totals.patient_responsibility is not None:
            total += claim.totals.patient_responsibility
    return Money(total)
