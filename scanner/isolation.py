"""A hard deadline per check: a check that hangs cannot hold a scan forever.

Python cannot stop a thread, and a check is plugin code running in our process. So a scan hands
its checks, all at once, to a worker thread that runs them back to back and notes when each one
starts; the scanning thread waits until they are all done, waking only when the check now running
has reached its deadline. Such a check is reported as timed out, its worker is abandoned, and the
checks after it run in a fresh worker. The abandoned thread keeps running until the check returns
by itself; it is a daemon, so it never keeps the process alive, and its result is thrown away.

One hand-off per scan, not one per check, and no thread started per scan: each scanning thread
keeps its worker for its next scan (the service scans in a small pool of threads), and the worker
ends when that thread ends. Only plugins' checks are handed over: the built-in checks, our own
tested code, run in the scanning thread itself (:func:`scanner.engine.scan`).

A check in a plugin process may find no process ready: the one before it was replaced (it ran
out of memory, or hung). Starting a new one is the host's work, not the check's: the host does it
inside :func:`host_work`, which stops the check's clock and starts it again from zero when the
process is ready, once per check and for at most ``HOST_WORK_LIMIT_S``. A slow start never makes a
well-behaved check time out and be skipped for good.

Every time here is read from :mod:`scanner.check_clock`, which stands still while the garbage
collector stops the process: a long collection is not the check's doing either. The pauses are
forgiven up to one more deadline only, so that a check calling ``gc.collect()`` in a loop, its
clock nearly still, is abandoned all the same, at twice its deadline.

To keep the number of abandoned threads bounded, a check that timed out is remembered by the
:class:`Breaker` and skipped by every later scan until the process restarts: each hung check
can strand at most one thread per scan that was already running it.
"""

from __future__ import annotations

import contextvars
import queue
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from scanner import check_clock

#: The hard deadline of a check, as a multiple of its time budget.
DEADLINE_FACTOR = 10

#: How much of the garbage collector's pauses a job is forgiven, as a multiple of its deadline.
COLLECTOR_ALLOWANCE = 1

#: The longest the host's own work for one check may stop its clock: more than a plugin process
#: is given to start (``scanner.plugin_host.START_TIMEOUT_S``), so a failed start is reported as such.
HOST_WORK_LIMIT_S = 90.0

#: The name of every check thread; an abandoned one is renamed (see :func:`abandoned_workers`).
WORKER_NAME = "eobscan-check"
ABANDONED_NAME = "eobscan-check-abandoned"


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
        # Nearly always empty: then no ``id()`` call (an audit event, see the engine's ``_run``).
        return bool(self._tripped) and self._tripped.get(id(check)) is check

    def reset(self) -> None:
        with self._lock:
            self._tripped.clear()


class Outcome(NamedTuple):
    """What one job came to: its value, what it raised, or that it overran its deadline.

    What a job raised is kept, not raised, so that nothing a check throws (not even
    ``SystemExit``) can be confused with an interrupt of the waiting thread. A named tuple:
    immutable like a frozen dataclass, and several times cheaper to build, once per check.
    """

    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False
    elapsed_s: float = 0.0


class _Batch:
    """Jobs handed over together; ``started`` is when the job now running began, and
    ``outcomes`` holds one entry per job done."""

    def __init__(self, jobs: Sequence[Callable[[], Any]]) -> None:
        self.jobs = jobs
        self.context = contextvars.copy_context()  # the scanning thread's, for every job
        self.outcomes: list[Outcome] = []
        self.started = self.started_wall = 0.0
        self.restart_clock()
        self.host_work_since: float | None = None  # the host is working for the job now running
        self.host_worked = False  # the job now running has had its clock stopped once
        self.abandoned = False
        self.lock = threading.Lock()
        self.finished = False
        # Held until the worker is through; the scanning thread waits by acquiring it.
        self.done = threading.Lock()
        self.done.acquire()

    def restart_clock(self) -> None:
        """The job now running starts counting from here, on both clocks."""
        self.started, self.started_wall = check_clock.now(), time.perf_counter()

    def time_left(self, deadline_s: float) -> float:
        """How long the scan may still wait for the job now running."""
        now = check_clock.now()
        if self.host_work_since is not None:
            # Wake up every deadline meanwhile, to count again soon after the host is done.
            return min(self.host_work_since + HOST_WORK_LIMIT_S - now, deadline_s)
        wall_limit = self.started_wall + (1 + COLLECTOR_ALLOWANCE) * deadline_s
        return min(self.started + deadline_s - now, wall_limit - time.perf_counter())


