"""The words EOBs use for the same things, shared by the PDF, text and CSV readers.

Insurers print the same column under many names ("Amount Billed", "Charges", "Amount Provider
Charged"). Every reader maps a header or a label to one of our field names through
:func:`phrase_fields` / :func:`cell_field`, so a synonym added here is learned by all of them.
Matching is on whole words after :func:`normalise`, longest phrase first, so "Service Approved?"
is a yes/no column and not the "Approved" amount.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from scanner.model import AMOUNT_FIELDS

AMOUNTS: frozenset[str] = frozenset(AMOUNT_FIELDS)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "billed": (
        "amount billed",
        "billed amount",
        "billed",
        "billed charges",
        "charges",
        "charge",
        "total charges",
        "amount charged",
        "charged",
        "provider charged",
        "amount provider charged",
        "provider charges",
        "submitted charges",
        "submitted",
        "submitted amount",
        "amount submitted",
        "provider billed",
        "what your provider charged",
        "original charge",
    ),
    "discount": (
        "discount",
        "plan discount",
        "network discount",
        "provider discount",
        "savings",
        "network savings",
        "your savings",
        "discount savings",
        "amount saved",
        "you saved",
        "negotiated discount",
        "plan savings",
    ),
    "allowed": (
        "allowed",
        "allowed amount",
        "amount allowed",
        "plan allowance",
        "plan allowed",
        "allowance",
        "approved",
        "approved amount",
        "medicare approved",
        "medicare approved amount",
        "eligible amount",
        "allowable",
        "allowed charges",
        "plan allowed amount",
        "negotiated rate",
        "negotiated amount",
        "contracted rate",
        "member rate",
        # "Eligible" is the allowance; without these, "Eligible Charges" would be the charges.
        "eligible",
        "eligible charges",
        "eligible charge",
        "eligible expense",
        "eligible expenses",
    ),
    "plan_paid": (
        "plan paid",
        "paid by plan",
        "plan payment",
        "plan pays",
        "amount paid",
        "paid amount",
        "paid by insurance",
        "insurance paid",
        "medicare paid",
        "benefit paid",
        "plan paid amount",
        "paid",
        "your plan paid",
        "what your plan paid",
        "we paid",
        "plan s share",
        "plans share",
        "health plan paid",
        "benefits paid",
        "paid to provider",
        "plan responsibility",
        "plan payment amount",
        "amount paid to provider",
        "medicare paid provider",
        "payable amount",
        "amount payable",
        "benefit amount",
    ),
    "deductible": (
        "deductible",
        "applied to deductible",
        "deductible amount",
        "your deductible",
        "toward deductible",
    ),
    "copay": ("copay", "copayment", "co pay", "co payment", "copay amount", "copays"),
    "coinsurance": ("coinsurance", "co insurance", "coinsurance amount", "coins"),
    # One column for both, as many EOBs print it: read as their sum, not as either one.
    "copay_and_coinsurance": (
        "copay coinsurance",
        "copay coins",
        "copay or coinsurance",
        "copay and coinsurance",
        "coinsurance copay",
        "coinsurance or copay",
        "copayment coinsurance",
        "copay coinsurance amount",
        "co pay co insurance",
        "co pay coinsurance",
    ),
    # The deductible printed together with a copay or coinsurance: also read as one sum.
    "deductible_and_cost_sharing": (
        "deductible coinsurance",
        "deductible coins",
        "deductible and coinsurance",
        "deductible or coinsurance",
        "coinsurance deductible",
        "coinsurance and deductible",
        "deductible copay",
        "deductible and copay",
        "deductible or copay",
        "copay deductible",
        "copay and deductible",
        "deductible copay coinsurance",
        "deductible copay coins",
        "deductible copay and coinsurance",
        "deductible copay or coinsurance",
        "deductible coinsurance copay",
        "copay deductible coinsurance",
        "copay coinsurance deductible",
        "deductible and cost share",
        "deductible cost share",
        # "Your deductible" is a deductible phrase of its own and would split the header.
        "your deductible coinsurance",
        "your deductible copay",
        "your deductible copay coinsurance",
    ),
    "not_covered": (
        "not covered",
        "amount not covered",
        "non covered",
        "noncovered",
        "not covered amount",
        "excluded",
        "non covered amount",
        "ineligible",
        "ineligible amount",
        "not allowed",
        "non covered charges",
        "non covered charge",
        "not covered charges",
        "charges not covered",
        "ineligible charges",
        "not payable",
        "amount not payable",
        # Still being decided or refused: either way not part of what the plan allowed.
        "pending or not payable",
    ),
    "patient_responsibility": (
        "what you owe",
        "you owe",
        "amount you owe",
        "your responsibility",
        "patient responsibility",
        "member responsibility",
        "you may be billed",
        "maximum you may be billed",
        "your share",
        "your cost",
        "patient owes",
        "patient balance",
        "your total cost",
        "you may owe",
        "patient resp",
        "member resp",
        "you pay",
        "what you pay",
        "your balance",
        # Amount columns that begin with a word naming the person: read whole, never as a name.
        "member liability",
        "patient liability",
        "your liability",
        "member cost share",
        "patient cost share",
        "member cost",
        "patient cost",
        "patient pays",
        "member pays",
        # The first person, as portals that speak for the member print it ("What I owe").
        "what i owe",
        "i owe",
        "amount i owe",
        "my responsibility",
        "my share",
        "my cost",
        "my total cost",
        "what i pay",
        "i pay",
    ),
    "prior_payer_paid": (
        "other insurance paid",
        "paid by other insurance",
        "other insurance",
        "prior payer paid",
        "other plan paid",
        "primary payer paid",
        "primary paid",
        "primary insurance paid",
        "other coverage paid",
        "cob",
        "amount paid by other insurance",
        "other carrier paid",
        "paid by other carrier",
        "other payer paid",
        "paid by primary",
        "primary carrier paid",
    ),
    "service_date": (
        "date of service",
        "dates of service",
        "date s of service",
        "service date",
        "service dates",
        "dos",
        "date",
        "dates",
        "from date",
        "service from",
        "date provided",
        "visit date",
        "date of visit",
        "service period",
    ),
    "code": (
        "procedure code",
        "service code",
        "billing code",
        "cpt",
        "cpt code",
        "cpt hcpcs",
        "hcpcs",
        "code",
        "procedure",
        "proc code",
        "cdt code",
        "revenue code",
    ),
    "description": (
        "description",
        "service description",
        "description of service",
        "service",
        "services",
        "service provided",
        "services provided",
        "service provided and billing code",
        "type of service",
        "procedure description",
        "what was done",
    ),
    "remarks": (
        "remark code",
        "remark codes",
        "remarks",
        "remark",
        "notes",
        "see notes",
        "note",
        "reason code",
        "reason codes",
        "explanation code",
        "explanation codes",
        "codes",
        "see note",
        "adjustment reason",
        "adjustment codes",
        "claim adjustment reason",
        "carc",
        "messages",
    ),
    "units": ("units", "unit", "qty", "quantity", "days units"),
    "modifiers": ("modifier", "modifiers", "mod", "mods"),
    "diagnoses": (
        "diagnosis",
        "diagnosis code",
        "diagnosis codes",
        "dx",
        "icd",
        "icd 10",
        "icd code",
        "icd codes",
        "icd 10 codes",
    ),
    "approved": ("service approved", "approved yes no"),
    "network": (
        "network",
        "network status",
        "provider network",
        "in network",
        "benefit level",
        "provider network status",
        "provider status",
    ),
    "claim_number": (
        "claim number",
        "claim no",
        "claim",
        "claim id",
        "claim nbr",
        "claim #",
        "claim#",
        "claim reference",
        "claim reference number",
        "claim control number",
        "reference number",
    ),
    "provider": (
        "provider",
        "provider name",
        "rendering provider",
        "billing provider",
        "doctor",
        "physician",
        "provider s name",
        "servicing provider",
        "treating provider",
        "provided by",
        "doctor or facility",
        "provider facility",
    ),
    "facility": ("facility", "facility name", "service facility", "hospital", "hospital name"),
    "facility_network": ("facility network status", "facility network", "hospital network status"),
    "place_of_service": ("place of service", "pos", "place of service code"),
    "emergency": ("emergency", "emergency services", "emergency care"),
    "processed_date": (
        "processed",
        "processed date",
        "date processed",
        "processed on",
        "process date",
        "claim processed",
        "date finalized",
        "finalized",
        "decision date",
        "date paid",
        "paid on",
        # The day the plan paid, not the day of care: read as a service date it would move the
        # claim's plan year and its deadlines.
        "paid date",
        "payment date",
        "check date",
        "check issue date",
    ),
    "received_date": ("received", "received date", "date received", "received on", "claim received"),
    "status": ("status", "claim status"),
    "payer": ("payer", "insurer", "insurance company", "health plan"),
    "plan_name": ("plan", "plan name", "group plan", "group name"),
    "claim_type": ("claim type", "type of claim"),
    "member": (
        "relationship",
        "member relationship",
        "relationship to subscriber",
        "patient relationship",
        "relationship to member",
    ),
    # Read so that they are recognised, and then dropped: a person's identity never enters a Claim.
    "patient": (
        "patient",
        "patient name",
        "member",
        "member name",
        "subscriber",
        "subscriber name",
        "name",
        "for",
        "date of birth",
        "birth date",
        "dob",
    ),
    "member_id": ("member id", "member number", "id number", "subscriber id", "member", "id", "group number"),
    "address": ("address", "provider s address", "mailing address"),
    # The NPI of the claim's provider: a label, or a column beside each line (see
    # scanner/ingest/assemble.py, ``provider_npi``, for how the lines' NPIs become the claim's).
    "npi": (
        "npi",
        "provider npi",
        "npi number",
        "npi no",
        "npi #",
        "provider npi number",
        "provider npi #",
        "rendering npi",
        "rendering provider npi",
        "billing npi",
        "billing provider npi",
        "servicing npi",
        "servicing provider npi",
        "treating provider npi",
        "doctor npi",
        "physician npi",
    ),
    # A facility's own NPI, for the facility and never the provider ("Facility NPI" would otherwise
    # be read as "NPI", the provider's).
    "facility_npi": ("facility npi", "hospital npi", "facility npi number"),
    "referred_by": (
        "referred by",
        # Another provider's NPI or name: never the claim's provider (read as "provider npi" or
        # "provider" otherwise).
        "referring provider",
        "referring physician",
        "referring npi",
        "referring provider npi",
        "ordering provider",
        "ordering physician",
        "ordering npi",
        "ordering provider npi",
    ),
}

#: Fields that identify a person: recognised so they are never mistaken for something else,
#: then discarded.
PRIVATE_FIELDS: frozenset[str] = frozenset({"patient", "member_id", "address", "referred_by"})

#: Fields a table row has per service line.
LINE_FIELDS: frozenset[str] = AMOUNTS | {
    "service_date",
    "code",
    "modifiers",
    "diagnoses",
    "description",
    "remarks",
    "units",
    "approved",
    "network",
    "npi",
}

_PHRASES: dict[tuple[str, ...], str] = {}
for _field, _names in _SYNONYMS.items():
    for _name in _names:
        _PHRASES.setdefault(tuple(_name.split()), _field)
_LONGEST = max(len(words) for words in _PHRASES)

_NON_WORD = re.compile(r"[^a-z0-9#?]+")


def normalise(text: str) -> str:
    """Lower-case words: "Date(s) of Service:" -> "date s of service", "Co-pay" -> "co pay"."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = text.replace("'", " ").replace("?", " ")
    return " ".join(_NON_WORD.sub(" ", text).split())


