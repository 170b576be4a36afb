"""The evidence pack: everything in one printable page that loads nothing, and the same as PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import ClassVar

import msgspec
import pytest
from pypdf import PdfReader

from scanner.actions.plan import plan_actions
from scanner.actions.report import chart_svg, render_html
from scanner.actions.report_pdf import render_pdf
from scanner.model import (
    Action,
    Claim,
    DeadlineItem,
    Evidence,
    Finding,
    LedgerEntry,
    Party,
    ScanRequest,
    ScanResult,
    Summary,
)
from scanner.money import Money
from scanner.reference.citations import cite


@pytest.fixture
def scanned(
    request_with_bill: ScanRequest, finding_for: Callable[..., Finding]
) -> tuple[ScanRequest, ScanResult]:
    reprocess = finding_for(
        "reprocessing_request",
        evidence=[Evidence(field="patient_responsibility", value="60.00", expected="30.00")],
    )
    balance = finding_for(
        "balance_billing_dispute",
        kind="dispute_bill",
        rule="BAL001",
        name="bill-above-eob",
        check="balance_billing",
        error_class="balance_billing",
        title="The bill asks for more than the EOB",
        message="The statement asks $150.00 but the EOB says you owe $60.00: $90.00 too much.",
        line_ids=[],
        amount_at_stake=9000,
        evidence=[Evidence(field="amount_due", value="150.00", expected="60.00", note="from the statement")],
        references=[cite("nsa-provider-balance-billing")],
        actions=[
            Action(
                kind="dispute_bill",
                who="the provider's billing office",
                summary="Dispute the bill",
                deadline=dt.date(2026, 12, 20),
                template="balance_billing_dispute",
            )
        ],
    )
    result = ScanResult(
        findings=[reprocess, balance],
        summary=Summary(
            patient_responsibility=Money(6000),
            amount_at_stake=Money(12000),
            by_class={"insurer_processing": Money(3000), "balance_billing": Money(9000)},
            counts={"error": 2, "warning": 0, "info": 0},
        ),
        checks=[],
        ledger=[
            LedgerEntry(
                member="self",
                claim_id="claim-7",
                service_date=dt.date(2026, 3, 2),
                deductible_met=Money(100000),
                oop_met=Money(245000),
            )
        ],
        deadlines=[
            DeadlineItem(
                title="Dispute the bill",
                due=dt.date(2026, 12, 20),
                claim_id="claim-7",
                rule="BAL001",
                kind="dispute_bill",
            ),
            DeadlineItem(
                title="File an internal appeal",
                due=dt.date(2026, 9, 16),
                claim_id="claim-7",
                rule="INS001",
                kind="appeal_internal",
            ),
        ],
    )
    return request_with_bill, result


class _Resources(HTMLParser):
    """Everything in a page that could make a browser fetch something."""

    FETCHING_TAGS: ClassVar[frozenset[str]] = frozenset(
        {
            "script",
            "link",
            "img",
            "iframe",
            "frame",
            "object",
            "embed",
            "audio",
            "video",
            "source",
            "track",
            "image",
            "use",
            "base",
            "form",
            "input",
            "meta-refresh",
        }
    )
    FETCHING_ATTRS: ClassVar[frozenset[str]] = frozenset(
        {
            "src",
            "href",
            "xlink:href",
            "srcset",
            "action",
            "formaction",
            "poster",
            "data",
            "background",
        }
    )

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.tags: list[str] = []
        self.meta: list[dict[str, str | None]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in self.FETCHING_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name in self.FETCHING_ATTRS:
                self.problems.append(f"{tag}[{name}]")
            if name == "style" and value and "url(" in value:
                self.problems.append(f"{tag}[style] url()")
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
        if tag == "meta":
            attributes = dict(attrs)
            self.meta.append(attributes)
            if (attributes.get("http-equiv") or "").lower() == "refresh":
                self.problems.append("meta refresh")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and ("url(" in data or "@import" in data or "@font-face" in data):
            self.problems.append("CSS that fetches")


def _audit(html: str) -> _Resources:
    parser = _Resources()
    parser.feed(html)
    return parser


def test_the_pack_loads_nothing_from_anywhere(scanned: tuple[ScanRequest, ScanResult]) -> None:
    request, result = scanned
    html = render_html(request, result, plan_actions(request, result))
    audit = _audit(html)
    assert audit.problems == []
    csp = next(m["content"] for m in audit.meta if m.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and csp.startswith("default-src 'none'")
    assert not re.search(r"(?:https?:)?//[^\s<\"']+\.(?:js|css|png|svg|woff2?)\b", html)


def test_the_pack_holds_claims_findings_evidence_ledger_letters_and_deadlines(
    scanned: tuple[ScanRequest, ScanResult],
) -> None:
    request, result = scanned
    html = render_html(request, result, plan_actions(request, result))
    assert "Your share on the EOBs<strong>$60.00</strong>" in html
    assert "At stake<strong>$120.00</strong>" in html
    # the claim as read
    assert "Claim claim-7" in html and "99214" in html and "$240.00" in html and "PR-2, N130" in html
    # each finding with its evidence and what to do
    assert "INS001 \u00b7 You are asked for more than the allowed amount leaves" in html
    assert "BAL001 \u00b7 The bill asks for more than the EOB" in html
    assert "<td>amount_due</td><td>150.00</td><td>60.00</td><td>from the statement</td>" in html
    assert "What to do by 2026-12-20" in html
    assert "dispute status" in html
    assert "I&#x27;m calling about claim ZZ-CLAIM-4471 for member {member_id}." in html  # known number filled
    assert "Letter: Request to reprocess a claim (below)." in html
    assert "45 CFR 149.410(b), 149.420(b)" in html
    # the ledger
    assert "$1,000.00" in html and "$2,450.00" in html
    # the deadlines, the passed one marked
    assert html.index("2026-09-16") < html.index("2026-12-20")
    assert "passed 71 days ago" in html and "in 24 days" in html
    # the letters, in full
    assert html.count('<pre class="letter">') == 2
    assert "Re: Request to reprocess claim ZZ-CLAIM-4471" in html
    assert "Dispute of a bill that does not match the EOB" in html


def test_the_pack_splits_the_total_into_what_is_likely_not_owed_and_what_to_ask_for(
    scanned: tuple[ScanRequest, ScanResult],
) -> None:
    request, result = scanned
    split = {"error": Money(9000), "warning": Money(0), "info": Money(3000)}
    result = msgspec.structs.replace(
        result, summary=msgspec.structs.replace(result.summary, total_by_severity=split)
    )
    parts = "$90.00 likely not owed (errors), $30.00 savings to ask for (info)"
    assert f"At stake<strong>$120.00</strong>{parts}</div>" in render_html(
        request, result, plan_actions(request, result)
    )
    reader = PdfReader(io.BytesIO(render_pdf(request, result, plan_actions(request, result))))
    assert f"At stake: {parts}." in " ".join(reader.pages[0].extract_text().split())


def test_the_chart_draws_one_bar_per_class_scaled_to_the_largest() -> None:
    svg = chart_svg({"balance_billing": 9000, "insurer_processing": 3000, "pricing": 0})
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert widths == [320, 107]  # 320 px for the largest; a third of it for $30 of $90
    assert ">Bill vs EOB</text>" in svg and ">$90.00</text>" in svg and ">$30.00</text>" in svg
    assert "Prices" not in svg  # nothing at stake, no bar
    assert '<title id="chart-title">Dollars at stake by class: Bill vs EOB $90.00; ' in svg


def test_no_dollars_no_chart() -> None:
    assert "<svg" not in chart_svg({})


def test_data_is_escaped_everywhere(
    scanned: tuple[ScanRequest, ScanResult], finding_for: Callable[..., Finding]
) -> None:
    request, result = scanned
    hostile = "<script>alert(1)</script>"
    claims: list[Claim] = [
        msgspec.structs.replace(
            claim, provider=Party(name=hostile, network="in"), payer='"><img src=x onerror=alert(1)>'
        )
        for claim in request.claims
    ]
    evil = finding_for("reprocessing_request", title=hostile, message=hostile)
    request = msgspec.structs.replace(request, claims=claims)
    result = msgspec.structs.replace(result, findings=[evil])
    html = render_html(request, result, plan_actions(request, result))
    assert hostile not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert _audit(html).problems == []


def test_the_pdf_has_the_same_sections(scanned: tuple[ScanRequest, ScanResult]) -> None:
    request, result = scanned
    pdf = render_pdf(request, result, plan_actions(request, result))
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "EOB evidence pack",
        "Dollars at stake by class",
        "Deadlines",
        "2026-09-16",
        "passed 71 days ago",
        "You are asked for more than the allowed amount leaves",
        "amount_due",
        "Claims as read",
        "99214",
        "Deductible and out-of-pocket ledger",
        "$2,450.00",
        "Re: Request to reprocess claim ZZ-CLAIM-4471",
        "$120.00",
    ):
        assert expected in text, expected
    assert len(reader.pages) >= 3  # each letter starts a page
    assert b"/URI" not in pdf and b"/Launch" not in pdf and b"/JavaScript" not in pdf


def test_a_clean_scan_makes_a_short_honest_pack(request_with_bill: ScanRequest) -> None:
    clean = ScanResult(
        findings=[],
        summary=Summary(patient_responsibility=Money(6000), amount_at_stake=Money(0), counts={}),
        checks=[],
    )
    html = render_html(request_with_bill, clean, plan_actions(request_with_bill, clean))
    assert "No problems found on these EOBs." in html
    assert "No dollars at stake." in html
    assert "No deadlines came out of this scan." in html
    assert "likely not owed" not in html
    assert '<pre class="letter">' not in html
    pdf = render_pdf(request_with_bill, clean, plan_actions(request_with_bill, clean))
    assert "No problems found" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _with_partial_ledger(result: ScanResult, *, deductible: bool, oop: bool) -> ScanResult:
    [entry] = result.ledger
    partial = msgspec.structs.replace(
        entry, partial=deductible or oop, deductible_partial=deductible, oop_partial=oop
    )
    return msgspec.structs.replace(result, ledger=[partial])


@pytest.mark.parametrize(
    ("deductible", "oop", "figures"),
    [
        (True, True, ("at least $1,000.00", "at least $2,450.00")),
        # A deductible printed with coinsurance: the out-of-pocket figure stays exact.
        (True, False, ("at least $1,000.00", "$2,450.00")),
    ],
)
def test_a_lower_bound_in_the_ledger_reads_at_least_in_the_pack_and_the_pdf(
    scanned: tuple[ScanRequest, ScanResult], deductible: bool, oop: bool, figures: tuple[str, str]
) -> None:
    """A figure that is a lower bound (a deductible printed with coinsurance, a line without its
    network level) is the least that was met: printed bare, "$0.00" would read as nothing met.
    Only the figure that is a lower bound says so."""
    request, result = scanned
    result = _with_partial_ledger(result, deductible=deductible, oop=oop)
    html = render_html(request, result, plan_actions(request, result))
    assert f"<td class='num'>{figures[0]}</td><td class='num'>{figures[1]}</td>" in html
    assert "What was met may be higher" in html
    pdf = render_pdf(request, result, plan_actions(request, result))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"{figures[0]} {figures[1]}" in text
    assert "What was met may be higher" in text


def test_an_exact_ledger_prints_its_figures_bare(scanned: tuple[ScanRequest, ScanResult]) -> None:
    request, result = scanned
    html = render_html(request, result, plan_actions(request, result))
    assert "<td class='num'>$1,000.00</td><td class='num'>$2,450.00</td>" in html
    assert "at least" not in html and "may be higher" not in html
    pdf = render_pdf(request, result, plan_actions(request, result))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "$1,000.00 $2,450.00" in text and "at least" not in text
