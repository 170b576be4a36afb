"""From printed fields to claims: shared by the PDF layouts, the text reader and the CSV reader.

A reader finds *what* is printed (a "Claim Number: ..." label, a table cell under "Plan Paid");
this module decides what it *means*: amounts in cents, dates, a network status, reason codes,
which names may be kept (a clinic's, never a person's), and whether the printed totals agree with
the lines. Errors name the column and the row, never the value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import msgspec

from scanner.ingest.codes import normal_code, sort_codes
from scanner.ingest.errors import DocumentError
from scanner.ingest.ids import IdAllocator
from scanner.ingest.legend import NO_LEGEND, Legend
from scanner.ingest.members import (
    Patient,
    could_be_name,
    members,
    patient_key,
    relationship,
    split_relationship,
)
from scanner.ingest.values import (
    NpiError,
    claim_number_of,
    find_coded,
    find_dates,
    parse_date,
    parse_date_range,
    parse_diagnoses,
    parse_modifiers,
    parse_network,
    parse_units,
    parse_yes_no,
    read_amount,
    read_npi,
    split_network_note,
    split_remarks,
)
from scanner.ingest.vocabulary import AMOUNTS, PRIVATE_FIELDS, cell_field, normalise, synonyms
from scanner.model import AMOUNT_FIELDS, Amounts, Claim, Party, ServiceLine
from scanner.money import Money, MoneyError, dollars

Source = Literal["pdf", "text", "csv"]
Network = Literal["in", "out", "unknown"]

# A name with one of these words is a business; any other name may be a person's and is dropped.
_ORGANISATION_TEXT = """
    clinic clinics medical medicine health healthcare hospital hospitals center centre centers
    group associates association lab labs laboratory laboratories imaging radiology pathology
    anesthesia anesthesiology anaesthesia physicians partners services service care pharmacy llc
    inc pc pllc corp company co ltd dental dentistry surgery surgical surgeons emergency
    ambulance urgent specialists specialty orthopedics orthopaedic cardiology dermatology
    pediatrics family practice network institute university system diagnostics diagnostic
    therapy rehab rehabilitation ems transport medic medics county city community regional
    memorial general vision eye optical hospitalists neonatology
"""
_ORGANISATION_WORDS = frozenset(_ORGANISATION_TEXT.split())
_PERSON_MARKERS = re.compile(
    r"^(dr|mr|mrs|ms|miss)\b\.?|,?\s*\b(md|do|np|pa-c|dds|dmd|od|rn|crna)\b\.?$", re.I
)

_ROLES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("air ambulance",), "air_ambulance"),
    (("ambulance", "ems", "transport"), "ambulance"),
    (("anesthesia", "anesthesiology", "anaesthesia"), "anesthesiology"),
    (("radiology", "imaging"), "radiology"),
    (("pathology",), "pathology"),
    (("laboratory", "laboratories", "lab", "labs", "diagnostics"), "laboratory"),
    (("emergency",), "emergency"),
    (("neonatology",), "neonatology"),
    (("hospitalists", "hospitalist"), "hospitalist"),
    (("hospital", "medical center", "medical centre", "surgery center", "surgical center"), "facility"),
)
_STATUS_WORDS = (
    ("denied", "denied"),
    ("partially", "partial"),
    ("partial", "partial"),
    ("pending", "pending"),
    ("adjusted", "adjusted"),
    ("reprocessed", "adjusted"),
    ("paid", "paid"),
    ("processed", "paid"),
)
_CLAIM_TYPES = (
    ("dental", "dental"),
    ("pharmacy", "pharmacy"),
    ("prescription", "pharmacy"),
    ("vision", "vision"),
    ("hospital", "institutional"),
    ("facility", "institutional"),
    ("institutional", "institutional"),
    ("medical", "professional"),
    ("professional", "professional"),
)
# "Total", "Totals:", "Claim Total", "Total for Claim 123 (Assigned)"; not "Total knee replacement".
_TOTAL_ROW = re.compile(
    r"^(?:claim\s+)?totals?(?:\s+for\b.*|\s+(?:this\s+)?claim\b.*|\s+amounts?|\s*\(.*\))?\s*:?$",
    re.IGNORECASE,
)
#: Totals of something other than one claim: a page, a provider, the whole document.
_OTHER_TOTAL_ROW = re.compile(
    r"^(?:(?:grand|page|provider|report|statement|document)\s+totals?|sub-?\s?totals?)\b.*$", re.IGNORECASE
)


def is_total_label(text: str) -> bool:
    """ "Total", "Totals", "Claim Total", "Total for Claim ...", "Total This Claim", "Total
    Amount" start a claim's totals row."""
    return bool(_TOTAL_ROW.match(text.strip()))


