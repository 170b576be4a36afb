"""A service that takes a request and never answers (hung, or stopped in a debugger): the
extension gives up at its own deadline, says so in words a person can act on, and draws nothing.

The browser stops an extension's service worker after 30 s of waiting on a fetch, so a scan
must give up before that (25 s), and the options page's connection test sooner (5 s). These
tests wait those real seconds: the deadline is the behaviour under test, so it is not shortened.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.harness import Extension, free_port, panel_text
from tests.browser.test_ui import extension_page

pytestmark = pytest.mark.browser


class Silent:
    """A loopback port that accepts connections and reads what is sent, but never answers."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", free_port()))
        self.listener.listen(16)
        self.listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.received = 0
        self.held: list[socket.socket] = []
        self.closing = threading.Event()
        self.thread = threading.Thread(target=self._hold, name="silent-service", daemon=True)
        self.thread.start()

    def _hold(self) -> None:
        while not self.closing.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            connection.settimeout(2)
            try:
                if connection.recv(65536):
                    self.received += 1
            except OSError:
                pass
            self.held.append(connection)  # kept open, never answered

    def close(self) -> None:
        self.closing.set()
        self.thread.join(timeout=5)
        for connection in self.held:
            connection.close()
        self.listener.close()


@pytest.fixture
def silent() -> Iterator[Silent]:
    server = Silent()
    yield server
    server.close()


def badge_count(page: Any) -> int:
    return int(page.locator('[data-eobx="badge"]').count())


def test_a_scan_the_service_never_answers_is_given_up_at_25_seconds(ext: Extension, silent: Silent) -> None:
    page = ext.open("/bluepeak-claim.html")
    assert ext.scan(page)["annotated"], "drawn while the service answered"
    ext.configure(silent.url, ext.service.token)

    started = time.monotonic()
    report = ext.scan(page)
    elapsed = time.monotonic() - started

    message = (
        f"The EOB Scanner service at {silent.url} took longer than 25 seconds to answer. "
        "Check that it is running, then try again."
    )
    assert report["errors"] == [message]
    assert report["findings"] == [] and report["annotated"] == []
    assert message in panel_text(page)
    assert badge_count(page) == 0, "no stale badges from the earlier scan"
    assert silent.received >= 1, "the request reached the silent service"
    assert 24 <= elapsed < 40, "it waited for its own deadline, not for the browser's"
    assert ext.page_errors == []


def test_the_connection_test_gives_up_at_5_seconds_and_says_so(ext: Extension, silent: Silent) -> None:
    options = extension_page(ext, "options.html")
    options.get_by_label("Service URL").fill(silent.url)
    options.get_by_role("button", name="Save", exact=True).click()
    status = options.locator("#service-status")
    status.filter(has_text="Saved.").wait_for()

    started = time.monotonic()
    options.get_by_role("button", name="Test connection").click()
    status.filter(has_text="took longer than").wait_for(timeout=20_000)
    elapsed = time.monotonic() - started

    assert status.inner_text() == (
        f"The EOB Scanner service at {silent.url} took longer than 5 seconds to answer. "
        "Check that it is running, then try again."
    )
    assert "error" in (status.get_attribute("class") or "")
    assert 4 <= elapsed < 20
