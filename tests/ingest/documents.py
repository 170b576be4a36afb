"""Invented EOBs and their renderings: PDFs in every layout, pasted text and CSV exports.

Every document here is rendered from a :class:`Case` (the truth), so a test can parse the
rendering and compare each amount with the amount that was printed. All people, ids and
providers are invented; amounts are made up to be internally consistent.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas

from scanner.money import dollars

PATIENT = "Rowan Testwell"
MEMBER_ID = "ZZT000123456"

SERVICES = (
    ("99213", "Office visit, established"),
    ("99214", "Office visit, moderate"),
    ("80053", "Comprehensive metabolic panel"),
    ("85025", "Complete blood count"),
    ("71046", "Chest x-ray, 2 views"),
    ("93000", "Electrocardiogram"),
    ("36415", "Venipuncture"),
    ("77080", "Bone density study"),
    ("J1100", "Dexamethasone injection"),
    ("99284", "Emergency department visit"),
)


@dataclass
class Line:
    date: dt.date
    code: str
    description: str
    billed: int
    discount: int
    allowed: int
    plan_paid: int
    deductible: int
    copay: int
    coinsurance: int
    not_covered: int
    remarks: tuple[str, ...] = ()
    approved: bool = True
    units: int = 1
    #: The last day a line dated over several days covers ("03/02/2026 - 03/05/2026").
    end_date: dt.date | None = None
    #: The NPI printed beside the line (a "Rendering NPI" column).
    npi: str | None = None

    @property
    def you_owe(self) -> int:
        return self.deductible + self.copay + self.coinsurance + self.not_covered

    def amount(self, name: str) -> int:
        if name == "patient_responsibility":
            return self.you_owe
        if name == "copay_and_coinsurance":  # one column on EOBs that print the two together
            return self.copay + self.coinsurance
        return int(getattr(self, name))


@dataclass
class Claim:
    number: str
    provider: str
    network: str  # "In-Network" / "Out-of-Network"
    received: dt.date
    processed: dt.date
    lines: list[Line]
    #: Printed as "Provider NPI: ..." beside the claim's other labels, when set.
    npi: str | None = None
    #: Printed as "Place of Service: ...", when set.
    place_of_service: str | None = None

    def total(self, name: str) -> int:
        return sum(line.amount(name) for line in self.lines)


@dataclass
class Case:
    name: str
    payer: str
    claims: list[Claim]
    fields: tuple[str, ...] = ()  # the amount fields the rendering prints
    notes: dict[str, str] = field(default_factory=dict)


ALL_AMOUNTS = (
    "billed",
    "discount",
    "allowed",
    "plan_paid",
    "deductible",
    "copay",
    "coinsurance",
    "not_covered",
    "patient_responsibility",
)


def make_line(rng: random.Random, date: dt.date, index: int, denied: bool = False) -> Line:
    code, description = SERVICES[index % len(SERVICES)]
    billed = rng.randrange(4_000, 250_000)
    if denied:
        return Line(
            date, code, description, billed, 0, 0, 0, 0, 0, 0, billed, ("CO-50", "N130"), approved=False
        )
    allowed = billed * rng.randrange(35, 90) // 100
    deductible = min(allowed, rng.choice((0, 0, 2_500, 10_000)))
    copay = min(allowed - deductible, rng.choice((0, 0, 2_500, 4_000)))
    coinsurance = (allowed - deductible - copay) * rng.choice((0, 10, 20)) // 100
    plan_paid = allowed - deductible - copay - coinsurance
    remarks = ("CO-45",) if billed > allowed else ()
    return Line(
        date,
        code,
        description,
        billed,
        billed - allowed,
        allowed,
        plan_paid,
        deductible,
        copay,
        coinsurance,
        0,
        remarks,
    )


def make_claim(
    rng: random.Random,
    number: str,
    provider: str,
    lines: int,
    network: str = "In-Network",
    denied_every: int = 0,
) -> Claim:
    start = dt.date(2025, rng.randrange(1, 10), rng.randrange(1, 28))
    items = [
        make_line(
            rng,
            start + dt.timedelta(days=i // 5),
            i + rng.randrange(10),
            denied=bool(denied_every) and i % denied_every == denied_every - 1,
        )
        for i in range(lines)
    ]
    return Claim(
        number, provider, network, start + dt.timedelta(days=6), start + dt.timedelta(days=20), items
    )


def money(cents: int) -> str:
    return dollars(cents)


def us_date(day: dt.date) -> str:
    return day.strftime("%m/%d/%Y")


def long_date(day: dt.date) -> str:
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def line_dates(line: Line, form: Callable[[dt.date], str] = us_date, joiner: str = " - ") -> str:
    """A line's date, or its range when it covers several days: "03/02/2026 - 03/05/2026"."""
    if line.end_date is None:
        return form(line.date)
    return f"{form(line.date)}{joiner}{form(line.end_date)}"


