"""Each adapter reads its fixture page exactly: every line, every amount, the claim header, and
nothing that identifies the person.

What is compared is the request the extension would send (``eobscan.extractTab``), so these
tests also pin the wire form: amounts as ``"1234.56"``, absent amounts left out, dates ISO, claim
ids opaque (``c-`` and ten hex digits) and unrelated to the printed claim numbers.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.browser.harness import Extension
from tests.ingest.test_values import CODE_CELLS, NAMES_WITH_A_STATUS, NETWORK_TEXTS

pytestmark = pytest.mark.browser

OPAQUE_ID = re.compile(r"^c-[0-9a-f]{10}$")
AMOUNTS = (
    "billed",
    "discount",
    "allowed",
    "plan_paid",
    "not_covered",
    "deductible",
    "copay",
    "coinsurance",
    "patient_responsibility",
)


def lines(table: str, **common: Any) -> list[dict[str, Any]]:
    """Wire lines from a table: a code, then the amounts in AMOUNTS order ("-": not printed),
    then optional `key=value` extras (a JSON value) for that line only."""
    built = []
    for n, row in enumerate(filter(None, (r.split("#")[0].strip() for r in table.splitlines())), start=1):
        code, *rest = row.split()
        amounts = [cell for cell in rest if "=" not in cell]
        extras = dict(cell.split("=", 1) for cell in rest if "=" in cell)
        assert len(amounts) == len(AMOUNTS), f"row {n}: one cell per amount"
        system = "HCPCS" if code[0].isalpha() else "CPT"
        line: dict[str, Any] = {"id": str(n), "code": code, "code_system": system, "network": "in"}
        line.update({name: value for name, value in zip(AMOUNTS, amounts, strict=True) if value != "-"})
        line.update(common)
        line.update({key: json.loads(value) for key, value in extras.items()})
        built.append(line)
    return built


def claims_without_ids(request: dict[str, Any]) -> list[dict[str, Any]]:
    claims = request["claims"]
    for claim in claims:
        assert OPAQUE_ID.match(claim["id"]), "claim ids are opaque"
    return [{key: value for key, value in claim.items() if key != "id"} for claim in claims]


# The line tables below read: code, billed, discount, allowed, plan paid, not covered, deductible,
# copay, coinsurance, patient responsibility, then extras.


def test_bluepeak_classic_table_reads_header_lines_totals_and_remark_codes(ext: Extension) -> None:
    page = ext.open("/bluepeak-claim.html")
    extracted = ext.extract(page)

    assert extracted["adapter"] == "bluepeak"
    assert extracted["warnings"] == []
    # Bluepeak's own remark codes become standard ones: BP45 = CO-45, BP02 = PR-2, BP03 = PR-3.
    table = """
        99396  310.00 120.00 190.00 150.00 0.00 0.00 40.00 0.00 40.00 adjustments=[{"group":"CO","reason":"45"},{"group":"PR","reason":"3"}]
        80053   95.00  63.00  32.00  25.60 0.00 0.00  0.00 6.40  6.40 adjustments=[{"group":"CO","reason":"45"},{"group":"PR","reason":"2"}]
        36415   25.00  17.00   8.00   3.00 0.00 0.00  0.00 0.00 25.00 adjustments=[{"group":"CO","reason":"45"}]
        80061   60.00  38.00  22.00  22.00 0.00 0.00  0.00 0.00  0.00 adjustments=[{"group":"CO","reason":"45"}]
    """
    assert claims_without_ids(extracted["request"]) == [
        {
            "source": "portal",
            "claim_type": "professional",
            "payer": "Bluepeak Health",
            "provider": {"network": "in"},
            "service_start": "2026-04-15",
            "service_end": "2026-04-15",
            "received_date": "2026-04-20",
            "processed_date": "2026-05-04",
            "status": "paid",
            "lines": lines(table, service_date="2026-04-15", diagnoses=["Z00.00"]),
            "totals": {
                "billed": "490.00",
                "discount": "238.00",
                "allowed": "252.00",
                "plan_paid": "200.60",
                "not_covered": "0.00",
                "deductible": "0.00",
                "copay": "40.00",
                "coinsurance": "6.40",
                "patient_responsibility": "71.40",
            },
        }
    ]


def test_meridian_cards_read_one_claim_per_card_from_label_value_blocks(ext: Extension) -> None:
    page = ext.open("/meridian-claims.html")
    extracted = ext.extract(page)

    assert extracted["adapter"] == "meridian"
    common = {
        "source": "portal",
        "claim_type": "professional",
        "payer": "Meridian Mutual",
        "provider": {"network": "in"},
    }
    # Savings printed "-$98.00" and "($27.00)" are discounts of 98.00 and 27.00; "$0" is 0.00;
    # "—" is no amount at all, so none is sent.
    assert claims_without_ids(extracted["request"]) == [
        {
            **common,
            "service_start": "2026-03-03",
            "service_end": "2026-03-03",
            "status": "paid",
            "lines": lines("""
                99214  240.00   98.00 142.00 102.00 - -  40.00 -  40.00
                87880   45.00   27.00  18.00  18.00 - -   0.00 -   0.00
            """),
        },
        {
            **common,
            "service_start": "2026-03-20",
            "service_end": "2026-03-20",
            "status": "paid",
            "lines": lines("""
                72148 1850.00 1210.00 640.00 112.00 - 500.00 - 28.00 668.00
            """),
        },
        {
            **common,
            "service_start": "2026-04-02",
            "service_end": "2026-04-02",
            "status": "adjusted",
            "lines": lines("""
                S9083  180.00   95.00  85.00  35.00 - -  50.00 -  50.00
                99051   30.00       -   0.00   0.00 - -      - -   0.00
            """),
        },
    ]


def test_northwind_spa_is_read_once_the_app_has_drawn_the_claim(ext: Extension) -> None:
    page = ext.open("/northwind-app.html")
    assert page.locator('[role="grid"]').count() == 0, "the claim is not drawn yet when the scan starts"

    extracted = ext.extract(page)

    assert extracted["adapter"] == "northwind"
    assert claims_without_ids(extracted["request"]) == [
        {
            "source": "portal",
            "claim_type": "professional",
            "payer": "Northwind Care",
            "provider": {"network": "in"},
            "service_start": "2026-05-06",
            "service_end": "2026-05-06",
            "processed_date": "2026-05-19",
            "status": "paid",
            "lines": lines(
                """
                99203  260.00 - 150.00 120.00 - 0.00 - 30.00 30.00
                73562  210.00 -  75.00  60.00 - 0.00 - 15.00 90.00
                """,
                service_date="2026-05-06",
            ),
        }
    ]


def test_generic_adapter_reads_a_div_layout_with_every_money_form(ext: Extension) -> None:
    page = ext.open("/generic-div.html")
    extracted = ext.extract(page)

    assert extracted["adapter"] == "generic"
    # "$1,234.56", "($90.00)" and "-$40.00" savings, "$0", and "—" (no amount) all on one page.
    assert claims_without_ids(extracted["request"]) == [
        {
            "source": "portal",
            "provider": {"network": "in"},
            "service_start": "2026-02-10",
            "service_end": "2026-02-11",
            "status": "paid",
            "lines": lines("""
                11102 1234.56 1000.00 234.56 187.65 -  0.00 - 46.91 46.91 service_date="2026-02-10"
                88305  150.00   90.00  60.00  48.00 -  0.00 - 12.00 12.00 service_date="2026-02-10"
                99212   95.00   40.00  55.00   0.00 - 55.00 -     - 67.00 service_date="2026-02-11"
            """),
            "totals": {
                "billed": "1479.56",
                "discount": "1130.00",
                "allowed": "349.56",
                "plan_paid": "235.65",
                "deductible": "55.00",
                "coinsurance": "58.91",
                "patient_responsibility": "125.91",
            },
        }
    ]


def test_superscript_footnote_references_are_not_read_into_amounts_or_titles(ext: Extension) -> None:
    """ "$28<sup>1</sup>" is $28.00 with note 1 (its text is "$281"), and "Allowed Amount<sup>2</sup>"
    is still the allowed column."""
    page = ext.open("/generic-footnotes.html")
    extracted = ext.extract(page)

    [claim] = claims_without_ids(extracted["request"])
    assert claim["lines"] == lines(
        """
        99213 180.00 - 110.00 82.00 - 0.00 - 28.00 28.00 service_date="2026-05-04"
        99214 260.00 - 150.00 90.00 - 0.00 - 60.00 95.00 service_date="2026-05-04"
        """
    )


@pytest.mark.parametrize(
    ("markup", "read"),
    [
        ("$28<sup>1</sup>", "$28"),
        ("$28.00<sup>*</sup>", "$28.00"),
        ("Allowed<sup>[2]</sup>", "Allowed"),
        ("$28<sup>50</sup>", "$28 50"),  # cents drawn raised, or note 50: not guessed either way
        ("$1,234.56", "$1,234.56"),
    ],
)
def test_a_superscript_is_dropped_only_when_it_is_a_footnote_mark(
    ext: Extension, markup: str, read: str
) -> None:
    page = ext.open("/generic-footnotes.html")
    ext.extract(page)  # injects the content scripts
    script = (
        "const cell = document.createElement('td');"
        f"cell.innerHTML = {json.dumps(markup)};"
        "return globalThis.__eobx.text.textOf(cell);"
    )
    assert ext.in_content_world(page, script) == read


def test_a_line_dated_over_several_days_runs_the_claim_to_its_last_day(ext: Extension) -> None:
    """As the service's readers do: the room line keeps its first day, the stay ends on 03/05."""
    page = ext.open("/generic-stay.html")
    [claim] = claims_without_ids(ext.extract(page)["request"])
    assert (claim["service_start"], claim["service_end"]) == ("2026-03-02", "2026-03-05")
    assert [line["service_date"] for line in claim["lines"]] == ["2026-03-02", "2026-03-02"]


