"""``extension/content/vocabulary.js``: the extension's header and label words, generated from
:mod:`scanner.ingest.vocabulary`.

The extension reads a portal page with the same words the document readers use for a PDF, pasted
text or a CSV: a column the service understands as "Plan Paid" must mean the same on the page.
Kept by hand in two languages, the two lists drifted, so only the Python vocabulary is edited and
the extension's copy is rendered from it. A test compares the file with :func:`render`.
Regenerate with ``make vocabulary`` (``make docs`` runs it too)::

    python -m scanner.extension_vocabulary > extension/content/vocabulary.js

Only the words travel: how a header is matched stays in ``extension/content/columns.js`` and
``labels.js``, which follow :func:`~scanner.ingest.vocabulary.header_field` and the readers' label
rules, and a test runs them side by side.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from scanner.ingest.labels import MAX_LABEL_WORDS
from scanner.ingest.values import (
    IN_NETWORK_CODES,
    IN_NETWORK_PHRASES,
    OUT_OF_NETWORK_CODES,
    OUT_OF_NETWORK_PHRASES,
)
from scanner.ingest.vocabulary import LINE_FIELDS, PRIVATE_FIELDS, synonym_table
from scanner.model import AMOUNT_FIELDS

COMMAND = "python -m scanner.extension_vocabulary > extension/content/vocabulary.js"
_WIDTH = 110

_HEADER = f"""\
/*
 * GENERATED FILE: do not edit. Made from scanner/ingest/vocabulary.py by `make vocabulary`:
 *   {COMMAND}
 * Add words to the Python vocabulary and regenerate; tests/test_extension_vocabulary.py fails
 * while this file differs from the generator's output.
 *
 * The words EOB portals print for our fields, shared with the service's document readers.
 * Phrases are in normalised words (columns.js `words`); the first field to list a phrase owns it.
 */
(() => {{
  const ns = globalThis.__eobx;
  if (ns.parts.has("vocabulary")) return;
  ns.parts.add("vocabulary");
"""

_FOOTER = """\
  for (const phrases of Object.values(SYNONYMS)) Object.freeze(phrases);
  ns.vocabulary = Object.freeze({
    SYNONYMS: Object.freeze(SYNONYMS),
    AMOUNT_FIELDS: Object.freeze(AMOUNT_FIELDS),
    LINE_FIELDS: Object.freeze(LINE_FIELDS),
    PRIVATE_FIELDS: Object.freeze(PRIVATE_FIELDS),
    OUT_OF_NETWORK: Object.freeze(OUT_OF_NETWORK),
    IN_NETWORK: Object.freeze(IN_NETWORK),
    OUT_OF_NETWORK_CODES: Object.freeze(OUT_OF_NETWORK_CODES),
    IN_NETWORK_CODES: Object.freeze(IN_NETWORK_CODES),
    MAX_LABEL_WORDS,
  });
})();
"""


def _packed(words: Iterable[str], indent: str) -> list[str]:
    """JSON strings, as many to a line as fit the width."""
    lines: list[str] = []
    line = ""
    for word in words:
        item = json.dumps(word) + ","
        if line and len(indent) + len(line) + 1 + len(item) > _WIDTH:
            lines.append(indent + line)
            line = item
        else:
            line = f"{line} {item}" if line else item
    if line:
        lines.append(indent + line)
    return lines


def _list(opening: str, words: Iterable[str], closing: str, indent: str) -> list[str]:
    """``opening[...]closing`` on one line when it fits, else one line of words per width."""
    items = list(words)
    one_line = f"{indent}{opening}[{', '.join(json.dumps(w) for w in items)}]{closing}"
    if len(one_line) <= _WIDTH:
        return [one_line]
    return [f"{indent}{opening}[", *_packed(items, indent + "  "), f"{indent}]{closing}"]


def _constant(name: str, words: Iterable[str], comment: str) -> list[str]:
    return ["", f"  /** {comment} */", *_list(f"const {name} = ", words, ";", "  ")]


def render() -> str:
    """The whole of ``extension/content/vocabulary.js``."""
    parts = [_HEADER, "  /** Field -> the phrases that name it, in the Python vocabulary's order. */"]
    parts.append("  const SYNONYMS = {")
    for field, phrases in synonym_table().items():
        parts += _list(f"{field}: ", phrases, ",", "    ")
    parts.append("  };")
    parts += _constant(
        "AMOUNT_FIELDS", AMOUNT_FIELDS, "The amount fields, in the order of a Claim's amounts."
    )
    parts += _constant("LINE_FIELDS", sorted(LINE_FIELDS), "The fields a row of a service-line table has.")
    parts += _constant(
        "PRIVATE_FIELDS", sorted(PRIVATE_FIELDS), "Fields that identify a person: recognised, never read."
    )
    parts += _constant(
        "OUT_OF_NETWORK",
        OUT_OF_NETWORK_PHRASES,
        'Whole-word network statuses, out of network first: some contain an in-network one ("not in network").',
    )
    parts += _constant("IN_NETWORK", IN_NETWORK_PHRASES, "Whole-word network statuses that mean in network.")
    parts += _constant(
        "OUT_OF_NETWORK_CODES",
        OUT_OF_NETWORK_CODES,
        "A whole network cell of one of these means out of network.",
    )
    parts += _constant(
        "IN_NETWORK_CODES", IN_NETWORK_CODES, "A whole network cell of one of these means in network."
    )
    parts += ["", '  /** The most words a "Label:" has (scanner/ingest/labels.py). */']
    parts.append(f"  const MAX_LABEL_WORDS = {MAX_LABEL_WORDS};")
    return "\n".join(parts) + "\n\n" + _FOOTER


if __name__ == "__main__":
    print(render(), end="")
