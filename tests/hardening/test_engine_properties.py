"""Engine invariants over generated claims, with every built-in check loaded.

Whatever claims arrive, a scan returns a result; no check fails on well-formed input; every
finding points at a claim and lines that exist; its amount at stake is never negative and never
more than the patient was asked to pay for what it covers; the summary counts each dollar once
(a line past the out-of-pocket maximum at what its evidence says stays above the maximum once
earlier overcharges are corrected; what a bill asks above the EOB's patient responsibility beside
the EOB's own errors, as the finding's evidence splits it);
and the same request gives the same answer, byte for byte.

The properties of one scan are checked together on each generated request: generating a
request costs more than scanning it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import msgspec
from hypothesis import HealthCheck, given, settings

from scanner.engine import BEYOND_THE_EOB, OFF_THE_EOB, scan
from scanner.isolation import Breaker
from scanner.linked_stakes import linked_amount
from scanner.model import (
    COST_SHARING_FIELDS,
    Bill,
    Claim,
    Finding,
    ScanRequest,
    ScanResult,
    decode_request,
    encode,
    from_snapshot,
    snapshot,
)
from scanner.money import Money, parse_money
from tests.hardening.conftest import builtin_registry
from tests.hardening.strategies import balance_billed_claims, scan_requests

REGISTRY = builtin_registry()

#: The columns that put dollars on the patient, the combined ones among them.
_PATIENT_PARTS = (*COST_SHARING_FIELDS, "not_covered")


def run(request: ScanRequest) -> ScanResult:
    # A generous budget and a fresh breaker: a slow shared machine must not turn into a finding.
    return scan(request, REGISTRY, budget_ms=2000.0, breaker=Breaker())


def _line_ask(claim: Claim, line_ids: Sequence[str]) -> int:
    """The most the EOB asked the patient to pay for these lines, read every way it can be: the
    patient-responsibility column, the cost-sharing columns (with the PR amounts of other reasons
    beside them), or the PR-group adjustments (each one an amount put on the patient, whatever
    credits sit beside it)."""
    total = 0
    for line in claim.lines:
        if line.id not in line_ids:
            continue
        parts = sum(getattr(line, name) or 0 for name in _PATIENT_PARTS)
        patient = [a for a in line.adjustments if a.group == "PR" and a.amount and a.amount > 0]
        pr_group = sum(a.amount or 0 for a in patient)
        # PR-45 and other non-cost-sharing reasons are dollars beside the cost-sharing columns.
        beyond = sum(a.amount or 0 for a in patient if a.reason.lstrip("0") not in {"1", "2", "3"})
        beside_parts = parts + max(beyond - (line.not_covered or 0), 0)
        total += max(line.patient_responsibility or 0, beside_parts, pr_group, 0)
    return total


def _claim_ask(claim: Claim) -> int:
    from_lines = _line_ask(claim, [line.id for line in claim.lines])
    totals = claim.totals
    if totals is None:
        return from_lines
    parts = sum(getattr(totals, name) or 0 for name in _PATIENT_PARTS)
    return max(from_lines, totals.patient_responsibility or 0, parts)


def _bill_ask(bills: Sequence[Bill]) -> int:
    """The most any provider's bill asks for: a balance bill can ask more than the EOB says, and
    a self-pay patient is asked for the charges."""
    asks = [0]
    for bill in bills:
        balances = sum(line.patient_balance or 0 for line in bill.lines)
        charges = sum(line.charge or 0 for line in bill.lines) if bill.self_pay else 0
        asks.append(max(bill.amount_due or 0, balances, charges) + (bill.amount_paid or 0))
    return max(asks)


def asked(finding: Finding, request: ScanRequest) -> int:
    if finding.claim_id == "":  # a finding on a bill no claim matched
        return _bill_ask([bill for bill in request.bills if bill.id == finding.bill_id])
    claim = next(c for c in request.claims if c.id == finding.claim_id)
    every_line = set(finding.line_ids) >= {line.id for line in claim.lines}
    eob = _claim_ask(claim) if every_line else _line_ask(claim, finding.line_ids)
    return max(eob, _bill_ask(request.bills))


def _above_the_eob_share(finding: Finding) -> int:
    """The dollars of a finding that lie above the EOB's patient responsibility, read here from
    what the finding says: all of a bill's charges beyond the EOB (BAL002, BAL003, BAL007); of
    BAL001, the part its evidence puts above the EOB's share (the rest lies inside it, a
    not-covered charge the EOB itself put on the patient), at most what the total counts it at;
    none of any other finding's."""
    if finding.rule in BEYOND_THE_EOB:
        return int(finding.amount_at_stake)
    said = {e.field: e.value for e in finding.evidence}.get("above_the_eob_share")
    if finding.rule != "BAL001" or said is None:
        return 0
    return min(int(parse_money(said)), int(finding.amount_at_stake))


