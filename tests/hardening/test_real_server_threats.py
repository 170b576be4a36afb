"""The service as ``eobscan serve`` runs it (SVC-01, SVC-14): where it listens, a second instance
on a taken port, and stopping it, idle or mid-document, without leaving a process behind."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bench.service import ROOT, Service, free_port, running_service, stop
from tests.ingest import bad_pdfs

LISTEN = "0A"


def listeners(port: int) -> list[str]:
    """The local addresses listening on ``port`` (from /proc/net/tcp and tcp6), as hex."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            address, state = fields[1], fields[3]
            if state == LISTEN and int(address.rsplit(":", 1)[1], 16) == port:
                found.append(address.rsplit(":", 1)[0])
    return found


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on the port (as servers do, with SO_REUSEADDR: the
    stopped server's closed connections in TIME_WAIT do not hold the port)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def test_svc01_by_default_the_service_listens_on_loopback_only(tmp_path: Path) -> None:
    with running_service(tmp_path) as service:
        assert listeners(service.port) == ["0100007F"]


def test_svc01_bound_to_every_interface_it_still_answers_only_loopback_names(tmp_path: Path) -> None:
    with running_service(tmp_path, args=["--host", "0.0.0.0"]) as service:  # noqa: S104
        lan_name = f"{socket.gethostname()}:{service.port}"
        refused = httpx.get(f"{service.base}/v1/checks", headers={**service.auth, "Host": lan_name})
        assert refused.status_code == 400
        assert httpx.get(f"{service.base}/v1/checks", headers=service.auth).status_code == 200


def test_svc01_a_second_instance_on_a_taken_port_exits_and_the_first_keeps_serving(tmp_path: Path) -> None:
    with running_service(tmp_path) as first:
        second = subprocess.run(
            [sys.executable, "-m", "scanner", "serve", "--port", str(first.port)],
            capture_output=True, text=True, timeout=60, cwd=str(tmp_path),
            env={**os.environ, "PYTHONPATH": str(ROOT), "EOBSCAN_PLUGINS": ""},
        )  # fmt: skip
        assert second.returncode != 0
        assert httpx.get(f"{first.base}/healthz").status_code == 200


def _cycle(tmp_path: Path, port: int) -> list[int]:
    with running_service(tmp_path, port=port) as service:
        files = {"file": ("eob.pdf", bad_pdfs.many_pages(3))}
        httpx.post(f"{service.base}/v1/scan/document", files=files, headers=service.auth, timeout=60)
        started = [service.process.pid, *service.descendants()]
    return started


def test_svc14_stop_and_start_on_one_port_three_times_leaves_no_process_and_frees_the_port(
    tmp_path: Path,
) -> None:
    port = free_port()
    for _ in range(3):
        started = _cycle(tmp_path, port)
        assert len(started) >= 1
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in started if alive(pid)]
        assert port_is_free(port)


@pytest.mark.slow
def test_svc14_sigterm_during_a_pdf_parse_stops_the_parse_and_the_service(tmp_path: Path) -> None:
    with running_service(tmp_path, env={"EOBSCAN_PDF_TIMEOUT_S": "30"}) as service:
        outcome: dict[str, object] = {}

        def upload(target: Service = service) -> None:
            files = {"file": ("eob.pdf", bad_pdfs.scattered_words())}
            try:
                response = httpx.post(
                    f"{target.base}/v1/scan/document", files=files, headers=target.auth, timeout=60
                )
                outcome["status"] = response.status_code
            except httpx.HTTPError as exc:
                outcome["error"] = type(exc).__name__

        thread = threading.Thread(target=upload)
        thread.start()
        deadline = time.monotonic() + 10
        while len(service.descendants()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        working = [service.process.pid, *service.descendants()]
        start = time.monotonic()
        stop(service.process)
        stopped_in = time.monotonic() - start
        thread.join(timeout=30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in working) and time.monotonic() < deadline:
        time.sleep(0.1)
    print(
        f"\nSIGTERM mid-parse: {len(working)} processes stopped in {stopped_in:.1f} s; client saw {outcome}"
    )
    assert not [pid for pid in working if alive(pid)]
    assert stopped_in < 15
    assert outcome.get("status", 503) != 200
