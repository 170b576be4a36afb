"""The engine: checks run in isolation, findings ordered, dollars counted once."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from plugins.checks.balance_billing import BalanceBillingCheck
from plugins.checks.insurer_processing import InsurerProcessingCheck
from plugins.checks.oop_max import OopMaxCheck
from scanner.checks import CheckContext
from scanner.engine import scan, summarize
from scanner.model import Bill, Claim, Finding, Party, RelatedClaim, Rule, RuleDocs, ScanResult
from scanner.plugins import Registry, load_registry
from scanner.testing import (
    assert_checks_ok,
    make_bill,
    make_bill_line,
    make_claim,
    make_line,
    make_plan,
    make_request,
    money,
    only,
    scan_with,
)

VISIT_DAY = dt.date(2026, 3, 2)
DOCS = RuleDocs(what_it_checks="a", why_it_matters="b", example="c", what_to_do="d")


def _rule(code: str, error_class: str = "pricing", severity: str = "error") -> Rule:
    return Rule(
        code=code,
        name="test-rule",
        check="fixed",
        error_class=error_class,  # type: ignore[arg-type]
        severity=severity,
        summary="s",
        docs=DOCS,
    )  # type: ignore[arg-type]


class FixedCheck:
    """Reports a fixed amount on every line, to test the engine without domain rules."""

    def __init__(self, name: str, rule: Rule, cents: int) -> None:
        self.name, self.version, self.rules, self.cents = name, "1", (rule,), cents

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        for claim in claims:
            for line in claim.lines:
                yield self.rules[0].finding(
                    claim_id=claim.id, line_ids=[line.id], title="t", message="m", amount_at_stake=self.cents
                )


class RaisingCheck:
    name, version, rules = "raiser", "1", ()

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        raise ValueError("claim for Zed Canary, member W999")


def _registry(*checks: object) -> Registry:
    return Registry(checks=list(checks))


def _overcharged_claim() -> Claim:
    return make_claim(
        lines=[
            make_line(
                allowed="150.00", plan_paid="120.00", patient_responsibility="60.00", coinsurance="60.00"
            )
        ]
    )


def test_a_raising_check_leaves_the_other_checks_findings_intact() -> None:
    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    registry.checks.insert(0, RaisingCheck())
    result = scan(make_request([_overcharged_claim()]), registry)
    assert [f.rule for f in result.findings] == ["INS001"]
    raiser = next(c for c in result.checks if c.name == "raiser")
    assert raiser.status == "error"
    assert raiser.error == "ValueError raised by check raiser"
    assert all(c.status == "ok" for c in result.checks if c.name != "raiser")


def test_each_check_records_its_duration() -> None:
    result = scan(make_request([_overcharged_claim()]), load_registry({"EOBSCAN_PLUGINS": ""}))
    assert all(c.duration_ms >= 0 for c in result.checks)
    assert {c.name for c in result.checks} >= {"insurer_processing"}


def test_findings_are_ordered_by_claim_line_severity_and_rule() -> None:
    claims = [
        make_claim("b", lines=[make_line("2"), make_line("1")]),
        make_claim("a", lines=[make_line("1")]),
    ]
    registry = _registry(
        FixedCheck("z", _rule("ZZZ001", severity="info"), 100),
        FixedCheck("y", _rule("YYY001"), 100),
    )
    result = scan(make_request(claims), registry)
    assert [(f.claim_id, f.line_ids[0], f.rule) for f in result.findings] == [
        ("b", "2", "YYY001"),
        ("b", "2", "ZZZ001"),
        ("b", "1", "YYY001"),
        ("b", "1", "ZZZ001"),
        ("a", "1", "YYY001"),
        ("a", "1", "ZZZ001"),
    ]


def test_the_same_line_dollars_are_counted_once_taking_the_largest() -> None:
    claims = [
        make_claim(
            lines=[
                make_line("1", patient_responsibility="90.00"),
                make_line("2", patient_responsibility="90.00"),
            ]
        )
    ]
    registry = _registry(
        FixedCheck("net", _rule("NNN001", "network"), 6000),
        FixedCheck("oop", _rule("OOO001", "oop_max"), 9000),
        FixedCheck("oop2", _rule("OOO002", "oop_max"), 2500),
    )
    result = scan(make_request(claims), registry)
    assert result.summary.amount_at_stake == 2 * 9000
    assert result.summary.by_class == {"network": 2 * 6000, "oop_max": 2 * 9000}
    assert result.summary.counts == {"error": 6, "warning": 0, "info": 0}
    assert result.summary.patient_responsibility == 18000


def test_the_summary_leaves_out_claims_replaced_in_the_same_scan() -> None:
    old = make_claim(
        "old",
        lines=[make_line(patient_responsibility="80.00")],
        related=[RelatedClaim(claim_id="new", relationship="replaced_by")],
    )
    new = make_claim("new", lines=[make_line(patient_responsibility="20.00")])
    assert summarize([], [old, new]).patient_responsibility == 2000


def test_a_replacement_that_says_what_it_replaces_is_enough_to_leave_the_old_claim_out() -> None:
    old = make_claim("old", lines=[make_line(patient_responsibility="80.00")])
    new = make_claim(
        "new",
        lines=[make_line(patient_responsibility="20.00")],
        related=[RelatedClaim(claim_id="old", relationship="replaces")],
    )
    assert summarize([], [old, new]).patient_responsibility == 2000


def _reprocessed(replacement_sent: bool) -> list[Claim]:
    old = make_claim(
        "old",
        lines=[make_line(patient_responsibility="80.00")],
        related=[RelatedClaim(claim_id="new", relationship="replaced_by")],
    )
    new = make_claim("new", lines=[make_line(patient_responsibility="80.00")])
    return [old, new] if replacement_sent else [old]


def test_findings_on_a_claim_replaced_in_the_same_scan_are_dropped_not_counted_twice() -> None:
    """The reprocessed EOB supersedes the old one: an error on both is one error, of $50."""
    registry = _registry(FixedCheck("fixed", _rule("FIX001"), 5000))

    result = scan(make_request(_reprocessed(replacement_sent=True)), registry)

    assert [f.claim_id for f in result.findings] == ["new"]
    assert result.summary.amount_at_stake == 5000
    assert result.summary.patient_responsibility == 8000


def test_a_claim_whose_replacement_is_not_in_the_scan_keeps_its_findings() -> None:
    registry = _registry(FixedCheck("fixed", _rule("FIX001"), 5000))

    result = scan(make_request(_reprocessed(replacement_sent=False)), registry)

    assert [f.claim_id for f in result.findings] == ["old"]
    assert result.summary.amount_at_stake == 5000


def test_a_check_returning_garbage_keeps_its_valid_findings_and_is_reported() -> None:
    good = _rule("GGG001")

    class Garbage:
        name, version, rules = "garbage", "1", (good,)

        def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[object]:
            claim = claims[0]
            yield "not a finding"
            yield good.finding(claim_id=claim.id, title="t", message="m", amount_at_stake=100)
            yield _rule("UND001").finding(claim_id=claim.id, title="t", message="m", amount_at_stake=100)

    result = scan(make_request([make_claim()]), _registry(Garbage()))
    assert [f.rule for f in result.findings] == ["GGG001"]
    assert result.checks[0].status == "error"
    assert "not a Finding" in (result.checks[0].error or "")
    assert "undeclared rule UND001" in (result.checks[0].error or "")


def test_the_same_input_gives_the_same_output() -> None:
    from scanner.model import encode

    request = make_request([_overcharged_claim(), make_claim("c2")])
    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    first, second = scan(request, registry), scan(request, registry)
    for result in (first, second):
        for check in result.checks:
            check.duration_ms = 0.0
    assert encode(first) == encode(second)


class ClaimLevelCheck:
    """Reports one finding over the whole claim (no line ids)."""

    def __init__(self, rule: Rule, cents: int) -> None:
        self.name, self.version, self.rules, self.cents = "claimwide", "1", (rule,), cents

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        for claim in claims:
            yield self.rules[0].finding(claim_id=claim.id, title="t", message="m", amount_at_stake=self.cents)


def test_a_claim_level_finding_counts_only_its_excess_over_the_line_findings() -> None:
    lines = [make_line("1", patient_responsibility="60.00"), make_line("2", patient_responsibility="60.00")]
    claims = [make_claim(lines=lines)]
    line_findings = FixedCheck("net", _rule("NNN001", "network"), 4000)
    wide = scan(
        make_request(claims), _registry(line_findings, ClaimLevelCheck(_rule("WWW001", "network"), 10000))
    )
    assert wide.summary.amount_at_stake == 10000
    narrow = scan(
        make_request(claims), _registry(line_findings, ClaimLevelCheck(_rule("WWW001", "network"), 5000))
    )
    assert narrow.summary.amount_at_stake == 8000
    assert narrow.summary.by_class == {"network": 8000}


def test_an_amount_above_what_the_patient_was_asked_is_bounded_and_reported() -> None:
    claims = [make_claim(lines=[make_line("1", patient_responsibility="25.00")])]
    result = scan(make_request(claims), _registry(FixedCheck("greedy", _rule("GRD001"), 1_000_000)))
    assert result.findings[0].amount_at_stake == 2500
    assert "more at stake than the patient was asked to pay" in (result.checks[0].error or "")


def test_a_check_that_changes_its_claims_is_undone_and_reported() -> None:
    class Vandal:
        name, version, rules = "vandal", "1", ()

        def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
            claims[0].lines[0].patient_responsibility = None
            return []

    request = make_request([_overcharged_claim()])
    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    registry.checks.insert(0, Vandal())
    result = scan(request, registry)
    assert [f.rule for f in result.findings] == ["INS001"]
    assert request.claims[0].lines[0].patient_responsibility == 6000
    assert result.checks[0].error == "check vandal changed the claims it was given"


class _RaisingBuiltin:
    """A built-in check gone wrong: it runs in the scanning thread, and is still kept apart."""

    name, version, rules = "raising_builtin", "1.0", ()

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def check(self, claims: object, context: object) -> list[object]:
        self.threads.append(threading.current_thread())
        raise ValueError("CANARY-BUILTIN-4410 in the message")


def test_a_builtin_check_runs_in_the_scanning_thread_and_its_failure_stays_its_own() -> None:
    builtin = load_registry({"EOBSCAN_PLUGINS": ""})
    raising = _RaisingBuiltin()
    registry = Registry(checks=[raising, *builtin.checks], rules=builtin.rules)
    registry.builtin_checks = {*builtin.builtin_checks, id(raising)}
    request = make_request([make_claim(lines=[make_line(patient_responsibility="60.00")])])
    expected = scan(request, builtin)
    result = scan(request, registry)
    assert raising.threads == [threading.current_thread()]
    assert result.checks[0].status == "error"
    assert result.checks[0].error == "ValueError raised by check raising_builtin"
    assert result.findings == expected.findings
    assert [(c.name, c.status) for c in result.checks[1:]] == [(c.name, c.status) for c in expected.checks]


class OneLineCheck:
    """Reports a fixed amount on one chosen line only."""

    def __init__(self, name: str, rule: Rule, line_id: str, cents: int) -> None:
        self.name, self.version, self.rules = name, "1", (rule,)
        self.line_id, self.cents = line_id, cents

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        yield self.rules[0].finding(
            claim_id=claims[0].id, line_ids=[self.line_id], title="t", message="m", amount_at_stake=self.cents
        )


def _three_lines() -> list[Claim]:
    return [make_claim(lines=[make_line(i, patient_responsibility="200.00") for i in ("1", "2", "3")])]


def test_the_total_splits_into_errors_then_what_warnings_and_savings_add() -> None:
    registry = _registry(
        OneLineCheck("err", _rule("EEE001", "insurer_processing"), "1", 10000),
        OneLineCheck("negotiate", _rule("III001", "pricing", "info"), "1", 15000),  # same line, larger
        OneLineCheck("check", _rule("WWW001", "denial", "warning"), "2", 4000),
        OneLineCheck("save", _rule("III002", "pricing", "info"), "3", 2500),
    )
    summary = scan(make_request(_three_lines()), registry).summary
    assert summary.amount_at_stake == 15000 + 4000 + 2500
    # Line 1's negotiation adds only its $50 beyond the $100 error already counted there.
    assert summary.total_by_severity == {"error": 10000, "warning": 4000, "info": 5000 + 2500}
    assert sum(summary.total_by_severity.values()) == summary.amount_at_stake


def test_a_saving_below_the_error_on_its_line_adds_nothing_to_the_info_part() -> None:
    registry = _registry(
        OneLineCheck("err", _rule("EEE001", "insurer_processing"), "1", 10000),
        OneLineCheck("negotiate", _rule("III001", "pricing", "info"), "1", 6000),
    )
    summary = scan(make_request(_three_lines()), registry).summary
    assert summary.total_by_severity == {"error": 10000, "warning": 0, "info": 0}


def test_a_clean_scan_splits_nothing() -> None:
    summary = scan(make_request(_three_lines()), _registry()).summary
    assert summary.amount_at_stake == 0
    assert summary.total_by_severity == {"error": 0, "warning": 0, "info": 0}


def _on_line(code: str, error_class: str, cents: int, line_ids: Sequence[str] = ("1",)) -> Finding:
    return _rule(code, error_class).finding(
        claim_id="claim-1", line_ids=list(line_ids), title="t", message="m", amount_at_stake=cents
    )


def test_what_a_bill_asks_beyond_the_eob_adds_to_the_eobs_own_overcharge() -> None:
    """The EOB charges $180.00 too much; the bill asks $950.00 more than the EOB: $1,130.00."""
    claims = [make_claim(lines=[make_line("1", patient_responsibility="360.00")])]
    findings = [_on_line("NET002", "network", 18000), _on_line("BAL007", "balance_billing", 95000)]
    summary = summarize(findings, claims)
    assert summary.amount_at_stake == 113000
    assert summary.by_class == {"network": 18000, "balance_billing": 95000}


def test_charges_the_eob_does_not_list_add_to_the_findings_on_its_lines() -> None:
    claims = [make_claim(lines=[make_line("1", patient_responsibility="30.00")])]
    findings = [
        _on_line("PRV001", "insurer_processing", 3000),
        _on_line("BAL002", "balance_billing", 9500, ()),
    ]
    assert summarize(findings, claims).amount_at_stake == 12500


def test_a_bill_finding_that_does_not_say_where_its_dollars_lie_still_shares_them() -> None:
    """BAL001 may claim a not-covered amount inside the EOB's share: one whose evidence does not
    say how much lies above the EOB's share counts with an EOB finding on its line, the larger once."""
    claims = [make_claim(lines=[make_line("1", patient_responsibility="360.00")])]
    findings = [_on_line("INS001", "insurer_processing", 18000), _on_line("BAL001", "balance_billing", 95000)]
    assert summarize(findings, claims).amount_at_stake == 95000


