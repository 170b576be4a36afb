"""The Medicare fee schedule table: national and locality amounts, and the importer of CMS files.

The expected amounts are the worked example of the data's README (99213, Manhattan, RVU24C):
non-facility $103.22, facility $73.33, national non-facility $90.87, computed by hand from the
published RVUs, GPCIs and conversion factor.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from scanner.pfs_import import ImportProblem, import_pfs, read_cms_gpci, read_cms_rvu, year_from_names
from scanner.reference.fee_schedule import (
    RVU_COLUMNS,
    FeeScheduleError,
    default_fee_schedules,
    load_fee_schedules,
    scaled,
    shipped_fee_schedules,
    user_data_dir,
)

SHIPPED = shipped_fee_schedules()
Y2024 = SHIPPED.for_date(dt.date(2024, 8, 1))


def test_the_shipped_table_is_the_2024_release() -> None:
    assert Y2024 is not None
    assert Y2024.year == 2024
    assert len(Y2024.localities) == 109


def test_national_amounts_match_the_published_worked_example() -> None:
    assert Y2024 is not None
    non_facility = Y2024.benchmark("99213", setting="non-facility")
    facility = Y2024.benchmark("99213", setting="facility")
    assert non_facility is not None and facility is not None
    assert non_facility.cents == 90_87
    # 1.30 + 0.56 + 0.10 = 1.96 RVUs x 33.2875 = 65.2435
    assert facility.cents == 65_24
    assert non_facility.locality is None


def test_locality_amounts_match_the_published_worked_example() -> None:
    assert Y2024 is not None
    office = Y2024.benchmark("99213", setting="non-facility", locality="13202-01")
    hospital = Y2024.benchmark("99213", setting="facility", locality="13202-01")
    assert office is not None and hospital is not None
    assert (office.cents, hospital.cents) == (103_22, 73_33)
    assert office.locality is not None and office.locality.name == "MANHATTAN"


def test_a_locality_can_be_named_by_state_and_number() -> None:
    assert Y2024 is not None
    by_state = Y2024.benchmark("99213", setting="non-facility", locality="ny-01")
    assert by_state is not None and by_state.cents == 103_22


def test_an_unknown_locality_falls_back_to_the_national_amount() -> None:
    assert Y2024 is not None
    found = Y2024.benchmark("99213", setting="non-facility", locality="99999-99")
    assert found is not None and found.cents == 90_87 and found.locality is None


def test_an_unknown_setting_takes_the_higher_amount() -> None:
    assert Y2024 is not None
    found = Y2024.benchmark("99213", setting=None)
    assert found is not None and (found.cents, found.setting) == (90_87, "non-facility")


def test_the_professional_component_modifier_selects_its_own_row() -> None:
    assert Y2024 is not None
    row = Y2024.rows[("71046", "26")]
    expected = _half_up(Decimal(row.work + row.fac_pe + row.mp) / 100 * Decimal("33.2875"))
    found = Y2024.benchmark("71046", ["26"], setting="facility")
    assert found is not None and found.modifier == "26" and found.cents == expected
    assert found.cents != Y2024.benchmark("71046", setting="facility").cents  # type: ignore[union-attr]


def test_codes_without_a_national_price_have_no_benchmark() -> None:
    assert Y2024 is not None
    assert Y2024.benchmark("0275T", setting=None) is None  # contractor-priced: all RVUs zero
    assert Y2024.benchmark("ZZZZZ", setting=None) is None


def test_the_year_of_service_picks_the_table() -> None:
    assert SHIPPED.for_date(dt.date(2026, 3, 2)) is Y2024  # latest earlier year
    assert SHIPPED.for_date(dt.date(2019, 3, 2)) is Y2024  # earliest when none is earlier


def test_scaled_numbers_are_exact() -> None:
    assert scaled("33.2875", 4) == 332875
    assert scaled("1.3", 2) == 130
    assert scaled("2.000", 2) == 200
    with pytest.raises(ValueError, match="decimals"):
        scaled("1.234", 2)
    with pytest.raises(ValueError, match="not a decimal"):
        scaled("1,30", 2)


# --- importing the CMS files ---------------------------------------------------------------------

CMS_RVU = """\
"CPT codes and descriptions only are copyright 2023 American Medical Association.",,,,
"2026 National Physician Fee Schedule Relative Value File",,,,
,,,,,,,,,,,,,,,,,,,,,,,
,,,,,,NON-FAC,,FACILITY,,,NON-FACILITY,FACILITY,,,,,,,,,,,,
HCPCS,MOD,DESCRIPTION,STATUS CODE,NOT USED FOR MEDICARE PAYMENT,WORK RVU,PE RVU,NA INDICATOR,\
PE RVU,NA INDICATOR,MP RVU,TOTAL,TOTAL,PCTC IND,GLOB DAYS,CONV FACTOR
99213,,(descriptor not reproduced),A,,1.30,1.33,,0.56,,0.10,2.73,1.99,0,XXX,33.4009
71046,26,(descriptor not reproduced),A,,0.22,0.09,,0.09,,0.02,0.33,0.33,1,XXX,33.4009
99201,,(descriptor not reproduced),D,,0,0,,0,,0,0,0,0,XXX,33.4009
0275T,,(descriptor not reproduced),C,,0,0,,0,,0,0,0,0,YYY,33.4009
"""

CMS_GPCI = """\
ADDENDUM E. FINAL CY 2026 GEOGRAPHIC PRACTICE COST INDICES (GPCIs) BY STATE AND MEDICARE LOCALITY,,,,,,,
,,,,,,,
Medicare Administrative Contractor (MAC),State,Locality Number,Locality Name,\
2026 PW GPCI (without 1.0 Floor),2026 PW GPCI (with 1.0 Floor),2026 PE GPCI,2026 MP GPCI
13202,NY,1,MANHATTAN,1.070,1.070,1.170,1.650
10112,AL,0,ALABAMA,0.944,1.000,0.869,0.575
* Payment locality is serviced by two localities.,,,,,,,
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_cms_layout_is_read_with_its_two_row_header(tmp_path: Path) -> None:
    rows = {(r.code, r.modifier): r for r in read_cms_rvu(_write(tmp_path, "PPRRVU2026_Jan.csv", CMS_RVU))}
    assert set(rows) == {("99213", ""), ("71046", "26")}  # deleted and carrier-priced codes dropped
    visit = rows[("99213", "")]
    assert (visit.work, visit.nonfac_pe, visit.fac_pe, visit.mp, visit.conversion_factor) == (
        130,
        133,
        56,
        10,
        334009,
    )


