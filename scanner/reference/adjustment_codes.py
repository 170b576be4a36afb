"""Claim adjustment reason codes (CARC) and remittance advice remark codes (RARC), in plain English.

The official CARC wording belongs to X12, so we ship our own explanations keyed by code and point
to x12.org for the official text; RARCs are maintained by CMS. Each row of ``data/carc.csv`` and
``data/rarc.csv`` says where the code's meaning was taken from and when it was checked.

The group code in front of a CARC ("PR-1", "CO-45") decides who owes the amount: only PR (patient
responsibility) is the patient's. CO (contractual obligation), OA (other adjustment) and PI
(payer-initiated reduction) amounts are not, and billing them to the patient is an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

DATA = Path(__file__).parent / "data"

CodeKind = Literal["carc", "rarc"]
Liability = Literal["yes", "no", "maybe"]

X12_CARC_URL = "https://x12.org/codes/claim-adjustment-reason-codes"
X12_RARC_URL = "https://x12.org/codes/remittance-advice-remark-codes"

#: Group codes and what each means for the patient, in our own words.
GROUPS: dict[str, str] = {
    "PR": "patient responsibility: the part you may owe (deductible, coinsurance, copay, non-covered)",
    "CO": "contractual obligation: the provider must write this off; it is not yours to pay",
    "OA": "other adjustment (for example another payer's share or a duplicate); normally not yours",
    "PI": "payer-initiated reduction; normally not yours to pay",
    "CR": "correction or reversal of an earlier claim (not used in current remittances)",
}

_GROUP_PREFIX = re.compile(r"^(?:CO|PR|OA|PI|CR)\s*[-:/ ]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class CodeExplanation:
    """One code with its plain-English meaning and where that meaning comes from."""

    code: str
    kind: CodeKind
    text: str
    topic: str
    usually_patient_liable: Liability
    source: str
    checked: dt.date

    @property
    def url(self) -> str:
        return X12_CARC_URL if self.kind == "carc" else X12_RARC_URL


@dataclass(frozen=True)
class AdjustmentCodes:
    """The two tables, keyed by normalised code."""

    carc: dict[str, CodeExplanation]
    rarc: dict[str, CodeExplanation]

    def explain_carc(self, code: str) -> CodeExplanation | None:
        return self.carc.get(normalize_carc(code))

    def explain_rarc(self, code: str) -> CodeExplanation | None:
        return self.rarc.get(normalize_rarc(code))


#: Deductible, coinsurance and copay: cost sharing, never the reason for a denial, and the
#: PR reasons that the EOB's cost-sharing columns already print.
COST_SHARING_CARCS = frozenset({"1", "2", "3"})


def normalize_carc(code: str) -> str:
    """``"CO-045"``, ``" 45 "`` and ``"45"`` are the same reason code."""
    bare = _GROUP_PREFIX.sub("", code.strip()).strip().upper()
    if bare.isdigit():
        return bare.lstrip("0") or "0"
    return bare


def normalize_rarc(code: str) -> str:
    return code.strip().upper()


def group_is_patient_liability(group: str) -> bool:
    """Only PR amounts are the patient's; CO, OA, PI (and CR) are not."""
    return group.strip().upper() == "PR"


def split_adjustment(text: str) -> tuple[str | None, str]:
    """``"CO-45"`` -> ``("CO", "45")``; a bare ``"45"`` -> ``(None, "45")``."""
    match = _GROUP_PREFIX.match(text.strip())
    if not match:
        return None, normalize_carc(text)
    return match.group(0).strip(" -:/").upper(), normalize_carc(text)


def _read(path: Path, kind: CodeKind) -> dict[str, CodeExplanation]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    normalize = normalize_carc if kind == "carc" else normalize_rarc
    table: dict[str, CodeExplanation] = {}
    for row in rows:
        code = normalize(row["code"])
        if code in table:
            raise ValueError(f"{path.name} lists a code twice")
        table[code] = CodeExplanation(
            code=code,
            kind=kind,
            text=row["text"],
            topic=row["topic"],
            usually_patient_liable=_liability(row["patient_liable_usually"]),
            source=row["source"],
            checked=dt.date.fromisoformat(row["checked"]),
        )
    return table


_LIABILITIES: dict[str, Liability] = {"yes": "yes", "no": "no", "maybe": "maybe"}


def _liability(value: str) -> Liability:
    if value not in _LIABILITIES:
        raise ValueError("patient_liable_usually must be yes, no or maybe")
    return _LIABILITIES[value]


@lru_cache(maxsize=1)
def load_adjustment_codes() -> AdjustmentCodes:
    return AdjustmentCodes(carc=_read(DATA / "carc.csv", "carc"), rarc=_read(DATA / "rarc.csv", "rarc"))


def explain_carc(code: str) -> CodeExplanation | None:
    """The plain-English meaning of a claim adjustment reason code, or None when we do not ship it."""
    return load_adjustment_codes().explain_carc(code)


def explain_rarc(code: str) -> CodeExplanation | None:
    """The plain-English meaning of a remark code, or None when we do not ship it."""
    return load_adjustment_codes().explain_rarc(code)
