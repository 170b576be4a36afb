"""Medicare Physician Fee Schedule (PFS) amounts: a public benchmark for a professional service.

The shipped table holds numbers only (CPT descriptors are AMA-licensed): per HCPCS code and
modifier, the relative value units and the national amounts in cents; per Medicare payment
locality, the geographic practice cost indices (GPCI). A locality's amount is computed, never
stored, with the CMS formula (42 CFR 414.20)::

    [(work RVU x work GPCI) + (PE RVU x PE GPCI) + (MP RVU x MP GPCI)] x conversion factor

Everything is integer arithmetic on scaled values (RVUs in hundredths, GPCIs in thousandths, the
conversion factor in ten-thousandths), rounded half up to the cent once at the end, so the result
is exactly what the published decimals give.

A user may import the full CMS files of a newer year (``eobscan data import-pfs``); those land in
the user data folder in the same format and win over the shipped table for their year.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

SHIPPED_DIR = Path(__file__).parent / "data"
RVU_PATTERN = "pfs_rvu_{year}.csv"
GPCI_PATTERN = "pfs_gpci_{year}.csv"
_FILE_YEAR = re.compile(r"^pfs_rvu_(\d{4})\.csv$")

RVU_COLUMNS: tuple[str, ...] = (
    "code",
    "modifier",
    "status",
    "work_rvu",
    "nonfac_pe_rvu",
    "fac_pe_rvu",
    "mp_rvu",
    "conversion_factor",
    "nonfac_cents",
    "fac_cents",
    "source",
    "checked",
)
GPCI_COLUMNS: tuple[str, ...] = (
    "mac",
    "locality",
    "state",
    "locality_name",
    "work_gpci",
    "pe_gpci",
    "mp_gpci",
    "source",
    "checked",
)

#: Decimal places of each scaled quantity, as CMS publishes them.
RVU_PLACES, GPCI_PLACES, CF_PLACES = 2, 3, 4
#: The modifiers that select a component row of the fee schedule (professional, technical,
#: discontinued procedure); any other modifier prices as the global service.
PRICED_MODIFIERS: tuple[str, ...] = ("26", "TC", "53")

Setting = Literal["facility", "non-facility"]


class FeeScheduleError(ValueError):
    """A fee schedule file that cannot be used; the message names the file, row and column."""


def scaled(text: str, places: int) -> int:
    """``"1.30"`` at 2 places -> 130; exact, never through a float. More decimals than ``places``
    are accepted only when they are zeros."""
    raw = text.strip()
    negative = raw.startswith("-")
    raw = raw.lstrip("+-")
    whole, _, frac = raw.partition(".")
    digits = (whole or "0") + frac
    if not (whole or frac) or not (digits.isascii() and digits.isdigit()):
        raise ValueError("not a decimal number")
    if len(frac) > places:
        if frac[places:].strip("0"):
            raise ValueError(f"more than {places} decimals")
        frac = frac[:places]
    value = int((whole or "0") + frac.ljust(places, "0"))
    return -value if negative else value


def unscaled(value: int, places: int) -> str:
    """The inverse of :func:`scaled`: 130 at 2 places -> ``"1.30"``."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def _round_div(numerator: int, denominator: int) -> int:
    """Half-up rounding of a non-negative quotient."""
    quotient: int = (2 * numerator + denominator) // (2 * denominator)
    return quotient


