"""A claim's labels on one printed row, read the same from pasted text and from a PDF page.

A row is its segments: text apart by a wide gap on a PDF page, or by two spaces, a tab or a bar in
pasted text. Both readers see the same portals' pages, printed or copied, so the labels an EOB
prints above its table are read by one set of rules (:func:`row_labels`):

- "Label: value" pairs (:func:`~scanner.ingest.labels.find_labels`), or a row of two segments
  whose first names a field ("Provider   Lakeside Clinic");
- labels without colons, side by side ("Received 07/08/2026   Processed 07/15/2026"), each read only
  when every segment of the row is one (:func:`spaced_label`);
- a claim number labelled after the patient's name ("Casey Example (Self) - claim # 26301A0000001");
- a network status printed apart after a party's name ("Provider: Northside Pediatrics
  In-Network") is that party's network, not a word of its name.

Which label begins the next claim is decided here too (:func:`begins_next_claim`), and so is
what a table's column of a claim's own field says ("Date  Patient  Provider  Billed ... You owe",
a list of claims, one a row): :func:`claim_column`, :func:`claim_cells`, :func:`another_claim`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scanner.ingest.assemble import ClaimDraft, field_of_label, organisation_name
from scanner.ingest.labels import (
    MAX_LABEL_WORDS,
    LabelNamer,
    claim_number_within,
    find_labels,
    split_claim_number,
)
from scanner.ingest.members import could_be_name, patient_key, split_relationship
from scanner.ingest.values import claim_number_of, find_dates, is_amount, parse_network, whole_network_status
from scanner.ingest.vocabulary import AMOUNTS, normalise

#: The field a network status printed after a party's name belongs to.
NETWORKS_OF = {"provider": "network", "facility": "facility_network"}
#: Fields whose value may go on with the claim's number: "Patient: Casey Example - Claim # 123".
_NAME_FIELDS = frozenset({"patient", "member"})
#: An NPI as the whole value of a "label value" segment: a number of nine to eleven digits (one
#: that is not a valid NPI is read, then left out with a note).
_NPI_VALUE = re.compile(r"#?\s*\d{9,11}", re.ASCII)
#: Fields a "label value" segment without a colon may set, each with the test its value must pass.
_SPACED_VALUES = {
    "claim_number": lambda v: len(v.split()) == 1 and any(c.isdigit() for c in v),
    "network": lambda v: parse_network(v) is not None,
    "provider": lambda v: organisation_name(v) is not None,
    "facility": lambda v: organisation_name(v) is not None,
    "service_date": lambda v: bool(find_dates(v)),
    "npi": lambda v: bool(_NPI_VALUE.fullmatch(v)),
    "facility_npi": lambda v: bool(_NPI_VALUE.fullmatch(v)),
    "received_date": lambda v: len(find_dates(v)) == 1,
    "processed_date": lambda v: len(find_dates(v)) == 1,
}


def row_labels(segments: Sequence[str], name_of: LabelNamer) -> list[tuple[str, str]]:
    """The (field, value) pairs a row prints, in order (see the module docstring); a network
    status printed apart comes just before the party it follows."""
    pairs = find_labels(segments, name_of)
    if not pairs and len(segments) == 2:
        name = name_of(segments[0])
        if name is not None:
            pairs = [(name, segments[1])]
    if not pairs:
        spaced = [spaced_label(segment, name_of) for segment in segments]
        pairs = [pair for pair in spaced if pair] if all(spaced) else []
    out: list[tuple[str, str]] = []
    for name, value in _with_claim_after_words("  ".join(segments), pairs):
        if name in NETWORKS_OF:
            value, status = _network_apart(value, segments)
            if status is not None:
                out.append((NETWORKS_OF[name], status))
        out.append((name, value))
    return out


def begins_next_claim(name: str, value: str, *, number: str | None, priced: bool) -> bool:
    """Whether a label printed now begins the next claim: a claim number other than the claim's
    own ``number``, or a patient named after the claim's lines (``priced``): a family's EOB heads
    each claim with its patient, whether or not a claim number follows. A patient's value that
    cannot be a name (:func:`~scanner.ingest.members.could_be_name`) heads no claim."""
    if name == "claim_number":
        return number is not None and claim_number_of(number) != claim_number_of(value)
    return name == "patient" and priced and could_be_name(value)


def spaced_label(text: str, name_of: LabelNamer) -> tuple[str, str] | None:
    """ "Amount billed $2,950.00": the longest run of leading words that names a field, and the
    rest, when the rest is a value that field can take (an amount field takes one amount)."""
    words = text.split()
    if ":" in text or len(words) < 2:
        return None
    for size in range(min(MAX_LABEL_WORDS, len(words) - 1), 0, -1):
        name = name_of(" ".join(words[:size]))
        if name is None:
            continue
        value = " ".join(words[size:])
        if name in AMOUNTS or name.startswith("total:"):
            return (name, value) if len(words) - size == 1 and is_amount(value) else None
        valid = _SPACED_VALUES.get(name)
        return (name, value) if valid is not None and valid(value) else None
    return None


def _network_apart(value: str, segments: Sequence[str]) -> tuple[str, str | None]:
    """ "Provider: Northside Pediatrics      In-Network": a status printed apart at the end of the
    row is the party's network, not a word of its name; the name and the status."""
    last = " ".join(segments[-1].split()) if segments else ""
    if len(segments) < 2 or value == last or not value.endswith(last) or whole_network_status(last) is None:
        return value, None
    return value[: -len(last)].rstrip(), last


def _with_claim_after_words(line: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs, with the claim number a row labels after other words (the patient's name)
    when no label of its own names it: in a row of no labels, in the words before its first
    "Label:", or in a name's value. Elsewhere (a remark's value) "claim #" may name another
    claim."""
    if any(name == "claim_number" for name, _ in pairs):
        return pairs
    if not pairs or ":" in line:
        number = claim_number_within(line.split(":", 1)[0] if pairs else line)
        if number is not None:
            return [("claim_number", number), *pairs]
    out: list[tuple[str, str]] = []
    for name, value in pairs:
        kept, number = split_claim_number(value) if name in _NAME_FIELDS else (value, None)
        out.append((name, kept))
        if number is not None:
            out.append(("claim_number", number))
    return out


#: A claim's own fields a table may print in a column of each row, as a list of claims does.
CLAIM_COLUMNS = frozenset({"patient", "provider", "claim_number"})


def claim_column(title: str) -> str | None:
    """The claim's field a column title names ("Patient", "Provider", "Claim #"), or None."""
    name = field_of_label(title)
    return name if name in CLAIM_COLUMNS else None


def claim_cells(cells: dict[str, str]) -> dict[str, str]:
    """The row's cells of the claim's own fields, taken out of the line's."""
    return {name: cells.pop(name) for name in sorted(CLAIM_COLUMNS & cells.keys())}


def another_claim(draft: ClaimDraft, printed: dict[str, str]) -> bool:
    """Whether a row's claim cells name another claim than the draft's: another claim number,
    provider or patient (a patient by the digest of the name, a value that may be one)."""
    number = printed.get("claim_number")
    if number and begins_next_claim(
        "claim_number", number, number=draft.fields.get("claim_number"), priced=True
    ):
        return True
    provider, known_provider = printed.get("provider"), draft.fields.get("provider")
    if provider and known_provider and normalise(provider) != normalise(known_provider):
        return True
    patient = printed.get("patient")
    if not patient or not could_be_name(patient) or draft.patient.key is None:
        return False
    return patient_key(split_relationship(patient)[0]) != draft.patient.key
