"""Reading printed values: dates, date ranges, network status, service codes and amount tokens.

Shared by the PDF, text and CSV readers so the same "03/01/2025", "In-Network" or "(12.00)" means
the same thing whatever document it came from. Amounts always go through
:func:`scanner.money.parse_money`: integer cents, never a float.
"""

from __future__ import annotations

import datetime as dt
import re

from scanner.money import Money, MoneyError, parse_money

#: A printed amount as a whole token: "$1,234.56", "1234.56", "(12.00)", "-$5.00", "$0". A bare
#: number in brackets, "(99285)", is a service code printed after its description, not an amount.
AMOUNT_TOKEN = re.compile(
    r"^(?:\(\s*(?:\$\s*[\d,]*\d(?:\.\d{1,2})?|[\d,]*\d\.\d{1,2}|\d{1,3}(?:,\d{3})+)\s*\)|[-\u2212]?\$?\s*\d{1,3}(?:,\d{3})+(?:\.\d{2})?"
    r"|[-\u2212]?\$?\d+\.\d{2}|[-\u2212]?\$\d+)$",
    re.ASCII,
)
#: Printed in a money column to say "nothing here" (not the same as $0.00).
EMPTY_AMOUNT = frozenset({"", "-", "--", "—", "–", "n/a", "na", "none"})

_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

#: "03/02/2026", "3/2/26", "03-02-2026": one separator throughout, so "03/02-03/05/2026" (a range
#: sharing its year) is not read as 2 March 2003.
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})\b", re.ASCII)
_NUMERIC_ANY = r"\b\d{1,2}(?:/\d{1,2}/|-\d{1,2}-)(?:\d{4}|\d{2})\b"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b", re.ASCII)
_WORD_DATE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b", re.ASCII)
#: What joins the two ends of a range: "03/02/2026 - 03/05/2026", "3/2/2026 to 3/5/2026".
_RANGE_JOIN = r"\s*(?:-|\u2013|\u2014|(?i:to|through|thru)\b)\s*"
#: A range whose first end prints no year: "03/02-03/05/2026", "3/2 to 3/5/26".
_SHARED_YEAR_RANGE = re.compile(
    rf"\b(\d{{1,2}})/(\d{{1,2}}){_RANGE_JOIN}(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}|\d{{2}})\b", re.ASCII
)
_ONE_DATE = rf"{_ISO_DATE.pattern}|{_NUMERIC_ANY}|{_WORD_DATE.pattern}"
_DATE_ANY = re.compile(rf"(?P<shared>{_SHARED_YEAR_RANGE.pattern})|{_ONE_DATE}", re.ASCII)
#: A date or a range of dates, as a run of text to take out of a description.
_DATE_RUN = re.compile(
    rf"{_SHARED_YEAR_RANGE.pattern}|(?:{_ONE_DATE})(?:{_RANGE_JOIN}(?:{_ONE_DATE}))?", re.ASCII
)

# CPT (5 digits, or 4 digits and a letter for category II/III), HCPCS level II, CDT. A hyphen may
# follow only to join modifiers: "45385-PT", "99213-25-59".
_CODE = re.compile(
    r"(?<![\w$.,/-])([A-V]\d{4}|\d{4}[FTU]|D\d{4}|\d{5})(?![\w.,/]|-(?![A-Za-z0-9]{2}\b))", re.ASCII
)
#: Modifiers joined to the code by hyphens, as descriptions print them: "-PT", "-25-59".
_JOINED_MODIFIERS = re.compile(r"(?:-[A-Za-z0-9]{2}\b)+", re.ASCII)
#: A code cell's own modifiers may also be separated by spaces or commas: "99213 25, 59".
_CELL_SEPARATORS = re.compile(r"[\s,;/-]+")
_MODIFIER = re.compile(r"[A-Z0-9]{2}", re.ASCII)
#: A line carries at most four modifiers (the claim forms' limit).
_MAX_MODIFIERS = 4
_NDC = re.compile(r"\b(\d{4,5}-\d{3,4}-\d{1,2})\b", re.ASCII)
_REV = re.compile(r"^(?:rev(?:enue)?\s*(?:code)?\s*)?(0\d{3})$", re.ASCII | re.IGNORECASE)


#: A footnote marker printed right after an amount ("$28.00*", "$28.00†", "$28.00[1]").
_FOOTNOTE = re.compile(r"(?<=\d)(?:[*†‡§]+|\[\d{1,2}\])$")


def without_footnote(token: str) -> str:
    return _FOOTNOTE.sub("", token.strip())


def is_amount(token: str) -> bool:
    return bool(AMOUNT_TOKEN.match(without_footnote(token)))


