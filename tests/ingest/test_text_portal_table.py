"""A claim as member portals print it, pasted as text: column titles in the first person ("What I
owe")."""

from __future__ import annotations

import pytest

from scanner.ingest.text import TextParser

from .helpers import amounts, parse_with

# --- what the patient owes, in the first person ------------------------------------------------

FIRST_PERSON = [
    "What I owe",
    "I owe",
    "Amount I owe",
    "My responsibility",
    "My share",
    "My cost",
    "What I pay",
]


@pytest.mark.parametrize("title", FIRST_PERSON)
@pytest.mark.parametrize("gap", ["  ", " "], ids=["wide", "single"])
def test_a_first_person_column_title_is_what_the_patient_owes(title: str, gap: str) -> None:
    """Not known, the title left the patient's share unread, and its total row, one amount longer
    than the header, was not read at all."""
    header = gap.join(["Service", "Billed", "Allowed", "Plan paid", title])
    text = f"{header}\nOffice visit{gap}$185.00{gap}$120.00{gap}$96.00{gap}$24.00\n"
    document = parse_with(TextParser(), text.encode())
    (line,) = document.claims[0].lines
    assert amounts(line) == {
        "billed": "185.00",
        "allowed": "120.00",
        "plan_paid": "96.00",
        "patient_responsibility": "24.00",
    }
    assert document.notes == []


@pytest.mark.parametrize("title", FIRST_PERSON)
def test_a_first_person_label_is_what_the_patient_owes(title: str) -> None:
    text = f"Billed: $185.00\nPlan paid: $96.00\n{title}: $24.00\n"
    (line,) = parse_with(TextParser(), text.encode()).claims[0].lines
    assert line.patient_responsibility == 24_00
