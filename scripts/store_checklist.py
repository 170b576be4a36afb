"""The Chrome Web Store checklist, item by item (``make store-check``; ``make extension`` runs it).

The store asks for a single purpose, a justification per permission, a remote-code answer, data
usage disclosures with three certifications, a privacy policy, an icon and screenshots. Those
answers live in ``docs/store/listing.md`` and ``docs/store/privacy-policy.md``, and this script
checks them against the extension itself: a permission added to the manifest without its
justification, a disclosure that says "no" to what the extension handles, a policy that no
longer names the only place data goes, each fails its item. Prints PASS or FAIL per item.
"""

from __future__ import annotations

import json
import re
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from scripts.build_extension import EXTENSION, manifest_problems, script_problems  # noqa: E402

STORE = ROOT / "docs" / "store"

#: The store's data categories; the extension handles the first three named "yes".
CATEGORIES = (
    "Personally identifiable information",
    "Health information",
    "Financial and payment information",
    "Authentication information",
    "Personal communications",
    "Location",
    "Web history",
    "User activity",
    "Website content",
)
HANDLED = ("Health information", "Financial and payment information", "Website content")
CERTIFICATIONS = (
    "I do not sell or transfer user data to third parties",
    "I do not use or transfer user data for purposes that are unrelated to my item's single purpose",
    "I do not use or transfer user data to determine creditworthiness or for lending purposes",
)
LIMITED_USE = "complies with the Chrome Web Store User Data Policy, including the Limited Use requirements"
SCREENSHOT_SIZES = {(1280, 800), (640, 400)}
MAX_DESCRIPTION = 132


@dataclass(frozen=True)
class Release:
    """What the checklist reads: the manifest, the listing, the policy and the asset folder."""

    manifest: dict[str, object]
    listing: str
    policy: str
    root: Path = ROOT

    @classmethod
    def current(cls) -> Release:
        return cls(
            manifest=json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8")),
            listing=(STORE / "listing.md").read_text(encoding="utf-8"),
            policy=(STORE / "privacy-policy.md").read_text(encoding="utf-8"),
        )


def _section(markdown: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    return match.group(1).strip() if match else ""


def _table(section: str) -> dict[str, str]:
    """First column (backquotes and "(optional)" removed) to second column."""
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and not set(cells[0]) <= {"-", " "} and cells[0] not in ("permission", "category"):
            rows[cells[0].replace("(optional)", "").strip().strip("`")] = cells[1]
    return rows


def _permissions(manifest: dict[str, object]) -> list[str]:
    names: list[str] = []
    for key in ("permissions", "host_permissions", "optional_host_permissions"):
        value = manifest.get(key, [])
        names += [str(v) for v in value] if isinstance(value, list) else []
    return names


def single_purpose(release: Release) -> list[str]:
    problems = []
    if not _section(release.listing, "Single purpose"):
        problems.append("the listing states no single purpose")
    description = str(release.manifest.get("description", ""))
    if not description or len(description) > MAX_DESCRIPTION:
        problems.append(f"the manifest description must be 1 to {MAX_DESCRIPTION} characters")
    return problems


def permission_justifications(release: Release) -> list[str]:
    justified = _table(_section(release.listing, "Permission justifications"))
    declared = _permissions(release.manifest)
    problems = [f"no justification for {name}" for name in declared if not justified.get(name)]
    problems += [
        f"a justification for {name}, which the manifest does not ask for"
        for name in justified
        if name not in declared
    ]
    return problems


def no_remote_code(release: Release) -> list[str]:
    problems = []
    if "Remote code: **No**" not in release.listing:
        problems.append('the listing must answer "Remote code: **No**"')
    return problems + manifest_problems(release.manifest) + script_problems()


def data_disclosures(release: Release) -> list[str]:
    section = _section(release.listing, "Data usage disclosures")
    answers = {name: answer.lower() for name, answer in _table(section).items()}
    problems = []
    for category in CATEGORIES:
        wanted = "yes" if category in HANDLED else "no"
        if answers.get(category) != wanted:
            problems.append(f"{category} must be disclosed as {wanted!r}")
    problems += [f"certification missing: {c}" for c in CERTIFICATIONS if c not in section]
    return problems


def privacy_policy(release: Release) -> list[str]:
    policy = release.policy
    problems = []
    if "privacy-policy.md" not in _section(release.listing, "Privacy policy"):
        problems.append("the listing does not link the privacy policy")
    if LIMITED_USE not in " ".join(policy.split()):
        problems.append("the policy has no Limited Use statement")
    problems += [f"the policy does not name {c.lower()}" for c in HANDLED if c.lower() not in policy.lower()]
    hosts = {urlsplit(p).hostname for p in release.manifest.get("host_permissions", []) or []}  # type: ignore[union-attr]
    problems += [
        f"the policy does not name {host}, where data goes"
        for host in sorted(h for h in hosts if h)
        if f"`{host}`" not in policy
    ]
    if "storage.sync" not in policy:
        problems.append("the policy does not say whether browser sync is used")
    return problems


def _png_size(path: Path) -> tuple[int, int] | None:
    try:
        head = path.read_bytes()[:24]
    except OSError:
        return None
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def store_assets(release: Release) -> list[str]:
    problems = []
    icons = release.manifest.get("icons", {})
    icon = icons.get("128") if isinstance(icons, dict) else None
    if not icon or _png_size(EXTENSION / str(icon)) != (128, 128):
        problems.append("a 128 x 128 PNG icon is required")
    shots = [
        release.root / m
        for m in re.findall(r"`(docs/[^`]+\.png)`", _section(release.listing, "Store assets"))
    ]
    if not shots:
        problems.append("the listing names no screenshot")
    problems += [
        f"{shot.relative_to(release.root)} must be a PNG of 1280 x 800 or 640 x 400"
        for shot in shots
        if _png_size(shot) not in SCREENSHOT_SIZES
    ]
    return problems


ITEMS: dict[str, Callable[[Release], list[str]]] = {
    "single purpose": single_purpose,
    "permission justifications": permission_justifications,
    "no remote code": no_remote_code,
    "data usage disclosures and certifications": data_disclosures,
    "privacy policy and Limited Use statement": privacy_policy,
    "store assets": store_assets,
}


def run(release: Release) -> dict[str, list[str]]:
    """Each item's problems; an empty list is a pass."""
    return {name: item(release) for name, item in ITEMS.items()}


def main() -> int:
    results = run(Release.current())
    for name, problems in results.items():
        print(f"{'PASS' if not problems else 'FAIL'}  {name}")
        for problem in problems:
            print(f"      - {problem}")
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
