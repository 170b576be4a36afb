"""Benchmark: the extension's whole scan of a 200-line claims page, against the bare API call.

Measured in one run, in one Chromium, against one service: ``eobscan.scanTab`` (find the grids,
extract 200 lines from 20 claims, send them through the service worker, draw the badges and the
panel) versus a bare ``fetch`` POST of the same request to ``/v1/scan`` from the same service
worker. The ratio is what the extension adds on top of the scan itself; absolute times drift on
shared machines, ratios much less. Prints one markdown table row (``--header`` adds the header):

    | benchmark | measured (median) | baseline | baseline (median) | ratio |
"""

from __future__ import annotations

import argparse
import http.server
import secrets
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from bench.service import ServiceDidNotStart, free_port, start_serve, stop

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "extension"
CHROMIUM = "/usr/bin/chromium"
CLAIMS, LINES_PER_CLAIM = 20, 10
HEADER = "| benchmark | measured (median) | baseline | baseline (median) | ratio |\n|---|---|---|---|---|"


def claims_page() -> bytes:
    """20 claims of 10 lines each (invented), every 7th line asking more than allowed - paid."""
    sections = []
    n = 0
    for c in range(CLAIMS):
        rows = []
        for i in range(LINES_PER_CLAIM):
            n += 1
            billed, allowed = 12000 + 137 * n, 6000 + 53 * n
            paid = allowed * 8 // 10
            owed = allowed - paid + (1500 if n % 7 == 0 else 0)
            cells = [f"03/{1 + i:02d}/2026", f"Service {n}", f"99{200 + n % 90:03d}"]
            cells += [f"${v / 100:,.2f}" for v in (billed, allowed, paid, allowed - paid, owed)]
            rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
        sections.append(
            f"<section><dl><dt>Claim number</dt><dd>BENCH-{c:04d}</dd><dt>Provider</dt><dd>Clinic {c}</dd>"
            "<dt>Network status</dt><dd>In-network</dd></dl><table><thead><tr><th>Date of service</th>"
            "<th>Description</th><th>Code</th><th>Billed</th><th>Allowed</th><th>Plan paid</th>"
            "<th>Coinsurance</th><th>You owe</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table></section>"
        )
    head = "<!doctype html><html><head><meta charset=utf-8><title>Claims</title></head>"
    return f"{head}<body>{''.join(sections)}</body></html>".encode()


def serve_page(body: bytes) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/claims"


SCAN_TAB = """async (tabId) => {
    const start = performance.now();
    const report = await eobscan.scanTab(tabId);
    return [performance.now() - start, report.lines, report.annotated.length, report.errors];
}"""

BARE_SCAN = """async ([url, token, body]) => {
    const start = performance.now();
    const response = await fetch(`${url}/v1/scan`, {method: "POST", body,
        headers: {"Content-Type": "application/json", Authorization: `Bearer ${token}`}});
    await response.json();
    return [performance.now() - start, response.status];
}"""


def measure(runs: int) -> tuple[float, float, int]:
    from playwright.sync_api import sync_playwright

    port, token = free_port(), secrets.token_urlsafe(24)
    try:
        service = start_serve(port, token)
    except ServiceDidNotStart as exc:
        raise SystemExit(str(exc)) from None
    server, page_url = serve_page(claims_page())
    args = [
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-gpu",
        "--no-sandbox",
        f"--disable-extensions-except={EXTENSION}",
        f"--load-extension={EXTENSION}",
    ]
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                tempfile.mkdtemp(prefix="eobscan-bench-"), executable_path=CHROMIUM, headless=True, args=args
            )
            worker = (
                context.service_workers[0]
                if context.service_workers
                else context.wait_for_event("serviceworker")
            )
            url = f"http://127.0.0.1:{port}"
            worker.evaluate("([serviceUrl, token]) => eobscan.configure({serviceUrl, token})", [url, token])
            page = context.new_page()
            page.goto(page_url)
            tab = worker.evaluate("async (u) => (await chrome.tabs.query({url: u}))[0].id", page_url)
            body = worker.evaluate(
                "async (id) => JSON.stringify((await eobscan.extractTab(id)).request)", tab
            )
            whole, bare = [], []
            for i in range(runs + 3):
                elapsed, lines, annotated, errors = worker.evaluate(SCAN_TAB, tab)
                assert lines == CLAIMS * LINES_PER_CLAIM and annotated and not errors, "the scan worked"
                took, status = worker.evaluate(BARE_SCAN, [url, token, body])
                assert status == 200
                if i >= 3:  # warm-up runs are not counted
                    whole.append(elapsed)
                    bare.append(took)
            context.close()
    finally:
        server.shutdown()
        stop(service)
    return statistics.median(whole), statistics.median(bare), lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="measured runs of each (after 3 warm-ups)")
    parser.add_argument("--header", action="store_true", help="print the table header first")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (make chromium)", file=sys.stderr)
        return 1
    whole, bare, lines = measure(args.runs)
    if args.header:
        print(HEADER)
    print(
        f"| extension: extract + scan + annotate, {lines}-line page in Chromium | {whole:.1f} ms "
        f"| bare POST /v1/scan of the same lines | {bare:.1f} ms | {whole / bare:.1f}x |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
