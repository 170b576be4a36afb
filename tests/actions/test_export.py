"""`eobscan scan FILE --letters DIR --ics FILE --report FILE` writes what the upload page offers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from scanner.cli import main

REQUEST = {
    "as_of": "2026-11-26",
    "claims": [
        {
            "id": "visit-1",
            "claim_number": "ZZ-CLAIM-5150",
            "payer": "Example Health Plan",
            "provider": {"name": "Riverside Family Medicine", "network": "in"},
            "service_start": "2026-03-02",
            "processed_date": "2026-03-20",
            "lines": [
                {
                    "id": "1",
                    "service_date": "2026-03-02",
                    "code": "99214",
                    "code_system": "CPT",
                    "network": "in",
                    "allowed": "150.00",
                    "plan_paid": "120.00",
                    "patient_responsibility": "60.00",
                }
            ],
        }
    ],
}


@pytest.fixture
def eob(tmp_path: Path) -> Path:
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(REQUEST))
    return path


def test_the_cli_writes_letters_a_call_sheet_the_calendar_and_the_pack(
    eob: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letters, ics, report = tmp_path / "letters", tmp_path / "deadlines.ics", tmp_path / "pack.html"
    code = main(["scan", str(eob), "--letters", str(letters), "--ics", str(ics), "--report", str(report)])
    assert code == 1  # an error-level finding
    written = sorted(p.name for p in letters.iterdir())
    assert written == ["calls.txt", "visit-1-INS001-1-reprocessing_request.txt"]
    letter = (letters / "visit-1-INS001-1-reprocessing_request.txt").read_text()
    assert "Re: Request to reprocess claim ZZ-CLAIM-5150" in letter and "$30.00" in letter
    calls = (letters / "calls.txt").read_text()
    assert "INS001 You are asked for more than the allowed amount leaves: claim visit-1" in calls
    assert "claim ZZ-CLAIM-5150 for member {member_id}" in calls
    assert "A reference number for this call" in calls
    assert icalendar.Calendar.from_ical(ics.read_bytes())["VERSION"] == "2.0"
    assert "EOB evidence pack" in report.read_text()
    err = capsys.readouterr().err
    assert f"wrote 1 letter(s) and calls.txt to {letters}" in err
    assert f"wrote the evidence pack to {report}" in err


def test_json_output_stays_clean_json_when_files_are_written(
    eob: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["scan", str(eob), "--format", "json", "--ics", str(tmp_path / "d.ics")])
    assert json.loads(capsys.readouterr().out)["findings"][0]["rule"] == "INS001"


def test_a_pdf_report_by_its_file_name(eob: Path, tmp_path: Path) -> None:
    report = tmp_path / "pack.pdf"
    main(["scan", str(eob), "--report", str(report)])
    text = PdfReader(io.BytesIO(report.read_bytes())).pages[0].extract_text()
    assert "EOB evidence pack" in text


def test_an_unwritable_output_is_a_clear_error(
    eob: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "d.ics"
    assert main(["scan", str(eob), "--ics", str(missing)]) == 2
    assert "cannot be written" in capsys.readouterr().err
