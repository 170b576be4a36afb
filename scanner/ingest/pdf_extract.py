"""Inside the sandbox: pdfminer.six turns PDF bytes into positioned words.

This module runs only in the short-lived worker process (see :mod:`scanner.ingest.sandbox`).
pdfminer has no decompression cap and its layout analysis can run for minutes on hostile input,
so everything here assumes it may be killed at any moment and reports failures by exception
*class* only: pdfminer's messages may embed raw stream bytes, and its debug log prints document
text, so its loggers are pinned to ERROR before anything is parsed.

``LAParams(boxes_flow=None)`` keeps table rows in order and is about 8x faster than the default
hierarchical layout analysis; rows and columns are rebuilt from the word boxes by the layouts.

A footnote reference drawn as a superscript after a word ("$28.00" and a small raised "1") is
left out here, from the glyphs' sizes and positions: kept, it would be glued to the amount
("$28.001") or read as the next column's value. See :func:`drop_superscripts`.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from typing import Any

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTAnno, LTChar, LTContainer, LTPage, LTTextLine

from scanner.ingest.pdf_text import Page, PdfText, Word

#: More words than this is not an EOB; reading it would only cost time and memory.
MAX_WORDS = 200_000


class TooManyPages(Exception):
    """The document has more pages than allowed."""


class TooManyWords(Exception):
    """The document holds more text than any EOB."""


class StreamTooLarge(Exception):
    """One stream inflates to more bytes than the cap: a decompression bomb."""


class _CappedZlib:
    """What pdfminer's ``pdftypes`` module sees as ``zlib``: the same, except that
    ``decompress`` stops at a size cap instead of inflating a bomb until memory runs out."""

    error = zlib.error

    def __init__(self, cap: int) -> None:
        self.cap = cap

    def decompressobj(self, *args: Any, **kwargs: Any) -> Any:
        return zlib.decompressobj(*args, **kwargs)

    def decompress(self, data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, self.cap + 1)
        if len(out) > self.cap or inflater.unconsumed_tail:
            raise StreamTooLarge
        out += inflater.flush()
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")  # what zlib.decompress says
        return out


def cap_decompression(cap: int) -> None:
    """Make pdfminer's FlateDecode stop at ``cap`` bytes per stream. The memory limit of the
    worker is the backstop if a pdfminer version reads zlib some other way."""
    import pdfminer.pdftypes

    if getattr(pdfminer.pdftypes, "zlib", None) is zlib:
        setattr(pdfminer.pdftypes, "zlib", _CappedZlib(cap))  # noqa: B010


def silence_pdfminer() -> None:
    """pdfminer logs tokens (document text) at DEBUG: never let it log below ERROR."""
    for name in ("pdfminer", "pdfminer.psparser", "pdfminer.pdfinterp", "pdfminer.pdfdocument"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.ERROR)
        logger.propagate = False


def extract(data: bytes, max_pages: int) -> PdfText:
    silence_pdfminer()
    pages: list[Page] = []
    words = 0
    layout = LAParams(boxes_flow=None)
    for number, page in enumerate(
        extract_pages(io.BytesIO(data), laparams=layout, maxpages=max_pages + 1), 1
    ):
        if number > max_pages:
            raise TooManyPages
        found: list[Word] = []
        _collect(page, page.height + page.y0, found)
        found = drop_superscripts(found)
        words += len(found)
        if words > MAX_WORDS:
            raise TooManyWords
        pages.append(Page(number=number, width=page.width, height=page.height, words=found))
    return PdfText(pages=pages)


def _collect(item: Any, top_of_page: float, out: list[Word]) -> None:
    if isinstance(item, LTTextLine):
        _line_words(item, top_of_page, out)
    elif isinstance(item, LTContainer) and not isinstance(item, LTChar):
        for child in item:
            _collect(child, top_of_page, out)


def _line_words(line: LTTextLine, top_of_page: float, out: list[Word]) -> None:
    chars: list[LTChar] = []
    for item in line:
        if isinstance(item, LTChar) and _upright(item) and not item.get_text().isspace():
            if chars and (
                item.x0 - chars[-1].x1 > 0.25 * max(item.size, 1.0)
                or (item.size != chars[-1].size and _script_step(chars[-1], item))
            ):
                _emit(chars, top_of_page, out)
                chars = []
            chars.append(item)
        elif isinstance(item, LTAnno | LTChar):
            _emit(chars, top_of_page, out)
            chars = []
    _emit(chars, top_of_page, out)


def _upright(char: LTChar) -> bool:
    """Text drawn at an angle (a "COPY" watermark, a vertical margin note) is not table text."""
    a, b, c, d, _, _ = char.matrix
    return abs(b) < 1e-3 and abs(c) < 1e-3 and a > 0 and d > 0


#: A superscript is at most this share of the size of the word it follows...
SCRIPT_SIZE = 0.8
#: ...and its bottom is at least this share of that word's size above the word's bottom.
SCRIPT_RISE = 0.2
#: What a footnote reference can be: "1", "12", "a", "*", "†", "1,2".
_REFERENCE = re.compile(r"[0-9A-Za-z*\u2020\u2021\u00a7\u00b6,]{1,3}")


def _script_step(before: LTChar, after: LTChar) -> bool:
    """Whether two glyphs of one text line belong to different words because one is drawn small
    and raised next to the other (a superscript glued to an amount: "$28.00" and "1")."""
    small, large = (after, before) if after.size < before.size else (before, after)
    return small.size <= SCRIPT_SIZE * large.size and small.y0 - large.y0 >= SCRIPT_RISE * large.size


def drop_superscripts(words: list[Word]) -> list[Word]:
    """The words less the footnote references drawn as superscripts after another word.

    A reference is a short word ("1", "a", "*") that is small (``SCRIPT_SIZE``) next to the word
    that ends just left of it, and raised (``SCRIPT_RISE``) while still touching its line. A word
    of normal size or on the baseline, such as units of "1" in the next column, is kept. Only
    words as short as a reference are looked at, and each against the few words that end near
    it, so the cost is a dictionary look-up or two per word.
    """
    ends: dict[int, list[Word]] | None = None
    dropped: set[int] = set()
    for index, word in enumerate(words):
        if len(word.text) > 3 or not _REFERENCE.fullmatch(word.text):
            continue
        if ends is None:
            ends = {}
            for other in words:
                ends.setdefault(int(other.x1), []).append(other)
        if any(
            _is_reference(word, base)
            for key in range(int(word.x0) - 8, int(word.x0) + 2)
            for base in ends.get(key, ())
        ):
            dropped.add(index)
    if not dropped:
        return words
    return [word for index, word in enumerate(words) if index not in dropped]


def _is_reference(word: Word, base: Word) -> bool:
    """Whether ``word`` is a superscript after ``base``: small beside it, raised above its bottom
    yet below its top, and starting where it ends (within half a character)."""
    return (
        word.size <= SCRIPT_SIZE * base.size
        and -0.25 * base.size <= word.x0 - base.x1 <= 0.5 * base.size
        and base.bottom - word.bottom >= SCRIPT_RISE * base.size
        and word.bottom > base.top
    )


_SPACE = re.compile(r"\s+")


def _emit(chars: list[LTChar], top_of_page: float, out: list[Word]) -> None:
    if not chars:
        return
    text = _SPACE.sub("", "".join(c.get_text() for c in chars))
    if not text:
        return
    out.append(
        Word(
            x0=round(chars[0].x0, 2),
            x1=round(chars[-1].x1, 2),
            top=round(top_of_page - max(c.y1 for c in chars), 2),
            bottom=round(top_of_page - min(c.y0 for c in chars), 2),
            text=text,
            size=round(max(c.size for c in chars), 2),
        )
    )


def page_count_hint(data: bytes) -> int:
    """A cheap upper-bound guess of the page count from the raw bytes (uncompressed page
    objects only), to refuse a 20,000-page file before spawning anything."""
    return len(_PAGE_OBJECT.findall(data))


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")

__all__ = [
    "MAX_WORDS",
    "LTPage",
    "TooManyPages",
    "TooManyWords",
    "extract",
    "page_count_hint",
    "silence_pdfminer",
]
