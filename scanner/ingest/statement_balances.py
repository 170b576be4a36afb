"""What each line of a provider's statement leaves the patient to pay, and what the patient paid.

A line's patient balance is taken as printed (a "Patient Balance" column, a "Patient
Responsibility" row under the line, or a "Balance" column that is not the account's running
balance). When it is not printed it is computed (charge less the credits) only when every payment
and adjustment of the statement is clearly tied to one line: printed on the line's own row,
printed indented under it, naming its code, or the statement having one line only; the printed
totals must agree, and the balances must add up to the amount due. Otherwise it stays None and a
note says why: a wrong balance would make the balance-billing rules speak of money nobody owes.

A "Balance" column is the account's running balance when it is printed on payment rows too, or
when each row's balance is the previous one plus the row; it is then not read as the lines'.
"""

from __future__ import annotations

from collections.abc import Sequence

from scanner.ingest.assemble import Notes
from scanner.ingest.statement_table import CreditRow, ServiceRow
from scanner.ingest.statement_totals import LABEL_TITLES, PrintedTotals
from scanner.money import Money, dollars

#: Which credit kinds a printed total covers.
_TOTAL_KINDS = {
    "insurance_paid": ("insurance",),
    "adjustments": ("adjustment",),
    "patient_paid": ("patient",),
    "credits": ("insurance", "adjustment", "patient", "credit", "unclear"),
}