def test_column_titles_over_two_header_rows_are_read_as_one(ext: Extension) -> None:
    """ "Your" over "Share" is the patient's share (the last row alone, "Share", names nothing),
    while the group title "Amounts" over two columns names neither."""
    page = ext.open("/generic-stacked-header.html")
    [claim] = claims_without_ids(ext.extract(page)["request"])
    assert claim["lines"] == lines(
        """
        99213 180.00 - 110.00 82.00 - - - 28.00 28.00 service_date="2026-05-11"
        99214 260.00 - 150.00 90.00 - - - 60.00 95.00 service_date="2026-05-11"
        """
    )


def test_column_titles_over_two_aria_header_rows_are_read_as_one(ext: Extension) -> None:
    """Two rows of columnheader cells read as the table head does: "Your" over "Share" is the
    patient's share, "Service" over "Date" the date, and the group title "Amounts" (aria-colspan)
    names none of its columns; placed by aria-colindex with aria-rowspan, or row by row."""
    page = ext.open("/generic-aria-stacked-header.html")
    first, second = claims_without_ids(ext.extract(page)["request"])
    assert first["lines"] == lines(
        """
        99213 180.00 - 110.00 82.00 - - - 28.00 28.00
        99214 260.00 - 150.00 90.00 - - - 60.00 95.00
        """,
        service_date="2026-05-11",
    )
    assert second["lines"] == lines(
        """
        80053 95.00 - 40.00 0.00 - 40.00 - - 40.00
        36415 25.00 - 10.00 0.00 - 10.00 - - 10.00
        """,
        service_date="2026-06-02",
    )


