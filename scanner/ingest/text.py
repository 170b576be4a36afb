"""Text copied from an EOB page or PDF.

Pasted text loses the page's positions, so two shapes are read:

- labelled values, one per line or several per line: ``Billed: $185.00``, ``Plan Paid: $120.00``,
  ``You Owe: $30.00``; a label printed a second time starts the next service line, and
  ``Total ...:`` labels are the claim's printed totals;
- table-like lines under a header line that names the columns with the same synonyms as the PDF
  reader (``Date  Service  Amount Billed  Allowed  Plan Paid  You Owe``): cells are matched by
  position when the text keeps the columns apart (tabs or runs of spaces), otherwise the amounts
  are matched to the header's amount columns in order; a header whose titles are apart by single
  spaces is read by its longest known titles and its rows word by word, unless the rows' words fit
  shorter titles better ("Service" and "Code" for "Service Code"), and a header printed over two or
  three lines ("Amount" over "Billed") is joined column by column; a row printing only a service
  code ("(70551)") right under a row without one is that row's code, printed under its description;
- a portal's detail view copied as "label value" lines with no colon: ``Amount billed $2,950.00``,
  ``Claim processed 07/21/2026``; only a whole amount, a date, a claim number, a network status or
  a business's name counts as the value, so a sentence that starts with a field's name stays prose.

A new ``Claim Number:`` starts a new claim, so several claims can be pasted at once; so does a claim
number labelled after the patient's name ("Casey Example (Self) - claim # 26301A0000001"), whose
name is not kept. A legend that defines the codes the lines print ("Remark A1: This amount was
applied to your deductible.") is read too (:mod:`scanner.ingest.legend`): its rows are neither lines nor labels.
"""

from __future__ import annotations

import dataclasses
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
    printed_codes,
    read_amounts,
)
from scanner.ingest.errors import DocumentError
from scanner.ingest.labels import find_labels
from scanner.ingest.legend import Legend, read_with_legend
from scanner.ingest.printed_accumulators import StandingReader, with_standing
from scanner.ingest.row_labels import (
    CLAIM_COLUMNS,
    another_claim,
    begins_next_claim,
    claim_cells,
    claim_column,
    row_labels,
    spaced_label,
)
from scanner.ingest.values import (
    ZERO_DASHES,
    code_alone,
    find_coded,
    find_dates,
    is_amount,
    is_currency_sign,
    is_date_text,
    parse_network,
    parse_units,
    parse_yes_no,
    without_dates,
)
from scanner.ingest.vocabulary import (
    AMOUNTS,
    LINE_FIELDS,
    cell_field,
    header_field,
    normalise,
    phrase_fields,
    spaced_header_readings,
)
from scanner.model import Claim

#: Fields of a service line that a label may carry in pasted text.
_LINE_LABELS = AMOUNTS | {"code", "description", "remarks", "units", "approved"}
#: Original Medicare's notice names no payer field; its title says who paid (appeal clocks differ).
_MEDICARE_NOTICE = re.compile(r"\bmedicare summary notice\b", re.IGNORECASE)
_CLAIM_IN_TOTAL = re.compile(r"\bclaim\s*(?:number|no\.?)?\s*#?\s*([A-Z0-9][\w-]*\d[\w-]*)", re.IGNORECASE)
_SEGMENT_SPLIT = re.compile(r"\t+|\s{2,}|\s*\|\s*")
#: An NPI among a line's words when the columns are not apart: a number of ten digits.
_TEN_DIGITS = re.compile(r"(?<![\w.,$/-])\d{10}(?![\w.,/-])", re.ASCII)
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
    #: The header's titles are apart by single spaces: its rows are read word by word
    #: (:func:`_by_words`), and ``kinds`` holds every title's field, read or not.
    spaced: bool = False
    kinds: list[str] = field(default_factory=list)
    #: A single-spaced header's other readings, in order (:func:`_decide`): a run of titles such
    #: as "Deductible Copay Coinsurance" as one combined column, which the first row's count of
    #: amounts decides, and titles read shorter ("Service" and "Code" for "Service Code"), which
    #: the rows' words decide.
    alternatives: list[_Table] = field(default_factory=list)

    @property
    def score(self) -> tuple[int, int]:
        return len(self.amount_columns), sum(1 for name in self.columns if name)


