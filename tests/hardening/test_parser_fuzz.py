"""Parser fuzzing through ``POST /v1/scan/document``: mutated PDFs, FHIR, text and CSV.

Each seed document is a real EOB rendering full of canary identifiers. Mutations truncate it, flip
bits, blow numbers up, nest JSON deeply, swap characters for look-alikes, and repeat rows; every
mutant must end in a result or a clear 4xx problem document, within its time limit, without
quoting the document; and the service must still read a good document afterwards.
"""

from __future__ import annotations

import json
import random
import re
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient

from scanner.ingest import DocumentLimits
from tests.hardening import canaries
from tests.hardening.conftest import AUTH, BASE, make_app
from tests.ingest import documents, statements

PDF_TIMEOUT_S = 4.0
FHIR_EXAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "data" / "fhir" / "carin-bb-2.0.0"
ROUTE = "/v1/scan/document"
CLEAR = {200, 400, 413, 415, 422}

Client = TestClient[Litestar]


def _case() -> documents.Case:
    claim = documents.make_claim(random.Random(11), canaries.CLAIM_NUMBER, canaries.PROVIDER, 6)
    return documents.Case("fuzz", f"Plan of {canaries.NAME}", [claim])


def _fhir() -> bytes:
    fhir = json.loads((FHIR_EXAMPLE / "ExplanationOfBenefit-EOBProfessional1.json").read_bytes())
    fhir["identifier"][0]["value"] = canaries.CLAIM_NUMBER
    fhir["patient"] = {"reference": f"Patient/{canaries.MEMBER_ID}", "display": canaries.NAME}
    return json.dumps(fhir, indent=1).encode()


SEEDS: dict[str, Callable[[], bytes]] = {
    "pdf": lambda: documents.generic_table(_case()),
    "text": lambda: documents.text_table(_case()).encode(),
    "csv": lambda: documents.csv_export(_case()).encode(),
    "fhir": _fhir,
}
NAMES = {"pdf": "eob.pdf", "text": "eob.txt", "csv": "claims.csv", "fhir": "eob.json"}
LOOK_ALIKES = {
    "0": "\uff10", "1": "\u0661", "5": "\u0665", "$": "\uff04", "-": "\u2212", ".": "\u2024",
    ",": "\u201a", "a": "\u0430", "e": "\u0435", "o": "\u043e", "A": "\u0391", " ": "\u00a0",
}  # fmt: skip
_NUMBER = re.compile(rb"\d+(?:\.\d+)?")
_AMOUNT = re.compile(rb"\d[\d,]*\.\d\d\b")


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(0, len(data))]


def flip_bits(data: bytes, rng: random.Random) -> bytes:
    mutable = bytearray(data)
    for _ in range(rng.randrange(1, 64)):
        mutable[rng.randrange(len(mutable))] ^= 1 << rng.randrange(8)
    return bytes(mutable)


def huge_numbers(data: bytes, rng: random.Random) -> bytes:
    digits = rng.choice([31, 400, 5000])
    return _NUMBER.sub(lambda m: b"9" * digits if rng.random() < 0.3 else m.group(), data)


def look_alikes(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("latin-1")
    swapped = "".join(LOOK_ALIKES.get(ch, ch) if rng.random() < 0.2 else ch for ch in text)
    return swapped.encode("utf-8")


def repeat_rows(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    at = rng.randrange(len(lines))
    return b"".join(lines[:at] + [lines[at]] * rng.choice([50, 2000]) + lines[at:])


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([100, 5000, 100_000])
    if rng.random() < 0.5:
        return b"[" * depth + data + b"]" * depth
    return data.replace(b'"item": [', b'"item": ' + b"[" * depth, 1) + b"]" * depth


def bytes_noise(data: bytes, rng: random.Random) -> bytes:
    noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2048)))
    at = rng.randrange(len(data))
    return data[:at] + noise + data[at:]


MUTATIONS: dict[str, list[Callable[[bytes, random.Random], bytes]]] = {
    "pdf": [truncate, flip_bits, huge_numbers, bytes_noise, repeat_rows],
    "text": [truncate, flip_bits, huge_numbers, look_alikes, repeat_rows, bytes_noise],
    "csv": [truncate, flip_bits, huge_numbers, look_alikes, repeat_rows, bytes_noise],
    "fhir": [truncate, flip_bits, huge_numbers, look_alikes, deep_nesting, bytes_noise],
}
EXAMPLES = {"pdf": 25, "text": 40, "csv": 40, "fhir": 50}


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    app = make_app()
    app.state.document_limits = DocumentLimits(timeout_s=PDF_TIMEOUT_S)
    with TestClient(app, base_url=BASE, timeout=60) as test_client:
        yield test_client


