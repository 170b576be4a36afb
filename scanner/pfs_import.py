"""Import the Medicare Physician Fee Schedule files a user downloaded from CMS.

CMS publishes the PFS relative value files every quarter (``PPRRVUyy_*.csv`` and
``GPCIyyyy.csv``). We cannot ship every year, and CPT descriptors may not be redistributed, so
the user imports their own copy: this module reads the CMS layout (banner lines, a header split
over two rows, columns that move between years) or the simple one-header-row layout, keeps the
numbers only (never the descriptions), and writes the same derived format the shipped table uses
(:mod:`scanner.reference.fee_schedule`) into the user data folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.reference.fee_schedule import (
    CF_PLACES,
    GPCI_COLUMNS,
    GPCI_PATTERN,
    GPCI_PLACES,
    RVU_COLUMNS,
    RVU_PATTERN,
    RVU_PLACES,
    Locality,
    RvuRow,
    scaled,
    unscaled,
    user_data_dir,
)

#: Statuses with a national payment amount: active, restricted coverage, paid only alone.
PAYABLE_STATUSES = frozenset({"A", "R", "T"})


class ImportProblem(ValueError):
    """A file that cannot be imported; the message names the file and what is missing."""


@dataclass(frozen=True)
class ImportResult:
    year: int
    rvu_path: Path
    gpci_path: Path
    codes: int
    localities: int


def _normal(name: str) -> str:
    name = name.upper().replace("_", " ")
    name = re.sub(r"\s+", " ", name).strip()
    return re.sub(r"- ", "-", name)


Matcher = Callable[[str], bool]

RVU_HEADERS: dict[str, Matcher] = {
    "code": lambda h: h in {"HCPCS", "HCPCS CODE"},
    "modifier": lambda h: h in {"MOD", "MODIFIER"},
    "status": lambda h: h in {"STATUS CODE", "STATUS"},
    "work": lambda h: h in {"WORK RVU", "WORK"},
    "nonfac_pe": lambda h: re.fullmatch(r"NON-?FAC(ILITY)? PE( RVU)?", h) is not None,
    "fac_pe": lambda h: re.fullmatch(r"FAC(ILITY)? PE( RVU)?", h) is not None,
    "mp": lambda h: h in {"MP RVU", "MP"},
    "cf": lambda h: re.fullmatch(r"CONV(ERSION)? FACTOR", h) is not None,
}

GPCI_HEADERS: dict[str, Matcher] = {
    "mac": lambda h: h == "MAC" or "CONTRACTOR" in h,
    "state": lambda h: h == "STATE",
    "locality": lambda h: h in {"LOCALITY", "LOCALITY NUMBER"},
    "name": lambda h: h == "LOCALITY NAME",
    "work": lambda h: (
        ("PW GPCI" in h or "WORK GPCI" in h)
        and not any(word in h for word in ("WITHOUT", "NO FLOOR", "NO-FLOOR"))
    ),
    "pe": lambda h: "PE GPCI" in h,
    "mp": lambda h: "MP GPCI" in h or "MALPRACTICE GPCI" in h,
}


def _read_csv(path: Path) -> list[list[str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            return list(csv.reader(handle))
    except OSError as exc:
        raise ImportProblem(f"{path.name}: cannot be read ({exc.strerror})") from None


def _header_names(rows: Sequence[Sequence[str]], at: int) -> list[str]:
    """Column names, joining the continuation rows CMS puts above the header row (their first
    cell is empty, e.g. ``NON-FAC`` above ``PE RVU``)."""
    above: list[Sequence[str]] = []
    for index in range(at - 1, max(at - 4, -1), -1):
        row = rows[index]
        if not row or row[0].strip() or not any(cell.strip() for cell in row):
            break
        above.insert(0, row)
    names = []
    for column, cell in enumerate(rows[at]):
        pieces = [r[column] for r in above if column < len(r) and r[column].strip()]
        names.append(_normal(" ".join([*pieces, cell])))
    return names


def _locate(
    rows: Sequence[Sequence[str]], headers: dict[str, Matcher], required: set[str], path: Path
) -> tuple[int, dict[str, int]]:
    for at in range(min(len(rows), 40)):
        names = _header_names(rows, at)
        columns: dict[str, int] = {}
        for key, matches in headers.items():
            found = [i for i, name in enumerate(names) if matches(name)]
            if found:
                columns[key] = found[0]
        if required <= columns.keys():
            return at, columns
    missing = ", ".join(sorted(required))
    raise ImportProblem(f"{path.name}: no header row with the columns {missing}")


def _cell(row: Sequence[str], column: int) -> str:
    return row[column].strip() if column < len(row) else ""


def read_cms_rvu(path: Path) -> list[RvuRow]:
    """The payable, nationally priced rows of a PPRRVU file (either layout)."""
    rows = _read_csv(path)
    required = {"code", "modifier", "status", "work", "nonfac_pe", "fac_pe", "mp", "cf"}
    at, col = _locate(rows, RVU_HEADERS, required, path)
    found: dict[tuple[str, str], RvuRow] = {}
    for number, row in enumerate(rows[at + 1 :], start=at + 2):
        code = _cell(row, col["code"]).upper()
        status = _cell(row, col["status"]).upper()
        if not code or status not in PAYABLE_STATUSES:
            continue

        def number_of(key: str, places: int, row: Sequence[str] = row, number: int = number) -> int:
            text = _cell(row, col[key]) or "0"
            try:
                return scaled(text, places)
            except ValueError:
                raise ImportProblem(f"{path.name} row {number}: column {key} is not a number") from None

        item = RvuRow(
            code=code,
            modifier=_cell(row, col["modifier"]).upper(),
            status=status,
            work=number_of("work", RVU_PLACES),
            nonfac_pe=number_of("nonfac_pe", RVU_PLACES),
            fac_pe=number_of("fac_pe", RVU_PLACES),
            mp=number_of("mp", RVU_PLACES),
            conversion_factor=number_of("cf", CF_PLACES),
        )
        if not item.priced:
            continue
        if (item.code, item.modifier) in found:
            raise ImportProblem(f"{path.name} row {number}: code and modifier repeated")
        found[(item.code, item.modifier)] = item
    if not found:
        raise ImportProblem(f"{path.name}: no payable rows")
    return list(found.values())


def read_cms_gpci(path: Path) -> list[Locality]:
    """The localities of a GPCI file (either layout); the work GPCI is the one with the floor."""
    rows = _read_csv(path)
    required = {"mac", "state", "locality", "work", "pe", "mp"}
    at, col = _locate(rows, GPCI_HEADERS, required, path)
    found: dict[str, Locality] = {}
    for number, row in enumerate(rows[at + 1 :], start=at + 2):
        mac, locality = _cell(row, col["mac"]), _cell(row, col["locality"])
        if not (mac.isdigit() and locality.isdigit()):
            continue  # footnotes and blank lines
        try:
            item = Locality(
                mac=mac.zfill(5),
                locality=locality.zfill(2),
                state=_cell(row, col["state"]).upper(),
                name=_cell(row, col["name"]) if "name" in col else "",
                work=scaled(_cell(row, col["work"]), GPCI_PLACES),
                pe=scaled(_cell(row, col["pe"]), GPCI_PLACES),
                mp=scaled(_cell(row, col["mp"]), GPCI_PLACES),
            )
        except ValueError:
            raise ImportProblem(f"{path.name} row {number}: a GPCI is not a number") from None
        if item.key in found:
            raise ImportProblem(f"{path.name} row {number}: locality repeated")
        found[item.key] = item
    if not found:
        raise ImportProblem(f"{path.name}: no localities")
    return list(found.values())


def year_from_names(*paths: Path) -> int | None:
    """``PPRRVU24_JUL.csv`` -> 2024, ``GPCI2026.csv`` -> 2026, ``PPRRVU2025_Oct.csv`` -> 2025."""
    for path in paths:
        name = path.name.upper()
        long = re.search(r"(20\d\d)", name)
        if long:
            return int(long.group(1))
        short = re.search(r"(?:PPRRVU|RVU|GPCI)(\d\d)(?!\d)", name)
        if short:
            return 2000 + int(short.group(1))
    return None


def write_rvu_table(rows: Sequence[RvuRow], path: Path, source: str, checked: dt.date) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(RVU_COLUMNS)
        for row in sorted(rows, key=lambda r: (r.code, r.modifier)):
            writer.writerow(
                (
                    row.code,
                    row.modifier,
                    row.status,
                    unscaled(row.work, RVU_PLACES),
                    unscaled(row.nonfac_pe, RVU_PLACES),
                    unscaled(row.fac_pe, RVU_PLACES),
                    unscaled(row.mp, RVU_PLACES),
                    unscaled(row.conversion_factor, CF_PLACES),
                    row.national_cents("non-facility"),
                    row.national_cents("facility"),
                    source,
                    checked.isoformat(),
                )
            )


def write_gpci_table(localities: Sequence[Locality], path: Path, source: str, checked: dt.date) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(GPCI_COLUMNS)
        for loc in sorted(localities, key=lambda x: (x.mac, x.locality)):
            writer.writerow(
                (
                    loc.mac,
                    loc.locality,
                    loc.state,
                    loc.name,
                    unscaled(loc.work, GPCI_PLACES),
                    unscaled(loc.pe, GPCI_PLACES),
                    unscaled(loc.mp, GPCI_PLACES),
                    source,
                    checked.isoformat(),
                )
            )


def import_pfs(
    rvu: Path,
    gpci: Path,
    *,
    year: int | None = None,
    destination: Path | None = None,
    source: str | None = None,
    checked: dt.date | None = None,
) -> ImportResult:
    """Read both files, then write the derived tables for their year into ``destination``
    (the user data folder by default). Nothing is written unless both files read cleanly."""
    year = year or year_from_names(rvu, gpci)
    if year is None:
        raise ImportProblem("the year is not in the file names; give it with --year")
    rows = read_cms_rvu(rvu)
    localities = read_cms_gpci(gpci)
    destination = destination or user_data_dir()
    destination.mkdir(parents=True, exist_ok=True)
    checked = checked or dt.date.today()
    label = source or f"CMS PFS relative value files {rvu.name} and {gpci.name}, imported by the user"
    rvu_path = destination / RVU_PATTERN.format(year=year)
    gpci_path = destination / GPCI_PATTERN.format(year=year)
    write_rvu_table(rows, rvu_path, label, checked)
    write_gpci_table(localities, gpci_path, label, checked)
    return ImportResult(year, rvu_path, gpci_path, len(rows), len(localities))
