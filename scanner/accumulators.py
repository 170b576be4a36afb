"""Deductible and out-of-pocket accumulators, replayed from the claims of a scan.

An insurer keeps, per member and per family, how much of the deductible and of the out-of-pocket
maximum has been met in the plan year. Every claim's cost sharing depends on those figures, and
the patient never sees them. :func:`replay` rebuilds them: it starts from what the plan context
says was met before the earliest claim of the scan (``Plan.deductible_met`` / ``Plan.oop_met``,
family totals on a family tier) and adds each claim's cost sharing in service-date order.

How the replay counts
- Cost sharing is the deductible, copay and coinsurance of a line; all of it counts toward the
  out-of-pocket maximum, the deductible part toward the deductible.
- Only in-network lines count, plus out-of-network care the No Surprises Act protects (the law
  makes its cost sharing count toward the in-network limits). Other out-of-network lines have
  their own limits the plan context does not describe. Dental, vision and pending claims, and
  claims replaced by another claim of the scan, are left out; so are lines outside the plan year.
- A family tier has two limits per kind: the member's own (embedded) one and the family's. What
  is left before a line is the smaller of the two.
- What counts is what was charged: an overcharge stays in the tally (the insurer counted it too),
  and what is left of a limit never goes below zero.
- A reversal line (negative amounts) takes its amounts back, except the reversal of a claim the
  scan already left out as replaced. It does so before the other lines of its claim, however
  the EOB orders them (:func:`replay_order`), unless it cancels a line printed before it.

Unknown amounts are never guessed. A line whose cost sharing is not printed, a missing starting
amount, a family member's own share of what the family met before the scan, a line whose network
is unknown: each counts as zero and marks every later figure of that tally as a lower bound
(``exact`` false, ``LedgerEntry.partial`` true). Because the replay can only under-count, a limit
it finds reached was reached, and an excess it computes is at least that large; checks lower
their confidence and say "at least" instead of inventing numbers.

Which rule reports which dollars (the engine counts the largest finding per line anyway):
- OOP001: cost sharing above what was left of the out-of-pocket maximum (``oop_excess``).
- insurer_processing, "deductible applied after it was met": a deductible on a line when nothing
  of the deductible was left before it (``deductible_left == 0``).
- OOP002: a deductible larger than what was left of it, when something was left
  (``0 < deductible_left < deductible``): the limit was crossed within the line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import msgspec

from scanner.line_amounts import cost_sharing, is_reversal
from scanner.model import Amounts, Claim, LedgerEntry, Plan, ServiceLine
from scanner.money import Money
from scanner.networks import billing_network, line_network
from scanner.reference.nsa import NsaTables, Protection, load_nsa
from scanner.standings import Floor, printed_floors

Scope = Literal["individual", "family"]
Kind = Literal["deductible", "oop"]

#: Protections whose cost sharing counts toward the in-network limits without doubt. A non-ancillary
#: provider at an in-network facility ("facility") may have had a valid consent, so it is left out.
COUNTED_PROTECTIONS: frozenset[Protection] = frozenset({"emergency", "air_ambulance", "ancillary", "remark"})

EXCLUDED_CLAIM_TYPES = frozenset({"dental", "vision"})


class Limit(msgspec.Struct, frozen=True, gc=False):
    """One limit (a deductible or an out-of-pocket maximum) as it stood before a line."""

    scope: Scope
    maximum: int
    met: int
    exact: bool
    #: An individual deductible inside a family plan, taken as embedded: some family plans
    #: (many HSA-qualified ones) have only an aggregate family deductible.
    assumed_embedded: bool = False
    #: The EOB's printed standing ``met`` rests on, when it raised the replay's own count.
    printed: Floor | None = None

    @property
    def left(self) -> int:
        left = self.maximum - self.met
        return left if left > 0 else 0


class LineState(msgspec.Struct, frozen=True, gc=False):
    """A line of the replay: what it charged and what was left of each limit before it."""

    claim_id: str
    line_id: str
    member: str
    service_date: dt.date | None
    counted: bool
    #: Why the line does not count (our words, no claim data); None when it counts.
    reason: str | None
    deductible: int | None
    cost_sharing: int | None
    deductible_limits: tuple[Limit, ...] = ()
    oop_limits: tuple[Limit, ...] = ()
    plan_year_assumed: bool = False

    @property
    def deductible_limit(self) -> Limit | None:
        """The limit that binds: the one with the least left."""
        return _binding(self.deductible_limits)

    @property
    def oop_limit(self) -> Limit | None:
        return _binding(self.oop_limits)

    @property
    def deductible_left(self) -> int | None:
        limit = self.deductible_limit
        return None if limit is None else limit.left

    @property
    def oop_left(self) -> int | None:
        limit = self.oop_limit
        return None if limit is None else limit.left

    @property
    def deductible_excess(self) -> int:
        """Deductible charged beyond what was left of the deductible (0 when none)."""
        return _excess(self.counted, self.deductible, self.deductible_left)

    @property
    def oop_excess(self) -> int:
        """Cost sharing charged beyond what was left of the out-of-pocket maximum."""
        return _excess(self.counted, self.cost_sharing, self.oop_left)

    @property
    def deductible_exact(self) -> bool:
        """The deductible figures before this line are exact, not lower bounds."""
        return not self.plan_year_assumed and all(limit.exact for limit in self.deductible_limits)

    @property
    def oop_exact(self) -> bool:
        return not self.plan_year_assumed and all(limit.exact for limit in self.oop_limits)


@dataclass(frozen=True)
class Replay:
    """The result of a replay: each line's state and the ledger after each claim."""

    lines: Mapping[tuple[str, str], LineState]
    ledger: tuple[LedgerEntry, ...]
    #: Claims left out entirely, with the reason in our words.
    excluded: Mapping[str, str]
    plan_year: tuple[dt.date, dt.date] | None
    plan_year_assumed: bool
    #: Per member, (deductible, out-of-pocket maximum) left before the first claim of the scan,
    #: None when unknown; the smaller of the member's and the family's.
    left_at_start: Mapping[str, tuple[int | None, int | None]] = field(default_factory=dict)

    def line(self, claim_id: str, line_id: str) -> LineState | None:
        return self.lines.get((claim_id, line_id))

    def most_left(self, member: str) -> tuple[int | None, int | None]:
        """The most of the in-network (deductible, out-of-pocket maximum) any line of the member
        could have had left, correctly processed: what was left before the scan, since what is
        met only grows. Unlike a line's own state, it holds when an earlier line was overcharged
        (the replay counts the overcharge, as the insurer did)."""
        return self.left_at_start.get(member, (None, None))


