"""Settings from ``EOBSCAN_*`` variables: a value the service cannot use stops it with one line
naming the variable and what it takes, never a traceback, and never a silent default."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scanner.ingest import DocumentLimits
from scanner.plugin_worker import memory_cap_bytes
from scanner.settings import SettingError, Settings

BAD = [
    ("EOBSCAN_PORT", "eighty", "EOBSCAN_PORT must be a whole number"),
    ("EOBSCAN_PORT", "0", "EOBSCAN_PORT must be at least 1"),
    ("EOBSCAN_PORT", "70000", "EOBSCAN_PORT must be at most 65535"),
    ("EOBSCAN_CHECK_BUDGET_MS", "fast", "EOBSCAN_CHECK_BUDGET_MS must be a number"),
    ("EOBSCAN_CHECK_BUDGET_MS", "0", "EOBSCAN_CHECK_BUDGET_MS must be a number above zero"),
    ("EOBSCAN_CHECK_BUDGET_MS", "nan", "EOBSCAN_CHECK_BUDGET_MS must be a number above zero"),
    ("EOBSCAN_SCAN_CONCURRENCY", "2.5", "EOBSCAN_SCAN_CONCURRENCY must be a whole number"),
    ("EOBSCAN_SCAN_CONCURRENCY", "-1", "EOBSCAN_SCAN_CONCURRENCY must be at least 0"),
    ("EOBSCAN_INLINE_SCAN_LINES", "many", "EOBSCAN_INLINE_SCAN_LINES must be a whole number"),
    ("EOBSCAN_INLINE_SCAN_LINES", "-3", "EOBSCAN_INLINE_SCAN_LINES must be at least 0"),
]

BAD_DOCUMENT_LIMITS = [
    ("EOBSCAN_MAX_UPLOAD_MB", "ten", "EOBSCAN_MAX_UPLOAD_MB must be a number"),
    ("EOBSCAN_MAX_UPLOAD_MB", "-1", "EOBSCAN_MAX_UPLOAD_MB must be a number above zero"),
    ("EOBSCAN_MAX_PAGES", "0", "EOBSCAN_MAX_PAGES must be at least 1"),
    ("EOBSCAN_PDF_TIMEOUT_S", "inf", "EOBSCAN_PDF_TIMEOUT_S must be a number above zero"),
    ("EOBSCAN_PDF_MEMORY_MB", "lots", "EOBSCAN_PDF_MEMORY_MB must be a number"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD)
def test_a_service_setting_it_cannot_use_is_named(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingError) as raised:
        Settings.from_env({name: value})
    assert str(raised.value) == message


@pytest.mark.parametrize(("name", "value", "message"), BAD_DOCUMENT_LIMITS)
def test_a_document_limit_it_cannot_use_is_named(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingError) as raised:
        DocumentLimits.from_env({name: value})
    assert str(raised.value) == message


def test_good_values_are_read_and_empty_ones_keep_the_default() -> None:
    settings = Settings.from_env(
        {
            "EOBSCAN_PORT": " 8799 ",
            "EOBSCAN_CHECK_BUDGET_MS": "12.5",
            "EOBSCAN_SCAN_CONCURRENCY": "0",  # at least one scan runs
            "EOBSCAN_INLINE_SCAN_LINES": "",
        }
    )
    assert (settings.port, settings.check_budget_ms) == (8799, 12.5)
    assert (settings.scan_concurrency, settings.inline_scan_lines) == (1, Settings().inline_scan_lines)
    limits = DocumentLimits.from_env({"EOBSCAN_MAX_UPLOAD_MB": "0.5", "EOBSCAN_MAX_PAGES": "3"})
    assert (limits.max_bytes, limits.max_pages) == (512 * 1024, 3)


def test_the_plugin_process_memory_cap() -> None:
    assert memory_cap_bytes({}) == 1024 * 1024 * 1024
    assert memory_cap_bytes({"EOBSCAN_PLUGIN_MEMORY_MB": "8"}) == 64 * 1024 * 1024  # Python needs that
    with pytest.raises(SettingError, match="EOBSCAN_PLUGIN_MEMORY_MB must be a whole number"):
        memory_cap_bytes({"EOBSCAN_PLUGIN_MEMORY_MB": "lots"})


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"EOBSCAN_SCAN_CONCURRENCY": "-1"}, "EOBSCAN_SCAN_CONCURRENCY must be at least 0"),
        ({"EOBSCAN_PDF_TIMEOUT_S": "nan"}, "EOBSCAN_PDF_TIMEOUT_S must be a number above zero"),
        (
            {"EOBSCAN_PLUGIN_PROCESS": "1", "EOBSCAN_PLUGIN_MEMORY_MB": "lots"},
            "EOBSCAN_PLUGIN_MEMORY_MB must be a whole number",
        ),
    ],
)
def test_eobscan_serve_stops_with_one_line_and_exit_2(variables: dict[str, str], message: str) -> None:
    """In a process of its own: the real command, its real exit; it never starts serving."""
    done = subprocess.run(
        [sys.executable, "-m", "scanner", "serve", "--port", "1"],
        env={"PATH": "/usr/bin:/bin", "EOBSCAN_PLUGINS": "", **variables},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == f"eobscan: {message}\n"
    assert done.stdout == ""
