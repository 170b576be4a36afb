"""One PDF worker: read one request, set the limits, extract the words, answer, exit.

A worker is forked by the zygote (:mod:`scanner.ingest.pdf_zygote`), or, where that is not
available, started as ``python -m scanner.ingest.pdf_worker``. It reads one request (limits, then
the PDF), sets its own resource limits before reading the document, extracts the words and writes
one answer, then exits: one process per document, so nothing of one document can leak into the
next.

Protocol (all lengths are 8-byte big-endian): request = len + JSON limits, len + PDF bytes;
answer = len + (``K`` + msgpack PdfText | ``E`` + exception class name).
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import BinaryIO

OK = b"K"
FAILED = b"E"


def read_exact(stream: BinaryIO, size: int) -> bytes:
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(stream: BinaryIO) -> bytes:
    return read_exact(stream, int.from_bytes(read_exact(stream, 8), "big"))


def frame(payload: bytes) -> bytes:
    return len(payload).to_bytes(8, "big") + payload


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Read one request, answer it. pdfminer must already be imported by the caller."""
    from scanner.ingest.pdf_extract import cap_decompression, extract, silence_pdfminer
    from scanner.ingest.pdf_text import encoder

    silence_pdfminer()
    try:
        limits = json.loads(read_frame(requests))
    except (EOFError, ValueError):
        return  # the service went away before sending anything: nothing to do
    try:
        memory = int(limits["memory_bytes"])
        _limit(memory, int(limits["cpu_seconds"]))
        if int(limits["stream_cap"]):
            cap_decompression(int(limits["stream_cap"]))
        data = read_frame(requests)
        text = extract(data, int(limits["max_pages"]))
        del data
        usage = resource.getrusage(resource.RUSAGE_SELF)
        text.cpu_seconds = round(usage.ru_utime + usage.ru_stime, 4)
        payload = OK + encoder.encode(text)
    except BaseException as exc:
        # The class name only: pdfminer's messages may quote the document's bytes.
        payload = FAILED + type(exc).__name__.encode("ascii", "replace")[:64]
    answers.write(frame(payload))
    answers.flush()


def main() -> None:
    # Import pdfminer now, while no document is waiting.
    import scanner.ingest.pdf_extract  # noqa: F401

    # Answers go to a private copy of stdout; anything printed goes to /dev/null.
    answers = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    main()
