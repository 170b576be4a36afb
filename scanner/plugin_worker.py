"""The plugin process: third-party checks run here, away from the service's memory.

``EOBSCAN_PLUGIN_PROCESS=1`` makes the service start this (``python -m scanner.plugin_worker``)
instead of importing third-party plugins itself; :mod:`scanner.plugin_host` is the other side.
In here:

- frames go out on a private copy of standard output; descriptors 1 and 2 then point at
  ``/dev/null``, so whatever a plugin prints is gone (PLG-08) and can never break a frame;
- the address space is capped (``EOBSCAN_PLUGIN_MEMORY_MB``, 1024 by default): a check that
  asks for gigabytes gets a ``MemoryError`` here, not the service;
- after each check the process looks at its resident memory, and past half the cap it says so
  and leaves, so a plugin that leaks on every call costs a fresh process now and then, never
  the service's memory (PLG-03);
- the tripwire of :mod:`scanner.tripwire` is armed around every check, as in the service;
- installed document parsers read documents here, and installed PDF layouts read the words the
  service's sandboxed PDF reader extracted;
- it ends when the service closes the pipe, or when the service is gone.
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import IO

import msgspec

from scanner.checks import Check
from scanner.engine import check_context, run_quietly
from scanner.ingest import (
    DocumentError,
    DocumentLimits,
    ParseContext,
    ParsedDocument,
    Parser,
    document_parsers,
    registered_layouts,
)
from scanner.ingest.pdf_layouts import PdfLayout
from scanner.model import Finding
from scanner.plugin_wire import (
    CheckSpec,
    Failure,
    Hello,
    LayoutSpec,
    Match,
    Parse,
    Parsed,
    ParserSpec,
    Ran,
    ReadWords,
    Run,
    Sniff,
    Sniffed,
    Unreadable,
    WireError,
    receive,
    send,
)
from scanner.plugins import Registry, load_third_party
from scanner.reference import load_reference
from scanner.settings import whole_number
from scanner.tripwire import Record

DEFAULT_MEMORY_MB = 1024
_PAGE = os.sysconf("SC_PAGE_SIZE")


def memory_cap_bytes(env: Mapping[str, str]) -> int:
    """``EOBSCAN_PLUGIN_MEMORY_MB`` in bytes; never below 64 MiB, which Python itself needs."""
    megabytes = whole_number(env, "EOBSCAN_PLUGIN_MEMORY_MB", minimum=1) or DEFAULT_MEMORY_MB
    return max(64, megabytes) * 1024 * 1024


def resident_bytes() -> int:
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * _PAGE


def hello(registry: Registry) -> Hello:
    """What this process loaded: checks, document parsers and PDF layouts."""
    return Hello(
        plugins=registry.plugins,
        checks=[CheckSpec(name=c.name, version=c.version, rules=list(c.rules)) for c in registry.checks],
        parsers=[ParserSpec(name=p.name, version=p.version, kind=p.kind) for p in document_parsers(registry)],
        layouts=[
            LayoutSpec(name=layout.name, version=layout.version) for layout in registered_layouts(registry)
        ],
        failures=[Failure(name=f.name, stage=f.stage, reason=f.reason) for f in registry.failures],
    )


def sniff(parser: Parser | None, message: Sniff, recycle_above: int) -> Sniffed:
    if parser is None:
        return Sniffed()
    return _scored(lambda: parser.sniff(message.head, message.filename), recycle_above)


def match(layout: PdfLayout | None, message: Match, recycle_above: int) -> Sniffed:
    if layout is None:
        return Sniffed()
    return _scored(lambda: layout.match(message.text), recycle_above)


def _scored(look: Callable[[], float], recycle_above: int) -> Sniffed:
    """How sure a parser or a layout is; one that fails to look does not claim the document."""
    try:
        score = float(look())
    except MemoryError:
        return Sniffed(recycle=True)
    except Exception:
        score = 0.0
    return Sniffed(score=score, recycle=resident_bytes() > recycle_above)


def parse(parser: Parser | None, message: Parse, registry: Registry, recycle_above: int) -> Parsed:
    """Read the document as :func:`scanner.ingest.read_document` would have in the service."""
    if parser is None:
        return Parsed(error="LookupError")
    limits = DocumentLimits(**msgspec.structs.asdict(message.limits))
    context = ParseContext(filename=message.filename, limits=limits, layouts=registered_layouts(registry))
    return _read(lambda: parser.parse(message.data, context), recycle_above)


def read_words(layout: PdfLayout | None, message: ReadWords, recycle_above: int) -> Parsed:
    """Read the words of a PDF (extracted by the service's sandboxed reader) with a layout."""
    if layout is None:
        return Parsed(error="LookupError")
    return _read(lambda: layout.read(message.text), recycle_above)


def _read(read: Callable[[], ParsedDocument], recycle_above: int) -> Parsed:
    """What a parser or a layout read, or why not: its DocumentError's safe words, else only
    the type of what it raised."""
    try:
        document = read()
    except DocumentError as exc:
        return Parsed(unreadable=Unreadable(status=exc.status, code=exc.code, message=exc.message))
    except MemoryError:
        return Parsed(error="MemoryError", recycle=True)
    except BaseException as exc:  # a parser may even call sys.exit()
        return Parsed(error=type(exc).__name__)
    return Parsed(
        claims=document.claims,
        notes=document.notes,
        kind=document.kind,
        parser=document.parser,
        pages=document.pages,
        recycle=resident_bytes() > recycle_above,
    )


def run_check(check: Check | None, message: Run, recycle_above: int) -> Ran:
    """Run one check as the engine would in the service, and say what it came to."""
    if check is None:
        return Ran(error="LookupError")
    context = check_context(message.claims, message.plan, message.bills, message.as_of)
    record = Record()
    produced: list[object] = []
    error = None
    try:
        produced = run_quietly(check, message.claims, context, record)
    except MemoryError:
        return Ran(error="MemoryError", violation=record.violation, recycle=True)
    except BaseException as exc:  # a check may even call sys.exit()
        error = type(exc).__name__
    findings = [item for item in produced if isinstance(item, Finding)]
    return Ran(
        findings=findings,
        not_findings=len(produced) - len(findings),
        error=error,
        violation=record.violation,
        recycle=resident_bytes() > recycle_above,
    )


def _answer(out: IO[bytes], answer: Ran | Sniffed | Parsed) -> None:
    """Send the answer; one holding something that cannot be sent (a "Finding" or a claim
    built from odd objects) goes as the same failure the service reports for junk."""
    try:
        send(out, answer)
    except (TypeError, ValueError):
        if isinstance(answer, Ran):
            send(
                out,
                Ran(not_findings=len(answer.findings) or 1, error=answer.error, violation=answer.violation),
            )
        else:
            send(out, Parsed(error="TypeError", recycle=answer.recycle))


def _private_output() -> IO[bytes]:
    """A copy of standard output for frames; then descriptors 1 and 2 go to /dev/null."""
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    return out


def _leave_with_the_service(parent: int) -> None:
    """End this process if the service that started it is gone (even mid-check)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="eobscan-plugin-watch", daemon=True).start()


def main() -> int:
    out = _private_output()
    _leave_with_the_service(os.getppid())
    registry = load_third_party(os.environ)
    load_reference()
    cap = memory_cap_bytes(os.environ)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    send(out, hello(registry))
    checks = {check.name: check for check in registry.checks}
    parsers = {parser.name: parser for parser in document_parsers(registry)}
    layouts = {layout.name: layout for layout in registered_layouts(registry)}
    while True:
        try:
            message = receive(sys.stdin.buffer)
        except WireError:
            return 0  # the service closed the pipe
        answer: Ran | Sniffed | Parsed
        if isinstance(message, Run):
            answer = run_check(checks.get(message.check), message, recycle_above=cap // 2)
        elif isinstance(message, Sniff):
            answer = sniff(parsers.get(message.parser), message, recycle_above=cap // 2)
        elif isinstance(message, Parse):
            answer = parse(parsers.get(message.parser), message, registry, recycle_above=cap // 2)
        elif isinstance(message, Match):
            answer = match(layouts.get(message.layout), message, recycle_above=cap // 2)
        elif isinstance(message, ReadWords):
            answer = read_words(layouts.get(message.layout), message, recycle_above=cap // 2)
        else:
            return 2
        _answer(out, answer)
        if answer.recycle:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
