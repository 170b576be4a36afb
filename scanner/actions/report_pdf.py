"""The evidence pack as a PDF (reportlab): the same sections as the HTML page, in print form.

Reportlab paragraphs take a small XML markup, so every piece of data is escaped before it goes in.
The chart is drawn with reportlab's own graphics, so the PDF, like the page, loads nothing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Preformatted,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from scanner.actions.letters import fill_local
from scanner.actions.plan import ActionPlan
from scanner.actions.report import (
    AMOUNT_LABELS,
    CLASS_LABELS,
    LOWER_BOUND_NOTE,
    amount_columns,
    ledger_figure,
    letter_title,
)
from scanner.actions.stake_split import stake_parts_text
from scanner.deadlines import days_left
from scanner.model import Claim, Finding, ScanRequest, ScanResult
from scanner.money import dollars

_STYLES = getSampleStyleSheet()
BODY = _STYLES["BodyText"]
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7.5, leading=9)
H1, H2, H3 = _STYLES["Title"], _STYLES["Heading2"], _STYLES["Heading3"]
LETTER_STYLE = ParagraphStyle("letter", parent=_STYLES["Code"], fontSize=8, leading=10)
BLUE = colors.HexColor("#1f4e79")

_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
    ]
)


def render_pdf(request: ScanRequest, result: ScanResult, plan: ActionPlan) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title="EOB evidence pack",
        author="EOB Scanner",
        leftMargin=0.6 * inch,
        rightMargin=0.6 * inch,
        topMargin=0.6 * inch,
        bottomMargin=0.6 * inch,
    )
    claims = result.claims or request.claims
    story: list[Flowable] = [
        Paragraph("EOB evidence pack", H1),
        _p(f"Prepared {plan.as_of.isoformat()} by EOB Scanner.", SMALL),
        *_summary(result),
        *_chart(result),
        *_deadlines(plan),
        *_findings(result.findings, claims, plan),
        *_claims(claims),
        *_ledger(result),
        *_letters(plan),
    ]
    doc.build(story)
    return buffer.getvalue()


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(rows: Sequence[Sequence[str]], widths: Sequence[float] | None = None) -> Table:
    cells = [[Paragraph(escape(cell), CELL) for cell in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(_GRID)
    return table


def _summary(result: ScanResult) -> list[Flowable]:
    counts = result.summary.counts
    parts = stake_parts_text(result.summary)
    return [
        Paragraph("Summary", H2),
        _table(
            [
                ["Your share on the EOBs", "At stake", "Findings"],
                [
                    dollars(result.summary.patient_responsibility),
                    dollars(result.summary.amount_at_stake),
                    f"{len(result.findings)} ({counts.get('error', 0)} error(s), "
                    f"{counts.get('warning', 0)} warning(s), {counts.get('info', 0)} saving(s))",
                ],
            ]
        ),
        *([Paragraph(escape(f"At stake: {parts}."), SMALL)] if parts else []),
    ]


def chart_drawing(by_class: dict[str, int]) -> Drawing | None:
    rows = sorted(((amount, cls) for cls, amount in by_class.items() if amount > 0), reverse=True)
    if not rows:
        return None
    width, label_w, value_w, row_h = 480, 160, 80, 22
    bar_w = width - label_w - value_w
    top = max(amount for amount, _ in rows)
    drawing = Drawing(width, row_h * len(rows) + 6)
    for i, (amount, cls) in enumerate(rows):
        y = drawing.height - (i + 1) * row_h
        length = max(2, bar_w * amount / top)
        drawing.add(String(label_w - 6, y + 7, CLASS_LABELS.get(cls, cls), fontSize=9, textAnchor="end"))
        drawing.add(Rect(label_w, y + 3, length, row_h - 8, fillColor=BLUE, strokeColor=None))
        drawing.add(String(label_w + length + 4, y + 7, dollars(amount), fontSize=9))
    return drawing


def _chart(result: ScanResult) -> list[Flowable]:
    drawing = chart_drawing(dict(result.summary.by_class))
    body: list[Flowable] = [drawing] if drawing is not None else [_p("No dollars at stake.")]
    return [Paragraph("Dollars at stake by class", H2), *body]


def _deadlines(plan: ActionPlan) -> list[Flowable]:
    if not plan.deadlines:
        return [Paragraph("Deadlines", H2), _p("No deadlines came out of this scan.")]
    rows = [["Due", "When", "What", "Claim", "Rule"]]
    for item in plan.deadlines:
        left = days_left(item.due, plan.as_of)
        when = f"passed {-left} days ago" if left < 0 else f"in {left} days"
        rows.append([item.due.isoformat(), when, item.title, item.claim_id, item.rule])
    return [
        Paragraph("Deadlines", H2),
        _table(rows, [0.9 * inch, 1.1 * inch, 3.2 * inch, 1.1 * inch, 0.7 * inch]),
        _p("These are the federal minimums; your plan documents may allow more time.", SMALL),
    ]


def _findings(findings: Sequence[Finding], claims: Sequence[Claim], plan: ActionPlan) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Findings", H2)]
    numbers = {claim.id: claim.claim_number or "" for claim in claims}
    if not findings:
        return [*story, _p("No problems found on these EOBs.")]
    for index, finding in enumerate(findings):
        label = CLASS_LABELS.get(finding.error_class, finding.error_class)
        block: list[Flowable] = [
            _p(f"{finding.rule} \u00b7 {finding.title}", H3),
            _p(
                f"{finding.severity} \u00b7 {finding.confidence} confidence \u00b7 "
                f"{label} \u00b7 claim {finding.claim_id}"
                f"{' lines ' + ', '.join(finding.line_ids) if finding.line_ids else ''} \u00b7 "
                f"at stake {dollars(finding.amount_at_stake)}",
                SMALL,
            ),
            _p(finding.message),
        ]
        if finding.evidence:
            rows = [["Field", "Value", "Expected", "Note"]] + [
                [ev.field, ev.value or "", ev.expected or "", ev.note or ""] for ev in finding.evidence
            ]
            block.append(_table(rows, [1.6 * inch, 1.1 * inch, 1.1 * inch, 3.2 * inch]))
        calls = plan.findings[index].calls if index < len(plan.findings) else []
        known = {"claim_number": numbers.get(finding.claim_id, "")}
        for call in calls:
            due = f" by {call.deadline.isoformat()}" if call.deadline else ""
            letter = f" Letter: {letter_title(call.letter)}." if call.letter else ""
            block += [
                _p(f"What to do{due}: call {call.who}.{letter}", SMALL),
                _p("Have at hand: " + fill_local("; ".join(call.have_at_hand), known) + ".", SMALL),
                _p("Say: " + fill_local(call.say, known), SMALL),
                _p("Ask for: " + "; ".join(call.ask_for) + ". " + call.in_writing, SMALL),
            ]
        if finding.references:
            refs = "; ".join(f"{ref.citation} ({ref.title})" for ref in finding.references)
            block.append(_p("References: " + refs, SMALL))
        story += [KeepTogether(block[:3]), *block[3:], Spacer(1, 8)]
    return story


def _claims(claims: Sequence[Claim]) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("Claims as read", H2)]
    for claim in claims:
        fields = amount_columns(claim.lines, ("discount", "prior_payer_paid"))
        provider = claim.provider.name if claim.provider and claim.provider.name else "-"
        story.append(_p(f"Claim {claim.id}", H3))
        story.append(
            _p(
                f"Payer {claim.payer or '-'} \u00b7 provider {provider} \u00b7 service "
                f"{claim.service_start or '-'} to {claim.service_end or '-'} \u00b7 processed "
                f"{claim.processed_date or '-'} \u00b7 status {claim.status or '-'}",
                SMALL,
            )
        )
        rows = [["Line", "Date", "Code", *[AMOUNT_LABELS[name] for name in fields], "Codes"]]
        for line in claim.lines:
            codes = ", ".join([f"{a.group}-{a.reason}" for a in line.adjustments] + list(line.remarks))
            amounts = [dollars(v) if (v := getattr(line, name)) is not None else "-" for name in fields]
            rows.append([line.id, str(line.service_date or "-"), line.code or "", *amounts, codes])
        story.append(_table(rows))
    return story


def _ledger(result: ScanResult) -> list[Flowable]:
    title = Paragraph("Deductible and out-of-pocket ledger", H2)
    if not result.ledger:
        return [title, _p("No plan details were given, so no accumulator ledger was kept.")]
    rows = [["Member", "Claim", "Service date", "Deductible met", "Out-of-pocket met"]]
    for entry in result.ledger:
        rows.append(
            [
                entry.member,
                entry.claim_id,
                str(entry.service_date or "-"),
                ledger_figure(entry.deductible_met, entry.deductible_partial),
                ledger_figure(entry.oop_met, entry.oop_partial),
            ]
        )
    if any(entry.partial for entry in result.ledger):
        return [title, _table(rows), _p(LOWER_BOUND_NOTE)]
    return [title, _table(rows)]


def _letters(plan: ActionPlan) -> list[Flowable]:
    story: list[Flowable] = []
    for letter in plan.letters():
        story += [
            PageBreak(),
            _p(f"Letter: {letter.title} ({letter.rule}, claim {letter.claim_id})", H2),
            Preformatted(letter.text, LETTER_STYLE, maxLineLength=110),
        ]
    return story
