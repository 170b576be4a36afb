"""The .ics export: RFC 5545 as a real parser reads it, with a reminder a week before each date."""

from __future__ import annotations

import datetime as dt

import icalendar

from scanner.actions.calendar import escape_text, fold, to_ics, uid
from scanner.model import DeadlineItem

STAMP = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def _items() -> list[DeadlineItem]:
    return [
        DeadlineItem(
            title="File an internal appeal",
            due=dt.date(2028, 2, 29),
            claim_id="c-1",
            rule="DEN001",
            kind="appeal_internal",
        ),
        DeadlineItem(
            title="Apply for the hospital's financial assistance; bring income proof, tax return",
            due=dt.date(2027, 4, 29),
            claim_id="c-2",
            rule="BAL004",
            kind="apply_financial_assistance",
        ),
    ]


def _parse(text: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(text)
    for component in calendar.walk():
        assert not component.errors, component.errors
    return calendar


def test_each_deadline_is_an_all_day_event_with_a_reminder_a_week_before() -> None:
    calendar = _parse(to_ics(_items(), stamp=STAMP))
    assert calendar["VERSION"] == "2.0"
    assert str(calendar["PRODID"]) == "-//EOB Scanner//Deadlines//EN"
    events = calendar.walk("VEVENT")
    assert [e.decoded("DTSTART") for e in events] == [dt.date(2028, 2, 29), dt.date(2027, 4, 29)]
    assert [e.decoded("DTEND") for e in events] == [dt.date(2028, 3, 1), dt.date(2027, 4, 30)]
    assert str(events[0]["SUMMARY"]) == "Deadline: File an internal appeal"
    assert str(events[1]["SUMMARY"]) == (
        "Deadline: Apply for the hospital's financial assistance; bring income proof, tax return"
    )
    assert events[0].decoded("DTSTAMP") == STAMP
    for event in events:
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER") == dt.timedelta(days=-7)
        assert alarms[0]["TRIGGER"].params.get("RELATED", "START") == "START"


def test_reimporting_the_same_scan_updates_the_same_events() -> None:
    first = _parse(to_ics(_items(), stamp=STAMP)).walk("VEVENT")
    again = _parse(to_ics(_items(), stamp=STAMP + dt.timedelta(days=3))).walk("VEVENT")
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in again]
    assert len({str(e["UID"]) for e in first}) == 2
    assert str(first[0]["UID"]) == uid(_items()[0])


def test_lines_end_in_crlf_and_are_folded_at_75_octets() -> None:
    long_details = "Call the insurer — ask for the reference number. " * 8
    text = to_ics(_items(), stamp=STAMP, details=[long_details, None])
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    event = _parse(text).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == f"{long_details}\n\nClaim c-1, rule DEN001."


def test_text_is_escaped_and_round_trips() -> None:
    raw = 'Semi; comma, back\\slash and\nnew line "quoted"'
    assert escape_text(raw) == 'Semi\\; comma\\, back\\\\slash and\\nnew line "quoted"'
    item = DeadlineItem(title=raw, due=dt.date(2026, 12, 1), claim_id="c", rule="R", kind="negotiate")
    event = _parse(to_ics([item], stamp=STAMP)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Deadline: " + raw


def test_folding_never_splits_a_multibyte_character() -> None:
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    for part in folded.split("\r\n"):
        part.encode("utf-8").decode("utf-8")
        assert len(part.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line


def test_an_empty_scan_is_still_a_valid_calendar() -> None:
    calendar = _parse(to_ics([], stamp=STAMP))
    assert calendar.walk("VEVENT") == []


def test_the_calendar_names_no_claim_number_or_person() -> None:
    text = to_ics(_items(), stamp=STAMP)
    assert "{" not in text
    assert "claim_number" not in text
