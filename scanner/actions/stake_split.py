"""The total at stake in words a patient can act on: what is likely not owed, what is worth
checking, and what is a saving to ask for.

A total that adds a likely error to a price one could negotiate reads as if all of it were owed
back. The summary's ``total_by_severity`` keeps them apart; this module names the parts the same
way in the command line's table and in the evidence pack.
"""

from __future__ import annotations

from scanner.model import Summary
from scanner.money import dollars

#: What each part of the total means to the patient, strongest first.
PART_LABELS = {
    "error": "likely not owed (errors)",
    "warning": "worth checking (warnings)",
    "info": "savings to ask for (info)",
}


def stake_parts(summary: Summary) -> list[tuple[str, int]]:
    """The non-zero parts of the total, strongest first, as (label, cents)."""
    split = summary.total_by_severity
    return [(label, split[severity]) for severity, label in PART_LABELS.items() if split.get(severity)]


def stake_parts_text(summary: Summary) -> str | None:
    """``"$1,170.00 likely not owed (errors), $30.00 savings to ask for (info)"``; ``"all of it
    savings to ask for (info)"`` when there is one part; None when nothing is at stake."""
    parts = stake_parts(summary)
    if not parts:
        return None
    if len(parts) == 1:
        return f"all of it {parts[0][0]}"
    return ", ".join(f"{dollars(cents)} {label}" for label, cents in parts)
