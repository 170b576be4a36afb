"""The popup and the options page, used as a person would: click, type, read."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from scanner.engine import scan as engine_scan
from scanner.model import decode_request
from scanner.money import dollars, money_from_json
from tests.browser.harness import Extension, expected_parts

pytestmark = pytest.mark.browser


def extension_page(ext: Extension, name: str) -> Any:
    page = ext.browser.context.new_page()
    page.goto(f"chrome-extension://{ext.browser.extension_id}/ui/{name}")
    return page


def rules(request: dict[str, Any]) -> list[tuple[str, str, tuple[str, ...]]]:
    result = engine_scan(decode_request(json.dumps(request)))
    return sorted((f.rule, f.claim_id, tuple(f.line_ids)) for f in result.findings)


def test_popup_scans_the_tab_and_shows_the_summary(ext: Extension) -> None:
    portal = ext.open("/bluepeak-claim.html")
    popup = extension_page(ext, f"popup.html?tab={ext.tab_id(portal)}")

    popup.get_by_role("button", name="Scan this page").click()

    popup.locator("#total").filter(has_text="at stake").wait_for()
    report = ext.report(portal)
    assert report is not None
    assert (
        popup.locator("#total").inner_text()
        == f"{dollars(money_from_json(report['summary']['amount_at_stake']))} at stake"
    )
    n = len(report["findings"])
    assert popup.locator("#counts").inner_text() == f"{n} findings in 4 lines on 1 claim"
    assert popup.locator("#parts").inner_text() == expected_parts(ext.extract(portal)["request"])
    assert popup.locator("#classes li").first.inner_text().startswith("Insurer processing: $")
    assert portal.locator('[data-eobx="badge"]').count() > 0
    assert popup.locator("#docs").get_attribute("href") == f"{ext.service.url}/docs"


def test_popup_shows_the_last_report_of_the_tab_and_its_errors(ext: Extension) -> None:
    portal = ext.open("/no-claim.html")
    ext.scan(portal, wait_ms=300)

    popup = extension_page(ext, f"popup.html?tab={ext.tab_id(portal)}")

    status = popup.locator("#status")
    status.filter(has_text="No EOB claim lines").wait_for()
    assert "error" in (status.get_attribute("class") or "")


def test_options_pair_with_the_token_and_test_the_connection(ext: Extension) -> None:
    ext.configure(ext.service.url, "")
    options = extension_page(ext, "options.html")
    status = options.locator("#service-status")

    options.get_by_label("Service URL").fill(ext.service.url)
    options.get_by_label("Pairing token").fill("a-wrong-token")
    options.get_by_role("button", name="Save", exact=True).click()
    status.filter(has_text="Saved.").wait_for()
    options.get_by_role("button", name="Test connection").click()
    status.filter(has_text="refused the pairing token").wait_for()
    assert "error" in (status.get_attribute("class") or "")

    options.get_by_label("Pairing token").fill(ext.service.token)
    options.get_by_role("button", name="Save", exact=True).click()
    status.filter(has_text="Saved.").wait_for()
    options.get_by_role("button", name="Test connection").click()

    n = len(
        httpx.get(
            f"{ext.service.url}/v1/checks", headers={"Authorization": f"Bearer {ext.service.token}"}
        ).json()
    )
    status.filter(has_text="Connected").wait_for()
    assert (
        status.inner_text() == f"Connected to the EOB Scanner service at {ext.service.url}: {n} rules ready."
    )
    assert options.locator("#token-state").inner_text().startswith("A token is saved.")
    assert options.get_by_label("Pairing token").input_value() == "", "the stored token is never shown again"


def test_options_test_connection_says_when_nothing_answers(ext: Extension) -> None:
    options = extension_page(ext, "options.html")
    options.get_by_label("Service URL").fill("http://127.0.0.1:9")
    options.get_by_role("button", name="Save", exact=True).click()
    options.locator("#service-status").filter(has_text="Saved.").wait_for()

    options.get_by_role("button", name="Test connection").click()

    options.locator("#service-status").filter(has_text="No EOB Scanner service answered").wait_for()


def test_plan_details_from_the_options_page_are_sent_with_each_scan(ext: Extension) -> None:
    options = extension_page(ext, "options.html")
    options.locator("[name=plan_year_start]").fill("2026-01-01")
    options.locator("[name=plan_year_end]").fill("2026-12-31")
    options.locator("[name=deductible_individual]").fill("$1,500")
    options.locator("[name=oop_max_individual]").fill("100.00")
    options.locator("[name=oop_met]").fill("$90")
    options.locator("[name=deductible_met]").fill("1500")
    options.locator("[name=coinsurance_in_network]").fill("20")
    options.locator("[name=copay_specialist]").fill("$40")
    options.get_by_role("button", name="Save plan").click()
    options.locator("#plan-status").filter(has_text="Plan saved").wait_for()

    plan = ext.worker.evaluate("eobscan.settings()")["plan"]
    assert plan == {
        "plan_year_start": "2026-01-01",
        "plan_year_end": "2026-12-31",
        "deductible_individual": "1500.00",
        "oop_max_individual": "100.00",
        "deductible_met": "1500.00",
        "oop_met": "90.00",
        "coinsurance_in_network": 20,
        "copays": {"specialist": "40.00"},
    }
    page = ext.open("/bluepeak-claim.html")
    request = ext.extract(page)["request"]
    report = ext.scan(page)

    found = sorted((f["rule"], f["claim_id"], tuple(f["line_ids"])) for f in report["findings"])
    assert found == rules({**request, "plan": plan})
    assert found != rules(request), "the plan changed what the checks found"


def test_options_refuse_an_amount_that_is_not_one(ext: Extension) -> None:
    options = extension_page(ext, "options.html")
    options.locator("[name=deductible_individual]").fill("1.500,00")

    options.get_by_role("button", name="Save plan").click()

    options.locator("#plan-status").filter(has_text="Deductible (individual): enter an amount").wait_for()


@pytest.mark.parametrize(
    ("printed", "cents"),
    [
        ("$1,234.56", 123456),
        ("1234.5", 123450),
        ("-$12.00", -1200),
        ("$-12.00", -1200),
        ("\u2212$12.00", -1200),
        ("($12.00)", -1200),
        ("$0", 0),
        ("$ 7", 700),
        ("12.00 USD", 1200),
        ("$28.00*", 2800),
        ("$28.00[1]", 2800),
        ("$   (12.00)", -1200),
        ("$  -", 0),
        ("—", None),
        ("-", None),
        ("", None),
        ("N/A", None),
    ],
)
def test_the_extension_reads_every_printed_money_form(
    ext: Extension, printed: str, cents: int | None
) -> None:
    options = extension_page(ext, "options.html")

    read = options.evaluate("(text) => globalThis.__eobx.money.parseMoney(text)", printed)

    assert read == {"cents": cents}


@pytest.mark.parametrize(
    "printed", ["1.234,56", "$1,23,4.56", "12.345", "$12.00 (12.00)", "1e3", "NaN", "$١٢", "*"]
)
def test_the_extension_refuses_amounts_it_would_have_to_guess(ext: Extension, printed: str) -> None:
    options = extension_page(ext, "options.html")

    read = options.evaluate("(text) => globalThis.__eobx.money.parseMoney(text)", printed)

    assert set(read) == {"error"}
