"""Duplicates: a service charged twice, after reversals and replaced claims are netted out.

The reversal example is CARIN Blue Button 2.0.0 ``ExplanationOfBenefit-EOBProfessional2`` (CC0):
six lines on 2020-08-04, 75710 three times and 37228 three times, where line 2 reverses line 1
and line 6 reverses line 4. The claim below carries the file's numbers line by line (submitted,
eligible, benefit, noncovered, copay, deductible); the FHIR parser is tested elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from plugins.checks.duplicate import DuplicateCheck, standing_lines
from scanner.model import Claim, Party, RelatedClaim, ServiceLine
from scanner.testing import assert_silent, make_claim, make_line, money, only, run_check

CHECK = DuplicateCheck()
LAB = Party(name="Juniper Lab Services", npi="1234567893", network="in", role="laboratory")


def _cents(text: str) -> int:
    return money(text) or 0


def _panel(line_id: str, owed: str = "42.00", **kwargs: Any) -> ServiceLine:
    kwargs.setdefault("code", "80053")
    return make_line(
        line_id,
        billed="120.00",
        allowed="60.00",
        plan_paid="18.00",
        coinsurance=owed,
        patient_responsibility=owed,
        **kwargs,
    )


def test_the_same_service_twice_on_one_claim_is_a_duplicate() -> None:
    claim = make_claim(lines=[_panel("1"), _panel("2")], provider=LAB)
    finding = only(run_check(CHECK, [claim]), "DUP001")
    assert (finding.severity, finding.confidence, finding.line_ids) == ("error", "high", ["2"])
    assert finding.amount_at_stake == _cents("42.00")
    assert "line 1 of this claim and again as line 2" in finding.message
    assert finding.actions[0].template == "reprocessing_request"


def test_one_service_is_clean() -> None:
    assert_silent(
        run_check(CHECK, [make_claim(lines=[_panel("1"), _panel("2", code="85025")], provider=LAB)])
    )


HOSPITAL = Party(name="Lakeside General Hospital", npi="1548293671", network="in", role="facility")


def _hospital_claim(id: str, facility: Party) -> Claim:
    """A hospital's own claim: the facility billed it, no provider is named."""
    return make_claim(
        id,
        lines=[_panel("1", code="0450", code_system="REV")],
        claim_type="institutional",
        provider=None,
        facility=facility,
    )


def test_the_same_hospital_service_on_two_of_its_claims_is_a_duplicate() -> None:
    first, second = _hospital_claim("H1", HOSPITAL), _hospital_claim("H2", HOSPITAL)
    finding = only(run_check(CHECK, [first, second]), "DUP001")
    assert (finding.claim_id, finding.confidence, finding.amount_at_stake) == ("H2", "high", _cents("42.00"))


def test_the_same_service_at_two_hospitals_is_clean() -> None:
    other = Party(name="Riverside Medical Center", npi="1679576722", network="in", role="facility")
    assert_silent(run_check(CHECK, [_hospital_claim("H1", HOSPITAL), _hospital_claim("H2", other)]))


def test_the_same_service_on_two_claims_from_one_provider_is_a_duplicate() -> None:
    first = make_claim("claim-1", lines=[_panel("1")], provider=LAB)
    second = make_claim("claim-2", lines=[_panel("1", owed="40.00")], provider=LAB)
    finding = only(run_check(CHECK, [first, second]), "DUP001")
    assert (finding.claim_id, finding.amount_at_stake) == ("claim-2", _cents("40.00"))
    assert {e.field: e.value for e in finding.evidence}["original"] == "claim-1/1"


def test_the_same_code_from_another_provider_is_not_a_duplicate() -> None:
    other = Party(name="Aspen Diagnostics", npi="1098765432", network="in")
    first = make_claim("claim-1", lines=[_panel("1")], provider=LAB)
    second = make_claim("claim-2", lines=[_panel("1")], provider=other)
    assert_silent(run_check(CHECK, [first, second]))


def test_one_provider_printed_with_its_npi_on_one_eob_and_without_on_the_other_is_a_duplicate() -> None:
    """The portal's EOB shows the lab's NPI; the paper one only its name."""
    named_only = Party(name="JUNIPER LAB SERVICES", network="in", role="laboratory")
    first = make_claim("claim-1", lines=[_panel("1")], provider=LAB)
    second = make_claim("claim-2", lines=[_panel("1", owed="40.00")], provider=named_only)
    finding = only(run_check(CHECK, [first, second]), "DUP001")
    assert (finding.claim_id, finding.confidence) == ("claim-2", "medium")


def test_a_name_shared_by_two_npis_matches_neither_without_an_npi() -> None:
    """A group practice whose doctors bill under their own NPIs: the name alone says not which."""
    doctor = Party(name="Juniper Lab Services", npi="1098765432", network="in", role="laboratory")
    named_only = Party(name="Juniper Lab Services", network="in", role="laboratory")
    claims = [
        make_claim("claim-1", lines=[_panel("1")], provider=LAB),
        make_claim("claim-2", lines=[_panel("1")], provider=doctor),
        make_claim("claim-3", lines=[_panel("1")], provider=named_only),
    ]
    assert_silent(run_check(CHECK, claims))


