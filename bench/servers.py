"""HTTP throughput of ``POST /v1/scan`` against ``GET /healthz`` on the same server.

For each server ``eobscan serve`` offers (uvicorn with uvloop and httptools, granian), the real
service runs in its own process and the load comes from another (``wrk`` when installed, else
``bench.loadgen``) over 127.0.0.1, 32 keep-alive connections. Health and scan runs alternate,
and the medians are compared: the ratio says how much of the server's capacity a real scan
(a 10-line claim, every check) leaves, on this machine, now. A last run with every check
disabled measures the scan route by itself: no set of checks can do better than that ratio.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.payloads import request_json
from bench.service import Service, running_service
from bench.table import Row
from scanner.plugins import DEFAULT_PLUGINS

SERVERS = ("uvicorn", "granian")
CONNECTIONS = 32
TARGET = 0.5
WRK = shutil.which("wrk")


@dataclass(frozen=True)
class Run:
    rps: float
    p99_ms: float
    failures: int


def _wrk_script(folder: Path, body: Path, token: str) -> Path:
    script = folder / "scan.lua"
    script.write_text(
        f'wrk.method = "POST"\n'
        f"local f = io.open({json.dumps(str(body))}, 'rb')\n"
        "wrk.body = f:read('*a')\nf:close()\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    )
    return script


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _parse_wrk(output: str) -> Run:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failures = int(non_2xx.group(1)) if non_2xx else 0
    failures += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Run(rps=rps, p99_ms=float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else 0.0, failures=failures)


def _load(service: Service, path: str, seconds: float, body: Path | None, folder: Path) -> Run:
    url = f"{service.base}{path}"
    if WRK:
        command = [WRK, "-t1", f"-c{CONNECTIONS}", f"-d{round(seconds)}s", "--latency", url]
        if body is not None:
            command[1:1] = ["-s", str(_wrk_script(folder, body, service.token))]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
        return _parse_wrk(done.stdout)
    command = [sys.executable, "-m", "bench.loadgen", "--url", url, "--connections", str(CONNECTIONS)]
    command += ["--duration", str(seconds)]
    if body is not None:
        command += ["--body-file", str(body), "--header", "Content-Type: application/json"]
        command += ["--header", f"Authorization: Bearer {service.token}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    figures = json.loads(done.stdout)
    failures = sum(figures["errors"].values()) + sum(
        n for status, n in figures["statuses"].items() if status != "200"
    )
    return Run(rps=figures["rps"], p99_ms=figures["p99_ms"], failures=failures)


#: ``EOBSCAN_DISABLE`` for a service with no check at all: what the scan route costs by itself.
NO_CHECKS = {"EOBSCAN_DISABLE": ",".join(module.rsplit(".", 1)[-1] for module in DEFAULT_PLUGINS)}


def measure(server: str, rounds: int, seconds: float, env: dict[str, str] | None = None) -> tuple[Run, Run]:
    """Median health and scan runs of one server (after a warm-up of each)."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        body = folder / "ten-lines.json"
        body.write_bytes(request_json(claims=1, lines_per_claim=10))
        with running_service(folder, server=server, env=env) as service:
            _load(service, "/healthz", 2, None, folder)
            _load(service, "/v1/scan", 2, body, folder)
            health, scans = [], []
            for _ in range(rounds):
                health.append(_load(service, "/healthz", seconds, None, folder))
                scans.append(_load(service, "/v1/scan", seconds, body, folder))
    return _median(health), _median(scans)


def _median(runs: list[Run]) -> Run:
    return Run(
        rps=statistics.median(r.rps for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        failures=sum(r.failures for r in runs),
    )


def ceiling(health_rps: float, checks_s: float) -> float:
    """The best ratio a scan could reach on this server: a request that did nothing but what
    /healthz does plus the checks themselves (no body to decode, no replay, no answer to encode)."""
    health_s = 1 / health_rps
    return health_s / (health_s + checks_s)


def rows(
    rounds: int = 3, seconds: float = 5.0, checks_s: float | None = None
) -> tuple[list[Row], dict[str, float]]:
    """The table rows, and the scan throughput of each server (to pick the faster).

    ``checks_s``, the in-process time of the checks alone on the same claim, adds the ceiling
    that time sets to each ratio."""
    result, scan_rps = [], {}
    tool = "wrk" if WRK else "bench.loadgen"
    for server in SERVERS:
        health, scan = measure(server, rounds, seconds)
        scan_rps[server] = scan.rps
        ratio = scan.rps / health.rps if health.rps else 0.0
        failures = f", {scan.failures + health.failures} failed" if scan.failures + health.failures else ""
        bound = (
            f"; ceiling {ceiling(health.rps, checks_s):.2f} with these checks"
            if checks_s and health.rps
            else ""
        )
        result.append(
            Row(
                benchmark=f"POST /v1/scan, 10-line claim, all checks, {server} 1 worker "
                f"({tool}, {CONNECTIONS} connections)",
                measured=f"{scan.rps:,.0f} req/s, p99 {scan.p99_ms:.1f} ms{failures}",
                baseline=f"GET /healthz on the same {server} server",
                baseline_value=f"{health.rps:,.0f} req/s, p99 {health.p99_ms:.1f} ms",
                ratio=f"{ratio:.2f} ({'meets' if ratio >= TARGET else 'below'} the {TARGET} target{bound})",
            )
        )
    health, scan = measure(SERVERS[0], rounds, seconds, env=NO_CHECKS)
    ratio = scan.rps / health.rps if health.rps else 0.0
    result.append(
        Row(
            benchmark=f"POST /v1/scan, the same claim with every check disabled, {SERVERS[0]}: "
            "the route's own cost (decoding, accumulator replay, summary, answer)",
            measured=f"{scan.rps:,.0f} req/s, p99 {scan.p99_ms:.1f} ms",
            baseline=f"GET /healthz on the same {SERVERS[0]} server",
            baseline_value=f"{health.rps:,.0f} req/s, p99 {health.p99_ms:.1f} ms",
            ratio=f"{ratio:.2f} (the most any check set can leave)",
        )
    )
    return result, scan_rps