def replay(claims: Sequence[Claim], plan: Plan | None) -> Replay:
    """Replay the claims' cost sharing against the plan's limits. Pure and deterministic."""
    excluded = excluded_claims(claims)
    included = [claim for claim in claims if claim.id not in excluded]
    ordered = sorted(enumerate(included), key=lambda pair: _order_key(pair[1], pair[0]))
    year, assumed = plan_year(plan, [claim for _, claim in ordered])
    tallies = _Tallies.start(plan, {claim.member for claim in included})
    left_at_start = {member: tallies.left(member) for member in tallies.members}
    floors = [
        floor for floor in printed_floors(included) if year is None or year[0] <= floor.as_of <= year[1]
    ]
    reversed_away = replaced_ids(claims)
    originals = original_lines(included) if any(map(is_reversal, _all_lines(included))) else {}
    states: dict[tuple[str, str], LineState] = {}
    ledger: list[LedgerEntry] = []
    for _, claim in ordered:
        floors = tallies.raise_to(floors, _claim_date(claim) or dt.date.max)
        applied = _replay_claim(claim, year, assumed, tallies, reversed_away, originals, states)
        if applied is not None:
            ledger.append(tallies.entry(claim, applied))
    return Replay(
        lines=states,
        ledger=tuple(ledger),
        excluded=excluded,
        plan_year=year,
        plan_year_assumed=assumed,
        left_at_start=left_at_start,
    )


