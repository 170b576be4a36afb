"""The extension's files, checked without a browser: the manifest asks for exactly what
permissions.md justifies, the fixed key gives the id the service allows, the scripts hold no way
to turn text into code or markup, and ``make extension`` builds the same zip every time."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from scanner.service.extension_id import EXTENSION_ID
from scripts import build_extension

EXTENSION = Path(build_extension.EXTENSION)


def manifest() -> dict[str, Any]:
    return dict(json.loads((EXTENSION / "manifest.json").read_text()))


def content_files() -> list[str]:
    source = (EXTENSION / "sw" / "content-files.js").read_text()
    block = source[source.index("CONTENT_FILES") : source.index("]);")]
    return re.findall(r'"(content/[^"]+\.js)"', block)


def test_the_manifest_key_gives_the_extension_id_the_service_allows() -> None:
    der = base64.b64decode(manifest()["key"])
    digest = hashlib.sha256(der).hexdigest()[:32]

    assert "".join(chr(ord("a") + int(c, 16)) for c in digest) == EXTENSION_ID


def test_the_manifest_asks_only_for_what_permissions_md_justifies() -> None:
    assert build_extension.manifest_problems(manifest()) == []
    assert build_extension.justified() == []
    assert manifest()["permissions"] == ["activeTab", "scripting", "storage"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"permissions": ["activeTab", "scripting", "storage", "tabs"]}, "manifest permissions must be"),
        ({"host_permissions": ["<all_urls>"]}, "manifest host_permissions must be"),
        ({"externally_connectable": {"matches": ["https://*/*"]}}, "manifest externally_connectable must be"),
        ({"web_accessible_resources": [{"resources": ["*"], "matches": ["<all_urls>"]}]}, "must not declare"),
        (
            {"content_security_policy": {"extension_pages": "script-src 'self' https://cdn.example"}},
            "own scripts",
        ),
    ],
)
def test_manifest_drift_fails_the_build(change: dict[str, Any], problem: str) -> None:
    problems = build_extension.manifest_problems({**manifest(), **change})

    assert any(problem in p for p in problems)


def test_the_scripts_hold_no_html_sinks_eval_remote_code_or_logging() -> None:
    assert build_extension.script_problems() == []


def test_a_forbidden_sink_would_be_caught() -> None:
    for sample, name in [
        ("el.innerHTML = finding.message;", "innerHTML"),
        ("eval(text)", "eval"),
        ("setTimeout('run()', 1)", "string timer"),
        ("chrome.storage.sync.set({})", "storage.sync"),
        ("console.log(claim)", "console logging"),
    ]:
        assert build_extension.FORBIDDEN[name].search(sample)


def test_every_file_the_extension_names_exists() -> None:
    m = manifest()
    named = [m["background"]["service_worker"], m["action"]["default_popup"], m["options_ui"]["page"]]
    named += list(m["icons"].values()) + [f for script in m["content_scripts"] for f in script["js"]]
    for html in ("ui/popup.html", "ui/options.html"):
        page = (EXTENSION / html).read_text()
        named += [str(Path(html).parent / src) for src in re.findall(r'src="([^"]+)"', page)]
    for name in named:
        assert (EXTENSION / name).resolve().is_file(), name


def test_the_demo_content_scripts_are_the_injected_ones_plus_autoscan() -> None:
    declared = manifest()["content_scripts"][0]["js"]

    assert declared == [*content_files(), "content/autoscan.js"]
    on_disk = sorted(p.relative_to(EXTENSION).as_posix() for p in (EXTENSION / "content").rglob("*.js"))
    assert sorted(declared) == on_disk, "every content file is loaded"


def test_every_portal_adapter_is_loaded_and_names_its_test_pages() -> None:
    adapters = sorted(
        p.name for p in (EXTENSION / "content" / "adapters").glob("*.js") if p.name != "registry.js"
    )
    fixtures = Path(__file__).parent / "fixtures"
    for name in adapters:
        assert f"content/adapters/{name}" in content_files()
        source = (EXTENSION / "content" / "adapters" / name).read_text()
        pages = re.findall(r"tests/browser/fixtures/([\w.-]+\.html)", source)
        assert pages, f"{name} names the fixture pages that test it"
        for page in pages:
            assert (fixtures / page).is_file(), page


def test_the_build_is_reproducible(tmp_path: Path) -> None:
    first = build_extension.build(tmp_path / "a.zip")
    second = build_extension.build(tmp_path / "b.zip")

    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
    assert "manifest.json" in names
    assert "permissions.md" in names
    assert sorted(names) == names
    assert names == [p.relative_to(EXTENSION).as_posix() for p in build_extension.files()]
