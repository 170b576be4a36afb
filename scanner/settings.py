"""Service settings, from arguments or ``EOBSCAN_*`` environment variables, read at start only."""

from __future__ import annotations

import functools
import math
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

DEFAULT_PORT = 8765

_T = TypeVar("_T")


class SettingError(ValueError):
    """An ``EOBSCAN_*`` variable that cannot be used; the message names it and what it takes."""


def whole_number(
    env: Mapping[str, str], name: str, *, minimum: int, maximum: int | None = None
) -> int | None:
    """The variable as a whole number within the bounds; None when it is unset or empty."""
    value = _parsed(env, name, int, "a whole number")
    if value is not None and value < minimum:
        raise SettingError(f"{name} must be at least {minimum}")
    if value is not None and maximum is not None and value > maximum:
        raise SettingError(f"{name} must be at most {maximum}")
    return value


def positive_number(env: Mapping[str, str], name: str) -> float | None:
    """The variable as a finite number above zero (``1.5`` is fine); None when unset or empty."""
    value = _parsed(env, name, float, "a number")
    if value is not None and not (math.isfinite(value) and value > 0):
        raise SettingError(f"{name} must be a number above zero")
    return value


def _parsed(env: Mapping[str, str], name: str, parse: Callable[[str], _T], kind: str) -> _T | None:
    text = env.get(name, "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except ValueError:
        raise SettingError(f"{name} must be {kind}") from None


def _extension_origins() -> tuple[str, ...]:
    try:
        from scanner.service.extension_id import EXTENSION_ID
    except ImportError:  # the extension's fixed id is not known yet
        return ()
    return (f"chrome-extension://{EXTENSION_ID}",)


@dataclass(frozen=True)
class Settings:
    """How the service runs. Safe by default: loopback only, a fresh token, small bodies."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    token_generated: bool = False
    extension_origins: tuple[str, ...] = field(default_factory=_extension_origins)
    max_body_bytes: int = 2 * 1024 * 1024
    max_json_depth: int = 64
    max_claims: int = 500
    max_lines: int = 5000
    check_budget_ms: float = 200.0
    scan_concurrency: int = 2
    #: Scans of at most this many lines (claims' and bills'), with only our own checks, run in the event
    #: loop: for them, the hand-off to a thread costs more than the scan (see the scan route).
    inline_scan_lines: int = 50
    log_format: str = "json"
    serve_api_docs: bool = True

    @functools.cached_property
    def allowed_hosts(self) -> frozenset[str]:
        """Host headers we answer; the port is part of it, against DNS rebinding."""
        names = {"127.0.0.1", "localhost", "[::1]"}
        if self.host not in {"127.0.0.1", "localhost", "::1", "0.0.0.0"}:  # noqa: S104
            names.add(self.host)
        return frozenset(f"{name}:{self.port}" for name in names)

    @functools.cached_property
    def own_origins(self) -> frozenset[str]:
        """The service's own pages (the upload page) may call it too."""
        return frozenset(f"http://{host}" for host in self.allowed_hosts)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if env.get("EOBSCAN_TOKEN"):
            values["token"] = env["EOBSCAN_TOKEN"]
        if (port := whole_number(env, "EOBSCAN_PORT", minimum=1, maximum=65535)) is not None:
            values["port"] = port
        if env.get("EOBSCAN_HOST"):
            values["host"] = env["EOBSCAN_HOST"]
        if env.get("EOBSCAN_EXTENSION_ORIGINS"):
            values["extension_origins"] = tuple(
                o.strip() for o in env["EOBSCAN_EXTENSION_ORIGINS"].split(",") if o.strip()
            )
        if (budget := positive_number(env, "EOBSCAN_CHECK_BUDGET_MS")) is not None:
            values["check_budget_ms"] = budget
        if (concurrency := whole_number(env, "EOBSCAN_SCAN_CONCURRENCY", minimum=0)) is not None:
            values["scan_concurrency"] = max(1, concurrency)
        if (inline := whole_number(env, "EOBSCAN_INLINE_SCAN_LINES", minimum=0)) is not None:
            values["inline_scan_lines"] = inline
        if env.get("EOBSCAN_LOG_FORMAT"):
            values["log_format"] = env["EOBSCAN_LOG_FORMAT"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        values.setdefault("token_generated", "token" not in values)
        return cls(**values)  # type: ignore[arg-type]
