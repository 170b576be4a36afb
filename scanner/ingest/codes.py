"""Sorting printed reason codes into adjustments (CARC with a group), remarks (RARC) and the
insurer's own codes.

EOBs print "CO-45", "PR 2", "N130", "MA01", or a bare CARC such as "45". A bare CARC has no group
code; the checks read the reason, so it is kept with group ``OA`` ("other adjustment"), the group
that claims nothing about who owes the amount.

A bare code the document defines in its own legend ("Remark A1: This amount was applied to your
deductible.", :mod:`scanner.ingest.legend`) is the insurer's code, not X12's, though it may be
shaped like a CARC ("A1", "1", "72"). Two shapes stay X12's even then, because they are X12's
own namespace rather than a number anyone might use: a grouped code ("CO-45") and a remark
code's prefix ("N130", "M15", "MA01"); an EOB that prints their wording in its legend is quoting
X12, and the No Surprises Act remarks (N830...) must still be read as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal, cast

from scanner.model import Adjustment, InsurerCode

Group = Literal["CO", "PR", "OA", "PI", "CR"]

_GROUPED = re.compile(r"^(CO|PR|OA|PI|CR)[-\s]?([A-Z]?\d{1,3}|[A-Z]\d?)$", re.ASCII)
_RARC = re.compile(r"^(?:MA|N|M)\d{1,3}$", re.ASCII)
_CARC = re.compile(r"^(?:\d{1,3}|[ABDPWY]\d{1,2})$", re.ASCII)

GROUP_UNKNOWN: Group = "OA"


def normal_code(raw: str) -> str:
    """A printed code as the readers compare it: "a1." and "A1" are one code."""
    return raw.strip().upper().rstrip(".")


def is_standard(code: str) -> bool:
    """Whether a code is X12's by its shape alone, whatever the document says of it."""
    code = normal_code(code)
    return bool(_GROUPED.match(code) or _RARC.match(code))


def sort_codes(
    codes: Iterable[str], defined: Mapping[str, str] | None = None
) -> tuple[list[Adjustment], list[str], list[InsurerCode]]:
    """(adjustments, remarks, insurer codes) from printed codes; ``defined`` is the document's
    legend (code: meaning). Anything else (an MSN note letter) is dropped."""
    adjustments: list[Adjustment] = []
    remarks: list[str] = []
    insurer: list[InsurerCode] = []
    for raw in codes:
        code = normal_code(raw)
        grouped = _GROUPED.match(code)
        if grouped:
            adjustments.append(Adjustment(group=cast(Group, grouped.group(1)), reason=grouped.group(2)))
        elif _RARC.match(code):
            if code not in remarks:
                remarks.append(code)
        elif defined and code in defined:
            if all(known.code != code for known in insurer):
                insurer.append(InsurerCode(code=code, meaning=defined[code]))
        elif _CARC.match(code):
            adjustments.append(Adjustment(group=GROUP_UNKNOWN, reason=code))
    return adjustments, remarks, insurer


def carc(code: str) -> Adjustment | None:
    adjustments, _, _ = sort_codes([code])
    return adjustments[0] if adjustments else None


def is_rarc(code: str) -> bool:
    return bool(_RARC.match(code.strip().upper()))
