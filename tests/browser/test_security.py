"""What the page can do to us and what it can learn from us.

- Hostile text in the portal (markup, script breakouts, bidi overrides, a huge cell) is shown as
  text and runs nothing.
- The service receives no name, member id, birth date, address or claim number; a family's
  patients' names are compared, never sent.
- The page's own scripts, even a session-replay tool that wraps attachShadow before we run, cannot
  read what we draw.
- A content script (which a compromised page may control) cannot change settings, drive other
  tabs, or smuggle fields past the request schema; web pages cannot message the extension at all.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.harness import Extension, RecordingProxy, closed_shadows

pytestmark = pytest.mark.browser

ALLOWED_TAGS = {"div", "span", "p", "h3", "h4", "ul", "ol", "li", "button", "strong", "a", "table"}
ALLOWED_TAGS |= {"thead", "tbody", "tr", "th", "td", "section", "style"}


def open_every_badge(page: Any) -> None:
    """Open every badge's details, bottom first (an open panel covers the badges below it)."""
    badges = page.locator('[data-eobx="badge"]')
    for i in reversed(range(badges.count())):
        badges.nth(i).click()


def test_hostile_text_in_the_page_is_shown_as_text_and_runs_nothing(ext: Extension) -> None:
    page = ext.open("/xss.html")
    elements_before = page.evaluate("document.querySelectorAll('*').length")

    report = ext.scan(page)
    open_every_badge(page)

    assert report["errors"] == []
    assert report["annotated"], "the hostile page still gets its badge"
    assert page.evaluate("window.__xssRuns") == 0
    ours = page.evaluate("document.querySelectorAll('[data-eobx]').length")
    assert page.evaluate("document.querySelectorAll('*').length") == elements_before + ours
    badge = next(view for view in closed_shadows(page) if view.kind == "badge")
    assert '<img src=x onerror="__xssHit()">XSS-77' in badge.text, "the claim number, as printed"
    assert '</style><script>__xssHit()</script><img src=x onerror="__xssHit()">' in badge.text
    for view in closed_shadows(page):
        assert set(view.tags) <= ALLOWED_TAGS
    assert ext.page_errors == []


def test_the_service_receives_no_identifying_data_and_the_page_cannot_read_findings(
    ext: Extension,
) -> None:
    """The one test that puts a recording proxy between the extension and the real service:
    it has to see the exact bytes the service received, and the answer it gave."""
    with RecordingProxy(ext.service.url) as proxy:
        ext.configure(proxy.url, ext.service.token)
        page = ext.open("/privacy.html")
        report = ext.scan(page)
        open_every_badge(page)
        seen_by_page = page.evaluate("window.__readAll()")
        wrapped_roots = page.evaluate("window.__probe.roots.length")

    scans = [x for x in proxy.exchanges if x.path == "/v1/scan"]
    assert len(scans) == 1
    sent = scans[0].body.decode()
    for canary in [
        "Quillon",
        "Vasterby",
        "QVN7741029",
        "04/06/1981",
        "1981-04-06",
        "PRIVCANARY5531",
        "Wren Hollow",
        "Office visit",
    ]:
        assert canary not in sent
    body = json.loads(sent)
    assert set(body) == {"claims"}
    assert scans[0].origin == f"chrome-extension://{ext.browser.extension_id}"

    result = json.loads(scans[0].response)
    assert report["findings"] and len(result["findings"]) == len(report["findings"])
    secrets = {"at stake", "EOB Scanner"}
    for finding in result["findings"]:
        secrets |= {finding["title"], finding["message"]}
        secrets |= {action["summary"] for action in finding["actions"]}
    drawn = " ".join(view.text for view in closed_shadows(page))
    for finding in result["findings"]:
        assert finding["title"] in drawn, "the findings are on the page, for the user"
    assert wrapped_roots == 0, "our attachShadow is not the page's"
    for secret in secrets:
        assert secret not in seen_by_page
    roots = page.evaluate("[...document.querySelectorAll('[data-eobx]')].map((el) => el.shadowRoot)")
    assert roots and all(root is None for root in roots)