@dataclass(frozen=True)
class RvuRow:
    """One (code, modifier) row: RVUs in hundredths, conversion factor in ten-thousandths."""

    code: str
    modifier: str
    status: str
    work: int
    nonfac_pe: int
    fac_pe: int
    mp: int
    conversion_factor: int

    def national_cents(self, setting: Setting) -> int:
        pe = self.fac_pe if setting == "facility" else self.nonfac_pe
        total = self.work + pe + self.mp
        return _round_div(total * self.conversion_factor, 10 ** (RVU_PLACES + CF_PLACES - 2))

    def locality_cents(self, setting: Setting, locality: Locality) -> int:
        pe = self.fac_pe if setting == "facility" else self.nonfac_pe
        weighted = self.work * locality.work + pe * locality.pe + self.mp * locality.mp
        return _round_div(weighted * self.conversion_factor, 10 ** (RVU_PLACES + GPCI_PLACES + CF_PLACES - 2))

    @property
    def priced(self) -> bool:
        """Rows whose RVUs are all zero are priced by the local contractor: no national amount."""
        return (self.work + self.nonfac_pe + self.mp) > 0 or (self.work + self.fac_pe + self.mp) > 0


@dataclass(frozen=True)
class Locality:
    """A Medicare payment locality and its GPCIs (thousandths)."""

    mac: str
    locality: str
    state: str
    name: str
    work: int
    pe: int
    mp: int

    @property
    def key(self) -> str:
        return f"{self.mac}-{self.locality}"


@dataclass(frozen=True)
class Benchmark:
    """The Medicare amount for one unit of a service, and how it was obtained."""

    code: str
    modifier: str
    cents: int
    setting: Setting
    locality: Locality | None
    year: int
    source: str

    @property
    def where(self) -> str:
        if self.locality is None:
            return "national"
        return f"locality {self.locality.key} ({self.locality.name})"


@dataclass(frozen=True)
class FeeSchedule:
    """One year's fee schedule."""

    year: int
    rows: Mapping[tuple[str, str], RvuRow]
    localities: Mapping[str, Locality]
    source: str

    def find_locality(self, text: str) -> Locality | None:
        """``"13202-01"`` (MAC and locality) or ``"NY-01"`` (state and locality)."""
        parts = [p for p in re.split(r"[\s\-/:]+", text.strip().upper()) if p]
        if len(parts) != 2:
            return None
        first, number = parts
        number = number.zfill(2)
        if first.isdigit():
            return self.localities.get(f"{first.zfill(5)}-{number}")
        matches = [loc for loc in self.localities.values() if loc.state == first and loc.locality == number]
        return matches[0] if len(matches) == 1 else None

    def benchmark(
        self,
        code: str,
        modifiers: Iterable[str] = (),
        *,
        setting: Setting | None,
        locality: str | None = None,
    ) -> Benchmark | None:
        """The amount for one unit, or None when the code is not nationally priced here.

        ``setting`` None (place of service unknown) takes the higher of the two amounts, so an
        unknown setting never makes a price look worse than it is. An unknown ``locality`` falls
        back to the national amount.
        """
        code = code.strip().upper()
        modifier = next((m for m in (x.strip().upper() for x in modifiers) if m in PRICED_MODIFIERS), "")
        row = self.rows.get((code, modifier))
        if row is None or not row.priced:
            return None
        place = self.find_locality(locality) if locality else None
        settings: tuple[Setting, ...] = (setting,) if setting else ("non-facility", "facility")

        def amount(s: Setting) -> int:
            return row.locality_cents(s, place) if place else row.national_cents(s)

        chosen = max(settings, key=amount)
        cents = amount(chosen)
        if cents <= 0:
            return None
        return Benchmark(code, modifier, cents, chosen, place, self.year, self.source)


@dataclass(frozen=True)
class FeeSchedules:
    """The fee schedules of every year available, shipped and imported."""

    by_year: Mapping[int, FeeSchedule]

    def for_date(self, when: dt.date | None) -> FeeSchedule | None:
        """The year of service if we have it, else the latest earlier year, else the earliest."""
        if not self.by_year:
            return None
        years = sorted(self.by_year)
        if when is None:
            return self.by_year[years[-1]]
        earlier = [y for y in years if y <= when.year]
        return self.by_year[earlier[-1] if earlier else years[0]]


