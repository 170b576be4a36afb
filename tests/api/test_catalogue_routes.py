"""GET /v1/checks, /v1/checks/{code}, /v1/plugins."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.api.conftest import AUTH


def test_the_catalogue_lists_every_rule_without_docs(client: TestClient) -> None:  # type: ignore[type-arg]
    rules = client.get("/v1/checks", headers=AUTH).json()
    codes = [r["code"] for r in rules]
    assert "INS001" in codes and codes == sorted(codes)
    assert all(r["docs"] is None for r in rules)
    assert set(rules[0]) >= {"code", "name", "check", "error_class", "severity", "summary"}


def test_one_rule_comes_with_its_documentation_sections(client: TestClient) -> None:  # type: ignore[type-arg]
    rule = client.get("/v1/checks/ins001", headers=AUTH).json()
    assert rule["code"] == "INS001"
    assert set(rule["docs"]) >= {"what_it_checks", "why_it_matters", "example", "what_to_do", "references"}


def test_an_unknown_rule_is_a_404_problem(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.get("/v1/checks/ZZZ999", headers=AUTH)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_plugins_lists_the_built_ins_with_versions(client: TestClient) -> None:  # type: ignore[type-arg]
    plugins = client.get("/v1/plugins", headers=AUTH).json()
    builtin = next(p for p in plugins if p["name"] == "insurer_processing")
    assert builtin["builtin"] is True and builtin["checks"] == ["insurer_processing"]
    assert builtin["version"]