def ledger(claims: Sequence[Claim], plan: Plan | None) -> list[LedgerEntry]:
    """Just the ledger: per member, the deductible and out-of-pocket met after each claim."""
    return list(replay(claims, plan).ledger)


# --- which claims and lines take part ---------------------------------------------------------


def excluded_claims(claims: Sequence[Claim]) -> dict[str, str]:
    """Claims the replay leaves out, and why."""
    replaced = replaced_ids(claims)
    reasons: dict[str, str] = {}
    for claim in claims:
        if claim.id in replaced:
            reasons[claim.id] = "replaced by a later claim of this scan"
        elif claim.status == "pending":
            reasons[claim.id] = "still pending"
        elif claim.claim_type in EXCLUDED_CLAIM_TYPES:
            reasons[claim.id] = "dental and vision claims have their own limits"
    return reasons


def replaced_ids(claims: Sequence[Claim]) -> set[str]:
    """Ids of claims that another claim of the scan replaces (either side may say so)."""
    present = {claim.id for claim in claims}
    replaced: set[str] = set()
    for claim in claims:
        for related in claim.related:
            if related.claim_id not in present or related.claim_id == claim.id:
                continue
            if related.relationship == "replaced_by":
                replaced.add(claim.id)
            else:
                replaced.add(related.claim_id)
    return replaced


def plan_year(plan: Plan | None, ordered: Sequence[Claim]) -> tuple[tuple[dt.date, dt.date] | None, bool]:
    """The plan year, and whether it had to be assumed (the calendar year of the first claim)."""
    start = plan.plan_year_start if plan else None
    end = plan.plan_year_end if plan else None
    if start and end:
        return (start, end), False
    if start:
        return (start, _year_later(start) - dt.timedelta(days=1)), False
    if end:
        return (_year_earlier(end) + dt.timedelta(days=1), end), False
    first = next((date for date in (_claim_date(c) for c in ordered) if date is not None), None)
    if first is None:
        return None, True
    return (dt.date(first.year, 1, 1), dt.date(first.year, 12, 31)), True


def _year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # February 29
        return day.replace(year=day.year + 1, day=28)


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _claim_date(claim: Claim) -> dt.date | None:
    if claim.service_start is not None:
        return claim.service_start
    dates = [line.service_date for line in claim.lines if line.service_date is not None]
    return min(dates) if dates else claim.service_end


def _order_key(claim: Claim, index: int) -> tuple[dt.date, dt.date, int]:
    return (_claim_date(claim) or dt.date.max, claim.processed_date or dt.date.max, index)


# --- amounts ----------------------------------------------------------------------------------


def charged(amounts: ServiceLine | Amounts) -> tuple[int | None, int | None]:
    """(deductible, cost sharing) charged, or (None, None) when the EOB does not say.

    A line that prints any of deductible, copay or coinsurance shows its breakdown, so a part it
    leaves blank is zero. A line without a breakdown is known only when nothing of it can be
    cost sharing: denied, or the patient's share is all "not covered". A deductible printed
    together with other cost sharing counts toward the out-of-pocket maximum, but how much of it
    went to the deductible is unknown.
    """
    shared = cost_sharing(amounts)
    if shared is not None:
        if amounts.deductible_and_cost_sharing is not None:
            return None, shared
        return amounts.deductible or 0, shared
    if isinstance(amounts, ServiceLine) and amounts.denied:
        return 0, 0
    share = amounts.patient_responsibility
    if share is not None and share <= (amounts.not_covered or 0):
        return 0, 0
    return None, None


# --- the tallies ------------------------------------------------------------------------------


@dataclass
class _Tally:
    amount: int = 0
    exact: bool = True
    #: The floor an EOB printed that this figure rests on, if one raised it.
    printed: Floor | None = None

    def add(self, cents: int | None) -> None:
        if cents is None:
            self.exact = False
        else:
            self.amount = max(self.amount + cents, 0)

    def raise_to(self, floor: Floor) -> None:
        """The insurer's own tally on an earlier date is at least what was met: more than the
        replay counted means claims it never saw, so the figure is a lower bound from here."""
        if floor.met > self.amount:
            self.amount, self.exact, self.printed = floor.met, False, floor


