"""Third-party checks in a process of their own (``EOBSCAN_PLUGIN_PROCESS=1``).

In the service's own process a plugin shares its memory: a check that allocates gigabytes or
leaks on every call takes the service down with it, and a thread that hangs can only be
abandoned. In plugin-process mode the service imports only the built-ins. The third-party
plugins are loaded by :mod:`scanner.plugin_worker`, and each of their checks is represented
here by a :class:`RemoteCheck` that sends the claims over a pipe and reads the findings back.
The engine treats it like any check (deadline, output guard, input snapshot).

Processes are pooled: one per scan running at once, started on demand, and replaced when one
leaves (out of memory, grown past its limit), ends, or overruns its deadline (it is killed: a
process, unlike a thread, can be stopped). The cost is a round trip per third-party check per
scan, a fraction of a millisecond for a small claim. Third-party document parsers run there too
(:class:`RemoteParser`): a sniff sends the document's first 64 KiB, a parse the whole document.
PDF layouts registered by plugins are used only in the service's own PDF reader, so in this mode
they are not loaded.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from scanner import tripwire
from scanner.checks import CheckContext
from scanner.ingest import DocumentError, DocumentLimits, ParseContext, ParsedDocument, Parser
from scanner.ingest.pdf_layouts import PdfLayout
from scanner.ingest.pdf_text import PdfText
from scanner.isolation import DEADLINE_FACTOR, host_work
from scanner.model import Claim, PluginInfo, Rule
from scanner.plugin_wire import (
    CheckSpec,
    Hello,
    LayoutSpec,
    Limits,
    Match,
    Message,
    Parse,
    Parsed,
    ParserSpec,
    Ran,
    ReadWords,
    Run,
    Sniff,
    Sniffed,
    WireError,
    receive,
    send,
)
from scanner.plugin_worker import memory_cap_bytes
from scanner.plugins import PluginFailure, Registry, add_rules, load_builtins
from scanner.settings import positive_number

DEFAULT_BUDGET_MS = 200.0
#: How long the service waits for a frame beyond the engine's own deadline before it kills the
#: process: the engine gives up first (and reports the check as timed out), then the process goes.
GRACE = 1.2
START_TIMEOUT_S = 60.0


_Answer = TypeVar("_Answer", Ran, Sniffed, Parsed)


class PluginProcessEnded(Exception):
    """The plugin process ended while running a check (it crashed, or was killed)."""


class PluginProcessFailed(Exception):
    """The plugin process could not be started, or did not say hello."""


class _Process:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "scanner.plugin_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
            env=dict(env),
        )
        assert self.popen.stdin is not None and self.popen.stdout is not None
        self.stdin, self.stdout = self.popen.stdin, self.popen.stdout
        try:
            message = receive(self.stdout, START_TIMEOUT_S)
        except (TimeoutError, WireError) as exc:
            self.kill()
            raise PluginProcessFailed(type(exc).__name__) from None
        if not isinstance(message, Hello):
            self.kill()
            raise PluginProcessFailed("no hello")
        self.hello = message

    def call(self, request: Message, timeout_s: float) -> Message:
        send(self.stdin, request)
        return receive(self.stdout, timeout_s)

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait()
        for stream in (self.stdin, self.stdout):
            stream.close()


class PluginProcesses:
    """The pool of plugin processes: one per concurrent call, started on demand, replaced."""

    def __init__(self, env: Mapping[str, str], timeout_s: float) -> None:
        self._env = _child_environment(env)
        self.timeout_s = timeout_s
        self._idle: list[_Process] = []
        self._lock = threading.Lock()
        self._live: set[_Process] = set()
        atexit.register(self.close)

    def start(self) -> Hello:
        """Start the first process; what it loaded is what every later one loads."""
        process = self._spawn()
        with self._lock:
            self._idle.append(process)
        return process.hello

    def call(self, request: Message, answer: type[_Answer], timeout_s: float | None = None) -> _Answer:
        """Send ``request`` to an idle process and wait for its ``answer``; :class:`TimeoutError`
        (the process is killed) or :class:`PluginProcessEnded` if none comes."""
        with tripwire.disarmed():  # the pipes and processes here are ours, not the check's
            process = self._take()
            try:
                reply = process.call(request, self.timeout_s if timeout_s is None else timeout_s)
            except TimeoutError:
                self._discard(process)
                raise
            except (WireError, OSError, ValueError):
                self._discard(process)
                raise PluginProcessEnded from None
            if not isinstance(reply, answer):
                self._discard(process)
                raise PluginProcessEnded
            if reply.recycle:
                self._discard(process)
            else:
                self._give_back(process)
            return reply

    def pids(self) -> list[int]:
        """The processes running now (for tests and the soak benchmark)."""
        with self._lock:
            return sorted(p.popen.pid for p in self._live if p.popen.poll() is None)

    def close(self) -> None:
        with self._lock:
            live, self._live, self._idle = list(self._live), set(), []
        for process in live:
            process.kill()

    def _spawn(self) -> _Process:
        process = _Process(self._env)
        with self._lock:
            self._live.add(process)
        return process

    def _take(self) -> _Process:
        """An idle process, or a new one, started off the check's clock (its start is ours)."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        with host_work():
            return self._spawn()

    def _give_back(self, process: _Process) -> None:
        with self._lock:
            self._idle.append(process)

    def _discard(self, process: _Process) -> None:
        with self._lock:
            self._live.discard(process)
        process.kill()


