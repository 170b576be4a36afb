"""Duplicates: the same service charged to you twice, on one claim or on two.

Insurers print reversals (a negative twin that cancels a line) and reprocessed claims that replace
earlier ones; neither is a duplicate, so both are netted out first. What remains twice (same
member, provider, date, code, modifiers and units) with a patient share on both is a duplicate,
unless a modifier says the repeat is a distinct service (76, 77, 91, 59, XE, XS, XP, XU).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from scanner import hookimpl
from scanner.checks import CheckContext
from scanner.matching import current_claims, name_words, standing_positions
from scanner.model import Action, Claim, Evidence, Finding, Rule, RuleDocs, ServiceLine
from scanner.money import dollars, format_money
from scanner.networks import billing_party

CHECK = "duplicate"
VERSION = "1.0"

#: Modifiers that mark a repeated service as distinct (repeat procedure, repeat lab, separate site).
DISTINCT_MODIFIERS = frozenset({"76", "77", "91", "59", "XE", "XS", "XP", "XU"})

BILLED_TWICE = Rule(
    code="DUP001",
    name="service-billed-twice",
    check=CHECK,
    error_class="duplicate",
    severity="error",
    summary="The same service (member, provider, date, code, units) is charged to you twice.",
    docs=RuleDocs(
        what_it_checks=(
            "Lines with the same member, provider, date of service, code, modifiers and units that "
            "both carry a patient responsibility, on one claim or across claims. Reversal lines "
            "(negative twins) and claims replaced by a reprocessed claim (related: replaces / "
            "replaced_by) are netted out first, and modifiers for a distinct repeat service (76, 77, "
            "91, 59, XE, XS, XP, XU) are respected. The provider is the same by NPI, or by name "
            "when an EOB prints none: a name the scan shows with exactly one NPI is that provider "
            "(medium confidence)."
        ),
        why_it_matters=(
            "A service done once is owed once. Duplicates slip through when a provider resubmits a "
            "claim or when a line is keyed twice, and the second patient share is money you do not "
            "owe."
        ),
        example=(
            "Two lines for 80053 on 2026-03-02 from the same lab, each with $42.00 of coinsurance: "
            "the second $42.00 is at stake."
        ),
        what_to_do=(
            "Ask your insurer to reprocess the duplicate line (it should be denied as a duplicate, "
            "CARC 18), and ask the provider to remove it from your bill. Pay the first line only."
        ),
    ),
)


@dataclass(frozen=True)
class _Entry:
    order: int
    claim: Claim
    line: ServiceLine

    @property
    def day(self) -> dt.date | None:
        return self.line.service_date or self.claim.service_start


def provider_key(claim: Claim) -> str | None:
    """The same provider across claims: its NPI, else the words of its name. A hospital's own
    claim names no provider: the facility billed it (:func:`scanner.networks.billing_party`)."""
    party = billing_party(claim)
    if party is None:
        return None
    if party.npi and party.npi.strip():
        return "npi:" + party.npi.strip()
    return _name_key(party.name)


def _name_key(name: str | None) -> str | None:
    words = name_words(name)
    return "name:" + " ".join(sorted(words)) if words else None


def provider_keys(claims: Sequence[Claim]) -> list[str | None]:
    """:func:`provider_key` of each claim, in order, with one provider printed both ways made one.

    One EOB prints the NPI, another only the name (a PDF EOB rarely shows the NPI): when the scan
    shows that name with exactly one NPI, a claim that names it without an NPI is that provider's.
    A name seen with several NPIs (a group of doctors) stays its own key.
    """
    npis_of: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        party = billing_party(claim)
        if party is not None and party.npi and party.npi.strip():
            name = _name_key(party.name)
            if name is not None:
                npis_of[name].add("npi:" + party.npi.strip())
    keys: list[str | None] = []
    for claim in claims:
        key = provider_key(claim)
        npis = npis_of.get(key, set()) if key is not None else set()
        keys.append(next(iter(npis)) if len(npis) == 1 else key)
    return keys


def standing_lines(claims: Sequence[Claim]) -> list[tuple[Claim, ServiceLine]]:
    """Every line still in force: replaced claims dropped, reversals netted per member and provider."""
    return [(entry.claim, entry.line) for entry, _ in _standing(claims)]


def _standing(claims: Sequence[Claim]) -> list[tuple[_Entry, str]]:
    """:func:`standing_lines` in request order, each with who provided it (:func:`provider_key`,
    else the claim). Lines are told apart by position, not ``id()`` (an audited call that the
    engine's tripwire makes cost a Python call each)."""
    pools: dict[tuple[str, str], list[tuple[_Entry, str]]] = defaultdict(list)
    order = 0
    current = current_claims(claims)
    for claim, key in zip(current, provider_keys(current), strict=True):
        who = key or f"claim:{claim.id}"
        for line in claim.lines:
            pools[(claim.member, who)].append((_Entry(order, claim, line), who))
            order += 1
    standing: list[tuple[_Entry, str]] = []
    for pool in pools.values():
        standing.extend(pool[i] for i in standing_positions([entry.line for entry, _ in pool]))
    return standing


def _key(claim: Claim, line: ServiceLine, who: str, day: dt.date) -> tuple[object, ...]:
    modifiers = tuple(sorted(m.strip().upper() for m in line.modifiers)) if line.modifiers else ()
    return (claim.member, who, day, (line.code or "").strip().upper(), modifiers, line.units)


def _label(entry: _Entry, other: _Entry) -> str:
    where = "this claim" if entry.claim.id == other.claim.id else f"claim {entry.claim.id}"
    return f"line {entry.line.id} of {where}"


class DuplicateCheck:
    """Services charged twice after reversals and replacements are netted out."""

    name = CHECK
    version = VERSION
    rules: Sequence[Rule] = (BILLED_TWICE,)

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        groups: dict[tuple[object, ...], list[_Entry]] = defaultdict(list)
        for entry, who in _standing(claims):
            claim, line = entry.claim, entry.line
            owed = line.patient_responsibility
            if entry.day is None or not line.code or owed is None or owed <= 0:
                continue
            if line.modifiers and DISTINCT_MODIFIERS & {m.strip().upper() for m in line.modifiers}:
                continue
            groups[_key(claim, line, who, entry.day)].append(entry)
        for entries in groups.values():
            entries.sort(key=lambda e: e.order)
            first = entries[0]
            for duplicate in entries[1:]:
                yield self._finding(first, duplicate)

    def _finding(self, first: _Entry, duplicate: _Entry) -> Finding:
        line, claim = duplicate.line, duplicate.claim
        owed = int(line.patient_responsibility or 0)
        same_claim = first.claim.id == claim.id
        both_npi = all((provider_key(c) or "").startswith("npi:") for c in (first.claim, claim))
        units = f"{line.units} unit" + ("s" if line.units != 1 else "")
        day = duplicate.day.isoformat() if duplicate.day else "the same day"
        return BILLED_TWICE.finding(
            claim_id=claim.id,
            line_ids=[line.id],
            confidence="high" if same_claim or both_npi else "medium",
            title="The same service is charged twice",
            message=(
                f"Code {line.code} on {day} ({units}) from the same provider appears as "
                f"{_label(first, duplicate)} and again as line {line.id}"
                + ("" if same_claim else f" of claim {claim.id}")
                + f", each with a patient share. The repeat asks you for {dollars(owed)} you should "
                "not owe."
            ),
            amount_at_stake=owed,
            evidence=[
                Evidence(field="original", value=f"{first.claim.id}/{first.line.id}"),
                Evidence(field="patient_responsibility", value=format_money(owed), expected="0.00"),
            ],
            actions=[
                Action(
                    kind="request_reprocessing",
                    who="your insurer (the member services number on your card)",
                    summary="Ask the insurer to deny the duplicate line and reprocess the claim.",
                    script=(
                        "Hello, I'm calling about claim {claim_number} for member {member_id}. "
                        f"Code {line.code} on {day} was processed twice with a patient share each "
                        "time. Please reprocess the duplicate line so that I am charged once, and "
                        "send me a corrected Explanation of Benefits."
                    ),
                    template="reprocessing_request",
                ),
                Action(
                    kind="call_provider",
                    who="the provider's billing office",
                    summary="Ask the provider to remove the duplicate charge from your bill.",
                ),
            ],
        )


@hookimpl
def eobscan_register_checks(register: Callable[[object], None]) -> None:
    register(DuplicateCheck())