BILLING_CHECKS = [BalanceBillingCheck(), InsurerProcessingCheck(), OopMaxCheck()]
IN_NETWORK = Party(name="Riverside Family Medicine", network="in", role="primary_care")


def _in_network_visit(coinsurance: str, not_covered: str | None = None) -> Claim:
    """Billed $400.00, allowed $150.00, plan paid $120.00: $30.00 of the allowance is left to the
    patient. A not-covered amount is the charge above the allowance, put on the patient too."""
    share = money(coinsurance) + (money(not_covered) or 0)  # type: ignore[operator]
    line = make_line(
        "1",
        service_date=VISIT_DAY,
        code="99214",
        network="in",
        billed="400.00",
        allowed="150.00",
        plan_paid="120.00",
        coinsurance=coinsurance,
        not_covered=not_covered,
        patient_responsibility=share,
    )
    return make_claim(lines=[line], provider=IN_NETWORK, service_start=VISIT_DAY)


def _bill_asking(balance: str) -> Bill:
    line = make_bill_line(service_date=VISIT_DAY, code="99214", charge="400.00", patient_balance=balance)
    return make_bill(claim_id="claim-1", amount_due=balance, lines=[line])


def _scan_billed(claim: Claim, *bills: Bill, **plan: Any) -> ScanResult:
    plan.setdefault("coinsurance_in_network", 20)
    result = scan_with(BILLING_CHECKS, [claim], plan=make_plan(**plan), bills=bills)
    assert_checks_ok(result)
    return result


