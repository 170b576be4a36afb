"""In-process cost of a scan, against msgspec's typed decode of the same JSON.

The decode is the floor of any work on a request (it touches every byte once), so "scan costs N
decodes" is a figure that stays put when the machine is busy. Measured interleaved, medians.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.payloads import AS_OF, request_json
from bench.table import Row
from scanner.accumulators import replay
from scanner.checks import CheckContext
from scanner.engine import scan
from scanner.isolation import Breaker
from scanner.model import ScanRequest, decode_request
from scanner.plugins import Registry, load_registry
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
        baseline="the same checks called directly",
        baseline_value=f"{alone_s * 1000:.2f} ms",
        ratio=f"{scan_s / alone_s:.1f}x (accumulator replay, tripwire, output guard, input snapshot, summary, "
        "ordering)",
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
    result.append(plugin_process_row(runs))
    return result


_STEADY_PLUGIN = """
from scanner import hookimpl
from scanner.model import Rule, RuleDocs

RULE = Rule(
    code="BEN001", name="bench-probe", check="bench_probe", error_class="pricing", severity="info",
    summary="One finding per scan.",
    docs=RuleDocs(what_it_checks="x", why_it_matters="x", example="x", what_to_do="x"),
)

class Probe:
    name, version, rules = "bench_probe", "1.0", (RULE,)
    def check(self, claims, context):
        return [RULE.finding(claim_id=claims[0].id, title="Probe", message="Probe.", amount_at_stake=0)]

@hookimpl
def eobscan_register_checks(register):
    register(Probe())
"""


def plugin_process_row(runs: int) -> Row:
    """A scan with one installed check run in a plugin process, against the same check run in
    the service's process: the price of ``EOBSCAN_PLUGIN_PROCESS=1``."""
    request = decode_request(request_json(1, 10))
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "eobscan_bench_probe.py").write_text(_STEADY_PLUGIN)
        info = Path(folder) / "eobscan_bench_probe-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: eobscan-bench-probe\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text("[eobscan]\nbench_probe = eobscan_bench_probe\n")
        sys.path.insert(0, folder)
        try:
            here = load_registry({"EOBSCAN_PLUGINS": "bench_probe"})
            there = load_registry({"EOBSCAN_PLUGINS": "bench_probe", "EOBSCAN_PLUGIN_PROCESS": "1"})
            breaker = Breaker()
            inside, outside = [], []
            for _ in range(runs):
                inside.append(_per_call(lambda: scan(request, here, breaker=breaker)))
                outside.append(_per_call(lambda: scan(request, there, breaker=breaker)))
            there.processes.close()
        finally:
            sys.path.remove(folder)
    inside_s, outside_s = statistics.median(inside), statistics.median(outside)
    return Row(
        benchmark="in-process scan, 10-line claim, all checks and one installed check in a plugin process",
        measured=f"{outside_s * 1000:.2f} ms",
        baseline="the same, the installed check in the service's process",
        baseline_value=f"{inside_s * 1000:.2f} ms",
        ratio=f"{outside_s / inside_s:.2f}x (one round trip of {(outside_s - inside_s) * 1000:.2f} ms per installed check)",
    )