#: The dollar sign that accounting formats (PDF statements, spreadsheets) print apart from the
#: number, at the left edge of the cell: "$      1,234.00", "$   (12.00)", "$    -" (zero).
CURRENCY_SIGN = "$"
#: What accounting formats print for zero after the "$".
ZERO_DASHES = frozenset({"-", "--", "\u2212", "\u2013", "\u2014"})


def is_currency_sign(token: str) -> bool:
    """A "$" printed on its own: a sign that belongs to the number beside it, never a value."""
    return token.strip() == CURRENCY_SIGN


def _accounting(cleaned: str) -> str:
    """An accounting cell read as the amount it prints: "$   (12.00)" is "(12.00)", "$ -" (the
    format's zero) is "0.00" and a lone "$" is an empty cell. Other text is returned as it is."""
    if not cleaned.startswith(CURRENCY_SIGN):
        return cleaned
    rest = cleaned[1:].strip()
    if not rest:
        return ""
    if rest in ZERO_DASHES:
        return "0.00"
    if cleaned[1].isspace() or rest.startswith(("(", "-", "\u2212")):
        return rest
    return cleaned


def read_amount(text: str) -> Money | None:
    """An amount cell: None when the cell says nothing, else cents. Raises MoneyError."""
    cleaned = _accounting(without_footnote(text)).replace("$ ", "$")
    if cleaned.lower() in EMPTY_AMOUNT:
        return None
    if cleaned.endswith((" CR", " cr")):
        return Money(-parse_money(cleaned[:-3]))
    return parse_money(cleaned.replace("\u2212", "-"))


def find_dates(text: str) -> list[dt.date]:
    """Every date in ``text``, in order; both ends of a range that prints its year once
    ("03/02-03/05/2026")."""
    found = []
    for match in _DATE_ANY.finditer(text):
        dates = _shared_year_range(match.group(0)) if match.group("shared") else [_to_date(match.group(0))]
        found += [date for date in dates if date is not None]
    return found


def without_dates(text: str) -> str:
    """The text with its dates and date ranges taken out: "03/02/2026 - 03/05/2026 Room" -> "Room",
    "Riverbend Clinic 03/02/2026" -> "Riverbend Clinic"; what only looks like a date stays."""
    kept = _DATE_RUN.sub(lambda m: " " if find_dates(m.group(0)) else m.group(0), text)
    return " ".join(kept.split())


_RANGE_WORDS = frozenset({"-", "\u2013", "\u2014", "to", "thru", "through"})


def is_date_text(text: str) -> bool:
    """Whether ``text`` is a date or a range of two dates and nothing else ("03/02/2026",
    "Mar 3, 2026", "03/01/2026 - 03/04/2026")."""
    matches = list(_DATE_ANY.finditer(text))
    if not 1 <= len(matches) <= 2 or any(_to_date(m.group(0)) is None for m in matches):
        return False
    between = _DATE_ANY.sub(" ", text).split()
    if len(matches) == 1:
        return not between
    return len(between) <= 1 and all(w.lower() in _RANGE_WORDS for w in between)


def parse_date(text: str) -> dt.date | None:
    dates = find_dates(text)
    return dates[0] if dates else None


def parse_date_range(text: str) -> tuple[dt.date | None, dt.date | None]:
    """ "03/01/2025 - 03/04/2025" -> both ends; a single date -> (date, date)."""
    dates = find_dates(text)
    if not dates:
        return None, None
    return dates[0], dates[-1]


def _shared_year_range(text: str) -> list[dt.date | None]:
    """ "12/30-01/02/2026": the first end has the year of the second, or the year before when it
    would otherwise come after it."""
    match = _SHARED_YEAR_RANGE.fullmatch(text)
    assert match is not None
    first_month, first_day, month, day, year = (int(group) for group in match.groups())
    year += 2000 if year < 100 else 0
    end = _day(year, month, day)
    start = _day(year, first_month, first_day)
    if start is not None and end is not None and start > end:
        start = _day(year - 1, first_month, first_day)
    return [start, end]


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _to_date(text: str) -> dt.date | None:
    try:
        iso = _ISO_DATE.fullmatch(text)
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        numeric = _NUMERIC_DATE.fullmatch(text)
        if numeric:
            year = int(numeric.group(4))
            year += 2000 if year < 100 else 0
            return dt.date(year, int(numeric.group(1)), int(numeric.group(3)))
        words = _WORD_DATE.fullmatch(text)
        if words:
            month = _MONTHS.get(words.group(1).lower())
            if month is None:
                return None
            return dt.date(int(words.group(3)), month, int(words.group(2)))
    except ValueError:
        return None
    return None


#: Whole-word phrases that say a provider is out of network; read before the in-network ones,
#: which some of them contain ("not in network", "non participating"). The extension reads the
#: same words (generated into extension/content/vocabulary.js, read by ``parseNetwork``).
OUT_OF_NETWORK_PHRASES = (
    "out of network", "oon", "non participating", "nonparticipating", "non par", "nonpar",
    "non contracted", "noncontracted", "not in network", "non network",
)  # fmt: skip
IN_NETWORK_PHRASES = (
    "in network", "participating", "par", "par provider", "preferred", "contracted", "tier 1",
    "ppo network", "network provider",
)  # fmt: skip


