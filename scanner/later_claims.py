"""What a correction to an earlier claim costs on the later claims of the plan year.

A preventive visit billed $200 to the deductible in January (PRV001) is $200 the patient does not
owe on that claim. But when the deductible was met later that year, correcting January leaves $200
of the deductible still to meet, and the insurer, reprocessing the later claims as it should once
its tally changes, takes it from them: $200 of a later line moves from "the plan pays 80%, you pay
20%" to "you pay it all", which costs the patient $160. Over the year the correction is worth $40.
The out-of-pocket maximum works alike: once it is reached later in the year, every dollar an
earlier correction takes off is charged again on the lines the maximum had capped. Counting the
full correction in the total would promise money that comes back as a new bill.

:func:`later_cost` re-adjudicates the later lines with the corrected tallies, one at a time in the
insurer's order, and adds up what each would charge more. It re-adjudicates only a line whose
printed deductible and cost sharing it can reproduce from the tallies as processed (deductible up
to what was left, then the plan's coinsurance, capped at what was left of the maximum): a
copay-only visit, a service the deductible does not apply to, or a line with figures that are
lower bounds is taken as it stands. So when in doubt a correction keeps its full value. What the
later lines would cost more is charged to the corrections in order, the earliest first, each at
most its own amount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scanner.accumulators import Limit, LineState, Replay
from scanner.model import Claim, ServiceLine

LineKey = tuple[str, str]


@dataclass
class _Moved:
    """What re-adjudicated lines added to the tallies beyond what they printed, so far."""

    deductible_by_member: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deductible_in_all: int = 0
    oop_by_member: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    oop_in_all: int = 0

    def add(self, member: str, deductible: int, cost_sharing: int) -> None:
        self.deductible_by_member[member] += deductible
        self.deductible_in_all += deductible
        self.oop_by_member[member] += cost_sharing
        self.oop_in_all += cost_sharing


@dataclass
class _Correction:
    """A corrected line and what of its savings later lines have not yet taken back."""

    source: LineKey
    unclaimed: int


def later_cost(
    claims: Sequence[Claim],
    processed: Replay,
    corrected: Replay,
    corrections: Mapping[LineKey, int],
    rate: int | None,
) -> dict[LineKey, int]:
    """For each corrected line (``corrections``: its key and the cost sharing its correction
    takes off), what the later lines would charge more once re-adjudicated with the corrected
    tallies. ``rate`` is the plan's in-network coinsurance percentage."""
    lines = {(claim.id, line.id): line for claim in claims for line in claim.lines}
    waiting: list[_Correction] = []
    moved = _Moved()
    cost: dict[LineKey, int] = {}
    for key, state in corrected.lines.items():
        if key in corrections:
            if corrections[key] > 0 and state.counted:
                waiting.append(_Correction(key, corrections[key]))
            continue
        before, line = processed.lines.get(key), lines.get(key)
        if not waiting or before is None or line is None:
            continue
        extra = _extra_on(line, before, state, moved, rate)
        if extra is None:
            continue
        deductible_more, cost_more = extra
        moved.add(state.member, deductible_more, cost_more)
        for correction in waiting:
            taken = min(correction.unclaimed, cost_more)
            correction.unclaimed -= taken
            cost_more -= taken
            cost[correction.source] = cost.get(correction.source, 0) + taken
        waiting = [correction for correction in waiting if correction.unclaimed > 0]
    return cost


def may_cost_later(processed: Replay, corrections: Mapping[LineKey, int], deductible_removed: bool) -> bool:
    """Whether a line after the first corrected one was held back by a limit as processed: it
    reached the out-of-pocket maximum, or (when a correction takes deductible off) it charged
    coinsurance with the deductible used up. Only such a line can charge more once the earlier
    lines are corrected; without one, the corrected replay is not needed."""
    started = False
    for key, state in processed.lines.items():
        if key in corrections:
            started = started or corrections[key] > 0
            continue
        if not started or not state.counted or not state.cost_sharing:
            continue
        shared, deductible = state.cost_sharing, state.deductible or 0
        if state.oop_left is not None and shared >= state.oop_left:
            return True
        deductible_used_up = state.deductible_left is not None and deductible >= state.deductible_left
        if deductible_removed and deductible_used_up and shared > deductible:
            return True
    return False


def _extra_on(
    line: ServiceLine, before: LineState, after: LineState, moved: _Moved, rate: int | None
) -> tuple[int, int] | None:
    """(more deductible, more cost sharing) the line takes once re-adjudicated, or None when it
    cannot be re-adjudicated (or takes nothing more)."""
    if not _reproducible_kind(line, before, after):
        return None
    copay = line.copay or 0
    rate = rate if rate is not None else _own_rate(line)
    if rate is None:
        return None
    deductible_left, oop_left = before.deductible_left, before.oop_left
    as_printed = (line.deductible or 0, before.cost_sharing or 0)
    if (
        deductible_left is None
        or oop_left is None
        or adjudicate(line, copay, rate, deductible_left, oop_left) != as_printed
    ):
        return None
    now_deductible = _left(
        after.deductible_limits, moved.deductible_by_member[after.member], moved.deductible_in_all
    )
    now_oop = _left(after.oop_limits, moved.oop_by_member[after.member], moved.oop_in_all)
    if now_deductible is None or now_oop is None:
        return None
    deductible, cost_sharing = adjudicate(line, copay, rate, now_deductible, now_oop)
    more = cost_sharing - as_printed[1]
    if more <= 0:
        return None
    return max(deductible - as_printed[0], 0), more


def adjudicate(
    line: ServiceLine, copay: int, rate: int, deductible_left: int, oop_left: int
) -> tuple[int, int]:
    """(deductible, cost sharing) of a line processed the usual way: the deductible up to what is
    left of it, the coinsurance on the rest, all of it capped at what is left of the maximum."""
    allowed = line.allowed or 0
    subject = max(allowed - copay, 0)
    deductible = min(deductible_left, subject)
    coinsurance = ((subject - deductible) * rate + 50) // 100
    return min(deductible, oop_left), min(deductible + copay + coinsurance, oop_left)


def _reproducible_kind(line: ServiceLine, before: LineState, after: LineState) -> bool:
    """A counted line with exact tallies, printed with its deductible and coinsurance, that
    charged some of either (so they apply to it)."""
    if not (before.counted and after.counted and before.deductible_exact and before.oop_exact):
        return False
    if not (after.deductible_exact and after.oop_exact):
        return False
    if line.denied or line.allowed is None or line.deductible is None or line.coinsurance is None:
        return False
    # A line that charged neither may be one they never apply to (a preventive visit, a service
    # the plan covers in full), even past the maximum: nothing on it says otherwise.
    return line.deductible > 0 or line.coinsurance > 0


def _own_rate(line: ServiceLine) -> int | None:
    """The coinsurance percentage the line was charged at, when it says (whole percent)."""
    subject = (line.allowed or 0) - (line.copay or 0) - (line.deductible or 0)
    coinsurance = line.coinsurance or 0
    if subject <= 0 or coinsurance * 100 % subject:
        return None
    return coinsurance * 100 // subject


def _left(limits: Sequence[Limit], moved_member: int, moved_all: int) -> int | None:
    """What is left of the binding limit once the re-adjudicated lines before are counted."""
    if not limits:
        return None
    return min(
        max(limit.left - (moved_member if limit.scope == "individual" else moved_all), 0) for limit in limits
    )
