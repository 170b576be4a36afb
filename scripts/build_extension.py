"""Build ``dist/eob-scanner-extension.zip`` from ``extension/`` (``make extension``).

The zip is what a browser store or an administrator installs. It is reproducible: the same files
give the same bytes (sorted entries, fixed timestamps and modes), so a release can be checked by
building it again. Before packing, the manifest is checked against the rules in
``extension/permissions.md``: a permission added without its justification fails the build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "extension"
DEFAULT_OUT = ROOT / "dist" / "eob-scanner-extension.zip"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)

PERMISSIONS = ["activeTab", "scripting", "storage"]
HOST_PERMISSIONS = ["http://127.0.0.1/*", "http://localhost/*"]
OPTIONAL_HOST_PERMISSIONS = ["https://*/*"]

#: Ways to turn text into code or markup; none may appear in the extension's scripts.
FORBIDDEN = {
    "innerHTML": re.compile(r"\.innerHTML\b"),
    "outerHTML": re.compile(r"\.outerHTML\b"),
    "insertAdjacentHTML": re.compile(r"insertAdjacentHTML"),
    "document.write": re.compile(r"document\.write"),
    "eval": re.compile(r"(?<![\w.])eval\s*\("),
    "new Function": re.compile(r"new\s+Function\s*\("),
    "string timer": re.compile(r"set(?:Timeout|Interval)\s*\(\s*['\"`]"),
    "remote import": re.compile(r"import\s*\(\s*['\"`]https?:"),
    "storage.sync": re.compile(r"storage\.sync"),
    "console logging": re.compile(r"console\.(?:log|info|debug|warn|error)\s*\("),
}


class BuildError(Exception):
    """The extension does not meet its own rules; the message says which."""


def included(path: Path) -> bool:
    relative = path.relative_to(EXTENSION)
    return path.is_file() and not any(part.startswith(".") for part in relative.parts)


def files() -> list[Path]:
    found = (path for path in EXTENSION.rglob("*") if included(path))
    return sorted(found, key=lambda path: path.relative_to(EXTENSION).as_posix())


def manifest_problems(manifest: dict[str, object]) -> list[str]:
    """What is wrong with the manifest, in words; empty when it is right."""
    problems = []
    expected = {
        "manifest_version": 3,
        "permissions": PERMISSIONS,
        "host_permissions": HOST_PERMISSIONS,
        "optional_host_permissions": OPTIONAL_HOST_PERMISSIONS,
        "externally_connectable": {"ids": []},
    }
    for key, value in expected.items():
        if manifest.get(key) != value:
            problems.append(f"manifest {key} must be {json.dumps(value)}")
    for key in ("web_accessible_resources", "optional_permissions", "sandbox"):
        if key in manifest:
            problems.append(f"manifest must not declare {key}")
    csp = manifest.get("content_security_policy", {})
    policy = csp.get("extension_pages", "") if isinstance(csp, dict) else ""
    if not re.search(r"script-src 'self';", policy) or re.search(r"unsafe|https?:", policy):
        problems.append("extension pages must allow only their own scripts")
    if not isinstance(manifest.get("key"), str):
        problems.append("manifest needs its fixed public key (stable extension id)")
    return problems


def script_problems() -> list[str]:
    problems = []
    for path in files():
        if path.suffix not in {".js", ".html"}:
            continue
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(EXTENSION).as_posix()
        for name, pattern in FORBIDDEN.items():
            if pattern.search(text):
                problems.append(f"{relative} uses {name}")
        if path.suffix == ".html" and re.search(r"<script[^>]+src=[\"']https?:", text):
            problems.append(f"{relative} loads a remote script")
    return problems


def justified() -> list[str]:
    """Every permission and host permission has its section in permissions.md."""
    doc = (EXTENSION / "permissions.md").read_text(encoding="utf-8")
    wanted = [*PERMISSIONS, *HOST_PERMISSIONS, *OPTIONAL_HOST_PERMISSIONS]
    return [f"permissions.md does not justify {name}" for name in wanted if f"`{name}`" not in doc]


def check() -> dict[str, object]:
    manifest = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
    problems = manifest_problems(manifest) + script_problems() + justified()
    if problems:
        raise BuildError("; ".join(problems))
    return dict(manifest)


def build(out: Path = DEFAULT_OUT) -> Path:
    """Check the extension, then write the zip; returns its path."""
    check()
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files():
            info = zipfile.ZipInfo(path.relative_to(EXTENSION).as_posix(), date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the zip")
    args = parser.parse_args(argv)
    try:
        out = build(args.out)
    except BuildError as error:
        print(f"extension not built: {error}", file=sys.stderr)
        return 1
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"{shown}  {len(files())} files  sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
