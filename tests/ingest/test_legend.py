"""An EOB's own legend of remark codes: a code the document defines is the insurer's, not X12's.

Insurers print their own codes in a line's "Remark" or "See notes" column and define them lower
on the page. Read as X12 reason codes they say what the insurer did not: Aetna-style "A1 - This
amount was applied to your deductible" is CARC A1 "Claim/Service denied", and every line became
a partial denial (DEN001). The documents here are invented, in the shapes portals print.
"""

from __future__ import annotations

import datetime as dt

import pytest

from scanner.engine import scan
from scanner.ingest import read_document
from scanner.ingest.legend import find_legend, legend_entry
from scanner.isolation import Breaker
from scanner.model import Claim, InsurerCode, ScanResult
from scanner.plugins import default_registry
from scanner.testing import make_request

from .test_pdf_portal_prints import courier_pdf

CLAIM = """\
Aetna Choice POS II
EXPLANATION OF BENEFITS          THIS IS NOT A BILL

Claim ID: EM7Q3K2LM00    Patient: Jordan Sample (Self)
Provider: Lakeside Family Medicine     Network Status: In-Network
Received: 08/29/2026     Processed: 09/12/2026

Service Date   Service Description     Procedure   Amount Billed   Member Rate   Applied to Deductible   Copay   Coinsurance   Plan Pays   Your Responsibility   Remark
08/20/2026     Office visit, est pt    99213       $180.00         $96.00        $96.00                  $0.00   $0.00         $0.00       $96.00                {code}
08/20/2026     Venipuncture            36415       $25.00          $9.00         $9.00                   $0.00   $0.00         $0.00       $9.00                 {code}
Totals                                             $205.00         $105.00       $105.00                 $0.00   $0.00         $0.00       $105.00
{legend}
"""

A1 = "Remark A1: This amount was applied to your deductible."
MEANING = "This amount was applied to your deductible."


def claims_of(text: str, name: str = "eob.txt") -> list[Claim]:
    document = read_document(text.encode() if name.endswith(".txt") else courier_pdf(text), name)
    assert document.notes == []
    return document.claims


def scanned(claims: list[Claim]) -> ScanResult:
    request = make_request(claims, as_of=dt.date(2026, 9, 20))
    return scan(request, default_registry(), budget_ms=5_000, breaker=Breaker())


@pytest.mark.parametrize("name", ["eob.txt", "eob.pdf"])
def test_a_code_the_legend_defines_is_the_insurers_own_and_no_x12_denial(name: str) -> None:
    (claim,) = claims_of(CLAIM.format(code="A1", legend=A1), name)
    for line in claim.lines:
        assert line.adjustments == []
        assert line.remarks == []
        assert line.insurer_codes == [InsurerCode(code="A1", meaning=MEANING)]
    result = scanned([claim])
    rules = [f.rule for f in result.findings]
    assert "DEN001" not in rules
    explained = [f for f in result.findings if f.rule == "INS009"]
    assert len(explained) == 2
    assert all(
        "A1 (your EOB's own code): This amount was applied to your deductible" in f.message for f in explained
    )
    assert all(e.note == MEANING for f in explained for e in f.evidence if e.field == "insurer_codes")


def test_without_its_legend_the_same_code_is_read_as_x12_as_before() -> None:
    """The twin: nothing defines "A1", so it stays CARC A1 (the rule it feeds is DEN001's)."""
    (claim,) = claims_of(CLAIM.format(code="A1", legend=""))
    assert all(line.insurer_codes == [] for line in claim.lines)
    assert all([a.reason for a in line.adjustments] == ["A1"] for line in claim.lines)
    assert "DEN001" in {f.rule for f in scanned([claim]).findings}


def test_a_numeric_code_of_the_insurers_is_not_the_carc_of_that_number() -> None:
    """CARC 96 is a non-covered charge; this insurer's "96" says the visit paid in network."""
    legend = "Notes\n96  Paid at your plan's in-network level."
    (claim,) = claims_of(CLAIM.format(code="96", legend=legend))
    assert [c.code for c in claim.lines[0].insurer_codes] == ["96"]
    assert claim.lines[0].adjustments == []
    assert "DEN001" not in {f.rule for f in scanned([claim]).findings}


def test_grouped_and_remark_codes_stay_x12_though_the_legend_explains_them() -> None:
    legend = "CO-45: Charge exceeds the fee schedule.\nN130: Consult plan benefit documents."
    (claim,) = claims_of(CLAIM.format(code="CO-45, N130", legend=legend))
    line = claim.lines[0]
    assert [(a.group, a.reason) for a in line.adjustments] == [("CO", "45")]
    assert line.remarks == ["N130"]
    assert line.insurer_codes == []


def test_a_legend_block_under_the_table_is_no_table_header_nor_line() -> None:
    """ "2A  This provider is not in your network" was read as a header that replaced the table."""
    legend = (
        "Notes\n"
        "2A  This provider is not in your network. You may be billed for the amount not covered.\n"
        "5F  Your plan's out-of-network benefits apply."
    )
    (claim,) = claims_of(CLAIM.format(code="2A, 5F", legend=legend))
    assert len(claim.lines) == 2
    assert [c.code for c in claim.lines[0].insurer_codes] == ["2A", "5F"]
    assert claim.lines[0].insurer_codes[0].meaning == (
        "This provider is not in your network. You may be billed for the amount not covered."
    )


def test_a_row_shaped_like_a_legend_row_defines_no_code_the_lines_do_not_print() -> None:
    rows = ["99213  Office visit, established patient", "A1: This amount was applied to your deductible."]
    assert legend_entry(rows[0]) == ("99213", "Office visit, established patient")
    assert find_legend(rows, printed=["A1"]).meanings == {"A1": MEANING}
    assert not find_legend(rows, printed=["B7"])


@pytest.mark.parametrize(
    "row",
    [
        "Deductible: $20.00 applied",  # a figure, not a code's meaning
        "Claim 45: processed",  # starts with a word, not a code
        "A1: Yes",  # a label and its value
        "PR 2  Coinsurance amount",  # a grouped X12 code
        "x" * 1001,  # prose
    ],
)
def test_rows_that_are_no_legend_entries(row: str) -> None:
    assert legend_entry(row) is None


def test_a_long_meaning_is_cut_at_a_word_within_the_wire_limit() -> None:
    entry = legend_entry("Z9  " + "word " * 100)
    assert entry is not None
    code, meaning = entry
    assert code == "Z9" and len(meaning) <= 300 and meaning.endswith("\u2026")
    InsurerCode(code=code, meaning=meaning)
