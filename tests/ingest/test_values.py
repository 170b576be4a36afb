"""Reading printed values shared by every reader: a network status after a name, service codes with
their modifiers, amount tokens, dates and ranges of dates, NPIs."""

from __future__ import annotations

import datetime as dt

import pytest

from scanner.ingest.values import (
    NpiError,
    claim_number_of,
    code_alone,
    find_coded,
    find_dates,
    is_amount,
    is_valid_npi,
    parse_network,
    read_amount,
    read_npi,
    split_network_note,
    without_dates,
)

#: (printed, name kept, network); the browser tests run the same table through the extension.
NAMES_WITH_A_STATUS = [
    ("Example Clinic (In-Network)", "Example Clinic", "in"),
    ("Example Clinic [Out of Network]", "Example Clinic", "out"),
    ("Example Lab - Non-Participating Provider", "Example Lab", "out"),
    ("Example Lab, Participating", "Example Lab", "in"),
    ("Example Clinic (Non-Par)", "Example Clinic", "out"),
    ("Example Clinic (OON)", "Example Clinic", "out"),
    ("Example Clinic: in network", "Example Clinic", "in"),
    ("Example Group - North - Out-of-Network", "Example Group - North", "out"),
    # Clean twins: a status word inside a name, a bracket that is not a status, a bare status.
    ("Example Network Clinic", "Example Network Clinic", None),
    (
        "Pain Management - Participating Physicians Group",
        "Pain Management - Participating Physicians Group",
        None,
    ),
    ("Example Clinic (Suite 200)", "Example Clinic (Suite 200)", None),
    ("In-Network", "In-Network", None),
]


@pytest.mark.parametrize(("printed", "name", "network"), NAMES_WITH_A_STATUS)
def test_a_whole_status_phrase_after_a_name_is_the_network(
    printed: str, name: str, network: str | None
) -> None:
    assert split_network_note(printed) == (name, network)


@pytest.mark.parametrize(
    ("token", "amount"),
    [
        ("(12.00)", True),
        ("($45)", True),
        ("(1,234)", True),
        ("$0", True),
        # A service code printed after its description is not a negative amount.
        ("(99285)", False),
        ("(45)", False),
        ("99285", False),
    ],
)
def test_a_bracketed_number_is_an_amount_only_with_a_dollar_sign_cents_or_thousands(
    token: str, amount: bool
) -> None:
    assert is_amount(token) is amount


#: (a code cell, code, modifiers); the browser tests run the same table through the extension.
CODE_CELLS = [
    ("45385-PT", "45385", ["PT"]),
    ("99213-25-59", "99213", ["25", "59"]),
    ("99213 25, 59", "99213", ["25", "59"]),
    ("45378 33", "45378", ["33"]),
    ("CPT 99396", "99396", []),
    ("G0121", "G0121", []),
    # Clean twin: a drug's NDC has hyphens but no modifiers.
    ("12345-6789-01", "12345-6789-01", []),
]


@pytest.mark.parametrize(("cell", "code", "modifiers"), CODE_CELLS)
def test_a_code_cell_gives_the_code_and_its_modifiers(cell: str, code: str, modifiers: list[str]) -> None:
    found = find_coded(cell, cell=True)
    assert found is not None
    assert (found[0], found[2]) == (code, modifiers)


@pytest.mark.parametrize(
    ("description", "code", "modifiers"),
    [
        ("Colonoscopy w/ polyp removal 45385-PT", "45385", ["PT"]),
        ("Office visit (99213-25)", "99213", ["25"]),
        # In a description only a hyphen joins a modifier: "25" here is a count, not a modifier.
        ("Office visit 99213 25 minutes", "99213", []),
        # A ZIP+4 code is not a service code.
        ("Example Lab, Springfield 62704-1234", None, None),
    ],
)
def test_a_description_gives_a_code_with_only_its_hyphen_joined_modifiers(
    description: str, code: str | None, modifiers: list[str] | None
) -> None:
    found = find_coded(description)
    read = (found[0], found[2]) if found else (None, None)
    assert read == (code, modifiers)


#: (a network cell or value, network); the browser tests run the same table through the extension.
NETWORK_TEXTS = [
    ("In-Network", "in"),
    ("IN NETWORK", "in"),
    ("In network (Tier 2)", "in"),
    ("Participating", "in"),
    ("PAR", "in"),
    ("Par provider", "in"),
    ("Preferred", "in"),
    ("Contracted", "in"),
    ("Tier 1", "in"),
    ("PPO network", "in"),
    ("Yes", "in"),  # an "In network?" column
    ("Out-of-Network", "out"),
    ("OON", "out"),
    ("Non-participating", "out"),
    ("Nonparticipating", "out"),
    ("Non-Par", "out"),
    ("Non-contracted", "out"),
    ("Not in network", "out"),
    ("Non-network", "out"),
    ("No", "out"),
    # A network column of codes: a whole cell only.
    ("In", "in"),
    ("IN", "in"),
    ("Y", "in"),
    ("Out", "out"),
    ("N", "out"),
    # Clean twins: words that begin like a status but say nothing of the network.
    ("Inpatient", None),
    ("Outpatient", None),
    ("Information not available", None),
    ("Pending", None),
    ("N/A", None),
    ("In progress", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "network"), NETWORK_TEXTS)
