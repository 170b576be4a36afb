"""docs/rules.md is generated from the rules' metadata and kept in sync."""

from pathlib import Path

from scanner.checks import rule_problems
from scanner.plugins import load_registry
from scanner.rules_doc import built_in_rules_page

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_docs_rules_md_is_in_sync_with_the_rules() -> None:
    assert DOCS.read_text() == built_in_rules_page(), "run `make docs` to regenerate docs/rules.md"


def test_every_built_in_rule_is_well_formed_and_documented() -> None:
    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    assert registry.failures == []
    for rule in registry.rules.values():
        assert rule_problems(rule) == [], rule.code
        assert f"## {rule.code}" in DOCS.read_text()
