"""scanner.testing is a public API for plugin authors: each helper does what docs/plugins.md says."""

from __future__ import annotations

import datetime as dt
import time
import types
from collections.abc import Callable, Iterable, Sequence

import msgspec
import pluggy
import pytest

from scanner import hookimpl
from scanner.checks import Check, CheckContext
from scanner.model import Claim, Finding, Rule, RuleDocs
from scanner.money import Money
from scanner.plugins import load_registry
from scanner.testing import (
    DEFAULT_AS_OF,
    RESERVED_PREFIXES,
    assert_checks_ok,
    assert_finding,
    assert_silent,
    check_rules_well_formed,
    findings_of,
    make_bill,
    make_bill_line,
    make_claim,
    make_line,
    make_plan,
    make_request,
    only,
    registered,
    rules_problems,
    run_check,
    scan_with,
    total_at_stake,
)

DOCS = RuleDocs(
    what_it_checks="That each line's patient responsibility is at most $50.00.",
    why_it_matters="An invented limit, for testing the kit.",
    example="You owe $80.00 on a line: $30.00 is at stake.",
    what_to_do="Nothing; this rule exists only in tests.",
)
OVER_FIFTY = Rule(
    code="TST001",
    name="owes-more-than-fifty",
    check="fifty_dollar_limit",
    error_class="insurer_processing",
    severity="warning",
    summary="You owe more than $50.00 on one line.",
    docs=DOCS,
)


class FiftyDollarLimit:
    """A tiny well-formed check: flags every line where the patient owes more than $50.00."""

    name = "fifty_dollar_limit"
    version = "1.0"
    rules: Sequence[Rule] = (OVER_FIFTY,)

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        for claim in claims:
            for line in claim.lines:
                owed = line.patient_responsibility or 0
                if owed > 5000:
                    yield OVER_FIFTY.finding(
                        claim_id=claim.id,
                        line_ids=[line.id],
                        title="Over fifty",
                        message=f"You owe {owed} cents.",
                        amount_at_stake=owed - 5000,
                    )


def owing(*amounts: str) -> list[Claim]:
    return [make_claim(lines=[make_line(id=str(i), patient_responsibility=a) for i, a in enumerate(amounts)])]


def with_rule(**changes: object) -> FiftyDollarLimit:
    check = FiftyDollarLimit()
    check.rules = (msgspec.structs.replace(OVER_FIFTY, **changes),)
    return check


# --- builders --------------------------------------------------------------------------------


def test_builders_read_amounts_as_printed_and_keep_absent_amounts_absent() -> None:
    line = make_line(code="99214", billed="$1,200.00", allowed="150.00", plan_paid=12000)
    assert (line.billed, line.allowed, line.plan_paid) == (Money(120000), Money(15000), Money(12000))
    assert line.patient_responsibility is None
    assert (line.network, line.service_date) == ("in", dt.date(2026, 3, 2))


def test_make_claim_dates_follow_its_lines() -> None:
    claim = make_claim(
        lines=[
            make_line(id="1", service_date=dt.date(2026, 5, 1)),
            make_line(id="2", service_date=dt.date(2026, 5, 3)),
        ]
    )
    assert (claim.service_start, claim.service_end) == (dt.date(2026, 5, 1), dt.date(2026, 5, 3))
    assert claim.processed_date == dt.date(2026, 5, 24)
    assert (claim.status, claim.claim_type, claim.provider and claim.provider.network) == (
        "paid",
        "professional",
        "in",
    )


def test_make_plan_bill_and_request_take_text_amounts() -> None:
    plan = make_plan(oop_max_individual="3,000.00", copays={"specialist": "40.00"})
    bill = make_bill(amount_due="80.00", lines=[make_bill_line(charge="200.00")])
    request = make_request([make_claim()], plan=plan, bills=[bill])
    assert plan.oop_max_individual == Money(300000)
    assert plan.copays == {"specialist": Money(4000)}
    assert (bill.amount_due, bill.lines[0].charge) == (Money(8000), Money(20000))
    assert request.as_of == DEFAULT_AS_OF


