"""PLG-03 and the plugin process: third-party checks that hog or leak memory cost the service nothing.

With ``EOBSCAN_PLUGIN_PROCESS=1`` the service imports only the built-ins; third-party plugins are
installed here as real distributions (entry points on ``sys.path``) and run in
``python -m scanner.plugin_worker`` processes, each under a memory cap. A check that asks for
4 GB fails alone, a check that leaks on every call gets a fresh process now and then while the
service's memory stays flat, a hung check's process is killed, a crash is a reported error, and
the findings are those of the in-process mode.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.payloads import request_json
from bench.service import _rss_kib, running_service
from scanner.checks import CheckContext
from scanner.engine import scan
from scanner.ingest import DocumentError, DocumentLimits, read_document, registered_layouts
from scanner.isolation import Breaker
from scanner.model import ScanRequest, ScanResult, decode_request, encode
from scanner.plugin_host import PluginProcesses, RemoteCheck, RemoteParser
from scanner.plugins import Registry, load_registry
from scanner.reference import load_reference
from tests.hardening import canaries
from tests.hardening.test_plugin_faults import distribution
from tests.hardening.test_plugin_tripwire import Listener
from tests.ingest import documents as docs
from tests.ingest.test_csv import CASE
from tests.test_isolation import wait_until

RULES = """
from scanner.model import Rule, RuleDocs

def rule(code, check):
    return Rule(
        code=code, name="a-process-test-rule", check=check, error_class="pricing", severity="info",
        summary="A rule of a plugin-process test.",
        docs=RuleDocs(what_it_checks="x", why_it_matters="x", example="x", what_to_do="x"),
    )

def probe(rule, claims):
    return [rule.finding(claim_id=claims[0].id, title="Probe", message="Probe finding.", amount_at_stake=0)]
"""

PLUGINS = {
    # name: body of check(self, claims, context); each also prints, which must change nothing
    "steady": "return probe(R, claims)",
    "hog": "if claims[0].lines[0].code == 'HOG': HOARD.append(bytearray(4 * 1024 ** 3))\n        return probe(R, claims)",
    "leaky": "HOARD.append(bytearray(LEAK_BYTES))\n        return probe(R, claims)",
    "raising": "return 1 // 0",
    "crashing": "if claims[0].lines[0].code == 'CRASH': os._exit(3)\n        return probe(R, claims)",
    "sleepy": "if claims[0].lines[0].code == 'HANG': time.sleep(30)\n        return probe(R, claims)",
    "calling": "socket.create_connection(('127.0.0.1', int(os.environ['LISTENER_PORT'])), timeout=1)\n        return probe(R, claims)",
    "parsing": "return probe(R, claims)",
    "slowstart": "return probe(R, claims)",  # its module takes EOBSCAN_TEST_START_S to import
}

TEMPLATE = """
import os, socket, sys, time
from scanner import hookimpl
from scanner.ingest import DocumentError, ParsedDocument, Parser
from scanner.ingest.pdf_layouts import PdfLayout
from scanner.testing import make_claim, make_line
from eobscan_process_rules import rule, probe

if "{name}" == "slowstart":
    time.sleep(float(os.environ.get("EOBSCAN_TEST_START_S", "0")))

R = rule("{code}", "{name}_check")
HOARD = []
LEAK_BYTES = 100 * 1024

class Check:
    name, version, rules = "{name}_check", "1.0", (R,)
    def check(self, claims, context):
        print("stdout noise", claims[0].id)
        print("stderr noise", file=sys.stderr)
        {body}

class Reader(Parser):
    # Reads documents that start with PROCESS-EOB: one claim, or the failure the text asks for.
    name = "{name}_reader"
    kind = "csv"
    def sniff(self, data, filename):
        return 1.0 if data.startswith(b"PROCESS-EOB") else 0.0
    def parse(self, data, context):
        if b"BROKEN" in data:
            raise DocumentError(422, "bad_row", "Row 2 has no amount.")
        if b"RAISE" in data:
            raise ValueError(data.decode())
        if b"HANG" in data:
            time.sleep(30)
        return ParsedDocument(claims=[make_claim(lines=[make_line()])], notes=["Read by a plugin."], kind="csv")

