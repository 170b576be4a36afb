"""Positioned words: what the sandboxed PDF extraction hands back to the layouts.

Coordinates are points from the top-left corner of the page as it is displayed (pdfminer has
already applied the page's /Rotate), so rows sort top to bottom. Coordinates are floats: they are
positions, never amounts.
"""

from __future__ import annotations

import msgspec


class Word(msgspec.Struct, array_like=True, frozen=True):
    """One word: its box and its text."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


class Page(msgspec.Struct, array_like=True):
    number: int
    width: float
    height: float
    words: list[Word]


class PdfText(msgspec.Struct):
    pages: list[Page]
    #: CPU seconds the worker spent (for the request log and the benchmark).
    cpu_seconds: float = 0.0

    @property
    def word_count(self) -> int:
        return sum(len(page.words) for page in self.pages)

    def first_text(self, pages: int = 1) -> str:
        """The words of the first pages, in reading order, for layouts to recognise a document."""
        return " ".join(
            w.text
            for page in self.pages[:pages]
            for w in sorted(page.words, key=lambda w: (round(w.top), w.x0))
        )


encoder = msgspec.msgpack.Encoder()
decoder = msgspec.msgpack.Decoder(PdfText)
