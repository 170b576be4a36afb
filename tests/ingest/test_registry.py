"""Parsers are plugins: the built-ins register through the hook, and a third party can add a
document type or one insurer's PDF layout the same way. The type is chosen by content."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

import pytest

from scanner.ingest import DocumentError, read_document
from scanner.plugins import load_registry

from . import documents as docs
from .helpers import FHIR_DATA

CASE = docs.Case(
    "r",
    "Example Mutual Health",
    [docs.make_claim(random.Random(51), "EOB-2025-000701", "Lakeside Family Clinic", 2)],
)


def test_the_builtin_parsers_are_registered_through_the_hook() -> None:
    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    builtin = next(p for p in registry.plugins if p.name == "parsers")
    assert builtin.builtin
    assert builtin.parsers == [
        "fhir-carin-bb",
        "pdf",
        "csv",
        "text",
        "pdf-member-statement",
        "pdf-claims-summary",
        "pdf-medicare-msn",
        "pdf-generic-table",
        "pdf-labelled-text",
    ]


@pytest.mark.parametrize(
    ("make", "name", "kind"),
    [
        (
            lambda: (FHIR_DATA / "carin-bb-2.0.0/ExplanationOfBenefit-EOBOral1.json").read_bytes(),
            "upload.bin",
            "fhir",
        ),
        (lambda: docs.generic_table(CASE), "upload.txt", "pdf"),
        (lambda: docs.csv_export(CASE).encode(), "upload.pdf", "csv"),
        (lambda: docs.text_labels(CASE).encode(), "upload.csv", "text"),
        (lambda: docs.text_table(CASE).encode(), None, "text"),
    ],
    ids=["fhir", "pdf", "csv", "text-labels", "text-table"],
)
def test_the_type_is_detected_by_content_whatever_the_name(
    make: Callable[[], bytes], name: str | None, kind: str
) -> None:
    document = read_document(make(), name)
    assert document.kind == kind
    assert document.claims


def test_ndjson_is_detected_as_fhir() -> None:
    eob = json.loads((FHIR_DATA / "carin-bb-2.0.0/ExplanationOfBenefit-EOBOral1.json").read_bytes())
    data = (json.dumps(eob) + "\n" + json.dumps(eob) + "\n").encode()
    assert [d.kind for d in [read_document(data, "export.ndjson")]] == ["fhir"]


def test_an_unknown_document_is_a_415_that_lists_what_is_accepted() -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(b"GIF89a" + bytes(64), "picture.gif")
    assert (caught.value.status, caught.value.code) == (415, "unsupported_document")
    assert str(caught.value).startswith("The document is not a supported type: send a PDF, FHIR JSON")


PLUGIN = """
from scanner import hookimpl
from scanner.ingest import Parser, ParsedDocument
from scanner.ingest.pdf_layouts import TableLayout
from scanner.model import Claim, ServiceLine


class AcmeExport(Parser):
    name = "acme-export"
    kind = "text"

    def sniff(self, data, filename):
        return 0.9 if data.startswith(b"ACME-EOB") else 0.0

    def parse(self, data, context):
        billed = int(data.split()[1])
        claim = Claim(id="acme-1", lines=[ServiceLine(id="1", billed=billed)])
        return ParsedDocument(claims=[claim], kind="text")


class BrokenSniffer(Parser):
    name = "broken"

    def sniff(self, data, filename):
        raise RuntimeError("a bug in a plugin")


class AcmeLayout(TableLayout):
    name = "pdf-acme-health"
    signature = ("example mutual health",)

    def match(self, text):
        return 0.95 if super().match(text) else 0.0


@hookimpl
def eobscan_register_parsers(register):
    register(AcmeExport())
    register(BrokenSniffer())
    register(AcmeLayout())
"""


def test_a_third_party_parser_and_pdf_layout_plug_in_through_the_same_hook(
    fake_distribution: Callable[..., None],
) -> None:
    fake_distribution("acme-parsers", "1.2", {"acme": "acme_parsers"}, {"acme_parsers": PLUGIN})
    registry = load_registry({"EOBSCAN_PLUGINS": "acme"})
    acme = next(p for p in registry.plugins if p.name == "acme")
    assert (acme.builtin, acme.parsers) == (False, ["acme-export", "broken", "pdf-acme-health"])
    custom = read_document(b"ACME-EOB 12345", None, registry=registry)
    assert (custom.parser, custom.claims[0].lines[0].billed) == ("acme-export", 12345)
    # The broken sniffer costs nothing but itself; the PDF goes to the plugin's layout.
    pdf = read_document(docs.generic_table(CASE), "x.pdf", registry=registry)
    assert pdf.parser == "pdf-acme-health"
    assert pdf.claims[0].lines[0].billed == CASE.claims[0].lines[0].billed


FAILING_LAYOUT = """
from scanner import hookimpl
from scanner.ingest.pdf_layouts import PdfLayout


class Failing(PdfLayout):
    name = "pdf-failing"

    def match(self, text):
        return 1.0

    def read(self, text):
        raise KeyError("Rowan Testwell")


@hookimpl
def eobscan_register_parsers(register):
    register(Failing())
"""


def test_a_failing_layout_plugin_falls_back_to_the_next_layout_with_a_note(
    fake_distribution: Callable[..., None],
) -> None:
    fake_distribution(
        "failing-layout", "0.1", {"failing": "failing_layout"}, {"failing_layout": FAILING_LAYOUT}
    )
    registry = load_registry({"EOBSCAN_PLUGINS": "failing"})
    document = read_document(docs.generic_table(CASE), "x.pdf", registry=registry)
    assert document.parser == "pdf-generic-table"
    assert document.notes == ["The PDF layout 'pdf-failing' failed (KeyError)."]
