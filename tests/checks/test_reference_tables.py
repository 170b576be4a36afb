"""The shipped reference tables: every row sourced and dated, and the lookups behave."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from scanner.reference import load_reference
from scanner.reference.adjustment_codes import (
    explain_carc,
    explain_rarc,
    group_is_patient_liability,
    split_adjustment,
)

DATA = Path(__file__).parents[2] / "scanner" / "reference" / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", ["carc.csv", "rarc.csv"])
def test_every_code_row_has_a_source_a_checked_date_and_an_explanation(name: str) -> None:
    for row in _rows(name):
        assert row["source"].strip(), row["code"]
        assert dt.date.fromisoformat(row["checked"]) <= dt.date.today()  # checked, never in the future
        assert len(row["text"]) > 20, row["code"]


def test_at_least_sixty_codes_are_explained() -> None:
    assert len(_rows("carc.csv")) + len(_rows("rarc.csv")) >= 60


def test_a_carc_is_found_with_or_without_its_group_and_leading_zeros() -> None:
    for spelled in ("45", "CO-45", "co 045", " 45 "):
        explanation = explain_carc(spelled)
        assert explanation is not None
        assert explanation.code == "45"
        assert explanation.kind == "carc"
        assert "written off" in explanation.text


def test_the_deductible_reason_is_the_patients_share() -> None:
    explanation = explain_carc("PR-1")
    assert explanation is not None
    assert explanation.topic == "deductible"
    assert explanation.usually_patient_liable == "yes"


def test_a_remark_code_is_explained_in_plain_english() -> None:
    explanation = explain_rarc("n879")
    assert explanation is not None
    assert explanation.kind == "rarc"
    assert "balance billing is prohibited" in explanation.text


def test_unknown_codes_are_none_rather_than_a_guess() -> None:
    assert explain_carc("Z999") is None
    assert explain_rarc("N99999") is None


@pytest.mark.parametrize(
    ("group", "owed"),
    [("PR", True), ("pr", True), ("CO", False), ("OA", False), ("PI", False), ("CR", False)],
)
def test_only_the_pr_group_is_the_patients(group: str, owed: bool) -> None:
    assert group_is_patient_liability(group) is owed


def test_an_adjustment_splits_into_group_and_reason() -> None:
    assert split_adjustment("CO-045") == ("CO", "45")
    assert split_adjustment("B13") == (None, "B13")


def test_the_reference_tables_carry_the_adjustment_codes() -> None:
    assert load_reference().adjustment_codes.explain_carc("22") is not None


# --- preventive services ----------------------------------------------------------------------


def test_every_preventive_row_has_a_source_and_a_checked_date() -> None:
    rows = _rows("preventive_codes.csv")
    assert rows
    for row in rows:
        assert row["source"].strip(), row["code_from"]
        assert dt.date.fromisoformat(row["checked"]) <= dt.date.today()  # checked, never in the future


@pytest.mark.parametrize(
    ("code", "context"),
    [
        ("99381", "screening"),
        ("99397", "screening"),
        ("G0438", "screening"),
        ("G0439", "screening"),
        ("77067", "screening"),
        ("90715", "screening"),
        ("90471", "screening"),
        ("00812", "screening"),
        ("45385", "needs_context"),
        ("00811", "needs_context"),
        ("80061", "needs_context"),
    ],
)
def test_preventive_procedure_codes_say_whether_they_need_context(code: str, context: str) -> None:
    entry = load_reference().preventive.procedure(code)
    assert entry is not None
    assert entry.context == context


@pytest.mark.parametrize("code", ["99213", "99398", "4538F", "45386", "", "G0440"])
def test_problem_visits_and_neighbouring_codes_are_not_preventive(code: str) -> None:
    assert load_reference().preventive.procedure(code) is None


@pytest.mark.parametrize("code", ["Z12.11", "z1211", "Z00.00", "Z23", "Z34.01", "Z30.011", "Z12.31"])
def test_preventive_diagnoses_are_recognised_with_or_without_the_dot(code: str) -> None:
    assert load_reference().preventive.is_preventive_diagnosis(code)


@pytest.mark.parametrize("code", ["K63.5", "R10.9", "Z86.010", "E11.9"])
def test_problem_diagnoses_are_not_preventive(code: str) -> None:
    assert not load_reference().preventive.is_preventive_diagnosis(code)