def _child_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The service's environment, with its import path: the child finds the same plugins."""
    child = {k: v for k, v in env.items() if k != "EOBSCAN_PLUGIN_PROCESS"}
    paths = [p for p in sys.path if p]
    child["PYTHONPATH"] = os.pathsep.join(paths)
    child["PYTHONDONTWRITEBYTECODE"] = "1"
    return child


_NOT_A_FINDING = object()
_REMOTE_ERRORS: dict[str, type[Exception]] = {}


def _remote_error(name: str) -> type[Exception]:
    """An exception type named like the one the check raised over there, so the status reads
    the same in both modes (``ZeroDivisionError raised by check acme``)."""
    if not name.isidentifier():
        name = "PluginError"
    if name not in _REMOTE_ERRORS:
        _REMOTE_ERRORS[name] = type(name, (Exception,), {"__module__": "plugin_process"})
    return _REMOTE_ERRORS[name]


class RemoteCheck:
    """A third-party check that runs in the plugin process."""

    def __init__(self, spec: CheckSpec, processes: PluginProcesses) -> None:
        self.name = spec.name
        self.version = spec.version
        self.rules: tuple[Rule, ...] = tuple(spec.rules)
        self._processes = processes

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Any]:
        run = Run(
            check=self.name,
            claims=list(claims),
            plan=context.plan,
            bills=list(context.bills),
            as_of=context.as_of,
        )
        ran = self._processes.call(run, Ran)
        if ran.violation is not None:
            tripwire.note(ran.violation)
        if ran.error is not None:
            raise _remote_error(ran.error)
        return [*ran.findings, *([_NOT_A_FINDING] * ran.not_findings)]


#: A parser sniffs the first bytes of a document; this many go to the plugin process.
SNIFF_BYTES = 64 * 1024
SNIFF_TIMEOUT_S = 5.0


class RemoteParser(Parser):
    """A third-party document parser that runs in the plugin process."""

    def __init__(self, spec: ParserSpec, processes: PluginProcesses) -> None:
        self.name = spec.name  # type: ignore[misc]
        self.version = spec.version  # type: ignore[misc]
        self.kind = spec.kind  # type: ignore[misc,assignment]
        self._processes = processes

    def sniff(self, data: bytes, filename: str | None) -> float:
        sniffed = self._processes.call(
            Sniff(parser=self.name, head=data[:SNIFF_BYTES], filename=filename), Sniffed, SNIFF_TIMEOUT_S
        )
        return sniffed.score

    def parse(self, data: bytes, context: ParseContext) -> ParsedDocument:
        limits = context.limits
        request = Parse(
            parser=self.name,
            data=data,
            filename=context.filename,
            limits=Limits(
                max_bytes=limits.max_bytes,
                max_pages=limits.max_pages,
                timeout_s=limits.timeout_s,
                memory_bytes=limits.memory_bytes,
                max_claims=limits.max_claims,
            ),
        )
        return _document(self._processes, request, limits.timeout_s)


