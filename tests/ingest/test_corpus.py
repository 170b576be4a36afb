"""The labelled corpus: every public FHIR example plus generated PDFs, texts and CSVs.

Each document is parsed through :func:`scanner.ingest.read_document` (type detected by content)
and compared field by field with its labels. The test prints the accuracy per layout and requires
every amount to be right.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pytest

from scanner.ingest import read_document
from scanner.model import Claim
from scanner.money import parse_money

from . import documents as docs
from .fhir_labels import EXAMPLES
from .helpers import FHIR_DATA

Truth = list[tuple[str | None, list[dict[str, object]]]]


@dataclass
class Labelled:
    name: str
    data: Callable[[], bytes]
    filename: str
    # Per claim: claim number (or None) and per line {field: cents or text}.
    truth: Callable[[], Truth]


def _generated_truth(case: docs.Case, fields: tuple[str, ...], dated: bool = True) -> Callable[[], Truth]:
    def truth() -> Truth:
        out: Truth = []
        for claim in case.claims:
            lines = []
            for line in claim.lines:
                expected: dict[str, object] = {f: line.amount(f) for f in fields}
                expected["code"] = line.code
                if dated:
                    expected["service_date"] = line.date
                lines.append(expected)
            out.append((claim.number, lines))
        return out

    return truth


def _fhir_truth(name: str) -> Callable[[], Truth]:
    def truth() -> Truth:
        _, count, lines, _ = EXAMPLES[name]
        expected: list[dict[str, object]] = [
            {f: parse_money(v) for f, v in lines.get(str(n), {}).items()} for n in range(1, count + 1)
        ]
        return [(None, expected)]

    return truth


def _case(seed: int, claims: int, lines: int) -> docs.Case:
    rng = random.Random(seed)
    made = [
        docs.make_claim(
            rng,
            f"EOB-2025-{seed:03d}{n:03d}",
            ("Lakeside Family Clinic", "Riverbend Anesthesia Associates", "Northside Imaging Center")[n % 3],
            lines + n,
            ("In-Network", "Out-of-Network")[n % 2],
            denied_every=3 if n % 2 else 0,
        )
        for n in range(claims)
    ]
    return docs.Case(f"seed-{seed}", "Example Mutual Health", made)


def _corpus() -> list[Labelled]:
    corpus = [
        Labelled(
            f"fhir:{name}",
            partial((FHIR_DATA / name).read_bytes),
            name.rsplit("/", 1)[-1],
            _fhir_truth(name),
        )
        for name in sorted(EXAMPLES)
    ]
    summary_fields = tuple(f for f in docs.ALL_AMOUNTS if f != "not_covered")
    msn_fields = ("billed", "allowed", "plan_paid", "patient_responsibility")
    generated: list[tuple[str, docs.Case, Callable[[docs.Case], bytes], tuple[str, ...], str, bool]] = []
    for seed in (101, 102):
        one = _case(seed, 1, 6)
        generated.append((f"statement-{seed}", one, docs.member_statement, docs.ALL_AMOUNTS, "eob.pdf", True))
    generated += [
        (
            "statement-5-pages",
            _case(103, 1, 120),
            lambda c: docs.member_statement(c, rows_per_page=25),
            docs.ALL_AMOUNTS,
            "eob.pdf",
            True,
        ),
        (
            "statement-watermark",
            _case(104, 1, 5),
            lambda c: docs.member_statement(c, watermark="SAMPLE"),
            docs.ALL_AMOUNTS,
            "eob.pdf",
            True,
        ),
        (
            "statement-superscripts",
            _case(105, 1, 5),
            lambda c: docs.member_statement(c, footnotes={(0, "plan_paid"): "1", (3, "billed"): "2"}),
            docs.ALL_AMOUNTS,
            "eob.pdf",
            True,
        ),
        ("summary-201", _case(201, 3, 3), docs.claims_summary, summary_fields, "summary.pdf", True),
        (
            "summary-lines-203",
            _case(203, 3, 2),
            lambda c: docs.summary_blocks(c, summary="plain"),
            docs.ALL_AMOUNTS,
            "claims.pdf",
            True,
        ),
        ("summary-202", _case(202, 2, 4), docs.claims_summary, summary_fields, "summary.pdf", True),
        ("msn-301", _case(301, 2, 3), docs.medicare_summary_notice, msn_fields, "msn.pdf", False),
        ("msn-302", _case(302, 3, 2), docs.medicare_summary_notice, msn_fields, "msn.pdf", False),
        ("generic-401", _case(401, 2, 3), docs.generic_table, msn_fields, "claims.pdf", True),
        (
            "generic-rotated",
            _case(402, 2, 3),
            lambda c: docs.generic_table(c, rotate=True, watermark="COPY"),
            msn_fields,
            "claims.pdf",
            True,
        ),
        (
            "text-labels-501",
            _case(501, 2, 3),
            lambda c: docs.text_labels(c).encode(),
            docs.LABEL_FIELDS,
            "eob.txt",
            True,
        ),
        (
            "text-labels-502",
            _case(502, 1, 4),
            lambda c: docs.text_labels(c).encode(),
            docs.LABEL_FIELDS,
            "eob.txt",
            True,
        ),
        (
            "text-table-503",
            _case(503, 2, 3),
            lambda c: docs.text_table(c).encode(),
            docs.TEXT_TABLE_FIELDS,
            "eob.txt",
            True,
        ),
        (
            "text-table-tabs-504",
            _case(504, 1, 5),
            lambda c: docs.text_table(c, separator="\t").encode(),
            docs.TEXT_TABLE_FIELDS,
            "eob.txt",
            True,
        ),
        (
            "csv-601",
            _case(601, 3, 3),
            lambda c: docs.csv_export(c).encode(),
            docs.CSV_FIELDS,
            "claims.csv",
            True,
        ),
        (
            "csv-tabs-602",
            _case(602, 2, 2),
            lambda c: docs.csv_export(c, delimiter="\t").encode(),
            docs.CSV_FIELDS,
            "claims.tsv",
            True,
        ),
    ]
    for name, case, render, fields, filename, dated in generated:
        corpus.append(
            Labelled(
                name,
                partial(render, case),
                filename,
                _generated_truth(case, fields, dated),
            )
        )
    return corpus


CORPUS = _corpus()


@dataclass
class Tally:
    documents: int = 0
    compared: int = 0
    correct: int = 0
    amounts_compared: int = 0
    amounts_correct: int = 0


def _compare(
    claims: list[Claim],
    truth: Truth,
    tally: Tally,
    wrong: list[str],
    name: str,
) -> None:
    numbers = [number for number, _ in truth if number is not None]
    tally.compared += 1
    if [c.claim_number for c in claims][: len(numbers)] == numbers or not numbers:
        tally.correct += 1
    else:
        wrong.append(f"{name}: claim numbers")
    for index, (_, lines) in enumerate(truth):
        claim = claims[index] if index < len(claims) else None
        tally.compared += 1
        if claim is not None and len(claim.lines) == len(lines):
            tally.correct += 1
        else:
            wrong.append(f"{name}: claim {index + 1} line count")
            continue
        for line, expected in zip(claim.lines, lines, strict=True):
            for field, value in expected.items():
                actual = getattr(line, field)
                is_amount = field not in ("code", "service_date")
                tally.compared += 1
                tally.amounts_compared += is_amount
                if actual == value:
                    tally.correct += 1
                    tally.amounts_correct += is_amount
                else:
                    wrong.append(f"{name}: claim {index + 1} line {line.id} {field}")


def test_the_corpus_has_at_least_25_documents_of_every_kind() -> None:
    assert len(CORPUS) >= 25
    kinds = {doc.name.split(":")[0].split("-")[0] for doc in CORPUS}
    assert {"fhir", "statement", "summary", "msn", "generic", "text", "csv"} <= kinds


def test_every_amount_of_the_corpus_is_read_correctly(capsys: pytest.CaptureFixture[str]) -> None:
    tallies: dict[str, Tally] = defaultdict(Tally)
    wrong: list[str] = []
    for doc in CORPUS:
        document = read_document(doc.data(), doc.filename)
        tally = tallies[document.parser]
        tally.documents += 1
        _compare(document.claims, doc.truth(), tally, wrong, doc.name)
    rows = [
        "| layout | documents | fields checked | field accuracy | amounts checked | amount accuracy |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for layout, tally in sorted(tallies.items()):
        fields = 100 * tally.correct / tally.compared
        amounts = 100 * tally.amounts_correct / max(tally.amounts_compared, 1)
        rows.append(
            f"| {layout} | {tally.documents} | {tally.compared} | {fields:.1f}% "
            f"| {tally.amounts_compared} | {amounts:.1f}% |"
        )
    with capsys.disabled():
        print("\nField accuracy per layout (labelled corpus):\n" + "\n".join(rows))
    assert wrong == []
    assert sum(t.documents for t in tallies.values()) == len(CORPUS)
    assert set(tallies) >= {
        "fhir-carin-bb",
        "pdf-member-statement",
        "pdf-claims-summary",
        "pdf-medicare-msn",
        "pdf-generic-table",
        "text",
        "csv",
    }
