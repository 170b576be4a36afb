"""A provider's statement as a PDF: its words from the sandboxed worker, grouped into rows.

The words come from exactly the path EOB PDFs take (:func:`scanner.ingest.pdf.pdf_words`): the
bytes are checked in this process, pdfminer runs in a short-lived worker with a wall-clock and a
memory limit (:mod:`scanner.ingest.sandbox`), and never in this process. Rows and cells are built
by the PDF layouts' own :func:`~scanner.ingest.pdf_layouts.rows_of` (same baseline, cells apart
by their gaps, an amount always its own cell); :mod:`scanner.ingest.statement_reader` reads them.
"""

from __future__ import annotations

from scanner.ingest import DocumentLimits
from scanner.ingest.pdf import pdf_words
from scanner.ingest.pdf_layouts import rows_of
from scanner.ingest.pdf_text import PdfText
from scanner.ingest.statement_rows import StatementRow

NO_TEXT = (
    "This PDF has no text; OCR is not supported. It looks like a scan or a photo of the statement: "
    "download the statement from the provider's billing website, or copy its text and paste it instead."
)
#: A row printed under a line starts at least this share of its text size right of the line's
#: description (an indent of about a character).
INDENT = 0.8


def statement_pdf_words(data: bytes, limits: DocumentLimits) -> PdfText:
    """The statement's words, read in the sandbox within ``limits`` (see :func:`pdf_words`)."""
    return pdf_words(data, limits, no_text=NO_TEXT)


def pdf_rows(text: PdfText) -> list[StatementRow]:
    """Every page's rows, top to bottom, as statement rows."""
    out: list[StatementRow] = []
    for page in text.pages:
        for number, row in enumerate(rows_of(page.words, page.number), start=1):
            out.append(
                StatementRow(
                    cells=row.cells,
                    where=f"Page {page.number}, row {number}",
                    page=page.number,
                    top=row.top,
                    bottom=row.bottom,
                    size=row.size,
                    indent=INDENT * row.size,
                    continues=True,
                )
            )
    return out
