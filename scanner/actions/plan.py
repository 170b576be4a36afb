"""Everything a patient does about a scan, finding by finding: the calls, the letters, the dates.

The upload page, the CLI and the evidence pack all read this one structure, so a letter looks the
same wherever it was downloaded.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from scanner.actions.letters import Letter, letters_for
from scanner.actions.schedule import deadlines_from
from scanner.actions.scripts import CallScript, call_script
from scanner.model import DeadlineItem, ScanRequest, ScanResult


class FindingPlan(msgspec.Struct, kw_only=True):
    """What to do about ``findings[finding]`` of the scan result."""

    finding: int
    rule: str
    claim_id: str
    line_ids: list[str]
    calls: list[CallScript]
    letters: list[Letter]


class ActionPlan(msgspec.Struct, kw_only=True):
    as_of: dt.date
    findings: list[FindingPlan]
    deadlines: list[DeadlineItem]

    def letters(self) -> list[Letter]:
        return [letter for item in self.findings for letter in item.letters]


def plan_actions(request: ScanRequest, result: ScanResult, *, as_of: dt.date | None = None) -> ActionPlan:
    """The plan for ``result``, which must be the scan of ``request``."""
    day = as_of or request.as_of or dt.date.today()
    claims = {claim.id: claim for claim in request.claims}
    letters: dict[int, list[Letter]] = {}
    for index, letter in letters_for(
        result.findings, request.claims, as_of=day, plan=request.plan, bills=request.bills
    ):
        letters.setdefault(index, []).append(letter)
    items = [
        FindingPlan(
            finding=index,
            rule=finding.rule,
            claim_id=finding.claim_id,
            line_ids=list(finding.line_ids),
            calls=[call_script(action, finding, claims.get(finding.claim_id)) for action in finding.actions],
            letters=letters.get(index, []),
        )
        for index, finding in enumerate(result.findings)
    ]
    deadlines = sorted(
        result.deadlines or deadlines_from(result.findings, request.claims),
        key=lambda item: (item.due, item.claim_id, item.kind, item.rule),
    )
    return ActionPlan(as_of=day, findings=items, deadlines=deadlines)
