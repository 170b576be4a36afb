"""A check is timed without the garbage collector's pauses: a full collection over a large heap
can take longer than a check's whole budget, and says nothing about the check it interrupts."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterable, Iterator, Sequence

import pytest

from scanner import check_clock
from scanner.checks import Check, CheckContext
from scanner.engine import scan
from scanner.isolation import COLLECTOR_ALLOWANCE, DEADLINE_FACTOR, Breaker, abandoned_workers
from scanner.model import Claim, Finding, Rule
from scanner.plugins import Registry
from scanner.testing import make_claim, make_line, make_request

#: Tracked objects for a full collection to walk: enough for a pause of tens of milliseconds.
HEAP_OBJECTS = 3_000_000


@pytest.fixture(scope="module")
def large_heap() -> Iterator[None]:
    heap = [[i] for i in range(HEAP_OBJECTS)]
    yield
    del heap


class Collecting(Check):
    """Runs one full collection, notes the wall time and the collector's pause it took, finds nothing."""

    name = "collecting_check"
    version = "1.0"
    rules: Sequence[Rule] = ()  # it never finds anything

    def __init__(self) -> None:
        self.wall_s = 0.0
        self.paused_s = 0.0

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        wall, paused = time.perf_counter(), check_clock.collector_paused_s()
        gc.collect()
        self.wall_s = time.perf_counter() - wall
        self.paused_s = check_clock.collector_paused_s() - paused
        return []


def _scan(check: Collecting, *, builtin: bool, budget_ms: float) -> tuple[str, bool, float]:
    registry = Registry(checks=[check], rules={})
    if builtin:
        registry.builtin_checks.add(id(check))
    request = make_request([make_claim("c1", [make_line("1")])])
    status = scan(request, registry, budget_ms=budget_ms, breaker=Breaker()).checks[0]
    return status.status, status.slow, status.duration_ms


def test_the_clock_stands_still_while_the_collector_runs(large_heap: None) -> None:
    wall, clock, paused = time.perf_counter(), check_clock.now(), check_clock.collector_paused_s()
    gc.collect()
    pause = check_clock.collector_paused_s() - paused
    assert pause > 0.005, "the heap was too small to measure a pause"
    assert check_clock.now() - clock == pytest.approx(time.perf_counter() - wall - pause, abs=0.002)


@pytest.mark.parametrize("builtin", [True, False], ids=["built-in check", "plugin check"])
def test_a_check_interrupted_by_a_full_collection_is_not_charged_for_it(
    large_heap: None, builtin: bool
) -> None:
    check = Collecting()
    budget_ms = 50.0  # the collection alone is longer than the budget, and shorter than 20 of them
    status, slow, duration_ms = _scan(check, builtin=builtin, budget_ms=budget_ms)
    assert check.paused_s * 1000 > budget_ms, "the pause was too short to prove anything"
    assert (status, slow) == ("ok", False)
    assert duration_ms < (check.wall_s - check.paused_s) * 1000 + budget_ms


def test_a_check_slow_by_itself_is_still_slow() -> None:
    class Sleeping(Collecting):
        def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
            time.sleep(0.03)
            return []

    status, slow, duration_ms = _scan(Sleeping(), builtin=True, budget_ms=5.0)
    assert (status, slow) == ("ok", True) and duration_ms >= 30


def test_a_check_that_keeps_collecting_is_still_abandoned_at_twice_its_deadline() -> None:
    release = threading.Event()

    class KeepsCollecting(Collecting):
        def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
            while not release.is_set():
                gc.collect()  # nearly all of its time is the collector's: its own clock hardly moves
            return []

    budget_ms = 20.0
    deadline_s = DEADLINE_FACTOR * budget_ms / 1000
    baseline = abandoned_workers()
    start = time.perf_counter()
    try:
        status, slow, _ = _scan(KeepsCollecting(), builtin=False, budget_ms=budget_ms)
        elapsed = time.perf_counter() - start
    finally:
        release.set()
    assert (status, slow) == ("error", True)
    assert (1 + COLLECTOR_ALLOWANCE) * deadline_s <= elapsed < (1 + COLLECTOR_ALLOWANCE) * deadline_s + 1.0
    end = time.perf_counter() + 5
    while abandoned_workers() != baseline and time.perf_counter() < end:
        time.sleep(0.01)
    assert abandoned_workers() == baseline, "the abandoned worker did not end once released"
