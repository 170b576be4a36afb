"""Claims printed with totals only, checked as one line.

A hospital's EOB often prints the claim's amounts once, at the header, with no service lines
(domain.md, 1.3), or with revenue lines that print their charges only ("0120  Room and board
$9,600.00") over a totals row that holds the whole adjudication. Every rule judges lines, so such
a claim would go unchecked: a deductible charged after it was met, cost sharing past the
out-of-pocket maximum, out-of-network prices for emergency care. The engine therefore gives the
checks one line made of the totals (:data:`TOTALS_LINE`) instead, and reports what they find on
it about the claim as a whole (no line ids), since the client sent no line the finding is about.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from scanner.model import AMOUNT_FIELDS, Amounts, Claim, Finding, ScanRequest, ServiceLine

#: The id of the line made of a claim's totals; a claim that gets one has no other line.
TOTALS_LINE = "totals"
TOTALS_DESCRIPTION = "the claim's totals"


#: The claims given a line of their totals, by id, each with the lines it was sent with.
Lined = Mapping[str, list[ServiceLine]]


def with_totals_lines(request: ScanRequest) -> tuple[ScanRequest, Lined]:
    """The request the checks see, and the claims given a line of their totals (with the lines
    they were sent with). The request itself when no claim needs one (the usual case: nothing is
    copied)."""
    lined = {claim.id: claim.lines for claim in request.claims if judged_by_totals(claim)}
    if not lined:
        return request, lined
    claims = [_one_line(claim) if claim.id in lined else claim for claim in request.claims]
    return msgspec.structs.replace(request, claims=claims), lined


def judged_by_totals(claim: Claim) -> bool:
    """Whether the claim is judged by its totals: it has no lines, or lines that print nothing
    but their charges under totals that print the adjudication."""
    if not claim.lines:
        return _has_amounts(claim)
    return all(_charges_only(line) for line in claim.lines) and _adjudicated(claim)


def as_printed(checked: Sequence[Claim], lined: Lined) -> list[Claim]:
    """The claims as the client sent them: the totals lines taken off again."""
    return [msgspec.structs.replace(c, lines=lined[c.id]) if c.id in lined else c for c in checked]


def about_the_claim(findings: Sequence[Finding], lined: Lined) -> list[Finding]:
    """Findings on a totals line, about its claim as a whole instead."""
    if not lined:
        return list(findings)
    return [
        msgspec.structs.replace(f, line_ids=[]) if f.claim_id in lined and f.line_ids == [TOTALS_LINE] else f
        for f in findings
    ]


def service_name(line: ServiceLine) -> str:
    """How a finding's message names a line: by its code, else by its id; the line made of a
    claim's totals is the claim itself ("yet this claim applies $500.00 to the deductible"), not
    a "line totals" the client never sent."""
    if line.code:
        return f"code {line.code}"
    if is_totals_line(line):
        return "this claim"
    return f"line {line.id}"


def is_totals_line(line: ServiceLine) -> bool:
    """Whether the line is one the engine made of a claim's totals (:func:`with_totals_lines`)."""
    return line.id == TOTALS_LINE and line.description == TOTALS_DESCRIPTION and not line.code


def _has_amounts(claim: Claim, *, besides: str | None = None) -> bool:
    """Whether the claim's totals print an amount (other than ``besides``)."""
    return claim.totals is not None and _prints_amounts(claim.totals, besides=besides)


def _prints_amounts(amounts: Amounts | ServiceLine, *, besides: str | None = None) -> bool:
    return any(getattr(amounts, name) is not None for name in AMOUNT_FIELDS if name != besides)


def _charges_only(line: ServiceLine) -> bool:
    return not _prints_amounts(line, besides="billed")


def _adjudicated(claim: Claim) -> bool:
    return _has_amounts(claim, besides="billed")


def _one_line(claim: Claim) -> Claim:
    totals = claim.totals
    amounts = {name: getattr(totals, name) for name in AMOUNT_FIELDS} if totals is not None else {}
    line = ServiceLine(
        id=TOTALS_LINE,
        service_date=claim.service_start or claim.service_end,
        description=TOTALS_DESCRIPTION,
        denied=claim.status == "denied",
        **amounts,
    )
    return msgspec.structs.replace(claim, lines=[line])