def test_column_titles_over_two_div_rows_of_titles_are_read_as_one(ext: Extension) -> None:
    """ "Date of" over "Service" is the date (the lower row alone reads a description) and "Your"
    over "Share" the patient's share (alone, "Share" names nothing)."""
    page = ext.open("/generic-div-stacked-header.html")
    [claim] = claims_without_ids(ext.extract(page)["request"])
    assert claim["lines"] == lines(
        """
        97110 140.00 - 85.00 68.00 - - - 17.00 17.00
        97140 120.00 - 70.00 56.00 - - - 14.00 24.00
        """,
        service_date="2026-04-20",
    )


def test_aria_titles_one_row_names_or_a_group_title_spans_invent_no_column(ext: Extension) -> None:
    """One header row reads as it always did ("Share" alone names nothing); a group title "Your"
    over "Share" and "Balance" names neither, so no patient's share is read from "Your Share"."""
    page = ext.open("/generic-aria-group-header.html")
    first, second = claims_without_ids(ext.extract(page)["request"])
    assert first["lines"] == lines("99203 210.00 - 130.00 104.00 - - - - 26.00", service_date="2026-03-09")
    assert second["lines"] == lines("99213 180.00 - 110.00 88.00 - - - - -", service_date="2026-03-23")


def test_generic_adapter_splits_aria_tables_into_claims_with_their_own_headers(ext: Extension) -> None:
    page = ext.open("/generic-aria.html")
    extracted = ext.extract(page)

    assert extracted["adapter"] == "generic"
    # "Relationship: Child" over both claims and no name: one child, the first (as the service reads it).
    common = {"source": "portal", "member": "child-1", "provider": {"network": "in"}}
    co45 = {"adjustments": [{"group": "CO", "reason": "45"}]}
    assert claims_without_ids(extracted["request"]) == [
        {
            **common,
            "service_start": "2026-01-08",
            "service_end": "2026-01-08",
            "lines": lines(
                """
                99392 220.00 - 140.00 140.00 0.00 0.00 0.00 0.00 0.00 diagnoses=["Z00.121"] units=1
                90460  80.00 -  50.00  50.00 0.00 0.00 0.00 0.00 0.00 diagnoses=["Z23"] units=2
                """,
                service_date="2026-01-08",
                **co45,
            ),
        },
        {
            **common,
            "service_start": "2026-01-22",
            "service_end": "2026-01-22",
            "lines": lines(
                """
                99213 180.00 - 110.00 70.00 -  0.00 40.00 0.00 40.00 modifiers=["25"] adjustments=[{"group":"CO","reason":"45"},{"group":"PR","reason":"3"}]
                87880  45.00 -  18.00  0.00 - 18.00  0.00 0.00 28.00 modifiers=["QW"] adjustments=[{"group":"PR","reason":"1"}] remarks=["N130"]
                """,
                service_date="2026-01-22",
                diagnoses=["J02.9"],
                units=1,
            ),
        },
    ]
    ids = [claim["id"] for claim in extracted["request"]["claims"]]
    assert len(set(ids)) == 2


