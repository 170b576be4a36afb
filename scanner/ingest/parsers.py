"""The built-in document parsers, registered through the same hook as a third party's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scanner import hookimpl
from scanner.ingest.csv import CsvParser
from scanner.ingest.fhir import FhirParser
from scanner.ingest.pdf import PdfParser
from scanner.ingest.pdf_layouts import PdfLayout
from scanner.ingest.pdf_layouts.claims_summary import ClaimsSummaryLayout
from scanner.ingest.pdf_layouts.generic import GenericTableLayout
from scanner.ingest.pdf_layouts.labelled_text import LabelledTextLayout
from scanner.ingest.pdf_layouts.medicare_msn import MedicareSummaryNoticeLayout
from scanner.ingest.pdf_layouts.member_statement import MemberStatementLayout
from scanner.ingest.text import TextParser

LAYOUTS: tuple[PdfLayout, ...] = (
    MemberStatementLayout(),
    ClaimsSummaryLayout(),
    MedicareSummaryNoticeLayout(),
    GenericTableLayout(),
    LabelledTextLayout(),
)

PARSERS: tuple[Any, ...] = (FhirParser(), PdfParser(), CsvParser(), TextParser(), *LAYOUTS)


@hookimpl
def eobscan_register_parsers(register: Callable[[Any], None]) -> None:
    for parser in PARSERS:
        register(parser)
