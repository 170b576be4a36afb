"""The deductible and out-of-pocket standing an EOB prints, read from its rows of text.

Nearly every EOB ends with the plan's standing: "Individual deductible: $1,500.00  Met so far:
$620.00", "You have met $1,100.00 of your $4,000.00 out-of-pocket maximum", or a small table
("Limit  Met  Remaining" over a "Deductible" and an "Out-of-pocket" row, the same turned on
its side, or one column per network over "Deductible" / "Met so far" rows, of which the
in-network column is kept). It is the insurer's own tally, and the one figure that proves a later claim was
charged after a limit was reached, so the readers keep it instead of taking its rows for
service lines or refusing the document for an amount they cannot place.

A row is read only when every word in it belongs to such a standing: the limit's name, its
scope, what the figure is (the limit, what is met, what remains) and a few connecting words.
Anything else (a "Plan paid" beside it, "applied to your deductible", which is what one claim
added, or an out-of-network standing, which has limits of its own the replay does not use)
leaves the row to the other readers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

import msgspec

from scanner.ingest.values import find_dates, whole_network_status
from scanner.model import Claim, PrintedAccumulators
from scanner.money import Money, MoneyError, parse_money

Kind = Literal["deductible", "oop"]
Role = Literal["limit", "met", "remaining"]

_AMOUNT = re.compile(r"\(?-?\$\s?\d[\d,]*(?:\.\d{2})?\)?|\b\d[\d,]*\.\d{2}\b")
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("oop", re.compile(r"\bout[\s-]*of[\s-]*pocket\b|\boop\b|\bmoop\b", re.IGNORECASE)),
    ("deductible", re.compile(r"\bdeductibles?\b", re.IGNORECASE)),
)
_FAMILY = re.compile(r"\bfamily\b", re.IGNORECASE)
#: What one claim added ("applied to your deductible") or another network's standing.
_NOT_A_STANDING = re.compile(
    r"\bapplied\b|\btowards?\b|\bcredited\b|\bcounts?\b|\bthis claim\b|out[\s-]*of[\s-]*network"
    r"|\bnon[\s-]*(?:network|participating)\b|\boon\b",
    re.IGNORECASE,
)
_ROLES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    ("remaining", re.compile(r"\b(?:remaining|left|still to meet|to go)\b", re.IGNORECASE)),
    (
        "met",
        re.compile(
            r"\b(?:met|satisfied|so far|to date|year[\s-]*to[\s-]*date|ytd|accumulated|used|spent)\b",
            re.IGNORECASE,
        ),
    ),
    ("limit", re.compile(r"\b(?:max(?:imum)?|limit|annual|individual|family|per (?:person|member))\b", re.I)),
)
#: Every other word a standing row may hold.
_CONNECTING_WORDS = (
    "you your have has had the plan plan's plans of for so far to date year this as amount "
    "amounts total in network in-network is are been member person per calendar benefit "
    "period status and a an on at with what combined embedded aggregate medical expense "
    "expenses cost costs share sharing summary accumulator accumulators benefits out pocket "
    "out-of-pocket oop moop deductible deductibles max maximum limit met remaining left "
    "satisfied accumulated used spent ytd year-to-date individual family annual still meet "
    "go level tier account "
)
_CONNECTING = frozenset(_CONNECTING_WORDS.split())


def _words(text: str) -> list[str]:
    stripped = _DATE.sub(" ", _AMOUNT.sub(" ", text))
    return re.findall(r"[a-z][a-z'\-]*", stripped.lower())


def _only_standing_words(text: str) -> bool:
    return all(word in _CONNECTING for word in _words(text))


def _kinds(text: str) -> list[Kind]:
    return [kind for kind, pattern in _KINDS if pattern.search(text)]


def _role(text: str) -> Role | None:
    """The role the text names; "individual", "family" and "annual" name the limit only when
    nothing else does ("Family deductible met" is what is met)."""
    for role, pattern in _ROLES:
        if pattern.search(text):
            return role
    return None


def _first_role(text: str) -> Role | None:
    """The role named first: what follows an amount ("$1,500.00 individual. Met so far")."""
    found = [(match.start(), role) for role, pattern in _ROLES if (match := pattern.search(text))]
    return min(found)[1] if found else None


def _amounts(text: str) -> list[tuple[int, int, Money]]:
    found = []
    for match in _AMOUNT.finditer(text):
        try:
            amount = parse_money(match.group().replace(" ", ""))
        except MoneyError:
            return []
        if amount < 0:
            return []  # a standing is never negative: this is some other row
        found.append((match.start(), match.end(), amount))
    return found


def _field(kind: Kind, family: bool, role: Role) -> str:
    if role == "remaining":
        name = f"{kind}_remaining"
    elif role == "met":
        name = f"{kind}_met"
    else:
        name = "deductible" if kind == "deductible" else "oop_max"
    return f"family_{name}" if family else name


@dataclass
class _Table:
    """A standing printed as a table: roles across with kinds down, kinds across, or one column
    per network with the figures down."""

    #: The roles across the top (kinds down the rows), or else the kinds (with whether each is
    #: the family's) across the top and the roles down.
    roles: list[Role] = field(default_factory=list)
    kinds: list[tuple[Kind, bool]] = field(default_factory=list)
    #: Or the networks across the top: the index of the in-network column, and how many.
    in_network: int = -1
    networks: int = 0
    #: The kind (and whether the family's) of the network table's last row: a "Met so far" row
    #: under "Deductible" is what is met of the deductible.
    last: tuple[Kind, bool] | None = None

    @property
    def width(self) -> int:
        return len(self.roles or self.kinds) or self.networks


@dataclass
class StandingReader:
    """Reads the standing's rows one at a time (``read`` says whether a row was one of them)."""

    figures: dict[str, Money] = field(default_factory=dict)
    dates: list[dt.date] = field(default_factory=list)
    _table: _Table | None = None

    def read(self, text: str) -> bool:
        if self._network_header(text):
            return True
        if not text.strip() or _NOT_A_STANDING.search(text) or not _only_standing_words(text):
            self._table = None
            return False
        amounts = _amounts(text)
        if not amounts and _AS_OF.search(text) and (dates := find_dates(text)):
            self.dates += dates  # "Your account summary (as of 10/31/2026)" above the standing
            return True
        if not amounts:
            return self._header(text)
        if self._table is not None and self._table_row(text, amounts):
            return True
        self._table = None
        return self._row(text, amounts)

    def result(self) -> PrintedAccumulators | None:
        figures = dict(self.figures)
        for limit, met in (
            ("deductible", "deductible_met"),
            ("oop_max", "oop_met"),
            ("family_deductible", "family_deductible_met"),
            ("family_oop_max", "family_oop_met"),
        ):
            remaining = figures.pop(met.replace("_met", "_remaining"), None)
            if met not in figures and remaining is not None and limit in figures:
                figures[met] = Money(max(figures[limit] - remaining, 0))
        if not figures:
            return None
        return msgspec.structs.replace(PrintedAccumulators(), **figures)

    # --- one row -------------------------------------------------------------------------

    def _keep(self, name: str, amount: Money) -> None:
        self.figures.setdefault(name, amount)

    def _row(self, text: str, amounts: list[tuple[int, int, Money]]) -> bool:
        figures = _row_figures(text, amounts)
        if figures is None:
            return False
        for name, amount in figures:
            self._keep(name, amount)
        self.dates += find_dates(text)
        return True

    # --- a table -------------------------------------------------------------------------

    def _header(self, text: str) -> bool:
        cells = _cells(text)
        roles = [_role(cell) for cell in cells]
        kinds = [_kinds(cell) for cell in cells]
        if len(cells) >= 2 and all(len(k) == 1 for k in kinds):
            across = [(k[0], bool(_FAMILY.search(c))) for k, c in zip(kinds, cells, strict=True)]
            self._table = _Table(kinds=across)
            return True
        if len(cells) >= 2 and not any(kinds) and all(roles) and len(set(roles)) == len(roles):
            self._table = _Table(roles=[r for r in roles if r is not None])
            return True
        return False

    def _network_header(self, text: str) -> bool:
        """Titles naming one network each, one of them in-network: only that column is kept,
        as the replay counts in-network limits only."""
        networks = [whole_network_status(cell) for cell in _cells(text)]
        ours = [index for index, network in enumerate(networks) if network == "in"]
        if len(networks) < 2 or len(ours) != 1 or None in networks:
            return False
        self._table = _Table(in_network=ours[0], networks=len(networks))
        return True

    def _network_row(self, table: _Table, label: str, amount: Money) -> bool:
        kinds = _kinds(label)
        if len(kinds) > 1:
            return False
        last = (kinds[0], bool(_FAMILY.search(label))) if kinds else table.last
        if last is None:
            return False
        table.last = last
        self._keep(_field(last[0], last[1], _role(label) or "limit"), amount)
        return True

    def _table_row(self, text: str, amounts: list[tuple[int, int, Money]]) -> bool:
        table = self._table
        assert table is not None
        label = text[: amounts[0][0]]
        if len(amounts) != table.width or not label.strip():
            return False
        if table.networks:
            return self._network_row(table, label, amounts[table.in_network][2])
        if table.roles:
            kinds = _kinds(label)
            if len(kinds) != 1:
                return False
            family = bool(_FAMILY.search(label))
            names = [_field(kinds[0], family, role) for role in table.roles]
        else:
            role = _role(_FAMILY.sub(" ", label))
            if role is None or _kinds(label):
                return False
            names = [_field(kind, family, role) for kind, family in table.kinds]
        for name, (_, _, amount) in zip(names, amounts, strict=True):
            self._keep(name, amount)
        return True


