"""A tripwire around checks: while one runs, no network, no new process or thread, no file written.

A check sees the patient's claims. Whatever it sends off the machine, hands to another program
or leaves on disk is a leak that no finding justifies, and no check needs any of it. So while a
check runs, the operations below fail inside it with :class:`SandboxViolation` (a
``PermissionError``, so that careful library code gives up as it would without permission), and
the first attempt is noted in the check's :class:`Record`. The engine reports the check as
failed and drops its findings even when the check caught the error and went on.

It works through Python's audit hooks (PEP 578), plus the two functions that start threads (a
thread would run outside the check's context, so outside the tripwire), installed once per
process and inert outside checks. It is a tripwire, not a wall: it stops an HTTP client, a
telemetry library, a debug file or a shell command in a plugin; code written to get around it
can (a C extension loaded at import time makes system calls that raise no audit event). Plugins
stay code the user chose to install, as the plugin guide says; a wall would take each plugin
in a process of its own (threats.md, plugin worker).
"""

from __future__ import annotations

import _thread
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

NETWORK = "open a network connection"
PROCESS = "start another program"
THREAD = "start a thread"
FILE = "write or change a file"
NATIVE = "call native code through ctypes"

_EVENTS: dict[str, str] = {
    **dict.fromkeys(
        (
            "socket.__new__",
            "socket.connect",
            "socket.bind",
            "socket.sendto",
            "socket.sendmsg",
            "socket.getaddrinfo",
            "socket.gethostbyname",
            "socket.gethostbyaddr",
            "socket.getnameinfo",
            "urllib.Request",
            "http.client.connect",
        ),
        NETWORK,
    ),
    **dict.fromkeys(
        (
            "subprocess.Popen",
            "os.system",
            "os.exec",
            "os.posix_spawn",
            "os.spawn",
            "os.fork",
            "os.forkpty",
            "os.kill",
            "os.killpg",
            "os.startfile",
            "pty.spawn",
        ),
        PROCESS,
    ),
    **dict.fromkeys(
        (
            "os.remove",
            "os.rename",
            "os.rmdir",
            "os.mkdir",
            "os.truncate",
            "os.chmod",
            "os.chown",
            "os.link",
            "os.symlink",
            "os.utime",
            "os.setxattr",
            "os.removexattr",
            "shutil.copyfile",
            "shutil.copymode",
            "shutil.copystat",
            "shutil.copytree",
            "shutil.move",
            "shutil.rmtree",
            "shutil.make_archive",
            "shutil.unpack_archive",
        ),
        FILE,
    ),
}

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class SandboxViolation(PermissionError):
    """A check tried something checks may not do."""


@dataclass
class Record:
    """What one check tried that it may not do: the first attempt, in our own words."""

    violation: str | None = None

    def note(self, what: str) -> None:
        if self.violation is None:
            self.violation = what


_record: ContextVar[Record | None] = ContextVar("eobscan_tripwire", default=None)


def arm(record: Record) -> Token[Record | None]:
    """Arm the tripwire in this context, noting attempts in ``record``, until :func:`disarm`.

    The engine arms it once per check with this pair rather than with :func:`guarded`, whose
    generator costs more than most of our checks take on a small claim."""
    install()
    return _record.set(record)


def disarm(token: Token[Record | None]) -> None:
    _record.reset(token)


@contextmanager
def guarded(record: Record) -> Iterator[Record]:
    """Arm the tripwire for the code run inside, noting attempts in ``record``."""
    token = arm(record)
    try:
        yield record
    finally:
        disarm(token)


@contextmanager
def disarmed() -> Iterator[None]:
    """The scanner's own code, run for a check (the plugin process's pipes): not the check's."""
    token = _record.set(None)
    try:
        yield
    finally:
        _record.reset(token)


def note(what: str) -> None:
    """Note, for the check now running, an attempt stopped elsewhere (in the plugin process)."""
    record = _record.get()
    if record is not None:
        record.note(what)


def forbidden(event: str, args: tuple[Any, ...]) -> str | None:
    """What an audited operation would do that a check may not, or ``None`` if it may."""
    what = _EVENTS.get(event)
    if what is None:
        if event == "open":
            return FILE if _opens_for_writing(args) else None
        if event.startswith("ctypes."):
            return NATIVE
        if event == "sqlite3.connect":
            return None if args and args[0] in (":memory:", b":memory:") else FILE
        return None
    if what == FILE and args and _is_bytecode_cache(args[0]):
        return None  # Python caching a module a check imported late, not the check writing
    return what


def _opens_for_writing(args: tuple[Any, ...]) -> bool:
    path, mode, flags = (*args, None, None, None)[:3]
    if _is_bytecode_cache(path):
        return False
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def _is_bytecode_cache(path: object) -> bool:
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str):
        return False
    parts = path.replace(os.sep, "/").split("/")
    return parts[-1] == "__pycache__" or (
        len(parts) > 1 and parts[-2] == "__pycache__" and ".pyc" in parts[-1]
    )


def _audit(event: str, args: tuple[Any, ...]) -> None:
    record = _record.get()
    if record is None:
        return
    what = forbidden(event, args)
    if what is not None:
        record.note(what)
        raise SandboxViolation(f"checks may not {what}")


def _refusing_threads(start: Callable[..., Any]) -> Callable[..., Any]:
    def start_new_thread(*args: Any, **kwargs: Any) -> Any:
        record = _record.get()
        if record is not None:
            record.note(THREAD)
            raise SandboxViolation(f"checks may not {THREAD}")
        return start(*args, **kwargs)

    return start_new_thread


_installed = False
_install_lock = threading.Lock()


def install() -> None:
    """Install the tripwire in this process (once; audit hooks cannot be removed)."""
    global _installed
    if _installed:
        return
    with _install_lock:
        if _installed:
            return
        sys.addaudithook(_audit)
        threading._start_new_thread = _refusing_threads(threading._start_new_thread)  # type: ignore[attr-defined]
        _thread.start_new_thread = _refusing_threads(_thread.start_new_thread)
        _thread.start_new = _thread.start_new_thread  # the module's old alias
        _installed = True
