"""Running pdfminer in a short-lived, killable process with a memory limit.

pdfminer.six has no decompression cap (a 7 KB file can expand to 4 GiB) and its layout analysis
can run for minutes on crafted input, and a thread cannot be stopped. So each PDF is read in its
own process (:mod:`scanner.ingest.pdf_worker`), which:

- caps its own address space with ``RLIMIT_AS`` (default 512 MiB) before it reads the document,
  so a decompression bomb ends in ``MemoryError``; also CPU time, core dumps and file writes;
- stops any one FlateDecode stream at an eighth of that memory, so a bomb is refused in well
  under a second instead of after inflating half a gigabyte;
- sends anything printed to /dev/null and pins pdfminer's loggers to ERROR;
- reports a failure by exception class name only (pdfminer's messages can quote the document).

The parent waits at most the wall-clock limit (default 15 s) and then kills the worker. One worker
is started ahead of need, so pdfminer's import (about 0.1 s) is not paid while a user waits; each
worker reads one document and exits. A new interpreter is started rather than a fork, so the
service's threads, locks and main module never reach the worker. At most two documents are read at
once and four more may wait; beyond that the answer is 503.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import selectors
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from scanner.ingest.errors import DocumentError
from scanner.ingest.pdf_text import PdfText, decoder
from scanner.ingest.pdf_worker import FAILED, OK, frame

MIB = 1024 * 1024

ENCRYPTED = "This PDF is encrypted with a password; save an unprotected copy and try again."
UNREADABLE = "This file could not be read as a PDF (it is damaged or not a PDF)."
TOO_COMPLEX = "This PDF needs more memory to read than is allowed; it is not a typical EOB."
TIMEOUT = "Reading this PDF took longer than the {seconds:g} s allowed; it is not a typical EOB."
WORKER_DIED = "The PDF reader stopped unexpectedly on this file."
TOO_MANY_PAGES = "This PDF has more than {pages} pages."
BUSY = "Too many documents are being read right now; try again in a moment."

_ENCRYPTED_ERRORS = {
    "PDFPasswordIncorrect",
    "PDFEncryptionError",
    "PDFEncryptionWarning",
    "PDFTextExtractionNotAllowed",
}
_TOO_COMPLEX_ERRORS = {"MemoryError", "RecursionError", "TooManyWords", "StreamTooLarge"}

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


@dataclass(frozen=True)
class SandboxLimits:
    timeout_s: float = 15.0
    memory_bytes: int = 512 * MIB
    max_pages: int = 200
    #: Largest inflated size of one stream; None means an eighth of the memory, 0 means no cap
    #: (the memory limit alone stops a bomb then).
    stream_cap_bytes: int | None = None

    @property
    def stream_cap(self) -> int:
        if self.stream_cap_bytes is None:
            return max(16 * MIB, self.memory_bytes // 8)
        return self.stream_cap_bytes


def _start_worker() -> subprocess.Popen[bytes]:
    env = {"PYTHONPATH": _PACKAGE_ROOT, "PYTHONDONTWRITEBYTECODE": "1", "PATH": os.defpath}
    return subprocess.Popen(
        [sys.executable, "-m", "scanner.ingest.pdf_worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        close_fds=True,
        start_new_session=True,
    )


class _Pool:
    """Keeps one warm worker ready; every worker serves one document."""

    def __init__(self, spare: int = 1) -> None:
        self._spare = spare
        self._idle: list[subprocess.Popen[bytes]] = []
        self._lock = threading.Lock()

    def take(self) -> subprocess.Popen[bytes]:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.poll() is None:
                    break
            else:
                worker = _start_worker()
            while len(self._idle) < self._spare:
                self._idle.append(_start_worker())
        return worker

    def warm(self) -> None:
        with self._lock:
            while len(self._idle) < self._spare:
                self._idle.append(_start_worker())

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            _finish(worker, kill=True)


def _finish(worker: subprocess.Popen[bytes], *, kill: bool) -> None:
    for stream in (worker.stdin, worker.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    if kill and worker.poll() is None:
        worker.kill()
    try:
        worker.wait(timeout=2)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


pool = _Pool()
atexit.register(pool.close)


class _Gate:
    """At most ``workers`` documents are read at once; at most ``waiting`` more may queue."""

    def __init__(self, workers: int = 2, waiting: int = 4) -> None:
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._queued = 0
        self._waiting = waiting

    def __enter__(self) -> None:
        if self._slots.acquire(blocking=False):
            return
        with self._lock:
            if self._queued >= self._waiting:
                raise DocumentError(503, "busy", BUSY)
            self._queued += 1
        try:
            self._slots.acquire()
        finally:
            with self._lock:
                self._queued -= 1

    def __exit__(self, *_: object) -> None:
        self._slots.release()


gate = _Gate()


def warm() -> None:
    """Start a worker now, so the first PDF does not wait for pdfminer's import."""
    pool.warm()


