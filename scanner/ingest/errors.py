"""Why a document could not be read, in words that are safe to show and to log.

A :class:`DocumentError` carries an HTTP status, a stable machine ``code`` and a message. The
message names what is wrong with the document (a column, a row number, a limit) and never quotes
the document itself, because an EOB's text is a person's health and insurance data.
"""

from __future__ import annotations


class DocumentError(Exception):
    """A document that cannot be read. ``str(error)`` is safe to show and to log."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    @property
    def safe_message(self) -> str:
        """The message, safe to show and to log (the CLI prints it)."""
        return self.message

    @property
    def title(self) -> str:
        return _TITLES.get(self.status, "Document not readable")

    @classmethod
    def unsupported(cls, data: bytes, filename: str | None) -> DocumentError:
        looks_pdf_named = bool(filename) and str(filename).lower().endswith(".pdf")
        if looks_pdf_named and data.lstrip()[:5] != b"%PDF-":
            return cls(
                415,
                "not_a_pdf",
                "The file is named .pdf but its content is not a PDF (it does not start with %PDF-).",
            )
        return cls(
            415,
            "unsupported_document",
            "The document is not a supported type: send a PDF, FHIR JSON (a resource, a Bundle "
            "or NDJSON), EOB text or a CSV export with a header row.",
        )

    @classmethod
    def invalid_amount(cls, where: str, column: str, reason: object) -> DocumentError:
        """An amount that cannot be read, named by its row and its column (never quoted)."""
        return cls(422, "invalid_amount", f"{where}: the {column!r} amount is not readable: {reason}.")

    @classmethod
    def too_large(cls, limit: int) -> DocumentError:
        return cls(413, "document_too_large", f"The document is larger than {limit // (1024 * 1024)} MiB.")


_TITLES = {
    413: "Document too large",
    415: "Unsupported document type",
    422: "Document not readable",
    503: "Too many documents at once",
}
