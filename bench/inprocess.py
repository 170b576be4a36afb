"""In-process cost of a scan, against msgspec's typed decode of the same JSON.

The decode is the floor of any work on a request (it touches every byte once), so "scan costs N
decodes" is a figure that stays put when the machine is busy. Measured interleaved, medians.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from bench.payloads import AS_OF, request_json
from bench.table import Row
from scanner.accumulators import replay
from scanner.checks import CheckContext
from scanner.engine import scan
from scanner.isolation import Breaker
from scanner.model import ScanRequest, decode_request
from scanner.plugins import Registry
from scanner.reference import load_reference

TARGET = 20.0


def _per_call(action: Callable[[], object], min_seconds: float = 0.05) -> float:
    """Seconds per call, timed over enough calls to last ``min_seconds``."""
    calls, elapsed = 1, 0.0
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            action()
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / calls
        calls *= 2


def scan_versus_decode(payload: bytes, registry: Registry, runs: int) -> tuple[float, float]:
    """Median seconds of ``scan`` (all checks, decoded request) and of the typed decode."""
    request = decode_request(payload)
    breaker = Breaker()

    def scan_it() -> object:
        return scan(request, registry, breaker=breaker)

    def decode_it() -> object:
        return decode_request(payload)

    scan_it(), decode_it()
    scans, decodes = [], []
    for _ in range(runs):
        scans.append(_per_call(scan_it))
        decodes.append(_per_call(decode_it))
    return statistics.median(scans), statistics.median(decodes)


def checks_alone(request: ScanRequest, registry: Registry) -> Callable[[], object]:
    """The same checks on the same claims, called one after the other in this thread: what a
    scan would cost without its deadline (one hand-off to a worker thread per scan)."""
    accumulators = replay(request.claims, request.plan)
    context = CheckContext(
        as_of=request.as_of or AS_OF,
        reference=load_reference(),
        plan=request.plan,
        bills=tuple(request.bills),
        accumulators=accumulators,
        ledger=accumulators.ledger,
    )

    def run() -> object:
        return [list(check.check(request.claims, context)) for check in registry.checks]

    return run


def checks_alone_seconds(registry: Registry, runs: int) -> float:
    """Median seconds of the checks alone on the 10-line claim that /v1/scan is measured with."""
    direct = checks_alone(decode_request(request_json(1, 10)), registry)
    return statistics.median(_per_call(direct) for _ in range(runs))


def isolation_row(registry: Registry, runs: int) -> Row:
    request = decode_request(request_json(1, 10))
    breaker = Breaker()
    direct = checks_alone(request, registry)
    scans, alone = [], []
    for _ in range(runs):
        scans.append(_per_call(lambda: scan(request, registry, breaker=breaker)))
        alone.append(_per_call(direct))
    scan_s, alone_s = statistics.median(scans), statistics.median(alone)
    return Row(
        benchmark="in-process scan, all checks, a 10-line claim (what /v1/scan runs)",
        measured=f"{scan_s * 1000:.2f} ms",
        baseline="the same checks called directly, no deadline worker",
        baseline_value=f"{alone_s * 1000:.2f} ms",
        ratio=f"{scan_s / alone_s:.1f}x (accumulator replay, deadline worker, input snapshot, summary, ordering)",
    )


def rows(registry: Registry, runs: int = 7) -> list[Row]:
    result = []
    for label, claims, lines in (
        ("a 50-line claim", 1, 50),
        ("a family's year: 200 claims, 1,000 lines", 200, 5),
    ):
        payload = request_json(claims, lines)
        scan_s, decode_s = scan_versus_decode(payload, registry, runs)
        ratio = scan_s / decode_s
        result.append(
            Row(
                benchmark=f"in-process scan, all checks, {label} ({len(payload) // 1024} KiB)",
                measured=f"{scan_s * 1000:.2f} ms",
                baseline="msgspec typed decode of the same JSON",
                baseline_value=f"{decode_s * 1000:.3f} ms",
                ratio=f"{ratio:.1f}x ({'within' if ratio <= TARGET else 'above'} the {TARGET:.0f}x target)",
            )
        )
    result.append(isolation_row(registry, runs))
    return result
