"""Real-browser tests of the extension: Debian's Chromium (driven by Playwright) loads the unpacked
``extension/`` folder, the real service runs as a subprocess on a free port, and the fixture
portal pages are served from 127.0.0.1.

One persistent browser context serves the whole session (a launch costs about a second and a
half); each test gets a fresh page and starts with the extension paired to the real service.
Without ``/usr/bin/chromium`` these tests skip, unless ``CI`` is set: then they fail, because a CI
run that skipped them proved nothing.
"""

from __future__ import annotations

import http.server
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from bench.service import start_serve, stop
from tests.browser.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIXTURES,
    Browser,
    Extension,
    FixtureHandler,
    Service,
    free_port,
    require_chromium,
)


@pytest.fixture(scope="session")
def service() -> Iterator[Service]:
    require_chromium()
    port = free_port()
    token = secrets.token_urlsafe(24)
    process = start_serve(port, token)
    try:
        yield Service(url=f"http://127.0.0.1:{port}", token=token)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def pages_url() -> Iterator[str]:
    handler = partial(FixtureHandler, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    """The one Playwright of the session: its sync API allows a single instance per thread, so
    every browser test (the extension's and the upload page's) launches Chromium from this one."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(service: Service, playwright_driver: Any) -> Iterator[Browser]:
    profile = tempfile.mkdtemp(prefix="eobscan-chromium-")
    context = playwright_driver.chromium.launch_persistent_context(
        profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    context.set_default_timeout(10_000)
    try:
        worker = (
            context.service_workers[0]
            if context.service_workers
            else context.wait_for_event("serviceworker", timeout=15_000)
        )
        yield Browser(context=context, worker=worker, extension_id=worker.url.split("/")[2])
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def ext(browser: Browser, service: Service, pages_url: str) -> Iterator[Extension]:
    """The extension paired with the real service; closes the test's pages afterwards."""
    extension = Extension(browser=browser, service=service, pages_url=pages_url)
    extension.configure(service.url, service.token)
    yield extension
    for page in browser.context.pages:
        if page.url.startswith(("http://127.0.0.1", "chrome-extension://")):
            page.close()
