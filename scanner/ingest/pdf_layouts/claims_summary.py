"""A commercial claims summary: several claims, each with its own header and table.

Modelled on the quarterly "claims summary" statements some carriers send: for each claim a line
"Claim #: ...  Provider: ...  Network: ...", a table whose amounts sit under a two-level title
("Your Share" over Deductible, Copay and Coinsurance), a "Remarks" column of reason codes
("CO-45 N130") and a "Claim Total" row; the remark codes are explained at the end.
"""

from __future__ import annotations

from typing import ClassVar

from scanner.ingest.pdf_layouts import TableLayout


class ClaimsSummaryLayout(TableLayout):
    name: ClassVar[str] = "pdf-claims-summary"
    version: ClassVar[str] = "1.0"
    signature: ClassVar[tuple[str, ...]] = ("claims summary", "your share")
