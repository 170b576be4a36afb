"""Shipped reference tables: what the checks compare claims against.

Every row of every table carries its source and the date it was last checked, because a rule is
only as trustworthy as the table behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from scanner.reference.adjustment_codes import AdjustmentCodes, load_adjustment_codes
from scanner.reference.preventive import PreventiveTable, load_preventive


@dataclass(frozen=True)
class ReferenceTables:
    """The tables a check may consult, handed to every check through its context."""

    adjustment_codes: AdjustmentCodes = field(default_factory=load_adjustment_codes)
    preventive: PreventiveTable = field(default_factory=load_preventive)


@lru_cache(maxsize=1)
def load_reference() -> ReferenceTables:
    """Load the tables once per process; they are read-only."""
    return ReferenceTables()