def _row_figures(text: str, amounts: list[tuple[int, int, Money]]) -> list[tuple[str, Money]] | None:
    """(field, amount) of each figure of a one-row standing, or None when the row is no standing.

    A row may print several figures, each after its own label: "Individual deductible: $150.00 ·
    Family deductible: $300.00", "Deductible: $500.00 met   Out-of-pocket maximum: $1,000.00 met".
    Each part (:func:`_parts`) is read by itself; a part that names no kind or whom it is for
    goes on with the part before ("Family: $300.00"). A scope printed right after an amount
    ("$1,500.00 individual / $3,000.00 family") is that amount's."""
    figures: list[tuple[str, Money]] = []
    kind: Kind | None = None
    family = False
    for start, end in _parts(text, amounts):
        piece = text[start:end]
        found = [(s - start, e - start, amount) for s, e, amount in amounts if start <= s and e <= end]
        kinds = _kinds(piece)
        if len(kinds) > 1:
            return None
        kind = kinds[0] if kinds else kind
        roles = _row_roles(piece, found)
        if kind is None or roles is None:
            return None
        family = _part_scope(piece, found, family)
        for (_, amount_end, amount), role in zip(found, roles, strict=True):
            after = _SCOPE_AFTER.match(piece, amount_end)
            own = _is_family(after.group(1)) if after else family
            figures.append((_field(kind, own, role), amount))
    return figures


