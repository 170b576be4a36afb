"""Benchmark: reading EOB documents, against the library each reader is built on.

Measured in one run, interleaved, medians (absolute times drift on shared machines, ratios much
less):

- PDF: ``scanner.ingest.read_document`` on a generated EOB (sandboxed worker process, words,
  layout, claims) in milliseconds per page, against pdfminer.six's own
  ``extract_pages(laparams=LAParams(boxes_flow=None))`` over the same file in this process.
  Target: at most 1.5x.
- FHIR: ExplanationOfBenefit resources per second through ``read_document`` on a searchset
  Bundle built from the public CARIN and Blue Button examples, against ``msgspec.json.decode`` of
  the same bytes (the bare decode is the ceiling; the ratio says what the mapping costs).

Prints markdown table rows (``--header`` adds the header)::

    | benchmark | measured (median) | baseline | baseline (median) | ratio |
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scanner.ingest import read_document  # noqa: E402
from scanner.ingest.sandbox import warm  # noqa: E402
from scanner.plugins import load_registry  # noqa: E402
from tests.ingest import documents  # noqa: E402

FHIR_DATA = ROOT / "tests" / "ingest" / "data" / "fhir"
HEADER = "| benchmark | measured (median) | baseline | baseline (median) | ratio |\n|---|---|---|---|---|"


def statement_pdf(pages: int, rows_per_page: int = 30) -> bytes:
    rng = random.Random(pages)
    claim = documents.make_claim(
        rng, f"EOB-BENCH-{pages:04d}", "Lakeside Family Clinic", pages * rows_per_page - 4
    )
    case = documents.Case("bench", "Example Mutual Health", [claim])
    return documents.member_statement(case, rows_per_page=rows_per_page)


def fhir_bundle(copies: int) -> tuple[bytes, int]:
    resources: list[Any] = []
    for path in sorted(FHIR_DATA.rglob("*.json")):
        if path.name.startswith("CodeSystem-"):
            continue
        data = json.loads(path.read_bytes())
        entries = [e["resource"] for e in data["entry"]] if data["resourceType"] == "Bundle" else [data]
        resources += [r for r in entries if r["resourceType"] == "ExplanationOfBenefit"]
    entries = [{"resource": r} for _ in range(copies) for r in resources]
    bundle = {"resourceType": "Bundle", "type": "searchset", "entry": entries}
    return json.dumps(bundle).encode(), len(entries)


@dataclass
class Cost:
    wall: float
    cpu: float


def cost(action: Callable[[], object]) -> Cost:
    """Wall time, and CPU time of this process plus the sandboxed worker's (which reports its own):
    the CPU figure is the one that stays put when other jobs share the machine."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = action()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    cpu += getattr(result, "worker_cpu_seconds", None) or 0.0
    return Cost(wall, cpu)


def interleaved(
    ours: Callable[[], object], baseline: Callable[[], object], runs: int, warmups: int = 1
) -> tuple[Cost, Cost]:
    for _ in range(warmups):
        ours()
        baseline()
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(cost(ours))
        theirs.append(cost(baseline))
    return _median(mine), _median(theirs)


def _median(costs: list[Cost]) -> Cost:
    return Cost(statistics.median(c.wall for c in costs), statistics.median(c.cpu for c in costs))


def pdf_row(pages: int, runs: int, registry: Any) -> str:
    data = statement_pdf(pages)

    def ours() -> object:
        document = read_document(data, "bench.pdf", registry=registry)
        assert document.pages == pages
        return document

    def pdfminer_alone() -> object:
        return sum(1 for _ in extract_pages(io.BytesIO(data), laparams=LAParams(boxes_flow=None)))

    warm()
    time.sleep(0.5)  # let the warm worker finish importing pdfminer, as it does between requests
    mine, theirs = interleaved(ours, pdfminer_alone, runs)
    return (
        f"| PDF read_document, {pages}-page EOB, sandboxed (CPU ms/page) | {1000 * mine.cpu / pages:.1f} ms/page "
        f"| pdfminer extract_pages(LAParams(boxes_flow=None)) | {1000 * theirs.cpu / pages:.1f} ms/page "
        f"| {mine.cpu / theirs.cpu:.2f}x CPU, {mine.wall / theirs.wall:.2f}x wall (target <= 1.5x) |"
    )


def fhir_row(runs: int, registry: Any) -> str:
    data, eobs = fhir_bundle(copies=6)

    def ours() -> object:
        return read_document(data, "bundle.json", registry=registry)

    def decode_only() -> object:
        return msgspec.json.decode(data)

    mine, theirs = interleaved(ours, decode_only, runs)
    return (
        f"| FHIR read_document, Bundle of {eobs} EOBs, {len(data) // 1024} KiB (EOBs/s) "
        f"| {eobs / mine.cpu:,.0f} EOBs/s | msgspec.json.decode of the same bytes | {eobs / theirs.cpu:,.0f} EOBs/s "
        f"| {theirs.cpu / mine.cpu:.2f}x the bare decode's throughput |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each (after a warm-up)")
    parser.add_argument("--header", action="store_true", help="print the table header first")
    args = parser.parse_args(argv)
    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    if args.header:
        print(HEADER)
    print(pdf_row(20, args.runs, registry), flush=True)
    print(pdf_row(2, args.runs * 3, registry), flush=True)
    print(fhir_row(args.runs, registry), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
