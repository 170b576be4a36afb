"""Logging: structured, one line per request, and never a byte of health data.

The same processors run everywhere; only the renderer changes (JSON in production, console in
development). Redaction is an allow-list: a key that is not known to be safe is dropped, so a new
log call cannot leak a name or a claim number by accident. Tracebacks are never rendered (their
local variables and exception texts can quote claim data): only the exception's type is kept.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar
from typing import Any

import msgspec
import structlog

#: Keys a log record may carry. Anything else is removed before rendering.
SAFE_KEYS = frozenset(
    {
        "event",
        "level",
        "timestamp",
        "logger",
        "request_id",
        "route",
        "method",
        "status",
        "duration_ms",
        "claims",
        "lines",
        "findings",
        "checks",
        "checks_failed",
        "check",
        "plugin",
        "stage",
        "error_type",
        "bytes",
        "kind",
        "pages",
        "host",
        "port",
        "reason",
        "count",
    }
)

#: True while plugin code (a check) runs. A check sees claims, so whatever it logs or prints
#: then is dropped: plugins report through their findings and status, never through the log.
plugin_running: ContextVar[bool] = ContextVar("eobscan_plugin_running", default=False)

#: Reasons are our own fixed words; these keys may only hold short identifiers.
_MAX_VALUE_CHARS = 200


def redact(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Drop every key that is not on the allow-list, and any traceback; drop the whole event
    when plugin code logged it."""
    if plugin_running.get():
        raise structlog.DropEvent
    exc_info = event_dict.pop("exc_info", None)
    if exc_info:
        exc = exc_info if isinstance(exc_info, BaseException) else sys.exc_info()[1]
        if exc is not None:
            event_dict.setdefault("error_type", type(exc).__name__)
    for key in list(event_dict):
        if key not in SAFE_KEYS:
            del event_dict[key]
        elif isinstance(event_dict[key], str) and len(event_dict[key]) > _MAX_VALUE_CHARS:
            event_dict[key] = event_dict[key][:_MAX_VALUE_CHARS]
    return event_dict


def _dumps(obj: Any, **_options: Any) -> str:
    return msgspec.json.encode(obj, enc_hook=str).decode()


def processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact,
    ]


def configure_logging(log_format: str = "json") -> None:
    """Configure structlog and silence libraries that log document text or bodies."""
    renderer: Any
    if log_format == "console":
        renderer = structlog.dev.ConsoleRenderer(colors=False)
    else:
        renderer = structlog.processors.JSONRenderer(serializer=_dumps)
    structlog.configure(
        processors=[*processors(), renderer],
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
    _mute_plugins()
    # pdfminer at DEBUG prints the document's text; Litestar and uvicorn would log tracebacks.
    for name in ("pdfminer", "litestar", "uvicorn.error", "uvicorn.access", "granian"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
        logging.getLogger(name).propagate = False


class _MutedWhilePluginRuns(io.TextIOBase):
    """A standard stream that swallows what plugin code writes to it."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if plugin_running.get():
            return len(text)
        return int(self._stream.write(text))

    def flush(self) -> None:
        self._stream.flush()

    def fileno(self) -> int:
        return int(self._stream.fileno())

    def isatty(self) -> bool:
        return bool(self._stream.isatty())


def _mute_plugins() -> None:
    """Keep plugin output out of the service's output: prints, standard-library log records
    (the root logger gets a handler that discards, so Python's last-resort handler never prints
    them) and warnings (routed to that logger)."""
    if not isinstance(sys.stdout, _MutedWhilePluginRuns):
        sys.stdout = _MutedWhilePluginRuns(sys.stdout)
    if not isinstance(sys.stderr, _MutedWhilePluginRuns):
        sys.stderr = _MutedWhilePluginRuns(sys.stderr)
    root = logging.getLogger()
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        root.addHandler(logging.NullHandler())
    logging.captureWarnings(True)