def _table_of(columns: list[str | None]) -> _Table | None:
    amounts = [name for name in columns if name in AMOUNTS]
    if len(amounts) >= 2 and sum(1 for name in columns if name) >= 3:
        return _Table(columns, amounts)
    return None


@dataclass
class _State:
    notes: Notes
    legend: Legend
    claims: list[ClaimDraft] = field(default_factory=lambda: [ClaimDraft()])
    pending: list[dict[str, str]] = field(default_factory=lambda: [{}])
    table: _Table | None = None
    #: The lines just above, without amounts: the upper lines of a header printed over two or
    #: three lines ("Amount" over "Billed").
    above: list[str] = field(default_factory=list)
    #: The plan's deductible and out-of-pocket standing, wherever the text prints it.
    standing: StandingReader = field(default_factory=StandingReader)
    #: The cells of the table row read from the line just above, if that line was one: the row
    #: a code printed alone under it belongs to (:func:`_code_under_row`).
    last_row: dict[str, str] | None = None

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
            or (spaced_label(line, label_field) or ("", ""))[0] in AMOUNTS
        )
        if labelled or any(_header(line) for line in lines):
            return 0.5
        if any(_stacked_header(lines[i : i + 2]) for i in range(len(lines) - 1) if lines[i].strip()):
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
    medicare = _MEDICARE_NOTICE.search(text[:4096]) is not None
    return read_with_legend(lines, lambda legend: _read_lines(lines, legend, source, medicare=medicare))


def _read_lines(
    lines: list[str], legend: Legend, source: Source, *, medicare: bool
) -> tuple[tuple[list[Claim], list[str]], set[str]]:
    """The claims and notes of the text's lines read with ``legend``, and the codes they print."""
    state = _State(Notes(), legend)
    for number, line in enumerate(lines, start=1):
        _read_line(state, line, number)
    drafts = _finish(state)
    if medicare:
        for draft in drafts:
            draft.label("payer", "Medicare")
    claims = with_standing(build_claims(drafts, source, state.notes), state.standing)
    return (claims, state.notes.items), printed_codes(drafts)


def _header(line: str) -> _Table | None:
    if any(is_amount(token) for token in line.split()):
        return None
    segments = [s for s in _SEGMENT_SPLIT.split(line.strip()) if s]
    if len(segments) == 1:
        return _spaced_header(segments[0])
    by_segment = [header_field(s, LINE_FIELDS) for s in segments]
    if sum(1 for f in by_segment if f in AMOUNTS) >= 2 and sum(1 for f in by_segment if f) >= 3:
        columns = [f or claim_column(s) for f, s in zip(by_segment, segments, strict=True)]
        return _Table(columns, [f for f in by_segment if f in AMOUNTS])
    found = [f for f, _, _ in phrase_fields(line) if f in LINE_FIELDS]
    amounts = [f for f in found if f in AMOUNTS]
    if len(amounts) >= 2 and len(found) >= 3:
        return _Table(list(found), amounts)
    return None


def _spaced_header(text: str) -> _Table | None:
    """A header whose titles are apart by single spaces, read by the longest known titles
    (:func:`~scanner.ingest.vocabulary.spaced_header_readings`). Titles of fields a line does not
    keep (the provider, the patient) stay columns that are not read, so that their words are
    not taken for a description."""
    tables: list[_Table] = []
    for kinds in spaced_header_readings(text):
        table = _table_of([name if name in LINE_FIELDS else None for name in kinds])
        if table is None and not tables:
            return None  # the longest titles say whether the line is a header at all
        if table is not None:
            table.spaced, table.kinds = True, kinds
            tables.append(table)
    tables[0].alternatives = tables[1:]
    return tables[0]