#: Whom a figure is for, when the row says: the individual (a person, a member) or the family.
_SCOPE = re.compile(r"\b(?:individual|per (?:person|member)|family)\b", re.IGNORECASE)
#: A scope printed right after an amount qualifies that amount: "$1,500.00 individual".
_SCOPE_AFTER = re.compile(r"\s?\(?(individual|per (?:person|member)|family)\b", re.IGNORECASE)
#: What may begin a figure's own label within a row: whom it is for, or its kind.
_LABEL_START = re.compile(rf"{_SCOPE.pattern}|{'|'.join(p.pattern for _, p in _KINDS)}", re.IGNORECASE)
#: What sets one figure's label apart from the figure before it.
_APART = re.compile(r"\s{2,}|\t|[·•|;,]")


def _is_family(scope: str) -> bool:
    return scope.lower() == "family"


def _parts(text: str, amounts: list[tuple[int, int, Money]]) -> list[tuple[int, int]]:
    """Spans of a row that each print their own figures: a new part begins at a scope or kind
    that follows an amount, set apart from it ("$150.00 · Family", "$500.00 met   Out-of-pocket")
    or labelling the next amount ("Family deductible: $300.00"). A scope right after an amount
    qualifies it ("$1,500.00 individual"), and a kind named after the figures ("of your
    $4,000.00 out-of-pocket maximum") ends no part."""
    starts = [0]
    for match in _LABEL_START.finditer(text):
        at = match.start()
        before = [end for start, end, _ in amounts if starts[-1] <= start and end <= at]
        if not before:
            continue
        gap = text[before[-1] : at]
        trailing = _SCOPE_AFTER.match(text, before[-1])
        if trailing is not None and trailing.start(1) == at:
            continue  # "$1,500.00 individual. Met so far: ..." qualifies the amount before
        following = [start for start, _, _ in amounts if start >= match.end()]
        labels_next = bool(following) and ":" in text[match.end() : following[0]]
        if (_APART.search(gap) and following) or labels_next:
            starts.append(at)
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def _part_scope(piece: str, found: list[tuple[int, int, Money]], family: bool) -> bool:
    """Whether a part's figures are the family's: as its label says ("Family deductible:"), else
    as its other words do ("remaining of your family maximum"), else as the part before."""
    label = _SCOPE.findall(piece[: found[0][0]]) if found else []
    trailing = {match.start(1) for _, end, _ in found if (match := _SCOPE_AFTER.match(piece, end))}
    named = label or [m.group() for m in _SCOPE.finditer(piece) if m.start() not in trailing]
    return _is_family(named[-1]) if named else family


