"""Scans beyond ``scan_concurrency`` wait their turn; none is refused, none is lost."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx

from scanner.model import encode
from scanner.plugins import Registry, load_registry
from scanner.service.app import create_app
from scanner.settings import Settings
from scanner.testing import make_claim, make_line, make_request

TOKEN = "concurrency-token-0123456789"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


class Counting:
    """A check that notes how many scans are inside it at once, and lingers a little."""

    name, version, rules = "counting_check", "1.0", ()

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.lock = threading.Lock()

    def check(self, claims: object, context: object) -> list[object]:
        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        time.sleep(0.03)
        with self.lock:
            self.inside -= 1
        return []


def _scan_all_at_once(settings: Settings, registry: Registry, requests: int) -> list[int]:
    app = create_app(settings, registry)
    body = encode(make_request([make_claim(lines=[make_line()])]))

    async def send() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8765") as client:
            answers = await asyncio.gather(
                *(client.post("/v1/scan", content=body, headers=HEADERS) for _ in range(requests))
            )
        return [a.status_code for a in answers]

    return asyncio.run(send())


def _registry_with(check: Counting) -> Registry:
    builtin = load_registry({"EOBSCAN_PLUGINS": ""})
    return Registry(checks=[*builtin.checks, check], rules=builtin.rules)


def test_no_more_scans_run_at_once_than_configured() -> None:
    counting = Counting()
    settings = Settings(token=TOKEN, port=8765, scan_concurrency=2)
    statuses = _scan_all_at_once(settings, _registry_with(counting), requests=8)
    assert statuses == [200] * 8
    assert counting.most == 2


def test_one_at_a_time_when_configured_so() -> None:
    counting = Counting()
    settings = Settings(token=TOKEN, port=8765, scan_concurrency=1)
    assert _scan_all_at_once(settings, _registry_with(counting), requests=4) == [200] * 4
    assert counting.most == 1


def test_the_limit_comes_from_the_environment_and_is_at_least_one() -> None:
    assert Settings.from_env({}).scan_concurrency == 2
    assert Settings.from_env({"EOBSCAN_SCAN_CONCURRENCY": "6"}).scan_concurrency == 6
    assert Settings.from_env({"EOBSCAN_SCAN_CONCURRENCY": "0"}).scan_concurrency == 1