def test_the_cms_gpci_layout_uses_the_floored_work_gpci(tmp_path: Path) -> None:
    localities = {loc.key: loc for loc in read_cms_gpci(_write(tmp_path, "GPCI2026.csv", CMS_GPCI))}
    assert set(localities) == {"13202-01", "10112-00"}
    assert localities["10112-00"].work == 1000  # with the 1.0 floor, not 0.944
    assert localities["13202-01"].state == "NY"


def test_an_import_writes_numbers_only_and_wins_for_its_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rvu = _write(tmp_path, "PPRRVU2026_Jan.csv", CMS_RVU)
    gpci = _write(tmp_path, "GPCI2026.csv", CMS_GPCI)
    target = tmp_path / "data"
    result = import_pfs(rvu, gpci, destination=target, checked=dt.date(2026, 11, 26))
    assert (result.year, result.codes, result.localities) == (2026, 2, 2)
    written = result.rvu_path.read_text(encoding="utf-8")
    assert "descriptor" not in written and "AMERICAN MEDICAL" not in written.upper()
    with result.rvu_path.open(newline="") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == RVU_COLUMNS

    monkeypatch.setenv("EOBSCAN_DATA_DIR", str(target))
    schedules = default_fee_schedules()
    y2026 = schedules.for_date(dt.date(2026, 3, 2))
    assert y2026 is not None and y2026.year == 2026
    # 2.73 RVUs x 33.4009 = 91.184457
    assert y2026.benchmark("99213", setting="non-facility").cents == 91_18  # type: ignore[union-attr]
    # (1.30 x 1.070 + 1.33 x 1.170 + 0.10 x 1.650) x 33.4009 = 103.9469...
    manhattan = y2026.benchmark("99213", setting="non-facility", locality="13202-01")
    assert manhattan is not None and manhattan.cents == 103_95
    assert schedules.for_date(dt.date(2024, 8, 1)).year == 2024  # type: ignore[union-attr]


