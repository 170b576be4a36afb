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

The parent waits at most the wall-clock limit (default 15 s) and then kills the worker. Workers are
forked by a zygote process that has pdfminer imported (:mod:`scanner.ingest.pdf_zygote`), so
pdfminer's import (about 0.1 s of CPU) is paid once, not per document; each worker reads one
document and exits. The zygote is its own interpreter, never a fork of the service, so the
service's threads, locks and main module never reach a worker. At most two documents are read at
once and four more may wait; beyond that the answer is 503.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
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


def _environment() -> dict[str, str]:
    # The worker needs nothing from the service's environment (its token least of all).
    return {"PYTHONPATH": _PACKAGE_ROOT, "PYTHONDONTWRITEBYTECODE": "1", "PATH": os.defpath}


class _Worker:
    """One worker process serving one document: where to write, where to read, how to kill."""

    def __init__(
        self, request_fd: int, answer_fd: int, kill: Callable[[], None], release: Callable[[], None]
    ) -> None:
        self.request_fd = request_fd
        self.answer_fd = answer_fd
        self._kill = kill
        self._release = release

    def finish(self, *, kill: bool) -> None:
        for fd in (self.request_fd, self.answer_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        if kill:
            with contextlib.suppress(OSError):
                self._kill()
        self._release()


class _Zygote:
    """Forks workers from a process that has pdfminer imported (:mod:`scanner.ingest.pdf_zygote`).

    Each worker is killed through a pidfd, so a kill can never reach a recycled pid."""

    @staticmethod
    def supported() -> bool:
        needed = (
            hasattr(os, "pidfd_open"),
            hasattr(socket, "send_fds"),
            hasattr(signal, "pidfd_send_signal"),
        )
        if not all(needed):
            return False
        try:
            os.close(os.pidfd_open(os.getpid()))
        except OSError:  # a kernel older than 5.3
            return False
        return True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None

    def _start(self) -> socket.socket:
        self.close()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "scanner.ingest.pdf_zygote", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_environment(),
            start_new_session=True,
        )
        theirs.close()
        self._control = ours
        return ours

    def warm(self) -> None:
        with self._lock:
            if self._control is None or self._process is None or self._process.poll() is not None:
                self._start()

    def spawn(self) -> _Worker:
        request_r, request_w = os.pipe()
        answer_r, answer_w = os.pipe()
        try:
            pid = self._fork(request_r, answer_w)
        finally:
            os.close(request_r)
            os.close(answer_w)
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:  # the worker is already gone: its answer pipe will say so
            return _Worker(request_w, answer_r, lambda: None, lambda: None)

        def kill() -> None:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)

        return _Worker(request_w, answer_r, kill, lambda: os.close(pidfd))

    def _fork(self, request_r: int, answer_w: int) -> int:
        with self._lock:
            for attempt in (1, 2):
                control = self._control
                if control is None or self._process is None or self._process.poll() is not None:
                    control = self._start()
                try:
                    socket.send_fds(control, [b"F"], [request_r, answer_w])
                    return int.from_bytes(_receive(control, 8), "big")
                except OSError:
                    if attempt == 2:
                        raise
                    self._control = None
        raise OSError("the PDF zygote did not start")

    def close(self) -> None:
        control, process = self._control, self._process
        self._control = self._process = None
        if control is not None:
            control.close()
        if process is not None:
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _receive(control: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = control.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the PDF zygote closed its socket")
        data += chunk
    return data


class _Spawner:
    """Where a zygote cannot run: a fresh ``python -m scanner.ingest.pdf_worker`` per document,
    with one started ahead of need."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spare: subprocess.Popen[bytes] | None = None

    @staticmethod
    def _start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "scanner.ingest.pdf_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_environment(),
            start_new_session=True,
        )

    def warm(self) -> None:
        with self._lock:
            if self._spare is None or self._spare.poll() is not None:
                self._spare = self._start()

    def spawn(self) -> _Worker:
        with self._lock:
            process = self._spare if self._spare is not None and self._spare.poll() is None else self._start()
            self._spare = self._start()
        assert process.stdin is not None and process.stdout is not None
        request_fd, answer_fd = os.dup(process.stdin.fileno()), os.dup(process.stdout.fileno())
        process.stdin.close()
        process.stdout.close()

        def release() -> None:
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

        return _Worker(request_fd, answer_fd, process.kill, release)

    def close(self) -> None:
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is not None:
            for stream in (spare.stdin, spare.stdout):
                if stream is not None:
                    stream.close()
            spare.kill()
            spare.wait()


workers: _Zygote | _Spawner = _Zygote() if _Zygote.supported() else _Spawner()
atexit.register(workers.close)


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
    """Start the zygote (or a spare worker) now, so the first PDF does not wait for pdfminer's
    import. The service may call this at start."""
    workers.warm()


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
    header = json.dumps(
        {
            "memory_bytes": limits.memory_bytes,
            "cpu_seconds": max(1, int(limits.timeout_s) + 2),
            "max_pages": limits.max_pages,
            "stream_cap": limits.stream_cap,
        }
    ).encode()
    worker = workers.spawn()
    answer: bytes | None = None
    timed_out = True
    try:
        answer, timed_out = _talk(worker.request_fd, worker.answer_fd, frame(header) + frame(data), deadline)
    finally:
        worker.finish(kill=timed_out or answer is None)
    return answer, timed_out


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