def _places(
    findings: Sequence[Finding], claims: Sequence[Claim]
) -> dict[tuple[str, bool], dict[frozenset[str], int]]:
    """Per claim, the places findings cover (a claim-wide finding covers every line), each with
    the largest amount claimed there: two findings on one place share their dollars. What a bill
    asks beyond the EOB's patient responsibility is a claim's other layer of dollars: it shares
    none with the EOB's (a BAL001 finding puts its part above the EOB's share there, and its part
    inside with the EOB's); and charges the EOB does not list share none with its lines."""
    lines_of = {claim.id: frozenset(line.id for line in claim.lines) or frozenset({""}) for claim in claims}
    places: dict[tuple[str, bool], dict[frozenset[str], int]] = {}

    def claim_at(layer: tuple[str, bool], place: frozenset[str], amount: int) -> None:
        claimed = places.setdefault(layer, {})
        claimed[place] = max(claimed.get(place, 0), amount)

    for f in findings:
        place = frozenset(f.line_ids) or lines_of.get(f.claim_id, frozenset({""}))
        if f.rule in OFF_THE_EOB and not f.line_ids:
            place = frozenset({"charges on no line of the EOB"})
        where, above = f.claim_id or f"bill:{f.bill_id}", _above_the_eob_share(f)
        if above:
            claim_at((where, True), place, above)
        if f.amount_at_stake > above or not above:
            claim_at((where, False), place, int(f.amount_at_stake) - above)
    return places


def _laminar(places: dict[frozenset[str], int]) -> bool:
    return all(a <= b or b <= a or not a & b for a in places for b in places)


def _covered(place: frozenset[str], places: dict[frozenset[str], int]) -> int:
    """The dollars a place holds: its own claim, or what its largest sub-places hold if more."""
    inner = [p for p in places if p < place]
    children = [p for p in inner if not any(p < q for q in inner)]
    return max(places[place], sum(_covered(child, places) for child in children))


def expected_at_stake(findings: Sequence[Finding], claims: Sequence[Claim]) -> tuple[int, int] | int:
    """DESIGN.md's rule, stated independently of the engine: a dollar claimed on a line by
    several findings counts once, and a wider finding adds only its excess over the narrower
    findings it contains. Exact when the places nest (they do in practice); otherwise the
    bounds every answer must respect: the largest single claim, and the plain sum."""
    total, low, high, exact = 0, 0, 0, True
    for places in _places(findings, claims).values():
        low += max(places.values())
        high += sum(places.values())
        if _laminar(places):
            total += sum(_covered(p, places) for p in places if not any(p < q for q in places))
        else:
            exact = False
    return total if exact else (low, high)


def assert_at_stake_as_designed(amount: int, findings: Sequence[Finding], claims: Sequence[Claim]) -> None:
    expected = expected_at_stake(findings, claims)
    if isinstance(expected, tuple):
        assert expected[0] <= amount <= expected[1]
    else:
        assert amount == expected


def without_timings(result: ScanResult) -> bytes:
    checks = [msgspec.structs.replace(c, duration_ms=0.0, slow=False) for c in result.checks]
    return encode(msgspec.structs.replace(result, checks=checks))


def assert_no_check_failed(result: ScanResult) -> None:
    failed = {c.name: c.error for c in result.checks if c.status != "ok"}
    assert not failed
    assert len(result.checks) == len(REGISTRY.checks)


def assert_findings_point_at_what_exists(result: ScanResult, request: ScanRequest) -> None:
    lines = {claim.id: {line.id for line in claim.lines} for claim in request.claims}
    bills = {bill.id for bill in request.bills}
    for finding in result.findings:
        assert finding.bill_id is None or finding.bill_id in bills, finding.rule
        if finding.claim_id == "":  # a bill no claim matched (a self-pay bill): the bill alone
            assert finding.bill_id in bills, finding.rule
            assert finding.line_ids == [], finding.rule
            continue
        assert finding.claim_id in lines, finding.rule
        assert set(finding.line_ids) <= lines[finding.claim_id], finding.rule
        assert len(set(finding.line_ids)) == len(finding.line_ids), finding.rule
        assert finding.rule in REGISTRY.rules


def assert_amounts_at_stake_are_bounded(result: ScanResult, request: ScanRequest) -> None:
    for finding in result.findings:
        assert finding.amount_at_stake >= 0, finding.rule
        assert finding.amount_at_stake <= asked(finding, request), (finding.rule, finding.message)


