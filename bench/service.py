"""Start the real service the way ``eobscan serve`` does, on a free loopback port, and stop it.

Shared by the benchmarks and the hardening tests: the process is ours (started here, stopped
here by its pid), its standard error (the JSON log) goes to a file the caller can read, and its
resident memory can be read from ``/proc``.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A loopback port that is free now, chosen below the kernel's range of ephemeral ports.

    A port the kernel hands out for ``bind(0)`` comes from the range it also uses for the source
    ports of outgoing connections; by the time a server is started there, a client connection of
    the same test run may hold it, and the server cannot listen. Below that range only servers
    bind, so a port found free stays free.
    """
    first_ephemeral = _first_ephemeral_port()
    candidates = range(max(1024, first_ephemeral - 12_000), first_ephemeral)
    for port in random.sample(candidates, min(200, len(candidates))):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:  # every candidate taken: let the kernel choose
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _first_ephemeral_port() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


@dataclass
class Service:
    base: str
    token: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def rss_kib(self) -> int:
        """Resident memory of the server process and its children (granian runs workers)."""
        return sum(_rss_kib(pid) for pid in [self.process.pid, *self.descendants()])

    def descendants(self) -> list[int]:
        """The processes the server started (the PDF reader's workers), still running."""
        return _children(self.process.pid)

    def log_records(self) -> list[dict[str, Any]]:
        records = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                records.append(json.loads(line))
        return records

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *_children(child)]
    return found


def wait_healthy(base: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the service at {base} did not become healthy within {timeout} s")


@contextmanager
def running_service(
    log_dir: Path,
    *,
    server: str = "uvicorn",
    env: Mapping[str, str] | None = None,
    python_path: Sequence[Path] = (),
    args: Sequence[str] = (),
    port: int | None = None,
) -> Iterator[Service]:
    """The service in a subprocess; ``env`` adds variables (``EOBSCAN_PLUGINS`` defaults to none)."""
    port = port or free_port()
    token = secrets.token_urlsafe(24)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EOBSCAN_")}
    environment.update({"EOBSCAN_PLUGINS": "", "EOBSCAN_TOKEN": token, "PYTHONDONTWRITEBYTECODE": "1"})
    environment.update(env or {})
    paths = [str(p) for p in python_path] + [str(ROOT)]
    environment["PYTHONPATH"] = os.pathsep.join([*paths, environment.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    log_path = log_dir / f"service-{port}-{secrets.token_hex(3)}.log"
    command = [sys.executable, "-m", "scanner", "serve", "--port", str(port), "--server", server, *args]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=log, env=environment, cwd=str(log_dir)
        )
    service = Service(base=f"http://127.0.0.1:{port}", token=token, process=process, log_path=log_path)
    try:
        wait_healthy(service.base)
        yield service
    finally:
        stop(process)


class ServiceDidNotStart(RuntimeError):
    """``eobscan serve`` exited or did not answer in time; the message is the last line it said."""


def start_serve(port: int, token: str, timeout: float = 30.0) -> subprocess.Popen[bytes]:
    """``eobscan serve`` on 127.0.0.1:``port`` with ``token``, answering ``/healthz``.

    If it stops at start (the port was taken meanwhile, a setting it cannot use), the reason it
    printed is the error's message, so a failed test or benchmark says why."""
    command = [sys.executable, "-m", "scanner", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command.append(f"--token={token}")  # a generated token may start with "-": not an option
    with tempfile.TemporaryFile() as errors:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        return process
            except OSError:
                time.sleep(0.1)
        stop(process)
        errors.seek(0)
        said = errors.read().decode(errors="replace").strip().splitlines()
    raise ServiceDidNotStart(f"the service did not start: {said[-1] if said else 'no message'}")


def stop(process: subprocess.Popen[bytes], timeout: float = 15.0) -> int:
    """Stop our own server: SIGTERM, then SIGKILL if it does not exit in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
    return int(process.returncode)