class _Worker:
    """One thread that runs batches in order; abandoned (never reused) once a job overruns."""

    def __init__(self) -> None:
        self._batches: queue.SimpleQueue[_Batch | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name=WORKER_NAME, daemon=True)
        self.thread.start()

    def submit(self, batch: _Batch) -> None:
        self._batches.put(batch)

    def close(self) -> None:
        self._batches.put(None)

    def _loop(self) -> None:
        while (batch := self._batches.get()) is not None:
            if not self._run(batch):
                return

    @staticmethod
    def _run(batch: _Batch) -> bool:
        """Run the batch's jobs; False if the scan gave up on one of them (this thread is done)."""
        index = 0
        while True:
            with batch.lock:
                if batch.abandoned:
                    return False
                if index == len(batch.jobs):
                    batch.finished = True
                    batch.done.release()
                    return True
                batch.restart_clock()
                batch.host_worked = False
            value, error = None, None
            _running.batch = batch
            try:
                value = batch.context.run(batch.jobs[index])
            except BaseException as exc:  # a check may even call sys.exit()
                error = exc
            finally:
                _running.batch = None
            with batch.lock:
                if batch.abandoned:
                    return False  # late: the scan has moved on, and the value is thrown away
                # The check's own time: from its start, or from the end of the host's work for it.
                elapsed = check_clock.now() - batch.started
                batch.outcomes.append(Outcome(value, error, elapsed_s=elapsed))
            index += 1


#: The batch whose job this worker thread is running now.
_running = threading.local()


@contextmanager
def host_work() -> Iterator[None]:
    """Stop the clock of the job running in this thread while the host works for it, and start
    it again from zero after; once per job, for at most ``HOST_WORK_LIMIT_S``.

    Outside a check's worker, or a second time for the same job, the clock keeps running."""
    batch: _Batch | None = getattr(_running, "batch", None)
    if batch is not None:
        with batch.lock:
            if batch.abandoned or batch.host_worked:
                batch = None
            else:
                batch.host_worked = True
                batch.host_work_since = check_clock.now()
    try:
        yield
    finally:
        if batch is not None:
            with batch.lock:
                batch.host_work_since = None
                batch.restart_clock()


class _Owner:
    """Kept in the scanning thread's locals only: collected when that thread ends."""


_local = threading.local()


def _own_worker() -> _Worker:
    """The calling thread's worker, started on its first scan and closed when the thread ends."""
    worker: _Worker | None = getattr(_local, "worker", None)
    if worker is None:
        worker = _local.worker = _Worker()
        _local.owner = _Owner()
        weakref.finalize(_local.owner, worker.close)
    return worker


def _abandon_own_worker(worker: _Worker) -> None:
    worker.thread.name = ABANDONED_NAME
    worker.close()  # the thread exits as soon as the hung job returns
    _local.worker = None


def run_with_deadline(jobs: Sequence[Callable[[], Any]], deadline_s: float) -> list[Outcome]:
    """Run ``jobs`` one after the other in this thread's worker; one :class:`Outcome` each.

    A job still running ``deadline_s`` after it started is given up (``timed_out``); the jobs
    after it run in a new worker, each with its own full deadline.
    """
    outcomes: list[Outcome] = []
    while len(outcomes) < len(jobs):
        worker = _own_worker()
        batch = _Batch(jobs[len(outcomes) :])
        worker.submit(batch)
        while not batch.done.acquire(timeout=max(0.0, batch.time_left(deadline_s))):
            with batch.lock:
                if batch.finished or batch.time_left(deadline_s) > 0:
                    continue  # finished, a later job is running, or the host works: wait
                batch.abandoned = True
            _abandon_own_worker(worker)
            batch.outcomes.append(Outcome(timed_out=True, elapsed_s=check_clock.now() - batch.started))
            break
        outcomes += batch.outcomes
    return outcomes


def live_workers() -> int:
    """How many check threads exist right now, waiting or running or abandoned."""
    return sum(1 for t in threading.enumerate() if t.name in (WORKER_NAME, ABANDONED_NAME))


def abandoned_workers() -> int:
    """How many check threads are still inside a check that overran its deadline."""
    return sum(1 for t in threading.enumerate() if t.name == ABANDONED_NAME)
