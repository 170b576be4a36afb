"""The deadline runner under the engine: one hand-off per scan, a hard deadline per check.

Each test drives :func:`scanner.isolation.run_with_deadline` directly with small jobs, so what is
asserted is the runner's own contract: outcomes in job order, what a job raised kept rather than
raised, a hung job given up at its deadline while the jobs after it still run, the caller's
context visible to every job, and no thread left behind by a thread that scanned and ended.
"""

from __future__ import annotations

import contextvars
import threading
import time

import pytest

from scanner.isolation import abandoned_workers, host_work, live_workers, run_with_deadline
from tests.test_isolation import wait_until

DEADLINE_S = 0.2


def test_outcomes_come_back_in_job_order_with_their_values() -> None:
    outcomes = run_with_deadline([lambda n=n: n * n for n in range(6)], DEADLINE_S)
    assert [o.value for o in outcomes] == [0, 1, 4, 9, 16, 25]
    assert not any(o.timed_out or o.error for o in outcomes)
    assert all(o.elapsed_s >= 0 for o in outcomes)


def test_no_jobs_no_outcomes() -> None:
    assert run_with_deadline([], DEADLINE_S) == []


@pytest.mark.parametrize("escape", [ValueError("boom"), SystemExit(2), KeyboardInterrupt()])
def test_what_a_job_raises_is_kept_and_the_next_jobs_still_run(escape: BaseException) -> None:
    def raising() -> None:
        raise escape

    first, second, third = run_with_deadline([lambda: "a", raising, lambda: "c"], DEADLINE_S)
    assert (first.value, third.value) == ("a", "c")
    assert second.error is escape and not second.timed_out


def test_a_hung_job_is_given_up_at_its_deadline_and_the_later_jobs_run_in_a_new_thread() -> None:
    release = threading.Event()
    ran_in: list[str] = []

    def hung() -> str:
        ran_in.append(threading.current_thread().name)
        release.wait(30)
        return "late"

    def after() -> str:
        ran_in.append(threading.current_thread().name)
        return "after"

    baseline = abandoned_workers()
    start = time.perf_counter()
    before, stuck, later = run_with_deadline([lambda: "before", hung, after], DEADLINE_S)
    elapsed = time.perf_counter() - start
    try:
        assert DEADLINE_S <= elapsed < DEADLINE_S + 1.0
        assert before.value == "before" and later.value == "after"
        assert stuck.timed_out and stuck.value is None and stuck.elapsed_s >= DEADLINE_S
        assert abandoned_workers() == baseline + 1
        assert ran_in == ["eobscan-check", "eobscan-check"]  # the abandoned one has been renamed since
    finally:
        release.set()
    wait_until(lambda: abandoned_workers() == baseline)


def test_each_job_has_its_own_deadline_not_a_share_of_one_for_the_batch() -> None:
    # Five jobs of 60% of the deadline each: three deadlines in all, but none overruns.
    outcomes = run_with_deadline([lambda: time.sleep(0.6 * DEADLINE_S)] * 5, DEADLINE_S)
    assert not any(o.timed_out for o in outcomes)


def test_jobs_see_the_callers_context_and_their_changes_do_not_leak_back() -> None:
    request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="none")
    request_id.set("scan-7")

    def read_and_change() -> str:
        seen = request_id.get()
        request_id.set("changed by a job")
        return seen

    [outcome] = run_with_deadline([read_and_change], DEADLINE_S)
    assert outcome.value == "scan-7"
    assert request_id.get() == "scan-7"


def test_a_thread_keeps_one_worker_for_its_scans_and_the_worker_ends_with_the_thread() -> None:
    baseline = live_workers()
    workers_seen: set[int] = set()

    def scans() -> None:
        for _ in range(20):
            [outcome] = run_with_deadline([threading.get_ident], DEADLINE_S)
            workers_seen.add(outcome.value)

    thread = threading.Thread(target=scans)
    thread.start()
    thread.join()
    assert len(workers_seen) == 1
    wait_until(lambda: live_workers() == baseline)


def test_the_hosts_own_work_for_a_job_is_off_its_clock() -> None:
    """Starting a plugin process for a check is the host's work: a start three deadlines long,
    then a check within its deadline, is no timeout, and the check's time is its own."""

    def after_a_slow_start() -> str:
        with host_work():
            time.sleep(3 * DEADLINE_S)
        time.sleep(0.5 * DEADLINE_S)
        return "ran"

    [outcome] = run_with_deadline([after_a_slow_start], DEADLINE_S)
    assert (outcome.value, outcome.timed_out) == ("ran", False)
    assert outcome.elapsed_s < 2 * DEADLINE_S


def test_the_clock_stops_once_per_job_and_a_hang_after_the_hosts_work_is_still_caught() -> None:
    """The clean twins: a second stop of the same job's clock does nothing, and a job that hangs
    once the host is done is given up about one deadline later, not at the host's limit."""
    release = threading.Event()

    def twice() -> str:
        with host_work():
            pass
        with host_work():
            time.sleep(3 * DEADLINE_S)
        return "late"

    def hangs_after() -> str:
        with host_work():
            time.sleep(DEADLINE_S)
        release.wait(30)
        return "late"

    baseline = abandoned_workers()
    try:
        start = time.perf_counter()
        stopped_twice, hung = run_with_deadline([twice, hangs_after], DEADLINE_S)
        elapsed = time.perf_counter() - start
        assert stopped_twice.timed_out and hung.timed_out
        assert elapsed < 3 * DEADLINE_S + 5 * DEADLINE_S + 1.0
    finally:
        release.set()
    wait_until(lambda: abandoned_workers() == baseline)


def test_outside_a_checks_worker_the_hosts_work_stops_no_clock() -> None:
    with host_work():  # the service's own thread, parsing a document: nothing to stop
        pass
    assert run_with_deadline([lambda: "ran"], DEADLINE_S)[0].value == "ran"
