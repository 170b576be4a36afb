"""The deadlines as an iCalendar file (RFC 5545) a patient imports into any calendar.

Each deadline is an all-day event on its due date with a display alarm a week before. UIDs are
derived from the deadline itself, so importing the same scan twice updates the events instead of
duplicating them. The text says what to do and for which claim id and rule; it carries no names,
member ids or claim numbers, because calendars are often synced to someone else's server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence

from scanner.model import DeadlineItem

PRODID = "-//EOB Scanner//Deadlines//EN"
REMINDER_DAYS = 7
_MAX_OCTETS = 75


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 section 3.3.11); control characters, which TEXT may not
    hold, are dropped."""
    return (
        _CONTROL.sub("", value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (section 3.1)."""
    out: list[str] = []
    current, size, limit = "", 0, _MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, _MAX_OCTETS - 1
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def uid(item: DeadlineItem) -> str:
    digest = hashlib.sha256(
        "|".join((item.claim_id, item.rule, item.kind, item.due.isoformat())).encode()
    ).hexdigest()
    return f"{digest[:32]}@eobscan.local"


def event_lines(
    item: DeadlineItem, stamp: dt.datetime, details: str | None = None, days_before: int = REMINDER_DAYS
) -> list[str]:
    description = f"Claim {item.claim_id}, rule {item.rule}."
    if details:
        description = f"{details}\n\n{description}"
    return [
        "BEGIN:VEVENT",
        f"UID:{uid(item)}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{item.due:%Y%m%d}",
        *_end(item.due),
        f"SUMMARY:{escape_text('Deadline: ' + item.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        "TRANSP:TRANSPARENT",
        "CATEGORIES:EOB Scanner",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"TRIGGER;RELATED=START:-P{days_before}D",
        f"DESCRIPTION:{escape_text(f'In {days_before} days: {item.title}')}",
        "END:VALARM",
        "END:VEVENT",
    ]


def _end(due: dt.date) -> list[str]:
    """DTEND is the next day; on the calendar's last day it is left out, which RFC 5545 reads as
    a one-day event all the same."""
    if due == dt.date.max:
        return []
    return [f"DTEND;VALUE=DATE:{due + dt.timedelta(days=1):%Y%m%d}"]


def to_ics(
    deadlines: Iterable[DeadlineItem],
    *,
    stamp: dt.datetime | None = None,
    details: Sequence[str | None] | None = None,
) -> str:
    """The calendar, CRLF line endings, every line folded. ``stamp`` is the creation time in UTC
    (fixed in tests); ``details`` gives each deadline a longer description, in order."""
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    items = list(deadlines)
    extra = list(details) if details is not None else [None] * len(items)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:EOB deadlines",
    ]
    for item, more in zip(items, extra, strict=True):
        lines += event_lines(item, stamp, more)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
