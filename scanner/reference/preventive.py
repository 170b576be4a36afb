"""ACA preventive services: the procedure codes and the diagnosis codes that mark preventive care.

Non-grandfathered plans must cover USPSTF A/B services, ACIP vaccines and HRSA guidelines for
children and women without cost sharing in network (45 CFR 147.130). Whether one claim line is
such a service depends on the code *and* its context, so each procedure row says which:

- ``screening``: the code itself names a preventive service (a well visit, a screening
  mammogram, a vaccine); it is preventive unless a problem diagnosis leads the line.
- ``needs_context``: the code is also used for diagnosis or treatment (a colonoscopy, a lipid
  panel); it is preventive only with modifier 33 or PT, or with a preventive diagnosis.

Every row of ``data/preventive_codes.csv`` has its source and the date it was checked.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

DATA = Path(__file__).parent / "data" / "preventive_codes.csv"

Context = Literal["screening", "needs_context"]

#: Modifier 33 (preventive service, CPT) and PT (Medicare: a colorectal screening that became
#: diagnostic or therapeutic, deductible waived).
PREVENTIVE_MODIFIERS = frozenset({"33", "PT"})

#: Colonoscopies that are a colorectal cancer screening when coded as one (modifier 33 or PT, a
#: Z12.11 diagnosis) or by their code (G0105, G0121).
SCREENING_COLONOSCOPIES = frozenset({"G0105", "G0121", *(str(code) for code in range(45378, 45386))})

#: Services that are part of a screening colonoscopy given the same day (ACA implementation FAQs
#: Part XII and XXIX): its anesthesia and the pathology of the polyps it removed. Other providers
#: bill them on claims of their own, rarely with modifier 33, so the colonoscopy is their context.
COLONOSCOPY_COMPANIONS = frozenset({"00811", "00812", "88305"})

_SHAPED = re.compile(r"^([A-Z]*)(\d+)$")


@dataclass(frozen=True)
class PreventiveEntry:
    """One row: a code range, what it is and where we took it from."""

    kind: Literal["procedure", "diagnosis"]
    code_from: str
    code_to: str
    system: str
    category: str
    context: str
    description: str
    source: str
    checked: dt.date

    def codes(self) -> list[str]:
        """Every code of the range (``prefix`` rows are matched by prefix instead)."""
        if self.context == "prefix":
            return []
        return _expand(self.code_from, self.code_to)


def _expand(low: str, high: str) -> list[str]:
    """``G0143``-``G0148`` -> the six codes; both ends must share a letter prefix and a length, so a
    malformed range is an error rather than a silently huge or empty one."""
    first, last = _SHAPED.match(low), _SHAPED.match(high)
    if not first or not last or first.group(1) != last.group(1) or len(low) != len(high):
        raise ValueError("a code range must join two codes of the same shape")
    prefix, width = first.group(1), len(first.group(2))
    start, stop = int(first.group(2)), int(last.group(2))
    if stop < start:
        raise ValueError("a code range must not run backwards")
    return [f"{prefix}{number:0{width}d}" for number in range(start, stop + 1)]


def normalize_diagnosis(code: str) -> str:
    """ICD-10-CM codes arrive with or without the dot: ``z12.11`` and ``Z1211`` are one code."""
    return code.strip().upper().replace(".", "")


def normalize_procedure(code: str) -> str:
    return code.strip().upper()


@dataclass(frozen=True)
class PreventiveTable:
    """Lookups by exact code (ranges expanded at load), plus the few diagnosis prefixes."""

    procedures: dict[str, PreventiveEntry]
    diagnoses: dict[str, PreventiveEntry]
    diagnosis_prefixes: tuple[PreventiveEntry, ...]

    def procedure(self, code: str | None) -> PreventiveEntry | None:
        """The row naming this procedure code as a preventive service, if any."""
        return self.procedures.get(normalize_procedure(code)) if code else None

    def diagnosis(self, code: str) -> PreventiveEntry | None:
        wanted = normalize_diagnosis(code)
        found = self.diagnoses.get(wanted)
        if found is None:
            found = next((e for e in self.diagnosis_prefixes if wanted.startswith(e.code_from)), None)
        return found

    def is_preventive_diagnosis(self, code: str) -> bool:
        return self.diagnosis(code) is not None


def _entry(row: dict[str, str]) -> PreventiveEntry:
    kind = row["kind"]
    normalize = normalize_diagnosis if kind == "diagnosis" else normalize_procedure
    if kind not in ("procedure", "diagnosis"):
        raise ValueError("kind must be procedure or diagnosis")
    allowed = ("exact", "prefix") if kind == "diagnosis" else ("screening", "needs_context")
    if row["context"] not in allowed:
        raise ValueError(f"context of a {kind} row must be one of {allowed}")
    return PreventiveEntry(
        kind="procedure" if kind == "procedure" else "diagnosis",
        code_from=normalize(row["code_from"]),
        code_to=normalize(row["code_to"]),
        system=row["system"],
        category=row["category"],
        context=row["context"],
        description=row["description"],
        source=row["source"],
        checked=dt.date.fromisoformat(row["checked"]),
    )


@lru_cache(maxsize=1)
def load_preventive() -> PreventiveTable:
    with DATA.open(newline="", encoding="utf-8") as handle:
        entries = [_entry(row) for row in csv.DictReader(handle)]
    return PreventiveTable(
        procedures=_by_code(e for e in entries if e.kind == "procedure"),
        diagnoses=_by_code(e for e in entries if e.kind == "diagnosis"),
        diagnosis_prefixes=tuple(e for e in entries if e.context == "prefix"),
    )


def _by_code(entries: Iterable[PreventiveEntry]) -> dict[str, PreventiveEntry]:
    table: dict[str, PreventiveEntry] = {}
    for entry in entries:
        for code in entry.codes():
            if code in table:
                raise ValueError("the preventive table lists a code twice")
            table[code] = entry
    return table