# --- PDF helpers ---------------------------------------------------------------------------


class Sheet:
    """A reportlab canvas with a cursor, page breaks and the page furniture of a layout."""

    def __init__(
        self, pagesize: tuple[float, float], furniture: Callable[[Sheet], None], rotate: bool = False
    ) -> None:
        self.buffer = io.BytesIO()
        self.rotate = rotate
        width, height = pagesize
        self.width, self.height = width, height
        physical = (height, width) if rotate else (width, height)
        self.canvas = canvas.Canvas(self.buffer, pagesize=physical, pageCompression=1)
        self.furniture = furniture
        self.page = 0
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        if self.rotate:
            # The page is stored portrait and displayed landscape (/Rotate 90); the content is
            # drawn turned so it reads upright once displayed.
            self.canvas.setPageRotation(90)
            self.canvas.translate(self.height, 0)
            self.canvas.rotate(90)
        self.y = self.height - 40
        self.furniture(self)

    def text(
        self, x: float, value: str, size: float = 8, font: str = "Helvetica", align: str = "left"
    ) -> None:
        self.canvas.setFont(font, size)
        if align == "right":
            self.canvas.drawRightString(x, self.y, value)
        elif align == "center":
            self.canvas.drawCentredString(x, self.y, value)
        else:
            self.canvas.drawString(x, self.y, value)

    def down(self, points: float) -> None:
        self.y -= points

    def room(self, points: float) -> bool:
        return self.y - points > 50

    def watermark(self, text: str) -> None:
        self.canvas.saveState()
        self.canvas.setFont("Helvetica-Bold", 60)
        self.canvas.setFillGray(0.85)
        self.canvas.translate(self.width / 2, self.height / 2)
        self.canvas.rotate(35)
        self.canvas.drawCentredString(0, 0, text)
        self.canvas.restoreState()

    def margin_note(self, text: str) -> None:
        self.canvas.saveState()
        self.canvas.setFont("Helvetica", 6)
        self.canvas.translate(self.width - 14, 60)
        self.canvas.rotate(90)
        self.canvas.drawString(0, 0, text)
        self.canvas.restoreState()

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


@dataclass(frozen=True)
class Col:
    title: tuple[str, ...]
    x: float  # left edge
    width: float
    field: str  # a Line attribute or an amount name

    @property
    def right(self) -> float:
        return self.x + self.width - 2

    @property
    def center(self) -> float:
        return self.x + self.width / 2


def draw_header(
    sheet: Sheet, columns: Sequence[Col], size: float = 7, group: tuple[str, float, float] | None = None
) -> None:
    if group is not None:
        title, left, right = group
        sheet.text((left + right) / 2, title, size=size, font="Helvetica-Bold", align="center")
        sheet.down(size + 2)
    depth = max(len(c.title) for c in columns)
    for level in range(depth):
        for column in columns:
            offset = depth - len(column.title)
            if level >= offset:
                sheet.text(
                    column.center,
                    column.title[level - offset],
                    size=size,
                    font="Helvetica-Bold",
                    align="center",
                )
        sheet.down(size + 1.5)
    sheet.down(3)


def cell_text(line: Line, column: Col) -> tuple[str, str]:
    name = column.field
    if name == "date":
        return line_dates(line), "left"
    if name == "npi":
        return line.npi or "", "left"
    if name in ("code", "description"):
        return str(getattr(line, name)), "left"
    if name == "description_with_code":
        return f"{line.description} ({line.code})", "left"
    if name == "remarks":
        return " ".join(line.remarks), "left"
    if name == "approved":
        return ("Yes" if line.approved else "No"), "center"
    if name == "notes":
        return ("A" if line.approved else "C"), "center"
    if name == "units":
        return str(line.units), "left"
    return money(line.amount(name)), "right"


