"""EOB PDFs in every layout, generated here with invented people, read back line by line."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence

import msgspec
import pytest
from reportlab.lib.pagesizes import landscape, letter

from scanner.ingest import DocumentError, ParsedDocument, read_document
from scanner.ingest.pdf import PdfParser, read_words
from scanner.ingest.pdf_extract import drop_superscripts
from scanner.ingest.pdf_layouts import PdfLayout
from scanner.ingest.pdf_text import PdfText, Word
from scanner.model import ScanRequest, encode
from scanner.money import format_money
from scanner.testing import money
from scanner.totals_line import with_totals_lines

from . import documents as docs
from . import helpers


def _case(seed: int, *claims: tuple[str, str, int, str, int]) -> docs.Case:
    rng = random.Random(seed)
    made = [
        docs.make_claim(rng, number, provider, lines, network, denied)
        for number, provider, lines, network, denied in claims
    ]
    return docs.Case(f"case-{seed}", "Example Mutual Health", made)


ONE_CLAIM = _case(11, ("EOB-2025-000101", "Lakeside Family Clinic", 5, "In-Network", 0))
TWO_CLAIMS = _case(
    12,
    ("EOB-2025-000201", "Lakeside Family Clinic", 4, "In-Network", 0),
    ("EOB-2025-000202", "Riverbend Anesthesia Associates", 3, "Out-of-Network", 3),
)


def assert_read_as_printed(pdf: bytes, case: docs.Case, fields: tuple[str, ...], layout: str) -> None:
    document = read_document(pdf, "statement.pdf")
    assert (document.kind, document.parser) == ("pdf", layout)
    assert [c.claim_number for c in document.claims] == [c.number for c in case.claims]
    for claim, truth in zip(document.claims, case.claims, strict=True):
        assert claim.source == "pdf"
        assert [(ln.code, ln.service_date) for ln in claim.lines] == [(t.code, t.date) for t in truth.lines]
        for line, expected in zip(claim.lines, truth.lines, strict=True):
            assert {f: getattr(line, f) for f in fields} == {f: expected.amount(f) for f in fields}
        assert {f: getattr(claim.totals, f) for f in fields} == {f: truth.total(f) for f in fields}
    assert document.notes == []


def test_member_statement_layout_reads_two_line_column_titles() -> None:
    assert_read_as_printed(
        docs.member_statement(docs.Case("a", "Example Mutual Health", ONE_CLAIM.claims)),
        ONE_CLAIM,
        docs.ALL_AMOUNTS,
        "pdf-member-statement",
    )


def test_an_accounting_format_dollar_sign_at_the_cells_edge_is_read_with_its_number() -> None:
    """Statements printed from spreadsheets put each "$" at the left edge of its cell, the number
    at the right and "-" for zero; the clean twin, the same statement with "$1,234.00", is
    read by the test above."""
    assert_read_as_printed(
        docs.member_statement(ONE_CLAIM, accounting=True),
        ONE_CLAIM,
        docs.ALL_AMOUNTS,
        "pdf-member-statement",
    )


def test_a_lone_dollar_sign_joins_no_text_and_takes_no_column() -> None:
    """A "$" just after a code is not part of the code, and a "$" whose number is missing leaves
    its column empty instead of taking the amount beside it."""
    header = docs.STATEMENT_COLUMNS[2:6]  # Code, Amount Billed, Network Discount, Amount Allowed

    def furniture(sheet: docs.Sheet) -> None:
        sheet.text(36, "Claim Number: EOB-2025-000909", size=9)
        sheet.down(16)
        docs.draw_header(sheet, header)

    sheet = docs.Sheet(landscape(letter), furniture)
    code, billed, discount, allowed = header
    sheet.text(code.x + 1, "99213", size=7)
    sheet.text(code.x + 22, "$", size=7)  # a point after the code
    sheet.text(billed.right, "245.00", size=7, align="right")
    sheet.text(discount.x + 2, "$", size=7)  # no number after it
    sheet.text(allowed.x + 2, "$", size=7)
    sheet.text(allowed.right, "140.00", size=7, align="right")
    document = read_document(sheet.finish(), "statement.pdf")

    (line,) = document.claims[0].lines
    assert (line.code, line.billed, line.discount, line.allowed) == ("99213", 24500, None, 14000)
    assert document.notes == []


def test_member_statement_header_fields_come_from_its_labels() -> None:
    claim = read_document(docs.member_statement(ONE_CLAIM), "x.pdf").claims[0]
    truth = ONE_CLAIM.claims[0]
    assert (claim.received_date, claim.processed_date) == (truth.received, truth.processed)
    assert claim.provider is not None
    assert (claim.provider.name, claim.provider.network) == ("Lakeside Family Clinic", "in")
    assert {line.network for line in claim.lines} == {"in"}


def test_claims_summary_layout_reads_several_claims_under_a_group_title() -> None:
    pdf = docs.claims_summary(TWO_CLAIMS)
    fields = tuple(f for f in docs.ALL_AMOUNTS if f != "not_covered")
    assert_read_as_printed(pdf, TWO_CLAIMS, fields, "pdf-claims-summary")


def test_claims_summary_remark_codes_become_adjustments_and_remarks() -> None:
    claims = read_document(docs.claims_summary(TWO_CLAIMS), "x.pdf").claims
    denied = claims[1].lines[2]
    assert [(a.group, a.reason) for a in denied.adjustments] == [("CO", "50")]
    assert denied.remarks == ["N130"]
    assert claims[1].provider is not None
    assert (claims[1].provider.network, claims[1].provider.role) == ("out", "anesthesiology")


def test_medicare_summary_notice_layout() -> None:
    pdf = docs.medicare_summary_notice(TWO_CLAIMS)
    fields = ("billed", "allowed", "plan_paid", "patient_responsibility")
    assert_read_as_printed(pdf, TWO_CLAIMS, fields, "pdf-medicare-msn")
    claims = read_document(pdf, "msn.pdf").claims
    assert {c.payer for c in claims} == {"Medicare"}
    assert [line.denied for line in claims[1].lines] == [False, False, True]
    # Note letters point at the MSN's notes, they are not reason codes.
    assert all(not line.adjustments and not line.remarks for c in claims for line in c.lines)


def test_generic_layout_reads_an_unbranded_table() -> None:
    fields = ("billed", "allowed", "plan_paid", "patient_responsibility")
    assert_read_as_printed(docs.generic_table(TWO_CLAIMS), TWO_CLAIMS, fields, "pdf-generic-table")


def test_a_landscape_page_stored_rotated_is_read_upright_and_angled_text_is_ignored() -> None:
    pdf = docs.generic_table(TWO_CLAIMS, rotate=True, watermark="COPY")
    fields = ("billed", "allowed", "plan_paid", "patient_responsibility")
    assert_read_as_printed(pdf, TWO_CLAIMS, fields, "pdf-generic-table")


def test_a_diagonal_watermark_and_a_vertical_margin_note_do_not_disturb_the_table() -> None:
    pdf = docs.member_statement(ONE_CLAIM, watermark="SAMPLE")
    assert_read_as_printed(pdf, ONE_CLAIM, docs.ALL_AMOUNTS, "pdf-member-statement")


@pytest.fixture(scope="module")
def twenty_pages() -> tuple[bytes, docs.Case]:
    rng = random.Random(20)
    claim = docs.make_claim(rng, "EOB-2025-020000", "Lakeside Family Clinic", 20 * 30 - 4)
    case = docs.Case("twenty", "Example Mutual Health", [claim])
    return docs.member_statement(case, rows_per_page=30), case


def test_a_twenty_page_table_continues_across_pages(twenty_pages: tuple[bytes, docs.Case]) -> None:
    pdf, case = twenty_pages
    document = read_document(pdf, "long.pdf")
    assert document.pages == 20
    assert len(document.claims) == 1
    lines = document.claims[0].lines
    assert len(lines) == 596
    assert sum(line.billed or 0 for line in lines) == case.claims[0].total("billed")
    assert [line.patient_responsibility for line in lines] == [t.you_owe for t in case.claims[0].lines]
    assert document.notes == []


def test_a_totals_row_that_disagrees_with_the_lines_is_reported() -> None:
    billed = ONE_CLAIM.claims[0].total("billed")
    pdf = docs.member_statement(ONE_CLAIM, totals_off_by={"billed": 100})
    document = read_document(pdf, "x.pdf")
    assert document.claims[0].totals is not None
    assert document.claims[0].totals.billed == billed + 100
    assert document.notes == [
        f"The printed total for 'amount billed' ({docs.money(billed + 100)}) differs from the sum of "
        f"the lines ({docs.money(billed)})."
    ]


def _year_to_date_box(sheet: docs.Sheet, columns: Sequence[docs.Col]) -> None:
    """The plan year's "Annual / Met to date / Remaining" box, its figures under amount columns."""
    by_field = {c.field: c for c in columns}
    for label, figures in (
        ("Deductible", (150000, 10000, 140000)),
        ("Out-of-Pocket", (500000, 12800, 487200)),
    ):
        sheet.text(37, label, size=7)
        for field, cents in zip(
            ("deductible", "coinsurance", "patient_responsibility"), figures, strict=True
        ):
            sheet.text(by_field[field].right, docs.money(cents), size=7, align="right")
        sheet.down(11)


