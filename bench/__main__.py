"""``python -m bench`` (``make bench``): every benchmark in one run, one markdown table.

Prints the machine, the versions, the date and the table, and writes the same to
``BENCHMARKS.md``. Every figure is a ratio to a baseline measured in the same run on the same
machine (absolute times drift on shared machines; ratios much less). The document and extension
rows come from ``bench/ingest_bench.py`` and ``bench/extension_bench.py``, run as their own
processes when they exist.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import subprocess
import sys
from pathlib import Path

from bench import inprocess, servers
from bench.table import HEADER, is_row

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "BENCHMARKS.md"
SCRIPTS = ("ingest_bench.py", "extension_bench.py")
PACKAGES = (
    "litestar", "msgspec", "uvicorn", "uvloop", "httptools", "granian",
    "pluggy", "structlog", "pdfminer.six",
)  # fmt: skip


def _first_line_with(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip().strip('"') if ":" in line else line
    except OSError:
        return None
    return None


def machine() -> list[str]:
    cpu = _first_line_with("/proc/cpuinfo", "model name") or platform.processor() or "unknown CPU"
    memory = _first_line_with("/proc/meminfo", "MemTotal")
    gib = f"{int(memory.split()[0]) / 1024 / 1024:.0f} GiB RAM" if memory else "unknown RAM"
    os_name = (_first_line_with("/etc/os-release", "PRETTY_NAME=") or platform.platform()).split("=")[-1]
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return [
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {cpu}, {os.cpu_count()} CPUs, {gib}, {os_name.strip(chr(34))}; load average at "
        f"start {os.getloadavg()[0]:.1f} (the load generators share these CPUs)",
        f"- Python {platform.python_version()}; {', '.join(versions)}",
    ]


def script_rows(name: str, timeout: float) -> list[str]:
    """Rows printed by another benchmark script, or one row saying why there are none."""
    path = ROOT / "bench" / name
    if not path.exists():
        return []
    try:
        done = subprocess.run(
            [sys.executable, "-m", f"bench.{path.stem}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=str(ROOT),
        )
    except subprocess.TimeoutExpired:
        return [f"| {name} | did not finish within {timeout:.0f} s | | | |"]
    found = [line.strip() for line in done.stdout.splitlines() if is_row(line)]
    if done.returncode != 0 or not found:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return [f"| {name} | failed: {reason.replace('|', '/')} | | | |"]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run every benchmark.")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs (a smoke test)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {OUTPUT.name}")
    args = parser.parse_args(argv)
    from scanner.plugins import load_registry

    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    head = machine()
    print("\n".join(head), flush=True)
    rows: list[str] = [row.markdown() for row in inprocess.rows(registry, runs=3 if args.quick else 7)]
    print(HEADER + "\n" + "\n".join(rows), flush=True)
    checks_s = inprocess.checks_alone_seconds(registry, runs=3 if args.quick else 7)
    http_rows, scan_rps = servers.rows(
        rounds=1 if args.quick else 3, seconds=2.0 if args.quick else 5.0, checks_s=checks_s
    )
    rows += [row.markdown() for row in http_rows]
    print("\n".join(row.markdown() for row in http_rows), flush=True)
    for name in SCRIPTS:
        found = script_rows(name, timeout=240)
        rows += found
        print("\n".join(found), flush=True)
    faster = max(scan_rps, key=lambda server: scan_rps[server])
    verdict = (
        f"Faster server for POST /v1/scan in this run: **{faster}** "
        f"({', '.join(f'{s} {r:,.0f} req/s' for s, r in scan_rps.items())})."
    )
    print(verdict)
    document = "\n".join(["# Benchmarks", "", *head, "", HEADER, *rows, "", verdict, ""])
    if not args.no_write:
        OUTPUT.write_text(document)
        print(f"written to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
