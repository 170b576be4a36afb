"""Helpers of the browser tests: starting the service, serving the fixture pages, driving the
extension through its automation API, and reading our closed shadow roots the way DevTools does.
The fixtures that use them are in ``conftest.py``.
"""

from __future__ import annotations

import http.server
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.service import free_port
from scanner.engine import scan as engine_scan
from scanner.model import decode_request
from scanner.money import dollars

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")

#: The fixture server answers /strict/<page> with this policy (Privacy Badger's CSP test idea):
#: no inline script, no eval, Trusted Types required. The annotations must still draw.
STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "require-trusted-types-for 'script'; trusted-types 'none'; base-uri 'none'; form-action 'none'"
)

CHROMIUM_ARGS = [
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-gpu",
    "--no-sandbox",
    f"--disable-extensions-except={EXTENSION}",
    f"--load-extension={EXTENSION}",
]


def require_chromium() -> None:
    """Skip without Chromium, except under CI, where a missing browser is a failure."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; CI must run the browser tests (make chromium)")
    pytest.skip(f"{CHROMIUM} is missing (make chromium installs it)")


def wait_until(test: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Poll `test` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = test()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


# --- the service ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    url: str
    token: str


# --- the fixture pages ---------------------------------------------------------------------


class FixtureHandler(http.server.SimpleHTTPRequestHandler):
    """Serves tests/browser/fixtures; /strict/<page> serves the same page under STRICT_CSP."""

    def translate_path(self, path: str) -> str:
        if path.startswith("/strict/"):
            path = path[len("/strict") :]
        return super().translate_path(path)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        if self.path.startswith("/strict/"):
            self.send_header("Content-Security-Policy", STRICT_CSP)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


# --- the browser ---------------------------------------------------------------------------


@dataclass
class Browser:
    context: Any
    worker: Any
    extension_id: str


@dataclass
class Extension:
    """The loaded extension, driven through its automation API (``globalThis.eobscan``)."""

    browser: Browser
    service: Service
    pages_url: str
    page_errors: list[str] = field(default_factory=list)

    @property
    def worker(self) -> Any:
        return self.browser.worker

    def configure(self, service_url: str, token: str) -> dict[str, Any]:
        return dict(
            self.worker.evaluate(
                "([serviceUrl, token]) => eobscan.configure({serviceUrl, token, plan: null})",
                [service_url, token],
            )
        )

    def open(self, path: str, *, wait: str | None = None) -> Any:
        """A new tab with a fixture page (a unique query string tells tabs apart)."""
        page = self.browser.context.new_page()
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        separator = "&" if "?" in path else "?"
        base = self.service.url if path.startswith("/demo") else self.pages_url
        page.goto(f"{base}{path}{separator}t={secrets.token_hex(6)}")
        if wait:
            page.wait_for_selector(wait)
        return page

    def tab_id(self, page: Any) -> int:
        url = page.url
        ids = self.worker.evaluate(
            "async (url) => (await chrome.tabs.query({})).filter((t) => t.url === url).map((t) => t.id)",
            url,
        )
        assert len(ids) == 1, "each test page has a unique URL"
        return int(ids[0])

    def scan(self, page: Any, wait_ms: int = 8000) -> dict[str, Any]:
        return dict(
            self.worker.evaluate(
                "([id, waitMs]) => eobscan.scanTab(id, {waitMs})", [self.tab_id(page), wait_ms]
            )
        )

    def extract(self, page: Any, wait_ms: int = 8000) -> dict[str, Any]:
        return dict(
            self.worker.evaluate(
                "([id, waitMs]) => eobscan.extractTab(id, {waitMs})", [self.tab_id(page), wait_ms]
            )
        )

    def report(self, page: Any) -> dict[str, Any] | None:
        stored = self.worker.evaluate("(id) => eobscan.report(id)", self.tab_id(page))
        return dict(stored) if stored else None

    def in_content_world(self, page: Any, body: str) -> Any:
        """Run `body` (the body of an async function) in the content scripts' isolated world of
        `page`, as a content script would (MV3 forbids eval there, so it is compiled here)."""
        source = (
            "async (tabId) => { const [first] = await chrome.scripting.executeScript("
            "{target: {tabId}, func: async () => { " + body + " }}); "
            "return first ? first.result : undefined; }"
        )
        return self.worker.evaluate(source, self.tab_id(page))


# --- what the page shows -------------------------------------------------------------------


@dataclass
class ShadowView:
    """One of our closed shadow roots as DevTools sees it (page scripts cannot)."""

    kind: str
    text: str
    tags: list[str]


def _texts_and_tags(node: dict[str, Any], texts: list[str], tags: list[str]) -> None:
    if node.get("nodeType") == 3:
        texts.append(node.get("nodeValue", ""))
    elif node.get("nodeType") == 1:
        tags.append(node.get("localName", ""))
    for child in node.get("children", []):
        _texts_and_tags(child, texts, tags)


def closed_shadows(page: Any) -> list[ShadowView]:
    """Our annotation hosts' closed shadow roots, read through the DevTools protocol."""
    session = page.context.new_cdp_session(page)
    try:
        document = session.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    finally:
        session.detach()
    views: list[ShadowView] = []

    def walk(node: dict[str, Any]) -> None:
        attributes = node.get("attributes", [])
        attrs = dict(zip(attributes[::2], attributes[1::2], strict=True))
        for root in node.get("shadowRoots", []):
            if "data-eobx" in attrs and root.get("shadowRootType") == "closed":
                texts: list[str] = []
                tags: list[str] = []
                for child in root.get("children", []):
                    _texts_and_tags(child, texts, tags)
                views.append(ShadowView(kind=attrs["data-eobx"], text=" ".join(texts), tags=tags))
        for child in [*node.get("children", []), *node.get("shadowRoots", [])]:
            walk(child)
        if node.get("contentDocument"):
            walk(node["contentDocument"])

    walk(document)
    return views


