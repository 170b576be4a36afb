"""The clock a check is timed by: wall time without the garbage collector's pauses.

A full collection stops the whole process, and on a large heap it takes hundreds of
milliseconds (over 500 ms measured in our own test run), longer than a check's whole budget.
Whichever check happens to be running when it starts would be charged for it: reported as slow,
or, with a few such pauses, timed out and skipped until restart. Neither says anything about the
check. So the check's clock stops while the collector runs, the way it stops while the host
starts a plugin process (:func:`scanner.isolation.host_work`).

The pauses are summed by a ``gc.callbacks`` hook, installed on import. Collections never overlap,
so one start time is enough; while one is under way the clock reads the time it began, because
a thread waiting on a check's deadline may be handed the interpreter before the hook's "stop".
"""

from __future__ import annotations

import gc
import time
from typing import Any

#: The collector's pauses so far, and when the one under way began (None between collections).
#: One tuple, replaced whole: another thread may take over inside a callback, between two of its
#: statements, and must never read a total without the pause that just ended.
_state: tuple[float, float | None] = (0.0, None)


def _on_collect(phase: str, info: dict[str, Any]) -> None:
    global _state
    total, since = _state
    if phase == "start":
        _state = (total, time.perf_counter())
    elif since is not None:
        _state = (total + time.perf_counter() - since, None)


def now() -> float:
    """Seconds on a clock that stands still while the garbage collector runs."""
    total, since = _state
    return (time.perf_counter() if since is None else since) - total


def collector_paused_s() -> float:
    """How long the garbage collector has stopped this process for, since the hook was installed."""
    return _state[0]


gc.callbacks.append(_on_collect)
