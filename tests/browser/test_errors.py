"""When the service is not there or does not take our token, the panel says so in words a person
can act on, nothing half-drawn stays on the page, and nothing throws."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser.harness import Extension, free_port, panel_text

pytestmark = pytest.mark.browser


def badge_count(page: Any) -> int:
    return int(page.locator('[data-eobx="badge"]').count())


def test_service_down_says_how_to_start_it_within_seconds(ext: Extension) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    page = ext.open("/bluepeak-claim.html")
    assert ext.scan(page)["annotated"], "drawn while the service was up"
    ext.configure(nobody, ext.service.token)

    started = time.monotonic()
    report = ext.scan(page)
    elapsed = time.monotonic() - started

    message = (
        f"No EOB Scanner service answered at {nobody}. "
        'Start it with "eobscan serve" (or "make run"), then scan again.'
    )
    assert report["errors"] == [message]
    assert report["findings"] == [] and report["annotated"] == []
    assert message in panel_text(page)
    assert badge_count(page) == 0, "no stale badges from the earlier scan"
    assert elapsed < 5
    assert ext.page_errors == []


def test_wrong_token_says_to_pair_again(ext: Extension) -> None:
    ext.configure(ext.service.url, "not-the-token")
    page = ext.open("/generic-div.html")

    report = ext.scan(page)

    assert len(report["errors"]) == 1
    assert report["errors"][0].startswith("The EOB Scanner service refused the pairing token.")
    assert "paste the token the service printed" in panel_text(page)
    assert badge_count(page) == 0
    assert ext.page_errors == []


def test_an_unpaired_extension_says_to_pair_first(ext: Extension) -> None:
    ext.configure(ext.service.url, "")
    page = ext.open("/generic-div.html")

    report = ext.scan(page)

    assert report["errors"][0].startswith("The extension is not paired with the EOB Scanner service yet.")
    assert "not paired" in panel_text(page)


def test_settings_outside_this_computer_are_refused(ext: Extension) -> None:
    refused = ext.worker.evaluate(
        """async () => {
            const out = [];
            for (const serviceUrl of ["https://scanner.example.com", "http://10.0.0.5:8765", "file:///etc"]) {
                try { await eobscan.configure({serviceUrl}); out.push("stored"); }
                catch (error) { out.push(error.message); }
            }
            return out;
        }"""
    )

    assert (
        refused
        == ["The service URL must point to this computer: http://127.0.0.1:PORT or http://localhost:PORT."]
        * 3
    )
    assert ext.worker.evaluate("eobscan.settings()")["serviceUrl"] == ext.service.url


def test_a_page_the_extension_cannot_read_gets_a_report_not_an_exception(ext: Extension) -> None:
    page = ext.browser.context.new_page()
    page.goto("about:blank")
    tab_id = ext.worker.evaluate("async () => (await chrome.tabs.query({})).find((t) => !t.url).id")

    report = ext.worker.evaluate("(id) => eobscan.scanTab(id)", tab_id)

    assert report["errors"] == [
        "The extension cannot read this page. Open your insurer's claim page and click the extension's "
        "icon there, then press Scan this page."
    ]
    assert report["lines"] == 0
