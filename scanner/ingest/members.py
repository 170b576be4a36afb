"""Whom each claim of a document is for, without keeping who they are.

A family's EOB prints several patients ("Patient: ... Relationship: Dependent", "Jordan Sample
(Self)"). The checks count deductibles and out-of-pocket maximums per member, and call two equal
services on one day a duplicate only for one person, so claims of two children must not both be
the subscriber's. The names are never kept: a reader hands each printed name to
:func:`patient_key`, which turns it into a keyed digest that only tells two printed names apart
within this process, and :func:`members` gives each claim a relationship (``self``, ``spouse``,
``child-1``...) or, when none is printed, an ordinal (``member-2``), as the wire contract asks.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from scanner.ingest.vocabulary import normalise

#: Keyed per process: a digest in a dump or a log says nothing about the name it came from.
_KEY = secrets.token_bytes(32)

_RELATIONSHIPS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("self", re.compile(r"^(?:self|subscriber|member|you|employee|policyholder|policy holder|insured)$")),
    ("spouse", re.compile(r"^(?:spouse|husband|wife|domestic partner|partner)$")),
    ("child", re.compile(r"^(?:child|son|daughter|dependent|dependant|dependent child|student)$")),
)
#: A relationship printed after the name: "Jordan Sample (Self)", "Avery Example - Dependent".
_TRAILING_RELATIONSHIP = re.compile(r"[\s(\-–,]+([A-Za-z][A-Za-z ]{1,24}?)\)?\s*$")


def relationship(text: str) -> str | None:
    """ "Dependent" -> "child", "Self" -> "self"; a name or anything else -> None."""
    words = normalise(text)
    for value, pattern in _RELATIONSHIPS:
        if pattern.match(words):
            return value
    return None


def could_be_name(printed: str) -> bool:
    """Whether a patient field's value may be a name: one with digits is a birth date or an id
    (both are printed under labels the readers take for the patient's)."""
    return not any(c.isdigit() for c in printed)


def split_relationship(printed: str) -> tuple[str, str | None]:
    """The name and the relationship printed after it, if any: "Jordan Sample (Self)" ->
    ("Jordan Sample", "self")."""
    found = _TRAILING_RELATIONSHIP.search(printed)
    if found:
        named = relationship(found.group(1))
        if named is not None:
            return printed[: found.start()], named
    return printed, None


def patient_key(name: str) -> bytes | None:
    """A digest telling this printed name from others ("JORDAN  SAMPLE" is "Jordan Sample"); never
    the name. None for a blank name."""
    words = " ".join(word for word in normalise(name).split() if len(word) > 1)  # "Jordan Q. Sample"
    return _digest(words) if words else None


def reference_key(reference: str) -> bytes | None:
    """A digest of a record's reference to its patient ("Patient/123"), exactly as printed."""
    return _digest(reference.strip()) if reference.strip() else None


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), key=_KEY, digest_size=16).digest()


@dataclass(frozen=True)
class Patient:
    """What a claim printed about its patient: the digest of the name and the relationship."""

    key: bytes | None = None
    relationship: str | None = None


def members(patients: Sequence[Patient]) -> list[str]:
    """Each claim's member, in order.

    One patient (or none printed) is ``self``, as before. A printed relationship names the
    member (children numbered in the order they appear, by name); a patient whose relationship
    another claim printed keeps it; any other patient is ``member-N`` by the order of the names.
    """
    keys = list(dict.fromkeys(p.key for p in patients if p.key is not None))
    if len(keys) <= 1 and not any(p.relationship for p in patients):
        return ["self"] * len(patients)
    known: dict[bytes | None, str] = {p.key: p.relationship for p in patients if p.key and p.relationship}
    children = list(dict.fromkeys(p.key for p in patients if (p.relationship or known.get(p.key)) == "child"))
    result = []
    for patient in patients:
        named = patient.relationship or known.get(patient.key)
        if named == "child":
            result.append(f"child-{children.index(patient.key) + 1}")
        elif named is not None:
            result.append(named)
        elif patient.key is None or len(keys) <= 1:
            result.append("self")
        else:
            result.append(f"member-{keys.index(patient.key) + 1}")
    return result
