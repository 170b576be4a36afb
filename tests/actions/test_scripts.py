"""Call scripts: for every kind of action, whom to call, what to have at hand, what to say and what
to ask for, with the client's placeholders left literal."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import get_args

import pytest

from scanner.actions import facts
from scanner.actions.scripts import ALWAYS_ASK, GUIDES, call_script
from scanner.model import Action, ActionKind, Claim, Finding


def test_every_action_kind_has_a_script() -> None:
    assert set(GUIDES) == set(get_args(ActionKind))


@pytest.mark.parametrize("kind", get_args(ActionKind))
def test_each_kind_says_whom_to_call_what_to_have_and_asks_for_a_reference_number(
    kind: str, claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    finding = finding_for(None, kind=kind, actions=[Action(kind=kind, who="", summary="Do it.")])  # type: ignore[arg-type]
    script = call_script(finding.actions[0], finding, claim)
    assert script.kind == kind
    assert script.who  # the kind's default when the check named no one
    assert script.have_at_hand
    assert script.ask_for[0] == ALWAYS_ASK
    assert "reference number" in script.ask_for[0]
    assert script.in_writing.startswith("Get in writing:")
    assert script.note_down
    text = " ".join([script.who, script.say, *script.have_at_hand, *script.ask_for])
    assert set(re.findall(r"\{([a-z_]+)\}", text)) <= facts.CLIENT_PLACEHOLDERS
    assert "{{" not in text


def test_the_default_words_carry_the_findings_numbers(
    claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    action = Action(kind="request_reprocessing", who="", summary="Reprocess")
    finding = finding_for(None, actions=[action])
    script = call_script(action, finding, claim)
    assert script.say.startswith("I'm calling about claim {claim_number} for member {member_id}.")
    assert "CPT 99214 on March 2, 2026" in script.say
    assert "$30.00" in script.say
    assert "corrected EOB" in " ".join(script.ask_for)
    assert (
        "The Explanation of Benefits for claim {claim_number} (processed March 20, 2026)"
        in script.have_at_hand
    )


def test_the_checks_own_words_and_contact_win(claim: Claim, finding_for: Callable[..., Finding]) -> None:
    action = Action(
        kind="call_insurer",
        who="your insurer's appeals line",
        summary="Call",
        script="Hello, about claim {claim_number}: line 1 is wrong.",
        template="reprocessing_request",
    )
    script = call_script(action, finding_for(None, actions=[action]), claim)
    assert script.who == "your insurer's appeals line"
    assert script.say == "Hello, about claim {claim_number}: line 1 is wrong."
    assert script.letter == "reprocessing_request"


def test_a_bill_dispute_asks_for_dispute_status_in_writing(
    claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    action = Action(kind="dispute_bill", who="", summary="Dispute")
    script = call_script(action, finding_for(None, actions=[action]), claim)
    asks = " ".join(script.ask_for)
    assert "dispute status" in asks and "collections" in asks
    assert "Written confirmation" in asks
    assert "billing office" in script.who
    assert "does not match my insurer's Explanation of Benefits for claim {claim_number}" in script.say


def test_an_appeal_call_asks_for_the_denial_reason_in_writing(
    claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    action = Action(kind="appeal_internal", who="", summary="Appeal")
    script = call_script(action, finding_for(None, actions=[action]), claim)
    assert "The specific reason for the denial, in writing" in script.ask_for
    assert script.deadline is not None and script.deadline.isoformat() == "2026-09-16"


def test_a_no_surprises_complaint_goes_to_the_federal_help_desk(
    claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    action = Action(kind="file_complaint", who="", summary="Complain")
    script = call_script(action, finding_for(None, actions=[action]), claim)
    assert "No Surprises Help Desk" in script.who and "1-800-985-3059" in script.who


def test_a_script_works_without_the_claim(finding_for: Callable[..., Finding]) -> None:
    action = Action(kind="negotiate", who="", summary="Negotiate")
    script = call_script(action, finding_for(None, actions=[action]), None)
    assert "the date on the statement" in script.say
    assert any("prompt-pay discount" in ask for ask in script.ask_for)