@dataclass
class _Pair:
    deductible: _Tally = field(default_factory=_Tally)
    oop: _Tally = field(default_factory=_Tally)

    def tally(self, kind: Kind) -> _Tally:
        return self.deductible if kind == "deductible" else self.oop


@dataclass
class _Tallies:
    plan: Plan | None
    family_tier: bool
    members: dict[str, _Pair]
    family: _Pair

    @classmethod
    def start(cls, plan: Plan | None, members: set[str]) -> _Tallies:
        family_tier = plan is not None and plan.coverage_tier == "family"
        deductible_met = plan.deductible_met if plan else None
        oop_met = plan.oop_met if plan else None
        family = _Pair(_starting(deductible_met), _starting(oop_met))
        tallies = cls(plan=plan, family_tier=family_tier, members={}, family=family)
        only_member = len(members) == 1
        for member in sorted(members):
            if not family_tier and only_member:
                pair = _Pair(_starting(deductible_met), _starting(oop_met))
            else:
                # The member's own share of what was met before the scan is unknown, unless
                # nothing was met at all.
                pair = _Pair(_share_of(deductible_met), _share_of(oop_met))
            tallies.members[member] = pair
        return tallies

    def limits(self, member: str, kind: Kind) -> tuple[Limit, ...]:
        if self.plan is None:
            return ()
        individual, family = _maxima(self.plan, kind)
        found: list[Limit] = []
        own = self.members[member].tally(kind)
        if individual is not None:
            embedded = kind == "deductible" and self.family_tier
            found.append(Limit("individual", individual, own.amount, own.exact, embedded, own.printed))
        if self.family_tier and family is not None:
            whole = self.family.tally(kind)
            found.append(Limit("family", family, whole.amount, whole.exact, printed=whole.printed))
        return tuple(found)

    def left(self, member: str) -> tuple[int | None, int | None]:
        """(deductible, out-of-pocket) left now for the member, None without the plan's limits.
        Where what was met is a lower bound, this is an upper bound: still the most left."""
        deductible, oop = _binding(self.limits(member, "deductible")), _binding(self.limits(member, "oop"))
        return (deductible.left if deductible else None, oop.left if oop else None)

    def raise_to(self, floors: list[Floor], before: dt.date) -> list[Floor]:
        """Raise the tallies to the floors printed before ``before``; the floors still ahead."""
        ahead = 0
        while ahead < len(floors) and floors[ahead].as_of < before:
            floor = floors[ahead]
            pair = self.family if floor.member is None else self.members.get(floor.member)
            if pair is not None:
                pair.tally(floor.kind).raise_to(floor)
            ahead += 1
        return floors[ahead:]

    def add(self, member: str, deductible: int | None, cost_sharing: int | None) -> None:
        for pair in (self.members[member], self.family):
            pair.deductible.add(deductible)
            pair.oop.add(cost_sharing)

    def unsure(self, member: str) -> None:
        """Something that may have counted was not counted: later figures are lower bounds."""
        self.add(member, None, None)

    def entry(self, claim: Claim, applied: tuple[int | None, int | None]) -> LedgerEntry:
        own = self.members[claim.member]
        individual_deductible, family_deductible = _maxima(self.plan, "deductible")
        individual_oop, family_oop = _maxima(self.plan, "oop")
        deductible_partial, oop_partial = not own.deductible.exact, not own.oop.exact
        family_deductible_met = family_oop_met = None
        if self.family_tier:
            family_deductible_met = _capped(self.family.deductible.amount, family_deductible)
            family_oop_met = _capped(self.family.oop.amount, family_oop)
            deductible_partial = deductible_partial or not self.family.deductible.exact
            oop_partial = oop_partial or not self.family.oop.exact
        return LedgerEntry(
            member=claim.member,
            claim_id=claim.id,
            service_date=_claim_date(claim),
            deductible_met=Money(_capped(own.deductible.amount, individual_deductible)),
            oop_met=Money(_capped(own.oop.amount, individual_oop)),
            family_deductible_met=_money(family_deductible_met),
            family_oop_met=_money(family_oop_met),
            deductible_applied=_money(applied[0]),
            oop_applied=_money(applied[1]),
            deductible_partial=deductible_partial,
            oop_partial=oop_partial,
        )