class Layout(PdfLayout):
    # Reads PDFs whose first page says PROCESS-LAYOUT, and says which process read them.
    name = "{name}_layout"
    def match(self, text):
        return 0.99 if "PROCESS-LAYOUT" in text.first_text() else 0.0
    def read(self, text):
        if "LAYOUT-BROKEN" in text.first_text():
            raise DocumentError(422, "layout_row", "Row 3 of this statement has no date.")
        return ParsedDocument(
            claims=[make_claim(lines=[make_line()])],
            notes=[f"Read by a plugin layout in process {{os.getpid()}}."],
            kind="pdf",
        )

@hookimpl
def eobscan_register_checks(register):
    register(Check())

@hookimpl
def eobscan_register_parsers(register):
    if "{name}" == "parsing":
        register(Reader())
        register(Layout())
"""

BUDGET_MS = 50.0
DEADLINE_MS = 10 * BUDGET_MS


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("process-plugins")
    (folder / "eobscan_process_rules.py").write_text(RULES)
    for index, (name, body) in enumerate(PLUGINS.items()):
        source = TEMPLATE.format(code=f"PRC9{index:02d}", name=name, body=body)
        distribution(folder, f"eobscan-process-{name}", f"process_{name}", f"eobscan_process_{name}", source)
    mp = pytest.MonkeyPatch()
    mp.syspath_prepend(str(folder))
    yield folder
    mp.undo()


def load(names: str, **env: str) -> Registry:
    plugins = ",".join(f"process_{name}" for name in names.split(","))
    return load_registry(
        {
            "EOBSCAN_PLUGINS": plugins,
            "EOBSCAN_CHECK_BUDGET_MS": str(BUDGET_MS),
            **env,
            "EOBSCAN_PLUGIN_PROCESS": "1",
        }
    )


@pytest.fixture
def registries() -> Iterator[list[Registry]]:
    """Registries a test loads; their plugin processes are stopped after it."""
    made: list[Registry] = []
    yield made
    for registry in made:
        if registry.processes is not None:
            registry.processes.close()


def request(code: str = "99213") -> ScanRequest:
    scan_request: ScanRequest = decode_request(canaries.scan_body())
    scan_request.claims[0].lines[0].code = code
    return scan_request


def run(registry: Registry, code: str = "99213") -> ScanResult:
    return scan(request(code), registry, budget_ms=BUDGET_MS, breaker=Breaker())


def status(result: ScanResult, check: str) -> tuple[str, str | None]:
    found = next(c for c in result.checks if c.name == check)
    return found.status, found.error


def builtin_findings(result: ScanResult) -> list[tuple[str, str, int]]:
    return [
        (f.rule, f.claim_id, int(f.amount_at_stake)) for f in result.findings if not f.rule.startswith("PRC9")
    ]


def test_clean_twin_the_findings_are_those_of_the_in_process_mode(
    installed: Path, registries: list[Registry]
) -> None:
    env = {"EOBSCAN_PLUGINS": "process_steady,process_raising", "EOBSCAN_CHECK_BUDGET_MS": str(BUDGET_MS)}
    in_process = scan(request(), load_registry(env), budget_ms=BUDGET_MS, breaker=Breaker())
    registries.append(separate := load("steady,raising"))
    assert isinstance(separate.checks[-1], RemoteCheck)
    in_a_process = run(separate)
    assert in_a_process.findings == in_process.findings
    assert [(c.name, c.status, c.error) for c in in_a_process.checks] == [
        (c.name, c.status, c.error) for c in in_process.checks
    ]
    assert status(in_a_process, "raising_check") == (
        "error",
        "ZeroDivisionError raised by check raising_check",
    )
    assert {p.name for p in separate.plugins} >= {"process_steady", "process_raising", "insurer_processing"}


def test_plg03_a_check_asking_for_4_gb_fails_alone_and_the_next_scan_is_served(
    installed: Path, registries: list[Registry]
) -> None:
    registries.append(registry := load("hog,steady"))
    clean = run(registry)
    before = _rss_kib(os.getpid())
    hogged = run(registry, code="HOG")
    assert status(hogged, "hog_check") == ("error", "MemoryError raised by check hog_check")
    assert status(hogged, "steady_check") == ("ok", None)
    assert builtin_findings(hogged) == builtin_findings(
        run(load_registry({"EOBSCAN_PLUGINS": ""}), code="HOG")
    )
    assert _rss_kib(os.getpid()) - before < 50 * 1024, "the 4 GB never touched the service"
    again = run(registry)
    assert status(again, "hog_check") == ("ok", None)
    assert again.findings == clean.findings


def test_a_check_after_a_replaced_process_is_not_charged_for_the_new_ones_start(
    installed: Path, registries: list[Registry]
) -> None:
    """After the hog's process is replaced, the next check waits for a new process that takes
    three deadlines to start: that start is the host's work, so the check is served, not timed
    out and skipped for good."""
    start_s = 3 * DEADLINE_MS / 1000
    registries.append(registry := load("hog,slowstart", EOBSCAN_TEST_START_S=str(start_s)))
    began = time.perf_counter()
    hogged = run(registry, code="HOG")
    assert status(hogged, "hog_check") == ("error", "MemoryError raised by check hog_check")
    assert status(hogged, "slowstart_check") == ("ok", None)
    assert time.perf_counter() - began >= start_s, "a new process was started within the scan"
    assert [c.duration_ms < start_s * 1000 for c in hogged.checks if c.name == "slowstart_check"] == [True]
    assert status(run(registry), "slowstart_check") == ("ok", None), "and it is not skipped later"


def test_plg03_ten_thousand_leaky_calls_recycle_the_process_and_leave_the_service_flat(
    installed: Path, registries: list[Registry]
) -> None:
    registries.append(registry := load("leaky", EOBSCAN_PLUGIN_MEMORY_MB="256"))
    leaky = next(c for c in registry.checks if c.name == "leaky_check")
    claims, context = _claims_and_context()
    for _ in range(200):  # warm up: the service's own allocations settle
        leaky.check(claims, context)
    before, pids = _rss_kib(os.getpid()), set()
    for _ in range(10_000):
        assert len(list(leaky.check(claims, context))) == 1
        pids.update(registry.processes.pids())
    growth = (_rss_kib(os.getpid()) - before) / before
    assert growth < 0.10, f"service RSS grew {growth:.1%}"
    assert len(pids) >= 4, "1 GB leaked in 100 KB steps: the process was replaced several times"
    assert len(registry.processes.pids()) == 1


def _claims_and_context() -> tuple[list[object], object]:
    scan_request = request()
    context = CheckContext(as_of=dt.date(2026, 11, 26), reference=load_reference(), plan=scan_request.plan)
    return list(scan_request.claims), context


def test_a_hung_check_is_timed_out_and_its_process_killed(
    installed: Path, registries: list[Registry]
) -> None:
    registries.append(registry := load("sleepy,steady"))
    processes: PluginProcesses = registry.processes
    start = time.perf_counter()
    hung = run(registry, code="HANG")
    assert time.perf_counter() - start < DEADLINE_MS / 1000 + 2
    assert status(hung, "sleepy_check") == (
        "error",
        f"check sleepy_check timed out after {DEADLINE_MS:.0f} ms and was abandoned",
    )
    assert status(hung, "steady_check") == ("ok", None)
    wait_until(lambda: len(processes.pids()) <= 1)  # the hung one is killed, not left to run 30 s
    assert status(run(registry), "steady_check") == ("ok", None)


def test_a_crash_is_a_reported_error_and_the_next_scan_gets_a_new_process(
    installed: Path, registries: list[Registry]
) -> None:
    registries.append(registry := load("crashing,steady"))
    crashed = run(registry, code="CRASH")
    assert status(crashed, "crashing_check") == ("error", "PluginProcessEnded raised by check crashing_check")
    assert status(crashed, "steady_check") == ("ok", None)
    assert status(run(registry), "crashing_check") == ("ok", None)


def test_the_tripwire_holds_in_the_plugin_process_too(installed: Path, registries: list[Registry]) -> None:
    listener = Listener()
    try:
        registries.append(registry := load("calling", LISTENER_PORT=str(listener.port)))
        result = run(registry)
    finally:
        listener.close()
    assert status(result, "calling_check") == (
        "error",
        "check calling_check tried to open a network connection, which checks may not do; it was stopped",
    )
    assert listener.accepted == 0


def test_a_plugins_parser_reads_documents_from_the_plugin_process(
    installed: Path, registries: list[Registry]
) -> None:
    registries.append(registry := load("parsing"))
    assert isinstance(next(p for p in registry.parsers if p.name == "parsing_reader"), RemoteParser)
    document = read_document(b"PROCESS-EOB\nline 1", "export.csv", registry=registry)
    assert (document.parser, document.kind, document.notes) == (
        "parsing_reader",
        "csv",
        ["Read by a plugin."],
    )
    assert [(c.id, [line.id for line in c.lines]) for c in document.claims] == [("claim-1", ["1"])]
    built_in = read_document(docs.csv_export(CASE).encode(), "export.csv", registry=registry)
    assert built_in.parser != "parsing_reader", "a document the plugin does not claim goes to the built-ins"


def test_what_a_plugins_parser_raises_reaches_the_service_as_in_process(
    installed: Path, registries: list[Registry]
) -> None:
    registries.append(registry := load("parsing"))
    with pytest.raises(DocumentError) as unreadable:
        read_document(b"PROCESS-EOB BROKEN", "export.csv", registry=registry)
    assert (unreadable.value.status, unreadable.value.code, unreadable.value.message) == (
        422,
        "bad_row",
        "Row 2 has no amount.",
    )
    with pytest.raises(Exception, match=r"^$") as raised:  # the type is made on the fly; no text
        read_document(b"PROCESS-EOB RAISE " + canaries.MEMBER_ID.encode(), "export.csv", registry=registry)
    assert type(raised.value).__name__ == "ValueError"
    assert canaries.MEMBER_ID not in str(raised.value), "only the type crosses over, never the text"


def test_a_parser_past_the_time_limit_is_stopped(installed: Path, registries: list[Registry]) -> None:
    registries.append(registry := load("parsing"))
    processes: PluginProcesses = registry.processes
    start = time.perf_counter()
    with pytest.raises(DocumentError) as stopped:
        read_document(
            b"PROCESS-EOB HANG", "export.csv", registry=registry, limits=DocumentLimits(timeout_s=0.5)
        )
    assert stopped.value.code == "parser_timeout"
    assert time.perf_counter() - start < 5
    wait_until(lambda: len(processes.pids()) <= 1)
    assert read_document(b"PROCESS-EOB", "export.csv", registry=registry).claims


def _pdf(*lines: str) -> bytes:
    sheet = docs.Sheet(docs.letter, lambda sheet: None)
    for line in lines:
        sheet.text(40, line, size=11)
        sheet.down(16)
    return sheet.finish()


def test_pdf_layouts_of_plugins_read_the_words_in_the_plugin_process(
    installed: Path, registries: list[Registry]
) -> None:
    """The service's sandboxed reader extracts the words; the plugin's layout reads them over
    there, so its code never runs in the service."""
    registries.append(registry := load("parsing"))
    assert registry.failures == []
    assert next(p for p in registry.plugins if p.name == "process_parsing").parsers == [
        "parsing_reader",
        "parsing_layout",
    ]
    document = read_document(_pdf("PROCESS-LAYOUT STATEMENT", "Claim 1 of 1"), "eob.pdf", registry=registry)
    assert len(document.claims) == 1
    [note] = document.notes
    reader = int(note.removeprefix("Read by a plugin layout in process ").removesuffix("."))
    assert reader in registry.processes.pids()
    assert reader != os.getpid()
    assert document.pages == 1


def test_a_plugin_layouts_document_error_reaches_the_user_as_raised(
    installed: Path, registries: list[Registry]
) -> None:
    registries.append(registry := load("parsing"))
    with pytest.raises(DocumentError) as unreadable:
        read_document(_pdf("PROCESS-LAYOUT LAYOUT-BROKEN"), "eob.pdf", registry=registry)
    assert (unreadable.value.status, unreadable.value.code, unreadable.value.message) == (
        422,
        "layout_row",
        "Row 3 of this statement has no date.",
    )


def test_a_pdf_no_plugin_layout_claims_is_read_by_the_built_in_layouts(
    installed: Path, registries: list[Registry]
) -> None:
    registries.append(registry := load("parsing"))
    assert [layout.name for layout in registered_layouts(registry)][-1] == "parsing_layout"
    case = docs.Case(
        "process", "Example Mutual Health", [docs.make_claim(random.Random(4), "EOB-1", "Clinic", 3)]
    )
    document = read_document(docs.member_statement(case), "eob.pdf", registry=registry)
    assert len(document.claims) == 1
    assert not any("plugin layout" in note for note in document.notes)


def test_closing_leaves_no_plugin_process(installed: Path) -> None:
    registry = load("steady")
    run(registry)
    pids = registry.processes.pids()
    assert pids
    registry.processes.close()
    assert all(
        not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        for pid in pids
    )


def test_in_the_real_service_a_hog_and_a_leak_leave_its_memory_flat(installed: Path, tmp_path: Path) -> None:
    env = {
        "EOBSCAN_PLUGINS": "process_hog,process_leaky,process_steady",
        "EOBSCAN_PLUGIN_PROCESS": "1",
        "EOBSCAN_PLUGIN_MEMORY_MB": "256",
    }
    plain, hogging = encode(request()), encode(request(code="HOG"))
    with running_service(tmp_path, env=env, python_path=[installed]) as service:
        headers = {**service.auth, "Content-Type": "application/json"}
        with httpx.Client(base_url=service.base, headers=headers) as client:
            for _ in range(100):
                assert client.post("/v1/scan", content=plain).status_code == 200
            before = _rss_kib(service.process.pid)
            hogged = client.post("/v1/scan", content=hogging)
            for _ in range(1_500):  # 150 MB leaked in the plugin processes
                answer = client.post("/v1/scan", content=plain)
                assert answer.status_code == 200
            after = _rss_kib(service.process.pid)
    assert hogged.status_code == 200
    assert {c["name"]: c["error"] for c in hogged.json()["checks"]}["hog_check"] == (
        "MemoryError raised by check hog_check"
    )
    assert all(c["status"] == "ok" for c in answer.json()["checks"])
    assert (after - before) / before < 0.10


def test_a_scan_far_larger_than_a_pipe_buffer_goes_through(
    installed: Path, registries: list[Registry]
) -> None:
    big = decode_request(request_json(claims=200, lines_per_claim=10))  # about 1 MB each way
    registries.append(registry := load("steady"))
    result = scan(big, registry, budget_ms=BUDGET_MS * 20, breaker=Breaker())
    assert status(result, "steady_check") == ("ok", None)
    assert [f for f in result.findings if f.rule.startswith("PRC9")]