def _cells(text: str) -> list[str]:
    """A row's cells: apart by two spaces or more, a tab or a bar."""
    return [cell for cell in re.split(r"\s{2,}|\t|\|", text.strip()) if cell.strip()]


def _row_roles(text: str, amounts: list[tuple[int, int, Money]]) -> list[Role] | None:
    """What each amount of a one-row standing is: named by the words before it ("Met so far:
    $620.00"), after it ("$620.00 met"), or as the second of "X of Y" or "X met / Y" (met X of
    the limit Y), whatever the words before X name."""
    roles: list[Role] = []
    for index, (start, end, _) in enumerate(amounts):
        before = text[amounts[index - 1][1] if index else 0 : start]
        after = text[end : amounts[index + 1][0] if index + 1 < len(amounts) else len(text)]
        if index and _OF.search(before):
            if roles[-1] == "limit":
                roles[-1] = "met"
            roles.append("limit")
            continue
        if index and before.rstrip().endswith("/") and (named := _first_role(before)) in ("met", "remaining"):
            roles[-1] = named  # "Out-of-pocket maximum: $1,100.00 met / $4,000.00"
            roles.append("limit")
            continue
        lead = _LEAD.match(after)
        names_next = bool(
            lead and index + 1 < len(amounts) and not re.match(r"\s*(?:of\b|/)", after[lead.end() :], re.I)
        )
        if names_next:
            # "Deductible: $1,500.00   Met so far: $620.00": the words name the next amount, and
            # a figure only named by its kind, beside what is met of it, is the limit.
            role = _role(before) or ("limit" if index == 0 and _kinds(before) else None)
        else:
            role = (
                (_role(lead.group(1)) if lead else None) or _role(before) or _first_role(after.split("$")[0])
            )
        if role is None and index == 0 and _kinds(before) and re.match(r"\s*of\b", after, re.IGNORECASE):
            role = "met"  # "Deductible: $620.00 of $1,500.00"
        if role is None:
            return None
        roles.append(role)
    return roles


#: A role printed right after the last amount (or before "of" / "/") names it, whatever the
#: label before names: "Out-of-pocket maximum: $1,100.00 met" is what is met of the maximum.
_LEAD = re.compile(r"\s*(met|remaining|left|used|satisfied|so far|to date)\b", re.IGNORECASE)
_AS_OF = re.compile(r"\bas\s+of\b", re.IGNORECASE)
_OF = re.compile(r"\bof\s*(?:your|the)?\s*$", re.IGNORECASE)


def with_standing(claims: list[Claim], reader: StandingReader) -> list[Claim]:
    """The claims, the last one carrying the standing the document printed.

    The standing is dated by the document: the latest processing date of its claims, when no
    date is printed beside it. On a document about several members, the individual figures
    could be any one's, so only the family's are kept."""
    if not claims:
        return claims
    dates = [claim.processed_date for claim in claims if claim.processed_date is not None]
    standing = standing_of(reader, max(dates, default=None))
    if standing is None:
        return claims
    if len({claim.member for claim in claims}) > 1:
        standing = msgspec.structs.replace(standing, deductible_met=None, oop_met=None)
    return [*claims[:-1], msgspec.structs.replace(claims[-1], accumulators=standing)]


def standing_of(reader: StandingReader, as_of: dt.date | None) -> PrintedAccumulators | None:
    """The standing read, dated by the last date printed on its rows ("met as of 03/28/2026"),
    else ``as_of`` (the EOB's own date)."""
    standing = reader.result()
    if standing is not None:
        standing.as_of = max(reader.dates, default=as_of)
    return standing