def test_the_plan_years_summary_box_under_the_totals_is_no_service_line() -> None:
    document = read_document(docs.member_statement(ONE_CLAIM, below_totals=_year_to_date_box), "x.pdf")
    assert len(document.claims[0].lines) == len(ONE_CLAIM.claims[0].lines)
    assert document.notes == []


def test_the_member_and_patient_names_never_reach_the_claims() -> None:
    wire = encode(read_document(docs.member_statement(ONE_CLAIM), "x.pdf").claims)
    assert docs.PATIENT.encode() not in wire
    assert docs.MEMBER_ID.encode() not in wire


def test_a_scanned_pdf_without_text_gets_a_clear_error() -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(docs.scanned_image_pdf(), "scan.pdf")
    assert (caught.value.status, caught.value.code) == (422, "pdf_no_text")
    assert str(caught.value).startswith("This PDF has no text; OCR is not supported.")


def test_a_pdf_with_text_but_no_eob_table_says_so() -> None:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Dear member, thank you for choosing us.")
    page.save()
    with pytest.raises(DocumentError) as caught:
        read_document(buffer.getvalue(), "letter.pdf")
    assert (caught.value.status, caught.value.code) == (422, "no_eob_table")


def test_pdf_sniffing_is_by_content_not_by_name() -> None:
    pdf = docs.generic_table(TWO_CLAIMS)
    assert PdfParser().sniff(pdf, "claims.csv") == 0.99
    assert PdfParser().sniff(b"Billed: $185.00", "eob.pdf") == 0.0
    assert read_document(pdf, "claims.csv").kind == "pdf"


