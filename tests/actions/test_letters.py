"""Letters: every kind renders from a finding, with the claim's numbers, the right citations and
no hole except the client's own placeholders; and no template can cite what the registry lacks."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources

import msgspec
import pytest

from scanner.actions import facts
from scanner.actions.letters import (
    TEMPLATE_IDS,
    LetterError,
    UnknownCitation,
    client_placeholders,
    fill,
    fill_local,
    letters_for,
    load_template,
    parse_template,
    render,
)
from scanner.model import Claim, Finding, Plan, PrintedAccumulators, ScanRequest
from scanner.money import Money
from scanner.reference.citations import CITATIONS, cite
from scanner.testing import DEFAULT_AS_OF

#: What each letter must cite (exact citation strings of the registry), beyond the finding's own.
EXPECTED_CITATIONS: dict[str, tuple[str, ...]] = {
    "reprocessing_request": ("29 CFR 2560.503-1", "45 CFR 147.136"),
    "appeal_internal_level1": ("29 CFR 2560.503-1", "45 CFR 147.136"),
    "appeal_internal_level2": ("29 CFR 2560.503-1", "45 CFR 147.136"),
    "medical_necessity_request": ("29 CFR 2560.503-1", "45 CFR 147.136"),
    "external_review_request": ("45 CFR 147.136",),
    "balance_billing_dispute": (),
    "cob_update": ("NAIC Model Regulation 120, Section 6",),
    "itemized_bill_request": ("45 CFR 164.524",),
    "nsa_complaint": ("45 CFR 149.150", "45 CFR 149.450"),
    "network_gap_exception": ("45 CFR 156.230",),
    "oop_max_reprocessing": ("45 CFR 156.130",),
    "financial_assistance_application": ("26 CFR 1.501(r)-1, 1.501(r)-4, 1.501(r)-6",),
    "prompt_pay_discount": (),
}

#: Anything that looks like a legal citation: CFR and U.S.C. sections, public laws, section signs.
LEGAL = re.compile(r"\bC\.?F\.?R\b|U\.?\s?S\.?\s?C\b|\bPub(?:lic)?\.?\s+L(?:aw)?\b|§|\b\d{2,3}\s+CFR\b", re.I)


def test_the_template_ids_are_the_ones_checks_use() -> None:
    assert set(TEMPLATE_IDS) == set(EXPECTED_CITATIONS)
    shipped = {
        entry.name.removesuffix(".txt")
        for entry in resources.files("scanner.actions").joinpath("templates").iterdir()
        if entry.name.endswith(".txt")
    }
    assert shipped == set(TEMPLATE_IDS)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_each_letter_renders_with_the_claims_numbers_and_its_citations(
    template_id: str, claim: Claim, request_with_bill: ScanRequest, finding_for: Callable[..., Finding]
) -> None:
    finding = finding_for(template_id)
    letter = render(
        template_id,
        finding,
        claim,
        as_of=DEFAULT_AS_OF,
        plan=request_with_bill.plan,
        bills=request_with_bill.bills,
    )
    text = letter.text
    assert "ZZ-CLAIM-4471" in text
    assert "March 2, 2026" in text
    assert "$60.00" in text  # the patient's share on the line
    assert "99214" in text
    if template_id not in ("prompt_pay_discount", "financial_assistance_application"):
        assert "$30.00" in text  # the amount at stake
    for citation in EXPECTED_CITATIONS[template_id]:
        assert citation in text, f"{template_id} should cite {citation}"
    assert "{{" not in text and "}}" not in text
    assert set(client_placeholders(text)) <= facts.CLIENT_PLACEHOLDERS
    assert set(re.findall(r"\{([^{}]*)\}", text)) <= facts.CLIENT_PLACEHOLDERS
    assert letter.placeholders == client_placeholders(text)
    assert "patient_name" in letter.placeholders  # the scanner never knows the name
    assert letter.template == template_id and letter.claim_id == "claim-7" and letter.line_ids == ["1"]


def test_the_letters_carry_the_numbers_of_their_kind(
    claim: Claim, request_with_bill: ScanRequest, finding_for: Callable[..., Finding]
) -> None:
    def text(template_id: str) -> str:
        return render(
            template_id,
            finding_for(template_id),
            claim,
            as_of=DEFAULT_AS_OF,
            plan=request_with_bill.plan,
            bills=request_with_bill.bills,
        ).text

    assert "$150.00" in text("balance_billing_dispute")  # the bill's amount due
    assert "April 15, 2026" in text("balance_billing_dispute")  # the bill's date
    assert "$3,000.00" in text("oop_max_reprocessing")  # the plan's out-of-pocket maximum
    assert "$48.00" in text("prompt_pay_discount")  # 20% off the $60.00 share
    assert "December 11, 2026" in text("financial_assistance_application")  # bill date + 240 days
    assert "PR-2, N130" in text("appeal_internal_level1")
    assert "E11.9" in text("medical_necessity_request")
    assert "September 16, 2026" in text("appeal_internal_level1")  # processed 2026-03-20 + 180 days


def test_the_prompt_pay_letter_cites_no_law(claim: Claim, finding_for: Callable[..., Finding]) -> None:
    finding = finding_for("prompt_pay_discount", references=[cite("aca-preventive")])
    letter = render("prompt_pay_discount", finding, claim, as_of=DEFAULT_AS_OF)
    assert not LEGAL.search(letter.text)
    assert letter.references == []


def test_a_letter_adds_the_findings_registry_references(
    claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    finding = finding_for(
        "balance_billing_dispute", references=[cite("nsa-emergency"), cite("nsa-provider-balance-billing")]
    )
    letter = render("balance_billing_dispute", finding, claim, as_of=DEFAULT_AS_OF)
    assert "45 CFR 149.410:" in letter.text
    assert "45 CFR 149.410(b), 149.420(b):" in letter.text
    assert [ref.citation for ref in letter.references] == ["45 CFR 149.410", "45 CFR 149.410(b), 149.420(b)"]


def test_a_reference_the_registry_lacks_is_never_printed(
    claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    from scanner.model import Reference

    forged = Reference(title="Made-up statute", citation="99 CFR 999.999", url="https://example.invalid/")
    finding = finding_for("reprocessing_request", references=[forged, cite("aca-preventive")])
    letter = render("reprocessing_request", finding, claim, as_of=DEFAULT_AS_OF)
    assert "99 CFR 999.999" not in letter.text
    assert "Made-up statute" not in letter.text
    assert "45 CFR 147.130" in letter.text


def test_rendering_fails_on_a_citation_key_the_registry_lacks() -> None:
    template = parse_template("probe", "title: Probe\nto: insurer\n---\nUnder {{cite:made-up-law}}.\n")
    with pytest.raises(UnknownCitation, match="made-up-law"):
        fill(template, {})


def test_rendering_fails_on_an_unknown_field_or_an_unknown_single_brace_placeholder() -> None:
    unknown_field = parse_template("probe", "title: Probe\nto: insurer\n---\nDear {{nobody}}.\n")
    with pytest.raises(LetterError, match="nobody"):
        fill(unknown_field, {})
    unknown_placeholder = parse_template(
        "probe", "title: Probe\nto: insurer\n---\nDear {favourite_colour}.\n"
    )
    with pytest.raises(LetterError, match="favourite_colour"):
        fill(unknown_placeholder, {})


def test_a_template_needs_its_header_and_a_known_recipient() -> None:
    with pytest.raises(LetterError, match="---"):
        parse_template("probe", "Dear insurer,\n")
    with pytest.raises(LetterError, match="recipient"):
        parse_template("probe", "title: Probe\nto: the moon\n---\nHello\n")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_citation_key_of_every_template_is_in_the_registry(template_id: str) -> None:
    template = load_template(template_id)
    assert set(template.citation_keys()) <= set(CITATIONS)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_no_template_writes_a_legal_citation_by_hand(template_id: str) -> None:
    """Citations come only through {{cite:key}}: strip those, and nothing law-like may remain."""
    body = load_template(template_id).body
    without_cites = re.sub(r"\{\{\s*cite:[a-z0-9-]+\s*\}\}", "", body)
    assert not LEGAL.search(without_cites), LEGAL.search(without_cites)


def test_the_call_scripts_write_no_legal_citation_by_hand() -> None:
    source = resources.files("scanner.actions").joinpath("scripts.py").read_text()
    assert not LEGAL.search(source)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_law_like_string_in_a_rendered_letter_is_a_registry_citation(
    template_id: str, claim: Claim, plan: Plan, finding_for: Callable[..., Finding]
) -> None:
    finding = finding_for(template_id, references=[cite("nsa-emergency")])
    text = render(template_id, finding, claim, as_of=DEFAULT_AS_OF, plan=plan).text
    known = "\n".join(f"{entry.citation} {entry.title} {entry.url}" for entry in CITATIONS.values())
    found = re.findall(r"\b\d{1,2} (?:CFR|U\.S\.C\.) \d+(?:\.\d+(?:\([a-z0-9]+\))?(?:-\d+)?)?", text)
    for citation in found:
        assert citation in known, citation
    if template_id != "prompt_pay_discount":
        assert "45 CFR 149.410" in found  # the finding's own reference made it in


def test_an_unknown_claim_number_stays_a_placeholder(
    claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    from msgspec.structs import replace

    anonymous = replace(claim, claim_number=None, payer=None)
    letter = render(
        "reprocessing_request", finding_for("reprocessing_request"), anonymous, as_of=DEFAULT_AS_OF
    )
    assert "Request to reprocess claim {claim_number}" in letter.text
    assert "{insurer_name}" in letter.text
    assert {"claim_number", "insurer_name"} <= set(letter.placeholders)


def test_the_client_fills_its_placeholders_locally(claim: Claim, finding_for: Callable[..., Finding]) -> None:
    letter = render(
        "appeal_internal_level1", finding_for("appeal_internal_level1"), claim, as_of=DEFAULT_AS_OF
    )
    filled = fill_local(letter.text, {"patient_name": "Avery Example", "member_id": "ZZM-0001", "phone": ""})
    assert "Avery Example" in filled and "ZZM-0001" in filled
    assert "{patient_name}" not in filled
    assert "{phone}" in filled  # an empty value leaves the blank for the user to see


def test_an_appeal_comes_with_the_physicians_letter_and_asks_for_the_reason_in_writing(
    claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    finding = finding_for("appeal_internal_level1", kind="appeal_internal")
    letters = letters_for([finding], [claim], as_of=DEFAULT_AS_OF)
    assert [(index, letter.template) for index, letter in letters] == [
        (0, "appeal_internal_level1"),
        (0, "medical_necessity_request"),
    ]
    appeal = letters[0][1].text
    assert "The specific reason for the decision, in writing" in appeal
    assert "letter of medical necessity" in appeal


def test_letters_for_skips_actions_without_a_template_and_findings_of_unknown_claims(
    claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    no_letter = finding_for(None, kind="call_insurer")
    elsewhere = finding_for("reprocessing_request", claim_id="claim-404")
    assert letters_for([no_letter, elsewhere], [claim], as_of=DEFAULT_AS_OF) == []


def test_letter_file_names_are_safe(claim: Claim, finding_for: Callable[..., Finding]) -> None:
    from msgspec.structs import replace

    odd = replace(claim, id="../../etc/passwd claim")
    finding = finding_for("reprocessing_request", claim_id=odd.id)
    letter = render("reprocessing_request", finding, odd, as_of=DEFAULT_AS_OF)
    assert re.fullmatch(r"[A-Za-z0-9._-]+\.txt", letter.filename)
    assert not letter.filename.startswith(".")


def test_an_oop_letter_without_a_typed_plan_names_the_maximum_the_eob_printed(
    claim: Claim, finding_for: Callable[..., Finding]
) -> None:
    printed = msgspec.structs.replace(claim, accumulators=PrintedAccumulators(oop_max=Money(400000)))
    [(_, letter)] = [
        pair
        for pair in letters_for([finding_for("oop_max_reprocessing")], [printed], as_of=DEFAULT_AS_OF)
        if pair[1].template == "oop_max_reprocessing"
    ]
    assert "$4,000.00" in letter.text
    assert "my plan's out-of-pocket maximum" not in letter.text
