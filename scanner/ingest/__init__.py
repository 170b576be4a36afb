"""Reading EOBs: every document form becomes the same :class:`~scanner.model.Claim` list.

Users hold their EOBs in four forms: FHIR ExplanationOfBenefit data from the insurer's Patient
Access API, a downloaded PDF, text copied from a page, and a CSV claims export. Each form is read by
a *parser* that a plugin registers through ``eobscan_register_parsers``; the built-in ones are
registered by :mod:`scanner.ingest.parsers` through exactly the same hook.

The parser interface::

    class MyParser(Parser):
        name = "my-csv"            # unique, kebab-case
        version = "1.0"
        kind = "csv"               # the document kind it reads
        def sniff(self, data, filename) -> float: ...   # 0.0 = not mine .. 1.0 = certainly mine
        def parse(self, data, context) -> ParsedDocument: ...

A PDF is first turned into positioned words in a sandboxed process (:mod:`scanner.ingest.pdf`);
the words are then read by a *PDF layout*, a second kind of parser
(:class:`scanner.ingest.pdf_layouts.PdfLayout`) registered through the same hook, so a third party
can add one insurer's layout as a plugin.

The type of a document is decided by its content, never by its name: :func:`read_document` asks
every registered parser to :meth:`~Parser.sniff` the bytes and gives them to the most confident.

A provider's statement (the bill a hospital or clinic mails) is not an EOB and is not read here:
:func:`scanner.ingest.statement.read_statement` reads one, PDF or text, into a
:class:`~scanner.model.Bill`, with the same sandboxed PDF reader and the same document limits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

from scanner.ingest.errors import DocumentError
from scanner.model import Claim
from scanner.settings import positive_number, whole_number

if TYPE_CHECKING:
    from scanner.ingest.pdf_layouts import PdfLayout
    from scanner.plugins import Registry

__all__ = [
    "DocumentError",
    "DocumentKind",
    "DocumentLimits",
    "ParseContext",
    "ParsedDocument",
    "Parser",
    "choose_parser",
    "document_parsers",
    "read_document",
    "registered_layouts",
]

DocumentKind = Literal["fhir", "pdf", "text", "csv"]

MIB = 1024 * 1024


@dataclass(frozen=True)
class DocumentLimits:
    """Bounds on one document. A PDF beyond them is refused, not parsed slowly."""

    max_bytes: int = 10 * MIB
    max_pages: int = 200
    timeout_s: float = 15.0
    memory_bytes: int = 512 * MIB
    #: More claims than this in one document is not an EOB a person holds.
    max_claims: int = 5000

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DocumentLimits:
        """Defaults, overridden by ``EOBSCAN_MAX_UPLOAD_MB``, ``EOBSCAN_MAX_PAGES``,
        ``EOBSCAN_PDF_TIMEOUT_S`` and ``EOBSCAN_PDF_MEMORY_MB``."""
        env = os.environ if env is None else env
        values: dict[str, float | int] = {}
        if (upload_mb := positive_number(env, "EOBSCAN_MAX_UPLOAD_MB")) is not None:
            values["max_bytes"] = int(upload_mb * MIB)
        if (pages := whole_number(env, "EOBSCAN_MAX_PAGES", minimum=1)) is not None:
            values["max_pages"] = pages
        if (timeout_s := positive_number(env, "EOBSCAN_PDF_TIMEOUT_S")) is not None:
            values["timeout_s"] = timeout_s
        if (memory_mb := positive_number(env, "EOBSCAN_PDF_MEMORY_MB")) is not None:
            values["memory_bytes"] = int(memory_mb * MIB)
        return cls(**values)  # type: ignore[arg-type]


@dataclass
class ParsedDocument:
    """What a parser read: the claims, plain-English notes about the reading, and the kind."""

    claims: list[Claim]
    notes: list[str] = field(default_factory=list)
    kind: DocumentKind = "text"
    parser: str = ""
    pages: int | None = None
    #: CPU seconds spent in a sandboxed worker (PDF), for the request log and the benchmark.
    worker_cpu_seconds: float | None = None


@dataclass(frozen=True)
class ParseContext:
    """What a parser may know besides the bytes."""

    filename: str | None = None
    limits: DocumentLimits = field(default_factory=DocumentLimits)
    layouts: tuple[PdfLayout, ...] = ()


class Parser:
    """A document parser. Subclasses set ``name``, ``version``, ``kind`` and implement
    :meth:`sniff` and :meth:`parse`.

    ``sniff`` must be cheap and must never raise: it looks at the first bytes, not the whole
    document. ``parse`` raises :class:`DocumentError` for a document it cannot read; the error's
    text names what is wrong, never the document's content.
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1.0"
    kind: ClassVar[DocumentKind] = "text"

    def sniff(self, data: bytes, filename: str | None) -> float:
        raise NotImplementedError

    def parse(self, data: bytes, context: ParseContext) -> ParsedDocument:
        raise NotImplementedError


def document_parsers(registry: Registry) -> list[Parser]:
    return [p for p in registry.parsers if isinstance(p, Parser)]


def registered_layouts(registry: Registry) -> tuple[PdfLayout, ...]:
    from scanner.ingest.pdf_layouts import PdfLayout

    return tuple(p for p in registry.parsers if isinstance(p, PdfLayout))


def choose_parser(parsers: Sequence[Parser], data: bytes, filename: str | None) -> Parser:
    """The parser most confident that ``data`` is its kind of document."""
    best: tuple[float, int, Parser] | None = None
    for index, parser in enumerate(parsers):
        score = _sniff(parser, data, filename)
        if score > 0 and (best is None or score > best[0]):
            best = (score, -index, parser)
    if best is None:
        raise DocumentError.unsupported(data, filename)
    return best[2]


def _sniff(parser: Parser, data: bytes, filename: str | None) -> float:
    # A third-party parser whose sniff fails simply does not claim the document.
    try:
        return float(parser.sniff(data, filename))
    except Exception:
        return 0.0


def read_document(
    data: bytes,
    filename: str | None = None,
    *,
    registry: Registry | None = None,
    limits: DocumentLimits | None = None,
) -> ParsedDocument:
    """Read any supported EOB document into claims.

    The type is detected from the content. PDFs are parsed in a separate process with a
    wall-clock and a memory limit. Raises :class:`DocumentError` (with an HTTP status, a stable
    ``code`` and a message that never quotes the document) when the document cannot be read.
    """
    from scanner.plugins import default_registry

    limits = limits or DocumentLimits()
    if len(data) > limits.max_bytes:
        raise DocumentError.too_large(limits.max_bytes)
    if not data.strip():
        raise DocumentError(422, "empty_document", "The document is empty.")
    registry = registry or default_registry()
    parser = choose_parser(document_parsers(registry), data, filename)
    context = ParseContext(filename=filename, limits=limits, layouts=registered_layouts(registry))
    document = parser.parse(data, context)
    if not document.parser:
        document.parser = parser.name
    if len(document.claims) > limits.max_claims:
        raise DocumentError(
            422, "too_many_claims", f"The document holds more than {limits.max_claims} claims."
        )
    return document