def is_other_total_label(text: str) -> bool:
    """ "Grand Total", "Subtotal", "Page Total", "Provider Total": a row that sums more or less
    than one claim. It is neither a service line nor the claim's totals, so it is skipped."""
    return bool(_OTHER_TOTAL_ROW.match(text.strip()))


def organisation_name(name: str | None) -> str | None:
    """The name if it is a business's, else None: a person's name never enters a Claim."""
    if not name:
        return None
    cleaned = " ".join(name.split()).strip(" ,;")
    if not cleaned or _PERSON_MARKERS.search(cleaned):
        return None
    words = set(normalise(cleaned).split())
    return cleaned if words & _ORGANISATION_WORDS else None


def provider_role(name: str | None) -> str | None:
    if not name:
        return None
    text = " ".join(normalise(name).split())
    padded = f" {text} "
    for keys, role in _ROLES:
        if any(f" {key} " in padded for key in keys):
            return role
    return None


def party(
    name: str | None, network: str | None = None, role: str | None = None, npi: str | None = None
) -> Party | None:
    """The party a name stands for: its name when a business's, its network, its role, and its
    NPI (already checked, see :func:`provider_npi`); None when nothing is known of it."""
    kept = organisation_name(name)
    role = role or provider_role(name)
    if kept is None and network is None and role is None and npi is None:
        return None
    return Party(
        name=kept,
        npi=npi,
        network=cast(Network, network or "unknown"),
        role=role,  # type: ignore[arg-type]
    )


#: Fields whose every printed value is kept, not only the first: the NPIs, which must agree.
_NPI_FIELDS = frozenset({"npi", "facility_npi"})


@dataclass
class ClaimDraft:
    """What a reader has gathered for one claim so far.

    Besides the header fields, the lines and the printed totals, it keeps what a line prints that
    a :class:`ServiceLine` has no field for: the last day its dates of service cover (a line
    printed "03/02/2026 - 03/05/2026" is dated 03/02 and covers the stay to 03/05), and the NPI
    printed beside it. :func:`build_claim` makes them the claim's end date and its provider's NPI.
    It also keeps every code the lines print, as printed: only those can be defined by the
    document's legend (:mod:`scanner.ingest.legend`).
    """

    fields: dict[str, str] = field(default_factory=dict)
    lines: list[ServiceLine] = field(default_factory=list)
    #: The claim's totals row ("Total", "Claim Total") under its lines.
    totals: dict[str, Money] = field(default_factory=dict)
    #: The amounts of the claim's one-line summary ("Claim 123  Billed $480.00  You owe $60.00"),
    #: printed with its header: more of its printed totals, kept apart from the totals row,
    #: which also marks the end of the claim's lines.
    summary: dict[str, Money] = field(default_factory=dict)
    #: The last day each line's printed dates cover, by line id.
    line_ends: dict[str, dt.date] = field(default_factory=dict)
    #: Every NPI printed, as printed, by field ("npi", "facility_npi"): (where, text), where is a
    #: row for a line's NPI and None for a label's.
    npis: dict[str, list[tuple[str | None, str]]] = field(default_factory=dict)
    #: Every code the lines print in their remarks cells, X12 or not.
    printed_codes: set[str] = field(default_factory=set)
    #: Whom the claim is for, as a digest of the printed name (see :mod:`members`), never the name.
    patient: Patient = field(default_factory=Patient)
    #: The relationship printed after each name, whoever's ("Subscriber: Morgan Example (Self)"),
    #: by the name's digest: a claim whose patient is that name, printed bare, is theirs.
    relationships: dict[bytes, str] = field(default_factory=dict)

    def has_content(self) -> bool:
        return bool(self.lines or self.totals or self.summary)

    def label(self, name: str, value: str) -> None:
        """Remember a header field; the first value printed wins, private fields are dropped
        (a patient's name only tells this claim's patient from another's). Every NPI printed is
        remembered: they must agree to be kept."""
        value = " ".join(value.split()).strip(" :")
        if name == "patient" and value:
            self._patient(value)
        if name in PRIVATE_FIELDS or not value:
            return
        if name in _NPI_FIELDS:
            self.npis.setdefault(name, []).append((None, value))
            return
        self.fields.setdefault(name, value)

    def _patient(self, printed: str) -> None:
        """The patient printed last wins: a "Subscriber:" at the top of the document is followed
        by the claim's own "Patient:"."""
        if not could_be_name(printed):
            return
        name, named = split_relationship(printed)
        key = patient_key(name)
        if key is None:
            return
        if named is not None:
            self.relationships[key] = named
        # A relationship printed with another name ("Subscriber: Morgan Example (Self)") is not
        # this patient's.
        carried = self.patient.relationship if self.patient.key == key else None
        self.patient = Patient(key=key, relationship=named or carried)

    def add_line(self, cells: Mapping[str, str], *, where: str, legend: Legend = NO_LEGEND) -> ServiceLine:
        """Read a service line from its cells (:func:`read_line`) and add it, with the last day
        its dates cover and the NPI printed beside it. ``where`` names the row in messages."""
        line = read_line(str(len(self.lines) + 1), cells, where=where, legend=legend)
        self.lines.append(line)
        self.printed_codes.update(normal_code(code) for code in split_remarks(cells.get("remarks", "")))
        dates = find_dates(cells.get("service_date", ""))
        if dates:
            self.line_ends[line.id] = max(dates)
        npi = cells.get("npi", "").strip()
        if npi:
            self.npis.setdefault("npi", []).append((where, npi))
        return line