def test_the_simple_layout_of_the_shipped_source_imports_too(tmp_path: Path) -> None:
    rvu = _write(
        tmp_path,
        "pfs_rvu_2024.csv",
        "hcpcs,modifier,status_code,work_rvu,nonfac_pe_rvu,fac_pe_rvu,mp_rvu,nonfac_total,fac_total,"
        "conversion_factor\n99213,,A,1.30,1.33,0.56,0.10,2.73,1.96,33.2875\n",
    )
    gpci = _write(
        tmp_path,
        "gpci_2024.csv",
        "mac,locality,state,locality_name,work_gpci,pe_gpci,mp_gpci\n13202,01,NY,MANHATTAN,1.065,1.166,1.656\n",
    )
    result = import_pfs(rvu, gpci, destination=tmp_path / "out", checked=dt.date(2026, 11, 26))
    loaded = load_fee_schedules([tmp_path / "out"]).for_date(None)
    assert result.year == 2024 and loaded is not None
    assert loaded.benchmark("99213", setting="non-facility", locality="13202-01").cents == 103_22  # type: ignore[union-attr]


def test_a_file_without_the_needed_columns_is_refused_by_name(tmp_path: Path) -> None:
    bad = _write(tmp_path, "PPRRVU2026.csv", "HCPCS,MOD,DESCRIPTION\n99213,,x\n")
    with pytest.raises(ImportProblem, match=r"PPRRVU2026\.csv: no header row"):
        read_cms_rvu(bad)


def test_the_year_must_be_known(tmp_path: Path) -> None:
    rvu = _write(tmp_path, "rvu.csv", CMS_RVU)
    gpci = _write(tmp_path, "localities.csv", CMS_GPCI)
    with pytest.raises(ImportProblem, match="--year"):
        import_pfs(rvu, gpci, destination=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_years_are_read_from_cms_file_names() -> None:
    assert year_from_names(Path("PPRRVU24_JUL.csv")) == 2024
    assert year_from_names(Path("PPRRVU2025_Oct.csv")) == 2025
    assert year_from_names(Path("x.csv"), Path("GPCI2026.csv")) == 2026


def test_a_broken_user_table_does_not_cost_the_shipped_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "pfs_rvu_2026.csv", "not,the,right,columns\n")
    with pytest.raises(FeeScheduleError):
        load_fee_schedules([tmp_path])
    monkeypatch.setenv("EOBSCAN_DATA_DIR", str(tmp_path))
    assert sorted(default_fee_schedules().by_year) == [2024]


def test_the_user_data_folder_follows_xdg() -> None:
    assert user_data_dir({"XDG_DATA_HOME": "/x/share"}) == Path("/x/share/eobscan")
    assert user_data_dir({"EOBSCAN_DATA_DIR": "/y"}) == Path("/y")


def _half_up(value: Decimal) -> int:
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- eobscan data import-pfs ---------------------------------------------------------------------


def test_the_command_imports_the_files_into_the_chosen_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scanner.cli import main

    rvu = _write(tmp_path, "PPRRVU2026_Jan.csv", CMS_RVU)
    gpci = _write(tmp_path, "GPCI2026.csv", CMS_GPCI)
    code = main(["data", "import-pfs", "--rvu", str(rvu), "--gpci", str(gpci), "--to", str(tmp_path / "d")])
    assert code == 0
    assert "Imported 2 priced codes and 2 localities for 2026" in capsys.readouterr().out
    assert (tmp_path / "d" / "pfs_rvu_2026.csv").exists() and (tmp_path / "d" / "pfs_gpci_2026.csv").exists()


def test_the_command_names_the_problem_with_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scanner.cli import main

    bad = _write(tmp_path, "PPRRVU2026.csv", "HCPCS,MOD\n")
    gpci = _write(tmp_path, "GPCI2026.csv", CMS_GPCI)
    code = main(["data", "import-pfs", "--rvu", str(bad), "--gpci", str(gpci), "--to", str(tmp_path / "d")])
    assert code == 2
    assert "PPRRVU2026.csv: no header row" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()
