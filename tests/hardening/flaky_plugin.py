"""A third-party check that fails on every tenth call, with claim-like text in its exception.

Installed into the real service as a plugin distribution (see :func:`install`), or used in
process. The service must keep every other check's findings, answer 200, and never repeat the
exception's text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from scanner import hookimpl
from scanner.checks import CheckContext
from scanner.model import Claim, Finding, Rule, RuleDocs

CANARY = "ZZCANARY-FLAKY-W987654321"

RULE = Rule(
    code="FLK001",
    name="flaky-probe",
    check="flaky",
    error_class="pricing",
    severity="info",
    summary="A probe finding from a plugin that fails now and then.",
    docs=RuleDocs(
        what_it_checks="Nothing: it marks each claim so tests can count the calls.",
        why_it_matters="It proves one failing plugin costs the user nothing else.",
        example="Every claim gets one probe finding.",
        what_to_do="Nothing.",
    ),
)


class FlakyCheck:
    name = "flaky"
    version = "1.0"
    rules = (RULE,)

    def __init__(self, every: int = 10) -> None:
        self.every = every
        self.calls = 0

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        self.calls += 1
        if self.calls % self.every == 0:
            raise ZeroDivisionError(f"member {CANARY} broke the probe")
        return [
            RULE.finding(claim_id=c.id, title="Probe", message="Probe finding.", amount_at_stake=0)
            for c in claims
        ]


@hookimpl
def eobscan_register_checks(register: object) -> None:
    register(FlakyCheck())  # type: ignore[operator]


def install(folder: Path) -> Path:
    """Write a plugin distribution named ``eobscan-flaky`` (entry point ``flaky``) into ``folder``;
    put ``folder`` on the service's ``PYTHONPATH`` and set ``EOBSCAN_PLUGINS=flaky``."""
    (folder / "eobscan_flaky.py").write_text(
        textwrap.dedent(
            """
            from tests.hardening.flaky_plugin import eobscan_register_checks  # noqa: F401
            """
        )
    )
    info = folder / "eobscan_flaky-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: eobscan-flaky\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[eobscan]\nflaky = eobscan_flaky\n")
    return folder