def test_opaque_claim_ids_stay_the_same_while_the_page_is_open(ext: Extension) -> None:
    page = ext.open("/generic-aria.html")
    first = [claim["id"] for claim in ext.extract(page)["request"]["claims"]]
    again = [claim["id"] for claim in ext.extract(page)["request"]["claims"]]
    other_tab = [claim["id"] for claim in ext.extract(ext.open("/generic-aria.html"))["request"]["claims"]]

    assert first == again
    assert set(first).isdisjoint(other_tab), "a new page mints new ids: they are not derived from the claim"


def test_a_page_without_claim_lines_extracts_nothing(ext: Extension) -> None:
    page = ext.open("/no-claim.html")
    extracted = ext.extract(page, wait_ms=300)

    assert extracted["request"] == {"claims": []}


def test_a_network_status_printed_after_the_providers_name_is_the_claims_network(ext: Extension) -> None:
    page = ext.open("/provider-network-note.html")
    extracted = ext.extract(page)

    assert extracted["adapter"] == "generic"
    [claim] = extracted["request"]["claims"]
    assert claim["provider"] == {"network": "in"}
    assert {line["network"] for line in claim["lines"]} == {"in"}
    assert "Juniper" not in json.dumps(extracted["request"]), "the provider's name stays on the page"


def test_only_a_whole_status_phrase_after_a_name_is_read_as_the_network(ext: Extension) -> None:
    """The service's reader's cases (tests/ingest/test_values.py), run in the content world."""
    page = ext.open("/provider-network-note.html")
    ext.extract(page)  # injects the content scripts
    names = json.dumps([name for name, _, _ in NAMES_WITH_A_STATUS])
    split = ext.in_content_world(
        page, f"return {names}.map((n) => globalThis.__eobx.text.splitNetworkNote(n));"
    )

    assert [(s["name"], s["network"]) for s in split] == [(name, net) for _, name, net in NAMES_WITH_A_STATUS]


def test_a_code_cell_is_read_as_the_service_reads_it(ext: Extension) -> None:
    """The service's code-cell cases (tests/ingest/test_values.py), run in the content world:
    "45385-PT" keeps its PT, which is what makes the colonoscopy a screening."""
    page = ext.open("/provider-network-note.html")
    ext.extract(page)  # injects the content scripts
    cells = json.dumps([cell for cell, _, _ in CODE_CELLS])
    read = ext.in_content_world(page, f"return {cells}.map((c) => globalThis.__eobx.text.parseCodeCell(c));")

    assert [(r["code"], r["modifiers"]) for r in read] == [(code, mods) for _, code, mods in CODE_CELLS]