def extract_words(data: bytes, limits: SandboxLimits | None = None) -> PdfText:
    """Positioned words of every page, read in a sandboxed worker process.

    Raises :class:`DocumentError`: 422 ``pdf_encrypted``, ``pdf_unreadable``, ``pdf_too_complex``,
    ``pdf_timeout``, ``pdf_worker_died``, ``too_many_pages``; 503 ``busy``.
    """
    limits = limits or SandboxLimits()
    with gate:
        payload, timed_out = _exchange(data, limits)
    if timed_out:
        raise DocumentError(422, "pdf_timeout", TIMEOUT.format(seconds=limits.timeout_s))
    if not payload:
        raise DocumentError(422, "pdf_worker_died", WORKER_DIED)
    if payload[:1] == OK:
        return decoder.decode(payload[1:])
    if payload[:1] == FAILED:
        raise _error_for(payload[1:].decode("ascii", "replace"), limits)
    raise DocumentError(422, "pdf_worker_died", WORKER_DIED)


def _exchange(data: bytes, limits: SandboxLimits) -> tuple[bytes | None, bool]:
    """Send one document to a worker; (answer or None if it died, timed out)."""
    deadline = time.monotonic() + limits.timeout_s
    worker = pool.take()
    header = json.dumps(
        {
            "memory_bytes": limits.memory_bytes,
            "cpu_seconds": max(1, int(limits.timeout_s) + 2),
            "max_pages": limits.max_pages,
            "stream_cap": limits.stream_cap,
        }
    ).encode()
    try:
        assert worker.stdin is not None and worker.stdout is not None
        request = frame(header) + frame(data)
        return _talk(worker.stdin.fileno(), worker.stdout.fileno(), request, deadline)
    finally:
        _finish(worker, kill=True)


def _talk(stdin: int, stdout: int, request: bytes, deadline: float) -> tuple[bytes | None, bool]:
    """Write the request and read the answer without ever blocking past ``deadline``."""
    os.set_blocking(stdin, False)
    os.set_blocking(stdout, False)
    sent = 0
    received = bytearray()
    expected: int | None = None
    with selectors.DefaultSelector() as selector:
        selector.register(stdout, selectors.EVENT_READ)
        selector.register(stdin, selectors.EVENT_WRITE)
        writing = True
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None, True
            for key, _ in selector.select(remaining):
                if key.fd == stdin:
                    try:
                        sent += os.write(stdin, request[sent : sent + 65536])
                    except (BrokenPipeError, OSError):
                        sent = len(request)
                    if sent >= len(request) and writing:
                        selector.unregister(stdin)
                        writing = False
                    continue
                chunk = os.read(stdout, 1 << 20)
                if not chunk:
                    return None, False
                received += chunk
                if expected is None and len(received) >= 8:
                    expected = int.from_bytes(received[:8], "big")
                if expected is not None and len(received) >= 8 + expected:
                    return bytes(received[8 : 8 + expected]), False


def _error_for(name: str, limits: SandboxLimits) -> DocumentError:
    if name in _ENCRYPTED_ERRORS:
        return DocumentError(422, "pdf_encrypted", ENCRYPTED)
    if name in _TOO_COMPLEX_ERRORS:
        return DocumentError(422, "pdf_too_complex", TOO_COMPLEX)
    if name == "TooManyPages":
        return DocumentError(422, "too_many_pages", TOO_MANY_PAGES.format(pages=limits.max_pages))
    return DocumentError(422, "pdf_unreadable", UNREADABLE)