def _stacked_header(lines: list[str]) -> _Table | None:
    """A header printed over several lines ("Amount" over "Billed", "Your" over "Share"), its
    titles joined column by column where their characters overlap (cell by cell when the lines
    are tab-separated). As on a PDF page, a title over several columns ("Your Share" over
    "Deductible  Copay  Coinsurance") is a group title, and a title that would turn the words
    under it into no column's name is left out."""
    tabbed = ["\t" in line for line in lines]
    if (any(tabbed) and not all(tabbed)) or any(is_amount(t) for line in lines for t in line.split()):
        return None
    groups: list[tuple[int, int, list[str]]] = []
    for line in reversed(lines):
        for x0, x1, text in _placed_cells(line, tabbed[0]):
            hits = [i for i, (a, b, _) in enumerate(groups) if min(x1, b) > max(x0, a)]
            if len(hits) == 1:
                a, b, texts = groups[hits[0]]
                merged = [text, *texts]
                if header_field(" ".join(texts), LINE_FIELDS) and not header_field(
                    " ".join(merged), LINE_FIELDS
                ):
                    continue
                groups[hits[0]] = (min(a, x0), max(b, x1), merged)
            elif not hits:
                groups.append((x0, x1, [text]))
    groups.sort(key=lambda g: g[0])
    columns: list[str | None] = []
    for _, _, texts in groups:
        name = header_field(" ".join(texts), LINE_FIELDS)
        columns.append(None if name in columns else name)
    return _table_of(columns)


def _placed_cells(line: str, tabbed: bool) -> list[tuple[int, int, str]]:
    """A line's cells with where they stand: their characters, or their index between tabs."""
    if tabbed:
        return [(i, i + 1, cell.strip()) for i, cell in enumerate(line.split("\t")) if cell.strip()]
    cells, start = [], 0
    for gap in [*_SEGMENT_SPLIT.finditer(line), None]:
        end = gap.start() if gap else len(line)
        text = line[start:end]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            cells.append((start + lead, start + len(text.rstrip()), text.strip()))
        start = gap.end() if gap else end
    return cells


def _header_at(state: _State, line: str) -> _Table | None:
    """The header that ends with ``line``: the line alone, or joined with the one or two lines
    just above it when that names more columns than each of its lines, and each shorter stack,
    names alone (a title line over a one-line header changes nothing)."""
    single = _header(line)
    # Titles stacked in columns: the lowest line has at least two cells (prose has one).
    if not state.above or len(_SEGMENT_SPLIT.split(line.strip())) < 2:
        return single
    if any(len(text) > _LONGEST_STACKED_LINE for text in (*state.above, line)):
        return single
    best = single
    stack = [*state.above, line]
    known: dict[tuple[int, int], tuple[int, int]] = {}

    def score(i: int, j: int) -> tuple[int, int]:
        if (i, j) not in known:
            table = _stacked_header(stack[i:j]) if j - i > 1 else _header(stack[i])
            known[i, j] = table.score if table is not None else (0, 0)
        return known[i, j]

    for start in range(len(stack) - 2, -1, -1):
        table = _stacked_header(stack[start:])
        if table is None or (best is not None and table.score <= best.score):
            continue
        rivals = [
            score(i, j)
            for i in range(start, len(stack))
            for j in range(i + 1, len(stack) + 1)
            if (i, j) != (start, len(stack))
        ]
        if all(table.score > rival for rival in rivals):
            best = table
    return best


#: Header lines are short; a longer line is not joined with others (it would cost time only).
_LONGEST_STACKED_LINE = 1000


def _read_line(state: _State, line: str, number: int) -> None:
    last_row, state.last_row = state.last_row, None
    if state.legend.holds(line):
        state.above = []
        return
    if state.standing.read(line):
        state.above = []
        return
    if not line.strip():
        state.above = []
        return
    if last_row is not None and _code_under_row(last_row, line):
        state.above = []
        return
    if any(is_amount(token) for token in line.split()):
        header, state.above = None, []
    else:
        header = _header_at(state, line)
        state.above = [*state.above, line][-2:]
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


def _with_credits(tokens: list[str]) -> list[str]:
    """A credit printed after its amount ("$28.00 CR", a reversal) is part of it: one token, read
    as negative. Dropped as a word of its own, the reversal would read as a second charge."""
    out: list[str] = []
    for token in tokens:
        if token.lower() == "cr" and out and is_amount(out[-1]):
            out[-1] = f"{out[-1]} {token}"
        else:
            out.append(token)
    return out