def _starting(met: int | None) -> _Tally:
    return _Tally(0, False) if met is None else _Tally(max(int(met), 0), True)


def _share_of(met: int | None) -> _Tally:
    return _Tally(0, met is not None and met <= 0)


def _maxima(plan: Plan | None, kind: Kind) -> tuple[int | None, int | None]:
    if plan is None:
        return None, None
    if kind == "deductible":
        return plan.deductible_individual, plan.deductible_family
    return plan.oop_max_individual, plan.oop_max_family


def _capped(amount: int, maximum: int | None) -> int:
    return amount if maximum is None else min(amount, maximum)


def _money(cents: int | None) -> Money | None:
    return None if cents is None else Money(cents)


def _binding(limits: tuple[Limit, ...]) -> Limit | None:
    if len(limits) < 2:  # nearly always: one limit, or none
        return limits[0] if limits else None
    return min(limits, key=lambda limit: limit.left)


def _excess(counted: bool, amount: int | None, left: int | None) -> int:
    if not counted or amount is None or left is None or amount <= 0:
        return 0
    return max(amount - left, 0)


# --- one claim --------------------------------------------------------------------------------


def _replay_claim(
    claim: Claim,
    year: tuple[dt.date, dt.date] | None,
    assumed: bool,
    tallies: _Tallies,
    replaced: set[str],
    originals: Mapping[ChargeKey, set[str]],
    states: dict[tuple[str, str], LineState],
) -> tuple[int | None, int | None] | None:
    """Add one claim to the tallies; return what it applied, or None when nothing of it is in
    the plan year."""
    if not claim.lines:
        return _replay_totals(claim, year, tallies)
    reverses_replaced = any(
        related.relationship == "replaces" and related.claim_id in replaced for related in claim.related
    )
    nsa = load_nsa()
    applied: list[tuple[int | None, int | None]] = []
    in_year = False
    for line in replay_order(claim, originals):
        date = line.service_date or claim.service_start or claim.service_end
        amounts = charged(line)
        reason = _left_out(claim, line, date, year, reverses_replaced, nsa)
        if reason is not None:
            if reason == _UNSURE and amounts[1] != 0:
                tallies.unsure(claim.member)
            states[(claim.id, line.id)] = _state(claim, line, date, amounts, assumed, reason)
            in_year = in_year or reason not in (_OUTSIDE, _UNDATED)
            continue
        in_year = True
        states[(claim.id, line.id)] = _state(claim, line, date, amounts, assumed, None, tallies)
        tallies.add(claim.member, *amounts)
        applied.append(amounts)
    if not in_year:
        return None
    return _sum_known(applied)


#: What identifies the line a reversal cancels: member, code, (deductible, cost sharing) charged.
ChargeKey = tuple[str, str | None, tuple[int | None, int | None]]


def original_lines(claims: Sequence[Claim]) -> dict[ChargeKey, set[str]]:
    """Which claims hold a line (not a reversal) with these amounts: where a reversal's original is."""
    found: dict[ChargeKey, set[str]] = {}
    for claim in claims:
        for line in claim.lines:
            if not is_reversal(line):
                found.setdefault((claim.member, line.code, charged(line)), set()).add(claim.id)
    return found


def _all_lines(claims: Sequence[Claim]) -> Iterator[ServiceLine]:
    for claim in claims:
        yield from claim.lines


