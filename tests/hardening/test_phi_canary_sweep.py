"""The PHI canary sweep (SVC-12, SVC-13, EXT-07 on disk): every route and the extension path
with canary health data, then a search of everything that could keep it.

The real service runs with a fresh HOME and TMPDIR, with ``LITESTAR_DEBUG=1`` in its environment,
and is given canaries in every field, every document kind, every error path, the URL, the query
string, headers and cookies. Chromium with the extension scans a page full of canaries and the
page forges messages to the extension. Afterwards: no canary in any log line, error body or
response header; no file left in the service's HOME, TMPDIR or working folder; no canary in the
extension's storage on disk.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.service import Service, running_service
from tests.hardening import canaries
from tests.hardening.browsing import extension_worker, in_chromium, serving_pages
from tests.hardening.conftest import record
from tests.ingest import documents

pytestmark = pytest.mark.browser

FHIR_EXAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "data" / "fhir" / "carin-bb-2.0.0"
#: Where Chromium keeps what an extension stores (storage.local and .sync, IndexedDB, caches).
READABLE = ("pdf", "text", "csv", "fhir")
EXTENSION_STORES = ("Local Extension Settings", "Sync Extension Settings", "IndexedDB", "Service Worker")


@dataclass
class Sweep:
    """Everything the service said while it was being fed canaries."""

    service: Service
    errors: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    requests: int = 0

    def send(self, client: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = client.request(method, path, **kwargs)
        self.requests += 1
        self.headers.append(json.dumps(dict(response.headers)))
        if response.status_code >= 400:
            self.errors.append(response.text)
        return response


def files_under(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())


def canary_documents(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[str, bytes]]:
    """One document of each kind, its names, ids and numbers all canaries."""
    monkeypatch.setattr(documents, "PATIENT", canaries.NAME)
    monkeypatch.setattr(documents, "MEMBER_ID", canaries.MEMBER_ID)
    claim = documents.make_claim(random.Random(7), canaries.CLAIM_NUMBER, canaries.PROVIDER, 4)
    case = documents.Case("canary", f"Plan of {canaries.NAME}", [claim])
    fhir = json.loads((FHIR_EXAMPLE / "ExplanationOfBenefit-EOBProfessional1.json").read_bytes())
    fhir["identifier"][0]["value"] = canaries.CLAIM_NUMBER
    fhir["patient"] = {"reference": f"Patient/{canaries.MEMBER_ID}", "display": canaries.NAME}
    fhir["provider"]["display"] = canaries.PROVIDER
    broken_fhir = dict(fhir, item=canaries.ADDRESS)
    return {
        "pdf": ("eob.pdf", documents.member_statement(case)),
        "text": ("eob.txt", documents.text_table(case).encode()),
        "csv": ("claims.csv", documents.csv_export(case).encode()),
        "fhir": ("eob.json", json.dumps(fhir).encode()),
        "broken fhir": ("eob.json", json.dumps(broken_fhir).encode()),
        "unreadable pdf": ("eob.pdf", b"%PDF-1.7\n1 0 obj << /Name (" + canaries.NAME.encode() + b") >>\n"),
        "plain words": ("notes.txt", f"{canaries.NAME} {canaries.MEMBER_ID} {canaries.BIRTH_DATE}".encode()),
    }


def feed_every_route(sweep: Sweep, docs: dict[str, tuple[str, bytes]]) -> None:
    service = sweep.service
    body = canaries.scan_body()
    hostile = {
        "X-Member": canaries.MEMBER_ID,
        "Cookie": f"patient={canaries.NAME.replace(' ', '_')}",
        "Referer": f"http://127.0.0.1/claims/{canaries.CLAIM_NUMBER}",
        "User-Agent": canaries.NAME,
    }
    with httpx.Client(base_url=service.base, timeout=60, headers=hostile) as client:
        auth = {**service.auth, "Content-Type": "application/json"}
        for path in ("/healthz", "/", "/docs", "/schema/openapi.json", "/demo", "/v1/checks", "/v1/plugins"):
            sweep.send(client, "GET", path, headers=service.auth)
        sweep.send(client, "GET", "/v1/checks/INS001", headers=service.auth)
        sweep.send(client, "GET", f"/v1/checks/{canaries.MEMBER_ID}", headers=service.auth)
        sweep.send(client, "GET", f"/v1/{canaries.CLAIM_NUMBER}", headers=service.auth)
        for path in ("/v1/scan", "/v1/actions", "/v1/calendar", "/v1/report"):
            assert sweep.send(client, "POST", path, content=body, headers=auth).status_code == 200, path
            sweep.send(client, "POST", f"{path}?member={canaries.MEMBER_ID}", content=body, headers=auth)
        report = sweep.send(
            client, "POST", "/v1/report", content=body, headers={**auth, "Accept": "application/pdf"}
        )
        assert report.headers["content-type"].startswith("application/pdf")
        for kind, (name, data) in docs.items():
            files = {"file": (name, data)}
            response = sweep.send(client, "POST", "/v1/scan/document", files=files, headers=service.auth)
            assert response.status_code == 200 or (kind not in READABLE and response.status_code < 500), kind
        for kind in ("pdf", "text"):  # the provider's statement read next to the EOB, then refused
            files = {"file": docs["pdf"], "bill_file": (f"statement-{kind}", canaries.statement(kind))}
            response = sweep.send(client, "POST", "/v1/scan/document", files=files, headers=service.auth)
            assert response.status_code == 200 and response.json()["bills"], kind
            files = {"file": docs["pdf"], "bill_file": docs[kind]}
            assert (
                sweep.send(client, "POST", "/v1/scan/document", files=files, headers=service.auth).status_code
                == 422
            )
        bad_bill = {"bill": json.dumps({"id": "b", "amount_due": canaries.NAME})}
        response = sweep.send(
            client,
            "POST",
            "/v1/scan/document",
            files={"file": docs["text"]},
            data=bad_bill,
            headers=service.auth,
        )
        assert response.status_code == 400
        bad_plan = {"plan": json.dumps({"coverage_tier": canaries.NAME, "as_of": canaries.BIRTH_DATE})}
        files = {"file": docs["text"]}
        response = sweep.send(
            client, "POST", "/v1/scan/document", files=files, data=bad_plan, headers=service.auth
        )
        assert response.status_code == 400
        for bad in (
            canaries.scan_body(extra_line={"network": canaries.MEMBER_ID}),
            canaries.scan_body(extra_line={"billed": canaries.ADDRESS}),
            canaries.scan_body(extra_line={"service_date": canaries.BIRTH_DATE}),
            canaries.scan_body()[:-40],
        ):
            assert sweep.send(client, "POST", "/v1/scan", content=bad, headers=auth).status_code == 400
        sweep.send(
            client, "POST", "/v1/scan", content=body, headers={"Authorization": f"Bearer {canaries.TOKEN}"}
        )
        sweep.send(
            client, "POST", "/v1/scan", content=body, headers={**auth, "Host": f"{canaries.MEMBER_ID}:1"}
        )
        sweep.send(
            client, "POST", "/v1/scan", content=body, headers={**auth, "Origin": f"https://{canaries.MARK}.x"}
        )


def scan_in_the_extension(service: Service, profile: Path) -> dict[str, Any]:
    """Scan the canary page through the extension, then let the page forge messages to it."""
    with serving_pages() as port:

        def scenario(context: Any) -> dict[str, Any]:
            worker = extension_worker(context)
            worker.evaluate(
                "([serviceUrl, token]) => eobscan.configure({serviceUrl, token, plan: null})",
                [service.base, service.token],
            )
            page = context.new_page()
            url = f"http://127.0.0.1:{port}/canary-claim.html"
            page.goto(url)
            tab = worker.evaluate("async (url) => (await chrome.tabs.query({url})).map((t) => t.id)", url)[0]
            report = dict(worker.evaluate("(id) => eobscan.scanTab(id, {waitMs: 8000})", tab))
            scans_before = _scans(service)
            forged = page.evaluate("() => window.__forge()")
            page.wait_for_timeout(1500)
            stored = worker.evaluate(
                "async () => [await chrome.storage.local.get(null), await chrome.storage.sync.get(null)]"
            )
            return {"report": report, "forged": forged, "scans_after_forgery": _scans(service) - scans_before,
                    "stored": stored}  # fmt: skip

        return in_chromium(scenario, profile=profile, extension=True)


def _scans(service: Service) -> int:
    time.sleep(0.3)
    return sum(1 for r in service.log_records() if r.get("route") == "/v1/scan")


@pytest.fixture
def fresh(tmp_path: Path) -> dict[str, Path]:
    folders = {name: tmp_path / name for name in ("home", "tmp", "work", "profile")}
    for folder in folders.values():
        folder.mkdir()
    return folders


def test_no_canary_survives_anywhere(fresh: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"HOME": str(fresh["home"]), "TMPDIR": str(fresh["tmp"]), "LITESTAR_DEBUG": "1"}
    docs = canary_documents(monkeypatch)
    with running_service(fresh["work"], env=env) as service:
        sweep = Sweep(service)
        feed_every_route(sweep, docs)
        extension = scan_in_the_extension(service, fresh["profile"])
    log = service.log_text()
    records = [line for line in log.splitlines() if line.strip()]

    print(
        f"\ncanary sweep: {sweep.requests} requests + an extension scan; 0 canary hits in {len(records)} log "
        f"lines, {len(sweep.errors)} error bodies, {len(sweep.headers)} header sets"
    )
    record(
        "canary-sweep",
        {"requests": sweep.requests, "log_lines": len(records), "error_bodies": len(sweep.errors),
         "canary_hits": len(canaries.found_in(log)) + sum(len(canaries.found_in(b)) for b in sweep.errors)},
    )  # fmt: skip
    assert extension["report"]["findings"], "the extension scanned the canary page"
    assert extension["scans_after_forgery"] == 0
    assert set(extension["forged"]["results"]) == {"no runtime"}
    assert not canaries.found_in(json.dumps(extension["stored"]))
    assert not canaries.found_in(log)
    assert not [body for body in sweep.errors if canaries.found_in(body)]
    assert not [headers for headers in sweep.headers if canaries.found_in(headers)]
    leftovers = files_under(fresh["home"], fresh["tmp"])
    assert leftovers == []
    assert [p.name for p in files_under(fresh["work"])] == [service.log_path.name]
    stores = [fresh["profile"] / "Default" / store for store in EXTENSION_STORES]
    stored = files_under(*[store for store in stores if store.exists()])
    assert stored, "the extension's settings are on disk: the search below looked at something"
    assert canaries.MARK.encode() not in b"".join(p.read_bytes() for p in stored)