def _priced(token: str) -> bool:
    """Whether a row's token is an amount, a credit with its "CR" included."""
    return is_amount(token.split()[0])


def _table_row(state: _State, line: str, number: int) -> bool:
    table = state.table
    assert table is not None
    signs = _LONE_SIGN.search(line) is not None
    tokens = _with_credits(_without_signs(line.split()) if signs else line.split())
    amounts = [t for t in tokens if _priced(t)]
    if not amounts:
        return False
    segments = [s for s in _SEGMENT_SPLIT.split(line.strip()) if s]
    if signs:
        segments = _without_signs(segments)
    if "\t" in line:
        tabbed = [cell.strip() for cell in line.strip("\r\n").split("\t")]
        if len(tabbed) == len(table.columns):
            segments = tabbed  # a spreadsheet paste: an empty cell is still a cell
    if table.alternatives:
        table = _decide(state, table, tokens, number)
    # The words before the first amount name the row: "Claim totals $5,060.00 ..." is the totals.
    leading = tokens[: next(i for i, t in enumerate(tokens) if _priced(t))]
    first_text = " ".join(t for t in leading if t.strip("|"))
    cells: dict[str, str] | None = None
    pieces = segments if len(segments) == len(table.columns) else _pieces(segments, table)
    if len(pieces) == len(table.columns):
        cells = {name: text for name, text in zip(table.columns, pieces, strict=True) if name and text}
    elif table.spaced and len(amounts) == len(table.amount_columns):
        totals = any(
            check(text)
            for check in (is_total_label, is_other_total_label)
            for text in (first_text, line.strip())
        )
        read = _by_words(tokens, table, amounts_only=totals)
        if isinstance(read, str):
            state.notes.add(f"Line {number}: {read}; it was not read.")
            return True
        cells = read
    elif len(amounts) == len(table.amount_columns):
        cells = _by_order(tokens, table)
    elif _charges_only(tokens, table):
        cells = _charges_cells(tokens, segments, table)
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
    _claim_cells(state, cells)
    row = dict(cells, _where=f"Line {number}")
    state.pending.extend([row, {}])
    state.last_row = row
    return True


def _code_under_row(row: dict[str, str], line: str) -> bool:
    """Whether ``line`` prints only a service code ("(70551)") right under a table row: the code
    of that row, printed under its description, which is given to the row when it has none.
    Such a line is no service line of its own, and a row that already has its code keeps it."""
    code = code_alone(line)
    if code is None:
        return False
    if find_coded(row.get("code", ""), cell=True) is None and find_coded(row.get("description", "")) is None:
        row["code"] = code
    return True


_COMBINED_NAMES = {
    "copay_and_coinsurance": "the copay and the coinsurance",
    "deductible_and_cost_sharing": "the deductible, copay and coinsurance",
}


def _decide(state: _State, table: _Table, tokens: list[str], number: int) -> _Table:
    """The reading of a single-spaced header that a row is read by. Only a reading that names as
    many amount columns as the row prints amounts can be right, and the first row that one fits
    drops the others: a combined column is a column of the whole table. Of those left, a row
    keeps the readings its words fit best (:func:`_fit`) and drops the others for the rows
    after, as a table's columns are the same on every row: a later row without its date is then
    reported rather than read by titles the first row showed wrong. The first reading kept is
    used, so the longest titles stay unless a row shows them wrong."""
    amounts = sum(1 for token in tokens if _priced(token))
    readings = [reading for reading in (table, *table.alternatives) if len(reading.amount_columns) == amounts]
    if not readings:
        return table  # none: a line that is no row of this table, or a row with a cell missing
    fits = [_fit(tokens, reading) for reading in readings]
    best, *tied = [reading for reading, fit in zip(readings, fits, strict=True) if fit == max(fits)]
    best.alternatives = tied
    _note_combined(state, [name for name in best.amount_columns if name not in table.amount_columns], number)
    state.table = best
    return best


