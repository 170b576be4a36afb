"""EOB PDFs in every layout, generated here with invented people, read back line by line."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from reportlab.lib.pagesizes import landscape, letter

from scanner.ingest import DocumentError, ParsedDocument, read_document
from scanner.ingest.pdf import PdfParser, read_words
from scanner.ingest.pdf_layouts import PdfLayout
from scanner.ingest.pdf_text import PdfText
from scanner.model import encode

from . import documents as docs


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
