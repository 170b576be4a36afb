"""The last resort for a PDF without a table: a portal's claim detail page saved or printed as PDF.

Such a page prints each service as "Amount billed   $2,950.00" rows, one label and one value per
row, with no header row to read columns from. Its rows, cells apart by their gaps, are the same
text a user would paste, so the text reader reads them; it is chosen only when no table layout
could read the document.
"""

from __future__ import annotations

from typing import ClassVar

from scanner.ingest import ParsedDocument
from scanner.ingest.pdf_layouts import PdfLayout, no_table_error, rows_of
from scanner.ingest.pdf_text import PdfText
from scanner.ingest.text import read_text

#: Below every table layout (the generic table scores 0.1): tried when none of them could read.
LAST_RESORT = 0.05


class LabelledTextLayout(PdfLayout):
    name: ClassVar[str] = "pdf-labelled-text"
    version: ClassVar[str] = "1.0"

    def match(self, text: PdfText) -> float:
        return LAST_RESORT

    def read(self, text: PdfText) -> ParsedDocument:
        rows = (row for page in text.pages for row in rows_of(page.words, page.number))
        claims, notes = read_text("\n".join(row.printed for row in rows), source="pdf")
        if not claims:
            raise no_table_error()
        return ParsedDocument(claims=claims, notes=notes, kind="pdf", parser=self.name, pages=len(text.pages))
