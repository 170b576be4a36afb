"""A line dated over several days ("03/02/2026 - 03/05/2026") keeps its first day as its date, and
its claim runs to the last day any line covers.

A hospital's statement prints a stay's room and board, pharmacy and the like each over the whole
stay. Read as its first day only, a four-day stay became one day, and the inpatient copay check,
which counts the days of the stay, called a copay charged per day an error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from scanner.engine import scan
from scanner.ingest import read_document
from scanner.model import Claim, ScanRequest
from scanner.money import parse_money
from scanner.testing import make_plan, only

from . import documents as docs

ADMITTED = dt.date(2026, 3, 2)
DISCHARGED = dt.date(2026, 3, 5)


def _stay_line(
    code: str, description: str, billed: str, allowed: str, copay: str, **dates: dt.date
) -> docs.Line:
    cents = {
        name: parse_money(value)
        for name, value in (("billed", billed), ("allowed", allowed), ("copay", copay))
    }
    return docs.Line(
        dates.get("start", ADMITTED),
        code,
        description,
        cents["billed"],
        cents["billed"] - cents["allowed"],
        cents["allowed"],
        cents["allowed"] - cents["copay"],
        0,
        cents["copay"],
        0,
        0,
        end_date=dates.get("end", DISCHARGED),
    )


def _stay(*lines: docs.Line) -> docs.Case:
    claim = docs.Claim(
        "EOB-2026-000901",
        "Riverbend General Hospital",
        "In-Network",
        DISCHARGED + dt.timedelta(days=6),
        DISCHARGED + dt.timedelta(days=20),
        list(lines),
        place_of_service="21 - Inpatient Hospital",
    )
    return docs.Case("stay", "Example Mutual Health", [claim])


#: Three $500.00 inpatient copays on a stay from 03/02 to 03/05: no more copays than days.
STAY = _stay(
    _stay_line("0120", "Room and board", "8400.00", "3200.00", "1500.00"),
    _stay_line("0250", "Pharmacy", "1250.00", "400.00", "0.00"),
)


def _pdf(case: docs.Case) -> Claim:
    [claim] = read_document(
        docs.member_statement(case, columns=docs.STAY_STATEMENT_COLUMNS), "stay.pdf"
    ).claims
    return claim


def _dates(claim: Claim) -> tuple[object, ...]:
    return (claim.service_start, claim.service_end, [line.service_date for line in claim.lines])


def test_a_pdf_stays_lines_keep_their_first_day_and_the_claim_ends_on_the_last() -> None:
    claim = _pdf(STAY)
    assert _dates(claim) == (ADMITTED, DISCHARGED, [ADMITTED, ADMITTED])
    assert [line.description for line in claim.lines] == ["Room and board", "Pharmacy"]
    assert claim.place_of_service == "21"


def test_the_claim_ends_on_the_latest_day_of_any_line() -> None:
    case = _stay(
        _stay_line("0120", "Room and board", "4200.00", "1600.00", "500.00", end=dt.date(2026, 3, 3)),
        _stay_line("0120", "Room and board", "4200.00", "1600.00", "500.00", start=dt.date(2026, 3, 4)),
        _stay_line("0250", "Pharmacy", "1250.00", "400.00", "0.00", end=dt.date(2026, 3, 4)),
    )
    claim = _pdf(case)
    assert _dates(claim) == (ADMITTED, DISCHARGED, [ADMITTED, dt.date(2026, 3, 4), ADMITTED])


@pytest.mark.parametrize("joiner", [" - ", "-", " to ", " thru "])
def test_a_text_tables_ranges_are_read_however_they_are_joined(joiner: str) -> None:
    [claim] = read_document(docs.text_table(STAY, joiner=joiner).encode()).claims
    assert _dates(claim) == (ADMITTED, DISCHARGED, [ADMITTED, ADMITTED])
    assert [line.description for line in claim.lines] == ["Room and board", "Pharmacy"]


def test_a_single_spaced_text_line_with_a_range_keeps_a_clean_description() -> None:
    text = (
        "Claim Number: EX-2026-0902   Provider: Riverbend General Hospital\n"
        "Dates Service Code Amount Billed Allowed Plan Paid You Owe\n"
        "3/2/2026 to 3/5/2026 Hospital care 99233 $1,400.00 $600.00 $480.00 $120.00\n"
    )
    [claim] = read_document(text.encode()).claims
    [line] = claim.lines
    assert (claim.service_start, claim.service_end, line.service_date) == (ADMITTED, DISCHARGED, ADMITTED)
    assert (line.code, line.description) == ("99233", "Hospital care")


@pytest.mark.parametrize("printed", ["03/02/26-03/05/26", "2026-03-02 - 2026-03-05", "03/02-03/05/2026"])
def test_a_csv_date_of_service_cell_with_a_range(printed: str) -> None:
    text = (
        "Claim Number,Date of Service,Provider,Code,Billed,Allowed,Plan Paid,You Owe\n"
        f"EX-2026-0903,{printed},Riverbend General Hospital,0120,$8400.00,$3200.00,$1700.00,$1500.00\n"
        "EX-2026-0903,03/02/2026,Riverbend General Hospital,0250,$1250.00,$400.00,$400.00,$0.00\n"
    )
    [claim] = read_document(text.encode(), "claims.csv").claims
    assert _dates(claim) == (ADMITTED, DISCHARGED, [ADMITTED, ADMITTED])


def test_a_printed_date_of_service_is_widened_by_a_line_that_runs_past_it() -> None:
    """ "Date of Service: 03/02/2026" above a line covering 03/02 to 03/05: the stay is four days."""
    text = (
        "Claim Number: EX-2026-0904\nProvider: Riverbend General Hospital\nDate of Service: 03/02/2026\n"
        "Dates  Service  Code  Amount Billed  Allowed  Plan Paid  You Owe\n"
        "03/02/2026 - 03/05/2026  Room and board  0120  $8,400.00  $3,200.00  $1,700.00  $1,500.00\n"
        "  Pharmacy  0250  $1,250.00  $400.00  $400.00  $0.00\n"
    )
    [claim] = read_document(text.encode()).claims
    assert (claim.service_start, claim.service_end) == (ADMITTED, DISCHARGED)
    assert [line.service_date for line in claim.lines] == [ADMITTED, ADMITTED]


# --- the inpatient copay per day (INS008) ---------------------------------------------------------

PLAN = make_plan(copays={"inpatient": "500.00"})


def test_a_stay_read_from_a_pdf_charged_a_copay_per_day_is_only_worth_checking() -> None:
    """$1,500.00 is three $500.00 copays on a stay from 03/02 to 03/05: the plan may charge the
    inpatient copay per day. Read as one day, this was an error with $1,000.00 at stake."""
    claim = _pdf(STAY)
    finding = only(scan(ScanRequest(claims=[claim], plan=PLAN)).findings, "INS008")
    assert (finding.severity, finding.confidence) == ("warning", "low")
    assert "per day" in finding.message


def test_a_stay_read_from_a_pdf_charged_more_copays_than_it_had_days_is_an_error() -> None:
    """Five $500.00 copays on the same four-day stay: $2,000.00 more than the plan's copay."""
    too_many = _stay(
        _stay_line("0120", "Room and board", "8400.00", "3200.00", "2500.00"),
        _stay_line("0250", "Pharmacy", "1250.00", "400.00", "0.00"),
    )
    finding = only(scan(ScanRequest(claims=[_pdf(too_many)], plan=PLAN)).findings, "INS008")
    assert (finding.severity, finding.amount_at_stake) == ("error", parse_money("2000.00"))


def test_a_one_day_stay_charged_three_copays_is_still_an_error() -> None:
    one_day = _stay(
        dataclasses.replace(
            _stay_line("0120", "Room and board", "8400.00", "3200.00", "1500.00"), end_date=None
        ),
    )
    claim = _pdf(one_day)
    assert (claim.service_start, claim.service_end) == (ADMITTED, ADMITTED)
    finding = only(scan(ScanRequest(claims=[claim], plan=PLAN)).findings, "INS008")
    assert (finding.severity, finding.amount_at_stake) == ("error", parse_money("1000.00"))
