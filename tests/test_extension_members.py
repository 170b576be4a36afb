"""The extension tells a family's members apart as the service's document readers do.

``extension/content/members.js`` runs under Node on the patients ``tests/ingest/test_members.py``
gives :func:`~scanner.ingest.members.members` (and more): each sequence of printed names and
relationships must give the members Python gives, and every relationship word of either language
must mean the same in the other, so a portal page and its PDF cannot name a child differently.
"""

from __future__ import annotations

import json
import re
import subprocess
from functools import cache
from typing import Any

import pytest

from scanner.ingest.members import (
    _RELATIONSHIPS,
    Patient,
    members,
    patient_key,
    relationship,
    split_relationship,
)
from tests.test_extension_vocabulary import CONTENT, node

SCRIPTS = ["namespace.js", "members.js"]

_RUNNER = """
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
for (const file of input.scripts) vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
const m = globalThis.__eobx.members;
const patient = ([name, printed]) => ({ key: name === null ? null : m.patientKey(name), relationship: printed });
process.stdout.write(JSON.stringify({
  members: input.families.map((family) => m.members(family.map(patient))),
  relationships: input.texts.map((t) => m.relationship(t)),
  splits: input.texts.map((t) => m.splitRelationship(t)),
  words: m.RELATIONSHIPS,
}));
"""

#: Each claim's printed patient name (None: none printed) and relationship (already read).
Family = tuple[tuple[str | None, str | None], ...]

FAMILIES: list[Family] = [
    ((None, None), (None, None)),
    (("Avery Example", None), ("Avery Example", None), (None, None)),
    (
        ("Avery Example", "child"),
        ("Morgan Example", "self"),
        ("Blake Example", "child"),
        ("Avery Example", None),
    ),
    (("Avery Example", None), ("Blake Example", None), ("Avery Example", None)),
    (("Avery Example", "child"), ("Blake Example", "child")),
    (("Avery Example", "child"), ("AVERY  Q. EXAMPLE", "child")),
    (("Avery Example", "child"), ("Avery Example", None)),
    ((None, "child"), (None, "child")),
    ((None, "spouse"), (None, None)),
    (("Avery Example", None), ("Blake Example", "spouse"), (None, None)),
    (("Morgan Example", "self"), ("Riley Example", None), ("Avery Example", "child")),
    (("Avery Example", None), ("Avery Example", "child"), ("Blake Example", None)),
    (("Avery Example", "child"), ("Avery Example", "spouse")),
    (("A.", None), ("B.", None)),
    (("Jordan Sample", None),),
    (("Jordan Sample", "self"),),
    ((None, "child"),),
]

PRINTED = [
    "Jordan Sample (Self)",
    "Avery Example - Dependent",
    "Avery Example – Dependent",
    "Riley Example, Spouse",
    "Casey Example",
    "Casey Example (Son)",
    "Blake Example (Dependent Child)",
    "Morgan Example - Policy Holder",
    "Morgan Example (Subscriber)",
    "Mary Ann Childs",
    "Dependent",
    "DEPENDENT CHILD",
    "Domestic partner",
    "Dependent-Child",
    "Self:",
    "Insured",
    "Jordan Sample ()",
    "",
]


def python_relationship_words() -> dict[str, list[str]]:
    """The alternatives of each Python pattern: ``^(?:self|subscriber|...)$``."""
    words = {}
    for value, pattern in _RELATIONSHIPS:
        inner = re.fullmatch(r"\^\(\?:(.*)\)\$", pattern.pattern)
        assert inner is not None, "members.py's patterns are plain alternatives"
        words[value] = inner.group(1).split("|")
    return words


@cache
def in_extension(families: tuple[Family, ...], texts: tuple[str, ...]) -> dict[str, Any]:
    executable = node()
    if executable is None:
        pytest.fail("Node is missing (it comes with Playwright)")
    request = {"scripts": [str(CONTENT / name) for name in SCRIPTS], "families": families, "texts": texts}
    done = subprocess.run(
        [executable, "-e", _RUNNER], input=json.dumps(request), capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


def extension() -> dict[str, Any]:
    words = [w for phrases in python_relationship_words().values() for w in phrases]
    texts = (*PRINTED, *words, *(w.title() for w in words), *(w.upper() for w in words))
    return in_extension(tuple(FAMILIES), texts)


def in_python(family: Family) -> list[str]:
    return members(
        [Patient(key=None if name is None else patient_key(name), relationship=r) for name, r in family]
    )


def test_the_extension_gives_every_family_the_members_the_service_gives() -> None:
    for family, got in zip(FAMILIES, extension()["members"], strict=True):
        assert got == in_python(family), family


def test_two_children_of_one_page_are_child_1_and_child_2_in_the_extension_too() -> None:
    """The case behind it: two children's equal visits read as one member were a duplicate."""
    got = in_extension(((("Avery Example", "child"), ("Blake Example", "child")),), ())["members"]
    assert got == [["child-1", "child-2"]]


def test_the_extension_has_the_relationship_words_of_the_document_readers() -> None:
    assert dict(extension()["words"]) == python_relationship_words()


def test_the_extension_reads_a_relationship_and_one_printed_after_a_name_as_python_does() -> None:
    read = extension()
    words = [w for phrases in python_relationship_words().values() for w in phrases]
    texts = [*PRINTED, *words, *(w.title() for w in words), *(w.upper() for w in words)]
    for text, got, split in zip(texts, read["relationships"], read["splits"], strict=True):
        assert got == relationship(text), text
        assert (split["name"], split["relationship"]) == split_relationship(text), text