#: How a superscript footnote reference is drawn after an amount: in the amount's own text
#: object with a text rise (pdfminer puts it in the amount's text line, glued to it), or on its
#: own once the row is drawn (a text line of its own, just right of the amount).
FootnoteStyle = Literal["inline", "separate"]
SUPERSCRIPT_SIZE = 4.5
SUPERSCRIPT_RISE = 3.0


def accounting_number(cents: int) -> str:
    """An amount as accounting formats print it after the "$": "1,234.56", "(12.00)", "-" for zero."""
    if cents == 0:
        return "-"
    number = dollars(abs(cents)).lstrip("$")
    return f"({number})" if cents < 0 else number


def draw_amount(
    sheet: Sheet, column: Col, cents: int, size: float, font: str = "Helvetica", accounting: bool = False
) -> None:
    """An amount right-aligned in its cell; in accounting format, its "$" at the cell's left edge."""
    if accounting:
        sheet.text(column.x + 2, "$", size=size, font=font)
        sheet.text(column.right, accounting_number(cents), size=size, font=font, align="right")
    else:
        sheet.text(column.right, money(cents), size=size, font=font, align="right")


def draw_row(
    sheet: Sheet,
    line: Line,
    columns: Sequence[Col],
    size: float = 7,
    footnotes: Mapping[str, str] | None = None,
    footnote_style: FootnoteStyle = "separate",
    skip: frozenset[str] = frozenset(),
    accounting: bool = False,
) -> None:
    """``footnotes``: a superscript reference ("1") after the amount of these fields; ``skip``:
    fields whose cell is left empty; ``accounting``: amounts with their "$" apart."""
    footnotes = footnotes or {}
    later: list[tuple[float, str]] = []
    for column in columns:
        if column.field in skip:
            continue
        value, align = cell_text(line, column)
        mark = footnotes.get(column.field)
        if mark is not None and footnote_style == "inline":
            pdf = sheet.canvas
            width = pdf.stringWidth(value, "Helvetica", size)
            text = pdf.beginText(column.right - width, sheet.y)
            text.setFont("Helvetica", size)
            text.textOut(value)
            text.setFont("Helvetica", SUPERSCRIPT_SIZE)
            text.setRise(SUPERSCRIPT_RISE)
            text.textOut(mark)
            text.setRise(0)
            pdf.drawText(text)
            continue
        if mark is not None:
            later.append((column.right + 0.3, mark))
        if accounting and column.field in (*ALL_AMOUNTS, "copay_and_coinsurance"):
            draw_amount(sheet, column, line.amount(column.field), size, accounting=True)
        elif align == "right":
            sheet.text(column.right, value, size=size, align="right")
        elif align == "center":
            sheet.text(column.center, value, size=size, align="center")
        else:
            sheet.text(column.x + 1, value, size=size)
    for x, mark in later:
        sheet.canvas.setFont("Helvetica", SUPERSCRIPT_SIZE)
        sheet.canvas.drawString(x, sheet.y + SUPERSCRIPT_RISE, mark)
    sheet.down(size + 4)


def draw_totals(
    sheet: Sheet,
    claim: Claim,
    columns: Sequence[Col],
    label: str,
    size: float = 7,
    off_by: dict[str, int] | None = None,
    accounting: bool = False,
) -> None:
    sheet.text(columns[0].x + 1, label, size=size, font="Helvetica-Bold")
    for column in columns:
        if column.field in (*ALL_AMOUNTS, "copay_and_coinsurance"):
            printed = claim.total(column.field) + (off_by or {}).get(column.field, 0)
            draw_amount(sheet, column, printed, size, "Helvetica-Bold", accounting)
    sheet.down(size + 6)


# --- layout 1: a commercial member statement ---------------------------------------------------