# --- running a check and reading its findings -----------------------------------------------


def test_run_check_returns_the_findings_as_a_list() -> None:
    findings = run_check(FiftyDollarLimit(), owing("80.00", "20.00"))
    assert [(f.rule, f.line_ids, f.amount_at_stake) for f in findings] == [("TST001", ["0"], Money(3000))]


def test_assert_finding_returns_the_finding_when_everything_matches() -> None:
    findings = run_check(FiftyDollarLimit(), owing("80.00"))
    found = assert_finding(
        findings, "TST001", amount_at_stake="30.00", claim_id="claim-1", line_ids=["0"], severity="warning"
    )
    assert found is findings[0]
    assert assert_finding(findings, "TST001", amount_at_stake=3000) is found


def test_assert_finding_names_every_field_that_differs() -> None:
    findings = run_check(FiftyDollarLimit(), owing("80.00"))
    with pytest.raises(AssertionError) as failure:
        assert_finding(findings, "TST001", amount_at_stake="29.99", line_ids=["1"])
    assert "amount_at_stake: expected '29.99', got '30.00'" in str(failure.value)
    assert "line_ids: expected ['1'], got ['0']" in str(failure.value)


def test_assert_finding_wants_exactly_one_finding_of_the_rule() -> None:
    with pytest.raises(AssertionError, match="expected one TST001 finding"):
        assert_finding(run_check(FiftyDollarLimit(), owing("20.00")), "TST001")
    with pytest.raises(AssertionError, match="expected one TST001 finding"):
        assert_finding(run_check(FiftyDollarLimit(), owing("80.00", "90.00")), "TST001")


def test_findings_of_only_and_assert_silent() -> None:
    findings = run_check(FiftyDollarLimit(), owing("80.00", "90.00"))
    assert [f.amount_at_stake for f in findings_of(findings, "TST001")] == [Money(3000), Money(4000)]
    assert findings_of(findings, "TST002") == []
    assert only(findings[:1], "TST001") is findings[0]
    assert_silent(run_check(FiftyDollarLimit(), owing("50.00")))
    assert_silent(findings, "TST002")
    with pytest.raises(AssertionError, match="expected no findings"):
        assert_silent(findings)


def test_total_at_stake_counts_one_line_once() -> None:
    findings = run_check(FiftyDollarLimit(), owing("80.00", "90.00"))
    twice = [*findings, msgspec.structs.replace(findings[0], rule="TST002", amount_at_stake=Money(2500))]
    assert total_at_stake(twice) == Money(7000)


# --- the rule catalogue -------------------------------------------------------------------------


def test_a_well_formed_third_party_check_passes() -> None:
    check_rules_well_formed(FiftyDollarLimit(), prefix="TST")
    assert rules_problems(FiftyDollarLimit()) == []


@pytest.mark.parametrize("check", load_registry({"EOBSCAN_PLUGINS": ""}).checks, ids=lambda c: c.name)
def test_the_built_in_checks_are_well_formed_and_may_use_reserved_prefixes(check: Check) -> None:
    check_rules_well_formed(check)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"code": "TST01"}, "rule code 'TST01' is not three capital letters and three digits"),
        ({"name": "Owes_More"}, "rule name 'Owes_More' of TST001 is not kebab-case"),
        ({"docs": None}, "rule TST001 has no documentation"),
        (
            {"docs": msgspec.structs.replace(DOCS, what_to_do=" ")},
            "rule TST001 has an empty 'what_to_do' section",
        ),
        ({"check": "other"}, "rule TST001 says check 'other', not 'fifty_dollar_limit'"),
        ({"severity": "fatal"}, "rule TST001 has severity 'fatal'"),
        ({"error_class": "state_law"}, "rule TST001 has an unknown error class 'state_law'"),
        ({"summary": ""}, "rule TST001 has an empty summary"),
        ({"code": "NET901"}, "rule code NET901 uses the built-in prefix NET"),
    ],
)
def test_a_malformed_rule_is_named_with_its_problem(changes: dict[str, object], problem: str) -> None:
    with pytest.raises(AssertionError) as failure:
        check_rules_well_formed(with_rule(**changes))
    assert problem in str(failure.value)