def test_a_network_status_is_read_from_its_whole_words(text: str, network: str | None) -> None:
    assert parse_network(text) == network


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("EX-2026-0412", "EX-2026-0412"),
        ("#A1 Date Received 03/09/2026", "A1"),
        ("2026 0302 1111 00", "2026 0302 1111 00"),
        ("123456 Received", "123456"),
        ("", ""),
    ],
)
def test_a_claim_number_is_its_first_word_or_its_spaced_digit_groups(text: str, number: str) -> None:
    assert claim_number_of(text) == number


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        (" (70551)", "70551"),
        ("70551", "70551"),
        ("(J1100)", "J1100"),
        ("(0521F)", "0521F"),
        ("(70551-26)", "70551-26"),
        ("(1234)", None),
        ("Page 2", None),
        ("(70551", None),
        ("70551 MRI brain", None),
        ("123456", None),
        ("($70.55)", None),
    ],
)
def test_a_row_of_only_a_service_code_gives_its_code_cell(text: str, cell: str | None) -> None:
    assert code_alone(text) == cell


@pytest.mark.parametrize(
    ("text", "cents"), [("$28.00*", 2800), ("$1,234.50\u2020", 123450), ("28.00[2]", 2800), ("$28.00", 2800)]
)
def test_a_footnote_marker_after_an_amount_is_not_part_of_it(text: str, cents: int) -> None:
    assert is_amount(text) and read_amount(text) == cents


@pytest.mark.parametrize("text", ["*", "abc*", "Note*"])
def test_a_footnote_marker_alone_makes_no_amount(text: str) -> None:
    assert not is_amount(text)


# --- dates and ranges of dates ------------------------------------------------------------------

MARCH_2, MARCH_5 = dt.date(2026, 3, 2), dt.date(2026, 3, 5)


@pytest.mark.parametrize(
    "text",
    [
        "03/02/2026 - 03/05/2026",
        "03/02/26-03/05/26",
        "3/2/2026 to 3/5/2026",
        "03/02/2026 thru 03/05/2026",
        "03/02/2026 \u2013 03/05/2026",
        "2026-03-02 - 2026-03-05",
        "Mar 2, 2026 - Mar 5, 2026",
        "03/02-03/05/2026",
        "3/2 to 3/5/26",
    ],
)
def test_a_range_of_dates_gives_both_ends(text: str) -> None:
    assert find_dates(text) == [MARCH_2, MARCH_5]
    assert without_dates(f"{text} Room and board") == "Room and board"


def test_a_range_printing_its_year_once_starts_in_the_year_before_when_it_crosses_new_year() -> None:
    assert find_dates("12/30-01/02/2026") == [dt.date(2025, 12, 30), dt.date(2026, 1, 2)]


@pytest.mark.parametrize("text", ["03/02-03/05/2026", "03-02/2026"])
def test_a_date_is_printed_with_one_separator_throughout(text: str) -> None:
    """ "03/02-03" is not 2 March 2003: a day and a month joined by one separator and a year by
    another are not a date."""
    assert all(day.year == 2026 for day in find_dates(text))


def test_an_impossible_end_of_a_range_leaves_the_other() -> None:
    assert find_dates("02/30-03/05/2026") == [MARCH_5]


# --- NPIs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("npi", ["1234567893", "1487650008", "1487650016", "1122334455"])
def test_an_npi_with_its_check_digit_is_valid(npi: str) -> None:
    assert is_valid_npi(npi)
    assert read_npi(npi) == npi


@pytest.mark.parametrize(
    "npi", ["1234567890", "1234567894", "123456789", "12345678931", "123456789X", "", "1234 567893"]
)
def test_an_npi_with_a_wrong_check_digit_or_length_is_not_valid(npi: str) -> None:
    """The check digit is the Luhn digit of 80840 and the first nine digits (CMS): 123456789
    takes 3, so 1234567890 and 1234567894 are misprints."""
    assert not is_valid_npi(npi)


@pytest.mark.parametrize(
    ("text", "npi"),
    [
        ("NPI 1234567893", "1234567893"),
        ("#1234567893", "1234567893"),
        ("Maple Grove Clinic 2 - 1234567893", "1234567893"),
        ("1234567893.0", "1234567893"),  # a spreadsheet's number
        ("", None),
        ("N/A", None),
        ("--", None),
    ],
)
def test_an_npi_is_read_from_a_cell_that_prints_it(text: str, npi: str | None) -> None:
    assert read_npi(text) == npi


@pytest.mark.parametrize("text", ["1234567890", "123456789", "1234567893 / 1487650008", "NPI 12-3456789"])
def test_a_number_that_is_not_one_valid_npi_is_refused_without_repeating_it(text: str) -> None:
    with pytest.raises(NpiError) as raised:
        read_npi(text)
    assert not any(run in str(raised.value) for run in ("123456789", "1487650008", "3456789"))


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("$      1,234.00", 123400),
        ("$   (12.00)", -1200),
        ("$(12.00)", -1200),
        ("$    -", 0),
        (" $-   ", 0),
        ("$", None),
        # Clean twins: the same amounts printed whole, and a dash alone (nothing printed).
        ("$1,234.00", 123400),
        ("($12.00)", -1200),
        ("-", None),
    ],
)
def test_an_accounting_cell_is_read_as_the_amount_it_prints(text: str, cents: int | None) -> None:
    """Accounting formats print the "$" at the cell's left edge, the number at its right, and
    "-" for zero after the "$"."""
    assert read_amount(text) == cents
