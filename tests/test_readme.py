"""The README shows the product working: its examples must stay what the product prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_the_readme_cli_example_is_what_eobscan_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(ROOT / "examples" / "requests" / "family-year.json")]) == 1
    assert capsys.readouterr().out in README


def test_the_readme_names_every_rule_class_prefix() -> None:
    from scanner.plugins import load_registry

    prefixes = {code[:3] for code in load_registry({"EOBSCAN_PLUGINS": ""}).rules}
    assert all(prefix in README for prefix in prefixes)
    assert f"{len(load_registry({'EOBSCAN_PLUGINS': ''}).rules)} rules" in README
