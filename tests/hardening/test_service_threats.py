"""The service rows of the threat catalogue (SVC-02 to SVC-11), request by request, in process.

Hostile requests carry canary health data; no answer may quote it, and a request refused by the
security guard must never reach a check (a counting check proves it).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from scanner.checks import CheckContext
from scanner.model import Claim, Finding
from scanner.plugins import Registry
from tests.hardening import canaries
from tests.hardening.conftest import AUTH, BASE, JSON, PORT, TOKEN, builtin_registry, make_app

PROBLEM = "application/problem+json"


class CountingCheck:
    """Counts the scans that reached the checks."""

    name = "counter"
    version = "1.0"
    rules: Sequence[object] = ()

    def __init__(self) -> None:
        self.calls = 0

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        self.calls += 1
        return []


@pytest.fixture
def counter() -> CountingCheck:
    return CountingCheck()


@pytest.fixture
def guarded(counter: CountingCheck) -> Iterator[TestClient[Litestar]]:
    base = builtin_registry()
    registry = Registry(
        checks=[*base.checks, counter], parsers=base.parsers, plugins=base.plugins, rules=base.rules
    )
    with TestClient(make_app(registry), base_url=BASE) as client:
        yield client


def assert_problem(response: object, status: int) -> None:
    text = response.text  # type: ignore[attr-defined]
    assert response.status_code == status, text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith(PROBLEM)  # type: ignore[attr-defined]
    assert not canaries.found_in(text) and "Traceback" not in text and "/work/" not in text
    assert json.loads(text)["status"] == status


# --- SVC-02: Host header (DNS rebinding) -------------------------------------------------------

HOSTILE_HOSTS = [
    "evil.example",
    f"evil.example:{PORT}",
    f"127.0.0.1.evil.example:{PORT}",
    f"localhost.evil.example:{PORT}",
    "127.0.0.1",
    f"127.0.0.1:{PORT + 1}",
    f"127.0.0.2:{PORT}",
    f"0.0.0.0:{PORT}",
    f"LOCALHOST:{PORT}",
    f"[::ffff:127.0.0.1]:{PORT}",
    f"127.0.0.1:{PORT} ",
    f"{canaries.MEMBER_ID}:{PORT}",
    "",
]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_svc02_a_host_outside_the_allowlist_is_refused_before_routing(
    guarded: TestClient[Litestar], counter: CountingCheck, host: str
) -> None:
    response = guarded.post("/v1/scan", content=canaries.scan_body(), headers={**AUTH, **JSON, "Host": host})
    assert_problem(response, 400)
    assert guarded.get("/healthz", headers={"Host": host}).status_code == 400
    assert counter.calls == 0


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}"])
def test_svc02_both_loopback_names_with_the_port_are_accepted(
    guarded: TestClient[Litestar], host: str
) -> None:
    response = guarded.post("/v1/scan", content=canaries.scan_body(), headers={**AUTH, **JSON, "Host": host})
    assert response.status_code == 200


# --- SVC-03: cross-site requests ----------------------------------------------------------------

CROSS_SITE = [
    ({"Content-Type": "text/plain"}, None),
    ({"Content-Type": "text/plain;charset=UTF-8"}, "https://evil.example"),
    ({"Content-Type": "application/x-www-form-urlencoded"}, None),
    ({"Content-Type": "multipart/form-data; boundary=x"}, None),
    ({}, None),
    (JSON, "null"),
    (JSON, "https://evil.example"),
    (JSON, f"http://127.0.0.1:{PORT}.evil.example"),
    (JSON, "chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh"),
    (JSON, f"http://localhost:{PORT + 1}"),
]


@pytest.mark.parametrize(("headers", "origin"), CROSS_SITE)
def test_svc03_a_cross_site_post_is_refused_before_its_body_is_read(
    guarded: TestClient[Litestar], counter: CountingCheck, headers: dict[str, str], origin: str | None
) -> None:
    sent = {**AUTH, **headers, **({"Origin": origin} if origin else {})}
    response = guarded.post("/v1/scan", content=canaries.scan_body(), headers=sent)
    assert response.status_code in (403, 415)
    assert_problem(response, response.status_code)
    assert counter.calls == 0


def test_svc03_a_foreign_origin_cannot_upload_a_document_either(guarded: TestClient[Litestar]) -> None:
    files = {"file": ("eob.txt", canaries.NAME.encode(), "text/plain")}
    response = guarded.post(
        "/v1/scan/document", files=files, headers={**AUTH, "Origin": "https://evil.example"}
    )
    assert_problem(response, 403)


def test_svc03_the_services_own_page_may_call_it(
    guarded: TestClient[Litestar], counter: CountingCheck
) -> None:
    headers = {**AUTH, **JSON, "Origin": f"http://127.0.0.1:{PORT}"}
    assert guarded.post("/v1/scan", content=canaries.scan_body(), headers=headers).status_code == 200
    assert counter.calls == 1


# --- SVC-04: CORS never opens the API to another origin -----------------------------------------


@pytest.mark.parametrize("origin", ["https://evil.example", "null", f"http://localhost:{PORT + 1}"])
def test_svc04_a_preflight_from_another_origin_is_refused_without_cors_headers(
    guarded: TestClient[Litestar], origin: str
) -> None:
    response = guarded.options(
        "/v1/scan",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, x-anything",
        },
    )
    assert response.status_code == 403
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]


def test_svc04_no_answer_ever_allows_any_origin_or_credentials(guarded: TestClient[Litestar]) -> None:
    answers = [
        guarded.get("/healthz", headers={"Origin": "https://evil.example"}),
        guarded.get("/healthz"),
        guarded.get("/v1/checks", headers=AUTH),
        guarded.post("/v1/scan", content=canaries.scan_body(), headers={**AUTH, **JSON}),
        guarded.get("/schema/openapi.json"),
    ]
    for answer in answers:
        assert answer.headers.get("access-control-allow-origin") in (None, f"http://127.0.0.1:{PORT}")
        assert "access-control-allow-credentials" not in answer.headers


# --- SVC-05: the token ---------------------------------------------------------------------------

BAD_AUTHORIZATIONS = [
    None,
    "",
    "Bearer",
    "Bearer ",
    f"bearer {TOKEN}",
    f"BEARER {TOKEN}",
    f"Bearer  {TOKEN}",
    f"Bearer {TOKEN} ",
    f"Bearer {TOKEN[:-1]}",
    f"Bearer {TOKEN}x",
    f"Basic {TOKEN}",
    TOKEN,
    "Bearer " + "A" * 10_000,
    "Bearer tok\u00e9n-\u00ff",
    f"Bearer {canaries.TOKEN}",
]


def test_svc05_every_wrong_token_gets_the_same_401(
    guarded: TestClient[Litestar], counter: CountingCheck
) -> None:
    bodies = set()
    for authorization in BAD_AUTHORIZATIONS:
        headers = [(b"content-type", b"application/json")]
        if authorization is not None:
            headers.append((b"authorization", authorization.encode("latin-1")))
        response = guarded.post("/v1/scan", content=canaries.scan_body(), headers=headers)
        assert_problem(response, 401)
        assert canaries.TOKEN not in response.text and TOKEN not in response.text
        bodies.add(response.text)
    assert len(bodies) == 1
    assert counter.calls == 0


# --- SVC-06: sizes -------------------------------------------------------------------------------


def test_svc06_a_body_over_the_limit_is_refused_by_its_length(guarded: TestClient[Litestar]) -> None:
    big = b'{"claims": [{"id": "' + b"x" * (3 * 1024 * 1024) + b'"}]}'
    assert_problem(guarded.post("/v1/scan", content=big, headers={**AUTH, **JSON}), 413)


def test_svc06_a_chunked_body_over_the_limit_is_refused_while_streaming(
    guarded: TestClient[Litestar],
) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"claims": [{"id": "'
        for _ in range(64):
            sent += 64 * 1024
            yield b"x" * (64 * 1024)
        yield b'"}]}'

    response = guarded.post("/v1/scan", content=chunks(), headers={**AUTH, **JSON})
    assert_problem(response, 413)


def test_svc06_a_form_with_two_thousand_parts_is_refused(guarded: TestClient[Litestar]) -> None:
    boundary = "b0undary"
    part = f'--{boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\n{canaries.NAME}\r\n'
    body = (part * 2000 + f"--{boundary}--\r\n").encode()
    headers = {**AUTH, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    response = guarded.post("/v1/scan/document", content=body, headers=headers)
    assert response.status_code in (400, 413)
    assert_problem(response, response.status_code)


def test_svc06_more_claims_or_lines_than_allowed_is_413(guarded: TestClient[Litestar]) -> None:
    claims = [{"id": f"c{i}"} for i in range(501)]
    response = guarded.post("/v1/scan", content=json.dumps({"claims": claims}), headers={**AUTH, **JSON})
    assert_problem(response, 413)
    lines = [{"id": str(i)} for i in range(5001)]
    response = guarded.post(
        "/v1/scan", content=json.dumps({"claims": [{"id": "c", "lines": lines}]}), headers={**AUTH, **JSON}
    )
    assert_problem(response, 413)


# --- SVC-07: content types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("eob.pdf", b"<html><body>" + canaries.NAME.encode() + b"</body></html>"),
        ("eob.pdf", b"PK\x03\x04" + canaries.MEMBER_ID.encode()),
        ("eob.pdf", b"\x89PNG\r\n\x1a\n" + canaries.MEMBER_ID.encode()),
        ("eob.pdf", b""),
        ("eob.pdf", b"%PDF-1.7\n" + canaries.NAME.encode() * 20),
    ],
)
def test_svc07_a_document_that_is_not_what_it_claims_is_refused_without_quoting_it(
    guarded: TestClient[Litestar], name: str, data: bytes
) -> None:
    response = guarded.post(
        "/v1/scan/document", files={"file": (name, data, "application/pdf")}, headers=AUTH
    )
    assert response.status_code in (400, 415, 422)
    assert_problem(response, response.status_code)


# --- SVC-08: malformed JSON ------------------------------------------------------------------------

VALID = canaries.scan_request()


def _with(path: str, value: object) -> bytes:
    """The canary request with one value replaced (``path`` like ``claims.0.lines.0.billed``)."""
    document = json.loads(json.dumps(VALID))
    target = document
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    target[keys[-1]] = value
    return json.dumps(document).encode()


MALFORMED: list[tuple[str, bytes]] = [
    ("truncated", canaries.scan_body()[:-7]),
    ("invalid utf-8", canaries.scan_body().replace(b"Office", b"Off\xff\xfece")),
    ("byte order mark", b"\xef\xbb\xbf" + canaries.scan_body()),
    ("NaN literal", canaries.scan_body().replace(b'"240.00"', b"NaN")),
    ("Infinity literal", canaries.scan_body().replace(b'"240.00"', b"Infinity")),
    ("depth 65", b'{"claims": ' + b"[" * 65 + b"]" * 65 + b"}"),
    ("depth 50,000", b"[" * 50_000 + b"]" * 50_000),
    ("object depth 10,000", b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
    (
        "100,000-digit number",
        _with("claims.0.lines.0.billed", 0).replace(b'"billed": 0', b'"billed": ' + b"9" * 100_000),
    ),
    ("30-digit amount", _with("claims.0.lines.0.billed", 10**29)),
    ("amount with three decimals", _with("claims.0.lines.0.billed", "240.005")),
    ("amount as a float with exponent", _with("claims.0.lines.0.billed", 1e300)),
    ("enum holding a name", _with("claims.0.status", canaries.NAME)),
    ("network holding a member id", _with("claims.0.lines.0.network", canaries.MEMBER_ID)),
    ("date holding a birth date", _with("claims.0.service_start", canaries.BIRTH_DATE)),
    ("amount holding an address", _with("claims.0.lines.0.billed", canaries.ADDRESS)),
    ("copay kind holding a name", _with("claims.0.lines.0.copay", {canaries.NAME: 1})),
    ("wrong type", _with("claims.0.lines", canaries.CLAIM_NUMBER)),
    ("unknown field", _with("claims.0.patient_name", canaries.NAME)),
    ("negative units", _with("claims.0.lines.0.units", -1)),
    ("empty claim id", _with("claims.0.id", "")),
    ("no claims", b'{"claims": []}'),
    ("not an object", json.dumps([canaries.NAME]).encode()),
    ("empty body", b""),
    ("a lone string", json.dumps(canaries.NAME).encode()),
]


@pytest.mark.parametrize(("case", "body"), MALFORMED, ids=[case for case, _ in MALFORMED])
def test_svc08_malformed_json_is_a_400_that_names_the_place_never_the_value(
    guarded: TestClient[Litestar], counter: CountingCheck, case: str, body: bytes
) -> None:
    start = time.perf_counter()
    response = guarded.post("/v1/scan", content=body, headers={**AUTH, **JSON})
    elapsed = time.perf_counter() - start
    assert response.status_code in (400, 413), case
    assert_problem(response, response.status_code)
    assert json.loads(response.text)["detail"].startswith("$") or response.status_code == 413
    assert counter.calls == 0
    assert elapsed < 2.0


def test_svc08_duplicate_keys_keep_the_last_value_like_the_browser_that_sent_them(
    guarded: TestClient[Litestar],
) -> None:
    body = canaries.scan_body().replace(
        b'"patient_responsibility": "60.00"',
        b'"patient_responsibility": "999.00", "patient_responsibility": "60.00"',
    )
    duplicated = guarded.post("/v1/scan", content=body, headers={**AUTH, **JSON})
    plain = guarded.post("/v1/scan", content=canaries.scan_body(), headers={**AUTH, **JSON})
    assert duplicated.status_code == 200
    assert duplicated.json()["findings"] == plain.json()["findings"]


def test_svc08_a_huge_unit_count_is_scanned_without_failing(guarded: TestClient[Litestar]) -> None:
    response = guarded.post(
        "/v1/scan", content=_with("claims.0.lines.0.units", 10**30), headers={**AUTH, **JSON}
    )
    assert response.status_code == 200
    assert all(check["status"] == "ok" for check in response.json()["checks"])


# --- SVC-09: an unexpected exception ----------------------------------------------------------------


def test_svc09_an_unexpected_error_is_a_bare_500_even_in_litestar_debug_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError(f"member {canaries.MEMBER_ID} of {canaries.NAME} broke the scan")

    monkeypatch.setenv("LITESTAR_DEBUG", "1")
    monkeypatch.setattr("scanner.service.routes.scan", explode)
    with TestClient(make_app(), base_url=BASE) as client:
        response = client.post("/v1/scan", content=canaries.scan_body(), headers={**AUTH, **JSON})
    assert_problem(response, 500)
    assert "RuntimeError" not in response.text and "scan" not in json.loads(response.text)["detail"].lower()


# --- SVC-11: no third-party script in the service's origin ------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/schema",
        "/schema/swagger",
        "/schema/redoc",
        "/schema/rapidoc",
        "/schema/elements",
        "/schema/openapi.yaml",
    ],
)
def test_svc11_no_cdn_backed_schema_page_is_served(guarded: TestClient[Litestar], path: str) -> None:
    assert guarded.get(path).status_code == 404


def test_svc11_the_pages_the_service_serves_load_nothing_from_elsewhere(
    guarded: TestClient[Litestar],
) -> None:
    for path in ("/", "/docs", "/demo"):
        page = guarded.get(path)
        if page.status_code == 404:
            continue
        assert page.status_code == 200
        assert (
            '<script src="http' not in page.text and "//cdn" not in page.text and "unpkg.com" not in page.text
        )
