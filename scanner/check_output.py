"""What a check returns is checked before the user sees it.

A check is plugin code: it may return things that are not findings, findings of rules it never
declared, findings about claims that do not exist, a flood of findings, or dollar amounts no EOB
supports. The engine keeps what is well formed, bounds the rest, and says what was wrong, so one
careless plugin never misleads the user about what is at stake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from scanner.line_amounts import patient_parts
from scanner.model import Amounts, Bill, Claim, Finding, ServiceLine
from scanner.money import Money
from scanner.reference.adjustment_codes import COST_SHARING_CARCS, normalize_carc

#: A check may report this many findings per scan, or ``FINDINGS_PER_LINE`` per line if more.
MAX_FINDINGS = 100
FINDINGS_PER_LINE = 10


class _Declared(Protocol):
    name: str

    @property
    def rules(self) -> Sequence[object]: ...


def _line_ask(line: ServiceLine) -> int:
    """The most an EOB line asks the patient for, read every way it prints it: the
    responsibility column, the cost-sharing columns, or the PR-group adjustments. A PR amount of
    another reason (PR-45, a charge above the allowance) adds to the columns unless the
    not-covered column already holds it."""
    parts = patient_parts(line) or 0
    patient = [a for a in line.adjustments if a.group == "PR" and (a.amount or 0) > 0]
    pr_group = sum(a.amount or 0 for a in patient)
    beyond = sum(a.amount or 0 for a in patient if normalize_carc(a.reason) not in COST_SHARING_CARCS)
    beside_parts = parts + max(beyond - (line.not_covered or 0), 0)
    return max(line.patient_responsibility or 0, beside_parts, pr_group, 0)


def _totals_ask(totals: Amounts | None) -> int:
    if totals is None:
        return 0
    return max(totals.patient_responsibility or 0, patient_parts(totals) or 0, 0)


def bill_ask(bill: Bill) -> int:
    """The most a provider's bill asks for, counting what was already paid on it; a self-pay
    patient is asked for the charges."""
    balances = sum(line.patient_balance or 0 for line in bill.lines)
    charges = sum(line.charge or 0 for line in bill.lines) if bill.self_pay else 0
    return max(bill.amount_due or 0, balances, charges, 0) + max(bill.amount_paid or 0, 0)


class _ClaimAsks(NamedTuple):
    """What one claim's lines ask, by line id, computed once for all the findings on it."""

    by_line: dict[str, int]
    lines_with_id: dict[str, int]
    lines: int
    whole: int  # all its lines, or its totals row when that asks more


def _claim_asks(claim: Claim) -> _ClaimAsks:
    by_line: dict[str, int] = {}
    lines_with_id: dict[str, int] = {}
    for line in claim.lines:
        by_line[line.id] = by_line.get(line.id, 0) + _line_ask(line)
        lines_with_id[line.id] = lines_with_id.get(line.id, 0) + 1
    whole = max(sum(by_line.values()), _totals_ask(claim.totals))
    return _ClaimAsks(by_line, lines_with_id, len(claim.lines), whole)


class Ceilings:
    """The most a finding can be worth: what the patient was asked to pay for what it covers,
    by the EOB or by a provider's bill (a balance bill can ask more than the EOB).

    A finding that names its bill (``bill_id``) is bounded by that bill; one that does not (a
    network or denial rule that read some bill of the claim) by the largest bill of the scan.
    A claim's asks are read once, the first time a finding is about it: a long claim with a
    finding on every line costs one pass over its lines, not one per finding."""

    def __init__(self, claims: Sequence[Claim], bills: Sequence[Bill]) -> None:
        self._claims = {claim.id: claim for claim in claims}
        self._asks: dict[str, _ClaimAsks] = {}
        self._bills = {bill.id: bill_ask(bill) for bill in bills}
        self._any_bill = max(self._bills.values(), default=0)

    def of(self, finding: Finding) -> int:
        if finding.claim_id == "":
            return self._bills.get(finding.bill_id or "", 0)
        asks = self._asks.get(finding.claim_id)
        if asks is None:
            asks = self._asks[finding.claim_id] = _claim_asks(self._claims[finding.claim_id])
        wanted = set(finding.line_ids)
        if not wanted or sum(asks.lines_with_id.get(i, 0) for i in wanted) == asks.lines:
            eob = asks.whole
        else:
            eob = sum(asks.by_line.get(i, 0) for i in wanted)
        if finding.bill_id is not None:
            return max(eob, self._bills.get(finding.bill_id, 0))
        return max(eob, self._any_bill)


class OutputGuard:
    """What the findings of one scan are checked against, computed once for all its checks."""

    def __init__(self, claims: Sequence[Claim], bills: Sequence[Bill]) -> None:
        self.lines = {claim.id: {line.id for line in claim.lines} for claim in claims}
        self.bill_ids = {bill.id for bill in bills}
        self.limit = max(MAX_FINDINGS, FINDINGS_PER_LINE * sum(len(claim.lines) for claim in claims))
        self.ceilings = Ceilings(claims, bills)

    def validated(self, produced: Iterable[object], check: _Declared) -> tuple[list[Finding], str | None]:
        """The well-formed findings of one check, bounded, and what was wrong with the rest."""
        declared = {getattr(rule, "code", None) for rule in check.rules}
        kept: list[Finding] = []
        problems: set[str] = set()
        for item in produced:
            if len(kept) >= self.limit:
                problems.add(f"returned more than {self.limit} findings; the rest were dropped")
                break
            problem = _problem(item, declared, self.lines, self.bill_ids)
            if problem is not None:
                problems.add(problem)
                continue
            assert isinstance(item, Finding)
            ceiling = self.ceilings.of(item)
            if item.amount_at_stake > ceiling:
                problems.add(f"claimed more at stake than the patient was asked to pay for rule {item.rule}")
                item.amount_at_stake = Money(ceiling)
            kept.append(item)
        if not problems:
            return kept, None
        return kept, f"check {check.name} " + "; ".join(sorted(problems))


def _problem(
    item: object, declared: set[object], lines: dict[str, set[str]], bill_ids: set[str]
) -> str | None:
    if not isinstance(item, Finding):
        return "returned something that is not a Finding"
    if item.rule not in declared:
        return f"returned a finding of undeclared rule {item.rule}"
    if item.amount_at_stake < 0:
        return f"returned a negative amount at stake for rule {item.rule}"
    if not _refers_to_request(item, lines, bill_ids):
        return f"returned a finding of rule {item.rule} for an unknown claim or line"
    return None


def _refers_to_request(f: Finding, lines: dict[str, set[str]], bill_ids: set[str]) -> bool:
    """A finding points at a claim and its lines, or (claim id empty) at a bill of the request
    that no claim matched, such as a self-pay bill."""
    if f.bill_id is not None and f.bill_id not in bill_ids:
        return False
    if f.claim_id == "":
        return f.bill_id is not None and not f.line_ids
    return f.claim_id in lines and set(f.line_ids) <= lines[f.claim_id]
