"""The eobscan command: exit 0 clean, 1 with an error finding, 2 on bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.plugins import default_registry

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "requests" / "office-visit.json"


def test_scan_prints_a_table_with_the_total_and_exits_1_on_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["scan", str(EXAMPLE)]) == 1
    out = capsys.readouterr().out
    assert "INS001" in out and "$30.00" in out
    assert "Total at stake: $30.00" in out


def test_scan_of_a_clean_eob_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    request = json.loads(EXAMPLE.read_text())
    line = request["claims"][0]["lines"][0]
    line["patient_responsibility"] = line["coinsurance"]
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(request))
    assert main(["scan", str(clean)]) == 0
    assert "Total at stake: $0.00" in capsys.readouterr().out


def test_scan_json_prints_a_scan_result(capsys: pytest.CaptureFixture[str]) -> None:
    main(["scan", str(EXAMPLE), "--format", "json", "--as-of", "2026-11-26"])
    result = json.loads(capsys.readouterr().out)
    assert result["summary"]["amount_at_stake"] == "30.00"


def test_scan_with_a_plan_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"coinsurance_in_network": 20, "deductible_individual": "1500.00"}))
    assert main(["scan", str(EXAMPLE), "--plan", str(plan), "--format", "json"]) == 1
    bad_plan = tmp_path / "bad.json"
    bad_plan.write_text(json.dumps({"coinsurance_in_network": "twenty"}))
    assert main(["scan", str(EXAMPLE), "--plan", str(bad_plan)]) == 2
    assert "$.coinsurance_in_network" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"claims": [{"id": "c", "lines": [{"id": "1", "billed": "1.234,56"}]}]}',
            "$.claims[0].lines[0].billed",
        ),
        ('{"claims": []}', "no claims found"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["scan", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "/nonexistent/eob.json"]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_checks_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks"]) == 0
    assert "INS001" in capsys.readouterr().out
    main(["checks", "--format", "json"])
    assert any(rule["code"] == "INS002" for rule in json.loads(capsys.readouterr().out))


def test_explain_prints_the_docs_sections(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "ins001"]) == 0
    out = capsys.readouterr().out
    for section in ("What it checks", "Why it matters", "Example", "What to do"):
        assert section in out
    assert main(["explain", "XXX000"]) == 2


def test_plugins_lists_built_ins_with_their_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins"]) == 0
    assert "insurer_processing" in capsys.readouterr().out
    main(["plugins", "--format", "json"])
    listing = json.loads(capsys.readouterr().out)
    assert any(p["name"] == "insurer_processing" and p["builtin"] for p in listing["plugins"])


def test_a_setting_a_check_cannot_use_stops_the_command_with_its_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped EOBSCAN_PRICE_MULTIPLE used to drop the pricing check without a word."""
    monkeypatch.setenv("EOBSCAN_PRICE_MULTIPLE", "three")
    default_registry.cache_clear()
    try:
        assert main(["checks"]) == 2
    finally:
        default_registry.cache_clear()
    assert "EOBSCAN_PRICE_MULTIPLE must be a multiple above 1" in capsys.readouterr().err


#: A pasted-text EOB of one in-network visit: the patient owes $30.00.
TEXT_EOB = """Claim number: ZZ-77001
Provider: Maple Family Medicine
Network: In network
Date of service: 03/02/2026
Billed: $400.00
Allowed: $150.00
Plan paid: $120.00
You owe: $30.00
"""


def test_a_bill_typed_on_the_command_line_is_held_against_the_eob_it_came_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eob = tmp_path / "eob.txt"
    eob.write_text(TEXT_EOB)
    assert main(["scan", str(eob), "--bill-due", "$280.00", "--as-of", "2026-04-01", "--format", "json"]) == 1
    result = json.loads(capsys.readouterr().out)
    [balance_bill] = [f for f in result["findings"] if f["rule"] == "BAL001"]
    assert balance_bill["amount_at_stake"] == "250.00"
    assert result["summary"]["amount_at_stake"] == "250.00"
    [bill] = result["bills"]
    assert (bill["claim_id"], bill["amount_due"]) == (result["claims"][0]["id"], "280.00")


def test_a_bill_that_asks_what_the_eob_says_is_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eob = tmp_path / "eob.txt"
    eob.write_text(TEXT_EOB)
    assert main(["scan", str(eob), "--bill-due", "30.00", "--as-of", "2026-04-01"]) == 0
    out = capsys.readouterr().out
    assert "Total at stake: $0.00" in out and "Note:" not in out