def cell_field(text: str) -> str | None:
    """The field a whole header cell or label names, or None."""
    return _PHRASES.get(tuple(normalise(text).split()))


#: A footnote reference in a header: "Billed (see note)", "Allowed (see note 2)", "Paid (1)".
FOOTNOTE_ASIDE = re.compile(
    r"\(\s*(?:see\s+)?(?:foot)?notes?\b[^()]*\)|\(\s*[0-9*\u2020\u2021]{1,3}\s*\)", re.I
)


def without_footnotes(header: str) -> str:
    """The header without its footnote references, which point elsewhere and name no column
    ("Billed (see note)" would otherwise name both the billed amount and the remarks)."""
    stripped = FOOTNOTE_ASIDE.sub(" ", header)
    return stripped if stripped.strip() else header


def header_field(text: str, fields: frozenset[str] | None = None) -> str | None:
    """The field a column header names (one of ``fields`` when given): exactly ("Amount
    billed"), or by the one phrase it contains ("Your plan paid" is "plan paid", "Date of svc" is
    "date"). For an amount, a single short word inside a longer header is not enough: "Amount you
    paid" is not what the plan paid, and reading it so would put dollars in the wrong column.
    Footnote references are not read (:func:`without_footnotes`)."""
    text = without_footnotes(text)
    name = cell_field(text)
    if name is not None:
        return name if fields is None or name in fields else None
    words = normalise(text).split()
    found = {
        field
        for field, start, end in phrase_fields(text)
        if (fields is None or field in fields)
        and (field not in AMOUNTS or end - start > 1 or len(words[start]) >= 5)
    }
    return found.pop() if len(found) == 1 else None


