"""What a file handed to the CLI becomes: a ScanRequest of its own, or claims read by a parser.

A JSON file with a top-level ``claims`` key is a ScanRequest (API.md); anything else goes to the
document parsers (FHIR, PDF, text, CSV), which tell the kind by content, not by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import msgspec

from scanner.model import ScanRequest, decode_request


class InputError(Exception):
    """A file or option the command cannot use; the message names which and why, never the
    file's content."""


def read_input(path: Path) -> bytes:
    """A file named on the command line, or an :class:`InputError` naming it and why not."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def _looks_like_scan_request(data: bytes) -> bool:
    head = data.lstrip()[:1]
    if head != b"{":
        return False
    try:
        keys = msgspec.json.decode(data, type=dict[str, msgspec.Raw])
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return False
    return "claims" in keys and "resourceType" not in keys


class FileClaims(NamedTuple):
    """What one file contributed: a request's worth of claims, and the parser's notes when the
    file was a document (so the user can check what was read)."""

    request: ScanRequest
    notes: list[str]
    is_document: bool


def claims_from_file(data: bytes, filename: str) -> FileClaims:
    from scanner.service.errors import validation_problem

    if _looks_like_scan_request(data):
        try:
            return FileClaims(decode_request(data), [], False)
        except msgspec.ValidationError as exc:
            raise InputError(f"{filename}: {validation_problem(exc).problem.detail}") from None
    try:
        from scanner.ingest import read_document
    except ImportError:
        raise InputError(f"{filename}: not a ScanRequest JSON file") from None
    try:
        document = read_document(data, filename)
    except Exception as exc:  # a parser's own error type carries a safe message
        raise InputError(f"{filename}: {getattr(exc, 'safe_message', type(exc).__name__)}") from None
    return FileClaims(ScanRequest(claims=list(document.claims)), list(document.notes), True)
