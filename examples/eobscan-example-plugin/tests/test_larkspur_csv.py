"""The Larkspur Mutual CSV export: what the parser reads, keeps, refuses, and what it leads to."""

from __future__ import annotations

from pathlib import Path

import pytest
from eobscan_example import larkspur_csv
from eobscan_example.ground_ambulance import CaliforniaGroundAmbulanceCheck
from eobscan_example.larkspur_csv import LarkspurCsvParser

from scanner.ingest import DocumentError, ParseContext
from scanner.model import Claim, encode
from scanner.money import Money
from scanner.testing import assert_finding, registered, run_check

EXPORT = (Path(__file__).parent / "larkspur_export.csv").read_bytes()


def parse(data: bytes) -> list[Claim]:
    return LarkspurCsvParser().parse(data, ParseContext(filename="claims.csv")).claims


def test_the_plugin_registers_its_parser() -> None:
    assert [p.name for p in registered(larkspur_csv).parsers] == ["larkspur-mutual-csv"]


def test_sniff_knows_its_export_by_content_not_by_name() -> None:
    parser = LarkspurCsvParser()
    assert parser.sniff(EXPORT, "anything.txt") == 1.0
    assert parser.sniff(EXPORT.split(b"\n", 1)[1], None) == 0.9
    assert parser.sniff(b"Claim,Billed,Allowed\n1,10.00,8.00\n", "claims.csv") == 0.0
    assert parser.sniff(b"%PDF-1.7\n", "larkspur.csv") == 0.0


def test_rows_of_one_claim_number_become_one_claim() -> None:
    claims = parse(EXPORT)
    assert [(c.id, c.claim_number, len(c.lines)) for c in claims] == [
        ("larkspur-1", "LM-2026-000114", 2),
        ("larkspur-2", "LM-2026-000187", 1),
    ]
    ambulance, visit = claims
    assert (ambulance.provider and ambulance.provider.role, ambulance.member) == ("ambulance", "self")
    assert (visit.provider and visit.provider.network, visit.member) == ("in", "child-2")


def test_amounts_are_exact_cents_and_blank_means_absent() -> None:
    ride, mileage = parse(EXPORT)[0].lines
    assert (ride.code, ride.network, ride.billed, ride.allowed, ride.patient_responsibility) == (
        "A0427",
        "out",
        Money(240000),
        Money(90000),
        Money(168000),
    )
    assert (mileage.plan_paid, mileage.coinsurance) == (Money(11520), Money(2880))
    blank = EXPORT.replace(b"$144.00,$115.20", b",$115.20")
    assert parse(blank)[0].lines[1].allowed is None


def test_the_patients_name_is_never_kept() -> None:
    encoded = encode(parse(EXPORT))
    assert b"Alex Sample" not in encoded
    assert b"Jordan Example" not in encoded


def test_a_bad_amount_names_its_row_and_column_but_not_its_value() -> None:
    with pytest.raises(DocumentError) as error:
        parse(EXPORT.replace(b"$720.00", b"7x0.00"))
    assert (error.value.code, str(error.value)) == (
        "bad_amount",
        "Row 3, column Larkspur Paid: not an amount.",
    )


def test_a_missing_column_is_named() -> None:
    with pytest.raises(DocumentError, match="lacks the column\\(s\\) Member Owes"):
        parse(EXPORT.replace(b",Member Owes", b",Balance"))


def test_an_export_read_by_the_parser_is_checked_by_the_rule() -> None:
    findings = run_check(CaliforniaGroundAmbulanceCheck(), parse(EXPORT))
    assert [(f.claim_id, f.line_ids, f.amount_at_stake) for f in findings] == [
        ("larkspur-1", ["1"], Money(150000)),
        ("larkspur-1", ["2"], Money(21600)),
    ]
    assert_finding(findings[:1], "CGA001", amount_at_stake="1500.00")