STATEMENT_COLUMNS = (
    Col(("Date of", "Service"), 36, 56, "date"),
    Col(("Service", "Description"), 92, 150, "description"),
    Col(("Code",), 242, 40, "code"),
    Col(("Amount", "Billed"), 282, 54, "billed"),
    Col(("Network", "Discount"), 336, 54, "discount"),
    Col(("Amount", "Allowed"), 390, 54, "allowed"),
    Col(("Plan", "Paid"), 444, 54, "plan_paid"),
    Col(("Deductible",), 498, 54, "deductible"),
    Col(("Copay",), 552, 50, "copay"),
    Col(("Coinsurance",), 602, 54, "coinsurance"),
    Col(("Not", "Covered"), 656, 48, "not_covered"),
    Col(("What You", "Owe"), 704, 52, "patient_responsibility"),
)
#: The statement with the rendering provider's NPI beside each line.
NPI_STATEMENT_COLUMNS = (
    STATEMENT_COLUMNS[0],
    Col(("Service", "Description"), 92, 100, "description"),
    Col(("Rendering", "NPI"), 192, 50, "npi"),
    *STATEMENT_COLUMNS[2:],
)
#: A hospital's statement: each line's dates of service are a range, in a wider column.
STAY_STATEMENT_COLUMNS = (
    Col(("Dates of", "Service"), 36, 100, "date"),
    Col(("Service", "Description"), 136, 106, "description"),
    *STATEMENT_COLUMNS[2:],
)
#: The same statement from an insurer that prints copay and coinsurance in one column.
COMBINED_STATEMENT_COLUMNS = (
    *STATEMENT_COLUMNS[:8],
    Col(("Copay/", "Coinsurance"), 552, 104, "copay_and_coinsurance"),
    *STATEMENT_COLUMNS[10:],
)
#: A statement that prints the units just right of the billed amount, three points from it.
UNITS_STATEMENT_COLUMNS = (
    *STATEMENT_COLUMNS[:4],
    Col(("Units",), 336, 30, "units"),
    Col(("Amount", "Allowed"), 366, 54, "allowed"),
    Col(("Plan", "Paid"), 420, 54, "plan_paid"),
    Col(("Deductible",), 474, 54, "deductible"),
    Col(("Copay",), 528, 50, "copay"),
    Col(("Coinsurance",), 578, 54, "coinsurance"),
    Col(("What You", "Owe"), 632, 52, "patient_responsibility"),
)


def member_statement(
    case: Case,
    *,
    rows_per_page: int = 40,
    watermark: str | None = None,
    rotate: bool = False,
    totals_off_by: dict[str, int] | None = None,
    columns: Sequence[Col] = STATEMENT_COLUMNS,
    below_totals: Callable[[Sheet, Sequence[Col]], None] | None = None,
    footnotes: Mapping[tuple[int, str], str] | None = None,
    footnote_style: FootnoteStyle = "separate",
    skip: Mapping[int, frozenset[str]] | None = None,
    accounting: bool = False,
) -> bytes:
    """``below_totals`` draws what some EOBs print under the table (a plan-year summary box);
    ``footnotes`` a superscript reference after the amount of (line index, field), drawn in
    ``footnote_style`` (see :func:`draw_row`); ``skip`` leaves cells of (line index) empty;
    ``accounting`` prints the amounts as accounting formats do ("$" apart, "-" for zero)."""
    claim = case.claims[0]

    def furniture(sheet: Sheet) -> None:
        if watermark:
            sheet.watermark(watermark)
            sheet.margin_note(f"Document ref {MEMBER_ID}-{sheet.page:03d}")
        sheet.text(36, f"{case.payer} Explanation of Benefits", size=14, font="Helvetica-Bold")
        sheet.text(sheet.width - 36, f"Page {sheet.page}", size=8, align="right")
        sheet.down(16)
        sheet.text(36, "THIS IS NOT A BILL", size=9, font="Helvetica-Bold")
        sheet.down(18)
        if sheet.page == 1:
            pairs = [
                (f"Member: {PATIENT}", f"Member ID: {MEMBER_ID}"),
                (f"Claim Number: {claim.number}", f"Provider: {claim.provider}"),
                (f"Date Received: {us_date(claim.received)}", f"Date Processed: {us_date(claim.processed)}"),
                (f"Patient: {PATIENT}", f"Network Status: {claim.network}"),
            ]
            if claim.npi or claim.place_of_service:
                pairs.append(
                    (
                        f"Place of Service: {claim.place_of_service}" if claim.place_of_service else "",
                        f"Provider NPI: {claim.npi}" if claim.npi else "",
                    )
                )
            for left, right in pairs:
                sheet.text(36, left, size=9)
                sheet.text(330, right, size=9)
                sheet.down(13)
            sheet.down(8)
        else:
            sheet.text(36, f"Claim Number: {claim.number} (continued)", size=9)
            sheet.down(18)
        sheet.text(36, "Claim Detail", size=11, font="Helvetica-Bold")
        sheet.down(14)
        draw_header(sheet, columns)

    sheet = Sheet(landscape(letter), furniture, rotate=rotate)
    for index, line in enumerate(claim.lines):
        if index and index % rows_per_page == 0:
            sheet.new_page()
        marks = {name: mark for (at, name), mark in (footnotes or {}).items() if at == index}
        empty = (skip or {}).get(index, frozenset())
        draw_row(
            sheet,
            line,
            columns,
            footnotes=marks,
            footnote_style=footnote_style,
            skip=empty,
            accounting=accounting,
        )
    draw_totals(sheet, claim, columns, "Total", off_by=totals_off_by, accounting=accounting)
    if footnotes:
        sheet.down(6)
        for mark in sorted(set(footnotes.values())):
            sheet.text(36, f"{mark} See the remark codes on the back of this page.", size=7)
            sheet.down(10)
    if below_totals is not None:
        sheet.down(10)
        below_totals(sheet, columns)
    sheet.down(10)
    sheet.text(36, "Questions? Call the number on your member ID card.", size=8)
    return sheet.finish()


