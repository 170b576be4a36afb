"""PLG-07: a check that opens a socket, starts a program or a thread, or writes a file is stopped.

Each hostile check below tries one thing and, where it can be seen from outside, the test looks
for its effect: a listener that counts connections, a marker file a command would create, a
file that should still be there. None may happen. The check is reported as failed in our own
words, its findings are dropped even when it caught the error, and the other checks' findings
are the same as without it. Outside checks the same operations still work.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import socket
import subprocess
import threading
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from bench.service import running_service
from scanner.engine import scan
from scanner.isolation import Breaker
from scanner.model import Claim, Finding, ScanResult
from scanner.tripwire import SandboxViolation, forbidden
from tests.hardening import canaries
from tests.hardening.conftest import builtin_registry
from tests.hardening.flaky_plugin import RULE
from tests.hardening.test_plugin_faults import Plugin, distribution, request, rules_of, with_check


class Listener:
    """A loopback TCP listener that counts the connections it accepted."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = int(self.sock.getsockname()[1])
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def probe(claims: Sequence[Claim]) -> list[Finding]:
    return [RULE.finding(claim_id=claims[0].id, title="Probe", message="Probe finding.", amount_at_stake=0)]


def status_of(result: ScanResult) -> tuple[str, str | None]:
    flaky = next(c for c in result.checks if c.name == "flaky")
    return flaky.status, flaky.error


def run(attempt: Callable[[], object]) -> ScanResult:
    """Scan with the built-ins and a check that makes ``attempt``, swallows any error, then
    returns a finding as if nothing had happened."""

    def sneaky(claims: Sequence[Claim]) -> list[Finding]:
        with contextlib.suppress(Exception):  # the point: a check that hides the refusal
            attempt()
        return probe(claims)

    return scan(request(), with_check(Plugin(sneaky)), breaker=Breaker())


def assert_stopped(result: ScanResult, what: str) -> None:
    assert status_of(result) == (
        "error",
        f"check flaky tried to {what}, which checks may not do; it was stopped",
    )
    assert RULE.code not in {f.rule for f in result.findings}
    assert rules_of(result.findings) == rules_of(
        scan(request(), builtin_registry(), breaker=Breaker()).findings
    )


def test_a_connection_to_a_listening_port_never_arrives(listener: Listener) -> None:
    result = run(lambda: socket.create_connection(("127.0.0.1", listener.port), timeout=1))
    assert_stopped(result, "open a network connection")
    assert listener.accepted == 0
    socket.create_connection(("127.0.0.1", listener.port), timeout=1).close()  # outside a check it works
    threading.Event().wait(0.2)
    assert listener.accepted == 1


def test_an_http_request_never_arrives(listener: Listener) -> None:
    result = run(lambda: urllib.request.urlopen(f"http://127.0.0.1:{listener.port}/collect", timeout=1))
    assert_stopped(result, "open a network connection")
    assert listener.accepted == 0


def test_a_host_name_is_never_looked_up() -> None:
    assert_stopped(
        run(lambda: socket.getaddrinfo("telemetry.example.invalid", 443)), "open a network connection"
    )


def test_a_command_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    assert_stopped(run(lambda: subprocess.run(["touch", str(marker)], check=False)), "start another program")
    assert_stopped(run(lambda: os.system(f"touch {marker}")), "start another program")  # noqa: S605
    assert not marker.exists()


def test_a_file_is_never_written_nor_removed(tmp_path: Path) -> None:
    leak, kept = tmp_path / "claims.txt", tmp_path / "keep.txt"
    kept.write_text("still here")
    assert_stopped(run(lambda: leak.write_text("claims")), "write or change a file")
    assert_stopped(run(lambda: kept.unlink()), "write or change a file")
    assert_stopped(run(lambda: os.open(leak, os.O_WRONLY | os.O_CREAT)), "write or change a file")
    assert not leak.exists()
    assert kept.read_text() == "still here"


def test_a_thread_never_starts() -> None:
    started = threading.Event()
    assert_stopped(run(lambda: threading.Thread(target=started.set).start()), "start a thread")
    assert not started.wait(0.2)


