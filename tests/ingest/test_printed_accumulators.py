"""The plan's standing printed on an EOB ("Deductible: $620.00 of $1,500.00 met") is read as the
insurer's figures, in every way EOBs print it, and never taken for a service line."""

from __future__ import annotations

import datetime as dt

import pytest

from scanner.ingest.printed_accumulators import StandingReader, standing_of, with_standing
from scanner.ingest.text import read_text
from scanner.model import PRINTED_ACCUMULATOR_FIELDS
from scanner.testing import make_claim, money


def _read(*rows: str) -> dict[str, int]:
    reader = StandingReader()
    assert all(reader.read(row) for row in rows)
    standing = standing_of(reader, None)
    assert standing is not None
    figures = {name: getattr(standing, name) for name in PRINTED_ACCUMULATOR_FIELDS}
    return {name: value for name, value in figures.items() if value is not None}


INDIVIDUAL = {"deductible": 150000, "deductible_met": 62000, "oop_max": 400000, "oop_met": 110000}


@pytest.mark.parametrize(
    "rows",
    [
        [
            "Individual deductible: $1,500.00",
            "Deductible met: $620.00",
            "Out-of-pocket maximum: $4,000.00",
            "Out-of-pocket met: $1,100.00",
        ],
        [
            "Individual deductible: $1,500.00   Met so far: $620.00",
            "Out-of-pocket maximum $4,000.00 Met $1,100.00",
        ],
        [
            # The figure named only by its kind, beside what is met of it, is the limit.
            "Your plan year deductible: $1,500.00     Met so far: $620.00",
            "Out-of-pocket maximum: $4,000.00  Met: $1,100.00",
        ],
        [
            "Deductible: $620.00 of $1,500.00 met",
            "You have met $1,100.00 of your $4,000.00 out-of-pocket maximum",
        ],
        [
            "Deductible  $620.00 of $1,500.00 met",
            "Out-of-pocket maximum: $1,100.00 met / $4,000.00",
        ],
        [
            "Deductible remaining: $880.00",
            "Individual deductible $1,500.00",
            "Out-of-pocket limit $4,000.00",
            "$2,900.00 remaining of your out-of-pocket maximum",
        ],
        [
            "               Limit        Met        Remaining",
            "Deductible     $1,500.00    $620.00    $880.00",
            "Out-of-pocket max  $4,000.00  $1,100.00  $2,900.00",
        ],
        [
            "              Deductible     Out-of-Pocket",
            "Annual limit  $1,500.00   $4,000.00",
            "Met to date   $620.00   $1,100.00",
        ],
        [
            "                         In-network   Out-of-network",
            "Deductible               $1,500.00    $3,000.00",
            "Met so far               $620.00      $0.00",
            "Out-of-pocket maximum    $4,000.00    $8,000.00",
            "Met so far               $1,100.00    $0.00",
        ],
    ],
    ids=[
        "one per row",
        "limit and met on a row",
        "limit named by its kind, met by its role",
        "x of y",
        "x met / y",
        "remaining",
        "table",
        "table on its side",
        "one column per network",
    ],
)
def test_the_standing_is_read_however_the_eob_prints_it(rows: list[str]) -> None:
    assert _read(*rows) == INDIVIDUAL


def test_a_role_printed_after_its_amount_wins_over_the_label_before_it() -> None:
    assert _read("Out-of-pocket maximum: $1,100.00 met", "Individual deductible $620.00 met so far") == {
        "oop_met": 110000,
        "deductible_met": 62000,
    }


def test_the_familys_figures_are_kept_apart_from_the_members() -> None:
    assert _read(
        "Family deductible: $3,000.00 Met so far: $900.00", "Family out-of-pocket met: $2,000.00"
    ) == {"family_deductible": 300000, "family_deductible_met": 90000, "family_oop_met": 200000}


@pytest.mark.parametrize(
    ("row", "figures"),
    [
        (
            "Individual deductible: $150.00 \u00b7 Family deductible: $300.00",
            {"deductible": 15000, "family_deductible": 30000},
        ),
        (
            "Individual deductible: $150.00   Family deductible: $300.00",
            {"deductible": 15000, "family_deductible": 30000},
        ),
        (
            "Individual deductible: $150.00 | Family: $300.00",
            {"deductible": 15000, "family_deductible": 30000},
        ),
        (
            "Deductible: $1,500.00 individual / $3,000.00 family",
            {"deductible": 150000, "family_deductible": 300000},
        ),
        (
            "Individual deductible: $150.00 of $500.00 met \u00b7 Family deductible: $300.00 of $1,000.00 met",
            {
                "deductible": 50000,
                "deductible_met": 15000,
                "family_deductible": 100000,
                "family_deductible_met": 30000,
            },
        ),
        (
            "Deductible: $500.00 met   Out-of-pocket maximum: $1,000.00 met",
            {"deductible_met": 50000, "oop_met": 100000},
        ),
    ],
)
def test_a_row_of_the_individuals_and_the_familys_figures_reads_each_after_its_own_label(
    row: str, figures: dict[str, int]
) -> None:
    """The family word anywhere in the row made every figure the family's: the individual's
    $150.00 deductible was read as the family's, and the family's $300.00 was lost."""
    assert _read(row) == figures