def test_every_problem_is_reported_at_once() -> None:
    check = with_rule(code="ABC001", summary="")
    check.rules = (*check.rules, check.rules[0])
    problems = rules_problems(check, prefix="TST")
    assert problems == [
        "rule ABC001 has an empty summary",
        "rule code ABC001 does not start with the plugin's prefix TST",
        "rule code ABC001 is declared twice",
        "rule ABC001 has an empty summary",
        "rule code ABC001 does not start with the plugin's prefix TST",
    ]


def test_a_check_itself_needs_a_snake_case_name_a_version_and_rules() -> None:
    check = FiftyDollarLimit()
    check.name, check.version, check.rules = "Fifty-Dollar", "", ()
    assert rules_problems(check) == [
        "check name 'Fifty-Dollar' is not snake_case",
        "check Fifty-Dollar has no version",
        "check Fifty-Dollar declares no rules",
    ]


def test_reserved_prefixes_are_the_built_in_error_classes() -> None:
    assert {"INS", "PRV", "COB", "NET", "OOP", "BAL", "DEN", "PRC", "DUP"} == RESERVED_PREFIXES


# --- plugins as the host sees them ------------------------------------------------------------


def plugin_module(**functions: Callable[..., None]) -> types.ModuleType:
    module = types.ModuleType("an_author_plugin")
    for name, function in functions.items():
        setattr(module, name, function)
    return module


def test_registered_returns_what_the_plugin_registers() -> None:
    @hookimpl
    def eobscan_register_checks(register: Callable[[object], None]) -> None:
        register(FiftyDollarLimit())

    found = registered(plugin_module(eobscan_register_checks=eobscan_register_checks))
    assert [c.name for c in found.checks] == ["fifty_dollar_limit"]
    assert found.parsers == []


def test_registered_fails_on_a_misspelled_hook_like_the_host() -> None:
    @hookimpl
    def eobscan_register_check(register: Callable[[object], None]) -> None:
        register(FiftyDollarLimit())

    with pytest.raises(pluggy.PluginValidationError, match="unknown hook 'eobscan_register_check'"):
        registered(plugin_module(eobscan_register_check=eobscan_register_check))


def test_registered_fails_on_an_argument_the_hook_does_not_have() -> None:
    @hookimpl
    def eobscan_register_checks(register: Callable[[object], None], config: object) -> None:
        register(FiftyDollarLimit())

    with pytest.raises(pluggy.PluginValidationError, match="config"):
        registered(plugin_module(eobscan_register_checks=eobscan_register_checks))


# --- the real engine ----------------------------------------------------------------------------


def test_scan_with_runs_the_engine_with_only_the_given_checks() -> None:
    result = scan_with([FiftyDollarLimit()], owing("80.00", "90.00"))
    assert_checks_ok(result)
    assert [c.name for c in result.checks] == ["fifty_dollar_limit"]
    assert result.summary.amount_at_stake == Money(7000)
    assert result.summary.patient_responsibility == Money(17000)


class UndeclaredRule(FiftyDollarLimit):
    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        for finding in super().check(claims, context):
            yield msgspec.structs.replace(finding, rule="TST999")


def test_scan_with_shows_what_the_engine_refuses() -> None:
    result = scan_with([UndeclaredRule()], owing("80.00"))
    assert result.findings == []
    assert result.checks[0].error == "check fifty_dollar_limit returned a finding of undeclared rule TST999"
    with pytest.raises(AssertionError, match="returned a finding of undeclared rule TST999"):
        assert_checks_ok(result)


def test_assert_checks_ok_fails_on_a_slow_check() -> None:
    class Slow(FiftyDollarLimit):
        def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
            time.sleep(0.03)
            return []

    result = scan_with([Slow()], owing("80.00"), budget_ms=5)
    assert result.checks[0].status == "ok"
    with pytest.raises(AssertionError, match="fifty_dollar_limit: slow"):
        assert_checks_ok(result)
