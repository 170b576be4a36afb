"""The upload page in a real Chromium, against the real service as `make run` starts it.

A user opens the URL the service printed (it carries the token), chooses an EOB, sees the
findings under the lines they concern, and downloads a letter, the calendar and the evidence pack.
Without Chromium these tests skip on a developer machine and fail under CI (``CI`` set).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import icalendar
import pytest
from pypdf import PdfReader

from bench.service import free_port
from tests.browser.harness import CHROMIUM, require_chromium

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "img" / "upload-page.png"

#: An office visit (line 1 asks $30.00 too much) with a claim number only the file knows.
SCAN_REQUEST: dict[str, Any] = {
    "claims": [
        {
            "id": "visit-1",
            "claim_number": "ZZ-CLAIM-9001",
            "payer": "Example Health Plan",
            "provider": {"name": "Riverside Family Medicine", "network": "in", "role": "primary_care"},
            "service_start": "2026-03-02",
            "service_end": "2026-03-02",
            "processed_date": "2026-03-20",
            "status": "paid",
            "lines": [
                {
                    "id": "1",
                    "service_date": "2026-03-02",
                    "code": "99214",
                    "code_system": "CPT",
                    "description": "Office visit",
                    "network": "in",
                    "billed": "$240.00",
                    "allowed": "150.00",
                    "plan_paid": "120.00",
                    "coinsurance": "30.00",
                    "patient_responsibility": "60.00",
                },
                {
                    "id": "2",
                    "service_date": "2026-03-02",
                    "code": "85025",
                    "code_system": "CPT",
                    "description": "Blood count",
                    "network": "in",
                    "billed": "45.00",
                    "allowed": "18.00",
                    "plan_paid": "18.00",
                    "patient_responsibility": "0.00",
                },
            ],
        }
    ]
}


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, str]]:
    """``eobscan serve`` on a free port; yields the base URL and the token from its banner."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "EOBSCAN_TOKEN"}
    env["EOBSCAN_PLUGINS"] = ""  # the built-in checks only, as the in-test scans see them
    process = subprocess.Popen(
        [sys.executable, "-m", "scanner", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert "?token=" in banner, "the service prints its URL with the token"
        token = banner.rsplit("?token=", 1)[-1].strip()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, token
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def chromium(playwright_driver: Any) -> Iterator[Any]:
    """A plain Chromium (no extension) from the session's one Playwright (tests/browser/conftest.py)."""
    require_chromium()
    launched = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=["--no-sandbox", "--no-first-run", "--disable-gpu", "--disable-background-networking"],
    )
    yield launched
    launched.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    opened.problems = problems
    yield opened
    context.close()


@pytest.fixture
def eob_json(tmp_path: Path) -> Path:
    path = tmp_path / "office-visit.json"
    path.write_text(json.dumps(SCAN_REQUEST))
    return path


def _open(page: Any, served: tuple[str, str]) -> None:
    base, token = served
    page.goto(f"{base}/?token={token}")
    page.wait_for_load_state("domcontentloaded")


def _scan(page: Any, path: Path) -> None:
    page.set_input_files("#file-input", str(path))
    page.click("#scan-button")
    page.wait_for_selector("#results:not([hidden])")
    page.get_by_role("status").filter(has_text="Scan finished").wait_for()


def test_the_token_is_taken_from_the_address_and_removed_from_it(page: Any, served: tuple[str, str]) -> None:
    base, token = served
    _open(page, served)
    assert page.url == f"{base}/"
    assert page.evaluate("sessionStorage.getItem('eobscan-token')") == token
    assert page.is_hidden("#token-section")
    assert page.problems == []


def test_without_a_token_the_page_asks_for_it(page: Any, served: tuple[str, str], eob_json: Path) -> None:
    base, token = served
    page.goto(f"{base}/")
    assert page.is_visible("#token-section")
    page.fill("#token-input", token)
    page.click("#token-form button")
    assert page.is_hidden("#token-section")
    _scan(page, eob_json)
    assert page.locator("article.finding").count() >= 1


def test_a_wrong_token_is_explained(page: Any, served: tuple[str, str], eob_json: Path) -> None:
    base, _ = served
    page.goto(f"{base}/#token=not-the-token")
    page.set_input_files("#file-input", str(eob_json))
    page.click("#scan-button")
    page.locator("#error").filter(has_text="token").wait_for()
    assert "did not accept the token" in page.text_content("#error")
    assert page.is_visible("#token-section")


def test_findings_appear_under_the_line_they_concern(
    page: Any, served: tuple[str, str], eob_json: Path
) -> None:
    _open(page, served)
    _scan(page, eob_json)
    line_one = page.locator(".line", has=page.locator("h4", has_text="Line 1"))
    finding = line_one.locator("article.finding[data-rule='INS001']")
    assert finding.count() == 1
    text = finding.inner_text()
    assert "You are asked for more than the allowed amount leaves" in text
    assert "at stake $30.00" in text
    assert "patient responsibility: $60.00 (expected $30.00)" in text
    assert "Ask for:" in text and "A reference number for this call" in text
    line_two = page.locator(".line", has=page.locator("h4", has_text="Line 2"))
    assert line_two.locator("article.finding").count() == 0
    assert "Nothing wrong found on this line." in line_two.inner_text()
    assert page.text_content("[data-testid=at-stake]") == "$30.00"
    assert (
        page.text_content("[data-testid=stake-parts]") == "All of it likely not owed."
    )  # the warning is on the same line
    assert page.evaluate("document.activeElement.id") == "results-heading"
    assert page.problems == []


def test_a_letter_downloads_with_the_details_typed_in_this_tab_only(
    page: Any, served: tuple[str, str], eob_json: Path
) -> None:
    posted: list[str] = []
    page.on(
        "request",
        lambda request: posted.append(request.post_data or "") if request.method == "POST" else None,
    )
    _open(page, served)
    _scan(page, eob_json)
    page.click("#you summary")
    page.fill("#you-patient_name", "Avery Example")
    page.fill("#you-member_id", "ZZM-000111")
    page.keyboard.press("Tab")  # leaving the field redraws the scripts with it
    say = page.locator("article.finding[data-rule='INS001'] .call").first.inner_text()
    assert "I'm calling about claim ZZ-CLAIM-9001 for member ZZM-000111." in say
    with page.expect_download() as download:
        page.click("article.finding[data-rule='INS001'] button.letter")
    letter = Path(download.value.path()).read_text()
    assert download.value.suggested_filename == "visit-1-INS001-1-reprocessing_request.txt"
    assert "Re: Request to reprocess claim ZZ-CLAIM-9001" in letter
    assert "Avery Example" in letter and "Member ID: ZZM-000111" in letter
    assert "$30.00" in letter and "45 CFR 147.136" in letter
    assert "{patient_name}" not in letter and "{patient_address}" in letter
    assert posted and not any("Avery Example" in body or "ZZM-000111" in body for body in posted)


def test_the_calendar_downloads_as_a_valid_ics(page: Any, served: tuple[str, str], eob_json: Path) -> None:
    _open(page, served)
    _scan(page, eob_json)
    with page.expect_download() as download:
        page.click("#download-ics")
    assert download.value.suggested_filename == "eob-deadlines.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    shown = page.locator("#deadlines li").count()
    assert len(calendar.walk("VEVENT")) == shown
    for alarm in calendar.walk("VALARM"):
        assert alarm["TRIGGER"].to_ical() == b"-P7D"


def test_the_evidence_pack_downloads_as_html_and_pdf(
    page: Any, served: tuple[str, str], eob_json: Path
) -> None:
    _open(page, served)
    _scan(page, eob_json)
    with page.expect_download() as html_download:
        page.click("#download-report")
    html = Path(html_download.value.path()).read_text()
    assert html_download.value.suggested_filename == "eob-evidence-pack.html"
    assert "EOB evidence pack" in html and "ZZ-CLAIM-9001" in html and "<svg" in html
    with page.expect_download() as pdf_download:
        page.click("#download-pdf")
    reader = PdfReader(io.BytesIO(Path(pdf_download.value.path()).read_bytes()))
    assert "You are asked for more than the allowed amount leaves" in reader.pages[0].extract_text()


def test_the_page_is_usable_from_the_keyboard(page: Any, served: tuple[str, str], eob_json: Path) -> None:
    _open(page, served)
    assert (
        page.evaluate("[...document.querySelectorAll('[tabindex]')].filter(e => e.tabIndex > 0).length") == 0
    )
    order = []
    for _ in range(10):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate(
                "document.activeElement.tagName === 'SUMMARY' ? document.activeElement.parentElement.id"
                " : document.activeElement.id || document.activeElement.tagName"
            )
        )
    assert order.index("file-input") < order.index("plan-details") < order.index("bill-details")
    assert order.index("bill-details") < order.index("as-of") < order.index("scan-button")
    page.set_input_files("#file-input", str(eob_json))
    page.focus("#scan-button")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Scan finished").wait_for()
    assert page.evaluate("document.activeElement.id") == "results-heading"
    page.focus("article.finding[data-rule='INS001'] button.letter")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith("reprocessing_request.txt")