def test_a_service_not_approved_is_a_denied_line(ext: Extension) -> None:
    """Medicare's "Service Approved?" column, read as the service's document readers read it: a
    "No" marks the line denied (so the denial check can say what to do), a "Yes" marks nothing."""
    page = ext.open("/medicare-part-b.html")
    [claim] = ext.extract(page)["request"]["claims"]

    approved, not_approved = claim["lines"]
    assert (approved["code"], not_approved["code"]) == ("99214", "71046")
    assert "denied" not in approved
    assert not_approved["denied"] is True
    assert not_approved["patient_responsibility"] == "95.00"
    assert "Featherstonehaugh" not in json.dumps(claim), "the patient's name stays on the page"
    flagged = {(f["rule"], tuple(f["line_ids"])) for f in ext.scan(page)["findings"]}
    assert ("DEN001", (not_approved["id"],)) in flagged
    assert not any(lines == (approved["id"],) for _, lines in flagged)


def test_a_copay_coinsurance_column_is_read_as_their_sum_and_explains_the_share(ext: Extension) -> None:
    """One "Copay/Coinsurance" column: the extension sends it as ``copay_and_coinsurance`` (the
    service worker accepts it), and the lines whose share it explains get no INS002."""
    page = ext.open("/generic-combined.html")
    [claim] = ext.extract(page)["request"]["claims"]
    assert (claim["provider"], claim["status"]) == ({"network": "in"}, "paid"), (
        "one header line, three labels"
    )
    assert [line.get("copay_and_coinsurance") for line in claim["lines"]] == ["40.00", "60.00", "4.80"]
    assert all("copay" not in line and "coinsurance" not in line for line in claim["lines"])

    report = ext.scan(page)
    assert report["errors"] == []
    assert sorted((f["rule"], tuple(f["line_ids"])) for f in report["findings"]) == [
        ("INS001", ("2",)),
        ("INS002", ("2",)),
    ]


def test_a_deductible_coinsurance_column_is_read_as_one_figure_and_explains_the_share(ext: Extension) -> None:
    """One "Deductible/Coinsurance" column: the extension sends it as
    ``deductible_and_cost_sharing`` (the service worker accepts it), never as a deductible, and
    the lines whose share it explains get no INS002."""
    page = ext.open("/generic-deductible-combined.html")
    [claim] = ext.extract(page)["request"]["claims"]
    assert [line.get("deductible_and_cost_sharing") for line in claim["lines"]] == ["40.00", "60.00", "24.00"]
    assert all(name not in line for line in claim["lines"] for name in ("deductible", "copay", "coinsurance"))

    report = ext.scan(page)
    assert report["errors"] == []
    assert sorted((f["rule"], tuple(f["line_ids"])) for f in report["findings"]) == [
        ("INS001", ("2",)),
        ("INS002", ("2",)),
    ]


#: One printed header line -> the header fields read from it, as the generic adapter reads them.
INLINE_HEADERS = [
    (
        "Provider: Alder Street Clinic · Network status: In-Network · Claim status: Processed",
        [["provider_name", "Alder Street Clinic"], ["network", "In-Network"], ["status", "Processed"]],
    ),
    ("Claim #: WF-1 | Provider: Alder Clinic", [["claim_number", "WF-1"], ["provider_name", "Alder Clinic"]]),
    ("Claim #: WF-1 • Received: 03/02/2026", [["claim_number", "WF-1"], ["received_date", "03/02/2026"]]),
    ("Provider:Alder Clinic", [["provider_name", "Alder Clinic"]]),
    ("Provider: Dr. Ada Lee: Cardiology", [["provider_name", "Dr. Ada Lee: Cardiology"]]),
    ("Processed: 03/20/2026 10:30 AM", [["processed_date", "03/20/2026 10:30 AM"]]),
    (
        "Claim number: WF-1 Provider: Alder Clinic",
        [["claim_number", "WF-1"], ["provider_name", "Alder Clinic"]],
    ),
    # A label that is never read ends the value before it, and its own value is not taken.
    ("Provider: Alder Clinic Patient: Wren Example", [["provider_name", "Alder Clinic"]]),
    ("Patient: Wren Example · Member ID: WFM-1", []),
    ("Note: call us at 555-0100", []),
    ("Provider: Alder Clinic · Pediatrics", [["provider_name", "Alder Clinic"]]),
]


def test_a_header_line_is_split_into_its_labels_and_values(ext: Extension) -> None:
    page = ext.open("/generic-inline-header.html")
    ext.extract(page)  # injects the content scripts
    texts = json.dumps([text for text, _ in INLINE_HEADERS])
    read = ext.in_content_world(page, f"return {texts}.map((t) => globalThis.__eobx.labels.inlinePairs(t));")

    assert read == [pairs for _, pairs in INLINE_HEADERS]


