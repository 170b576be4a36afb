"""Reading printed values shared by every reader: a network status after a name, service codes with
their modifiers, amount tokens."""

from __future__ import annotations

import pytest

from scanner.ingest.values import (
    claim_number_of,
    find_coded,
    is_amount,
    parse_network,
    read_amount,
    split_network_note,
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
    ("text", "cents"), [("$28.00*", 2800), ("$1,234.50\u2020", 123450), ("28.00[2]", 2800), ("$28.00", 2800)]
)
def test_a_footnote_marker_after_an_amount_is_not_part_of_it(text: str, cents: int) -> None:
    assert is_amount(text) and read_amount(text) == cents


@pytest.mark.parametrize("text", ["*", "abc*", "Note*"])
def test_a_footnote_marker_alone_makes_no_amount(text: str) -> None:
    assert not is_amount(text)


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