def test_a_balance_bill_above_the_eob_adds_to_the_eobs_own_error_on_the_line() -> None:
    """The EOB asks $60.00 where $150.00 - $120.00 = $30.00 is the patient's: $30.00 too much
    (INS001, and INS007: 40% where the plan says 20%, the same $30.00). The bill asks $310.00,
    $250.00 above the EOB's $60.00 (BAL001). Disputing the bill leaves the EOB's $30.00 error, and
    correcting the EOB leaves the bill's $250.00: $250.00 + $30.00 = $280.00."""
    result = _scan_billed(_in_network_visit("60.00"), _bill_asking("310.00"))
    assert only(result.findings, "INS001").amount_at_stake == 3000
    assert only(result.findings, "BAL001").amount_at_stake == 25000
    assert result.summary.amount_at_stake == 25000 + 3000
    assert result.summary.by_class == {"balance_billing": 25000, "insurer_processing": 3000}
    assert result.summary.total_by_severity["error"] == 28000


def test_a_balance_bill_above_the_eob_adds_to_cost_sharing_past_the_maximum() -> None:
    """The maximum was met: the EOB's $30.00 of coinsurance is the plan's (OOP001), and the bill
    asks $250.00 above it (BAL001): $250.00 + $30.00 = $280.00."""
    result = _scan_billed(
        _in_network_visit("30.00"), _bill_asking("280.00"), oop_max_individual="4000.00", oop_met="4000.00"
    )
    assert only(result.findings, "OOP001").amount_at_stake == 3000
    assert only(result.findings, "BAL001").amount_at_stake == 25000
    assert result.summary.amount_at_stake == 25000 + 3000


