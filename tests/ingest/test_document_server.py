"""The document route on the real service (``python -m scanner serve`` on a free loopback port):
a hostile PDF is killed at the limit while the service keeps answering, and the next PDF works."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from bench.service import free_port

from . import bad_pdfs
from . import documents as docs

CASE = docs.Case(
    "server",
    "Example Mutual Health",
    [docs.make_claim(random.Random(71), "EOB-2025-000901", "Lakeside Family Clinic", 4)],
)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    token = "document-route-token-0123456789"
    env = {**os.environ, "EOBSCAN_TOKEN": token, "EOBSCAN_PDF_TIMEOUT_S": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "scanner", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    yield base, {"Authorization": f"Bearer {token}"}
    process.terminate()
    process.wait(timeout=10)


def upload(base: str, headers: dict[str, str], data: bytes, name: str) -> httpx.Response:
    return httpx.post(f"{base}/v1/scan/document", headers=headers, files={"file": (name, data)}, timeout=30)


def test_a_pdf_over_real_http(server: tuple[str, dict[str, str]]) -> None:
    base, headers = server
    response = upload(base, headers, docs.member_statement(CASE), "eob.pdf")
    assert response.status_code == 200
    claims = response.json()["claims"]
    assert [len(c["lines"]) for c in claims] == [4]


def test_a_hostile_pdf_is_killed_at_the_limit_and_the_service_keeps_serving(
    server: tuple[str, dict[str, str]],
) -> None:
    base, headers = server
    outcome: dict[str, object] = {}

    def hostile() -> None:
        start = time.monotonic()
        response = upload(base, headers, bad_pdfs.scattered_words(), "eob.pdf")
        outcome.update(
            status=response.status_code, code=response.json()["title"], seconds=time.monotonic() - start
        )

    thread = threading.Thread(target=hostile)
    thread.start()
    time.sleep(0.3)
    slowest = 0.0
    while thread.is_alive():
        start = time.monotonic()
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
        slowest = max(slowest, time.monotonic() - start)
        time.sleep(0.2)
    thread.join()
    assert (outcome["status"], outcome["code"]) == (422, "Document not readable")
    assert 1.9 <= float(outcome["seconds"]) < 6  # type: ignore[arg-type]
    assert slowest < 1.0
    assert upload(base, headers, docs.member_statement(CASE), "eob.pdf").status_code == 200
