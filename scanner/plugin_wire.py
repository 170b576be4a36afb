"""What the service and its plugin process say to each other, and how it is framed.

Each message is one Struct of the union below, in :func:`scanner.model.internal_encode` form
(exact amounts, integers of any width), behind a 4-byte big-endian length. The plugin process
reads from its standard input and answers on a copy of its standard output, taken before that
and standard error are sent to ``/dev/null``: what a plugin prints can never break a frame.
"""

from __future__ import annotations

import datetime as dt
import select
import struct
import time
from typing import IO

import msgspec

from scanner.ingest.pdf_text import PdfText
from scanner.model import Bill, Claim, Finding, Plan, PluginInfo, Rule, internal_decode, internal_encode

#: A frame larger than this is a broken process, not a message (a scan is at most a few MiB).
MAX_FRAME = 256 * 1024 * 1024
_LENGTH = struct.Struct(">I")


class CheckSpec(msgspec.Struct, kw_only=True):
    """A check the plugin process registered, as the service lists it."""

    name: str
    version: str
    rules: list[Rule]


class Failure(msgspec.Struct, kw_only=True):
    """A plugin that could not be used (mirrors :class:`scanner.plugins.PluginFailure`)."""

    name: str
    stage: str
    reason: str


class ParserSpec(msgspec.Struct, kw_only=True):
    """A document parser the plugin process registered."""

    name: str
    version: str
    kind: str


class LayoutSpec(msgspec.Struct, kw_only=True):
    """A PDF layout the plugin process registered."""

    name: str
    version: str


class Hello(msgspec.Struct, tag="hello", kw_only=True):
    """The plugin process's first message: what it loaded."""

    plugins: list[PluginInfo]
    checks: list[CheckSpec]
    parsers: list[ParserSpec] = msgspec.field(default_factory=list)
    layouts: list[LayoutSpec] = msgspec.field(default_factory=list)
    failures: list[Failure]


class Run(msgspec.Struct, tag="run", kw_only=True):
    """Run one check on a scan's claims (the process rebuilds the check's context)."""

    check: str
    claims: list[Claim]
    plan: Plan | None
    bills: list[Bill]
    as_of: dt.date


class Ran(msgspec.Struct, tag="ran", kw_only=True):
    """What the check came to. ``not_findings`` counts what it returned that was not a
    Finding; ``error`` is the type name of what it raised; ``recycle`` means the process is
    leaving (out of memory, or grown past its limit) and the next call needs a new one."""

    findings: list[Finding] = msgspec.field(default_factory=list)
    not_findings: int = 0
    error: str | None = None
    violation: str | None = None
    recycle: bool = False


class Sniff(msgspec.Struct, tag="sniff", kw_only=True):
    """How sure is ``parser`` that this is its kind of document (from its first bytes)?"""

    parser: str
    head: bytes
    filename: str | None


class Sniffed(msgspec.Struct, tag="sniffed", kw_only=True):
    score: float = 0.0
    recycle: bool = False


class Limits(msgspec.Struct, kw_only=True):
    """:class:`scanner.ingest.DocumentLimits`, on the wire."""

    max_bytes: int
    max_pages: int
    timeout_s: float
    memory_bytes: int
    max_claims: int


class Parse(msgspec.Struct, tag="parse", kw_only=True):
    """Read a document with ``parser``."""

    parser: str
    data: bytes
    filename: str | None
    limits: Limits


class Unreadable(msgspec.Struct, kw_only=True):
    """The :class:`scanner.ingest.DocumentError` a parser raised (its words are safe to show)."""

    status: int
    code: str
    message: str


class Parsed(msgspec.Struct, tag="parsed", kw_only=True):
    """What the parser read, or why it could not (``unreadable``, or the type it raised)."""

    claims: list[Claim] = msgspec.field(default_factory=list)
    notes: list[str] = msgspec.field(default_factory=list)
    kind: str = "text"
    parser: str = ""
    pages: int | None = None
    unreadable: Unreadable | None = None
    error: str | None = None
    recycle: bool = False


class Match(msgspec.Struct, tag="match", kw_only=True):
    """How sure is ``layout`` that it can read these words of a PDF? The answer is :class:`Sniffed`.

    The service's own PDF reader extracts the words, in its sandbox; a plugin's layout only
    reads them, here."""

    layout: str
    text: PdfText


class ReadWords(msgspec.Struct, tag="read_words", kw_only=True):
    """Read the claims in these words of a PDF with ``layout``; the answer is :class:`Parsed`."""

    layout: str
    text: PdfText


Message = Hello | Run | Ran | Sniff | Sniffed | Parse | Parsed | Match | ReadWords


class WireError(Exception):
    """The other side went away or sent something that is not a frame."""


def send(stream: IO[bytes], message: Message) -> None:
    payload = internal_encode(message)
    frame = memoryview(_LENGTH.pack(len(payload)) + payload)
    while frame:  # an unbuffered stream may take only part of a large frame per write
        written = stream.write(frame)
        frame = frame[written if written is not None else len(frame) :]
    stream.flush()


def receive(stream: IO[bytes], timeout_s: float | None = None) -> Message:
    """The next message; :class:`TimeoutError` if it has not fully arrived in ``timeout_s``
    (``stream`` must then be unbuffered, so that waiting on its descriptor is waiting on it)."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    head = _read_exactly(stream, _LENGTH.size, deadline)
    (length,) = _LENGTH.unpack(head)
    if length > MAX_FRAME:
        raise WireError("a frame larger than any message")
    try:
        message: Message = internal_decode(_read_exactly(stream, length, deadline), Message)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise WireError("a frame that is not a message") from None
    return message


def _read_exactly(stream: IO[bytes], size: int, deadline: float | None) -> bytes:
    data = b""
    while len(data) < size:
        if deadline is not None:
            ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError
        chunk = stream.read(size - len(data))
        if not chunk:
            raise WireError("the other side closed the pipe")
        data += chunk
    return data
