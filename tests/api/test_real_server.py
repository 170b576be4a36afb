"""The real service, as `make run` starts it: a subprocess on a free loopback port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.service import free_port

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "requests" / "office-visit.json"


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, str, subprocess.Popen[str]]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "EOBSCAN_TOKEN"}
    process = subprocess.Popen(
        [sys.executable, "-m", "scanner", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    banner = process.stdout.readline()
    token = banner.rsplit("?token=", 1)[-1].strip()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    yield base, token, process
    process.terminate()
    process.wait(timeout=10)


def test_serve_prints_the_url_with_a_generated_token(server: tuple[str, str, subprocess.Popen[str]]) -> None:
    base, token, _ = server
    assert len(token) >= 32
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}


def test_a_scan_over_real_http(server: tuple[str, str, subprocess.Popen[str]]) -> None:
    base, token, _ = server
    response = httpx.post(
        f"{base}/v1/scan",
        content=EXAMPLE.read_bytes(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    result = response.json()
    assert result["summary"]["amount_at_stake"] == "30.00"
    assert result["findings"][0]["rule"] == "INS001"


def test_the_real_server_refuses_a_rebound_host_and_a_text_plain_post(
    server: tuple[str, str, subprocess.Popen[str]],
) -> None:
    base, token, _ = server
    rebound = httpx.get(
        f"{base}/v1/checks", headers={"Host": "attacker.example", "Authorization": f"Bearer {token}"}
    )
    assert rebound.status_code == 400
    form = httpx.post(
        f"{base}/v1/scan",
        content=json.dumps({"claims": [{"id": "x"}]}),
        headers={"Content-Type": "text/plain", "Authorization": f"Bearer {token}"},
    )
    assert form.status_code == 415


def test_the_server_logs_one_json_line_per_request_without_bodies(
    server: tuple[str, str, subprocess.Popen[str]],
) -> None:
    base, _token, process = server
    httpx.get(f"{base}/healthz")
    process.terminate()
    process.wait(timeout=10)
    assert process.stderr is not None
    records = [json.loads(line) for line in process.stderr.read().splitlines() if line.startswith("{")]
    assert any(r.get("route") == "/v1/scan" and r.get("status") == 200 and r.get("findings") for r in records)
    assert all("Riverside" not in json.dumps(r) for r in records)


def test_serve_on_a_busy_port_says_so_and_exits_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        second = subprocess.run(
            [sys.executable, "-m", "scanner", "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert second.returncode == 2
    assert "already in use" in second.stderr
    assert "is running at" not in second.stdout
