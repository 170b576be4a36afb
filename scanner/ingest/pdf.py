"""EOB PDFs: pdfminer.six in a sandboxed process, then the best-matching layout.

The bytes are checked in this process first (it starts with ``%PDF-``; a cheap count of page
objects against the page limit), then :mod:`scanner.ingest.sandbox` extracts positioned words in a
worker with a wall-clock and a memory limit, and the registered :class:`PdfLayout` that is most
sure it knows the document reads them. A PDF without any text (a scan) gets a clear answer rather
than an empty result: OCR is not supported.
"""

from __future__ import annotations

from typing import ClassVar

from scanner.ingest import DocumentKind, DocumentLimits, ParseContext, ParsedDocument, Parser
from scanner.ingest.errors import DocumentError
from scanner.ingest.pdf_extract import page_count_hint
from scanner.ingest.pdf_layouts import PdfLayout, no_table_error
from scanner.ingest.pdf_text import PdfText
from scanner.ingest.sandbox import TOO_MANY_PAGES, SandboxLimits, extract_words

TRUNCATED = "This PDF is incomplete (it does not end with %%EOF); download it again."
NO_TEXT = (
    "This PDF has no text; OCR is not supported. It looks like a scan or a photo: download the EOB "
    "from your insurer's website, or copy its text and paste it instead."
)


class PdfParser(Parser):
    name: ClassVar[str] = "pdf"
    version: ClassVar[str] = "1.0"
    kind: ClassVar[DocumentKind] = "pdf"

    def sniff(self, data: bytes, filename: str | None) -> float:
        return 0.99 if b"%PDF-" in data[:1024] else 0.0

    def parse(self, data: bytes, context: ParseContext) -> ParsedDocument:
        text = pdf_words(data, context.limits)
        document = read_words(text, context.layouts or builtin_layouts())
        document.worker_cpu_seconds = text.cpu_seconds
        return document


def pdf_words(data: bytes, limits: DocumentLimits, *, no_text: str = NO_TEXT) -> PdfText:
    """The positioned words of a PDF, read in the sandboxed worker within ``limits``.

    The one way a PDF's words are read, for EOBs and for provider statements alike
    (:mod:`scanner.ingest.statement`): the bytes are checked here first (``%%EOF``, a cheap page
    count), then pdfminer runs in a killable worker (:func:`scanner.ingest.sandbox.extract_words`),
    never in this process. ``no_text`` is the message for a PDF without any text (a scan).

    Raises :class:`DocumentError`: 422 ``pdf_truncated``, ``too_many_pages``, ``pdf_no_text`` and
    the sandbox's errors (``pdf_encrypted``, ``pdf_unreadable``, ``pdf_too_complex``,
    ``pdf_timeout``, ``pdf_worker_died``); 503 ``busy``.
    """
    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(422, "pdf_truncated", TRUNCATED)
    if page_count_hint(data) > limits.max_pages:
        raise DocumentError(422, "too_many_pages", TOO_MANY_PAGES.format(pages=limits.max_pages))
    text = extract_words(
        data,
        SandboxLimits(
            timeout_s=limits.timeout_s, memory_bytes=limits.memory_bytes, max_pages=limits.max_pages
        ),
    )
    if text.word_count == 0:
        raise DocumentError(422, "pdf_no_text", no_text)
    return text


def builtin_layouts() -> tuple[PdfLayout, ...]:
    from scanner.ingest.parsers import LAYOUTS

    return LAYOUTS


def read_words(text: PdfText, layouts: tuple[PdfLayout, ...]) -> ParsedDocument:
    """Give the words to the layouts, most confident first, until one reads claims."""
    scored = [(_score(layout, text), -index, layout) for index, layout in enumerate(layouts)]
    ranked = sorted(scored, key=lambda item: (item[0], item[1]), reverse=True)
    failures: list[str] = []
    first_error: DocumentError | None = None  # the most confident layout's reason is the one told
    for score, _, layout in ranked:
        if score <= 0:
            break
        try:
            document = layout.read(text)
        except DocumentError as exc:
            first_error = first_error or exc
            continue
        except Exception as exc:
            # A broken layout plugin costs the user that layout only; its message may quote data.
            failures.append(f"The PDF layout {layout.name!r} failed ({type(exc).__name__}).")
            continue
        document.notes[:0] = failures
        document.pages = len(text.pages)
        return document
    raise first_error or no_table_error()


def _score(layout: PdfLayout, text: PdfText) -> float:
    try:
        return float(layout.match(text))
    except Exception:
        return 0.0
