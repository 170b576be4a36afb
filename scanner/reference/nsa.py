"""No Surprises Act lists: which care the law protects, and what the payer's NSA remarks mean.

The law protects a patient from out-of-network prices in three situations: emergency care,
non-emergency care by an out-of-network provider during a visit to an in-network facility, and
out-of-network air ambulance transport. In each, the patient owes only in-network cost sharing,
and the provider may not bill the rest. ``data/nsa_services.csv`` says how an EOB reveals each
situation (a place of service, a revenue or procedure code range, the provider's role);
``data/nsa_remarks.csv`` says what each NSA remark code (RARC N830, N859-N885) means for the
patient. Every row names its source and the date it was checked.

Ancillary services (emergency medicine, anesthesiology, pathology, radiology, neonatology,
assistant surgeons, hospitalists, intensivists, laboratory) are protected even if the patient
signed a consent form, because the law does not let a patient waive them; other out-of-network
providers at an in-network facility are protected unless a valid notice and consent was signed.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from scanner.model import Claim, Network, Party, ServiceLine

DATA = Path(__file__).parent / "data"

#: What a row reveals. ``ground_ambulance`` and ``facility`` limit the protections: the law
#: leaves ground ambulances out, and protects care at an in-network facility only at a hospital,
#: a hospital outpatient department or an ambulatory surgical center (45 CFR 149.30).
Category = Literal["emergency", "ancillary", "air_ambulance", "ground_ambulance", "facility"]
Match = Literal["place_of_service", "code_range", "role"]
RemarkEffect = Literal[
    "protected",
    "payment_basis",
    "emergency",
    "facility",
    "air_ambulance",
    "balance_billing_prohibited",
    "consent_valid",
    "may_apply",
    "not_applied",
]
#: Why a line is protected: emergency care; an ancillary provider at an in-network facility
#: (consent cannot waive it); another out-of-network provider at an in-network facility
#: (protected unless a valid consent was signed); air ambulance; or the payer's remark says so.
Protection = Literal["emergency", "air_ambulance", "ancillary", "facility", "remark"]

_CATEGORIES: dict[str, Category] = {
    c: c for c in ("emergency", "ancillary", "air_ambulance", "ground_ambulance", "facility")
}
_MATCHES: dict[str, Match] = {m: m for m in ("place_of_service", "code_range", "role")}
_EFFECTS: dict[str, RemarkEffect] = {
    e: e
    for e in (
        "protected",
        "payment_basis",
        "emergency",
        "facility",
        "air_ambulance",
        "balance_billing_prohibited",
        "consent_valid",
        "may_apply",
        "not_applied",
    )
}
_CODE = re.compile(r"^(?P<prefix>[A-Z]*)(?P<digits>\d+)$")


@dataclass(frozen=True)
class ServiceRow:
    """One way an EOB reveals protected care."""

    category: Category
    match: Match
    code_system: str | None
    first: str
    last: str
    label: str
    source: str
    checked: dt.date

    def matches_code(self, system: str | None, code: str | None) -> bool:
        if self.match != "code_range" or code is None or system != self.code_system:
            return False
        return _in_range(_shape(system, code), _shape(system, self.first), _shape(system, self.last))


@dataclass(frozen=True)
class NsaRemark:
    """An NSA remark code: what it says, in our words, and what the patient should do."""

    code: str
    effect: RemarkEffect
    text: str
    what_to_do: str
    source: str
    checked: dt.date


@dataclass(frozen=True)
class NsaTables:
    services: tuple[ServiceRow, ...]
    remarks: dict[str, NsaRemark]
    _last_emergency: tuple[object, bool] = field(default=(None, False), compare=False, repr=False)

    @cached_property
    def _places(self) -> dict[Category, frozenset[str]]:
        return {
            category: frozenset(
                r.first for r in self.services if r.category == category and r.match == "place_of_service"
            )
            for category in _CATEGORIES.values()
        }

    @cached_property
    def _roles(self) -> dict[Category, frozenset[str]]:
        return {
            category: frozenset(
                r.first for r in self.services if r.category == category and r.match == "role"
            )
            for category in _CATEGORIES.values()
        }

    @cached_property
    def _ranges(self) -> dict[Category, tuple[tuple[str | None, _Shape, _Shape], ...]]:
        """Each category's code ranges, parsed once: (code system, first, last)."""
        return {
            category: tuple(
                (r.code_system, _shape(r.code_system, r.first), _shape(r.code_system, r.last))
                for r in self.services
                if r.category == category and r.match == "code_range"
            )
            for category in _CATEGORIES.values()
        }

    def _code_in(self, category: Category, line: ServiceLine) -> bool:
        if line.code is None or line.code_system is None:
            return False
        shape = _shape(line.code_system, line.code)
        return any(
            system == line.code_system and _in_range(shape, first, last)
            for system, first, last in self._ranges[category]
        )

    # --- what kind of care ---------------------------------------------------------------

    def emergency_line(self, line: ServiceLine) -> bool:
        """An emergency room revenue code or an emergency department visit code."""
        return self._code_in("emergency", line)

    def emergency_claim(self, claim: Claim) -> bool:
        """The EOB says emergency: the flag, place of service 23, or an emergency code.

        Checks ask this for every line of a claim, so the last answer is kept: one tuple, swapped
        whole (safe when scans run in several threads), holding the claim it is about.
        """
        last_claim, last_answer = self._last_emergency
        if last_claim is claim:
            return last_answer
        answer = self._emergency(claim)
        object.__setattr__(self, "_last_emergency", (claim, answer))  # a cache, not state
        return answer

    def _emergency(self, claim: Claim) -> bool:
        if claim.emergency:
            return True
        if claim.place_of_service is not None and claim.place_of_service.strip() in self._places["emergency"]:
            return True
        return any(self.emergency_line(line) for line in claim.lines)

    def ancillary(self, claim: Claim, line: ServiceLine) -> bool:
        """Care the law counts as ancillary: by the provider's role, or by the code when the role
        is not printed."""
        role = claim.provider.role if claim.provider else None
        if role is not None and role != "other":
            return role in self._roles["ancillary"]
        return self._code_in("ancillary", line)

    def ground_ambulance(self, claim: Claim, line: ServiceLine) -> bool:
        """A ground ambulance: by the provider's role, the place of service or the code."""
        role = claim.provider.role if claim.provider else None
        if role is not None and role in self._roles["ground_ambulance"]:
            return True
        place = (claim.place_of_service or "").strip()
        return place in self._places["ground_ambulance"] or self._code_in("ground_ambulance", line)

    def protected_facility(self, claim: Claim) -> bool:
        """The visit was at a kind of facility the law covers, or the EOB does not say where."""
        place = (claim.place_of_service or "").strip()
        return not place or place in self._places["facility"]

    def air_ambulance(self, claim: Claim, line: ServiceLine) -> bool:
        role = claim.provider.role if claim.provider else None
        if role is not None and role in self._roles["air_ambulance"]:
            return True
        return self._code_in("air_ambulance", line)

    # --- remarks -------------------------------------------------------------------------

    def remark(self, code: str) -> NsaRemark | None:
        return self.remarks.get(code.strip().upper())

    def line_remarks(self, line: ServiceLine) -> list[NsaRemark]:
        if not line.remarks:
            return []
        found = (self.remark(code) for code in line.remarks)
        return [remark for remark in found if remark is not None]

    def remark_effects(self, line: ServiceLine) -> set[RemarkEffect]:
        if not line.remarks:
            return set()
        return {remark.effect for remark in self.line_remarks(line)}

    # --- the decision --------------------------------------------------------------------

    def protection(self, claim: Claim, line: ServiceLine) -> Protection | None:
        """Why the No Surprises Act protects this line, or None.

        Out-of-network care only: a line of an in-network provider at an in-network facility
        needs no protection. Emergency care whose network the EOB does not say is protected too:
        in network or out, no one may bill for it above the allowance. The first reason that
        applies wins, strongest first.
        """
        effects = self.remark_effects(line)
        consent = "consent_valid" in effects
        if "emergency" in effects:
            return "emergency"
        if self.ground_ambulance(claim, line) and not self.air_ambulance(claim, line):
            # No federal protection, even on the way to the emergency room: only a remark of the
            # payer's own (or a state law, which we do not know) protects it.
            protected = effects & {"facility", "balance_billing_prohibited", "protected"}
            return "remark" if protected and not consent else None
        maybe_out = out_of_network_involved(claim, line) or _network_unsaid(claim, line)
        # A consent can waive only care after the patient was stable (post-stabilisation), never
        # the emergency visit itself: a consent remark on an emergency room line changes nothing.
        if maybe_out and self.emergency_claim(claim) and (not consent or self.emergency_line(line)):
            return "emergency"
        if "air_ambulance" in effects:
            return "air_ambulance"
        if out_of_network_involved(claim, line) and self.air_ambulance(claim, line):
            return "air_ambulance"
        if _out_of_network_provider_at_in_network_facility(claim, line) and self.protected_facility(claim):
            if self.ancillary(claim, line):
                return "ancillary"
            return None if consent else "facility"
        if not consent and effects & {"facility", "balance_billing_prohibited", "protected"}:
            return "remark"
        return None


