"""The evidence pack: one printable HTML page with everything needed to dispute a claim.

The claims as read, each finding with its evidence and what to do, the accumulator ledger, the
deadlines, the letters, and a chart of the dollars at stake by class. The page is self-contained:
inline CSS, inline SVG, no script, no link, no image, and a Content-Security-Policy that forbids
loading anything, so opening it never tells anyone that it was opened. Every piece of data goes
through :func:`html.escape`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from html import escape

from scanner.actions.letters import TEMPLATE_IDS, fill_local, load_template
from scanner.actions.plan import ActionPlan
from scanner.actions.scripts import CallScript
from scanner.actions.stake_split import stake_parts_text
from scanner.deadlines import days_left
from scanner.model import AMOUNT_FIELDS, COMBINED_FIELDS, Claim, Finding, ScanRequest, ScanResult, ServiceLine
from scanner.money import dollars

CLASS_LABELS: dict[str, str] = {
    "insurer_processing": "Insurer processing",
    "coordination_of_benefits": "Coordination of benefits",
    "network": "Network / No Surprises Act",
    "oop_max": "Out-of-pocket maximum",
    "balance_billing": "Bill vs EOB",
    "denial": "Denials",
    "pricing": "Prices",
    "duplicate": "Duplicates",
}

AMOUNT_LABELS: dict[str, str] = {
    "billed": "Billed",
    "discount": "Discount",
    "allowed": "Allowed",
    "plan_paid": "Plan paid",
    "deductible": "Deductible",
    "copay": "Copay",
    "coinsurance": "Coinsurance",
    "copay_and_coinsurance": "Copay / coinsurance",
    "deductible_and_cost_sharing": "Deductible / cost sharing",
    "not_covered": "Not covered",
    "patient_responsibility": "Your share",
    "prior_payer_paid": "Other plan paid",
}

DASH = "\u2014"
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

STYLE = """
:root { color: #111; background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
body { max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1f4e79; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #888; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.summary { display: flex; gap: 1rem; flex-wrap: wrap; }
.summary div { border: 1px solid #888; padding: .5rem .8rem; min-width: 10rem; }
.summary strong { display: block; font-size: 1.3rem; }
.finding { border: 1px solid #666; border-left: 6px solid #1f4e79; padding: .5rem .9rem; margin: 1rem 0;
  break-inside: avoid; }
.finding.error { border-left-color: #a4161a; }
.finding.warning { border-left-color: #8a5a00; }
.meta { color: #333; font-size: .9rem; }
.passed { color: #a4161a; font-weight: bold; }
pre.letter { white-space: pre-wrap; border: 1px solid #888; padding: 1rem;
  font: 13px/1.4 ui-monospace, monospace; break-before: page; }
.note { color: #333; font-size: .85rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
"""


def render_html(request: ScanRequest, result: ScanResult, plan: ActionPlan) -> str:
    claims = result.claims or request.claims
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        "<title>EOB evidence pack</title>",
        f"<style>{STYLE}</style></head><body>",
        "<header><h1>EOB evidence pack</h1>",
        f'<p class="meta">Prepared {_e(_date(plan.as_of))} by EOB Scanner. Keep it with your '
        "Explanation of Benefits and your bills.</p></header>",
        _summary(result),
        _chart_section(result),
        _deadlines(plan),
        _findings(result.findings, claims, plan),
        _claims(claims),
        _ledger(result),
        _letters(plan),
        _checks(result),
        "</body></html>",
    ]
    return "\n".join(parts)


def _thead(*columns: str) -> str:
    """Header cells; a name starting with ``#`` is a right-aligned amount column."""
    cells = "".join(
        f"<th scope='col' class='num'>{_e(name[1:])}</th>"
        if name.startswith("#")
        else f"<th scope='col'>{_e(name)}</th>"
        for name in columns
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else DASH


def _money(cents: int | None) -> str:
    return dollars(cents) if cents is not None else DASH


def _summary(result: ScanResult) -> str:
    counts = result.summary.counts
    return (
        '<section aria-labelledby="summary"><h2 id="summary">Summary</h2><div class="summary">'
        "<div>Your share on the EOBs"
        f"<strong>{_e(dollars(result.summary.patient_responsibility))}</strong></div>"
        f"<div>At stake<strong>{_e(dollars(result.summary.amount_at_stake))}</strong>"
        f"{_e(stake_parts_text(result.summary) or '')}</div>"
        f"<div>Findings<strong>{len(result.findings)}</strong>"
        f"{_count(counts.get('error', 0), 'error')}, {_count(counts.get('warning', 0), 'warning')}, "
        f"{_count(counts.get('info', 0), 'saving')} to ask for</div>"
        "</div></section>"
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def chart_svg(by_class: dict[str, int]) -> str:
    """Horizontal bars of the dollars at stake per error class, as inline SVG."""
    rows = sorted(((amount, cls) for cls, amount in by_class.items() if amount > 0), reverse=True)
    if not rows:
        return '<p class="note">No dollars at stake.</p>'
    width, label_w, value_w, row_h = 640, 210, 110, 30
    bar_w = width - label_w - value_w
    top = max(amount for amount, _ in rows)
    height = row_h * len(rows) + 10
    title = "Dollars at stake by class: " + "; ".join(
        f"{CLASS_LABELS.get(cls, cls)} {dollars(amount)}" for amount, cls in rows
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<title id="chart-title">{_e(title)}</title>',
    ]
    for i, (amount, cls) in enumerate(rows):
        y = 5 + i * row_h
        length = max(2, round(bar_w * amount / top))
        out += [
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" font-size="13" fill="#111">'
            f"{_e(CLASS_LABELS.get(cls, cls))}</text>",
            f'<rect x="{label_w}" y="{y + 4}" width="{length}" height="{row_h - 10}" fill="#1f4e79"/>',
            f'<text x="{label_w + length + 6}" y="{y + 19}" font-size="13" fill="#111">'
            f"{_e(dollars(amount))}</text>",
        ]
    out.append("</svg>")
    return "".join(out)


def _chart_section(result: ScanResult) -> str:
    return (
        '<section aria-labelledby="chart"><h2 id="chart">Dollars at stake by class</h2>'
        f"{chart_svg(dict(result.summary.by_class))}"
        '<p class="note">Each dollar is counted once even when several findings flag the same line.</p>'
        "</section>"
    )


def _deadlines(plan: ActionPlan) -> str:
    if not plan.deadlines:
        body = "<p>No deadlines came out of this scan.</p>"
    else:
        rows = []
        for item in plan.deadlines:
            left = days_left(item.due, plan.as_of)
            status = f'<span class="passed">passed {-left} days ago</span>' if left < 0 else f"in {left} days"
            rows.append(
                f"<tr><td>{_e(_date(item.due))}</td><td>{status}</td><td>{_e(item.title)}</td>"
                f"<td>{_e(item.claim_id)}</td><td>{_e(item.rule)}</td></tr>"
            )
        body = (
            "<table><thead><tr><th scope='col'>Due</th><th scope='col'>When</th><th scope='col'>What</th>"
            "<th scope='col'>Claim</th><th scope='col'>Rule</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
            + '<p class="note">These are the federal minimums; your plan documents may allow more time. '
            "The calendar file (.ics) reminds you a week before each date.</p>"
        )
    return f'<section aria-labelledby="deadlines"><h2 id="deadlines">Deadlines</h2>{body}</section>'


def _findings(findings: Sequence[Finding], claims: Sequence[Claim], plan: ActionPlan) -> str:
    if not findings:
        return (
            '<section aria-labelledby="findings"><h2 id="findings">Findings</h2>'
            "<p>No problems found on these EOBs.</p></section>"
        )
    by_id = {claim.id: claim for claim in claims}
    parts = ['<section aria-labelledby="findings"><h2 id="findings">Findings</h2>']
    for index, finding in enumerate(findings):
        item = plan.findings[index] if index < len(plan.findings) else None
        parts.append(_finding(finding, by_id.get(finding.claim_id), item.calls if item else []))
    parts.append("</section>")
    return "".join(parts)


def _finding(finding: Finding, claim: Claim | None, calls: Sequence[CallScript]) -> str:
    where = f"claim {finding.claim_id}"
    if finding.line_ids and claim is not None:
        where += ", " + ", ".join(_line_name(claim, line_id) for line_id in finding.line_ids)
    parts = [
        f'<article class="finding {_e(finding.severity)}">',
        f"<h3>{_e(finding.rule)} \u00b7 {_e(finding.title)}</h3>",
        f'<p class="meta">{_e(finding.severity)} \u00b7 {_e(finding.confidence)} confidence \u00b7 '
        f"{_e(CLASS_LABELS.get(finding.error_class, finding.error_class))} \u00b7 {_e(where)} \u00b7 "
        f"at stake <strong>{_e(dollars(finding.amount_at_stake))}</strong></p>",
        f"<p>{_e(finding.message)}</p>",
    ]
    if finding.evidence:
        parts.append(
            "<table><caption class='note'>Evidence</caption>"
            + _thead("Field", "Value", "Expected", "Note")
            + "<tbody>"
        )
        for ev in finding.evidence:
            parts.append(
                f"<tr><td>{_e(ev.field)}</td><td>{_e(ev.value or '')}</td>"
                f"<td>{_e(ev.expected or '')}</td><td>{_e(ev.note or '')}</td></tr>"
            )
        parts.append("</tbody></table>")
    known = {"claim_number": claim.claim_number or ""} if claim is not None else {}
    for call in calls:
        parts.append(_call(call, known))
    if finding.references:
        refs = "".join(
            f"<li>{_e(ref.citation)}: {_e(ref.title)}{(' (' + _e(ref.url) + ')') if ref.url else ''}</li>"
            for ref in finding.references
        )
        parts.append(f"<p class='note'>References:</p><ul class='note'>{refs}</ul>")
    parts.append("</article>")
    return "".join(parts)


def _call(call: CallScript, known: dict[str, str]) -> str:
    due = f" by {_e(_date(call.deadline))}" if call.deadline else ""
    letter = f" Letter: {_e(letter_title(call.letter))} (below)." if call.letter else ""
    have = fill_local("; ".join(call.have_at_hand), known)
    return (
        f"<h4>What to do{due}</h4>"
        f"<p><strong>Call:</strong> {_e(call.who)}.{letter}</p>"
        f"<p><strong>Have at hand:</strong> {_e(have)}.</p>"
        f"<p><strong>Say:</strong> {_e(fill_local(call.say, known))}</p>"
        f"<p><strong>Ask for:</strong></p><ul>{''.join(f'<li>{_e(a)}</li>' for a in call.ask_for)}</ul>"
        f"<p>{_e(call.in_writing)} Note down: {_e('; '.join(call.note_down))}.</p>"
    )


def _line_name(claim: Claim, line_id: str) -> str:
    line = claim.line(line_id)
    if line is None or not line.code:
        return f"line {line_id}"
    return f"line {line_id} ({line.code})"


def _claims(claims: Sequence[Claim]) -> str:
    parts = ['<section aria-labelledby="claims"><h2 id="claims">Claims as read</h2>']
    for claim in claims:
        provider = claim.provider.name if claim.provider and claim.provider.name else DASH
        network = claim.provider.network if claim.provider else "unknown"
        parts.append(
            f"<h3>Claim {_e(claim.id)}</h3>"
            f'<p class="meta">Payer {_e(claim.payer or DASH)} \u00b7 provider {_e(provider)} '
            f"({_e(network)} network) \u00b7 service {_e(_date(claim.service_start))} to "
            f"{_e(_date(claim.service_end))} \u00b7 processed {_e(_date(claim.processed_date))} \u00b7 "
            f"status {_e(claim.status or DASH)}</p>"
        )
        parts.append(_lines_table(claim.lines))
    parts.append("</section>")
    return "".join(parts)


def amount_columns(lines: Sequence[ServiceLine], leave_out: Collection[str]) -> list[str]:
    """The amount columns of a claim's table: all but ``leave_out``, and a combined column only
    on a claim whose EOB printed it (most print copay, coinsurance and deductible apart)."""
    printed = {name for name in COMBINED_FIELDS if any(getattr(line, name) is not None for line in lines)}
    return [
        name
        for name in AMOUNT_FIELDS
        if name not in leave_out and (name not in COMBINED_FIELDS or name in printed)
    ]


def _lines_table(lines: Sequence[ServiceLine]) -> str:
    fields = amount_columns(lines, ("discount",))
    head = "".join(f"<th scope='col' class='num'>{AMOUNT_LABELS[name]}</th>" for name in fields)
    rows = []
    for line in lines:
        codes = ", ".join([f"{adj.group}-{adj.reason}" for adj in line.adjustments] + list(line.remarks))
        cells = "".join(f"<td class='num'>{_e(_money(getattr(line, name)))}</td>" for name in fields)
        rows.append(
            f"<tr><td>{_e(line.id)}</td><td>{_e(_date(line.service_date))}</td>"
            f"<td>{_e(line.code or '')}</td><td>{_e(line.description or '')}</td>{cells}"
            f"<td>{_e(codes)}</td></tr>"
        )
    return (
        "<table><thead><tr><th scope='col'>Line</th><th scope='col'>Date</th><th scope='col'>Code</th>"
        f"<th scope='col'>Description</th>{head}<th scope='col'>Codes</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


#: Said under a ledger with a lower bound in it; the extension's panel says the same.
LOWER_BOUND_NOTE = (
    "\u201cAt least\u201d: the figure leaves out what could not be counted, such as what was met "
    "before these claims (unless the plan's met amounts were given), a line without its network "
    "level, or a deductible printed together with coinsurance. What was met may be higher."
)


def ledger_figure(cents: int | None, partial: bool) -> str:
    """A met figure of the ledger; a lower bound says so rather than passing for the total."""
    return f"at least {dollars(cents)}" if partial and cents is not None else _money(cents)


def _ledger(result: ScanResult) -> str:
    if not result.ledger:
        body = "<p>No plan details were given, so no accumulator ledger was kept.</p>"
    else:
        rows = "".join(
            f"<tr><td>{_e(entry.member)}</td><td>{_e(entry.claim_id)}</td>"
            f"<td>{_e(_date(entry.service_date))}</td>"
            + "".join(
                f"<td class='num'>{_e(ledger_figure(cents, partial))}</td>"
                for cents, partial in (
                    (entry.deductible_met, entry.deductible_partial),
                    (entry.oop_met, entry.oop_partial),
                    (entry.family_deductible_met, entry.deductible_partial),
                    (entry.family_oop_met, entry.oop_partial),
                )
            )
            + "</tr>"
            for entry in result.ledger
        )
        body = (
            "<table>"
            + _thead(
                "Member",
                "Claim",
                "Service date",
                "#Deductible met",
                "#Out-of-pocket met",
                "#Family deductible",
                "#Family out-of-pocket",
            )
            + f"<tbody>{rows}</tbody></table>"
        )
        if any(entry.partial for entry in result.ledger):
            body += f"<p class='note'>{_e(LOWER_BOUND_NOTE)}</p>"
    title = "Deductible and out-of-pocket ledger"
    return f'<section aria-labelledby="ledger"><h2 id="ledger">{title}</h2>{body}</section>'


def _letters(plan: ActionPlan) -> str:
    letters = plan.letters()
    if not letters:
        return ""
    parts = [
        '<section aria-labelledby="letters"><h2 id="letters">Letters</h2>',
        '<p class="note">Fill in the parts in {braces} before you send a letter; they are left blank '
        "because the scanner never sees your name, member ID or address.</p>",
    ]
    for letter in letters:
        parts.append(
            f"<h3>{_e(letter.title)}: {_e(letter.rule)}, claim {_e(letter.claim_id)}</h3>"
            f'<pre class="letter">{_e(letter.text)}</pre>'
        )
    parts.append("</section>")
    return "".join(parts)


def _checks(result: ScanResult) -> str:
    rows = "".join(
        f"<li>{_e(check.name)} {_e(check.version)}: {_e(check.status)}</li>" for check in result.checks
    )
    return (
        '<section aria-labelledby="checks"><h2 id="checks">Checks that ran</h2>'
        f'<ul class="note">{rows}</ul></section>'
    )


def letter_title(template_id: str) -> str:
    return load_template(template_id).title if template_id in TEMPLATE_IDS else template_id