def _note_combined(state: _State, combined: list[str], number: int) -> None:
    """Amounts printed as one column change what each amount means: the reader is told."""
    if combined:
        what = " and ".join(_COMBINED_NAMES.get(name, name) for name in combined)
        state.notes.add(
            f"The table header above line {number} was read with {what} in one column: "
            "its rows print one amount there."
        )


def _fit(tokens: list[str], table: _Table) -> int:
    """How well a row's words fit a reading of its header: the count of columns of a known shape
    (a date, a code, units) that words of that shape fill, or -1 when the reading leaves words
    under no column or can split them more than one way. A date read as the description, or a
    code taken into the provider's name, is a reading that does not fit."""
    read = _read_by_words(tokens, table, amounts_only=False)
    return -1 if isinstance(read, str) else read[1]


#: Columns whose cell a single-spaced row prints as words of a known shape, found by that shape;
#: a description, remarks or a name are the words left between them.
_DATE_KINDS = frozenset({"service_date", "processed_date", "received_date"})
_MODIFIER_WORD = re.compile(r"[A-Z0-9]{2},?", re.ASCII)
_DIAGNOSIS_WORD = re.compile(r"[A-TV-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?,?", re.ASCII)


def _shaped(kind: str, words: list[str]) -> bool:
    text = " ".join(words)
    if kind in _DATE_KINDS:
        return is_date_text(text)
    if kind == "code":
        bare = text.strip("()")
        found = find_coded(bare, cell=True)
        return len(words) == 1 and found is not None and bare.upper().startswith(found[0])
    if kind == "modifiers":
        return all(_MODIFIER_WORD.fullmatch(w) for w in words)
    if kind == "diagnoses":
        return all(_DIAGNOSIS_WORD.fullmatch(w) for w in words)
    if kind == "units":
        return len(words) == 1 and parse_units(text) is not None
    if kind == "network":
        return parse_network(text) is not None
    if kind == "approved":
        return len(words) == 1 and parse_yes_no(text) is not None
    if kind in _NPI_KINDS:  # ten digits; a wrong check digit is refused later, with a note
        return len(words) == 1 and _TEN_DIGITS.fullmatch(text) is not None
    return False


_FOOTNOTE_MARK = re.compile(r"[*\u2020\u2021\u00a7]+|\[\d{1,2}\]")
_NPI_KINDS = frozenset({"npi", "facility_npi"})
_SHAPED = _DATE_KINDS | _NPI_KINDS | {"code", "modifiers", "diagnoses", "units", "network", "approved"}
_MOST_WORDS = {
    "service_date": 7,
    "processed_date": 7,
    "received_date": 7,
    "modifiers": 4,
    "diagnoses": 4,
    "network": 3,
}


