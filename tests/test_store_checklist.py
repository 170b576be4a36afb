"""EXT-11: the store checklist passes for this release, and each item fails when it should."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from scripts import store_checklist
from scripts.store_checklist import ITEMS, Release, run


@pytest.fixture
def release() -> Release:
    return Release.current()


def test_every_item_passes_for_this_release(release: Release) -> None:
    assert run(release) == {name: [] for name in ITEMS}


def test_the_script_prints_pass_per_item_and_exits_0() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/store_checklist.py"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout
    assert [line.split("  ", 1) for line in done.stdout.splitlines()] == [["PASS", name] for name in ITEMS]


def failing(release: Release) -> dict[str, list[str]]:
    return {name: problems for name, problems in run(release).items() if problems}


def test_a_permission_without_its_justification_fails(release: Release) -> None:
    manifest = {**release.manifest, "permissions": [*release.manifest["permissions"], "tabs"]}  # type: ignore[list-item,misc]
    assert failing(dataclasses.replace(release, manifest=manifest))["permission justifications"] == [
        "no justification for tabs"
    ]


def test_a_justification_for_a_permission_no_longer_asked_for_fails(release: Release) -> None:
    listing = release.listing.replace("| `storage` |", "| `storage` | x |\n| `cookies` |")
    assert (
        "a justification for cookies, which the manifest does not ask for"
        in failing(dataclasses.replace(release, listing=listing))["permission justifications"]
    )


def test_denying_what_the_extension_handles_fails(release: Release) -> None:
    listing = release.listing.replace("| Health information | yes |", "| Health information | no |")
    assert failing(dataclasses.replace(release, listing=listing)) == {
        "data usage disclosures and certifications": ["Health information must be disclosed as 'yes'"]
    }


def test_a_missing_certification_fails(release: Release) -> None:
    listing = release.listing.replace("- I do not sell or transfer user data", "- I may sell user data")
    problems = failing(dataclasses.replace(release, listing=listing))[
        "data usage disclosures and certifications"
    ]
    assert problems == ["certification missing: I do not sell or transfer user data to third parties"]


def test_a_policy_without_the_limited_use_statement_fails(release: Release) -> None:
    policy = release.policy.replace("including the Limited Use", "including the")
    assert failing(dataclasses.replace(release, policy=policy)) == {
        "privacy policy and Limited Use statement": ["the policy has no Limited Use statement"]
    }


def test_a_policy_that_no_longer_names_where_data_goes_fails(release: Release) -> None:
    policy = release.policy.replace("`localhost`", "the service")
    assert failing(dataclasses.replace(release, policy=policy)) == {
        "privacy policy and Limited Use statement": ["the policy does not name localhost, where data goes"]
    }


def test_a_long_description_and_remote_code_fail(release: Release) -> None:
    manifest = {**release.manifest, "description": "x" * 133}
    manifest["content_security_policy"] = {
        "extension_pages": "script-src 'self' https://cdn.example; object-src 'self'"
    }
    problems = failing(dataclasses.replace(release, manifest=manifest))
    assert problems["single purpose"] == ["the manifest description must be 1 to 132 characters"]
    assert "extension pages must allow only their own scripts" in problems["no remote code"]


def test_a_screenshot_of_the_wrong_size_fails(release: Release) -> None:
    listing = release.listing.replace("docs/store/screenshot-1280x800.png", "docs/img/extension.png")
    assert failing(dataclasses.replace(release, listing=listing)) == {
        "store assets": ["docs/img/extension.png must be a PNG of 1280 x 800 or 640 x 400"]
    }


def test_the_checklist_is_what_the_threat_catalogue_asks_for() -> None:
    asked = ("single purpose", "disclosures", "privacy policy", "Limited Use")
    assert all(any(word in name for name in store_checklist.ITEMS) for word in asked)