def test_a_balance_bill_alone_totals_what_it_asks_above_the_eob() -> None:
    """The clean twin: the EOB is right ($30.00), the bill asks $280.00: $250.00 as before."""
    result = _scan_billed(_in_network_visit("30.00"), _bill_asking("280.00"))
    assert [f.rule for f in result.findings if f.amount_at_stake] == ["BAL001"]
    assert result.summary.amount_at_stake == 25000


def test_a_balance_bill_inside_the_eobs_share_counts_once_with_the_eob_error() -> None:
    """The EOB puts the $250.00 above the allowance on the patient as not covered ($280.00 in all;
    INS001 finds the $250.00), and the bill asks that $280.00 (BAL001 finds the same $250.00,
    all inside the EOB's share): the same dollars, counted once."""
    result = _scan_billed(_in_network_visit("30.00", not_covered="250.00"), _bill_asking("280.00"))
    assert only(result.findings, "INS001").amount_at_stake == 25000
    assert only(result.findings, "BAL001").amount_at_stake == 25000
    assert result.summary.amount_at_stake == 25000


def test_a_balance_bill_partly_inside_the_eobs_share_adds_only_the_part_above_it() -> None:
    """The same EOB, and the bill asks $400.00: BAL001 finds $370.00, of which $120.00 is above the
    EOB's $280.00 and $250.00 inside it, where INS001 finds the same $250.00: $120.00 + $250.00."""
    result = _scan_billed(_in_network_visit("30.00", not_covered="250.00"), _bill_asking("400.00"))
    assert only(result.findings, "BAL001").amount_at_stake == 37000
    assert result.summary.amount_at_stake == 12000 + 25000