@dataclass
class Notes:
    """Plain-English notes about a reading, each said once."""

    items: list[str] = field(default_factory=list)

    def add(self, note: str) -> None:
        if note not in self.items:
            self.items.append(note)


def read_line(
    line_id: str,
    cells: Mapping[str, str],
    *,
    where: str,
    default_network: str | None = None,
    legend: Legend = NO_LEGEND,
) -> ServiceLine:
    """A service line from cell texts by field. ``where`` names the row in error messages; the
    codes the document's ``legend`` defines are the insurer's own, not X12 reason codes."""
    values: dict[str, Money] = {}
    for name in AMOUNT_FIELDS:
        text = cells.get(name)
        if text is None:
            continue
        amount = _amount(text, name, where)
        if amount is not None:
            values[name] = amount
    code_text = cells.get("code") or ""
    description = _clean(cells.get("description"))
    found = find_coded(code_text, cell=True) or (find_coded(description) if description else None)
    modifiers = list(found[2]) if found else []
    modifiers += [m for m in parse_modifiers(cells.get("modifiers", "")) if m not in modifiers]
    adjustments, remarks, insurer_codes = sort_codes(split_remarks(cells.get("remarks", "")), legend.meanings)
    approved = parse_yes_no(cells.get("approved", ""))
    network = parse_network(cells.get("network", "")) or default_network or "unknown"
    extra: dict[str, Any] = dict(values)
    return ServiceLine(
        id=line_id,
        service_date=parse_date(cells.get("service_date", "")),
        code=found[0] if found else None,
        code_system=found[1] if found else None,  # type: ignore[arg-type]
        modifiers=modifiers[:4],
        diagnoses=parse_diagnoses(cells.get("diagnoses", "")),
        units=parse_units(cells.get("units", "")) or 1,
        description=strip_code(description, found[0] if found else None),
        adjustments=adjustments,
        remarks=remarks,
        insurer_codes=insurer_codes,
        network=cast(Network, network),
        denied=approved is False,
        **extra,
    )


def printed_codes(drafts: Iterable[ClaimDraft]) -> set[str]:
    """Every code the drafts' lines print: the codes a legend may define."""
    return {code for draft in drafts for code in draft.printed_codes}


def read_amounts(cells: Mapping[str, str], *, where: str) -> dict[str, Money]:
    out: dict[str, Money] = {}
    for name in AMOUNT_FIELDS:
        if name in cells:
            amount = _amount(cells[name], name, where)
            if amount is not None:
                out[name] = amount
    return out


def _amount(text: str, name: str, where: str) -> Money | None:
    try:
        return read_amount(text)
    except MoneyError as exc:
        column = synonyms(name)[0] if synonyms(name) else name
        raise DocumentError.invalid_amount(where, column, exc) from None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = " ".join(text.split())
    return cleaned or None


def strip_code(description: str | None, code: str | None) -> str | None:
    if not description or not code:
        return description
    stripped = re.sub(rf"\(?\b{re.escape(code)}(?:-[A-Za-z0-9]{{2}}\b)*\)?", " ", description)
    stripped = " ".join(stripped.split()).strip(" -–:,")
    return stripped or None


def build_claims(drafts: Iterable[ClaimDraft], source: Source, notes: Notes) -> list[Claim]:
    ids = IdAllocator()
    kept = [draft for draft in drafts if draft.has_content()]
    printed = {key: named for draft in drafts for key, named in draft.relationships.items()}
    patients = [_patient(draft, printed) for draft in kept]
    return [
        build_claim(draft, source, ids, notes, member=member)
        for draft, member in zip(kept, members(patients), strict=True)
    ]


