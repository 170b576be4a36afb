"""Whatever a claim holds (braces, markup, control characters, dates at the calendar's end), the
letters, the calendar and the pack still come out, and the data cannot write into a template."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
from litestar.testing import TestClient
from pypdf import PdfReader

from scanner.actions.calendar import to_ics
from scanner.actions.letters import render
from scanner.actions.schedule import deadlines_from
from scanner.model import Action, DeadlineItem, Finding, Party
from scanner.money import Money
from scanner.plugins import load_registry
from scanner.service.app import create_app
from scanner.settings import Settings
from scanner.testing import make_claim, make_line

HOSTILE = "名前 😀 \x00\x07 {foo} {{cite:nsa-emergency}} {{date}} <b>&amp; \u202e"
TOKEN = "hostile-input-token-0123456789"


def _finding(claim_id: str) -> Finding:
    return Finding(
        rule="INS001",
        name="probe",
        check="probe",
        error_class="insurer_processing",
        severity="error",
        confidence="high",
        title=HOSTILE,
        message=HOSTILE,
        claim_id=claim_id,
        line_ids=["1"],
        amount_at_stake=Money(3000),
        actions=[
            Action(kind="appeal_internal", who="insurer", summary=HOSTILE, template="reprocessing_request")
        ],
    )


def test_data_cannot_open_a_placeholder_or_cite_through_a_letter() -> None:
    claim = make_claim(
        "c-1",
        payer=HOSTILE,
        claim_number=HOSTILE,
        provider=Party(name=HOSTILE),
        lines=[make_line("1", code="99214")],
    )
    letter = render("reprocessing_request", _finding("c-1"), claim, as_of=dt.date(2026, 11, 26))
    assert "((cite:nsa-emergency))" in letter.text and "((date))" in letter.text and "(foo)" in letter.text
    assert "45 CFR 149.410" not in letter.text  # only the template's own citations
    assert "foo" not in letter.placeholders


def test_dates_at_the_end_of_the_calendar_do_not_break_a_scan() -> None:
    claim = make_claim(
        "c-1", processed_date=dt.date(9999, 12, 30), lines=[make_line("1", service_date=dt.date(9999, 12, 1))]
    )
    undated = _finding("c-1")
    assert deadlines_from([undated], [claim]) == []  # 180 days later is past year 9999
    letter = render("appeal_internal_level1", undated, claim, as_of=dt.date(9999, 12, 31))
    assert "The deadline for this appeal is 180 days from your decision." in letter.text


def test_the_calendar_drops_control_characters_and_handles_the_last_day() -> None:
    item = DeadlineItem(title=HOSTILE, due=dt.date.max, claim_id=HOSTILE, rule="INS001", kind="negotiate")
    calendar = icalendar.Calendar.from_ical(to_ics([item]))
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == dt.date.max
    assert "DTEND" not in event
    assert "\x00" not in str(event["SUMMARY"]) and "{{cite:nsa-emergency}}" in str(event["SUMMARY"])


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Any]]:
    app = create_app(Settings(token=TOKEN, port=8765), load_registry({"EOBSCAN_PLUGINS": ""}))
    with TestClient(app, base_url="http://127.0.0.1:8765") as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/v1/actions", None),
        ("/v1/calendar", None),
        ("/v1/report", "text/html"),
        ("/v1/report", "application/pdf"),
    ],
)
def test_the_routes_answer_a_hostile_request(client: TestClient[Any], path: str, accept: str | None) -> None:
    hostile = HOSTILE.replace("\x00", "")  # JSON strings may carry it escaped; keep it plain here
    body = {
        "as_of": "9999-12-31",
        "claims": [
            {
                "id": hostile,
                "claim_number": hostile,
                "payer": hostile,
                "provider": {"name": hostile},
                "processed_date": "9999-12-30",
                "lines": [
                    {
                        "id": hostile,
                        "code": hostile,
                        "description": hostile,
                        "service_date": "9999-12-01",
                        "allowed": "150.00",
                        "plan_paid": "120.00",
                        "patient_responsibility": "60.00",
                    }
                ],
            }
        ],
    }
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    if accept:
        headers["Accept"] = accept
    response = client.post(path, content=json.dumps(body), headers=headers)
    assert response.status_code == 200
    if accept == "application/pdf":
        assert PdfReader(io.BytesIO(response.content)).pages
    if accept == "text/html":
        assert "<b>" not in response.text
