"""The Medicare Summary Notice (Part B), per CMS Claims Processing Manual chapter 21.

Claims are listed one after another, each with "Claim Number", "Date of Service" and the
provider, over the MSN's columns: "Service Provided & Billing Code" (the code in parentheses
after the description), "Service Approved?", "Amount Provider Charged", "Medicare-Approved
Amount", "Medicare Paid", "Maximum You May Be Billed" and "See Notes" (letters that point at the
notes section, not reason codes). A "No" under "Service Approved?" is a denied line; each claim
ends with "Total for Claim ...".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from scanner.ingest.pdf_layouts import TableLayout


class MedicareSummaryNoticeLayout(TableLayout):
    name: ClassVar[str] = "pdf-medicare-msn"
    version: ClassVar[str] = "1.0"
    signature: ClassVar[tuple[str, ...]] = ("medicare summary notice",)
    defaults: ClassVar[Mapping[str, str]] = {"payer": "Medicare", "claim_type": "professional"}

    def adjust_cells(self, cells: dict[str, str]) -> dict[str, str]:
        # MSN note letters ("A", "C") point at the notes section; they are not reason codes.
        cells.pop("remarks", None)
        return cells
