"""The fallback layout: any PDF with an EOB-like table (a header naming amount columns)."""

from __future__ import annotations

from typing import ClassVar

from scanner.ingest.pdf_layouts import TableLayout


class GenericTableLayout(TableLayout):
    """Reads any table whose header names at least two amount columns; it is chosen only when
    no layout recognises the document."""

    name: ClassVar[str] = "pdf-generic-table"
    version: ClassVar[str] = "1.0"