# --- layout 2: a commercial claims summary -----------------------------------------------------

SUMMARY_COLUMNS = (
    Col(("Date(s)",), 36, 56, "date"),
    Col(("Service",), 92, 128, "description"),
    Col(("Code",), 220, 40, "code"),
    Col(("Charges",), 260, 56, "billed"),
    Col(("Savings",), 316, 54, "discount"),
    Col(("Plan", "Allowance"), 370, 56, "allowed"),
    Col(("Paid by", "Plan"), 426, 56, "plan_paid"),
    Col(("Deductible",), 482, 54, "deductible"),
    Col(("Copay",), 536, 46, "copay"),
    Col(("Coinsurance",), 582, 56, "coinsurance"),
    Col(("Your", "Responsibility"), 638, 64, "patient_responsibility"),
    Col(("Remarks",), 706, 60, "remarks"),
)
REMARKS = {
    "CO-45": "Charges exceed the fee arrangement.",
    "CO-50": "Not deemed a medical necessity.",
    "N130": "Consult plan benefit documents.",
}


def claims_summary(case: Case) -> bytes:
    def furniture(sheet: Sheet) -> None:
        sheet.text(36, f"{case.payer} Claims Summary", size=14, font="Helvetica-Bold")
        sheet.text(sheet.width - 36, f"Page {sheet.page}", size=8, align="right")
        sheet.down(16)
        sheet.text(36, f"For: {PATIENT}     ID: {MEMBER_ID}", size=9)
        sheet.down(22)

    sheet = Sheet(landscape(letter), furniture)
    for claim in case.claims:
        if not sheet.room(70 + 12 * len(claim.lines)):
            sheet.new_page()
        sheet.text(36, f"Claim #: {claim.number}", size=9, font="Helvetica-Bold")
        sheet.text(200, f"Provider: {claim.provider}", size=9)
        sheet.text(520, f"Network: {claim.network}", size=9)
        sheet.down(12)
        sheet.text(36, f"Patient: {PATIENT}", size=9)
        sheet.text(200, f"Received: {us_date(claim.received)}", size=9)
        sheet.text(520, f"Processed: {us_date(claim.processed)}", size=9)
        sheet.down(16)
        draw_header(sheet, SUMMARY_COLUMNS, group=("Your Share", 482, 638))
        for line in claim.lines:
            draw_row(sheet, line, SUMMARY_COLUMNS)
        draw_totals(sheet, claim, SUMMARY_COLUMNS, "Claim Total")
        sheet.down(12)
    sheet.text(36, "Remark Codes", size=10, font="Helvetica-Bold")
    sheet.down(13)
    for code, text in REMARKS.items():
        sheet.text(36, f"{code}: {text}", size=8)
        sheet.down(11)
    return sheet.finish()


# --- layout 2b: claims, each opened by a one-line summary with its amounts ----------------------