#: Network columns that print a code: only as a whole cell ("in" inside a sentence says nothing).
IN_NETWORK_CODES = ("in", "inn", "y")
OUT_OF_NETWORK_CODES = ("out", "oon", "n")
_SHORT_CODES = {**dict.fromkeys(IN_NETWORK_CODES, "in"), **dict.fromkeys(OUT_OF_NETWORK_CODES, "out")}


def parse_network(text: str) -> str | None:
    """ "In-Network", "Participating", "Out of network", "Non-Par", a "Yes" or "No" in an "In
    network?" column, a cell of just "In", "Out", "Y" or "N" -> in / out. Whole words only:
    "Inpatient" and "Outpatient" say nothing."""
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())
    if not words:
        return None
    if words in _SHORT_CODES:  # a whole cell of "In", "OUT", "Y", "N", "INN", "OON"
        return _SHORT_CODES[words]
    padded, first = f" {words} ", words.split()[0]
    if first == "no" or any(f" {phrase} " in padded for phrase in OUT_OF_NETWORK_PHRASES):
        return "out"
    if first == "yes" or any(f" {phrase} " in padded for phrase in IN_NETWORK_PHRASES):
        return "in"
    return None


#: Network statuses printed after a name, spaces and hyphens made single spaces.
_STATUS_AFTER_NAME = {
    **dict.fromkeys(("in network", "in network provider", "participating", "participating provider"), "in"),
    **dict.fromkeys(("par", "par provider", "contracted", "preferred provider", "network provider"), "in"),
    **dict.fromkeys(("out of network", "out of network provider", "oon", "non network"), "out"),
    **dict.fromkeys(("non participating", "nonparticipating", "non participating provider"), "out"),
    **dict.fromkeys(("non par", "nonpar", "non par provider", "non contracted", "noncontracted"), "out"),
}
#: Where a status after a name may start: a bracket, a comma, a colon or a dash between spaces.
_NOTE_START = re.compile(r"\s*(?:[(\[,:\u2013\u2014]|\s-\s)\s*")


def whole_network_status(text: str) -> str | None:
    """ "In-Network", "Participating provider" printed on its own -> in / out; anything more
    (a name, a sentence) -> None."""
    return _STATUS_AFTER_NAME.get(" ".join(text.lower().replace("-", " ").strip(" ()[]").split()))


def split_network_note(name: str) -> tuple[str, str | None]:
    """``"Example Clinic (In-Network)"`` -> ``("Example Clinic", "in")``.

    Portals and EOBs often print the network status after the provider's name instead of in a
    field of its own; without it a claim's network is unknown and the checks that depend on it
    stay silent. Only a whole status phrase at the end counts, so a name such as "Example
    Network Clinic" or "Pain Management - Participating Physicians Group" is left alone.
    """
    for start in reversed(list(_NOTE_START.finditer(name))):
        if start.start() == 0:
            continue
        phrase = name[start.end() :].strip().rstrip(")]").strip()
        status = _STATUS_AFTER_NAME.get(" ".join(phrase.lower().replace("-", " ").split()))
        if status is not None:
            return name[: start.start()].rstrip(), status
    return name, None


def find_code(text: str) -> tuple[str, str] | None:
    """The service code printed in a cell or description, with its system."""
    found = find_coded(text)
    return (found[0], found[1]) if found else None


def find_coded(text: str, *, cell: bool = False) -> tuple[str, str, list[str]] | None:
    """The service code, its system and its modifiers: "45385-PT" is 45385 with modifier PT.

    Modifiers decide whether a colonoscopy was a screening (33, PT), so they must not be lost. In a
    description only hyphen-joined ones count ("Visit 99213-25"); a code ``cell`` may also separate
    them with spaces or commas ("99213 25, 59"), since nothing else is printed there.
    """
    ndc = _NDC.search(text)
    if ndc:
        return ndc.group(1), "NDC", []
    rev = _REV.match(text.strip())
    if rev:
        return rev.group(1), "REV", []
    match = _CODE.search(text)
    if not match:
        return None
    code = match.group(1)
    after = text[match.end() :]
    if not cell:
        joined = _JOINED_MODIFIERS.match(after)
        after = joined.group(0) if joined else ""
    return code, _code_system(code), parse_modifiers(after)


#: A row that prints a service code and nothing else, in brackets or bare: "(70551)", "70551-26".
_CODE_ALONE = re.compile(r"(\()?\s*((?:[A-V]\d{4}|\d{4}[FTU]|\d{5})(?:-[A-Z0-9]{2})*)\s*(?(1)\))", re.ASCII)