def test_a_familys_names_tell_its_members_apart_and_are_never_sent(ext: Extension) -> None:
    """The extension reads each claim's patient name only to compare it: the service receives
    each claim's member, and no name, neither the patients' nor the subscriber's."""
    with RecordingProxy(ext.service.url) as proxy:
        ext.configure(proxy.url, ext.service.token)
        report = ext.scan(ext.open("/generic-family.html"))

    [scan] = [x for x in proxy.exchanges if x.path == "/v1/scan"]
    sent = scan.body.decode()
    assert report["errors"] == []
    assert [claim.get("member") for claim in json.loads(sent)["claims"]] == ["child-1", "child-2"]
    for canary in ["Avery", "Blake", "Morgan", "Example", "avery", "blake", "Dependent", "Northside"]:
        assert canary not in sent


def test_web_pages_cannot_message_the_extension(ext: Extension) -> None:
    page = ext.open("/bluepeak-claim.html")

    reachable = page.evaluate("Boolean(window.chrome && chrome.runtime && chrome.runtime.sendMessage)")

    assert reachable is False


def test_content_scripts_cannot_use_privileged_messages(ext: Extension) -> None:
    page = ext.open("/bluepeak-claim.html")
    ext.scan(page)
    before = ext.worker.evaluate("eobscan.settings()")

    replies = ext.in_content_world(
        page,
        """
        const send = (m) => chrome.runtime.sendMessage(m);
        return [
            await send({type: "eobx:configure", settings: {serviceUrl: "http://127.0.0.1:9", token: "x"}}),
            await send({type: "eobx:settings"}),
            await send({type: "eobx:test-connection"}),
            await send({type: "eobx:scan-tab", tabId: 1}),
            await send({type: "eobx:autoscan-sync"}),
            await send({type: "no-such-type"}),
        ];
        """,
    )

    assert [reply["ok"] for reply in replies] == [False] * 6
    assert {reply["error"]["kind"] for reply in replies} == {"rejected"}
    assert ext.worker.evaluate("eobscan.settings()") == before


CLAIM = '"id": "c-0123456789"'


@pytest.mark.parametrize(
    ("claims", "field"),
    [
        (f'[{{{CLAIM}, "lines": [], "patient_name": "Zephyrine"}}]', "claims[0].patient_name"),
        (f'[{{{CLAIM}, "lines": [{{"id": "1", "code": "ZEPHYR"}}]}}]', "claims[0].lines[0].code"),
        ('[{"id": "BP26041577310", "lines": []}]', "claims[0].id"),
        (f'[{{{CLAIM}, "lines": [{{"id": "1", "billed": 12.5}}]}}]', "claims[0].lines[0].billed"),
        (f'[{{{CLAIM}, "lines": [{{"id": "1", "units": -1}}]}}]', "claims[0].lines[0].units"),
        (f'[{{{CLAIM}, "lines": [{{"id": "1", "diagnoses": ["W12345678"]}}]}}]', "lines[0].diagnoses[0]"),
    ],
)
def test_scan_requests_outside_the_schema_are_refused_naming_the_field(
    ext: Extension, claims: str, field: str
) -> None:
    page = ext.open("/bluepeak-claim.html")
    ext.scan(page)

    send = f"return await chrome.runtime.sendMessage({{type: 'eobx:scan', request: {{claims: {claims}}}}});"
    reply = ext.in_content_world(page, send)

    assert reply["ok"] is False
    assert reply["error"]["kind"] == "rejected"
    assert f"{field}: " in reply["error"]["message"]
    for value in ("Zephyrine", "ZEPHYR", "BP26041577310", "W12345678", "12.5"):
        assert value not in reply["error"]["message"]


def test_oversized_messages_are_refused(ext: Extension) -> None:
    page = ext.open("/bluepeak-claim.html")
    ext.scan(page)

    huge = "{type: 'eobx:scan', request: {claims: []}, pad: 'x'.repeat(5e6)}"
    reply = ext.in_content_world(page, f"return await chrome.runtime.sendMessage({huge});")

    assert reply == {"ok": False, "error": {"kind": "rejected", "message": "message too large"}}