def _visit_and_blood_draw() -> Claim:
    """The in-network visit ($30.00 coinsurance) and a blood draw with a $20.00 copay: $50.00."""
    visit = _in_network_visit("30.00")
    draw = make_line(
        "2",
        service_date=VISIT_DAY,
        code="36415",
        network="in",
        billed="40.00",
        allowed="20.00",
        plan_paid="0.00",
        copay="20.00",
        patient_responsibility="20.00",
    )
    visit.lines.append(draw)
    return visit


def _statement(visit_balance: str, draw_balance: str, paid: str) -> Bill:
    lines = [
        make_bill_line(service_date=VISIT_DAY, code="99214", charge="400.00", patient_balance=visit_balance),
        make_bill_line(service_date=VISIT_DAY, code="36415", charge="40.00", patient_balance=draw_balance),
    ]
    due = money(visit_balance) + money(draw_balance)  # type: ignore[operator]
    return make_bill(claim_id="claim-1", amount_due=due, amount_paid=paid, lines=lines)


def test_a_payment_not_credited_adds_to_a_balance_bill_on_a_line() -> None:
    """The EOB is right ($30.00 of the office visit, $20.00 copay for the blood draw: $50.00). The
    patient paid $20.00; the statement still asks $100.00 for the visit (BAL001: $70.00 above its
    $30.00) and $20.00 for the blood draw, $120.00 due. $120.00 + $20.00 paid is $140.00 asked for
    $50.00 owed: $90.00, the $70.00 balance bill and the $20.00 payment asked again (BAL008)."""
    result = _scan_billed(_visit_and_blood_draw(), _statement("100.00", "20.00", paid="20.00"))
    assert only(result.findings, "BAL001").amount_at_stake == 7000
    assert only(result.findings, "BAL008").amount_at_stake == 2000
    assert result.summary.amount_at_stake == 7000 + 2000


def test_a_payment_credited_next_to_a_balance_bill_adds_nothing() -> None:
    """The clean twin: the same statement credits the $20.00 (the blood draw's line asks $0.00):
    $100.00 due + $20.00 paid is $120.00 for $50.00 owed, the visit's $70.00 balance bill alone."""
    result = _scan_billed(_visit_and_blood_draw(), _statement("100.00", "0.00", paid="20.00"))
    assert [f.rule for f in result.findings if f.amount_at_stake] == ["BAL001"]
    assert result.summary.amount_at_stake == 7000


def test_charges_the_eob_does_not_list_add_to_a_bill_asking_too_much_on_a_listed_line() -> None:
    """The bill asks $100.00 too much on line 2 (BAL003) and $95.00 for a draw the EOB never saw
    (BAL002): $195.00, as the bill's dispute says."""
    claims = [make_claim(lines=[make_line("1"), make_line("2")])]
    findings = [
        _on_line("BAL003", "balance_billing", 10000, ("2",)),
        _on_line("BAL002", "balance_billing", 9500, ()),
    ]
    assert summarize(findings, claims).amount_at_stake == 19500
