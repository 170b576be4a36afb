"""Browser-origin attacks on the real service, from a real Chromium (threat model, row 2).

Any page the user visits can make the browser send requests to 127.0.0.1. A page on another
origin tries a text/plain form post, fetches with and without credentials, a guessed token, a
beacon and tag GETs; a page reached through a rebound DNS name talks to the service as if it were
its own origin. The service's log shows what arrived: every request refused, nothing processed;
and the page could read nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.service import Service, running_service
from tests.hardening.browsing import PAGES, in_chromium, serving_pages

pytestmark = pytest.mark.browser

REFUSED = {400, 401, 403, 415}
REBIND = "--host-resolver-rules=MAP rebind.test 127.0.0.1"
#: Chromium's Local Network Access blocks a rebound page's requests to loopback by itself; it is
#: turned off here so the test proves the service holds without it (older browsers, other ones).
WITHOUT_LNA = (
    "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,"
    "PrivateNetworkAccessRespectPreflightResults"
)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running_service(tmp_path_factory.mktemp("origin-logs")) as running:
        yield running


def settled(service: Service, settle: float = 1.0) -> int:
    """How many log records there are once the service has gone quiet for ``settle`` seconds
    (a request's log line is written just after its answer)."""
    seen, quiet_since = -1, time.monotonic()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        count = len(service.log_records())
        if count != seen:
            seen, quiet_since = count, time.monotonic()
        elif time.monotonic() - quiet_since >= settle:
            break
        time.sleep(0.1)
    return seen


def records_after(service: Service, mark: int) -> list[dict[str, Any]]:
    settled(service)
    return [r for r in service.log_records()[mark:] if r.get("event") == "request"]


def test_a_page_on_another_origin_gets_nothing_processed_and_reads_nothing(
    service: Service, tmp_path: Path
) -> None:
    mark = settled(service, settle=0.3)
    with serving_pages() as port:

        def attack(context: Any) -> dict[str, Any]:
            page = context.new_page()
            page.goto(f"http://localhost:{port}/attacker.html")
            return dict(page.evaluate("(url) => __attack(url)", service.base))

        results = in_chromium(attack, profile=tmp_path / "profile")

    arrived = records_after(service, mark)
    statuses = sorted({(r["method"], r["route"], r["status"]) for r in arrived})
    print(f"\nforeign-origin attacks: {len(arrived)} requests reached the service: {statuses}")
    assert arrived, "the browser sent the simple requests; the service must have seen them"
    assert {r["status"] for r in arrived} <= REFUSED
    assert any(r["method"] == "POST" and r["route"] == "/v1/scan" for r in arrived)
    for name, outcome in results.items():
        if name == "beacon":
            continue
        readable = outcome.get("type") in ("basic", "cors") and outcome.get("status", 0) < 400
        assert not readable, f"{name}: the page read an answer: {outcome}"
        assert "findings" not in str(outcome.get("body"))


def test_a_rebound_dns_name_reaches_the_port_but_every_answer_is_a_400(
    service: Service, tmp_path: Path
) -> None:
    host = f"rebind.test:{service.port}"
    mark = settled(service, settle=0.3)

    def rebound(context: Any) -> dict[str, Any]:
        page = context.new_page()
        page.route(
            f"http://{host}/attacker.html", lambda route: route.fulfill(path=str(PAGES / "attacker.html"))
        )
        page.route(f"http://{host}/attacker.js", lambda route: route.fulfill(path=str(PAGES / "attacker.js")))
        page.goto(f"http://{host}/attacker.html")
        return dict(page.evaluate("() => __rebound()"))

    results = in_chromium(rebound, profile=tmp_path / "profile", args=(REBIND, WITHOUT_LNA))

    arrived = records_after(service, mark)
    print(f"\nrebound-name requests: {[(r['method'], r['route'], r['status']) for r in arrived]}")
    assert len(arrived) == len(results)
    assert {r["status"] for r in arrived} == {400}
    for name, outcome in results.items():
        assert outcome["status"] == 400, f"{name}: {outcome}"
        assert "findings" not in str(outcome.get("body")) and "EOB Scanner" not in str(outcome.get("body"))
