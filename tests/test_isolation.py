"""One misbehaving plugin never costs the user the other plugins' findings.

Installed next to a well-behaved plugin and the built-ins: a plugin whose check raises, one whose
checks return garbage, one that fails to import, one that fails while registering, and one whose
check sleeps far beyond its time budget. Every other finding is returned, each check's status
says what went wrong in our own words (never the claim data an exception might quote), a hung
check is abandoned at its deadline and skipped afterwards, and the service stays healthy.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import structlog
from litestar.testing import TestClient

from scanner.engine import scan
from scanner.isolation import Breaker, abandoned_workers
from scanner.model import CheckStatus, Party, ScanRequest, ScanResult, encode
from scanner.money import format_money
from scanner.plugins import PluginFailure, Registry, load_registry
from scanner.service.app import create_app
from scanner.settings import Settings
from scanner.testing import make_claim, make_line, make_request

Maker = Callable[..., None]

TOKEN = "isolation-token-0123456789"
BUDGET_MS = 20.0
DEADLINE_MS = 10 * BUDGET_MS
#: Invented identifiers planted in the claim: none may reach a result, an error or a log line.
CANARIES = ("CANARY-CLAIM-5550123", "Dr. Canary Quokka")

RULE = """
from scanner.model import Rule, RuleDocs

def rule(code, check):
    return Rule(
        code=code, name="a-test-rule", check=check, error_class="insurer_processing",
        severity="warning", summary="A rule of a test plugin.",
        docs=RuleDocs(what_it_checks="x", why_it_matters="x", example="x", what_to_do="x"),
    )
"""

GOOD = """
from scanner import hookimpl
from iso_rules import rule

R = rule("GOD001", "good_check")

class Good:
    name, version, rules = "good_check", "1.0", (R,)
    def check(self, claims, context):
        for claim in claims:
            yield R.finding(claim_id=claim.id, line_ids=[claim.lines[0].id], title="Good",
                            message="A finding of the good plugin.", amount_at_stake=1000)

@hookimpl
def eobscan_register_checks(register):
    register(Good())
"""

RAISING = """
from scanner import hookimpl
from iso_rules import rule

class Raising:
    name, version, rules = "raising_check", "1.0", (rule("RSE001", "raising_check"),)
    def check(self, claims, context):
        claim = claims[0]
        raise ValueError(f"cannot read {claim.claim_number} of {claim.provider.name}")

@hookimpl
def eobscan_register_checks(register):
    register(Raising())
"""

GARBAGE = """
import msgspec
from scanner import hookimpl
from scanner.money import Money
from iso_rules import rule

R = rule("GRB001", "garbage_check")

class Garbage:
    name, version, rules = "garbage_check", "1.0", (R,)
    def check(self, claims, context):
        claim = claims[0]
        line = claim.lines[0].id
        valid = R.finding(claim_id=claim.id, line_ids=[line], title="Valid", message="Kept.",
                          amount_at_stake=500)
        yield claim.claim_number
        yield {"rule": "GRB001", "amount_at_stake": "5.00"}
        yield msgspec.structs.replace(valid, rule="GRB999")
        yield msgspec.structs.replace(valid, amount_at_stake=Money(-500))
        yield msgspec.structs.replace(valid, line_ids=["no-such-line"])
        yield valid

class ReturnsNone:
    name, version, rules = "none_check", "1.0", (rule("NON001", "none_check"),)
    def check(self, claims, context):
        return None

@hookimpl
def eobscan_register_checks(register):
    register(Garbage())
    register(ReturnsNone())
"""

BROKEN_IMPORT = """
import eobscan_dependency_that_is_not_installed
"""

BROKEN_REGISTRATION = """
from scanner import hookimpl

@hookimpl
def eobscan_register_checks(register):
    raise RuntimeError("the plugin's configuration is missing")
"""

SLEEPY = """
import threading
from scanner import hookimpl
from iso_rules import rule

RELEASE = threading.Event()
CALLS = []

class Sleepy:
    name, version, rules = "sleepy_check", "1.0", (rule("SLP001", "sleepy_check"),)
    def check(self, claims, context):
        CALLS.append(1)
        RELEASE.wait(60)
        return []

@hookimpl
def eobscan_register_checks(register):
    register(Sleepy())