def phrase_fields(text: str) -> list[tuple[str, int, int]]:
    """Fields named in a run of header words, longest phrase first: (field, start, end) on the
    normalised words. Words that name no field are skipped."""
    words = normalise(text).split()
    found: list[tuple[str, int, int]] = []
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST, len(words) - i), 0, -1):
            field = _PHRASES.get(tuple(words[i : i + size]))
            if field is not None:
                found.append((field, i, i + size))
                i += size
                break
        else:
            i += 1
    return found


#: Fields of one column that prints several amounts as one ("Copay/Coinsurance").
COMBINED_AMOUNTS: frozenset[str] = frozenset({"copay_and_coinsurance", "deductible_and_cost_sharing"})


def spaced_header_readings(line: str) -> list[list[str]]:
    """The fields of a header whose titles are apart by single spaces ("Date Code Billed Allowed
    Paid Deductible Copay Coinsurance You Owe"): the longest known title first, over whole
    whitespace-separated words. A word is never cut in two ("Copay/Coinsurance" is one column),
    and words that name nothing are skipped.

    A combined title spelled over several words that are each an amount column's title
    ("Deductible Copay Coinsurance") is read as those columns: with nothing but single spaces
    between them, that is what a header of separate columns looks like. Joined by "/" (one word)
    or by "and"/"or" it stays one combined column. When such a title was split, the other
    reading, with it as one column, comes second: the rows' count of amounts decides.

    The longest title is not always the column: "Date Service Code" may be the date, the
    description ("Service") and the code, "Service Date of Service" a description and the date.
    So each reading is followed by those where one of its titles of several words gives way to
    a shorter one (:func:`_shorter_readings`); the rows' words decide, and a tie keeps the
    longest titles."""
    tokens = _header_words(line)
    fields, split = _spaced_fields(tokens, True)
    readings = [[name for name, _, _ in fields]]
    if split:
        readings.append([name for name, _, _ in _spaced_fields(tokens, False)[0]])
    for combined in (True, False)[: len(readings)]:
        for kinds in _shorter_readings(tokens, combined):
            if kinds not in readings:
                readings.append(kinds)
    return readings