def _network(party: Party | None) -> Network:
    return party.network if party is not None else "unknown"


def _out_of_network_provider_at_in_network_facility(claim: Claim, line: ServiceLine) -> bool:
    if _network(claim.facility) != "in":
        return False
    provider = _network(claim.provider)
    return provider == "out" or (provider == "unknown" and line.network == "out")


def _network_unsaid(claim: Claim, line: ServiceLine) -> bool:
    return line.network == "unknown" and _network(claim.provider) == "unknown"


def out_of_network_involved(claim: Claim, line: ServiceLine) -> bool:
    """Someone involved in the care was out of network, or the line was processed as such."""
    return "out" in (_network(claim.provider), _network(claim.facility), line.network)


#: A code's shape: its letter prefix, its number of characters and its number; None when the
#: code is not letters followed by digits (``0001U``), which is in no numeric range.
_Shape = tuple[str, int, int] | None


@lru_cache(maxsize=4096)
def _shape(system: str | None, code: str) -> _Shape:
    bare = code.strip().upper()
    if system == "REV" and bare.isdigit():
        bare = bare.zfill(4)
    match = _CODE.match(bare)
    if match is None:
        return None
    return match.group("prefix"), len(bare), int(match.group("digits"))


def _in_range(code: _Shape, first: _Shape, last: _Shape) -> bool:
    """Codes of one shape compare by their number: ``A0431`` is within ``A0430``-``A0431``."""
    if code is None or first is None or last is None:
        return False
    if not code[0] == first[0] == last[0] or not code[1] == first[1] == last[1]:
        return False
    return first[2] <= code[2] <= last[2]


