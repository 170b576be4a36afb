"""A small, bounded HTTP/1.1 load generator for 127.0.0.1, run as its own process.

``python -m bench.loadgen --url http://127.0.0.1:8765/v1/scan --body-file req.json --header
"Authorization: Bearer T" --connections 32 --duration 60`` keeps 32 keep-alive connections busy
for 60 seconds and prints one JSON object: requests, requests per second, a status histogram,
transport errors and latency percentiles. It refuses any host but the loopback address, and it
stops at the deadline whatever happens.

It is used where ``wrk`` is missing and wherever a test needs the status of every response.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost"}


@dataclass
class Stats:
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)


def build_request(method: str, host: str, path: str, headers: list[str], body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *headers]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; the status, and whether the server keeps the connection open."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split(b" ", 2)[1])
    length, chunked, keep_alive = 0, False, True
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            keep_alive = False
    if chunked:
        while (size := int((await reader.readline()).split(b";")[0], 16)) > 0:
            await reader.readexactly(size + 2)
        await reader.readline()
    elif length:
        await reader.readexactly(length)
    return status, keep_alive


async def _connection(host: str, port: int, request: bytes, deadline: float, stats: Stats) -> None:
    writer: asyncio.StreamWriter | None = None
    while time.monotonic() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            start = time.perf_counter()
            writer.write(request)
            status, keep_alive = await asyncio.wait_for(
                _read_response(reader), deadline - time.monotonic() + 5
            )
            stats.latencies.append(time.perf_counter() - start)
            stats.statuses[status] += 1
            if not keep_alive:
                writer.close()
                writer = None
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            stats.errors[type(exc).__name__] += 1
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


async def run(
    url: str, method: str, headers: list[str], body: bytes, connections: int, duration: float
) -> dict[str, Any]:
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 80
    if host not in LOOPBACK:
        raise SystemExit("loadgen: only 127.0.0.1 may be loaded")
    request = build_request(method, parts.netloc, parts.path or "/", headers, body)
    stats = Stats()
    start = time.monotonic()
    deadline = start + duration
    await asyncio.gather(*(_connection(host, port, request, deadline, stats) for _ in range(connections)))
    elapsed = time.monotonic() - start
    latencies = sorted(stats.latencies)
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 3),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "errors": dict(stats.errors),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 3),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 3),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 3),
        "max_ms": round((latencies[-1] if latencies else 0.0) * 1000, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadgen")
    parser.add_argument("--url", required=True)
    parser.add_argument("--method", default=None)
    parser.add_argument("--body-file", type=Path)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args(argv)
    body = args.body_file.read_bytes() if args.body_file else b""
    method = args.method or ("POST" if body else "GET")
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        pass
    result = asyncio.run(run(args.url, method, args.header, body, args.connections, args.duration))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