def _header_words(line: str) -> list[list[str]]:
    """Each whitespace-separated word of a header as its normalised words ("Co-pay" is two)."""
    return [
        [token.lower()] if token.isascii() and token.isalnum() else normalise(token).split()
        for token in without_footnotes(line).split()
    ]


#: A header names a few columns; a line of more titles is prose or noise and is read by its
#: longest titles alone (each other reading costs a pass over the line).
_MOST_TITLES = 24


def _shorter_readings(tokens: list[list[str]], split_combined: bool) -> list[list[str]]:
    """The readings where one title of several words, and only one, is read shorter: at its
    first word the longest title that is shorter ("Service" in "Service Code"), and the words
    after it read again by their longest titles ("Date of Service" after "Service"). Such a
    reading counts only when it leaves no word of a title unread and names the same amount
    columns: "You Owe" is not "You" and nothing, and the rows' count of amounts decides only
    a combined column."""
    fields = _spaced_fields(tokens, split_combined)[0]
    if len(fields) > _MOST_TITLES:
        return []
    covered, amounts = _covered(fields), amount_fields(name for name, _, _ in fields)
    readings = []
    for _, start, end in fields:
        if end - start == 1:
            continue
        shorter = _spaced_fields(tokens, split_combined, shorter_at=start)[0]
        kinds = [name for name, _, _ in shorter]
        if _covered(shorter) >= covered and amount_fields(kinds) == amounts:
            readings.append(kinds)
    return readings


def _covered(fields: list[tuple[str, int, int]]) -> set[int]:
    return {index for _, start, end in fields for index in range(start, end)}


def _spaced_fields(
    tokens: list[list[str]], split_combined: bool, shorter_at: int | None = None
) -> tuple[list[tuple[str, int, int]], bool]:
    flat: list[str] = []
    starts: list[int] = []  # where each token's words begin in ``flat``
    for words in tokens:
        starts.append(len(flat))
        flat.extend(words)
    starts.append(len(flat))
    found: list[tuple[str, int, int]] = []
    split = False
    i = 0
    while i < len(tokens):
        last = i
        while last < len(tokens) and starts[last + 1] - starts[i] <= _LONGEST:
            last += 1
        skipped = i != shorter_at  # at ``shorter_at`` the longest title found is passed over
        for end in range(last, i, -1):
            field = _PHRASES.get(tuple(flat[starts[i] : starts[end]]))
            if field is None:
                continue
            if split_combined and field in COMBINED_AMOUNTS and _amount_titles(tokens[i:end]):
                split = True
                continue
            if not skipped:
                skipped = True
                continue
            found.append((field, i, end))
            i = end
            break
        else:
            i += 1
    return found, split


def _amount_titles(tokens: list[list[str]]) -> bool:
    """Whether the words split, between words, into two or more amount columns' titles."""

    def most(start: int) -> int:  # the most titles tokens[start:] splits into; 0 if none
        best = 0
        for end in range(start + 1, len(tokens) + 1):
            if _PHRASES.get(tuple(w for token in tokens[start:end] for w in token)) in AMOUNTS:
                rest = 0 if end == len(tokens) else most(end)
                if end == len(tokens) or rest:
                    best = max(best, 1 + rest)
        return best

    return most(0) >= 2


def amount_fields(fields: Iterable[str]) -> list[str]:
    return [f for f in fields if f in AMOUNTS]


def synonym_table() -> Mapping[str, tuple[str, ...]]:
    """Every field and the phrases that name it, in order (the extension's copy is made from it)."""
    return MappingProxyType(_SYNONYMS)


def synonyms(field: str) -> tuple[str, ...]:
    return _SYNONYMS.get(field, ())
