"""Real Chromium for the hardening tests: hostile pages on their own origin, and the extension.

Playwright's sync API allows one instance per thread and the browser tests keep theirs open for
the whole session, so each scenario here runs in a thread of its own with its own Playwright.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, require_chromium

PAGES = Path(__file__).resolve().parent / "pages"
PLAIN_ARGS = [arg for arg in CHROMIUM_ARGS if "extension" not in arg]
T = TypeVar("T")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving_pages(directory: Path = PAGES) -> Iterator[int]:
    """Serve ``directory`` on 127.0.0.1; yields the port (reach it as localhost or 127.0.0.1)."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def in_chromium(
    scenario: Callable[[Any], T], *, profile: Path, extension: bool = False, args: tuple[str, ...] = ()
) -> T:
    """Run ``scenario(context)`` in a fresh Chromium (with our extension if asked), in its own thread."""
    require_chromium()

    def run() -> T:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as driver:
            context = driver.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(CHROMIUM),
                headless=True,
                args=[*(CHROMIUM_ARGS if extension else PLAIN_ARGS), *args],
            )
            context.set_default_timeout(15_000)
            try:
                return scenario(context)
            finally:
                context.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=180)


def extension_worker(context: Any) -> Any:
    if context.service_workers:
        return context.service_workers[0]
    return context.wait_for_event("serviceworker", timeout=15_000)