class LineBalances:
    """The balances of the table's lines, the patient's payments, and the checks of both against
    the printed totals; what is unclear becomes a note."""

    def __init__(
        self,
        services: Sequence[ServiceRow],
        credits: Sequence[CreditRow],
        totals: PrintedTotals,
        notes: Notes,
    ) -> None:
        self.services = services
        self.credits = credits
        self.totals = totals
        self.notes = notes

    def amount_paid(self) -> Money | None:
        total = self.totals.one("patient_paid")
        itemized = [c.cents for c in self.credits if c.kind == "patient"]
        itemized += [cents for s in self.services for kind, cents in s.credits if kind == "patient"]
        if total is not None:
            if itemized and sum(itemized) != abs(total):
                self.notes.add(
                    f"The statement's total of your payments ({dollars(abs(total))}) differs from the "
                    f"payments it lists ({dollars(sum(itemized))}); the total was taken."
                )
            return Money(abs(total))
        if itemized:
            return Money(sum(itemized))
        return None

    def resolve_running_balance(self, running_values: Sequence[tuple[int, Money]]) -> None:
        """A "Balance" column: each line's balance, unless it is the account's running balance."""
        if not running_values:
            return
        running = any(c.balance_printed for c in self.credits)
        if not running and len(running_values) >= 2:
            running = self._cumulative(running_values)
        if running:
            self.notes.add(
                "The statement's Balance column is the account's running balance, not each line's "
                "balance; it was not read as the lines' balances."
            )
            return
        for index, value in running_values:
            service = self.services[index]
            if service.printed is None:
                service.printed = value

    def _cumulative(self, running_values: Sequence[tuple[int, Money]]) -> bool:
        previous: int | None = None
        for index, value in running_values:
            service = self.services[index]
            step = int(service.charge or 0) - sum(cents for _, cents in service.credits)
            step -= sum(c.cents for c in self.credits if c.tied == index)
            if previous is not None and int(value) != previous + step:
                return False
            previous = int(value)
        return True

    def balances(self, amount_due: Money | None) -> list[Money | None]:
        printed = [s.printed for s in self.services]
        missing = [i for i, value in enumerate(printed) if value is None]
        if not self.services or not missing:
            self._check_balances(printed, amount_due)
            return printed
        tied = self._tie()
        if tied is None:
            return printed
        computed: list[Money | None] = list(printed)
        for index in missing:
            service = self.services[index]
            credits = [*service.credits, *tied.get(index, [])]
            if service.charge is None or any(kind == "unclear" for kind, _ in credits):
                if any(kind == "unclear" for kind, _ in credits):
                    self.notes.add(
                        f"{service.row.where}: a payment or credit printed under the line does not say "
                        "who paid it or what it is; the line's balance was not computed."
                    )
                continue
            balance = int(service.charge) - sum(cents for _, cents in credits)
            if balance < 0:
                self.notes.add(
                    f"{service.row.where}: the payments and adjustments of the line are more than its "
                    "charge; the line's balance was not computed."
                )
                continue
            computed[index] = Money(balance)
        if amount_due is not None and all(v is not None for v in computed):
            added = sum(int(v or 0) for v in computed)
            if added != int(amount_due):
                self.notes.add(
                    f"The line balances worked out from the charges, payments and adjustments add up to "
                    f"{dollars(added)}, not to the amount due ({dollars(amount_due)}); they were not kept."
                )
                return printed
        return computed

    def _tie(self) -> dict[int, list[tuple[str, int]]] | None:
        """Every credit row by the line it is tied to; None when any is not clearly tied to one."""
        codes: dict[str, list[int]] = {}
        for index, service in enumerate(self.services):
            if service.code:
                codes.setdefault(service.code, []).append(index)
        single = len(self.services) == 1
        loose = False
        for credit in self.credits:
            if credit.tied is None and credit.code and len(codes.get(credit.code, [])) == 1:
                credit.tied = codes[credit.code][0]
            if credit.tied is None and single:
                credit.tied = 0
            loose = loose or credit.tied is None
        tied: dict[int, list[tuple[str, int]]] = {}
        for credit in self.credits:
            if credit.tied is not None:
                tied.setdefault(credit.tied, []).append((credit.kind, credit.cents))
        if loose:
            self.notes.add(
                "The statement's payments and adjustments are not printed against its service lines, "
                "so each line's balance is unknown; only the amount due is read."
            )
            return None
        previous = self.totals.one("previous_balance")
        if previous:
            self.notes.add(
                "The statement carries a previous balance, so each line's balance is unknown; only the "
                "amount due is read."
            )
            return None
        credited = 0  # credits printed only in a total, given to the one line
        for name, kinds in _TOTAL_KINDS.items():
            total = self.totals.one(name)
            if total is None:
                continue
            listed = sum(c.cents for c in self.credits if c.kind in kinds)
            listed += sum(cents for s in self.services for kind, cents in s.credits if kind in kinds)
            if name == "credits":
                listed += credited
            residual = abs(total) - listed
            if residual == 0:
                continue
            if single and residual > 0:
                # One line: whatever the statement credited is credited to it.
                tied.setdefault(0, []).append((kinds[0] if len(kinds) == 1 else "credit", residual))
                credited += residual
                continue
            self.notes.add(
                f"The statement's {LABEL_TITLES[name]!r} total ({dollars(abs(total))}) is not the sum "
                f"of the payments and adjustments it lists against its lines ({dollars(listed)}), so "
                "each line's balance is unknown; only the amount due is read."
            )
            return None
        return tied

    def _check_balances(self, balances: Sequence[Money | None], amount_due: Money | None) -> None:
        if amount_due is None or not balances or any(b is None for b in balances):
            return
        added = sum(int(b or 0) for b in balances)
        paid = self.totals.one("patient_paid")
        if added not in (int(amount_due), int(amount_due) + abs(paid or 0)):
            self.notes.add(
                f"The line balances add up to {dollars(added)}, not to the amount due ({dollars(amount_due)})."
            )

    def check_charges(self) -> None:
        total = self.totals.one("total_charges")
        charges = [int(s.charge) for s in self.services if s.charge is not None]
        if total is not None and charges and sum(charges) != total:
            self.notes.add(
                f"The statement's total charges ({dollars(total)}) differ from the sum of its lines "
                f"({dollars(sum(charges))})."
            )