def code_alone(text: str) -> str | None:
    """The code cell a row prints alone, as some EOBs print a line's code on the row under its
    description ("MRI brain w/o dye" over "(70551)"), or None. Only a CPT, HCPCS or CDT code (five
    characters, its modifiers joined by hyphens) counts: a bare number of another shape on a row
    of its own is a page's number or a reference, no service's code."""
    found = _CODE_ALONE.fullmatch(text.strip())
    return found.group(2) if found else None


#: An ICD-10-CM code, with or without its dot: "Z12.11", "Z1211", "K63.5".
_DIAGNOSIS = re.compile(r"\b([A-TV-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?)\b", re.ASCII)


def parse_diagnoses(text: str) -> list[str]:
    """The diagnosis codes of a cell, in the order printed ("Z12.11, K63.5"): the first leads."""
    return list(dict.fromkeys(_DIAGNOSIS.findall(text.upper())))[:12]


def parse_modifiers(text: str) -> list[str]:
    """Modifiers from a cell of their own or the rest of a code cell: "25, 59", "-PT", "TC 26"."""
    words = _CELL_SEPARATORS.split(text.upper())
    return list(dict.fromkeys(w for w in words if _MODIFIER.fullmatch(w)))[:_MAX_MODIFIERS]


def _code_system(code: str) -> str:
    if code.startswith("D") and code[1:].isdigit():
        return "CDT"
    if code[0].isalpha():
        return "HCPCS"
    return "CPT"


def parse_yes_no(text: str) -> bool | None:
    word = text.strip().lower().rstrip(".")
    if word in {"yes", "y", "approved"}:
        return True
    if word in {"no", "n", "denied"}:
        return False
    return None


def parse_units(text: str) -> int | None:
    cleaned = text.strip()
    if re.fullmatch(r"\d{1,4}", cleaned, re.ASCII):
        return int(cleaned)
    if re.fullmatch(r"\d{1,4}\.0+", cleaned, re.ASCII):
        return int(cleaned.split(".")[0])
    return None


#: The ISO card-issuer prefix of US health care providers: the NPI's check digit is the Luhn
#: digit of the number with it in front (CMS, "Requirements for NPI check digit").
_NPI_PREFIX = "80840"


class NpiError(ValueError):
    """A printed NPI that is not a valid one. Its message never holds the number."""


def is_valid_npi(number: str) -> bool:
    """Ten digits whose last is the Luhn check digit of ``80840`` and the first nine."""
    if not re.fullmatch(r"\d{10}", number, re.ASCII):
        return False
    total = 0
    for position, digit in enumerate(reversed(_NPI_PREFIX + number)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def read_npi(text: str) -> str | None:
    """The NPI a cell or a label's value prints: "1234567893", "NPI 1234567893", or a name and
    its NPI in one cell. None when it prints no number at all ("", "N/A"). Raises
    :class:`NpiError` for a number that is not a valid NPI: no ten-digit number, two different
    ones, or a wrong check digit (a misprint, or another provider's)."""
    runs: list[str] = re.findall(r"\d+", text, re.ASCII)
    if not runs:
        return None
    tens = {run for run in runs if len(run) == 10}
    if len(tens) != 1:
        raise NpiError("no single ten-digit NPI is printed")
    (number,) = tens
    if not is_valid_npi(number):
        raise NpiError("the NPI's check digit is wrong")
    return number


def split_remarks(text: str) -> list[str]:
    """ "CO-45, N130" -> ["CO-45", "N130"]; single letters (MSN note keys) are kept too."""
    return [part for part in re.split(r"[\s,;/]+", text.strip()) if part]


__all__ = [
    "AMOUNT_TOKEN",
    "CURRENCY_SIGN",
    "ZERO_DASHES",
    "MoneyError",
    "NpiError",
    "code_alone",
    "find_code",
    "find_coded",
    "find_dates",
    "is_amount",
    "is_currency_sign",
    "is_date_text",
    "is_valid_npi",
    "parse_date",
    "parse_date_range",
    "parse_diagnoses",
    "parse_modifiers",
    "parse_network",
    "parse_units",
    "parse_yes_no",
    "read_amount",
    "read_npi",
    "split_network_note",
    "split_remarks",
    "whole_network_status",
    "without_dates",
]


def claim_number_of(text: str) -> str:
    """The claim number a label's value starts with: its first word, and when that is a group of
    digits, the digit groups after it ("2026 0302 1111 00"), which some EOBs print spaced.
    Anything after it on the line (another label's words) is not part of it."""
    words = text.split()
    if not words:
        return ""
    taken = [words[0].strip("#")]
    if taken[0].isdigit():
        for word in words[1:]:
            if not word.isdigit():
                break
            taken.append(word)
    return " ".join(taken)
