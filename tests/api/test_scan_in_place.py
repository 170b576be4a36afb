"""Where a scan runs: small scans with only our own checks in the event loop, the rest in threads.

Handing a request to a thread and back costs more than scanning a few lines with the built-in
checks; but a long scan, or any plugin check (which may hang until its deadline), must never hold
the event loop, or /healthz and every other request would wait behind it.
"""

from __future__ import annotations

import asyncio
import threading

import httpx

from scanner.isolation import WORKER_NAME
from scanner.model import encode
from scanner.plugins import Registry, load_registry
from scanner.service.app import create_app
from scanner.settings import Settings
from scanner.testing import make_claim, make_line, make_request

TOKEN = "in-place-token-0123456789"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
SETTINGS = Settings(token=TOKEN, port=8765, inline_scan_lines=5)


class WhereItRan:
    """A check that notes the thread each scan ran it in."""

    version, rules = "1.0", ()

    def __init__(self, name: str) -> None:
        self.name = name
        self.threads: list[threading.Thread] = []

    def check(self, claims: object, context: object) -> list[object]:
        self.threads.append(threading.current_thread())
        return []


def _registry(*, ours: WhereItRan, plugin: WhereItRan | None = None) -> Registry:
    """The built-ins plus ``ours`` counted as a built-in, and ``plugin`` as an installed one."""
    builtin = load_registry({"EOBSCAN_PLUGINS": ""})
    registry = Registry(checks=[*builtin.checks, ours], rules=builtin.rules)
    registry.builtin_checks = {*builtin.builtin_checks, id(ours)}
    if plugin is not None:
        registry.checks.append(plugin)
    return registry


def _scan(registry: Registry, lines: int) -> threading.Thread:
    """Scan one claim of ``lines`` lines through the app; the thread its event loop ran in."""
    app = create_app(SETTINGS, registry)
    body = encode(make_request([make_claim(lines=[make_line(id=str(i + 1)) for i in range(lines)])]))

    async def send() -> threading.Thread:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8765") as client:
            answer = await client.post("/v1/scan", content=body, headers=HEADERS)
        assert answer.status_code == 200
        assert all(c["status"] == "ok" for c in answer.json()["checks"])
        return threading.current_thread()

    return asyncio.run(send())


def test_a_small_scan_with_only_our_checks_runs_in_the_event_loop() -> None:
    ours = WhereItRan("ours")
    loop_thread = _scan(_registry(ours=ours), lines=SETTINGS.inline_scan_lines)
    assert ours.threads == [loop_thread]


def test_a_long_scan_runs_in_a_thread_of_its_own() -> None:
    ours = WhereItRan("ours")
    loop_thread = _scan(_registry(ours=ours), lines=SETTINGS.inline_scan_lines + 1)
    [thread] = ours.threads
    assert thread is not loop_thread
    assert thread.name != WORKER_NAME  # our own checks are not handed on once more


def test_a_plugin_check_never_runs_in_the_event_loop_nor_in_the_scanning_thread() -> None:
    ours, plugin = WhereItRan("ours"), WhereItRan("plugin")
    loop_thread = _scan(_registry(ours=ours, plugin=plugin), lines=1)
    [scanning_thread] = ours.threads
    [plugin_thread] = plugin.threads
    assert scanning_thread is not loop_thread
    assert plugin_thread.name == WORKER_NAME  # under its deadline (scanner.isolation)
    assert plugin_thread is not scanning_thread


def test_the_size_comes_from_the_environment() -> None:
    assert Settings.from_env({}).inline_scan_lines == 50
    assert Settings.from_env({"EOBSCAN_INLINE_SCAN_LINES": "0"}).inline_scan_lines == 0
    assert Settings.from_env({"EOBSCAN_INLINE_SCAN_LINES": "200"}).inline_scan_lines == 200