"""

PLUGINS = {
    "good": ("iso_good", GOOD),
    "raising": ("iso_raising", RAISING),
    "garbage": ("iso_garbage", GARBAGE),
    "broken_import": ("iso_broken_import", BROKEN_IMPORT),
    "broken_registration": ("iso_broken_registration", BROKEN_REGISTRATION),
    "sleepy": ("iso_sleepy", SLEEPY),
}


@dataclass
class Hostile:
    registry: Registry
    release: threading.Event
    calls: list[int]


@pytest.fixture
def hostile(fake_distribution: Maker) -> Iterator[Hostile]:
    """The built-ins, one good plugin and five bad ones, installed as entry points."""
    modules = {module: source for module, source in PLUGINS.values()}
    entry_points = {name: module for name, (module, _) in PLUGINS.items()}
    fake_distribution("isolation-plugins", "1.0", entry_points, {"iso_rules": RULE, **modules})
    baseline = abandoned_workers()
    registry = load_registry({"EOBSCAN_PLUGINS": ",".join(PLUGINS)})
    sleepy = sys.modules["iso_sleepy"]
    yield Hostile(registry, sleepy.RELEASE, sleepy.CALLS)
    sleepy.RELEASE.set()
    wait_until(lambda: abandoned_workers() <= baseline)


@pytest.fixture
def well_behaved(hostile: Hostile) -> Registry:
    """The same installation, with only the good plugin enabled."""
    return load_registry({"EOBSCAN_PLUGINS": "good"})


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


def request() -> ScanRequest:
    """One claim whose first line asks $30.00 too much (INS001), with PHI-like canaries."""
    line = make_line(allowed="150.00", plan_paid="120.00", patient_responsibility="60.00")
    provider = Party(name=CANARIES[1], network="in", role="primary_care")
    claim = make_claim(lines=[line], claim_number=CANARIES[0], provider=provider)
    return make_request([claim])


def run(registry: Registry, breaker: Breaker) -> ScanResult:
    return scan(request(), registry, budget_ms=BUDGET_MS, breaker=breaker)


def statuses(result: ScanResult) -> dict[str, tuple[str, str | None]]:
    return {c.name: (c.status, c.error) for c in result.checks}


def found(result: ScanResult) -> list[tuple[str, int]]:
    return [(f.rule, f.amount_at_stake) for f in result.findings]


def assert_no_canary(text: str) -> None:
    for canary in CANARIES:
        assert canary not in text


# --- the scan ---------------------------------------------------------------------------------


def test_every_other_finding_is_returned(hostile: Hostile, well_behaved: Registry) -> None:
    expected = found(scan(request(), well_behaved, breaker=Breaker()))
    assert {("INS001", 3000), ("GOD001", 1000)} <= set(expected)
    assert sorted(found(run(hostile.registry, Breaker()))) == sorted([*expected, ("GRB001", 500)])


def test_the_result_says_which_check_failed_and_why(hostile: Hostile) -> None:
    result = statuses(run(hostile.registry, Breaker()))
    builtin = {check.name for check in load_registry({"EOBSCAN_PLUGINS": ""}).checks}
    assert {name: result[name] for name in builtin} == {name: ("ok", None) for name in builtin}
    assert {name: status for name, status in result.items() if name not in builtin} == {
        "good_check": ("ok", None),
        "raising_check": ("error", "ValueError raised by check raising_check"),
        "garbage_check": (
            "error",
            "check garbage_check returned a finding of rule GRB001 for an unknown claim or line; "
            "returned a finding of undeclared rule GRB999; "
            "returned a negative amount at stake for rule GRB001; "
            "returned something that is not a Finding",
        ),
        "none_check": ("error", "TypeError raised by check none_check"),
        "sleepy_check": (
            "error",
            f"check sleepy_check timed out after {DEADLINE_MS:.0f} ms and was abandoned",
        ),
    }


def test_only_our_own_checks_run_without_the_deadline(hostile: Hostile) -> None:
    """Built-in checks run in the scanning thread; every installed plugin's check gets the
    worker and its hard deadline, whatever name it gives itself."""
    ours = {check.name for check in load_registry({"EOBSCAN_PLUGINS": ""}).checks}
    builtin = {
        check.name for check in hostile.registry.checks if id(check) in hostile.registry.builtin_checks
    }
    assert builtin == ours
    assert not hostile.registry.all_builtin()
    assert load_registry({"EOBSCAN_PLUGINS": ""}).all_builtin()


def test_plugins_that_cannot_load_are_named_and_the_rest_load(hostile: Hostile) -> None:
    assert hostile.registry.failures == [
        PluginFailure(name="broken_import", stage="importing", reason="ModuleNotFoundError while importing"),
        PluginFailure(
            name="broken_registration",
            stage="running eobscan_register_checks",
            reason="RuntimeError while running eobscan_register_checks",
        ),
    ]
    loaded = {p.name: p.checks for p in hostile.registry.plugins}
    assert {k: loaded[k] for k in ("good", "raising", "garbage", "sleepy")} == {
        "good": ["good_check"],
        "raising": ["raising_check"],
        "garbage": ["garbage_check", "none_check"],
        "sleepy": ["sleepy_check"],
    }
    assert "broken_import" not in loaded
    assert loaded.get("broken_registration", []) == []


def test_no_claim_data_reaches_the_result_or_the_failures(hostile: Hostile) -> None:
    result = run(hostile.registry, Breaker())
    assert_no_canary(encode(result).decode())
    assert_no_canary(encode(hostile.registry.failures).decode())


def test_a_hung_check_is_abandoned_at_its_deadline_then_skipped(hostile: Hostile) -> None:
    breaker = Breaker()
    start = time.perf_counter()
    first = run(hostile.registry, breaker)
    first_ms = (time.perf_counter() - start) * 1000
    assert DEADLINE_MS <= first_ms < DEADLINE_MS + 1000
    sleepy = next(c for c in first.checks if c.name == "sleepy_check")
    assert sleepy.slow and sleepy.duration_ms >= DEADLINE_MS

    start = time.perf_counter()
    second = run(hostile.registry, breaker)
    assert (time.perf_counter() - start) * 1000 < DEADLINE_MS
    assert statuses(second)["sleepy_check"] == (
        "skipped",
        "check sleepy_check timed out in an earlier scan; it is skipped until restart",
    )
    assert found(second) == found(first)
    assert hostile.calls == [1]


def test_abandoned_threads_stay_bounded_and_end_when_the_check_returns(hostile: Hostile) -> None:
    baseline = abandoned_workers()
    breaker = Breaker()
    for _ in range(5):
        run(hostile.registry, breaker)
    assert abandoned_workers() == baseline + 1  # the one thread still inside the hung check
    hostile.release.set()
    wait_until(lambda: abandoned_workers() == baseline)


def test_a_check_over_budget_but_within_its_deadline_keeps_its_findings_and_is_marked_slow(
    well_behaved: Registry,
) -> None:
    good = well_behaved.checks[-1]
    original = good.check

    def slowly(claims: object, context: object) -> object:
        time.sleep(3 * BUDGET_MS / 1000)
        return list(original(claims, context))

    good.check = slowly
    result = run(well_behaved, Breaker())
    status = next(c for c in result.checks if c.name == "good_check")
    assert (status.status, status.slow, status.error) == ("ok", True, None)
    assert ("GOD001", 1000) in found(result)


def test_the_budget_and_deadline_are_engine_parameters(hostile: Hostile) -> None:
    result = scan(request(), hostile.registry, budget_ms=5, deadline_ms=50, breaker=Breaker())
    assert statuses(result)["sleepy_check"] == (
        "error",
        "check sleepy_check timed out after 50 ms and was abandoned",
    )


# --- the service --------------------------------------------------------------------------------


def test_the_service_stays_healthy_and_logs_no_claim_data(hostile: Hostile, well_behaved: Registry) -> None:
    settings = Settings(token=TOKEN, port=8765, check_budget_ms=BUDGET_MS)
    app = create_app(settings, hostile.registry)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    with (
        structlog.testing.capture_logs() as logs,
        TestClient(app, base_url="http://127.0.0.1:8765") as client,
    ):
        first = client.post("/v1/scan", content=encode(request()), headers=headers)
        second = client.post("/v1/scan", content=encode(request()), headers=headers)
        health = client.get("/healthz")
        plugins = client.get("/v1/plugins", headers=headers)
    assert (first.status_code, second.status_code, health.json()) == (200, 200, {"status": "ok"})
    good = scan(request(), well_behaved, breaker=Breaker()).findings
    expected = {(f.rule, format_money(f.amount_at_stake)) for f in good} | {("GRB001", "5.00")}
    for response in (first, second):
        assert {(f["rule"], f["amount_at_stake"]) for f in response.json()["findings"]} == expected
    assert {("INS001", "30.00"), ("GOD001", "10.00"), ("GRB001", "5.00")} <= expected
    checks = [CheckStatus(**c) for c in second.json()["checks"]]
    assert {c.name: c.status for c in checks}["sleepy_check"] == "skipped"
    assert {p["name"] for p in plugins.json()} >= {"good", "raising", "garbage", "sleepy"}
    assert_no_canary(first.text + second.text + repr(logs))


@pytest.mark.parametrize("escape", [SystemExit(3), KeyboardInterrupt(), GeneratorExit()])
def test_a_check_cannot_stop_the_scan_even_with_a_base_exception(
    well_behaved: Registry, escape: BaseException
) -> None:
    class Escaping:
        name, version, rules = "escaping_check", "1.0", ()

        def check(self, claims: object, context: object) -> list[object]:
            raise escape

    registry = Registry(checks=[Escaping(), *well_behaved.checks], rules=well_behaved.rules)
    result = run(registry, Breaker())
    assert statuses(result)["escaping_check"] == (
        "error",
        f"{type(escape).__name__} raised by check escaping_check",
    )
    assert ("GOD001", 1000) in found(result)
