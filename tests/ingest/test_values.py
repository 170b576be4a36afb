"""Reading printed values shared by every reader: here, a network status after a name."""

from __future__ import annotations

import pytest

from scanner.ingest.values import is_amount, split_network_note

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