def test_with_several_claims_the_bill_needs_its_claim_number(capsys: pytest.CaptureFixture[str]) -> None:
    family = EXAMPLE.parent / "family-year.json"
    main(["scan", str(family), "--bill-due", "500.00", "--format", "json", "--as-of", "2026-11-26"])
    unmatched = json.loads(capsys.readouterr().out)
    assert not [f for f in unmatched["findings"] if f["rule"] == "BAL001"]
    assert unmatched["notes"] == [
        "Bill bill-from-command-line was not compared with an EOB: no claim of the scan clearly matches "
        "its provider, dates and amounts. Give the claim number printed on the bill or the EOB to compare them."
    ]
    main(["scan", str(family), "--bill-due", "500.00", "--bill-claim", "lab-work", "--format", "json"])
    matched = json.loads(capsys.readouterr().out)
    assert matched["notes"] == []
    assert [f["claim_id"] for f in matched["findings"] if f["rule"] == "BAL001"] == ["lab-work"]


def test_a_bill_option_without_the_amount_due_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eob = tmp_path / "eob.txt"
    eob.write_text(TEXT_EOB)
    assert main(["scan", str(eob), "--bill-paid", "20.00"]) == 2
    assert "--bill-due is needed" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("amount", "message"), [("-5.00", "cannot be negative"), ("twelve", "not an amount")]
)
def test_a_bad_bill_amount_is_refused_by_the_option_parser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], amount: str, message: str
) -> None:
    eob = tmp_path / "eob.txt"
    eob.write_text(TEXT_EOB)
    with pytest.raises(SystemExit) as exited:
        main(["scan", str(eob), f"--bill-due={amount}"])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_the_providers_statement_is_read_from_a_file_and_held_against_the_eob(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real EOB PDF and a real statement PDF: the hospital posted $400.00 of the $650.00
    contractual adjustment, so it asks $508.00 where the EOB says $258.00."""
    from tests.ingest import documents as docs
    from tests.ingest import statements as st

    eob, statement = tmp_path / "eob.pdf", tmp_path / "statement.pdf"
    eob.write_bytes(docs.member_statement(st.er_visit_eob()))
    statement.write_bytes(st.hospital_itemized(st.er_visit_statement(er_adjustment=40000)))
    assert main(["scan", str(eob), "--bill-file", str(statement), "--format", "json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert [f["amount_at_stake"] for f in result["findings"] if f["rule"] == "BAL001"] == ["250.00"]
    assert result["bills"][0]["amount_due"] == "508.00"

    statement.write_bytes(st.hospital_itemized(st.er_visit_statement()))
    main(["scan", str(eob), "--bill-file", str(statement), "--format", "json"])
    clean = json.loads(capsys.readouterr().out)
    assert not [f for f in clean["findings"] if f["rule"].startswith("BAL")]


def test_an_eob_given_as_the_statement_exits_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.ingest import documents as docs
    from tests.ingest import statements as st

    eob = tmp_path / "eob.pdf"
    eob.write_bytes(docs.member_statement(st.er_visit_eob()))
    assert main(["scan", str(eob), "--bill-file", str(eob)]) == 2
    assert "eob.pdf" in capsys.readouterr().err


def test_the_plans_standing_an_eob_printed_is_shown_and_binds_a_later_eob(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    march, june = tmp_path / "march.txt", tmp_path / "june.txt"
    march.write_text(STANDING_EOB)
    june.write_text(LATER_EOB)
    assert main(["scan", str(march), str(june), "--as-of", "2026-07-02"]) == 1
    out = capsys.readouterr().out
    assert (
        "on 2026-03-28: deductible $1,500.00 of $1,500.00 met; out-of-pocket maximum $4,000.00 of $4,000.00 met"
        in out
    )
    assert re.search(r"error\s+OOP001\s+\S+\s+1\s+\$30\.00\s+Charged after the out-of-pocket maximum", out)


STANDING_EOB = """Claim Number: 2026031500123
Provider: Riverbend Imaging Associates (In-Network)
Date Processed: 03/28/2026

Service Description          Date        Amount Billed   Allowed Amount   Plan Paid   Deductible   What You Owe
MRI brain w/o contrast 70551 03/10/2026  $2,450.00       $820.00          $0.00       $820.00      $820.00

Out-of-pocket maximum: $4,000.00. Met so far: $4,000.00
Deductible: $1,500.00 of $1,500.00 met
"""

LATER_EOB = """Claim Number: 2026061800777
Provider: Maple Family Medicine (In-Network)
Date Processed: 06/30/2026

Service Description          Date        Amount Billed   Allowed Amount   Plan Paid   Coinsurance   What You Owe
Office visit 99214           06/15/2026  $400.00         $150.00          $120.00     $30.00        $30.00
"""