def _patient(draft: ClaimDraft, printed: dict[bytes, str]) -> Patient:
    """The draft's patient, with the relationship its "Relationship:" label prints, else the one
    printed after the name here or anywhere in the document."""
    labelled = relationship(draft.fields.get("member", ""))
    key = draft.patient.key
    elsewhere = printed.get(key) if key is not None else None
    return Patient(key=key, relationship=labelled or draft.patient.relationship or elsewhere)


def build_claim(
    draft: ClaimDraft, source: Source, ids: IdAllocator, notes: Notes, *, member: str = "self"
) -> Claim:
    fields = draft.fields
    provider, named_network = split_network_note(fields.get("provider") or "")
    network = parse_network(fields.get("network", "")) or named_network
    number = fields.get("claim_number")
    number = claim_number_of(number) or None if number else None
    lines = draft.lines
    start, end = _service_dates(draft)
    one_day = _one_day(draft)
    if one_day is not None:
        # One date of service printed for the claim is the date of each line that has none.
        lines = [
            line if line.service_date else msgspec.structs.replace(line, service_date=one_day)
            for line in lines
        ]
    if network is not None:
        lines = [line if line.network != "unknown" else _with_network(line, network) for line in lines]
    pos = _place_of_service(fields.get("place_of_service", ""))
    check_totals(lines, draft.totals, notes)
    check_totals(lines, draft.summary, notes)
    # Both are printed totals; the totals row, printed under the lines, wins where both print one.
    printed = {**draft.summary, **draft.totals}
    totals = {k: v for k, v in printed.items() if v >= 0}
    return Claim(
        id=ids.claim_id(number),
        source=source,
        member=member,
        claim_type=_claim_type(fields.get("claim_type", "")),  # type: ignore[arg-type]
        payer=_clean(fields.get("payer")),
        plan_name=_clean(fields.get("plan_name")),
        claim_number=number,
        provider=party(provider or None, network, npi=provider_npi(draft.npis.get("npi", []), notes)),
        facility=_facility(
            fields.get("facility"),
            fields.get("facility_network"),
            provider_npi(draft.npis.get("facility_npi", []), notes, whose="the facility"),
        ),
        service_start=start,
        service_end=end,
        received_date=parse_date(fields.get("received_date", "")),
        processed_date=parse_date(fields.get("processed_date", "")),
        emergency=pos == "23" or parse_yes_no(fields.get("emergency", "")) is True,
        place_of_service=pos,
        status=_status(fields.get("status", "")),  # type: ignore[arg-type]
        lines=lines,
        totals=Amounts(**totals) if totals else None,
    )


def _covered_days(draft: ClaimDraft) -> list[dt.date]:
    """Every day the lines' dates name: each line's date and the last day its range covers."""
    days = [line.service_date for line in draft.lines if line.service_date is not None]
    return days + list(draft.line_ends.values())


def _service_dates(draft: ClaimDraft) -> tuple[dt.date | None, dt.date | None]:
    """The claim's first and last day of service: from its printed "Dates of Service" and from
    its lines, whichever reach further. A line's range counts to its end, so an inpatient stay
    whose lines print "03/02/2026 - 03/05/2026" ends on 03/05 (the copay-per-day check counts
    its days from these), though each line keeps 03/02 as its date."""
    printed_start, printed_end = parse_date_range(draft.fields.get("service_date", ""))
    days = [d for d in (printed_start, printed_end) if d is not None] + _covered_days(draft)
    return (min(days), max(days)) if days else (None, None)


def _one_day(draft: ClaimDraft) -> dt.date | None:
    """The single date of service of a claim, when it has one: its printed date, or else the one
    day all its dated lines name."""
    printed_start, printed_end = parse_date_range(draft.fields.get("service_date", ""))
    if printed_start is not None:
        return printed_start if printed_start == printed_end else None
    days = set(_covered_days(draft))
    return days.pop() if len(days) == 1 else None


