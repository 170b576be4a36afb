"""Shared fixtures: third-party plugins installed on the machine never leak into the tests."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _no_third_party_plugins(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests see only the built-ins and the shipped tables, never what this machine installed or
    imported (a plugin, a fee schedule of the developer's own)."""
    if "EOBSCAN_PLUGINS" not in os.environ:
        monkeypatch.setenv("EOBSCAN_PLUGINS", "")
    monkeypatch.delenv("EOBSCAN_DISABLE", raising=False)
    monkeypatch.setenv("EOBSCAN_DATA_DIR", str(tmp_path_factory.mktemp("eobscan-data")))


@pytest.fixture
def fake_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Make a distribution with ``eobscan`` entry points importable, without pip.

    ``fake_distribution("acme-checks", "2.1", {"acme": "acme_checks"}, {"acme_checks": source})``
    writes the modules and a ``.dist-info`` folder that importlib.metadata reads like an installed
    package's.
    """
    monkeypatch.syspath_prepend(str(tmp_path))
    created: list[str] = []

    def make(name: str, version: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
        for module, source in modules.items():
            (tmp_path / f"{module}.py").write_text(textwrap.dedent(source))
            created.append(module)
        info = tmp_path / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        eps = "\n".join(f"{ep} = {target}" for ep, target in entry_points.items())
        (info / "entry_points.txt").write_text(f"[eobscan]\n{eps}\n")

    yield make
    for module in created:
        sys.modules.pop(module, None)