class RemoteLayout(PdfLayout):
    """A third-party PDF layout that runs in the plugin process.

    The service's sandboxed PDF reader extracts the words, as for every PDF; the layout gets
    those words over there, so its code never runs in the service."""

    def __init__(self, spec: LayoutSpec, processes: PluginProcesses, timeout_s: float) -> None:
        self.name = spec.name  # type: ignore[misc]
        self.version = spec.version  # type: ignore[misc]
        self._processes = processes
        self._timeout_s = timeout_s

    def match(self, text: PdfText) -> float:
        return self._processes.call(Match(layout=self.name, text=text), Sniffed, SNIFF_TIMEOUT_S).score

    def read(self, text: PdfText) -> ParsedDocument:
        return _document(self._processes, ReadWords(layout=self.name, text=text), self._timeout_s)


def _document(processes: PluginProcesses, request: Parse | ReadWords, timeout_s: float) -> ParsedDocument:
    """What a remote parser or layout read, with its failures as the service's own reading
    would raise them (a clear 4xx for a timeout or a crash, the same exception type otherwise)."""
    try:
        parsed = processes.call(request, Parsed, timeout_s)
    except TimeoutError:
        raise DocumentError(
            422,
            "parser_timeout",
            f"Reading this document took more than {timeout_s:.0f} s; it was stopped.",
        ) from None
    except PluginProcessEnded:
        raise DocumentError(422, "parser_died", "The parser stopped while reading this document.") from None
    if parsed.unreadable is not None:
        problem = parsed.unreadable
        raise DocumentError(problem.status, problem.code, problem.message)
    if parsed.error is not None:
        raise _remote_error(parsed.error)
    return ParsedDocument(
        claims=parsed.claims,
        notes=parsed.notes,
        kind=parsed.kind,  # type: ignore[arg-type]
        parser=parsed.parser,
        pages=parsed.pages,
    )


def load_with_plugin_process(env: Mapping[str, str]) -> Registry:
    """The built-ins from this process; the third-party checks, parsers and PDF layouts from the
    plugin process."""
    memory_cap_bytes(env)  # a setting the plugin process cannot use is the user's to fix, said here
    registry = load_builtins(env)
    budget_ms = positive_number(env, "EOBSCAN_CHECK_BUDGET_MS") or DEFAULT_BUDGET_MS
    processes = PluginProcesses(env, timeout_s=budget_ms * DEADLINE_FACTOR / 1000 * GRACE)
    try:
        hello = processes.start()
    except (PluginProcessFailed, OSError) as exc:
        registry.failures.append(
            PluginFailure(
                name="plugin process", stage="starting", reason=f"{type(exc).__name__} while starting"
            )
        )
        return registry
    owners = {code: _plugin_of(rule.check, registry.plugins) for code, rule in registry.rules.items()}
    for spec in hello.checks:
        add_rules(registry, _plugin_of(spec.name, hello.plugins), spec.rules, owners)
        registry.checks.append(RemoteCheck(spec, processes))
    registry.failures += [PluginFailure(name=f.name, stage=f.stage, reason=f.reason) for f in hello.failures]
    registry.parsers += [RemoteParser(spec, processes) for spec in hello.parsers]
    read_timeout_s = DocumentLimits.from_env(env).timeout_s
    registry.parsers += [RemoteLayout(spec, processes, read_timeout_s) for spec in hello.layouts]
    registry.plugins += hello.plugins
    registry.processes = processes
    return registry


def _plugin_of(check: str, plugins: Sequence[PluginInfo]) -> str:
    return next((p.name for p in plugins if check in p.checks), check)
