"""A hard deadline per check: a check that hangs cannot hold a scan forever.

Python cannot stop a thread, and a check is plugin code running in our process. So each scan
hands its checks, one after the other, to a worker thread and waits for each with a deadline.
When a check overruns, the scan stops waiting for it, reports it as timed out, and carries on
with the remaining checks in a fresh worker. The abandoned thread keeps running until the check
returns by itself; it is a daemon, so it never keeps the process alive, and its result is
thrown away.

To keep the number of abandoned threads bounded, a check that timed out is remembered by the
:class:`Breaker` and skipped by every later scan until the process restarts: each hung check
can strand at most one thread per scan that was already running it.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: The hard deadline of a check, as a multiple of its time budget.
DEADLINE_FACTOR = 10


@dataclass
class Breaker:
    """The checks that timed out once, and are skipped until the process restarts."""

    _tripped: dict[int, object] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def trip(self, check: object) -> None:
        with self._lock:
            # Keeping the object alive keeps its id unique while it is remembered.
            self._tripped[id(check)] = check

    def is_open(self, check: object) -> bool:
        return self._tripped.get(id(check)) is check

    def reset(self) -> None:
        with self._lock:
            self._tripped.clear()


@dataclass
class _Job:
    work: Callable[[], Any]
    done: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    error: BaseException | None = None


class TimedOut(Exception):
    """The check did not return before its deadline."""


class Worker:
    """One thread that runs jobs in order; abandoned (never reused) once a job overruns."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        context = contextvars.copy_context()
        self._thread = threading.Thread(
            target=context.run, args=(self._loop,), name="eobscan-check", daemon=True
        )
        self._thread.start()

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                job.value = job.work()
            except BaseException as exc:  # a check may even call sys.exit()
                job.error = exc
            job.done.set()

    def call(self, work: Callable[[], Any], timeout_s: float) -> tuple[Any, BaseException | None]:
        """Run ``work`` in the worker: its value or what it raised; :class:`TimedOut` if late.

        What the work raised is returned, not raised, so that nothing a check throws (not even
        ``SystemExit``) can be confused with an interrupt of the waiting thread.
        """
        job = _Job(work)
        self._jobs.put(job)
        if not job.done.wait(timeout_s):
            self.close()  # the thread exits as soon as the hung job returns
            raise TimedOut
        return job.value, job.error

    def close(self) -> None:
        self._jobs.put(None)


def live_workers() -> int:
    """How many check threads exist right now (finished scans leave none behind)."""
    return sum(1 for t in threading.enumerate() if t.name == "eobscan-check")


class Workers:
    """The worker of one scan, replaced when a check overruns."""

    def __init__(self) -> None:
        self._worker: Worker | None = None

    def call(self, work: Callable[[], Any], timeout_s: float) -> tuple[Any, BaseException | None]:
        if self._worker is None:
            self._worker = Worker()
        try:
            return self._worker.call(work, timeout_s)
        except TimedOut:
            self._worker = None
            raise

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
