"""``scanTab`` on each fixture page: the findings are the service's for exactly the extracted
claims, every finding's line is annotated, the anchor finding of each page (a line asking for
more than allowed minus paid) is on the right line with the right dollars, and drawing is
idempotent. A screenshot of each page goes to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from scanner.engine import scan as engine_scan
from scanner.model import decode_request
from scanner.money import format_money
from tests.browser.harness import (
    Extension,
    closed_shadows,
    expected_parts,
    panel_text,
    screenshot,
    wait_until,
)

pytestmark = pytest.mark.browser

Finding = tuple[str, str, tuple[str, ...], str]

STORE_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs/store/screenshot-1280x800.png"


def expected_findings(request: dict[str, Any]) -> list[Finding]:
    """What the scanner's engine finds in the extracted request (the service runs the same)."""
    result = engine_scan(decode_request(json.dumps(request)))
    return sorted(
        (f.rule, f.claim_id, tuple(f.line_ids), format_money(f.amount_at_stake)) for f in result.findings
    )


def reported(report: dict[str, Any]) -> list[Finding]:
    return sorted(
        (f["rule"], f["claim_id"], tuple(f["line_ids"]), f["amount_at_stake"]) for f in report["findings"]
    )


def annotated(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((a["rule"], a["claim_id"], a["line_id"]) for a in report["annotated"])


def badge_count(page: Any) -> int:
    return int(page.locator('[data-eobx="badge"]').count())


#: page, adapter, (claim index, line id, amount) of the line that asks for more than allowed - paid.
PAGES = [
    ("/bluepeak-claim.html", "bluepeak", (0, "3", "20.00")),
    ("/strict/bluepeak-claim.html", "bluepeak", (0, "3", "20.00")),
    ("/meridian-claims.html", "meridian", (1, "1", "140.00")),
    ("/northwind-app.html", "northwind", (0, "2", "75.00")),
    ("/generic-div.html", "generic", (0, "3", "12.00")),
    ("/generic-aria.html", "generic", (1, "2", "10.00")),
    ("/generic-combined.html", "generic", (0, "2", "35.00")),
    ("/generic-deductible-combined.html", "generic", (0, "2", "35.00")),
    ("/demo", "generic", (0, "3", "23.00")),
]


@pytest.mark.parametrize(("path", "adapter", "anchor"), PAGES, ids=[p[0].strip("/") for p in PAGES])
def test_scan_tab_reports_and_annotates_the_services_findings(
    ext: Extension, path: str, adapter: str, anchor: tuple[int, str, str]
) -> None:
    page = ext.open(path)
    request = ext.extract(page)["request"]

    report = ext.scan(page)

    assert report["errors"] == []
    assert report["adapter"] == adapter
    assert report["claims"] == len(request["claims"])
    assert report["lines"] == sum(len(c["lines"]) for c in request["claims"])
    assert reported(report) == expected_findings(request)
    every_line = sorted((f[0], f[1], line) for f in reported(report) for line in f[2])
    assert annotated(report) == every_line
    claim_index, line_id, amount = anchor
    claim_id = request["claims"][claim_index]["id"]
    assert ("INS001", claim_id, (line_id,), amount) in reported(report)
    flagged_lines = {(f[1], line) for f in reported(report) for line in f[2]}
    assert badge_count(page) == len(flagged_lines)
    assert "at stake" in panel_text(page)
    assert expected_parts(request) in panel_text(page)
    screenshot(page, "extension-" + path.strip("/").replace("/", "-").removesuffix(".html"))


def test_preventive_visit_with_a_copay_is_flagged_on_the_demo_page(ext: Extension) -> None:
    page = ext.open("/demo")
    request = ext.extract(page)["request"]
    report = ext.scan(page)

    claim_id = request["claims"][0]["id"]
    assert request["claims"][0]["lines"][0]["code"] == "99396"
    assert ("PRV001", claim_id, ("1",), "40.00") in reported(report)


def test_a_well_visit_charged_to_the_deductible_is_flagged_when_the_network_follows_the_name(
    ext: Extension,
) -> None:
    """The page prints "(In-Network)" after the provider's name and nowhere else."""
    page = ext.open("/provider-network-note.html")
    request = ext.extract(page)["request"]
    report = ext.scan(page)

    claim_id = request["claims"][0]["id"]
    assert ("PRV001", claim_id, ("1",), "182.00") in reported(report)


def test_the_demo_page_is_annotated_on_opening(ext: Extension) -> None:
    """The manifest declares the content scripts for /demo, so a paired extension scans it unasked."""
    page = ext.open("/demo")

    wait_until(lambda: badge_count(page) == 2, timeout=15)
    report = wait_until(lambda: ext.report(page), timeout=10)
    assert report["errors"] == []
    assert {a["line_id"] for a in report["annotated"]} == {"1", "3"}
    page.set_viewport_size({"width": 1920, "height": 1000})
    page.locator('[data-eobx="badge"]').nth(1).click()
    screenshot(page, "extension-demo-details")


def test_the_store_screenshot_shows_the_demo_page_at_1280_by_800(ext: Extension, tmp_path: Path) -> None:
    """The Chrome Web Store's screenshot, taken as the store wants it: 1280 x 800, the extension
    at work on the demo page with one finding open. ``EOBSCAN_UPDATE_SCREENSHOT=1`` writes it to
    docs/store (where ``make store-check`` looks for it)."""
    page = ext.open("/demo")
    page.set_viewport_size({"width": 1280, "height": 800})
    wait_until(lambda: badge_count(page) == 2, timeout=15)
    page.locator('[data-eobx="badge"]').nth(1).click()
    target = STORE_SCREENSHOT if os.environ.get("EOBSCAN_UPDATE_SCREENSHOT") else tmp_path / "store.png"
    page.screenshot(path=str(target))
    header = target.read_bytes()[:24]
    assert header.startswith(b"\x89PNG\r\n\x1a\n")
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (1280, 800)
    assert ext.page_errors == []


def test_scanning_twice_draws_once(ext: Extension) -> None:
    page = ext.open("/bluepeak-claim.html")
    first = ext.scan(page)
    badges = badge_count(page)

    second = ext.scan(page)

    assert annotated(second) == annotated(first)
    assert badge_count(page) == badges
    assert page.locator('[data-eobx="panel"]').count() == 1
    assert len([view for view in closed_shadows(page) if view.kind == "badge"]) == badges


def test_the_spa_is_scanned_again_when_it_shows_another_claim(ext: Extension) -> None:
    page = ext.open("/northwind-app.html")
    first = ext.scan(page)
    assert ("INS001", "75.00") in {(f["rule"], f["amount_at_stake"]) for f in first["findings"]}

    page.evaluate("location.hash = '#/claims/NW-55187-B'")

    def rescanned() -> dict[str, Any] | None:
        report = ext.report(page)
        amounts = {(f["rule"], f["amount_at_stake"]) for f in (report or {}).get("findings", [])}
        return report if ("INS001", "48.00") in amounts else None

    report = wait_until(rescanned, timeout=15)
    request = ext.extract(page)["request"]
    assert [line["code"] for line in request["claims"][0]["lines"]] == ["97110", "97140"]
    assert reported(report) == expected_findings(request)
    assert ("INS001", request["claims"][0]["id"], "2") in annotated(report)
    assert badge_count(page) == len({line for f in report["findings"] for line in f["line_ids"]})
    screenshot(page, "extension-northwind-second-claim")


def test_a_page_without_claims_says_so_in_the_panel(ext: Extension) -> None:
    page = ext.open("/no-claim.html")

    report = ext.scan(page, wait_ms=300)

    assert report["lines"] == 0
    assert report["findings"] == []
    assert len(report["errors"]) == 1
    assert report["errors"][0].startswith("No EOB claim lines were found on this page.")
    assert "No EOB claim lines were found" in panel_text(page)
    assert badge_count(page) == 0


def test_annotations_draw_under_a_strict_content_security_policy(ext: Extension) -> None:
    """Privacy Badger's CSP test: a page with script-src 'self' and Trusted Types required."""
    page = ext.browser.context.new_page()
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective));"
    )
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{ext.pages_url}/strict/bluepeak-claim.html?t=csp")

    report = ext.scan(page)

    assert report["errors"] == []
    assert badge_count(page) == len({line for f in report["findings"] for line in f["line_ids"]})
    assert "at stake" in panel_text(page)
    assert page.evaluate("window.__violations") == []
    assert [text for text in console if "Content Security Policy" in text] == []


