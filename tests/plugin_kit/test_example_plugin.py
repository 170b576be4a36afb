"""The example plugin, pip-installed into a temporary environment, works everywhere a user looks:
``eobscan plugins``, the rules catalogue, a scan through the service and the command, and
``EOBSCAN_DISABLE`` turns it off."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from scanner.model import Party, encode
from scanner.testing import make_claim, make_line, make_request

from .conftest import EXAMPLE, PluginEnvironment, Server

EXPORT = EXAMPLE / "tests" / "larkspur_export.csv"


def ambulance_request() -> bytes:
    """An out-of-network emergency transport balance-billed $1,500.00 above the coinsurance."""
    ride = make_line(
        code="A0427",
        network="out",
        billed="2400.00",
        allowed="900.00",
        plan_paid="720.00",
        coinsurance="180.00",
        not_covered="1500.00",
        patient_responsibility="1680.00",
    )
    provider = Party(name="Coastline Ambulance", network="out", role="ambulance")
    return encode(make_request([make_claim(id="ride-1", lines=[ride], provider=provider)]))


def write_request(env: PluginEnvironment) -> Path:
    path = env.work / "ride.json"
    path.write_bytes(ambulance_request())
    return path


def test_the_project_environment_is_left_untouched(example_env: PluginEnvironment) -> None:
    names = {ep.name for ep in importlib.metadata.entry_points(group="eobscan")}
    assert not names & {"ca_ground_ambulance", "larkspur_csv"}
    assert (example_env.target / "eobscan_example_plugin-1.0.0.dist-info").is_dir()


def test_eobscan_plugins_lists_both_plugins_with_their_version(example_env: PluginEnvironment) -> None:
    lines = example_env.eobscan("plugins").splitlines()
    assert "ca_ground_ambulance 1.0.0 (installed): ca_ground_ambulance" in lines
    assert "larkspur_csv 1.0.0 (installed): larkspur-mutual-csv" in lines
    listing = json.loads(example_env.eobscan("plugins", "--format", "json"))
    installed = [p for p in listing["plugins"] if not p["builtin"]]
    assert installed == [
        {
            "name": "ca_ground_ambulance",
            "version": "1.0.0",
            "builtin": False,
            "checks": ["ca_ground_ambulance"],
            "parsers": [],
        },
        {
            "name": "larkspur_csv",
            "version": "1.0.0",
            "builtin": False,
            "checks": [],
            "parsers": ["larkspur-mutual-csv"],
        },
    ]
    assert listing["failures"] == []


def test_the_service_lists_the_plugins(example_server: Server) -> None:
    plugins = {p["name"]: p for p in example_server.client.get("/v1/plugins").json()}
    assert (plugins["ca_ground_ambulance"]["version"], plugins["ca_ground_ambulance"]["builtin"]) == (
        "1.0.0",
        False,
    )
    assert plugins["larkspur_csv"]["parsers"] == ["larkspur-mutual-csv"]


def test_its_rule_is_in_the_catalogue_with_its_documentation(example_server: Server) -> None:
    catalogue = {rule["code"]: rule for rule in example_server.client.get("/v1/checks").json()}
    assert {k: catalogue["CGA001"][k] for k in ("name", "check", "error_class", "severity")} == {
        "name": "ground-ambulance-charged-above-in-network-cost-sharing",
        "check": "ca_ground_ambulance",
        "error_class": "network",
        "severity": "warning",
    }
    page = example_server.client.get("/v1/checks/CGA001").json()
    assert [ref["citation"] for ref in page["docs"]["references"]] == [
        "Cal. Health & Safety Code § 1371.56",
        "Cal. Ins. Code § 10126.66",
        "Cal. Stats. 2023, ch. 454 (AB 716)",
    ]


def test_its_finding_appears_in_a_scan_through_the_service(example_server: Server) -> None:
    response = example_server.client.post(
        "/v1/scan", content=ambulance_request(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    [finding] = [f for f in result["findings"] if f["rule"] == "CGA001"]
    assert (finding["claim_id"], finding["line_ids"], finding["amount_at_stake"]) == (
        "ride-1",
        ["1"],
        "1500.00",
    )
    assert finding["check"] == "ca_ground_ambulance"
    status = next(c for c in result["checks"] if c["name"] == "ca_ground_ambulance")
    assert (status["version"], status["status"], status["error"]) == ("1.0.0", "ok", None)
    assert result["summary"]["amount_at_stake"] == "1500.00"


def test_its_finding_appears_in_a_scan_through_the_command(example_env: PluginEnvironment) -> None:
    output = example_env.eobscan("scan", str(write_request(example_env)), "--format", "json")
    result = json.loads(output)
    assert [(f["rule"], f["amount_at_stake"]) for f in result["findings"]] == [("CGA001", "1500.00")]


def test_a_larkspur_export_is_read_by_its_parser_and_checked_by_its_rule(
    example_env: PluginEnvironment,
) -> None:
    result = json.loads(example_env.eobscan("scan", str(EXPORT), "--format", "json"))
    found = [(f["rule"], f["claim_id"], f["line_ids"], f["amount_at_stake"]) for f in result["findings"]]
    assert found == [
        ("CGA001", "larkspur-1", ["1"], "1500.00"),
        ("CGA001", "larkspur-1", ["2"], "216.00"),
    ]
    assert result["summary"]["amount_at_stake"] == "1716.00"


def test_eobscan_disable_turns_the_rule_off_everywhere(example_env: PluginEnvironment) -> None:
    off = "ca_ground_ambulance"
    plugins = example_env.eobscan("plugins", EOBSCAN_DISABLE=off)
    assert "ca_ground_ambulance" not in plugins
    assert "larkspur_csv 1.0.0 (installed): larkspur-mutual-csv" in plugins.splitlines()
    assert "CGA001" not in example_env.eobscan("checks", "--format", "json", EOBSCAN_DISABLE=off)
    result = json.loads(
        example_env.eobscan("scan", str(write_request(example_env)), "--format", "json", EOBSCAN_DISABLE=off)
    )
    assert result["findings"] == []
    assert "ca_ground_ambulance" not in {c["name"] for c in result["checks"]}


def test_eobscan_plugins_empty_loads_no_installed_plugin(example_env: PluginEnvironment) -> None:
    listing = json.loads(example_env.eobscan("plugins", "--format", "json", EOBSCAN_PLUGINS=""))
    assert [p["name"] for p in listing["plugins"] if not p["builtin"]] == []
    chosen = json.loads(example_env.eobscan("plugins", "--format", "json", EOBSCAN_PLUGINS="larkspur_csv"))
    assert [p["name"] for p in chosen["plugins"] if not p["builtin"]] == ["larkspur_csv"]


def test_the_example_plugins_own_tests_pass_where_it_is_installed(
    example_env: PluginEnvironment, tmp_path: Path
) -> None:
    tests = tmp_path / "tests"
    shutil.copytree(EXAMPLE / "tests", tests)
    completed = example_env.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)], cwd=tmp_path
    )
    assert " passed" in completed.stdout
    assert "failed" not in completed.stdout and "error" not in completed.stdout