@pytest.mark.parametrize(
    "row",
    [
        "Individual deductible: $1,500.00   Met so far: $620.00",
        "You have met $1,100.00 of your $4,000.00 out-of-pocket maximum",
        "Family deductible: $3,000.00 Met so far: $900.00",
    ],
)
def test_a_row_of_one_figure_and_what_is_met_of_it_stays_one_part(row: str) -> None:
    """The twin: a role or a kind printed after the figures begins no part of its own."""
    reader = StandingReader()
    assert reader.read(row)
    assert len(reader.figures) == 2


@pytest.mark.parametrize(
    "row",
    [
        "Deductible: $20.00",  # a line's or a claim's own deductible
        "Applied to deductible $20.00",
        "Amount applied to your out-of-pocket maximum: $20.00",  # what one claim added
        "Out-of-network deductible: $0.00 of $3,000.00",  # limits the replay does not use
        "Deductible: $0.00  Plan Paid: $100.00",  # another field beside it
        "99214 Office visit $150.00 $30.00",
        "Deductible met / remaining: $620.00 / $880.00",  # which is which cannot be told
    ],
)
def test_a_row_that_is_not_the_plans_standing_is_left_to_the_other_readers(row: str) -> None:
    reader = StandingReader()
    assert not reader.read(row)
    assert standing_of(reader, None) is None


def test_a_printed_date_beside_the_standing_dates_it() -> None:
    reader = StandingReader()
    assert reader.read("Family out-of-pocket met as of 03/28/2026: $2,000.00")
    standing = standing_of(reader, dt.date(2026, 4, 2))
    assert standing is not None and standing.as_of == dt.date(2026, 3, 28)


EOB = """Explanation of Benefits
Claim Number: 2026031500123
Provider: Riverbend Imaging Associates (In-Network)
Date of Service: 03/10/2026
Date Processed: 03/28/2026

Service Description          Date        Amount Billed   Allowed Amount   Plan Paid   Deductible   What You Owe
MRI brain w/o contrast 70551 03/10/2026  $2,450.00       $820.00          $0.00       $820.00      $820.00

Your deductible: $1,500.00 individual. Met so far: $1,500.00
Out-of-pocket maximum: $4,000.00. Met so far: $3,060.00
"""


def test_a_pasted_eob_keeps_its_standing_dated_by_its_processing_and_no_line_of_it() -> None:
    """The standing used to refuse the whole EOB ("the 'deductible' amount is not readable")."""
    [claim], _ = read_text(EOB)
    assert [line.code for line in claim.lines] == ["70551"]
    assert claim.accumulators is not None
    assert claim.accumulators.as_of == dt.date(2026, 3, 28)
    assert (claim.accumulators.deductible, claim.accumulators.deductible_met) == (
        money("1500.00"),
        money("1500.00"),
    )
    assert (claim.accumulators.oop_max, claim.accumulators.oop_met) == (money("4000.00"), money("3060.00"))


def test_a_standing_rows_under_a_table_are_no_unreadable_lines() -> None:
    text = EOB.replace(
        "Your deductible: $1,500.00 individual. Met so far: $1,500.00\n",
        "Individual deductible: $1,500.00\nDeductible met: $1,500.00\n",
    )
    [claim], notes = read_text(text)
    assert notes == [] and [line.code for line in claim.lines] == ["70551"]
    assert claim.accumulators is not None and claim.accumulators.deductible_met == money("1500.00")


def test_a_standing_in_one_column_per_network_is_no_service_line() -> None:
    """Printed "In-network  Out-of-network" with the figures down, its rows used to become four
    phantom service lines of thousands of dollars under the claim's table. The date printed
    over it dates it: an earlier date would floor claims the figure already counts."""
    text = EOB.replace(
        "Your deductible: $1,500.00 individual. Met so far: $1,500.00\n"
        "Out-of-pocket maximum: $4,000.00. Met so far: $3,060.00\n",
        "Your account summary (as of 04/30/2026)\n"
        "                         In-network   Out-of-network\n"
        "Deductible               $1,500.00    $3,000.00\n"
        "Met so far               $1,500.00    $0.00\n"
        "Out-of-pocket maximum    $4,000.00    $8,000.00\n"
        "Met so far               $3,060.00    $0.00\n",
    )
    [claim], notes = read_text(text)
    assert notes == [] and [line.code for line in claim.lines] == ["70551"]
    assert claim.accumulators is not None
    assert claim.accumulators.as_of == dt.date(2026, 4, 30)
    assert (claim.accumulators.deductible, claim.accumulators.deductible_met) == (money("1500.00"),) * 2
    assert (claim.accumulators.oop_max, claim.accumulators.oop_met) == (money("4000.00"), money("3060.00"))


def test_on_an_eob_of_several_members_only_the_familys_met_figures_are_kept() -> None:
    """Whose "met so far" an individual figure is cannot be told: it is left out, the limits kept."""
    reader = StandingReader()
    assert reader.read("Out-of-pocket maximum: $4,000.00. Met so far: $3,060.00")
    assert reader.read("Family out-of-pocket met: $5,000.00")
    claims = [make_claim("a", member="self"), make_claim("b", member="spouse")]
    first, last = with_standing(claims, reader)
    assert first.accumulators is None and last.accumulators is not None
    assert (last.accumulators.oop_max, last.accumulators.oop_met) == (money("4000.00"), None)
    assert last.accumulators.family_oop_met == money("5000.00")
