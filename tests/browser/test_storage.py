"""Nothing about a claim is kept anywhere that outlives the browser: settings in storage.local,
reports (rule codes, opaque ids, amounts) in storage.session, dropped with their tab."""

from __future__ import annotations

import json

import pytest

from tests.browser.harness import Extension, wait_until

pytestmark = pytest.mark.browser

CANARIES = [
    "PRIVCANARY5531",
    "Quillon",
    "QVN7741029",
    "04/06/1981",
    "BP26041577310",
    "Zephyrine",
    "Harbor Family Medicine",
    "Blood draw",
    "Avery",
    "AVERY",
    "Morgan",
]


def dump(ext: Extension, area: str) -> dict[str, object]:
    return dict(ext.worker.evaluate(f"chrome.storage.{area}.get(null)"))


def test_scans_leave_no_claim_data_in_any_storage(ext: Extension) -> None:
    for path in ("/privacy.html", "/bluepeak-claim.html", "/generic-family-same-child.html"):
        page = ext.open(path)
        ext.scan(page)
        page.locator('[data-eobx="badge"]').last.click()

    local, session, sync = dump(ext, "local"), dump(ext, "session"), dump(ext, "sync")

    assert set(local) <= {"serviceUrl", "token", "plan"}
    assert sync == {}
    assert session and all(key.startswith("report:") for key in session)
    everything = json.dumps([local, session])
    for canary in CANARIES:
        assert canary not in everything
    indexed = ext.worker.evaluate("indexedDB.databases()")
    cached = ext.worker.evaluate("caches.keys()")
    assert indexed == [] and cached == []


def test_a_tabs_report_is_dropped_when_the_tab_closes(ext: Extension) -> None:
    page = ext.open("/bluepeak-claim.html")
    ext.scan(page)
    key = f"report:{ext.tab_id(page)}"
    assert key in dump(ext, "session")

    page.close()

    wait_until(lambda: key not in dump(ext, "session"))


def test_content_scripts_cannot_read_the_token(ext: Extension) -> None:
    page = ext.open("/bluepeak-claim.html")
    ext.scan(page)

    seen = ext.in_content_world(
        page,
        """
        const read = async (area) => {
            try { return JSON.stringify(await chrome.storage[area].get(null)); }
            catch (error) { return "refused"; }
        };
        return [await read("local"), await read("session")];
        """,
    )

    assert ext.service.token not in seen[0]
    assert seen == ["refused", "refused"]
