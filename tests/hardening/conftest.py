"""Shared parts of the hardening suite: the service as tests build it, and canary data.

Every test here talks to 127.0.0.1 only and is bounded in time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from scanner.plugins import Registry, load_registry
from scanner.service.app import create_app
from scanner.settings import Settings

TOKEN = "hardening-token-0123456789abcdef"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Content-Type": "application/json"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def record(name: str, figures: dict[str, Any]) -> None:
    """Keep a test's figures (rates, percentiles, counts) in test-artifacts/ for the report."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"hardening-{name}.json").write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")


def builtin_registry() -> Registry:
    """Every built-in check, and no third-party plugin installed on the machine."""
    return load_registry({"EOBSCAN_PLUGINS": ""})


def make_app(registry: Registry | None = None, **settings: object) -> Litestar:
    return create_app(Settings(token=TOKEN, port=PORT, **settings), registry or builtin_registry())  # type: ignore[arg-type]


@pytest.fixture
def client() -> Iterator[TestClient[Litestar]]:
    with TestClient(make_app(), base_url=BASE) as test_client:
        yield test_client
