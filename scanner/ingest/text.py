"""Text copied from an EOB page or PDF.

Pasted text loses the page's positions, so two shapes are read:

- labelled values, one per line or several per line: ``Billed: $185.00``, ``Plan Paid: $120.00``,
  ``You Owe: $30.00``; a label printed a second time starts the next service line, and
  ``Total ...:`` labels are the claim's printed totals;
- table-like lines under a header line that names the columns with the same synonyms as the PDF
  reader (``Date  Service  Amount Billed  Allowed  Plan Paid  You Owe``): cells are matched by
  position when the text keeps the columns apart (tabs or runs of spaces), otherwise the amounts
  are matched to the header's amount columns in order;
- a portal's detail view copied as "label value" lines with no colon: ``Amount billed $2,950.00``,
  ``Claim processed 07/21/2026``; only a whole amount, a date, a claim number, a network status or
  a business's name counts as the value, so a sentence that starts with a field's name stays prose.

A new ``Claim Number:`` starts a new claim, so several claims can be pasted at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from scanner.ingest import DocumentKind, ParseContext, ParsedDocument, Parser
from scanner.ingest.assemble import (
    ClaimDraft,
    Notes,
    Source,
    build_claims,
    field_of_label,
    is_other_total_label,
    is_total_label,
    organisation_name,
    read_amounts,
    read_line,
)
from scanner.ingest.errors import DocumentError
from scanner.ingest.labels import MAX_LABEL_WORDS, find_labels
from scanner.ingest.values import (
    ZERO_DASHES,
    claim_number_of,
    find_coded,
    find_dates,
    is_amount,
    is_currency_sign,
    parse_network,
    parse_yes_no,
)
from scanner.ingest.vocabulary import AMOUNTS, LINE_FIELDS, cell_field, header_field, normalise, phrase_fields
from scanner.model import Claim

#: Fields of a service line that a label may carry in pasted text.
_LINE_LABELS = AMOUNTS | {"code", "description", "remarks", "units", "approved"}
#: Original Medicare's notice names no payer field; its title says who paid (appeal clocks differ).
_MEDICARE_NOTICE = re.compile(r"\bmedicare summary notice\b", re.IGNORECASE)
_CLAIM_IN_TOTAL = re.compile(r"\bclaim\s*(?:number|no\.?)?\s*#?\s*([A-Z0-9][\w-]*\d[\w-]*)", re.IGNORECASE)
_SEGMENT_SPLIT = re.compile(r"\t+|\s{2,}|\s*\|\s*")
MAX_TEXT_LINES = 50_000


def decode_text(data: bytes) -> str | None:
    """The document as text, or None when it is binary."""
    if b"\x00" in data[:4096]:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def label_field(text: str) -> str | None:
    """Header fields, plus the amount and line fields pasted text prints as labels."""
    name = cell_field(text)
    if name in _LINE_LABELS:
        return name
    if _total_label(text):
        return "total:" + _total_label(text)  # type: ignore[operator]
    return field_of_label(text)


def _total_label(text: str) -> str | None:
    words = normalise(text).split()
    if not words or words[0] not in {"total", "totals"}:
        return None
    name = cell_field(" ".join(words[1:]))
    return name if name in AMOUNTS else None


@dataclass
class _Table:
    columns: list[str | None]
    amount_columns: list[str]


@dataclass
class _State:
    notes: Notes
    claims: list[ClaimDraft] = field(default_factory=lambda: [ClaimDraft()])
    pending: list[dict[str, str]] = field(default_factory=lambda: [{}])
    table: _Table | None = None

    @property
    def claim(self) -> ClaimDraft:
        return self.claims[-1]


class TextParser(Parser):
    name: ClassVar[str] = "text"
    version: ClassVar[str] = "1.0"
    kind: ClassVar[DocumentKind] = "text"

    def sniff(self, data: bytes, filename: str | None) -> float:
        text = decode_text(data[:65536])
        if text is None:
            return 0.0
        head = text.lstrip()[:200].lower()
        if head.startswith(("{", "[", "<", "%pdf")):
            return 0.0
        lines = text.splitlines()[:400]
        labelled = sum(
            1
            for line in lines
            if any(f in _LINE_LABELS for f, _ in find_labels([line], label_field))
            or (_spaced_label(line) or ("", ""))[0] in AMOUNTS
        )
        if labelled or any(_header(line) for line in lines):
            return 0.5
        return 0.0

    def parse(self, data: bytes, context: ParseContext) -> ParsedDocument:
        text = decode_text(data)
        if text is None:
            raise DocumentError(415, "unsupported_document", "The document is not text.")
        claims, notes = read_text(text)
        if not claims:
            raise DocumentError(
                422,
                "no_eob_text",
                "No EOB amounts were found in the text: paste the lines with labels such as "
                "'Billed: $185.00' or a table with its header row.",
            )
        return ParsedDocument(claims=claims, notes=notes, kind="text", parser=self.name)


def read_text(text: str, source: Source = "text") -> tuple[list[Claim], list[str]]:
    """The claims in EOB text and the notes about the reading; a PDF without a table (a portal's
    detail page saved as PDF) is read the same way, from its rows."""
    lines = text.splitlines()
    if len(lines) > MAX_TEXT_LINES:
        raise DocumentError(422, "too_many_lines", f"The text has more than {MAX_TEXT_LINES} lines.")
    state = _State(Notes())
    for number, line in enumerate(lines, start=1):
        _read_line(state, line, number)
    drafts = _finish(state)
    if _MEDICARE_NOTICE.search(text[:4096]):
        for draft in drafts:
            draft.label("payer", "Medicare")
    return build_claims(drafts, source, state.notes), state.notes.items


def _header(line: str) -> _Table | None:
    if any(is_amount(token) for token in line.split()):
        return None
    segments = [s for s in _SEGMENT_SPLIT.split(line.strip()) if s]
    by_segment = [header_field(s, LINE_FIELDS) for s in segments]
    if sum(1 for f in by_segment if f in AMOUNTS) >= 2 and sum(1 for f in by_segment if f) >= 3:
        return _Table(by_segment, [f for f in by_segment if f in AMOUNTS])
    found = [f for f, _, _ in phrase_fields(line) if f in LINE_FIELDS]
    amounts = [f for f in found if f in AMOUNTS]
    if len(amounts) >= 2 and len(found) >= 3:
        return _Table(list(found), amounts)
    return None


def _read_line(state: _State, line: str, number: int) -> None:
    if not line.strip():
        return
    header = _header(line)
    if header is not None:
        state.table = header
        return
    if state.table is not None and _table_row(state, line, number):
        return
    _labels(state, line, number)


_LONE_SIGN = re.compile(r"(?<!\S)\$(?!\S)")


def _without_signs(parts: list[str]) -> list[str]:
    """Accounting's "$" printed apart from its number is left out, and its "$  -" read as the
    zero it prints: a lone "$" never takes a cell or a word of its own."""
    out: list[str] = []
    for index, part in enumerate(parts):
        if is_currency_sign(part):
            continue
        if index and is_currency_sign(parts[index - 1]) and part.strip() in ZERO_DASHES:
            out.append("$0.00")
        else:
            out.append(part)
    return out


def _table_row(state: _State, line: str, number: int) -> bool:
    table = state.table
    assert table is not None
    signs = _LONE_SIGN.search(line) is not None
    tokens = _without_signs(line.split()) if signs else line.split()
    amounts = [t for t in tokens if is_amount(t)]
    if not amounts:
        return False
    segments = [s for s in _SEGMENT_SPLIT.split(line.strip()) if s]
    if signs:
        segments = _without_signs(segments)
    if "\t" in line:
        tabbed = [cell.strip() for cell in line.strip("\r\n").split("\t")]
        if len(tabbed) == len(table.columns):
            segments = tabbed  # a spreadsheet paste: an empty cell is still a cell
    cells: dict[str, str] | None = None
    if len(segments) == len(table.columns):
        cells = {name: text for name, text in zip(table.columns, segments, strict=True) if name and text}
    elif len(amounts) == len(table.amount_columns):
        cells = _by_order(tokens, table)
    # The words before the first amount name the row: "Claim totals $5,060.00 ..." is the totals.
    leading = tokens[: next(i for i, t in enumerate(tokens) if is_amount(t))]
    first_text = " ".join(t for t in leading if t.strip("|"))
    if cells is None:
        if not find_labels([line], label_field):
            state.notes.add(
                f"Line {number} has {len(amounts)} amounts but the table header names "
                f"{len(table.amount_columns)} amount columns; it was not read."
            )
            return True
        return False
    if is_other_total_label(first_text) or is_other_total_label(line.strip()):
        return True  # a page's, a provider's or the document's sum: no line, not the claim's totals
    if is_total_label(first_text) or is_total_label(line.strip()):
        state.claim.totals.update(read_amounts(cells, where=f"Line {number}"))
        # Medicare's "Total for Claim #21-0344-889-120 (Assigned)" is where it prints the number.
        named = _CLAIM_IN_TOTAL.search(first_text)
        if named:
            state.claim.label("claim_number", named.group(1))
        return True
    if "service_date" not in cells and "code" not in cells and len(amounts) < 2:
        return False
    state.pending.append(dict(cells, _where=f"Line {number}"))
    state.pending.append({})
    return True


def _by_order(tokens: list[str], table: _Table) -> dict[str, str]:
    """Amounts in the order of the header's amount columns; the text before them is the date,
    the code and the description; the text after them is the remark codes."""
    first = next(i for i, t in enumerate(tokens) if is_amount(t))
    last = max(i for i, t in enumerate(tokens) if is_amount(t))
    amounts = [t for t in tokens[first : last + 1] if is_amount(t)]
    cells = dict(zip(table.amount_columns, amounts, strict=True))
    before = " ".join(tokens[:first])
    if "approved" in table.columns:
        # Medicare's "Service Approved?" column: a Yes or No just before the amounts.
        head, _, answer = before.rpartition(" ")
        if parse_yes_no(answer) is not None:
            cells["approved"], before = answer, head
    dates = find_dates(before)
    if dates:
        cells["service_date"] = before
        before = re.sub(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}", " ", before)
    code = find_coded(before)
    if code:
        cells["code"] = code[0]
        cells["modifiers"] = " ".join(code[2])
    if before.strip(" -"):
        cells["description"] = before.strip(" -")
    after = " ".join(t for t in tokens[last + 1 :] if not is_amount(t))
    if after and "remarks" in table.columns:
        cells["remarks"] = after
    return cells


def _labels(state: _State, line: str, number: int) -> None:
    segments = [s for s in _SEGMENT_SPLIT.split(line.strip()) if s]
    pairs = find_labels(segments, label_field)
    if not pairs and len(segments) == 2:
        name = label_field(segments[0])
        if name is not None:
            pairs = [(name, segments[1])]
    if not pairs and len(segments) == 1:
        spaced = _spaced_label(segments[0])
        pairs = [spaced] if spaced else []
    for name, value in pairs:
        if name.startswith("total:"):
            state.claim.totals.update(read_amounts({name[6:]: value}, where=f"Line {number}"))
        elif name in _LINE_LABELS:
            current = state.pending[-1]
            if name in current:
                state.pending.append({})
                current = state.pending[-1]
            current[name] = value
            current.setdefault("_where", f"Line {number}")
        else:
            _claim_label(state, name, value)


#: Fields a "label value" line without a colon may set, each with the test its value must pass.
_SPACED_VALUES = {
    "claim_number": lambda v: len(v.split()) == 1 and any(c.isdigit() for c in v),
    "network": lambda v: parse_network(v) is not None,
    "provider": lambda v: organisation_name(v) is not None,
    "facility": lambda v: organisation_name(v) is not None,
    "service_date": lambda v: bool(find_dates(v)),
    "received_date": lambda v: len(find_dates(v)) == 1,
    "processed_date": lambda v: len(find_dates(v)) == 1,
}


def _spaced_label(line: str) -> tuple[str, str] | None:
    """ "Amount billed $2,950.00": the longest run of leading words that names a field, and the
    rest, when the rest is a value that field can take (an amount field takes one amount)."""
    words = line.split()
    if ":" in line or len(words) < 2:
        return None
    for size in range(min(MAX_LABEL_WORDS, len(words) - 1), 0, -1):
        name = label_field(" ".join(words[:size]))
        if name is None:
            continue
        value = " ".join(words[size:])
        if name in AMOUNTS or name.startswith("total:"):
            return (name, value) if len(words) - size == 1 and is_amount(value) else None
        valid = _SPACED_VALUES.get(name)
        return (name, value) if valid is not None and valid(value) else None
    return None


def _claim_label(state: _State, name: str, value: str) -> None:
    if name == "claim_number":
        known = state.claim.fields.get("claim_number")
        if known is not None and claim_number_of(known) != claim_number_of(value):
            _close_claim(state)
    if name == "service_date" and len(find_dates(value)) < 2:
        # One date belongs to the service line it is printed with; a range is the claim's.
        current = state.pending[-1]
        if "service_date" in current:
            state.pending.append({})
            current = state.pending[-1]
        current["service_date"] = value
        return
    state.claim.label(name, value)


def _close_claim(state: _State) -> None:
    _attach_lines(state)
    state.claims.append(ClaimDraft())
    state.pending = [{}]


def _attach_lines(state: _State) -> None:
    priced = [any(k in AMOUNTS for k in cells) for cells in state.pending]
    cells_list = [cells for cells, has_amounts in zip(state.pending, priced, strict=True) if has_amounts]
    # "Date of Service: 08/14/2026" printed above a table has no amounts of its own: it is the
    # claim's date, and build_claim gives it to each row that prints none.
    orphan_dates = {
        cells["service_date"]
        for cells, has_amounts in zip(state.pending, priced, strict=True)
        if not has_amounts and "service_date" in cells
    }
    if len(orphan_dates) == 1:
        state.claim.label("service_date", orphan_dates.pop())
    for cells in cells_list:
        where = cells.pop("_where", "A line")
        line_id = str(len(state.claim.lines) + 1)
        state.claim.lines.append(read_line(line_id, cells, where=where))
    state.pending = [{}]


def _finish(state: _State) -> list[ClaimDraft]:
    _attach_lines(state)
    return state.claims