def provider_npi(
    printed: Sequence[tuple[str | None, str]], notes: Notes, whose: str = "the provider"
) -> str | None:
    """The NPI of a claim's provider (or facility) from every NPI printed for it, or None.

    A claim has one provider party, but an EOB may print the NPI on a label ("Provider NPI:
    1234567893"), beside each line (a "Rendering NPI" column), or both. When every NPI printed is
    the same valid one, it is the provider's. When they differ (a group whose lines name different
    doctors; a billing and a rendering NPI), the provider keeps its name and network without an
    NPI rather than a guess: the duplicate-billing and network checks match providers by NPI, and
    a wrong one would join two providers or part one. A number that is not a valid NPI (ten
    digits ending in the NPI's check digit, see :func:`~scanner.ingest.values.is_valid_npi`) is
    not kept, and it keeps the others from being used too, since it may be another provider's;
    a note says so, never with the number. A blank cell or "N/A" says nothing.
    """
    found: set[str] = set()
    unreadable = False
    for where, text in printed:
        try:
            npi = read_npi(text)
        except NpiError:
            unreadable = True
            at = f"{where}: the NPI" if where else "An NPI label's number"
            notes.add(f"{at} is not a valid NPI (ten digits ending in its check digit); it was not kept.")
            continue
        if npi is not None:
            found.add(npi)
    if len(found) > 1 or (found and unreadable):
        notes.add(
            f"The NPIs printed for {whose} of a claim are not all the same valid NPI; "
            f"{whose} was kept without an NPI."
        )
        return None
    return found.pop() if found else None


def _facility(text: str | None, network_text: str | None = None, npi: str | None = None) -> Party | None:
    """The facility, with its network from its own label ("Facility network: In-Network") or
    from a status printed after its name, and its NPI from its own label ("Facility NPI")."""
    name, named_network = split_network_note(text or "")
    network = parse_network(network_text or "") or named_network
    if not name and network is None and npi is None:
        return None
    return party(name or None, network, role="facility", npi=npi)


def _with_network(line: ServiceLine, network: str) -> ServiceLine:
    return msgspec.structs.replace(line, network=cast(Network, network))


#: Places of service printed in words, as CMS codes; the first that matches wins.
_PLACE_WORDS = (
    ("23", re.compile(r"\bemergency (?:room|department)\b|\ber\b")),
    ("21", re.compile(r"\binpatient\b")),
    ("22", re.compile(r"\boutpatient hospital\b")),
    ("11", re.compile(r"\boffice\b")),
    ("20", re.compile(r"\burgent care\b")),
    ("81", re.compile(r"\b(?:independent )?lab(?:oratory)?\b")),
    ("24", re.compile(r"\bambulatory surgical\b")),
    ("02", re.compile(r"\btelehealth\b")),
)


def _place_of_service(text: str) -> str | None:
    """ "23 - Emergency room", "POS 11" or "Emergency Room" -> the two-digit CMS code."""
    match = re.search(r"\b(\d{2})\b", text)
    if match:
        return match.group(1)
    words = normalise(text)
    return next((code for code, pattern in _PLACE_WORDS if pattern.search(words)), None)


def _status(text: str) -> str | None:
    words = normalise(text)
    for word, status in _STATUS_WORDS:
        if word in words.split():
            return status
    return None


def _claim_type(text: str) -> str | None:
    words = normalise(text).split()
    for word, kind in _CLAIM_TYPES:
        if word in words:
            return kind
    return None


def check_totals(lines: Sequence[ServiceLine], totals: Mapping[str, Money], notes: Notes) -> list[str]:
    """Compare a printed totals row with the sum of the lines; each disagreement is a note.

    Returns the fields that disagree. A disagreement is not an error: the checks look at it, and
    the user sees the note beside the extracted claim."""
    wrong = []
    for name in AMOUNT_FIELDS:
        printed = totals.get(name)
        if printed is None:
            continue
        present = [getattr(line, name) for line in lines if getattr(line, name) is not None]
        if not present:
            continue
        added = sum(present)
        if added != printed:
            wrong.append(name)
            label = synonyms(name)[0]
            notes.add(
                f"The printed total for {label!r} ({dollars(printed)}) differs from the sum of the "
                f"lines ({dollars(added)})."
            )
    return wrong


def field_of_label(label: str) -> str | None:
    """The header field a printed label names ("Claim #", "Date(s) of Service", "Provider")."""
    name = cell_field(label)
    if name in AMOUNTS or name in {"code", "description", "remarks", "units", "approved"}:
        return None
    if name == "service_date" and normalise(label) in {"date", "dates"}:
        return None
    return name


__all__ = [
    "ClaimDraft",
    "Notes",
    "Source",
    "build_claim",
    "build_claims",
    "check_totals",
    "field_of_label",
    "is_other_total_label",
    "is_total_label",
    "organisation_name",
    "party",
    "printed_codes",
    "provider_npi",
    "provider_role",
    "read_amounts",
    "read_line",
]