def test_another_family_member_is_not_a_duplicate() -> None:
    first = make_claim("claim-1", lines=[_panel("1")], provider=LAB)
    second = make_claim("claim-2", lines=[_panel("1")], provider=LAB, member="child-1")
    assert_silent(run_check(CHECK, [first, second]))


def test_a_repeat_marked_with_modifier_91_is_a_distinct_service() -> None:
    claim = make_claim(lines=[_panel("1"), _panel("2", modifiers=["91"])], provider=LAB)
    assert_silent(run_check(CHECK, [claim]))


def test_different_units_are_different_services() -> None:
    claim = make_claim(lines=[_panel("1"), _panel("2", units=2)], provider=LAB)
    assert_silent(run_check(CHECK, [claim]))


def test_a_duplicate_already_denied_with_no_share_is_clean() -> None:
    claim = make_claim(lines=[_panel("1"), _panel("2", owed="0.00", denied=True)], provider=LAB)
    assert_silent(run_check(CHECK, [claim]))


def test_a_replaced_claim_is_not_a_duplicate_of_its_replacement() -> None:
    first = make_claim(
        "claim-1",
        lines=[_panel("1")],
        provider=LAB,
        related=[RelatedClaim(claim_id="claim-2", relationship="replaced_by")],
    )
    second = make_claim("claim-2", lines=[_panel("1", owed="30.00")], provider=LAB)
    assert_silent(run_check(CHECK, [first, second]))
    second.related.append(RelatedClaim(claim_id="claim-1", relationship="replaces"))
    first.related.clear()
    assert_silent(run_check(CHECK, [first, second]))


def test_a_reversal_on_a_later_claim_nets_out_the_earlier_line() -> None:
    first = make_claim("claim-1", lines=[_panel("1")], provider=LAB)
    reversal = make_line(
        "1",
        code="80053",
        billed="-120.00",
        allowed="-60.00",
        plan_paid="-18.00",
        coinsurance="-42.00",
        patient_responsibility="-42.00",
    )
    second = make_claim("claim-2", lines=[reversal, _panel("2")], provider=LAB)
    assert_silent(run_check(CHECK, [first, second]))


# --- the CARIN Blue Button reversal example ------------------------------------------------------

CARIN_DAY = dt.date(2020, 8, 4)
ORANGE = Party(name="Orange Medical Group", network="in")


def _carin_line(
    sequence: str,
    code: str,
    submitted: str,
    eligible: str,
    benefit: str,
    noncovered: str,
    copay: str = "0.00",
) -> ServiceLine:
    return make_line(
        sequence,
        code=code,
        code_system="CPT",
        service_date=CARIN_DAY,
        billed=submitted,
        allowed=eligible,
        plan_paid=benefit,
        not_covered=noncovered,
        copay=copay,
        deductible="0.00",
        patient_responsibility=copay,
    )


def _carin_claim(copays: dict[str, str] | None = None, leave_out: str | None = None) -> Claim:
    """EOBProfessional2's six lines; ``copays`` adds an invented copay per line to give the
    patient a share (the file's copays are all 0)."""
    copays = copays or {}
    rows = [
        ("1", "75710", "68.80", "34.80", "34.80", "0.00"),
        ("2", "75710", "-68.80", "-34.80", "-34.80", "0.00"),
        ("3", "75710", "68.80", "34.80", "34.80", "0.00"),
        ("4", "37228", "751.20", "224.11", "0.00", "224.11"),
        ("5", "37228", "751.20", "224.11", "224.11", "0.00"),
        ("6", "37228", "-751.20", "-224.11", "0.00", "-224.11"),
    ]
    lines = [_carin_line(*row, copay=copays.get(row[0], "0.00")) for row in rows if row[0] != leave_out]
    return make_claim(
        "EOBProfessional2",
        lines=lines,
        provider=ORANGE,
        service_start=CARIN_DAY,
        processed_date=dt.date(2020, 8, 24),
    )


def test_the_carin_reversals_leave_the_readjudicated_lines_standing() -> None:
    claim = _carin_claim()
    assert [line.id for _, line in standing_lines([claim])] == ["3", "5"]
    assert_silent(run_check(CHECK, [claim]))


def test_a_reprocessed_line_with_a_patient_share_is_not_a_duplicate() -> None:
    claim = _carin_claim(copays={"1": "10.00", "2": "-10.00", "3": "10.00"})
    assert_silent(run_check(CHECK, [claim]))


def test_without_its_reversal_the_reprocessed_line_is_a_duplicate() -> None:
    claim = _carin_claim(copays={"1": "10.00", "3": "10.00"}, leave_out="2")
    finding = only(run_check(CHECK, [claim]), "DUP001")
    assert (finding.line_ids, finding.amount_at_stake) == (["3"], _cents("10.00"))
