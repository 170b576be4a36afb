"""The extension reads the plan's standing as the service's document readers do.

``extension/content/standing.js`` runs under Node on the rows the Python reader is tested with
(and a few more): each group of rows must give the figures ``StandingReader`` gives, row by row
the same answer to whether it was a standing's, so the two languages cannot drift apart.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from scanner.ingest.printed_accumulators import StandingReader, standing_of
from scanner.model import PRINTED_ACCUMULATOR_FIELDS
from tests.test_extension_vocabulary import CONTENT, node

SCRIPTS = ["namespace.js", "text.js", "money.js", "standing.js"]

_RUNNER = """
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
for (const file of input.scripts) vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
const { standing } = globalThis.__eobx;
process.stdout.write(JSON.stringify(input.groups.map((rows) => {
  const reader = standing.createReader();
  const read = rows.map((row) => reader.read(row));
  const figures = reader.result();
  return { read, figures: figures ? Object.fromEntries(figures) : null, dates: reader.dates };
})));
"""

GROUPS = [
    [
        "Individual deductible: $1,500.00",
        "Deductible met: $620.00",
        "Out-of-pocket maximum: $4,000.00",
        "Out-of-pocket met: $1,100.00",
    ],
    [
        "Individual deductible: $1,500.00   Met so far: $620.00",
        "Out-of-pocket maximum $4,000.00 Met $1,100.00",
    ],
    [
        "Deductible: $620.00 of $1,500.00 met",
        "You have met $1,100.00 of your $4,000.00 out-of-pocket maximum",
    ],
    ["Deductible\t$620.00 of $1,500.00 met", "Out-of-pocket maximum: $1,100.00 met / $4,000.00"],
    ["Out-of-pocket maximum: $1,100.00 met", "Individual deductible $620.00 met so far"],
    [
        "Your plan year deductible: $1,500.00     Met so far: $620.00",
        "Out-of-pocket maximum: $4,000.00  Met: $1,100.00",
    ],
    [
        "Deductible remaining: $880.00",
        "Individual deductible $1,500.00",
        "Out-of-pocket limit $4,000.00",
        "$2,900.00 remaining of your out-of-pocket maximum",
    ],
    [
        "               Limit        Met        Remaining",
        "Deductible     $1,500.00    $620.00    $880.00",
        "Out-of-pocket max  $4,000.00  $1,100.00  $2,900.00",
    ],
    [
        "\tLimit\tMet\tRemaining",
        "Deductible\t$1,500.00\t$620.00\t$880.00",
        "Out-of-pocket\t$4,000.00\t$1,100.00\t$2,900.00",
    ],
    [
        "              Deductible     Out-of-Pocket",
        "Annual limit  $1,500.00   $4,000.00",
        "Met to date   $620.00   $1,100.00",
    ],
    [
        "Your account summary (as of 10/31/2026)",
        "                         In-network   Out-of-network",
        "Deductible               $1,500.00    $3,000.00",
        "Met so far               $620.00      $0.00",
        "Out-of-pocket maximum    $4,000.00    $8,000.00",
        "Met so far               $1,100.00    $0.00",
    ],
    ["In network | Non-network", "Family deductible | $3,000.00 | $6,000.00", "Met | $900.00 | $0.00"],
    ["In-network   Out-of-network", "Copay   $20.00   $40.00", "Met so far   $620.00   $0.00"],
    ["Family deductible: $3,000.00 Met so far: $900.00", "Family out-of-pocket met: $2,000.00"],
    ["Individual deductible: $150.00 \u00b7 Family deductible: $300.00"],
    [
        "Individual deductible: $150.00   Family: $300.00",
        "Deductible: $1,500.00 individual / $3,000.00 family",
    ],
    ["Individual deductible: $150.00 of $500.00 met | Family deductible: $300.00 of $1,000.00 met"],
    [
        "Deductible: $500.00 met   Out-of-pocket maximum: $1,000.00 met",
        "$2,900.00 remaining of your family oop",
    ],
    ["Deductible (individual / family): $1,500.00 / $3,000.00", "Family deductible: $300.00 · $100.00 met"],
    [
        "Your deductible: $1,500.00 individual. Met so far: $1,500.00",
        "OOP: $10.00 family; Family: $20.00 met",
    ],
    ["Family out-of-pocket met as of 03/28/2026: $2,000.00", "Deductible met 2026-02-01: $100.00"],
    ["Deductible: $20.00"],
    ["Applied to deductible $20.00"],
    ["Amount applied to your out-of-pocket maximum: $20.00"],
    ["Out-of-network deductible: $0.00 of $3,000.00"],
    ["Deductible: $0.00  Plan Paid: $100.00"],
    ["99214 Office visit $150.00 $30.00"],
    ["Deductible met / remaining: $620.00 / $880.00"],
    ["Deductible met: ($20.00)", "Deductible met: $1,23,4"],
    ["Deductible remaining: $880.00"],
    ["Limit  Met", "Date  Service  Billed  Deductible", "Deductible  $1,500.00  $620.00"],
    ["Deductible\tOut-of-pocket", "Met so far\t$620.00\t$1,100.00", "Family limit\t$3,000.00\t$8,000.00"],
]


def in_extension(groups: list[list[str]]) -> list[dict[str, Any]]:
    executable = node()
    if executable is None:
        pytest.fail("Node is missing (it comes with Playwright)")
    request = {"scripts": [str(CONTENT / name) for name in SCRIPTS], "groups": groups}
    done = subprocess.run(
        [executable, "-e", _RUNNER], input=json.dumps(request), capture_output=True, text=True, check=True
    )
    return list(json.loads(done.stdout))


def in_python(rows: list[str]) -> dict[str, Any]:
    reader = StandingReader()
    read = [reader.read(row) for row in rows]
    standing = standing_of(reader, None)
    figures = None
    if standing is not None:
        found = {name: getattr(standing, name) for name in PRINTED_ACCUMULATOR_FIELDS}
        figures = {name: int(value) for name, value in found.items() if value is not None}
    return {"read": read, "figures": figures, "dates": [date.isoformat() for date in reader.dates]}


def test_the_extension_reads_every_standing_row_as_the_service_does() -> None:
    for rows, got in zip(GROUPS, in_extension(GROUPS), strict=True):
        assert got == in_python(rows), rows