def test_native_calls_through_ctypes_are_refused() -> None:
    assert_stopped(run(lambda: ctypes.CDLL(None).getpid()), "call native code through ctypes")


def test_the_check_that_does_not_catch_the_refusal_is_reported_the_same_way(listener: Listener) -> None:
    def blunt(claims: Sequence[Claim]) -> list[Finding]:
        socket.create_connection(("127.0.0.1", listener.port), timeout=1)
        return probe(claims)

    result = scan(request(), with_check(Plugin(blunt)), breaker=Breaker())
    assert (
        status_of(result)[1]
        == "check flaky tried to open a network connection, which checks may not do; it was stopped"
    )
    assert listener.accepted == 0


def test_clean_twin_reading_files_and_importing_late_is_allowed(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text("99213,75.00\n")

    def reader(claims: Sequence[Claim]) -> list[Finding]:
        import colorsys  # noqa: F401 - a late import may write Python's bytecode cache

        assert table.read_text().startswith("99213")
        return probe(claims)

    result = scan(request(), with_check(Plugin(reader)), breaker=Breaker())
    assert status_of(result) == ("ok", None)
    assert RULE.code in {f.rule for f in result.findings}


@pytest.mark.parametrize(
    ("event", "args", "refused"),
    [
        ("open", ("/tmp/x", "r", os.O_RDONLY), False),
        ("open", ("/tmp/x", "rb", os.O_RDONLY), False),
        ("open", ("/tmp/x", "a", os.O_WRONLY), True),
        ("open", ("/tmp/x", "r+", os.O_RDWR), True),
        ("open", ("/tmp/x", None, os.O_WRONLY | os.O_CREAT), True),
        ("open", (3, "w", 0), True),
        ("open", ("/lib/pkg/__pycache__/mod.cpython-311.pyc.1405", None, os.O_WRONLY | os.O_CREAT), False),
        (
            "os.rename",
            ("/lib/pkg/__pycache__/mod.cpython-311.pyc.1405", "/lib/pkg/__pycache__/m.pyc", -1, -1),
            False,
        ),
        ("os.mkdir", ("/lib/pkg/__pycache__", 0o777, -1), False),
        ("os.mkdir", ("/tmp/exfil", 0o777, -1), True),
        ("sqlite3.connect", (":memory:",), False),
        ("sqlite3.connect", ("/tmp/claims.db",), True),
        ("import", ("json", None, None, None, None), False),
        ("socket.__new__", (None, 2, 1, 0), True),
    ],
)
def test_what_counts_as_forbidden(event: str, args: tuple[object, ...], refused: bool) -> None:
    assert (forbidden(event, args) is not None) is refused


def test_the_refusal_is_a_permission_error_so_careful_code_gives_up_gracefully() -> None:
    assert issubclass(SandboxViolation, PermissionError)


PHONING_HOME = """
    import socket
    from scanner import hookimpl

    class PhoningHome:
        name = "phoning_home"
        version = "1.0"
        rules = ()

        def check(self, claims, context):
            try:
                with socket.create_connection(("127.0.0.1", {port}), timeout=1) as sock:
                    sock.sendall(claims[0].claim_number.encode())
            except OSError:
                pass
            return []

    @hookimpl
    def eobscan_register_checks(register):
        register(PhoningHome())
"""


def test_in_the_real_service_nothing_reaches_the_listener(tmp_path: Path, listener: Listener) -> None:
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    source = PHONING_HOME.format(port=listener.port)
    distribution(plugin, "eobscan-phoning-home", "phoning_home", "eobscan_phoning_home", source)
    with running_service(tmp_path, env={"EOBSCAN_PLUGINS": "phoning_home"}, python_path=[plugin]) as service:
        response = httpx.post(
            f"{service.base}/v1/scan",
            content=canaries.scan_body(),
            headers={**service.auth, "Content-Type": "application/json"},
        )
    assert response.status_code == 200
    checks = {c["name"]: c for c in response.json()["checks"]}
    assert checks["phoning_home"]["status"] == "error"
    assert "open a network connection" in checks["phoning_home"]["error"]
    assert response.json()["findings"], "the built-in checks' findings are still there"
    assert listener.accepted == 0