def panel_text(page: Any) -> str:
    panels = [view for view in closed_shadows(page) if view.kind == "panel"]
    assert len(panels) == 1, f"one summary panel, got {len(panels)}"
    return panels[0].text


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- a recording proxy (privacy tests only) -------------------------------------------------


@dataclass
class Exchange:
    method: str
    path: str
    origin: str | None
    body: bytes
    response: bytes


class RecordingProxy:
    """Forwards every request to the real service and keeps what passed, both ways.

    Only the privacy tests use it: they are the one place where we need to see the exact bytes the
    service received. Everything else talks to the service directly.
    """

    def __init__(self, target: str) -> None:
        self.target = target
        self.exchanges: list[Exchange] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                keep = ("authorization", "content-type", "origin")
                headers = {k: v for k, v in self.headers.items() if k.lower() in keep}
                url = f"{proxy.target}{self.path}"
                answer = httpx.request(self.command, url, headers=headers, content=body)
                proxy.exchanges.append(
                    Exchange(self.command, self.path, self.headers.get("Origin"), body, answer.content)
                )
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("content-type", "application/json"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = _forward
            do_POST = _forward

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> RecordingProxy:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


#: How the panel names each part of the total (``summary.total_by_severity``).
PART_WORDS = {"error": "likely not owed", "warning": "worth checking", "info": "savings to ask for"}


def expected_parts(request: dict[str, Any]) -> str:
    """The panel's (and the popup's) line under the total for the engine's split of the same request."""
    split = engine_scan(decode_request(json.dumps(request))).summary.total_by_severity
    parts = [(split[k], words) for k, words in PART_WORDS.items() if split[k]]
    if len(parts) == 1:
        return f"All of it {parts[0][1]}."
    return " · ".join(f"{dollars(cents)} {words}" for cents, words in parts)