def test_a_header_of_several_labels_per_line_gives_each_field_its_own_value(ext: Extension) -> None:
    """Labels between middle dots, bars and bold labels: the provider's network, the claim's
    status and dates are read, each value stops where the next label starts, and the line the
    provider said was in network but the insurer processed out of network is flagged."""
    page = ext.open("/generic-inline-header.html")
    [claim] = ext.extract(page)["request"]["claims"]

    assert claim["provider"] == {"network": "in"}
    assert claim["facility"] == {"network": "in"}
    assert (claim["status"], claim["received_date"], claim["processed_date"]) == (
        "paid",
        "2026-03-02",
        "2026-03-20",
    )
    assert [line["network"] for line in claim["lines"]] == ["out", "in"]
    sent = json.dumps(claim)
    for private in ("Quillfeather", "WFM-5520", "Alder", "WF-2026"):
        assert private not in sent, "names, ids and the claim number stay on the page"
    header = ext.in_content_world(
        page, "return globalThis.__eobx.labels.readLabels(document.querySelector('section'));"
    )
    assert {k: header[k] for k in ("claim_number", "provider_name", "facility_name")} == {
        "claim_number": "WF-2026-00421",
        "provider_name": "Alder Street Clinic",
        "facility_name": "Alder Street Surgery Center",
    }
    assert "Quillfeather" not in json.dumps(header)

    report = ext.scan(page)
    assert report["errors"] == []
    flagged = {(f["rule"], tuple(f["line_ids"])) for f in report["findings"]}
    assert ("NET001", ("1",)) in flagged
    assert not any(lines == ("2",) for _, lines in flagged)


def test_without_a_printed_network_status_the_provider_network_stays_unknown(ext: Extension) -> None:
    """The clean twin: the same page without its network line claims no network for the
    provider or the facility, so nothing says the out-of-network line should have been in network."""
    page = ext.open("/generic-inline-header.html")
    page.evaluate("document.getElementById('network-line').remove()")
    [claim] = ext.extract(page)["request"]["claims"]

    assert all(field not in claim for field in ("provider", "facility", "status"))
    report = ext.scan(page)
    assert report["errors"] == []
    assert not any(f["rule"] == "NET001" for f in report["findings"])


#: Header markup -> the fields readLabels reads from it.
HEADER_MARKUP = [
    ("<div><span>Network</span><span>In network</span></div>", {"network": "In network"}),
    ("<div><span>Claim status</span><span>Processed</span></div>", {"status": "Processed"}),
    (
        "<div><b>Provider:</b> Alder Clinic · <b>Network status:</b> Out of network</div>",
        {"provider_name": "Alder Clinic", "network": "Out of network"},
    ),
    (
        "<div><b>Claim #:</b> WF-1 <b>Patient:</b> Wren Example</div>",
        {"claim_number": "WF-1"},
    ),
    (
        "<dl><dt>Provider</dt><dd>Alder Clinic</dd><dt>Network status</dt><dd>In-Network</dd></dl>",
        {"provider_name": "Alder Clinic", "network": "In-Network"},
    ),
]


def test_header_markup_gives_each_label_its_own_value(ext: Extension) -> None:
    """Label elements followed by a value element, by inline text, or by another label: a value
    may be made of a label's words ("In network"), another label is never a value, and a
    patient's name after a read label is not taken."""
    page = ext.open("/generic-inline-header.html")
    ext.extract(page)  # injects the content scripts
    snippets = json.dumps([markup for markup, _ in HEADER_MARKUP])
    read = ext.in_content_world(
        page,
        f"return {snippets}.map((markup) => {{ const root = document.createElement('div'); "
        "root.innerHTML = markup; return globalThis.__eobx.labels.readLabels(root); });",
    )

    assert read == [fields for _, fields in HEADER_MARKUP]


def test_a_network_status_is_read_as_the_service_reads_it(ext: Extension) -> None:
    """The service's network cases (tests/ingest/test_values.py), run in the content world:
    whole words only, so "Inpatient" or "Outpatient" in a network column says nothing."""
    page = ext.open("/provider-network-note.html")
    ext.extract(page)  # injects the content scripts
    texts = json.dumps([text for text, _ in NETWORK_TEXTS])
    read = ext.in_content_world(page, f"return {texts}.map((t) => globalThis.__eobx.text.parseNetwork(t));")

    assert read == [network for _, network in NETWORK_TEXTS]