def test_a_ledger_that_is_a_lower_bound_reads_at_least_in_the_panel(ext: Extension) -> None:
    """No plan details and a "Deductible/Coinsurance" column: what was met is only a lower
    bound, and "Deductible met $0.00" would read as nothing met."""
    page = ext.open("/generic-deductible-combined.html")
    report = ext.scan(page)
    assert report["errors"] == []
    text = panel_text(page)
    # The provider is in network (its header line), so its cost sharing, $40 + $60 + $24, counts.
    assert "this page at least $0.00 at least $124.00" in " ".join(text.split())
    assert "What you have met may be higher." in text


#: Plan details as the options page saves them, with what was met before the claims.
MET_KNOWN = {
    "plan_year_start": "2026-01-01",
    "plan_year_end": "2026-12-31",
    "coverage_tier": "individual",
    "deductible_individual": "1500.00",
    "oop_max_individual": "4000.00",
    "deductible_met": "0.00",
    "oop_met": "0.00",
}


def test_with_what_was_met_known_the_ledger_is_exact_and_printed_bare(ext: Extension) -> None:
    ext.worker.evaluate("(plan) => eobscan.configure({plan})", MET_KNOWN)
    try:
        page = ext.open("/bluepeak-claim.html")
        assert ext.scan(page)["errors"] == []
        text = panel_text(page)
    finally:
        ext.worker.evaluate("() => eobscan.configure({plan: null})")
    assert "Your deductible and out-of-pocket maximum" in text
    assert "at least" not in text and "may be higher" not in text
    assert "$0.00 $46.40" in " ".join(text.split())  # deductible, then out-of-pocket met


def test_a_deductible_printed_with_coinsurance_leaves_only_the_deductible_at_least(ext: Extension) -> None:
    """What was met before the claims is known: a "Deductible/Coinsurance" column still hides
    how much went to the deductible, yet all of it counts toward the out-of-pocket maximum, so
    only the deductible figure says "at least"."""
    ext.worker.evaluate("(plan) => eobscan.configure({plan})", MET_KNOWN)
    try:
        page = ext.open("/generic-deductible-combined.html")
        assert ext.scan(page)["errors"] == []
        text = " ".join(panel_text(page).split())
    finally:
        ext.worker.evaluate("() => eobscan.configure({plan: null})")
    assert "this page at least $0.00 $124.00" in text
    assert "What you have met may be higher." in text