class _Refusing(PdfLayout):
    """A layout sure (to ``score``) that the words are its kind, that cannot read them."""

    def __init__(self, name: str, score: float, reason: str) -> None:
        self.name = name  # type: ignore[misc]
        self.score, self.reason = score, reason

    def match(self, text: PdfText) -> float:
        return self.score

    def read(self, text: PdfText) -> ParsedDocument:
        raise DocumentError(422, self.name, self.reason)


def test_when_no_layout_can_read_the_words_the_most_confident_ones_reason_is_told() -> None:
    text = PdfText(pages=[])
    layouts = (
        _Refusing("unsure", 0.2, "A vague reason."),
        _Refusing("sure", 0.9, "Row 3 has no date."),
        _Refusing("middling", 0.5, "Another reason."),
    )
    with pytest.raises(DocumentError) as refused:
        read_words(text, layouts)
    assert (refused.value.code, refused.value.message) == ("sure", "Row 3 has no date.")


def _detail_page_pdf(text: str) -> bytes:
    """A portal's claim detail page printed to PDF: one label and one value per row, no table."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    top = 760
    for row in text.splitlines():
        label, _, value = row.partition(" $") if " $" in row else (row, "", "")
        page.drawString(72, top, label)
        if value:
            page.drawString(300, top, "$" + value)
        top -= 14
    page.save()
    return buffer.getvalue()


def test_a_detail_page_saved_as_pdf_is_read_like_the_same_page_pasted() -> None:
    """No layout finds a table; the last resort reads the rows as the text reader reads a paste."""
    from .test_text import PORTAL_DETAIL_VIEW

    document = read_document(_detail_page_pdf(PORTAL_DETAIL_VIEW), "claim-detail.pdf")

    assert (document.kind, document.parser) == ("pdf", "pdf-labelled-text")
    (claim,) = document.claims
    assert claim.source == "pdf"
    assert [(ln.code, ln.billed, ln.patient_responsibility) for ln in claim.lines] == [
        ("99285", 295000, 295000),
        ("70450", 320000, 294400),
    ]


# --- superscript footnote references after amounts ---------------------------------------------

#: Superscripts after amounts of ONE_CLAIM: (line index, field) -> the reference printed.
FOOTNOTES = {
    (0, "plan_paid"): "1",
    (1, "not_covered"): "2",
    (2, "billed"): "12",
    (3, "patient_responsibility"): "a",
    (4, "discount"): "*",
}


@pytest.mark.parametrize("style", ["separate", "inline"])
def test_a_superscript_footnote_reference_after_an_amount_is_no_part_of_the_table(
    style: docs.FootnoteStyle,
) -> None:
    """Drawn on its own it fell under the next column ($2.00 of deductible); drawn in the amount's
    text line with a text rise it was glued to it ("$978.561", refused)."""
    pdf = docs.member_statement(ONE_CLAIM, footnotes=FOOTNOTES, footnote_style=style)
    assert_read_as_printed(pdf, ONE_CLAIM, docs.ALL_AMOUNTS, "pdf-member-statement")


def _with_units(case: docs.Case, units: int) -> docs.Case:
    claim = case.claims[0]
    lines = [dataclasses.replace(line, units=units) for line in claim.lines]
    return docs.Case(case.name, case.payer, [dataclasses.replace(claim, lines=lines)])


def test_units_printed_just_right_of_an_amount_are_read_and_a_superscript_there_is_not() -> None:
    """The clean twin: the same "3", at full size on the baseline three points right of the
    billed amount, is the line's units; drawn small and raised there (with no units printed) it is
    a footnote reference, and the line has the default unit."""
    case = _with_units(ONE_CLAIM, 3)
    columns = docs.UNITS_STATEMENT_COLUMNS
    printed = read_document(docs.member_statement(case, columns=columns), "x.pdf")
    marked = read_document(
        docs.member_statement(
            case, columns=columns, footnotes={(0, "billed"): "3"}, skip={0: frozenset({"units"})}
        ),
        "x.pdf",
    )
    assert [line.units for line in printed.claims[0].lines] == [3, 3, 3, 3, 3]
    assert [line.units for line in marked.claims[0].lines] == [1, 3, 3, 3, 3]
    fields = [c.field for c in columns if c.field in docs.ALL_AMOUNTS]
    for document in (printed, marked):
        assert document.notes == []
        for line, truth in zip(document.claims[0].lines, case.claims[0].lines, strict=True):
            assert {f: getattr(line, f) for f in fields} == {f: truth.amount(f) for f in fields}


def _word(x0: float, x1: float, bottom: float, size: float, text: str) -> Word:
    return Word(x0=x0, x1=x1, top=bottom - size, bottom=bottom, text=text, size=size)


def test_only_a_short_word_small_and_raised_right_after_another_is_dropped() -> None:
    amount = _word(470.7, 496.0, 169.45, 7.0, "$112.00")
    superscript = _word(496.3, 498.8, 165.93, 4.5, "2")
    kept = [
        _word(496.3, 500.2, 169.45, 7.0, "1"),  # full size, on the baseline: units
        _word(496.3, 498.8, 168.9, 4.5, "1"),  # small but on the baseline
        _word(506.0, 508.5, 165.93, 4.5, "1"),  # small and raised, but a column away
        _word(496.3, 498.8, 160.0, 4.5, "1"),  # small, above the amount's line
        _word(496.3, 520.0, 165.93, 4.5, "Note"),  # raised small text, not a reference
    ]
    for other in kept:
        assert drop_superscripts([amount, other]) == [amount, other]
    assert drop_superscripts([amount, superscript, *kept[:1]]) == [amount, kept[0]]


# --- a claim's one-line summary above its table ------------------------------------------------

SUMMARY_TOTALS = tuple(name for name, *_ in docs.SUMMARY_LINE_AMOUNTS)


def _lines(document: ParsedDocument) -> list[object]:
    """Every line of the document, whichever claim it is in (ids are per claim)."""
    return [msgspec.structs.replace(line, id="-") for claim in document.claims for line in claim.lines]


@pytest.mark.parametrize("summary", ["labelled", "plain"])
def test_a_claims_one_line_summary_is_its_header_and_its_totals_not_a_line(summary: str) -> None:
    """ "Claim EOB-1  Lakeside Family Clinic  08/09/2025  Billed $5,795.95  Plan paid ...  You owe
    ..." above each table: once a service line of the claim before (refused: "Billed:" is not an
    amount), now the claim's number, provider and printed totals."""
    document = read_document(docs.summary_blocks(TWO_CLAIMS, summary=summary), "claims.pdf")
    assert document.notes == []
    assert [c.claim_number for c in document.claims] == [c.number for c in TWO_CLAIMS.claims]
    assert [c.provider.name if c.provider else None for c in document.claims] == [
        c.provider for c in TWO_CLAIMS.claims
    ]
    for claim, truth in zip(document.claims, TWO_CLAIMS.claims, strict=True):
        assert [(ln.code, ln.service_date) for ln in claim.lines] == [(t.code, t.date) for t in truth.lines]
        for line, expected in zip(claim.lines, truth.lines, strict=True):
            assert {f: getattr(line, f) for f in docs.ALL_AMOUNTS} == {
                f: expected.amount(f) for f in docs.ALL_AMOUNTS
            }
        assert claim.totals is not None
        assert helpers.amounts(claim.totals) == {f: format_money(truth.total(f)) for f in SUMMARY_TOTALS}
        assert claim.service_start == min(t.date for t in truth.lines)
    # Judged on its lines: no claim with lines is given a line of its totals.
    assert not with_totals_lines(ScanRequest(claims=document.claims))[1]


