"""The extension's words are the document readers' words, and it reads them the same way.

``extension/content/vocabulary.js`` is generated from ``scanner/ingest/vocabulary.py`` and must
equal the generator's output. Then the extension's own ``columns.js`` and ``labels.js`` run under
Node (the system's, or the one Playwright ships) on a few thousand printed headers and labels: each
must give the field the Python readers give, so the two languages cannot drift apart in how they
match either.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scanner.extension_vocabulary import render
from scanner.ingest.assemble import field_of_label
from scanner.ingest.vocabulary import LINE_FIELDS, PRIVATE_FIELDS, header_field, normalise, synonym_table
from scanner.model import AMOUNT_FIELDS

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "extension" / "content"
VOCABULARY_JS = CONTENT / "vocabulary.js"
#: The content scripts the matching needs, in the order the extension loads them.
SCRIPTS = ["namespace.js", "text.js", "vocabulary.js", "columns.js", "labels.js"]

_RUNNER = """
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
for (const file of input.scripts) vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
const { columns, labels } = globalThis.__eobx;
process.stdout.write(JSON.stringify({
  words: input.texts.map((t) => columns.words(t)),
  columns: input.texts.map((t) => columns.fieldFor(t)),
  labels: input.texts.map((t) => labels.labelField(t)),
  extensionColumns: columns.EXTENSION_COLUMNS,
  extensionLabels: [...labels.EXTENSION_LABELS.keys()],
  labelNames: labels.LABELS,
}));
"""

#: Headers and labels the way portals print them, beyond the vocabulary's own phrases.
PRINTED = [
    "Amount you paid",
    "Service Approved?",
    "Date of svc",
    "Date(s) of Service:",
    "Plan's share",
    "Plan’s Share",
    "Provider’s name",
    "Amount paid by other insurance",
    "Plan paid / You owe",
    "Paid / You owe",
    "Copay/Coins",
    "Claim #",
    "Claim#:",
    "Claim No.",
    "Co-Pay",
    "Co-Ins.",
    "Other Ins. Paid",
    "Not Covered Amount*",
    "What You Owe**",
    "Your plan paid",
    "Billed Amount ($)",
    "Billed (see note)",
    "Allowed (See Note 2)",
    "Plan paid (see footnote)",
    "You owe (1)",
    "You owe (*)",
    "Remarks (see notes)",
    "(see note)",
    "Paid (by you)",
    "Remark Code(s)",
    "Days/Units",
    "In/Out of Network",
    "Rev Code",
    "Allowed & Paid",
    "Date of Birth",
    "DOB",
    "Member ID",
    "Patient",
    "Date",
    "Dates",
    "Status",
    "Claim status",
    "Type of service",
    "  Service\tdate ",
    "Service\u00a0date",
    "",
]


def node() -> str | None:
    """Node, or the copy Playwright (a test dependency) runs its driver with."""
    found = shutil.which("node")
    if found:
        return found
    try:
        import playwright
    except ImportError:
        return None
    bundled = Path(playwright.__file__).parent / "driver" / "node"
    return str(bundled) if bundled.is_file() else None


@cache
def in_extension(texts: tuple[str, ...]) -> dict[str, Any]:
    """What the extension's content scripts make of each text, read under Node."""
    executable = node()
    if executable is None:
        message = "Node is missing (it comes with Playwright: pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI proves the extension's matching; it never skips it
        pytest.skip(message)
    request = {"scripts": [str(CONTENT / name) for name in SCRIPTS], "texts": list(texts)}
    done = subprocess.run(
        [executable, "-e", _RUNNER], input=json.dumps(request), capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


def printings() -> tuple[str, ...]:
    """Every phrase of the vocabulary as portals print it, with words around it, plus PRINTED."""
    texts = set(PRINTED)
    for phrases in synonym_table().values():
        for phrase in phrases:
            for form in (phrase, phrase.title(), phrase.upper()):
                texts |= {form, f"{form}:", f"{form} ($)", f"{form}*", f"{form}?"}
                texts |= {f"{word} {form}" for word in ("Your", "Total", "Amount", "Plan", "Member")}
                texts |= {f"{form} {word}" for word in ("amount", "(see note)", "codes")}
    return tuple(sorted(texts))


def test_vocabulary_js_is_in_sync_with_the_python_vocabulary() -> None:
    assert VOCABULARY_JS.read_text() == render(), (
        "extension/content/vocabulary.js is out of date: run `make vocabulary` to regenerate it"
    )


def test_the_extension_splits_text_into_the_same_words() -> None:
    texts = printings()
    read = in_extension(texts)

    assert dict(zip(texts, read["words"], strict=True)) == {text: normalise(text) for text in texts}


def test_the_extension_reads_a_column_header_as_the_document_readers_do() -> None:
    """The service's readers give no line a status; the extension reads it as the line's status."""
    texts = printings()
    read = in_extension(texts)
    extension_only = {phrase for phrases in read["extensionColumns"].values() for phrase in phrases}

    def expected(text: str) -> str | None:
        field = header_field(text, LINE_FIELDS | {"status"})
        return "line_status" if field == "status" else field

    compared = [t for t in texts if not any(f" {p} " in f" {normalise(t)} " for p in extension_only)]
    assert len(compared) > 3000
    got = dict(zip(texts, read["columns"], strict=True))
    assert {t: got[t] for t in compared} == {t: expected(t) for t in compared}


def test_the_extension_reads_a_label_as_the_document_readers_do() -> None:
    texts = printings()
    read = in_extension(texts)
    names: dict[str, str] = read["labelNames"]
    assert not set(names) & PRIVATE_FIELDS, "a person's details are never read"

    compared = [t for t in texts if normalise(t) not in read["extensionLabels"]]
    got = dict(zip(texts, read["labels"], strict=True))
    assert {t: got[t] for t in compared} == {t: names.get(field_of_label(t) or "") for t in compared}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Modifier", "modifiers"),
        ("Mods", "modifiers"),
        ("Diagnosis code", "diagnoses"),
        ("ICD-10 codes", "diagnoses"),
        ("Dx", "diagnoses"),
        ("Line status", "line_status"),
        ("Codes", "remarks"),
    ],
)
def test_columns_only_the_extension_reads_are_named_by_its_own_words(header: str, field: str) -> None:
    [got] = in_extension((header,))["columns"]

    assert got == field


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Type", "claim_type"),
        ("Facility network status", "facility_network"),
        ("This plan paid as", "coverage_position"),
        ("Coordination of benefits", "coverage_position"),
        ("Provider’s name", "provider_name"),
        ("Date(s) of service", "service_dates"),
        ("Date", None),
        ("Patient name", None),
        ("Date of birth", None),
    ],
)
def test_labels_name_the_fields_claims_js_reads(label: str, field: str | None) -> None:
    [got] = in_extension((label,))["labels"]

    assert got == field


def test_the_service_worker_accepts_every_amount_field_of_the_wire_model() -> None:
    """``sw/schema.js`` checks the content scripts' lines against its own list of amounts: one
    the service knows and the worker does not would refuse every scan of a page that prints it."""
    source = (ROOT / "extension" / "sw" / "schema.js").read_text(encoding="utf-8")
    listed = re.search(r"const AMOUNT_FIELDS = \[(.*?)\];", source, re.S)
    assert listed is not None
    assert tuple(re.findall(r'"([a-z_]+)"', listed.group(1))) == AMOUNT_FIELDS
