"""The plugin rows of the threat catalogue that the engine and plugin tests do not already cover:
junk output (PLG-04), a plugin that changes its input (PLG-06), a plugin that prints or logs what
it sees (PLG-08), a plugin turned off before import (PLG-09).

Plugins are trusted code, but a careless one must not cost the user the other plugins' findings,
nor put health data in the log.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import httpx
import pytest

from bench.service import running_service
from scanner.checks import CheckContext
from scanner.engine import scan
from scanner.isolation import Breaker
from scanner.model import Claim, Finding, ScanRequest, decode_request
from scanner.plugins import Registry, load_registry
from tests.hardening import canaries
from tests.hardening.conftest import builtin_registry
from tests.hardening.flaky_plugin import RULE

MAX_FINDINGS_PER_CHECK = 100


def with_check(check: object) -> Registry:
    base = builtin_registry()
    return Registry(
        checks=[check, *base.checks],
        parsers=base.parsers,
        plugins=base.plugins,
        rules={**base.rules, RULE.code: RULE},
    )


def request() -> ScanRequest:
    request: ScanRequest = decode_request(canaries.scan_body())
    return request


def rules_of(findings: Iterable[Finding]) -> list[tuple[str, str, int]]:
    return [(f.rule, f.claim_id, int(f.amount_at_stake)) for f in findings if f.rule != RULE.code]


class Plugin:
    """A third-party check whose behaviour the test chooses."""

    name = "flaky"
    version = "1.0"
    rules = (RULE,)

    def __init__(self, behaviour: Callable[[Sequence[Claim]], list[Finding]]) -> None:
        self.behaviour = behaviour

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        return self.behaviour(claims)


def test_plg04_a_flood_of_findings_with_absurd_amounts_is_not_passed_on() -> None:
    def flood(claims: Sequence[Claim]) -> list[Finding]:
        return [
            RULE.finding(
                claim_id=claims[0].id,
                title="x",
                message="<img src=x onerror=alert(1)>",
                amount_at_stake=10**12,
            )
            for _ in range(100_000)
        ]

    result = scan(request(), with_check(Plugin(flood)), breaker=Breaker())
    flooded = [f for f in result.findings if f.rule == RULE.code]
    assert len(flooded) <= MAX_FINDINGS_PER_CHECK
    # The EOB asks $60.00 and the provider's bill $90.00: nothing can be worth more than $90.00.
    assert all(f.amount_at_stake <= 9000 for f in flooded), "never more than the patient was asked to pay"
    assert next(c for c in result.checks if c.name == "flaky").status == "error"
    assert rules_of(result.findings) == rules_of(
        scan(request(), builtin_registry(), breaker=Breaker()).findings
    )


def test_plg06_a_plugin_that_changes_the_claims_changes_no_other_finding() -> None:
    def vandal(claims: Sequence[Claim]) -> list[Finding]:
        for claim in claims:
            for line in claim.lines:
                line.patient_responsibility = None
                line.coinsurance = None
            claim.lines.append(claim.lines[0])
        return []

    expected = rules_of(scan(request(), builtin_registry(), breaker=Breaker()).findings)
    sent = request()
    result = scan(sent, with_check(Plugin(vandal)), breaker=Breaker())
    assert expected, "the canary claim has findings to lose"
    assert rules_of(result.findings) == expected
    assert sent == request(), "the caller's request is left as it was sent"


CHATTY = """
    import logging, sys
    import structlog
    from scanner import hookimpl

    SECRET = "{secret}"

    class Chatty:
        name = "chatty"
        version = "1.0"
        rules = ()

        def check(self, claims, context):
            print("stdout", SECRET, claims[0].claim_number)
            print("stderr", SECRET, file=sys.stderr)
            logging.getLogger("acme").warning("stdlib %s", SECRET)
            structlog.get_logger("acme").info(f"event {{SECRET}}")
            structlog.get_logger("acme").info("keys", reason=SECRET, member=SECRET)
            return []

    @hookimpl
    def eobscan_register_checks(register):
        register(Chatty())