def test_every_control_is_labelled_and_text_has_enough_contrast(
    page: Any, served: tuple[str, str], eob_json: Path
) -> None:
    _open(page, served)
    _scan(page, eob_json)
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input, select, textarea')]
             .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))
             .map(e => e.id || e.name)"""
    )
    assert unlabelled == []
    worst = page.evaluate(
        """() => {
          const rgb = s => s.match(/[\\d.]+/g).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map(v => {
              v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
          const background = e => {
            for (; e; e = e.parentElement) {
              const c = rgb(getComputedStyle(e).backgroundColor);
              if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
            }
            return [255, 255, 255];
          };
          const ratios = [];
          for (const e of document.querySelectorAll('body *')) {
            const hasText = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (!e.offsetParent || !hasText) continue;
            const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
            ratios.push([(Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), e.tagName + '.' + e.className]);
          }
          ratios.sort((x, y) => x[0] - y[0]);
          return ratios[0];
        }"""
    )
    assert worst[0] >= 4.5, worst


def test_screenshot_of_the_results(page: Any, served: tuple[str, str], tmp_path: Path) -> None:
    """The README's picture; ``EOBSCAN_UPDATE_SCREENSHOT=1`` writes it to docs/img. The page must
    raise no error and no Content-Security-Policy violation on the way."""
    _open(page, served)
    page.fill("#as-of", AS_OF)
    _scan(page, _pdf_eob(tmp_path))
    target = SCREENSHOT if os.environ.get("EOBSCAN_UPDATE_SCREENSHOT") else tmp_path / "upload-page.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes().startswith(b"\x89PNG")
    assert page.problems == []


def test_plan_details_typed_in_the_form_reach_the_scan(
    page: Any, served: tuple[str, str], tmp_path: Path
) -> None:
    from scanner.engine import scan
    from scanner.model import decode_request
    from scanner.money import dollars

    scenario = (
        ROOT
        / "tests/scenarios/network_oop/16-charged-after-the-maximum-with-a-reprocessed-claim.request.json"
    )
    data = json.loads(scenario.read_text())
    plan = data.pop("plan")
    without_plan = tmp_path / "claims-only.json"
    without_plan.write_text(json.dumps(data))
    expected = scan(decode_request(json.dumps({**data, "plan": plan})))
    assert any(f.rule == "OOP001" for f in expected.findings)

    _open(page, served)
    page.fill("#as-of", data["as_of"])
    _scan(page, without_plan)
    assert page.locator("article.finding[data-rule='OOP001']").count() == 0

    page.click("#plan-details summary")
    page.fill("#plan-year-start", plan["plan_year_start"])
    page.fill("#plan-year-end", plan["plan_year_end"])
    page.fill("#deductible", plan["deductible_individual"])
    page.fill("#deductible-met", plan["deductible_met"])
    page.fill("#oop-max", plan["oop_max_individual"])
    page.fill("#oop-met", plan["oop_met"])
    page.fill("#coinsurance-in", str(plan["coinsurance_in_network"]))
    page.fill("#coinsurance-out", str(plan["coinsurance_out_of_network"]))
    page.click("#scan-button")
    page.locator("article.finding[data-rule='OOP001']").first.wait_for()
    shown = page.locator("article.finding[data-rule='OOP001']").count()
    assert shown == sum(1 for f in expected.findings if f.rule == "OOP001")
    assert page.text_content("[data-testid=at-stake]") == dollars(expected.summary.amount_at_stake)
    assert page.problems == []


# --- documents the parsers read: a FHIR ExplanationOfBenefit and a generated PDF -------------

_HL7 = "http://terminology.hl7.org/CodeSystem/adjudication"
_C4BB = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication"


def _adjudication(system: str, code: str, value: int) -> dict[str, Any]:
    return {
        "category": {"coding": [{"system": system, "code": code}]},
        "amount": {"value": value, "currency": "USD"},
    }


#: An invented CARIN-style professional EOB: allowed $150, plan paid $120, member owes $60.
FHIR_EOB: dict[str, Any] = {
    "resourceType": "ExplanationOfBenefit",
    "id": "zz-eob-1",
    "status": "active",
    "type": {
        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]
    },
    "use": "claim",
    "patient": {"reference": "Patient/zz-invented"},
    "created": "2026-03-20",
    "identifier": [
        {
            "type": {
                "coding": [
                    {"system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType", "code": "uc"}
                ]
            },
            "value": "ZZ-FHIR-7001",
        }
    ],
    "insurer": {"display": "Example Health Plan"},
    "provider": {"display": "Riverside Family Medicine"},
    "outcome": "complete",
    "billablePeriod": {"start": "2026-03-02", "end": "2026-03-02"},
    "insurance": [{"focal": True, "coverage": {"reference": "Coverage/zz-invented"}}],
    "item": [
        {
            "sequence": 1,
            "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "99214"}]},
            "servicedDate": "2026-03-02",
            "adjudication": [
                _adjudication(_HL7, "submitted", 240),
                _adjudication(_HL7, "eligible", 150),
                _adjudication(_HL7, "benefit", 120),
                _adjudication(_HL7, "coinsurance", 30),
                _adjudication(_C4BB, "memberliability", 60),
            ],
        }
    ],
}

AS_OF = "2026-04-01"


def _expected(document: bytes, name: str) -> Any:
    """What the engine finds in the document, read the way the service reads it."""
    from scanner.engine import scan
    from scanner.ingest import read_document
    from scanner.model import ScanRequest

    claims = read_document(document, name).claims
    return scan(ScanRequest(claims=claims, as_of=dt.date.fromisoformat(AS_OF)))


def _upload_and_check(page: Any, served: tuple[str, str], path: Path) -> Any:
    from scanner.money import dollars

    expected = _expected(path.read_bytes(), path.name)
    assert expected.findings, "the document is built to hold a finding"
    _open(page, served)
    page.fill("#as-of", AS_OF)
    _scan(page, path)
    for finding in expected.findings:
        line = finding.line_ids[0]
        box = page.locator(".line", has=page.locator("h4", has_text=f"Line {line} "))
        assert box.locator(f"article.finding[data-rule='{finding.rule}']").count() >= 1
    assert page.locator("article.finding").count() == len(expected.findings)
    assert page.text_content("[data-testid=at-stake]") == dollars(expected.summary.amount_at_stake)
    with page.expect_download() as download:
        page.locator("button.letter").first.click()
    letter = Path(download.value.path()).read_text()
    with page.expect_download() as ics:
        page.click("#download-ics")
    calendar = icalendar.Calendar.from_ical(Path(ics.value.path()).read_bytes())
    assert len(calendar.walk("VEVENT")) == len(expected.deadlines)
    assert page.problems == []
    return letter


def test_a_fhir_explanation_of_benefit_uploads_and_gives_letters(
    page: Any, served: tuple[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "eob.fhir.json"
    path.write_text(json.dumps(FHIR_EOB))
    letter = _upload_and_check(page, served, path)
    assert "ZZ-FHIR-7001" in letter and "$30.00" in letter


def _pdf_eob(folder: Path) -> Path:
    """An invented member statement in one of the PDF layouts the parsers read."""
    from tests.ingest.documents import Case, Line, member_statement
    from tests.ingest.documents import Claim as PrintedClaim

    day = dt.date(2026, 3, 2)
    lines = [
        Line(day, "99214", "Office visit, moderate", 24000, 9000, 15000, 12000, 0, 0, 3000, 0),
        Line(day, "93000", "Electrocardiogram", 18000, 0, 0, 0, 0, 0, 0, 18000, ("CO-50",), approved=False),
    ]
    printed = PrintedClaim(
        "ZZ-PDF-3003",
        "Riverside Family Medicine",
        "In-Network",
        dt.date(2026, 3, 5),
        dt.date(2026, 3, 20),
        lines,
    )
    path = folder / "eob.pdf"
    path.write_bytes(member_statement(Case("upload", "Example Mutual Health", [printed])))
    return path


def test_a_pdf_eob_uploads_and_gives_letters(page: Any, served: tuple[str, str], tmp_path: Path) -> None:
    letter = _upload_and_check(page, served, _pdf_eob(tmp_path))
    assert "ZZ-PDF-3003" in letter


def test_a_file_that_is_not_an_eob_is_explained_in_the_alert(
    page: Any, served: tuple[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "holiday.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    _open(page, served)
    page.set_input_files("#file-input", str(path))
    page.click("#scan-button")
    alert = page.get_by_role("alert")
    alert.filter(has_text=":").wait_for()
    assert page.is_hidden("#results")
    assert page.is_enabled("#scan-button")
    assert "holiday" not in alert.inner_text()  # the service never echoes what was sent


# --- the provider's bill, typed in next to the EOB ------------------------------------------


def _with_bill(document: Path, amount_due: int) -> Any:
    """What the engine finds in the document with a bill for its one claim asking ``amount_due``."""
    from scanner.engine import scan
    from scanner.ingest import read_document
    from scanner.model import Bill, ScanRequest
    from scanner.money import Money

    [claim] = read_document(document.read_bytes(), document.name).claims
    bill = Bill(id="bill-from-this-page", claim_id=claim.id, amount_due=Money(amount_due))
    return scan(ScanRequest(claims=[claim], bills=[bill], as_of=dt.date.fromisoformat(AS_OF)))


def _scan_with_bill(page: Any, served: tuple[str, str], document: Path, amount_due: str) -> None:
    _open(page, served)
    page.fill("#as-of", AS_OF)
    page.click("#bill-details summary")
    page.fill("#bill-due", amount_due)
    _scan(page, document)


def test_a_bill_typed_in_is_compared_with_the_pdf_eob(
    page: Any, served: tuple[str, str], tmp_path: Path
) -> None:
    from scanner.money import dollars

    document = _pdf_eob(tmp_path)  # the EOB says the patient owes $210.00 for its one claim
    expected = _with_bill(document, 460_00)
    [balance_bill] = [f for f in expected.findings if f.rule == "BAL001"]
    assert balance_bill.amount_at_stake == 250_00
    _scan_with_bill(page, served, document, "$460.00")
    shown = page.locator("article.finding[data-rule='BAL001']")
    assert shown.count() == 1
    assert "at stake $250.00" in shown.inner_text()
    assert page.locator("article.finding").count() == len(expected.findings)
    assert page.text_content("[data-testid=at-stake]") == dollars(expected.summary.amount_at_stake)
    with page.expect_download() as download:
        shown.locator("button.letter").first.click()
    letter = Path(download.value.path()).read_text()
    assert "ZZ-PDF-3003" in letter and "$460.00" in letter
    assert page.problems == []


def test_a_bill_that_asks_what_the_eob_says_adds_no_finding(
    page: Any, served: tuple[str, str], tmp_path: Path
) -> None:
    document = _pdf_eob(tmp_path)
    without_bill = _expected(document.read_bytes(), document.name)
    assert [f.rule for f in _with_bill(document, 210_00).findings] == [f.rule for f in without_bill.findings]
    _scan_with_bill(page, served, document, "210.00")
    assert page.locator("article.finding[data-rule^='BAL']").count() == 0
    assert page.locator("article.finding").count() == len(without_bill.findings)
    assert page.locator("#summary .notes").count() == 0
    assert page.problems == []


def test_a_bill_for_a_claim_not_in_the_file_is_said_to_be_unchecked(
    page: Any, served: tuple[str, str], eob_json: Path
) -> None:
    _open(page, served)
    page.click("#bill-details summary")
    page.fill("#bill-due", "500.00")
    page.fill("#bill-claim", "ZZ-NOT-IN-THE-FILE")
    _scan(page, eob_json)
    notes = page.locator("#summary .notes").inner_text()
    assert "was not compared with an EOB: no claim of the scan has the claim number it gives" in notes
    assert page.locator("article.finding[data-rule^='BAL']").count() == 0


def test_a_bill_without_its_amount_due_is_explained(
    page: Any, served: tuple[str, str], eob_json: Path
) -> None:
    _open(page, served)
    page.click("#bill-details summary")
    page.fill("#bill-paid", "20.00")
    page.set_input_files("#file-input", str(eob_json))
    page.click("#scan-button")
    page.get_by_role("alert").filter(has_text="amount due").wait_for()
    assert page.is_hidden("#results")


def _scan_with_statement(page: Any, served: tuple[str, str], folder: Path, er_adjustment: int) -> None:
    from tests.ingest import documents as docs
    from tests.ingest import statements as st

    eob, statement = folder / "eob.pdf", folder / "statement.pdf"
    eob.write_bytes(docs.member_statement(st.er_visit_eob()))
    statement.write_bytes(st.hospital_itemized(st.er_visit_statement(er_adjustment=er_adjustment)))
    _open(page, served)
    page.fill("#as-of", AS_OF)
    page.click("#bill-details summary")
    page.set_input_files("#bill-file", str(statement))
    _scan(page, eob)


def test_the_providers_statement_uploaded_with_the_eob_is_held_against_it(
    page: Any, served: tuple[str, str], tmp_path: Path
) -> None:
    """The hospital posted $400.00 of the $650.00 adjustment: it asks $250.00 the EOB does not."""
    _scan_with_statement(page, served, tmp_path, er_adjustment=40000)
    assert page.text_content("[data-testid=bill-read]") == (
        "The bill compared: Riverbend General Hospital, statement of April 15, 2026, amount due $508.00, "
        "2 itemized lines."
    )
    shown = page.locator("article.finding[data-rule='BAL001']")
    assert shown.count() == 1 and "at stake $250.00" in shown.inner_text()
    with page.expect_download() as download:
        shown.locator("button.letter").first.click()
    assert "EX-2026-000777" in Path(download.value.path()).read_text()
    assert page.problems == []


def test_a_statement_that_matches_the_eob_adds_no_finding(
    page: Any, served: tuple[str, str], tmp_path: Path
) -> None:
    _scan_with_statement(page, served, tmp_path, er_adjustment=65000)
    assert page.locator("article.finding[data-rule^='BAL']").count() == 0
    assert page.problems == []


STANDING_EOB = """Explanation of Benefits
Claim Number: 2026031500123
Provider: Riverbend Imaging Associates (In-Network)
Date of Service: 03/10/2026
Date Processed: 03/28/2026

Service Description          Date        Amount Billed   Allowed Amount   Plan Paid   Deductible   What You Owe
MRI brain w/o contrast 70551 03/10/2026  $2,450.00       $820.00          $0.00       $820.00      $820.00

Individual deductible: $1,500.00   Met so far: $1,500.00
Out-of-pocket maximum: $4,000.00   Met so far: $3,060.00
"""


def test_the_plans_standing_printed_on_the_eob_is_shown_as_read(
    page: Any, served: tuple[str, str], tmp_path: Path
) -> None:
    eob = tmp_path / "eob.txt"
    eob.write_text(STANDING_EOB)
    _open(page, served)
    page.fill("#as-of", AS_OF)
    _scan(page, eob)
    assert page.text_content("[data-testid=standing-read]") == (
        "Your plan's standing the EOB printed on March 28, 2026: deductible $1,500.00 of $1,500.00 met; "
        "out-of-pocket maximum $3,060.00 of $4,000.00 met."
    )
    assert page.problems == []