#: The amounts a claim's one-line summary prints: field, label, where the label starts and where
#: the amount ends (when the labels are set apart).
SUMMARY_LINE_AMOUNTS = (
    ("billed", "Billed", 420, 520),
    ("plan_paid", "Plan paid", 540, 630),
    ("patient_responsibility", "You owe", 650, 740),
)


def summary_blocks(
    case: Case,
    *,
    summary: str | None = "labelled",
    summary_off_by: dict[str, int] | None = None,
    totals_row: bool = False,
) -> bytes:
    """Each claim opens with a one-line summary printing its amounts, then its table (the
    statement's column titles, repeated for each claim).

    ``summary``: "labelled" puts labelled cells apart ("Claim Number: ...", "Provider: ...",
    "Billed:" "$480.00"...); "plain" prints one string ("Claim EX-1  Lakeside Family Clinic
    03/02/2025  Billed $480.00  Plan paid $300.00  You owe $60.00"); None prints no summary (the
    clean twin). ``summary_off_by`` prints a summary amount that disagrees with the lines;
    ``totals_row`` adds a "Total" row under each table.
    """

    def furniture(sheet: Sheet) -> None:
        sheet.text(36, f"{case.payer} Statement of Claims", size=14, font="Helvetica-Bold")
        sheet.text(sheet.width - 36, f"Page {sheet.page}", size=8, align="right")
        sheet.down(16)
        sheet.text(36, "THIS IS NOT A BILL", size=9, font="Helvetica-Bold")
        sheet.down(18)

    sheet = Sheet(landscape(letter), furniture)
    for claim in case.claims:
        if not sheet.room(60 + 11 * len(claim.lines)):
            sheet.new_page()
        printed = {
            name: money(claim.total(name) + (summary_off_by or {}).get(name, 0))
            for name, *_ in SUMMARY_LINE_AMOUNTS
        }
        if summary == "labelled":
            sheet.text(36, f"Claim Number: {claim.number}", size=9)
            sheet.text(200, f"Provider: {claim.provider}", size=9)
            for name, title, left, right in SUMMARY_LINE_AMOUNTS:
                sheet.text(left, f"{title}:", size=9)
                sheet.text(right, printed[name], size=9, align="right")
            sheet.down(16)
        elif summary == "plain":
            amounts = "  ".join(f"{title} {printed[name]}" for name, title, *_ in SUMMARY_LINE_AMOUNTS)
            first = us_date(min(line.date for line in claim.lines))
            sheet.text(36, f"Claim {claim.number}  {claim.provider}  {first}  {amounts}", size=9)
            sheet.down(16)
        draw_header(sheet, STATEMENT_COLUMNS)
        for line in claim.lines:
            draw_row(sheet, line, STATEMENT_COLUMNS)
        if totals_row:
            draw_totals(sheet, claim, STATEMENT_COLUMNS, "Total")
        sheet.down(12)
    return sheet.finish()


# --- layout 3: the Medicare Summary Notice -----------------------------------------------------

MSN_COLUMNS = (
    Col(("Service Provided &", "Billing Code"), 36, 200, "description_with_code"),
    Col(("Service", "Approved?"), 236, 56, "approved"),
    Col(("Amount", "Provider", "Charged"), 292, 66, "billed"),
    Col(("Medicare-", "Approved", "Amount"), 358, 66, "allowed"),
    Col(("Medicare", "Paid"), 424, 60, "plan_paid"),
    Col(("Maximum", "You May", "Be Billed"), 484, 66, "patient_responsibility"),
    Col(("See", "Notes"), 550, 40, "notes"),
)


