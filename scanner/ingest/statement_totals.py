"""The totals a provider's statement prints: amount due, payments, adjustments, charges.

They are printed in two places that must be heard together: as labels ("Amount Due: $258.00",
a summary box, see :mod:`scanner.ingest.statement_labels`) and as rows of the itemized table
("Total", "Balance Forward", see :mod:`scanner.ingest.statement_table`). A total is kept every
time it is printed, and read only when every printing agrees: two different amounts due is a
note, never a guess.
"""

from __future__ import annotations

from scanner.ingest.assemble import Notes
from scanner.ingest.statement_vocabulary import BILL_ONLY_DUE
from scanner.money import Money, dollars

#: How a total is named in a message.
LABEL_TITLES = {
    "amount_due": "Amount Due",
    "patient_paid": "Your Payments",
    "insurance_paid": "Insurance Paid",
    "adjustments": "Adjustments",
    "credits": "Payments and Adjustments",
    "total_charges": "Total Charges",
    "previous_balance": "Previous Balance",
    "good_faith_estimate": "Good Faith Estimate",
}


class PrintedTotals:
    """Every total printed, by field (see :data:`LABEL_TITLES`): (amount, the label's key).
    :meth:`one` gives a total when printed once or always the same, with a note when it differs."""

    def __init__(self, notes: Notes) -> None:
        self.notes = notes
        self.by_name: dict[str, list[tuple[Money, str]]] = {}

    def add(self, name: str, amount: Money, key: str) -> None:
        self.by_name.setdefault(name, []).append((amount, key))

    def printed(self, name: str) -> list[tuple[Money, str]]:
        return self.by_name.get(name, [])

    def one(self, name: str) -> int | None:
        values = list(dict.fromkeys(int(amount) for amount, _ in self.printed(name)))
        if len(values) > 1:
            self.notes.add(
                f"The statement prints more than one {LABEL_TITLES[name]!r} amount; none was read."
            )
            return None
        return values[0] if values else None

    def amount_due(self) -> tuple[Money | None, bool, bool]:
        """The amount due (when every one printed agrees), whether one was printed, and whether
        one is in words only a bill uses ("Please Pay")."""
        dues = self.printed("amount_due")
        distinct = list(dict.fromkeys(int(amount) for amount, _ in dues))
        if len(distinct) > 1:
            self.notes.add(
                "The statement prints different amounts due ("
                + ", ".join(dollars(a) for a in distinct)
                + "); none was taken as the amount due."
            )
        amount = Money(distinct[0]) if len(distinct) == 1 else None
        return amount, bool(dues), any(key in BILL_ONLY_DUE for _, key in dues)