def user_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where imported tables live: ``EOBSCAN_DATA_DIR``, else ``$XDG_DATA_HOME/eobscan``, else
    ``~/.local/share/eobscan``."""
    env = os.environ if env is None else env
    if env.get("EOBSCAN_DATA_DIR"):
        return Path(env["EOBSCAN_DATA_DIR"])
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "eobscan"


def _rows(path: Path, columns: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise FeeScheduleError(f"{path.name}: the columns are not {', '.join(columns)}")
        yield from enumerate(reader, start=2)


def read_rvu_table(path: Path) -> tuple[dict[tuple[str, str], RvuRow], str]:
    rows: dict[tuple[str, str], RvuRow] = {}
    sources: set[str] = set()
    for number, row in _rows(path, RVU_COLUMNS):
        try:
            item = RvuRow(
                code=row["code"].strip().upper(),
                modifier=row["modifier"].strip().upper(),
                status=row["status"].strip().upper(),
                work=scaled(row["work_rvu"], RVU_PLACES),
                nonfac_pe=scaled(row["nonfac_pe_rvu"], RVU_PLACES),
                fac_pe=scaled(row["fac_pe_rvu"], RVU_PLACES),
                mp=scaled(row["mp_rvu"], RVU_PLACES),
                conversion_factor=scaled(row["conversion_factor"], CF_PLACES),
            )
        except ValueError as exc:
            raise FeeScheduleError(f"{path.name} row {number}: {exc}") from None
        if not item.code or (item.code, item.modifier) in rows:
            raise FeeScheduleError(f"{path.name} row {number}: empty or repeated code and modifier")
        rows[(item.code, item.modifier)] = item
        sources.add(row["source"])
    return rows, "; ".join(sorted(sources))


def read_gpci_table(path: Path) -> dict[str, Locality]:
    localities: dict[str, Locality] = {}
    for number, row in _rows(path, GPCI_COLUMNS):
        try:
            item = Locality(
                mac=row["mac"].strip(),
                locality=row["locality"].strip(),
                state=row["state"].strip().upper(),
                name=row["locality_name"].strip(),
                work=scaled(row["work_gpci"], GPCI_PLACES),
                pe=scaled(row["pe_gpci"], GPCI_PLACES),
                mp=scaled(row["mp_gpci"], GPCI_PLACES),
            )
        except ValueError as exc:
            raise FeeScheduleError(f"{path.name} row {number}: {exc}") from None
        if item.key in localities:
            raise FeeScheduleError(f"{path.name} row {number}: repeated locality")
        localities[item.key] = item
    return localities


def read_year(directory: Path, year: int) -> FeeSchedule:
    rows, source = read_rvu_table(directory / RVU_PATTERN.format(year=year))
    gpci = directory / GPCI_PATTERN.format(year=year)
    localities = read_gpci_table(gpci) if gpci.exists() else {}
    return FeeSchedule(year=year, rows=rows, localities=localities, source=source)


def years_in(directory: Path) -> list[int]:
    if not directory.is_dir():
        return []
    found = (_FILE_YEAR.match(p.name) for p in directory.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


def load_fee_schedules(directories: Iterable[Path]) -> FeeSchedules:
    """Every year found in ``directories``; a later directory wins for a year both hold."""
    by_year: dict[int, FeeSchedule] = {}
    for directory in directories:
        for year in years_in(directory):
            by_year[year] = read_year(directory, year)
    return FeeSchedules(by_year)


@lru_cache(maxsize=1)
def shipped_fee_schedules() -> FeeSchedules:
    """Only the tables shipped with the package: what tests and reproducible scans use."""
    return load_fee_schedules([SHIPPED_DIR])


def default_fee_schedules() -> FeeSchedules:
    """The shipped tables plus the user's imported ones (which win for their year).

    A broken imported file must not cost the user the shipped benchmark: it is skipped.
    """
    try:
        return load_fee_schedules([SHIPPED_DIR, user_data_dir()])
    except (FeeScheduleError, OSError, KeyError):
        return shipped_fee_schedules()
