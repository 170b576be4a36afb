"""Loading plugins: built-ins through the public hook, third parties from entry points."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import plugins.checks
from scanner.plugins import DEFAULT_PLUGINS, RegistryError, load_registry

GOOD_PLUGIN = """
from scanner import hookimpl
from scanner.model import Rule, RuleDocs

DOCS = RuleDocs(what_it_checks="a", why_it_matters="b", example="c", what_to_do="d")
RULE = Rule(code="{code}", name="acme-rule", check="acme", error_class="pricing",
            severity="info", summary="An example rule.", docs=DOCS)

class AcmeCheck:
    name = "acme"
    version = "2.1"
    rules = (RULE,)
    def check(self, claims, context):
        return [RULE.finding(claim_id=c.id, title="t", message="m", amount_at_stake=0) for c in claims]

@hookimpl
def eobscan_register_checks(register):
    register(AcmeCheck())
"""

Maker = Callable[..., None]


def test_plugins_checks_resolves_to_this_project() -> None:
    project = Path(__file__).resolve().parent.parent
    assert Path(plugins.checks.__file__).resolve().is_relative_to(project / "plugins" / "checks")


def test_built_ins_register_through_the_public_hook() -> None:
    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    assert [p.name for p in registry.plugins if p.builtin] == [m.rsplit(".", 1)[-1] for m in DEFAULT_PLUGINS]
    assert "INS001" in registry.rules
    assert registry.failures == []


def test_an_entry_point_plugin_is_loaded_with_its_version(fake_distribution: Maker) -> None:
    fake_distribution(
        "acme-checks",
        "2.1",
        {"acme": "acme_checks"},
        {"acme_checks": GOOD_PLUGIN.replace("{code}", "ACM001")},
    )
    registry = load_registry({})
    info = next(p for p in registry.plugins if p.name == "acme")
    assert (info.version, info.builtin, info.checks) == ("2.1", False, ["acme"])
    assert registry.rule("acm001") is not None


def test_a_plugin_that_fails_to_import_is_reported_by_name_and_the_rest_load(
    fake_distribution: Maker,
) -> None:
    fake_distribution(
        "broken", "0.1", {"broken": "broken_plugin"}, {"broken_plugin": "raise ImportError('boom')"}
    )
    fake_distribution(
        "acme-checks",
        "2.1",
        {"acme": "acme_checks"},
        {"acme_checks": GOOD_PLUGIN.replace("{code}", "ACM001")},
    )
    registry = load_registry({})
    assert [(f.name, f.stage) for f in registry.failures] == [("broken", "importing")]
    assert "boom" not in registry.failures[0].reason
    assert {"acme", "insurer_processing"} <= {p.name for p in registry.plugins}


def test_eobscan_plugins_loads_only_the_named_plugins(fake_distribution: Maker) -> None:
    fake_distribution(
        "acme-checks",
        "2.1",
        {"acme": "acme_checks"},
        {"acme_checks": GOOD_PLUGIN.replace("{code}", "ACM001")},
    )
    assert "acme" in {p.name for p in load_registry({"EOBSCAN_PLUGINS": "acme"}).plugins}
    assert "acme" not in {p.name for p in load_registry({"EOBSCAN_PLUGINS": ""}).plugins}
    assert "acme" not in {p.name for p in load_registry({"EOBSCAN_PLUGINS": "other"}).plugins}


def test_eobscan_disable_turns_plugins_off_by_name(fake_distribution: Maker) -> None:
    fake_distribution(
        "acme-checks",
        "2.1",
        {"acme": "acme_checks"},
        {"acme_checks": GOOD_PLUGIN.replace("{code}", "ACM001")},
    )
    registry = load_registry({"EOBSCAN_DISABLE": "acme, insurer_processing"})
    names = {p.name for p in registry.plugins}
    assert "acme" not in names and "insurer_processing" not in names
    assert "INS001" not in registry.rules


def test_two_plugins_claiming_one_rule_code_is_a_clear_error(fake_distribution: Maker) -> None:
    fake_distribution(
        "acme-checks",
        "2.1",
        {"acme": "acme_checks"},
        {"acme_checks": GOOD_PLUGIN.replace("{code}", "INS001")},
    )
    with pytest.raises(
        RegistryError, match=r"INS001 is claimed by both plugin 'insurer_processing' and plugin 'acme'"
    ):
        load_registry({})


def test_a_malformed_rule_rejects_its_plugin(fake_distribution: Maker) -> None:
    fake_distribution(
        "acme-checks", "2.1", {"acme": "acme_checks"}, {"acme_checks": GOOD_PLUGIN.replace("{code}", "acme1")}
    )
    registry = load_registry({})
    failure = next(f for f in registry.failures if f.name == "acme")
    assert "three capital letters and three digits" in failure.reason
    assert "acme" not in {c.name for c in registry.checks}


def test_a_misspelled_hook_is_reported_by_name_and_the_rest_load(fake_distribution: Maker) -> None:
    source = "from scanner import hookimpl\n@hookimpl\ndef eobscan_register_chekcs(register):\n    pass\n"
    fake_distribution("typo", "0.1", {"typo": "typo_plugin"}, {"typo_plugin": source})
    registry = load_registry({})
    failure = next(f for f in registry.failures if f.name == "typo")
    assert failure.stage == "validating hooks"
    assert "eobscan_register_chekcs" in failure.reason
    assert "insurer_processing" in {p.name for p in registry.plugins}