def _rows(name: str) -> Iterable[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _service(row: dict[str, str]) -> ServiceRow:
    if row["category"] not in _CATEGORIES or row["match"] not in _MATCHES:
        raise ValueError("nsa_services.csv has an unknown category or match kind")
    if not row["source"].strip():
        raise ValueError("nsa_services.csv has a row without a source")
    return ServiceRow(
        category=_CATEGORIES[row["category"]],
        match=_MATCHES[row["match"]],
        code_system=row["code_system"] or None,
        first=row["first"],
        last=row["last"] or row["first"],
        label=row["label"],
        source=row["source"],
        checked=dt.date.fromisoformat(row["checked"]),
    )


def _remark(row: dict[str, str]) -> NsaRemark:
    if row["effect"] not in _EFFECTS:
        raise ValueError("nsa_remarks.csv has an unknown effect")
    if not row["source"].strip():
        raise ValueError("nsa_remarks.csv has a row without a source")
    return NsaRemark(
        code=row["code"].strip().upper(),
        effect=_EFFECTS[row["effect"]],
        text=row["text"],
        what_to_do=row["what_to_do"],
        source=row["source"],
        checked=dt.date.fromisoformat(row["checked"]),
    )


@lru_cache(maxsize=1)
def load_nsa() -> NsaTables:
    """The NSA tables, read once per process."""
    services = tuple(_service(row) for row in _rows("nsa_services.csv"))
    remarks: dict[str, NsaRemark] = {}
    for row in _rows("nsa_remarks.csv"):
        remark = _remark(row)
        if remark.code in remarks:
            raise ValueError("nsa_remarks.csv lists a code twice")
        remarks[remark.code] = remark
    return NsaTables(services=services, remarks=remarks)