def medicare_summary_notice(case: Case) -> bytes:
    def furniture(sheet: Sheet) -> None:
        sheet.text(
            36, "Medicare Summary Notice for Part B (Medical Insurance)", size=13, font="Helvetica-Bold"
        )
        sheet.down(14)
        sheet.text(
            36,
            "The Official Summary of Your Medicare Claims from the Centers for Medicare & Medicaid Services",
            size=8,
        )
        sheet.text(sheet.width - 36, f"Page {sheet.page}", size=8, align="right")
        sheet.down(12)
        sheet.text(36, "THIS IS NOT A BILL", size=9, font="Helvetica-Bold")
        sheet.down(20)

    sheet = Sheet(letter, furniture)
    sheet.text(36, PATIENT, size=10)
    sheet.down(12)
    sheet.text(36, "100 Example Lane, Testville, ZZ 00000", size=10)
    sheet.down(18)
    owed = sum(c.total("patient_responsibility") for c in case.claims)
    sheet.text(36, f"Total You May Be Billed: {money(owed)}", size=10, font="Helvetica-Bold")
    sheet.down(24)
    sheet.text(36, "Your Claims & Costs This Period", size=11, font="Helvetica-Bold")
    sheet.down(16)
    for claim in case.claims:
        if not sheet.room(90 + 12 * len(claim.lines)):
            sheet.new_page()
        sheet.text(36, f"Claim Number: {claim.number}", size=9, font="Helvetica-Bold")
        sheet.text(300, f"Date of Service: {long_date(claim.lines[0].date)}", size=9)
        sheet.down(12)
        sheet.text(36, f"Provider: {claim.provider}", size=9)
        sheet.text(300, f"Received on: {long_date(claim.received)}", size=9)
        sheet.down(16)
        draw_header(sheet, MSN_COLUMNS)
        for line in claim.lines:
            draw_row(sheet, line, MSN_COLUMNS)
        draw_totals(sheet, claim, MSN_COLUMNS, f"Total for Claim {claim.number} (Assigned)")
        sheet.down(14)
    sheet.text(36, "Notes for Claims Above", size=10, font="Helvetica-Bold")
    sheet.down(12)
    sheet.text(36, "A  This information is being sent to your private insurer.", size=8)
    sheet.down(11)
    sheet.text(36, "C  This service is not covered when performed for this reason.", size=8)
    return sheet.finish()


# --- layout 4: a generic table (no recognisable brand) ----------------------------------------

GENERIC_COLUMNS = (
    Col(("Date",), 40, 60, "date"),
    Col(("Description",), 100, 170, "description_with_code"),
    Col(("Charges",), 270, 70, "billed"),
    Col(("Approved",), 340, 70, "allowed"),
    Col(("Insurance Paid",), 410, 80, "plan_paid"),
    Col(("Patient Responsibility",), 490, 90, "patient_responsibility"),
)


def generic_table(
    case: Case,
    *,
    rotate: bool = False,
    watermark: str | None = None,
    standing: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The generic statement of claims; ``standing`` adds the plan's standing under the last
    claim, one (label, value) row each."""

    def furniture(sheet: Sheet) -> None:
        if watermark:
            sheet.watermark(watermark)
            sheet.margin_note("Printed from the member website")
        sheet.text(40, f"{case.payer} - Statement of Claims Paid", size=12, font="Helvetica-Bold")
        sheet.down(22)

    sheet = Sheet(letter, furniture, rotate=rotate)
    for claim in case.claims:
        sheet.text(40, f"Claim Number: {claim.number}", size=9)
        sheet.text(260, f"Provider: {claim.provider}", size=9)
        sheet.down(12)
        sheet.text(40, f"Network Status: {claim.network}", size=9)
        sheet.down(16)
        draw_header(sheet, GENERIC_COLUMNS, size=8)
        for line in claim.lines:
            draw_row(sheet, line, GENERIC_COLUMNS, size=8)
        draw_totals(sheet, claim, GENERIC_COLUMNS, "Totals", size=8)
        sheet.down(12)
    for label, value in standing:
        sheet.text(40, label, size=9)
        sheet.text(260, value, size=9)
        sheet.down(12)
    return sheet.finish()


def scanned_image_pdf() -> bytes:
    """A PDF whose only content is a picture of an EOB: no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (850, 400), 255)
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), "Explanation of Benefits", fill=0)
    draw.text((20, 60), "Amount Billed   Plan Paid   You Owe", fill=0)
    draw.text((20, 90), "$185.00         $120.00     $30.00", fill=0)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter)
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(image), 36, 400, width=540, height=254)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- text and CSV ------------------------------------------------------------------------------

TEXT_TABLE_FIELDS = (
    "billed",
    "discount",
    "allowed",
    "plan_paid",
    "deductible",
    "copay",
    "coinsurance",
    "patient_responsibility",
)
TEXT_TITLES = {
    "billed": "Amount Billed",
    "discount": "Plan Discount",
    "allowed": "Allowed",
    "plan_paid": "Plan Paid",
    "deductible": "Deductible",
    "copay": "Copay",
    "coinsurance": "Coinsurance",
    "not_covered": "Not Covered",
    "patient_responsibility": "You Owe",
}


