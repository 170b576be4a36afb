from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from scanner.plugins import load_registry
from scanner.service.app import create_app
from scanner.settings import Settings

TOKEN = "test-token-0123456789"
BASE = "http://127.0.0.1:8765"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def settings() -> Settings:
    return Settings(token=TOKEN, port=8765)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:  # type: ignore[type-arg]
    app = create_app(settings, load_registry({"EOBSCAN_PLUGINS": ""}))
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client