def as_counted_in_the_total(finding: Finding) -> Finding:
    """A finding at the amount the total counts, when its evidence says it is less (what stays
    past a limit once earlier overcharges are corrected, or what a correction saves over the
    year); never more than its own."""
    linked = linked_amount(finding)
    if linked is None:
        return finding
    # One line, or none: a claim printed with totals only is judged as one line of them.
    assert finding.severity == "error" and len(finding.line_ids) <= 1
    assert 0 <= linked < finding.amount_at_stake
    # What lowers a finding is a correction of the EOB: what a bill asks above it stays whole.
    assert linked >= _above_the_eob_share(finding), finding.rule
    return msgspec.structs.replace(finding, amount_at_stake=linked)


def assert_balance_bills_split_their_dollars(result: ScanResult, request: ScanRequest) -> None:
    """A BAL001 finding says how much of its amount lies above the EOB's patient responsibility
    and how much inside it; the inside part is a not-covered charge the EOB put on the patient,
    so never more than the not-covered amounts of its lines."""
    for finding in result.findings:
        if finding.rule != "BAL001":
            continue
        said = {e.field: e.value for e in finding.evidence}
        above_said, inside_said = said.get("above_the_eob_share"), said.get("inside_the_eob_share")
        assert above_said is not None and inside_said is not None, finding.message
        above, inside = parse_money(above_said), parse_money(inside_said)
        assert above >= 0 and inside >= 0
        assert above + inside == finding.amount_at_stake
        claim = next(c for c in request.claims if c.id == finding.claim_id)
        not_covered = [line.not_covered for line in claim.lines if line.id in finding.line_ids]
        if not claim.lines and claim.totals is not None:  # a claim printed with totals only
            not_covered = [claim.totals.not_covered]
        assert inside <= sum(max(amount or 0, 0) for amount in not_covered)


def assert_summary_counts_each_dollar_once(result: ScanResult, request: ScanRequest) -> None:
    summary, findings = result.summary, result.findings
    totalled = [as_counted_in_the_total(f) for f in findings]
    assert_at_stake_as_designed(summary.amount_at_stake, totalled, request.claims)
    for error_class in {f.error_class for f in findings}:
        of_class = [f for f in findings if f.error_class == error_class]
        assert_at_stake_as_designed(summary.by_class.get(error_class, 0), of_class, request.claims)
    assert summary.amount_at_stake <= sum(summary.by_class.values())
    parts = summary.total_by_severity
    assert set(parts) == {"error", "warning", "info"}
    assert all(part >= 0 for part in parts.values())
    assert sum(parts.values()) == summary.amount_at_stake
    errors_alone = [f for f in totalled if f.severity == "error"]
    assert_at_stake_as_designed(parts["error"], errors_alone, request.claims)
    severities = Counter(f.severity for f in findings)
    assert summary.counts == {s: severities.get(s, 0) for s in ("error", "warning", "info")}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scan_requests())
def test_every_scan_keeps_the_engine_invariants(request: ScanRequest) -> None:
    result = run(request)
    assert_no_check_failed(result)
    assert_findings_point_at_what_exists(result, request)
    assert_amounts_at_stake_are_bounded(result, request)
    assert_balance_bills_split_their_dollars(result, request)
    assert_summary_counts_each_dollar_once(result, request)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(balance_billed_claims())
def test_a_balance_bill_beside_an_error_on_the_eob_keeps_the_engine_invariants(request: ScanRequest) -> None:
    """Generated scans rarely match a bill to a line the EOB also gets wrong: here every one does."""
    result = run(request)
    assert_no_check_failed(result)
    assert_amounts_at_stake_are_bounded(result, request)
    assert_balance_bills_split_their_dollars(result, request)
    assert_summary_counts_each_dollar_once(result, request)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scan_requests())
def test_the_same_request_gives_the_same_bytes(request: ScanRequest) -> None:
    first = without_timings(run(request))
    assert without_timings(run(request)) == first
    assert without_timings(run(decode_request(encode(request)))) == first


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scan_requests())
def test_the_engines_snapshot_of_a_request_restores_it_exactly(request: ScanRequest) -> None:
    """What the engine restores after a check changed its input is the request as sent."""
    restored = from_snapshot(snapshot(request))
    assert restored == request
    assert encode(restored) == encode(request)  # amounts are Money again, written as "12.34"


@settings(max_examples=200, deadline=None)
@given(scan_requests())
def test_any_changed_amount_changes_the_snapshot(request: ScanRequest) -> None:
    for claim in request.claims:
        for line in claim.lines:
            before = snapshot(request)
            line.billed = Money((line.billed or 0) + 1)
            assert snapshot(request) != before
            return


def test_a_snapshot_keeps_integers_wider_than_64_bits() -> None:
    request = decode_request(
        b'{"claims":[{"id":"c1","lines":[{"id":"1","units":1000000000000000000000000000000,"billed":"12.50"}]}]}'
    )
    assert from_snapshot(snapshot(request)) == request
