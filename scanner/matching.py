"""Which EOB claim a provider's bill is for, and which EOB line each bill line is.

A bill and an EOB describe the same visit in different words: the bill may carry the insurer's
claim id or not, list codes or only descriptions, repeat a service, or show payments already
made. Matching is therefore a ladder of evidence, strongest first, and every match says how sure
it is (``confidence``), so a rule built on a weak match can say so instead of accusing anyone.

Claim ladder: the bill's ``claim_id`` (high); else a score from the provider's name, the dates
of service and the amounts (high or medium; too little evidence or a tie means no match).

Line ladder: date and code (high); the same service listed twice on the bill (medium, both bill
lines point at the one EOB line); date and amount (medium; low when the codes disagree);
description words (low). A bill line left over has no EOB line: possibly never sent to the
insurer.

Reversal lines (a negative twin cancelling an earlier line, as insurers print when they
re-adjudicate) are netted out first, here and in the duplicate check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import msgspec

from scanner.line_amounts import is_reversal
from scanner.model import AMOUNT_FIELDS, Bill, BillLine, Claim, Confidence, ServiceLine

LineHow = Literal["code", "repeat", "amount", "description"]
ClaimHow = Literal["claim_id", "provider_dates_amounts"]

_CONFIDENCE_ORDER: dict[Confidence, int] = {"low": 0, "medium": 1, "high": 2}
_NAME_NOISE = frozenset(
    {"the", "of", "and", "llc", "inc", "pc", "pa", "md", "do", "pllc", "corp", "co", "ltd", "group", "&"}
)
_DESCRIPTION_NOISE = frozenset({"the", "of", "and", "with", "w", "for", "a", "an", "to", "in", "on"})


def weakest(*levels: Confidence) -> Confidence:
    return min(levels, key=_CONFIDENCE_ORDER.__getitem__)


# --- reversals -----------------------------------------------------------------------------


def _negates(reversal: ServiceLine, original: ServiceLine, *, exact: bool) -> bool:
    if reversal.code != original.code or reversal.units != original.units:
        return False
    if reversal.service_date and original.service_date and reversal.service_date != original.service_date:
        return False
    names = AMOUNT_FIELDS if exact else ("billed",)
    for name in names:
        minus, plus = getattr(reversal, name), getattr(original, name)
        if exact and (minus is None) != (plus is None):
            return False
        if minus is not None and plus is not None and minus != -plus:
            return False
    return True


def net_reversals(lines: Sequence[ServiceLine]) -> list[ServiceLine]:
    """The lines that still stand once each reversal has cancelled its twin.

    A reversal cancels the earliest line it negates exactly (every amount the negation of the
    other's); failing that, the earliest with the same code and the negated billed amount. A
    reversal with no twin is dropped too: it is not a service.
    """
    return [lines[index] for index in standing_positions(lines)]


def standing_positions(lines: Sequence[ServiceLine]) -> list[int]:
    """Where in ``lines`` the lines of :func:`net_reversals` are, in order."""
    cancelled: set[int] = set()
    for index, line in enumerate(lines):
        if not is_reversal(line):
            continue
        cancelled.add(index)
        for exact in (True, False):
            twin = next(
                (
                    j
                    for j, other in enumerate(lines)
                    if j not in cancelled and not is_reversal(other) and _negates(line, other, exact=exact)
                ),
                None,
            )
            if twin is not None:
                cancelled.add(twin)
                break
    return [index for index in range(len(lines)) if index not in cancelled]


def _successors(claims: Sequence[Claim]) -> dict[str, str]:
    """Claim id -> the id of the claim of the scan that replaced it."""
    present = {claim.id for claim in claims}
    successors: dict[str, str] = {}
    for claim in claims:
        for r in claim.related:
            if r.claim_id not in present or r.claim_id == claim.id:
                continue
            if r.relationship == "replaced_by":
                successors.setdefault(claim.id, r.claim_id)
            else:
                successors.setdefault(r.claim_id, claim.id)
    return successors


def current_claims(claims: Sequence[Claim]) -> list[Claim]:
    """The claims not replaced by another claim of the scan (``related``), in request order."""
    replaced = _successors(claims)
    return [claim for claim in claims if claim.id not in replaced]


def replacement_of(claim_id: str, claims: Sequence[Claim]) -> Claim | None:
    """The claim of the scan that finally replaces ``claim_id`` (following a chain), if any."""
    successors = _successors(claims)
    current, seen = claim_id, {claim_id}
    while current in successors and successors[current] not in seen:
        current = successors[current]
        seen.add(current)
    if current == claim_id:
        return None
    return next(claim for claim in claims if claim.id == current)


# --- words ---------------------------------------------------------------------------------


def name_words(name: str | None) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", (name or "").lower())
    return frozenset(w for w in words if w not in _NAME_NOISE)


def description_words(text: str | None) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", (text or "").lower())
    return frozenset(w for w in words if w not in _DESCRIPTION_NOISE and len(w) > 1)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the other (for names and descriptions, not money)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def normal_code(code: str | None) -> str | None:
    """``" 99213-25 "`` -> ``"99213"``: the bill may print the modifier with the code."""
    if not code:
        return None
    match = re.match(r"\s*([A-Za-z0-9]{4,5})", code)
    return match.group(1).upper() if match else code.strip().upper()


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineMatch:
    """One bill line and the EOB line it was matched to (``None``: no EOB line found)."""

    index: int
    bill_line: BillLine
    eob_line: ServiceLine | None
    how: LineHow | None
    confidence: Confidence
    repeat_of: int | None = None

    @property
    def label(self) -> str:
        line = self.bill_line
        return line.id or f"bill line {self.index + 1}"


@dataclass(frozen=True)
class BillMatch:
    """A bill, its claim and its lines."""

    bill: Bill
    claim: Claim
    how: ClaimHow
    confidence: Confidence
    lines: tuple[LineMatch, ...] = field(default_factory=tuple)
    eob_lines: tuple[ServiceLine, ...] = field(default_factory=tuple)

    def for_eob_line(self, line_id: str) -> list[LineMatch]:
        return [m for m in self.lines if m.eob_line is not None and m.eob_line.id == line_id]

    @property
    def unmatched(self) -> list[LineMatch]:
        return [m for m in self.lines if m.eob_line is None]


# --- claims --------------------------------------------------------------------------------


def _line_date(line: ServiceLine, claim: Claim) -> dt.date | None:
    return line.service_date or claim.service_start


def _in_claim_dates(day: dt.date, claim: Claim) -> bool | None:
    start = claim.service_start or claim.service_end
    end = claim.service_end or claim.service_start
    dates = {line.service_date for line in claim.lines if line.service_date}
    if start is None and not dates:
        return None
    if start is not None and end is not None and start <= day <= end:
        return True
    return day in dates


def _score(bill: Bill, claim: Claim) -> int | None:
    """Evidence that ``bill`` is for ``claim``; None when something rules it out."""
    score = 0
    names = [p.name for p in (claim.provider, claim.facility) if p is not None and p.name]
    if bill.provider_name and names:
        best = max(overlap(name_words(bill.provider_name), name_words(n)) for n in names)
        if best == 0:
            return None
        score += 2 if best >= 0.99 else 1
    days = [line.service_date for line in bill.lines if line.service_date]
    if days:
        inside = [_in_claim_dates(day, claim) for day in days]
        if any(v is False for v in inside) and not any(v is True for v in inside):
            return None
        score += 2 if all(v is True for v in inside) else (1 if any(inside) else 0)
    lines = net_reversals(claim.lines)
    charges = sorted(line.charge for line in bill.lines if line.charge is not None)
    billed = sorted(line.billed for line in lines if line.billed is not None)
    if charges and charges == billed:
        score += 2
    elif charges and set(charges) & set(billed):
        score += 1
    codes = {normal_code(line.code) for line in bill.lines if line.code}
    if codes and codes <= {normal_code(line.code) for line in lines if line.code}:
        score += 1
    owed = patient_share(claim)
    if bill.amount_due is not None and owed is not None and bill.amount_due + (bill.amount_paid or 0) == owed:
        score += 1
    return score


def patient_share(claim: Claim) -> int | None:
    """What the EOB says the patient owes for the claim (reversals netted out)."""
    shares = [line.patient_responsibility for line in net_reversals(claim.lines)]
    if any(s is not None for s in shares):
        return sum(s or 0 for s in shares)
    if claim.totals is not None:
        return claim.totals.patient_responsibility
    return None


def given_with(bill: Bill, claims: Sequence[Claim]) -> Bill:
    """A bill given together with an EOB of one claim, and naming none, is for that claim: that
    is why the two were given together. With several claims the bill must name its own (the
    claim number it prints), else it is matched by provider, dates and amounts."""
    if bill.claim_id or len(claims) != 1:
        return bill
    return msgspec.structs.replace(bill, claim_id=claims[0].id)


def find_claim(bill: Bill, claims: Sequence[Claim]) -> tuple[Claim, ClaimHow, Confidence] | None:
    """The claim the bill is for: by id (or the EOB's claim number), else by evidence."""
    if bill.claim_id:
        named = next((c for c in claims if bill.claim_id in (c.id, c.claim_number)), None)
        if named is not None:
            return replacement_of(named.id, claims) or named, "claim_id", "high"
    scored = [(s, c) for c in current_claims(claims) if (s := _score(bill, c)) is not None]
    scored.sort(key=lambda pair: -pair[0])
    if not scored or scored[0][0] < 3:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    best, claim = scored[0]
    return claim, "provider_dates_amounts", "high" if best >= 5 else "medium"


# --- lines ---------------------------------------------------------------------------------


def _same_day(bill_line: BillLine, eob_line: ServiceLine, claim: Claim) -> bool | None:
    day = _line_date(eob_line, claim)
    if bill_line.service_date is None or day is None:
        return None
    return bill_line.service_date == day


def _pick(candidates: list[ServiceLine], bill_line: BillLine) -> ServiceLine:
    """Among equal candidates, the one whose billed amount is the bill's charge."""
    return next(
        (c for c in candidates if c.billed is not None and c.billed == bill_line.charge), candidates[0]
    )


def match_lines(bill: Bill, claim: Claim) -> tuple[list[LineMatch], list[ServiceLine]]:
    """Pair each bill line with an EOB line of ``claim`` (see the module docstring)."""
    eob = net_reversals(claim.lines)
    used: set[str] = set()
    found: dict[int, LineMatch] = {}

    def free(predicate: Iterable[ServiceLine]) -> list[ServiceLine]:
        return [line for line in predicate if line.id not in used]

    def take(index: int, line: ServiceLine, how: LineHow, confidence: Confidence) -> None:
        used.add(line.id)
        found[index] = LineMatch(index, bill.lines[index], line, how, confidence)

    # 1. date and code
    for index, bl in enumerate(bill.lines):
        code = normal_code(bl.code)
        if code is None:
            continue
        same = free(e for e in eob if normal_code(e.code) == code and _same_day(bl, e, claim) is not False)
        if same:
            dated = [e for e in same if _same_day(bl, e, claim)]
            take(index, _pick(dated or same, bl), "code", "high" if dated else "medium")

    def repeats() -> None:
        """The same service listed twice on the bill: point the repeat at its twin's EOB line."""
        for index, bl in enumerate(bill.lines):
            if index in found:
                continue
            twin = next(
                (m for m in found.values() if m.repeat_of is None and _same_service(m.bill_line, bl)),
                None,
            )
            if twin is not None and twin.eob_line is not None:
                found[index] = LineMatch(index, bl, twin.eob_line, "repeat", "medium", repeat_of=twin.index)

    # 2. a coded service listed twice
    repeats()

    # 3. date and amount
    for index, bl in enumerate(bill.lines):
        if index in found or bl.charge is None:
            continue
        same = free(e for e in eob if e.billed == bl.charge and _same_day(bl, e, claim) is not False)
        if same:
            line = same[0]
            codes_disagree = bl.code is not None and line.code is not None
            take(index, line, "amount", "low" if codes_disagree else "medium")

    # 4. description words on the same day
    for index, bl in enumerate(bill.lines):
        if index in found or not bl.description:
            continue
        words = description_words(bl.description)
        scored = [
            (overlap(words, description_words(e.description)), e)
            for e in free(eob)
            if _same_day(bl, e, claim) is not False
        ]
        scored = [(s, e) for s, e in scored if s >= 0.5]
        if scored:
            scored.sort(key=lambda pair: -pair[0])
            take(index, scored[0][1], "description", "low")

    # 5. a service without a code listed twice
    repeats()

    matches = [
        found.get(index) or LineMatch(index, bl, None, None, _unmatched_confidence(bl, eob, used, claim))
        for index, bl in enumerate(bill.lines)
    ]
    return matches, eob


def _same_service(a: BillLine, b: BillLine) -> bool:
    """Two bill lines for one service: same day, and same code, or no codes but the same words
    and charge."""
    if a.service_date != b.service_date:
        return False
    code_a, code_b = normal_code(a.code), normal_code(b.code)
    if code_a is not None or code_b is not None:
        return code_a == code_b
    words = description_words(a.description)
    return bool(words) and words == description_words(b.description) and a.charge == b.charge


def _unmatched_confidence(
    bill_line: BillLine, eob: Sequence[ServiceLine], used: set[str], claim: Claim
) -> Confidence:
    """How sure we are that an unmatched bill line really has no EOB line: less sure when the
    bill line has no code and EOB lines of the same day are still unclaimed."""
    open_same_day = [e for e in eob if e.id not in used and _same_day(bill_line, e, claim) is not False]
    if bill_line.code and bill_line.service_date:
        return "high" if not open_same_day else "medium"
    return "medium" if not open_same_day else "low"


def match_bill(bill: Bill, claims: Sequence[Claim]) -> BillMatch | None:
    """The claim and lines of one bill; None when no claim of the scan is clearly its claim."""
    found = find_claim(bill, claims)
    if found is None:
        return None
    claim, how, confidence = found
    lines, eob = match_lines(bill, claim)
    return BillMatch(bill, claim, how, confidence, tuple(lines), tuple(eob))


def match_bills(bills: Sequence[Bill], claims: Sequence[Claim]) -> Iterator[BillMatch]:
    for bill in bills:
        found = match_bill(bill, claims)
        if found is not None:
            yield found
