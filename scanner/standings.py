"""What the EOBs of a scan printed about the plan's limits, as the replay uses it.

An EOB's standing ("Out-of-pocket maximum $4,000.00, met $4,000.00", :class:`PrintedAccumulators`)
says two things the patient would otherwise have to type. The limits are the plan's: they fill
in what the plan context leaves out. What is met is the insurer's own tally on the EOB's date: no
claim served after that date can be in it, so for every such claim it is a floor under the
replay's figure (:mod:`scanner.accumulators`). A floor raises what the replay counted, never adds
to it, so a claim the insurer had counted is never counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import msgspec

from scanner.model import Claim, Evidence, Plan, PrintedAccumulators
from scanner.money import dollars, format_money

Kind = Literal["deductible", "oop"]

_LIMITS = {
    "deductible_individual": "deductible",
    "oop_max_individual": "oop_max",
    "deductible_family": "family_deductible",
    "oop_max_family": "family_oop_max",
}


@dataclass(frozen=True)
class Floor:
    """What one EOB said was met of one limit, on its date. ``member`` None: the family's."""

    as_of: dt.date
    member: str | None
    kind: Kind
    met: int
    claim_id: str

    def sentence(self) -> str:
        """The evidence in words: "the EOB dated 2026-03-28 prints $4,000.00 met"."""
        return f"the EOB dated {self.as_of.isoformat()} prints {dollars(self.met)} met"

    def evidence(self, field: str) -> Evidence:
        return Evidence(
            field=field,
            value=format_money(self.met),
            note=f"printed by the insurer on the EOB dated {self.as_of.isoformat()}",
        )


def printed_floors(claims: Sequence[Claim]) -> list[Floor]:
    """Every dated figure of what was met the scan's EOBs printed, oldest first."""
    floors = [floor for claim in claims for floor in _floors_of(claim)]
    return sorted(floors, key=lambda floor: (floor.as_of, floor.claim_id))


def _floors_of(claim: Claim) -> Iterator[Floor]:
    printed = claim.accumulators
    if printed is None or printed.as_of is None:
        return
    figures: tuple[tuple[str | None, Kind, int | None], ...] = (
        (claim.member, "deductible", printed.deductible_met),
        (claim.member, "oop", printed.oop_met),
        (None, "deductible", printed.family_deductible_met),
        (None, "oop", printed.family_oop_met),
    )
    for member, kind, met in figures:
        if met is not None:
            yield Floor(printed.as_of, member, kind, int(met), claim.id)


def with_printed_limits(plan: Plan | None, claims: Sequence[Claim]) -> Plan | None:
    """The plan with the limits it leaves out taken from the scan's EOBs (the latest printed
    wins). What the patient typed is kept; with no plan at all, family limits printed make it a
    family plan."""
    standings = [c.accumulators for c in claims if c.accumulators is not None]
    if not standings:
        return plan
    latest = sorted(standings, key=lambda s: s.as_of or dt.date.min, reverse=True)
    found = {name: _first(latest, printed) for name, printed in _LIMITS.items()}
    found = {name: value for name, value in found.items() if value is not None}
    if not found:
        return plan
    if plan is None:
        family = "deductible_family" in found or "oop_max_family" in found
        return msgspec.structs.replace(Plan(coverage_tier="family" if family else "individual"), **found)
    missing = {name: value for name, value in found.items() if getattr(plan, name) is None}
    return msgspec.structs.replace(plan, **missing) if missing else plan


def _first(standings: Sequence[PrintedAccumulators], name: str) -> int | None:
    return next((getattr(s, name) for s in standings if getattr(s, name) is not None), None)


def described(printed: PrintedAccumulators) -> str:
    """The standing in words, as the patient can check it against the EOB: "on 2026-03-28:
    deductible $620.00 of $1,500.00 met; out-of-pocket maximum $4,000.00"."""
    parts = [
        _figure(name, met, limit)
        for name, met, limit in (
            ("deductible", printed.deductible_met, printed.deductible),
            ("out-of-pocket maximum", printed.oop_met, printed.oop_max),
            ("family deductible", printed.family_deductible_met, printed.family_deductible),
            ("family out-of-pocket maximum", printed.family_oop_met, printed.family_oop_max),
        )
        if met is not None or limit is not None
    ]
    when = f"on {printed.as_of.isoformat()}" if printed.as_of else "undated"
    return f"{when}: " + "; ".join(parts)


def _figure(name: str, met: int | None, limit: int | None) -> str:
    if met is None:
        return f"{name} {dollars(limit or 0)}"
    return f"{name} {dollars(met)}" + ("" if limit is None else f" of {dollars(limit)}") + " met"