def replay_order(claim: Claim, originals: Mapping[ChargeKey, set[str]]) -> list[ServiceLine]:
    """The claim's lines in the order their amounts enter the tallies: reversals of lines of
    other claims first, then the rest as printed.

    An adjustment claim takes the old claim's amounts back, then applies the corrected ones, in
    whichever order it prints them. Replayed as printed, [corrected +$500 deductible, reversal
    -$500] would find the deductible already met before the corrected line and report it as
    charged after it was met. That holds too when the old claim is not in the scan (the plan's
    deductible met already counts it). A reversal keeps its place only when a line printed
    before it on the same claim is what it cancels, and no other claim of the scan holds that
    line: it must follow that line, since a tally never goes below zero.
    """
    lines = claim.lines
    if not any(is_reversal(line) for line in lines):
        return list(lines)
    first: list[ServiceLine] = []
    rest: list[ServiceLine] = []
    for index, line in enumerate(lines):
        if is_reversal(line) and not _cancels_an_earlier_line(claim, index, originals):
            first.append(line)
        else:
            rest.append(line)
    return first + rest


def _cancels_an_earlier_line(claim: Claim, index: int, originals: Mapping[ChargeKey, set[str]]) -> bool:
    reversal = claim.lines[index]
    deductible, share = charged(reversal)
    if share is None:
        return True  # nothing to match it by: it keeps its printed place
    key = (claim.member, reversal.code, (None if deductible is None else -deductible, -share))
    if originals.get(key, set()) - {claim.id}:
        return False  # the line it cancels is on another claim
    return any(charged(line) == key[2] and line.code == reversal.code for line in claim.lines[:index])


def _state(
    claim: Claim,
    line: ServiceLine,
    date: dt.date | None,
    amounts: tuple[int | None, int | None],
    assumed: bool,
    reason: str | None,
    tallies: _Tallies | None = None,
) -> LineState:
    """The line's state; the limits as they stand now, when it counts."""
    return LineState(
        claim_id=claim.id,
        line_id=line.id,
        member=claim.member,
        service_date=date,
        counted=reason is None,
        reason=reason,
        deductible=amounts[0],
        cost_sharing=amounts[1],
        deductible_limits=tallies.limits(claim.member, "deductible") if tallies else (),
        oop_limits=tallies.limits(claim.member, "oop") if tallies else (),
        plan_year_assumed=assumed,
    )


_OUTSIDE = "outside the plan year"
_UNDATED = "no service date"
_UNSURE = "network level not printed"


def _left_out(
    claim: Claim,
    line: ServiceLine,
    date: dt.date | None,
    year: tuple[dt.date, dt.date] | None,
    reverses_replaced: bool,
    nsa: NsaTables,
) -> str | None:
    if date is None:
        return _UNDATED
    if year is not None and not year[0] <= date <= year[1]:
        return _OUTSIDE
    if reverses_replaced and is_reversal(line):
        return "reverses a claim this scan already left out"
    level = line_network(claim, line)
    if level == "in" or nsa.protection(claim, line) in COUNTED_PROTECTIONS:
        return None
    if level == "out":
        return "out of network, with limits of its own"
    return _UNSURE


def _replay_totals(
    claim: Claim, year: tuple[dt.date, dt.date] | None, tallies: _Tallies
) -> tuple[int | None, int | None] | None:
    """A claim printed without lines: its totals count, at the claim's network level."""
    date = _claim_date(claim)
    if date is None or (year is not None and not year[0] <= date <= year[1]):
        return None
    level = billing_network(claim)  # a hospital's own claim names only the facility
    deductible, cost_sharing = charged(claim.totals) if claim.totals else (None, None)
    if level == "out":
        return 0, 0
    if level == "unknown":
        if cost_sharing != 0:
            tallies.unsure(claim.member)
        return 0, 0
    tallies.add(claim.member, deductible, cost_sharing)
    return deductible, cost_sharing


def _sum_known(applied: list[tuple[int | None, int | None]]) -> tuple[int | None, int | None]:
    deductibles = [d for d, _ in applied]
    shares = [s for _, s in applied]
    return (
        None if any(d is None for d in deductibles) else sum(d or 0 for d in deductibles),
        None if any(s is None for s in shares) else sum(s or 0 for s in shares),
    )