def _spans(kind: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the words hold a cell of that shape: (start, end), longest first at each start."""
    found: list[tuple[int, int]] = []
    start = 0
    while start < len(words):
        end = _span_from(kind, words, start)
        if end is None:
            start += 1
        else:
            found.append((start, end))
            start = end
    return found


def _span_from(kind: str, words: list[str], start: int) -> int | None:
    """The end of the longest cell of that shape starting at ``start``, or None."""
    most = min(len(words), start + _MOST_WORDS.get(kind, 1))
    return next((end for end in range(most, start, -1) if _shaped(kind, words[start:end])), None)


class _Ambiguous(Exception):
    """The words of a row can be split into the header's columns more than one way."""


def _split_words(words: list[str], kinds: list[str]) -> list[tuple[str, list[str]]]:
    """The words between two amounts (or before the first, after the last) given to the header's
    columns there, in order: a cell of a known shape (a date, a code) from either end, then the
    one column of free words (a description) between them. Raises :class:`_Ambiguous` when two
    columns of free words meet, or a shaped cell could be in more than one place."""
    if not words or not kinds:
        return [("", words)] if words else []
    first, last = kinds[0], kinds[-1]
    if first in _SHAPED:
        end = _span_from(first, words, 0)
        if end is not None:
            return [(first, words[:end]), *_split_words(words[end:], kinds[1:])]
    if last in _SHAPED:
        most = min(len(words), _MOST_WORDS.get(last, 1))
        size = next((n for n in range(most, 0, -1) if _shaped(last, words[-n:])), None)
        if size is not None:
            start = len(words) - size
            return [*_split_words(words[:start], kinds[:-1]), (last, words[start:])]
    # A shaped column whose cell is not where it should be is empty on this row.
    if first in _SHAPED:
        return _split_words(words, kinds[1:])
    if last in _SHAPED:
        return _split_words(words, kinds[:-1])
    if len(kinds) == 1:
        return [(first, words)]
    # Free words at both ends: a shaped column between them splits them, when its shape is found
    # exactly once.
    for index, kind in enumerate(kinds[1:-1], start=1):
        if kind not in _SHAPED:
            continue
        spans = _spans(kind, words)
        if len(spans) > 1:
            raise _Ambiguous
        if len(spans) == 1:
            start, end = spans[0]
            return [
                *_split_words(words[:start], kinds[:index]),
                (kind, words[start:end]),
                *_split_words(words[end:], kinds[index + 1 :]),
            ]
    raise _Ambiguous


def _by_words(tokens: list[str], table: _Table, *, amounts_only: bool = False) -> dict[str, str] | str:
    """A row of a single-spaced table, word by word: its amounts are the header's amount columns
    in order, and the words before, between and after them belong to the header's other columns
    at those places (:func:`_split_words`). A reason is returned when the words could be read
    more than one way: the row is then not read rather than guessed."""
    read = _read_by_words(tokens, table, amounts_only=amounts_only)
    return read if isinstance(read, str) else read[0]


def _read_by_words(
    tokens: list[str], table: _Table, *, amounts_only: bool
) -> tuple[dict[str, str], int] | str:
    """:func:`_by_words`, with the count of shaped columns filled (a processed date too, which is
    no cell of the line): how :func:`_fit` tells readings apart."""
    # A credit printed after its amount is already one token with it (:func:`_with_credits`);
    # a footnote mark printed apart ("$28.00 *") points elsewhere.
    words = [token for token in tokens if not _FOOTNOTE_MARK.fullmatch(token)]
    kinds = table.kinds
    amount_at = [i for i, kind in enumerate(kinds) if kind in AMOUNTS]
    priced = [i for i, word in enumerate(words) if _priced(word)]
    cells = {kinds[k]: words[w] for k, w in zip(amount_at, priced, strict=True)}
    if amounts_only:
        return cells, 0
    shaped = 0
    bounds = list(zip([-1, *amount_at], [*amount_at, len(kinds)], strict=True))
    places = list(zip([-1, *priced], [*priced, len(words)], strict=True))
    for place, ((k0, k1), (w0, w1)) in enumerate(zip(bounds, places, strict=True)):
        between, columns = words[w0 + 1 : w1], kinds[k0 + 1 : k1]
        try:
            parts = _split_words(between, columns)
        except _Ambiguous:
            return "its words could be split into the header's columns more than one way"
        for kind, part in parts:
            shaped += kind in _SHAPED and bool(part)
            if kind:
                if kind in LINE_FIELDS and part:
                    cells[kind] = " ".join(part)
            elif place == len(bounds) - 1:
                continue  # words after the last column (a footnote mark): nothing to read
            elif place == 0 and "description" not in kinds:
                cells["description"] = " ".join(part)  # a header that names no description
            else:
                return "some of its words are under no column of the header"
    return cells, shaped


def _pieces(segments: list[str], table: _Table) -> list[str]:
    """A row's segments with each amount apart from the words printed one space before it
    ("Lakeside Family Medicine $210.00" is two cells), for a row whose columns two spaces do not
    all set apart; none unless every amount then stands under an amount column and only there."""
    pieces: list[str] = []
    for segment in segments:
        words: list[str] = []
        for token in segment.split():
            if _priced(token):
                if words:
                    pieces.append(" ".join(words))
                    words = []
                pieces.append(token)
            else:
                words.append(token)
        if words:
            pieces.append(" ".join(words))
    if len(pieces) != len(table.columns):
        return []
    if any(_priced(piece) != (name in AMOUNTS) for piece, name in zip(pieces, table.columns, strict=True)):
        return []
    return pieces


def _claim_cells(state: _State, cells: dict[str, str]) -> None:
    """Take a row's cells of the claim's own fields out of its line's and give them to the
    claim: to the next claim when the row names another patient, provider or claim number than
    the lines before it (:func:`~scanner.ingest.row_labels.claim_cells`)."""
    printed = claim_cells(cells)
    if printed and _has_lines(state) and another_claim(state.claim, printed):
        _close_claim(state)
    for name, value in printed.items():
        state.claim.label(name, value)


def _charges_only(tokens: list[str], table: _Table) -> bool:
    """Whether a row prints one amount, last, under a table whose first amount column is the
    charges: perhaps a line of charges only ("0120  Room and board  $9,600.00" under "Charges
    Allowed ... You Owe"), a hospital's revenue line whose adjudication is in the totals row."""
    priced = [i for i, token in enumerate(tokens) if _priced(token)]
    return len(priced) == 1 and priced[0] == len(tokens) - 1 and table.amount_columns[0] == "billed"


def _charges_cells(tokens: list[str], segments: list[str], table: _Table) -> dict[str, str] | None:
    """A line of charges only, when it prints a service code (a revenue code is one only as a
    cell of its own): it leaves the claim to be judged by its totals (:mod:`scanner.totals_line`).
    None for any other row of one amount."""
    cells = _by_order(tokens, dataclasses.replace(table, amount_columns=["billed"]))
    if "code" in cells:
        return cells
    coded = find_coded(segments[0], cell=True) if len(segments) > 1 else None
    if coded is None or coded[0] != segments[0].strip():
        return None
    cells["code"] = coded[0]
    description = " ".join(tokens[len(segments[0].split()) : -1]).strip(" -")
    if description:
        cells["description"] = description
    else:
        cells.pop("description", None)
    return cells


def _unread_text_columns(table: _Table) -> bool:
    """Whether the header prints text columns a line does not read (a patient's name, a member
    id, a provider) before its amounts: the words of a row read by order alone may then be
    theirs, and are no description."""
    first = next(i for i, name in enumerate(table.columns) if name in AMOUNTS)
    return any(name is None or name in CLAIM_COLUMNS for name in table.columns[:first])


def _by_order(tokens: list[str], table: _Table) -> dict[str, str]:
    """Amounts in the order of the header's amount columns; the text before them is the date,
    the code, the NPI (a ten-digit number, when the header names an NPI column) and the
    description; the text after them is the remark codes."""
    first = next(i for i, t in enumerate(tokens) if _priced(t))
    last = max(i for i, t in enumerate(tokens) if _priced(t))
    amounts = [t for t in tokens[first : last + 1] if _priced(t)]
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
        before = without_dates(before)
    if "npi" in table.columns:
        npi = _TEN_DIGITS.search(before)
        if npi:
            cells["npi"] = npi.group(0)
            before = " ".join(f"{before[: npi.start()]} {before[npi.end() :]}".split())
    code = find_coded(before)
    if code:
        cells["code"] = code[0]
        cells["modifiers"] = " ".join(code[2])
    if before.strip(" -") and not _unread_text_columns(table):
        cells["description"] = before.strip(" -")
    after = " ".join(t for t in tokens[last + 1 :] if not _priced(t))
    if after and "remarks" in table.columns:
        cells["remarks"] = after
    return cells


def _labels(state: _State, line: str, number: int) -> None:
    segments = [s for s in _SEGMENT_SPLIT.split(line.strip()) if s]
    for name, value in row_labels(segments, label_field):
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


def _claim_label(state: _State, name: str, value: str) -> None:
    if begins_next_claim(
        name, value, number=state.claim.fields.get("claim_number"), priced=_has_lines(state)
    ):
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


def _has_lines(state: _State) -> bool:
    return bool(state.claim.lines) or any(any(k in AMOUNTS for k in cells) for cells in state.pending)


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
        state.claim.add_line(cells, where=where, legend=state.legend)
    state.pending = [{}]


def _finish(state: _State) -> list[ClaimDraft]:
    _attach_lines(state)
    return state.claims
