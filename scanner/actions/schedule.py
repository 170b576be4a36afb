"""The deadlines of a scan: every date a finding's actions must be taken by, in date order.

Checks put the date on the action they propose. When a check proposes an internal appeal but could
not date it, the federal floor is computed here from the processed date (180 days, or 60 for
Medicare Advantage), because an undated appeal is the one a patient misses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from scanner.deadlines import internal_appeal, is_medicare_claim
from scanner.model import Action, Claim, DeadlineItem, Finding

#: What the calendar says for each kind of action when the action has no summary of its own.
KIND_TITLES: dict[str, str] = {
    "call_insurer": "Call the insurer",
    "call_provider": "Call the provider's billing office",
    "request_reprocessing": "Ask the insurer to reprocess the claim",
    "appeal_internal": "File an internal appeal",
    "external_review": "Request an external review",
    "request_itemized_bill": "Ask for an itemized bill",
    "dispute_bill": "Dispute the bill",
    "file_complaint": "File a complaint",
    "negotiate": "Negotiate the bill",
    "apply_financial_assistance": "Apply for financial assistance",
    "pay_undisputed": "Pay the undisputed part",
}


def action_deadline(action: Action, claim: Claim | None) -> dt.date | None:
    """The action's own date, or the appeal floor when an appeal was proposed without one."""
    if action.deadline is not None:
        return action.deadline
    if action.kind != "appeal_internal" or claim is None or claim.processed_date is None:
        return None
    processed, medicare = claim.processed_date, is_medicare_claim(claim)
    return within_calendar(lambda: internal_appeal(processed, medicare=medicare).due)


def within_calendar(compute: Callable[[], dt.date]) -> dt.date | None:
    """A date computed from a date on the EOB, or None when it falls past year 9999 (a typo on the
    EOB must not cost the user the rest of the scan)."""
    try:
        return compute()
    except (OverflowError, ValueError):
        return None


def deadlines_from(findings: Iterable[Finding], claims: Sequence[Claim]) -> list[DeadlineItem]:
    """One item per (claim, action kind, date), earliest first; the first finding to ask wins."""
    by_id = {claim.id: claim for claim in claims}
    items: dict[tuple[str, str, dt.date], DeadlineItem] = {}
    for finding in findings:
        claim = by_id.get(finding.claim_id)
        for action in finding.actions:
            due = action_deadline(action, claim)
            if due is None:
                continue
            key = (finding.claim_id, action.kind, due)
            if key not in items:
                items[key] = DeadlineItem(
                    title=_title(action),
                    due=due,
                    claim_id=finding.claim_id,
                    rule=finding.rule,
                    kind=action.kind,
                )
    return sorted(items.values(), key=lambda item: (item.due, item.claim_id, item.kind, item.rule))


def _title(action: Action) -> str:
    summary = action.summary.strip()
    return summary.rstrip(".") if summary else KIND_TITLES[action.kind]