def post(client: Client, kind: str, data: bytes) -> tuple[int, str, float]:
    start = time.monotonic()
    response = client.post(
        ROUTE, headers=AUTH, files={"file": (NAMES[kind], data, "application/octet-stream")}
    )
    return response.status_code, response.text, time.monotonic() - start


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_every_mutant_ends_in_a_result_or_a_clear_4xx_in_time(client: Client, kind: str) -> None:
    seed = SEEDS[kind]()
    status, _, _ = post(client, kind, seed)
    assert status == 200, "the unmutated seed is readable"
    limit = PDF_TIMEOUT_S + 3 if kind == "pdf" else 3.0
    outcomes: dict[int, int] = {}

    @settings(max_examples=EXAMPLES[kind], deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(mutation=st.sampled_from(MUTATIONS[kind]), salt=st.integers(0, 2**32))
    def fuzz(mutation: Callable[[bytes, random.Random], bytes], salt: int) -> None:
        mutant = mutation(seed, random.Random(salt))
        status, text, seconds = post(client, kind, mutant)
        outcomes[status] = outcomes.get(status, 0) + 1
        assert status in CLEAR, (mutation.__name__, status, text[:200])
        assert seconds < limit, (mutation.__name__, seconds)
        if status != 200:
            problem = json.loads(text)
            assert problem["status"] == status and problem["detail"]
            assert not canaries.found_in(text), (mutation.__name__, text[:200])

    fuzz()
    print(f"\n{kind}: {sum(outcomes.values())} mutants, statuses {dict(sorted(outcomes.items()))}")
    assert client.get("/healthz").status_code == 200
    assert post(client, kind, seed)[0] == 200


STATEMENT_MUTATIONS = {"pdf": MUTATIONS["pdf"], "text": MUTATIONS["text"]}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(STATEMENT_MUTATIONS))
def test_every_mutant_statement_ends_in_a_result_or_a_clear_4xx_in_time(client: Client, kind: str) -> None:
    """The provider's statement (``bill_file``) is a second document the route reads."""
    eob = documents.member_statement(statements.er_visit_eob())
    seed = canaries.statement(kind)

    def send(statement: bytes) -> tuple[int, str, float]:
        start = time.monotonic()
        files = {
            "file": ("eob.pdf", eob, "application/pdf"),
            "bill_file": (
                f"statement.{'pdf' if kind == 'pdf' else 'txt'}",
                statement,
                "application/octet-stream",
            ),
        }
        response = client.post(ROUTE, headers=AUTH, files=files)
        return response.status_code, response.text, time.monotonic() - start

    status, text, _ = send(seed)
    assert status == 200 and not canaries.found_in(text), "the seed is read, and nothing of the person"
    limit = 2 * PDF_TIMEOUT_S + 3  # two PDFs are read

    @settings(max_examples=20, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(mutation=st.sampled_from(STATEMENT_MUTATIONS[kind]), salt=st.integers(0, 2**32))
    def fuzz(mutation: Callable[[bytes, random.Random], bytes], salt: int) -> None:
        status, text, seconds = send(mutation(seed, random.Random(salt)))
        assert status in CLEAR, (mutation.__name__, status, text[:200])
        assert seconds < limit, (mutation.__name__, seconds)
        assert not canaries.found_in(text), (mutation.__name__, text[:200])
        if status != 200:
            problem = json.loads(text)
            assert problem["status"] == status and problem["detail"]

    fuzz()
    assert client.get("/healthz").status_code == 200


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF of these numbered objects (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def circular_xobjects() -> bytes:
    """Two form XObjects that draw each other (pdfminer issue 1113)."""
    form = (
        b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X 5 0 R /Y 6 0 R >> >>"
    )
    return pdf_of(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /XObject << /X 5 0 R >> >> >>",
            _stream(b"/X Do"),
            _stream(b"/Y Do", form),
            _stream(b"/X Do", form),
        ]
    )


def recursive_pages() -> bytes:
    """A page tree whose /Kids contain the tree itself."""
    return pdf_of(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _stream(b"BT /F1 12 Tf 72 720 Td (" + canaries.NAME.encode() + b") Tj ET"),
        ]
    )


def truncated_flate(size: int = 3 * 1024 * 1024) -> bytes:
    """A page whose Flate stream stops half way (pdfminer retries it byte by byte, issue 1163)."""
    noise = random.Random(3).randbytes(size)
    compressed = zlib.compress(noise, 1)[: size // 2]
    return pdf_of(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _stream(compressed, b"/Filter /FlateDecode"),
        ]
    )


@pytest.mark.parametrize("make", [circular_xobjects, recursive_pages, truncated_flate])
def test_structurally_hostile_pdfs_are_refused_in_time_and_the_service_goes_on(
    client: Client, make: Callable[[], bytes]
) -> None:
    status, text, seconds = post(client, "pdf", make())
    print(f"\n{make.__name__}: {status} in {seconds:.1f} s")
    assert status in CLEAR
    assert seconds < PDF_TIMEOUT_S + 3
    if status != 200:
        assert json.loads(text)["status"] == status and not canaries.found_in(text)
    assert client.get("/healthz").status_code == 200
    assert post(client, "pdf", SEEDS["pdf"]())[0] == 200


@pytest.mark.parametrize("kind", ["text", "csv", "fhir"])
def test_amounts_thousands_of_digits_long_are_refused_not_crashed_on(client: Client, kind: str) -> None:
    mutant = _AMOUNT.sub(b"9" * 5000 + b".00", SEEDS[kind]())
    status, text, _ = post(client, kind, mutant)
    assert status in CLEAR, text[:200]
    assert status == 200 or not canaries.found_in(text)


@pytest.mark.parametrize("kind", ["text", "csv", "fhir"])
def test_bytes_that_are_not_utf8_inside_a_name_are_refused_not_crashed_on(client: Client, kind: str) -> None:
    seed = SEEDS[kind]()
    inside = seed.index(b"ZZCANARY") + 2
    status, text, _ = post(client, kind, seed[:inside] + b"\xff\xfe\xba" + seed[inside:])
    assert status in CLEAR, text[:200]
    assert status == 200 or not canaries.found_in(text)