def text_table(case: Case, *, separator: str = "  ", npi_column: bool = False, joiner: str = " - ") -> str:
    """``npi_column`` adds an "NPI" column after the code; ``joiner`` joins a line's range of dates."""
    npi_title = ["NPI"] if npi_column else []
    out = [f"{case.payer} - Explanation of Benefits"]
    for claim in case.claims:
        out += [
            f"Claim Number: {claim.number}   Provider: {claim.provider}",
            f"Patient: {PATIENT}   Member ID: {MEMBER_ID}",
            f"Network Status: {claim.network}",
            f"Date Processed: {us_date(claim.processed)}",
        ]
        out += [f"Provider NPI: {claim.npi}"] if claim.npi else []
        out += [
            "",
            separator.join(
                ["Date", "Service", "Code", *npi_title, *(TEXT_TITLES[f] for f in TEXT_TABLE_FIELDS)]
            ),
        ]
        for line in claim.lines:
            out.append(
                separator.join(
                    [
                        line_dates(line, joiner=joiner),
                        line.description,
                        line.code,
                        *([line.npi or ""] if npi_column else []),
                        *(money(line.amount(f)) for f in TEXT_TABLE_FIELDS),
                    ]
                )
            )
        blank = [""] * (2 + len(npi_title))
        out.append(separator.join(["Total", *blank, *(money(claim.total(f)) for f in TEXT_TABLE_FIELDS)]))
        out.append("")
    return "\n".join(out)


LABEL_FIELDS = (
    "billed",
    "allowed",
    "plan_paid",
    "deductible",
    "copay",
    "coinsurance",
    "patient_responsibility",
)
LABEL_TITLES = {
    "billed": "Billed",
    "allowed": "Allowed Amount",
    "plan_paid": "Paid by Plan",
    "deductible": "Deductible",
    "copay": "Copay",
    "coinsurance": "Coinsurance",
    "patient_responsibility": "Your Responsibility",
}


def text_labels(case: Case) -> str:
    out = []
    for claim in case.claims:
        out += [f"Claim #: {claim.number}", f"Provider: {claim.provider}", f"For: {PATIENT}"]
        for line in claim.lines:
            out.append(f"Date of Service: {us_date(line.date)}")
            out.append(f"Service: {line.description} ({line.code})")
            out += [f"{LABEL_TITLES[f]}: {money(line.amount(f))}" for f in LABEL_FIELDS]
            out.append("")
        out.append(f"Total You Owe: {money(claim.total('patient_responsibility'))}")
        out.append("")
    return "\n".join(out)


CSV_FIELDS = (
    "billed",
    "discount",
    "allowed",
    "plan_paid",
    "deductible",
    "copay",
    "coinsurance",
    "not_covered",
    "patient_responsibility",
)
CSV_TITLES = {
    "billed": "Amount Billed",
    "discount": "Savings",
    "allowed": "Allowed Amount",
    "plan_paid": "Plan Paid",
    "deductible": "Deductible",
    "copay": "Copay",
    "coinsurance": "Coinsurance",
    "not_covered": "Not Covered",
    "patient_responsibility": "Your Responsibility",
}


def csv_export(case: Case, *, delimiter: str = ",", npi_column: bool = False) -> str:
    """``npi_column`` adds a "Provider NPI" column after the provider's name."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(
        [
            "Claim Number",
            "Patient Name",
            "Provider",
            *(["Provider NPI"] if npi_column else []),
            "Network",
            "Date of Service",
            "Procedure Code",
            "Description",
            *(CSV_TITLES[f] for f in CSV_FIELDS),
        ]
    )
    for claim in case.claims:
        for line in claim.lines:
            writer.writerow(
                [
                    claim.number,
                    PATIENT,
                    claim.provider,
                    *([line.npi or ""] if npi_column else []),
                    claim.network,
                    line_dates(line, dt.date.isoformat),
                    line.code,
                    line.description,
                    *(money(line.amount(f)) for f in CSV_FIELDS),
                ]
            )
    return buffer.getvalue()
