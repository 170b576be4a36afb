"""Sorting printed reason codes into adjustments (CARC with a group) and remarks (RARC).

EOBs print "CO-45", "PR 2", "N130", "MA01", or a bare CARC such as "45". A bare CARC has no group
code; the checks read the reason, so it is kept with group ``OA`` ("other adjustment"), the group
that claims nothing about who owes the amount.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, cast

from scanner.model import Adjustment

Group = Literal["CO", "PR", "OA", "PI", "CR"]

_GROUPED = re.compile(r"^(CO|PR|OA|PI|CR)[-\s]?([A-Z]?\d{1,3}|[A-Z]\d?)$", re.ASCII)
_RARC = re.compile(r"^(?:MA|N|M)\d{1,3}$", re.ASCII)
_CARC = re.compile(r"^(?:\d{1,3}|[ABDPWY]\d{1,2})$", re.ASCII)

GROUP_UNKNOWN: Group = "OA"


def sort_codes(codes: Iterable[str]) -> tuple[list[Adjustment], list[str]]:
    """(adjustments, remarks) from printed codes; anything else (an MSN note letter) is dropped."""
    adjustments: list[Adjustment] = []
    remarks: list[str] = []
    for raw in codes:
        code = raw.strip().upper().rstrip(".")
        grouped = _GROUPED.match(code)
        if grouped:
            adjustments.append(Adjustment(group=cast(Group, grouped.group(1)), reason=grouped.group(2)))
        elif _RARC.match(code):
            if code not in remarks:
                remarks.append(code)
        elif _CARC.match(code):
            adjustments.append(Adjustment(group=GROUP_UNKNOWN, reason=code))
    return adjustments, remarks


def carc(code: str) -> Adjustment | None:
    adjustments, _ = sort_codes([code])
    return adjustments[0] if adjustments else None


def is_rarc(code: str) -> bool:
    return bool(_RARC.match(code.strip().upper()))
