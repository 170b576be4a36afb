"""Small helpers for the ingest tests: amounts as printed text, lines as dicts of amounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scanner.ingest import ParseContext, ParsedDocument
from scanner.model import AMOUNT_FIELDS, Amounts, ServiceLine
from scanner.money import format_money

#: Public CARIN and Blue Button examples, copied byte for byte (licences in data/fhir/README.md).
FHIR_DATA = Path(__file__).resolve().parent / "data" / "fhir"


def amounts(obj: ServiceLine | Amounts | None) -> dict[str, str]:
    """The amounts that are present, as wire strings: {"billed": "68.80", ...}."""
    if obj is None:
        return {}
    return {
        name: format_money(getattr(obj, name)) for name in AMOUNT_FIELDS if getattr(obj, name) is not None
    }


def parse_with(parser: Any, data: bytes, filename: str | None = None) -> ParsedDocument:
    return parser.parse(data, ParseContext(filename=filename))  # type: ignore[no-any-return]
