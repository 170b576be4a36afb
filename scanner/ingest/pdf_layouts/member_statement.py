"""A commercial member EOB statement: one claim, a label block, a "Claim Detail" table.

Modelled on the EOBs large national carriers mail to members: the payer's name and "Explanation
of Benefits", "THIS IS NOT A BILL", a block of labels (member, claim number, provider, dates,
network status), then a "Claim Detail" table with two-line column titles ("Amount / Billed",
"Network / Discount", "Plan / Paid", "What You / Owe") that may run over many pages, and a
"Total" row.
"""

from __future__ import annotations

from typing import ClassVar

from scanner.ingest.pdf_layouts import TableLayout


class MemberStatementLayout(TableLayout):
    name: ClassVar[str] = "pdf-member-statement"
    version: ClassVar[str] = "1.0"
    signature: ClassVar[tuple[str, ...]] = ("explanation of benefits", "this is not a bill", "claim detail")