"""


def install_chatty(folder: Path) -> Path:
    distribution(
        folder, "eobscan-chatty", "chatty", "eobscan_chatty", CHATTY.format(secret=canaries.MEMBER_ID)
    )
    return folder


def test_plg08_what_a_plugin_prints_or_logs_never_reaches_the_service_log(tmp_path: Path) -> None:
    (tmp_path / "plugin").mkdir()
    plugin = install_chatty(tmp_path / "plugin")
    with running_service(tmp_path, env={"EOBSCAN_PLUGINS": "chatty"}, python_path=[plugin]) as service:
        response = httpx.post(
            f"{service.base}/v1/scan",
            content=canaries.scan_body(),
            headers={**service.auth, "Content-Type": "application/json"},
        )
        assert response.status_code == 200
        assert "chatty" in [c["name"] for c in response.json()["checks"]]
    assert not canaries.found_in(service.log_text())


def test_plg09_a_disabled_plugin_is_never_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = install_chatty(tmp_path)
    monkeypatch.syspath_prepend(str(plugin))
    sys.modules.pop("eobscan_chatty", None)
    for env in (
        {"EOBSCAN_PLUGINS": "chatty", "EOBSCAN_DISABLE": "chatty"},
        {"EOBSCAN_PLUGINS": "someone-else"},
    ):
        registry = load_registry(env)
        assert "chatty" not in [p.name for p in registry.plugins]
        assert "eobscan_chatty" not in sys.modules
    assert "chatty" in [p.name for p in load_registry({"EOBSCAN_PLUGINS": "chatty"}).plugins]
    sys.modules.pop("eobscan_chatty", None)


def distribution(folder: Path, dist: str, entry_point: str, module: str, source: str) -> None:
    """Install ``source`` as module ``module`` of distribution ``dist``, an ``eobscan`` entry point."""
    (folder / f"{module}.py").write_text(textwrap.dedent(source))
    info = folder / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[eobscan]\n{entry_point} = {module}\n")


def test_plg10_a_hook_with_a_wrong_signature_is_refused_by_name_and_the_rest_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = """
        from scanner import hookimpl

        @hookimpl
        def eobscan_register_checks(register, patient_name):
            register(None)
    """
    distribution(tmp_path, "eobscan-wrongsig", "wrongsig", "eobscan_wrongsig", source)
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = load_registry({"EOBSCAN_PLUGINS": "wrongsig"})
    sys.modules.pop("eobscan_wrongsig", None)
    assert [f.name for f in registry.failures] == ["wrongsig"]
    assert len(registry.checks) == len(builtin_registry().checks)


def test_plg11_of_two_plugins_under_one_name_one_loads_and_the_other_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = """
        from scanner import hookimpl
        from tests.hardening.flaky_plugin import FlakyCheck

        @hookimpl
        def eobscan_register_checks(register):
            register(FlakyCheck())
    """
    distribution(tmp_path, "eobscan-acme", "acme", "eobscan_acme_one", check)
    distribution(tmp_path, "eobscan-acme-typo", "acme", "eobscan_acme_two", check)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        registry = load_registry({"EOBSCAN_PLUGINS": "acme"})
    finally:
        sys.modules.pop("eobscan_acme_one", None)
        sys.modules.pop("eobscan_acme_two", None)
    assert [p.name for p in registry.plugins].count("acme") == 1
    assert "acme" in [f.name for f in registry.failures]


def test_plg12_no_code_path_turns_on_hook_tracing() -> None:
    """pluggy's tracing and call monitoring print hook arguments, that is, claims."""
    root = Path(__file__).resolve().parents[2]
    sources = [*root.joinpath("scanner").rglob("*.py"), *root.joinpath("plugins").rglob("*.py")]
    offenders = [
        str(path.relative_to(root))
        for path in sources
        if "enable_tracing" in path.read_text() or "add_hookcall_monitoring" in path.read_text()
    ]
    assert offenders == []