def test_without_its_summary_lines_the_same_statement_reads_the_same_lines() -> None:
    bare = read_document(docs.summary_blocks(TWO_CLAIMS, summary=None), "claims.pdf")
    assert bare.notes == []
    assert [(c.claim_number, c.totals) for c in bare.claims] == [(None, None)]
    for summary in ("labelled", "plain"):
        summed = read_document(docs.summary_blocks(TWO_CLAIMS, summary=summary), "claims.pdf")
        assert _lines(summed) == _lines(bare)


def test_a_summary_that_disagrees_with_the_lines_changes_no_line_and_is_reported() -> None:
    clean = read_document(docs.summary_blocks(TWO_CLAIMS, summary="plain"), "claims.pdf")
    off = read_document(
        docs.summary_blocks(TWO_CLAIMS, summary="plain", summary_off_by={"billed": 100}), "x.pdf"
    )
    assert _lines(off) == _lines(clean)
    billed = [truth.total("billed") for truth in TWO_CLAIMS.claims]
    assert [c.totals.billed if c.totals else None for c in off.claims] == [b + 100 for b in billed]
    assert off.notes == [
        f"The printed total for 'amount billed' ({docs.money(b + 100)}) differs from the sum of the "
        f"lines ({docs.money(b)})."
        for b in billed
    ]
    # Under the table, the claim's totals row is the printed total that counts; the note stays.
    both = read_document(
        docs.summary_blocks(TWO_CLAIMS, summary="plain", summary_off_by={"billed": 100}, totals_row=True),
        "x.pdf",
    )
    assert _lines(both) == _lines(clean)
    assert [c.totals.billed if c.totals else None for c in both.claims] == billed
    assert both.notes == off.notes


def test_the_plans_standing_printed_under_the_claims_is_read_and_is_no_line() -> None:
    standing = [
        ("Individual deductible:", "$1,500.00"),
        ("Deductible met so far:", "$1,500.00"),
        ("Out-of-pocket maximum:", "$4,000.00"),
        ("Out-of-pocket met so far:", "$3,060.00"),
    ]
    pdf = docs.generic_table(TWO_CLAIMS, standing=standing)
    fields = ("billed", "allowed", "plan_paid", "patient_responsibility")
    assert_read_as_printed(pdf, TWO_CLAIMS, fields, "pdf-generic-table")
    document = read_document(pdf, "eob.pdf")
    first, last = document.claims
    assert first.accumulators is None and last.accumulators is not None
    printed = last.accumulators
    assert (printed.deductible, printed.deductible_met) == (money("1500.00"), money("1500.00"))
    assert (printed.oop_max, printed.oop_met) == (money("4000.00"), money("3060.00"))
    assert not any("not read" in note for note in document.notes)
