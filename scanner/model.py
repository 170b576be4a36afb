"""The data model: one set of msgspec Structs for the API, the CLI and the plugins.

The JSON shape of a request is the shape of these Structs (API.md is the contract). Amounts are
:class:`~scanner.money.Money` (integer cents); an amount that was not printed stays ``None``,
because "not printed" and "$0.00" are different facts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar, Literal

import msgspec

from scanner.money import Money, format_money, money_from_json

Network = Literal["in", "out", "unknown"]
Severity = Literal["error", "warning", "info"]
Confidence = Literal["high", "medium", "low"]
ErrorClass = Literal[
    "insurer_processing",
    "coordination_of_benefits",
    "network",
    "oop_max",
    "balance_billing",
    "denial",
    "pricing",
    "duplicate",
]
Role = Literal[
    "facility",
    "primary_care",
    "specialist",
    "emergency",
    "anesthesiology",
    "radiology",
    "pathology",
    "laboratory",
    "neonatology",
    "assistant_surgeon",
    "hospitalist",
    "intensivist",
    "ambulance",
    "air_ambulance",
    "other",
]
ActionKind = Literal[
    "call_insurer",
    "call_provider",
    "request_reprocessing",
    "appeal_internal",
    "external_review",
    "request_itemized_bill",
    "dispute_bill",
    "file_complaint",
    "negotiate",
    "apply_financial_assistance",
    "pay_undisputed",
]
CopayKind = Literal["primary_care", "specialist", "emergency", "urgent_care", "inpatient"]

#: The money fields of a line and of claim totals, in the order an EOB prints them.
#: ``copay_and_coinsurance`` is the one figure of EOBs that print the two in a single column
#: ("Copay/Coinsurance"): their sum, with the split unknown, so a check that needs the split
#: (a coinsurance rate, a copay) stays silent on it while one that needs the sum still adds up.
#: ``deductible_and_cost_sharing`` is the same for a column that puts the deductible together
#: with a copay or coinsurance ("Deductible/Coinsurance"): it counts toward the out-of-pocket
#: maximum, but how much of it went to the deductible is unknown.
AMOUNT_FIELDS: tuple[str, ...] = (
    "billed",
    "discount",
    "allowed",
    "plan_paid",
    "deductible",
    "copay",
    "coinsurance",
    "copay_and_coinsurance",
    "deductible_and_cost_sharing",
    "not_covered",
    "patient_responsibility",
    "prior_payer_paid",
)
#: The columns that print two kinds of cost sharing as one figure (see above).
COMBINED_FIELDS: tuple[str, ...] = ("copay_and_coinsurance", "deductible_and_cost_sharing")
#: Every column that holds cost sharing (deductible, copay, coinsurance), apart or combined.
COST_SHARING_FIELDS: tuple[str, ...] = ("deductible", "copay", "coinsurance", *COMBINED_FIELDS)


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Every wire Struct rejects unknown fields, so a typo in a field name is a 400, not a silent
    ``None``."""


class MoneyFields(Base, kw_only=True):
    """A Struct with amounts: coerces plain ints set by code to :class:`Money`, so the wire form
    stays ``"1234.56"`` whoever built the object."""

    _money_fields: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        for name in self._money_fields:
            value = getattr(self, name)
            if value is not None and type(value) is not Money:
                setattr(self, name, _as_money(value))


def _as_money(value: object) -> Money:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("amounts are integer cents")
    return Money(value)


class Party(Base, kw_only=True):
    name: str | None = None
    npi: str | None = None
    network: Network = "unknown"
    role: Role | None = None


class Adjustment(MoneyFields, kw_only=True):
    _money_fields: ClassVar[tuple[str, ...]] = ("amount",)
    group: Literal["CO", "PR", "OA", "PI", "CR"]
    reason: str
    amount: Money | None = None


#: The longest insurer code and legend text a line keeps: codes are a few characters, and a
#: legend's sentence is short; a longer one is text the reader took in by mistake.
MAX_INSURER_CODE = 10
MAX_INSURER_MEANING = 300


class InsurerCode(Base, kw_only=True):
    """A code the insurer printed beside a line and defined itself, in the EOB's legend ("Remark
    A1: This amount was applied to your deductible.").

    Such codes look like X12 reason codes ("A1", "1", "72") but are not: read as X12, "A1" would
    be a denial and "1" the deductible. They are kept apart from ``adjustments`` and ``remarks``
    so that no rule keyed on X12 codes reads them. ``meaning`` is the legend's words, or null
    when a client knows the code but not what the EOB says it means."""

    code: str
    meaning: str | None = None

    def __post_init__(self) -> None:
        if not 0 < len(self.code) <= MAX_INSURER_CODE:
            raise ValueError(f"an insurer code has 1 to {MAX_INSURER_CODE} characters")
        if self.meaning is not None and len(self.meaning) > MAX_INSURER_MEANING:
            raise ValueError(f"an insurer code's meaning has at most {MAX_INSURER_MEANING} characters")


class Amounts(MoneyFields, kw_only=True):
    _money_fields: ClassVar[tuple[str, ...]] = AMOUNT_FIELDS
    billed: Money | None = None
    discount: Money | None = None
    allowed: Money | None = None
    plan_paid: Money | None = None
    deductible: Money | None = None
    copay: Money | None = None
    coinsurance: Money | None = None
    copay_and_coinsurance: Money | None = None
    deductible_and_cost_sharing: Money | None = None
    not_covered: Money | None = None
    patient_responsibility: Money | None = None
    prior_payer_paid: Money | None = None


class ServiceLine(MoneyFields, kw_only=True):
    _money_fields: ClassVar[tuple[str, ...]] = AMOUNT_FIELDS
    id: str
    service_date: dt.date | None = None
    code: str | None = None
    code_system: Literal["CPT", "HCPCS", "REV", "CDT", "NDC"] | None = None
    modifiers: list[str] = msgspec.field(default_factory=list)
    diagnoses: list[str] = msgspec.field(default_factory=list)
    units: int = 1
    description: str | None = None
    adjustments: list[Adjustment] = msgspec.field(default_factory=list)
    remarks: list[str] = msgspec.field(default_factory=list)
    #: The insurer's own codes, defined in the EOB's legend: not X12, so in neither list above.
    insurer_codes: list[InsurerCode] = msgspec.field(default_factory=list)
    network: Network = "unknown"
    denied: bool = False
    billed: Money | None = None
    discount: Money | None = None
    allowed: Money | None = None
    plan_paid: Money | None = None
    deductible: Money | None = None
    copay: Money | None = None
    coinsurance: Money | None = None
    copay_and_coinsurance: Money | None = None
    deductible_and_cost_sharing: Money | None = None
    not_covered: Money | None = None
    patient_responsibility: Money | None = None
    prior_payer_paid: Money | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.id:
            raise ValueError("a line id cannot be empty")
        if self.units < 0:
            raise ValueError("units cannot be negative")


class RelatedClaim(Base, kw_only=True):
    claim_id: str
    relationship: Literal["replaces", "replaced_by"]


#: The figures of :class:`PrintedAccumulators`, individual first, then the family's.
PRINTED_ACCUMULATOR_FIELDS: tuple[str, ...] = (
    "deductible",
    "deductible_met",
    "oop_max",
    "oop_met",
    "family_deductible",
    "family_deductible_met",
    "family_oop_max",
    "family_oop_met",
)


class PrintedAccumulators(MoneyFields, kw_only=True):
    """The deductible and out-of-pocket standing an EOB prints beside its claims ("Deductible:
    $620.00 of $1,500.00 met"), as the insurer counted it on ``as_of`` (the EOB's date).

    The insurer's own tally is evidence the patient never has to type: a limit it says was met
    binds every later claim. The individual figures are the claim's member's."""

    _money_fields: ClassVar[tuple[str, ...]] = PRINTED_ACCUMULATOR_FIELDS
    as_of: dt.date | None = None
    deductible: Money | None = None
    deductible_met: Money | None = None
    oop_max: Money | None = None
    oop_met: Money | None = None
    family_deductible: Money | None = None
    family_deductible_met: Money | None = None
    family_oop_max: Money | None = None
    family_oop_met: Money | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in PRINTED_ACCUMULATOR_FIELDS:
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError("deductible and out-of-pocket figures cannot be negative")


class Claim(Base, kw_only=True):
    id: str
    source: Literal["portal", "pdf", "fhir", "text", "csv", "manual"] = "manual"
    claim_type: Literal["professional", "institutional", "pharmacy", "dental", "vision"] | None = None
    member: str = "self"
    payer: str | None = None
    plan_name: str | None = None
    claim_number: str | None = None
    provider: Party | None = None
    facility: Party | None = None
    service_start: dt.date | None = None
    service_end: dt.date | None = None
    received_date: dt.date | None = None
    processed_date: dt.date | None = None
    emergency: bool = False
    place_of_service: str | None = None
    status: Literal["paid", "denied", "partial", "pending", "adjusted"] | None = None
    coverage_position: Literal["primary", "secondary", "tertiary"] | None = None
    lines: list[ServiceLine] = msgspec.field(default_factory=list)
    totals: Amounts | None = None
    related: list[RelatedClaim] = msgspec.field(default_factory=list)
    #: The plan's deductible and out-of-pocket standing the EOB printed with this claim.
    accumulators: PrintedAccumulators | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a claim id cannot be empty")
        seen: set[str] = set()
        for line in self.lines:
            if line.id in seen:
                raise ValueError("line ids must be unique within a claim")
            seen.add(line.id)
        if self.totals is not None:
            for name in AMOUNT_FIELDS:
                value = getattr(self.totals, name)
                if value is not None and value < 0:
                    raise ValueError("claim totals cannot be negative")

    def line(self, line_id: str) -> ServiceLine | None:
        return next((line for line in self.lines if line.id == line_id), None)


class PlanChange(Base, kw_only=True):
    effective_date: dt.date
    plan_name: str


class Plan(MoneyFields, kw_only=True):
    _money_fields: ClassVar[tuple[str, ...]] = (
        "deductible_individual",
        "deductible_family",
        "oop_max_individual",
        "oop_max_family",
        "deductible_met",
        "oop_met",
    )
    plan_year_start: dt.date | None = None
    plan_year_end: dt.date | None = None
    coverage_tier: Literal["individual", "family"] = "individual"
    deductible_individual: Money | None = None
    deductible_family: Money | None = None
    oop_max_individual: Money | None = None
    oop_max_family: Money | None = None
    deductible_met: Money | None = None
    oop_met: Money | None = None
    coinsurance_in_network: int | None = None
    coinsurance_out_of_network: int | None = None
    copays: dict[CopayKind, Money] = msgspec.field(default_factory=dict)
    other_coverage: bool | None = None
    this_plan_position: Literal["primary", "secondary"] | None = None
    grandfathered: bool = False
    plan_changes: list[PlanChange] = msgspec.field(default_factory=list)
    #: Medicare payment locality for price benchmarks, "MAC-LOCALITY" (e.g. "13202-01").
    pfs_locality: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        for rate in (self.coinsurance_in_network, self.coinsurance_out_of_network):
            if rate is not None and not 0 <= rate <= 100:
                raise ValueError("coinsurance is a percent from 0 to 100")
        self.copays = {kind: _as_money(value) for kind, value in self.copays.items()}


class BillLine(MoneyFields, kw_only=True):
    _money_fields: ClassVar[tuple[str, ...]] = ("charge", "patient_balance")
    id: str | None = None
    service_date: dt.date | None = None
    code: str | None = None
    description: str | None = None
    charge: Money | None = None
    patient_balance: Money | None = None


class Bill(MoneyFields, kw_only=True):
    _money_fields: ClassVar[tuple[str, ...]] = ("amount_due", "amount_paid", "good_faith_estimate")
    id: str
    claim_id: str | None = None
    provider_name: str | None = None
    statement_date: dt.date | None = None
    amount_due: Money | None = None
    amount_paid: Money | None = None
    self_pay: bool = False
    good_faith_estimate: Money | None = None
    lines: list[BillLine] = msgspec.field(default_factory=list)


class ScanRequest(Base, kw_only=True):
    #: May be left out when the request carries a bill (a self-pay bill has no EOB).
    claims: list[Claim] = msgspec.field(default_factory=list)
    plan: Plan | None = None
    bills: list[Bill] = msgspec.field(default_factory=list)
    as_of: dt.date | None = None


# --- results -------------------------------------------------------------------------------


class Evidence(Base, kw_only=True):
    field: str
    value: str | None = None
    expected: str | None = None
    note: str | None = None


class Reference(Base, kw_only=True):
    title: str
    citation: str
    url: str | None = None


class Action(Base, kw_only=True):
    kind: ActionKind
    who: str
    summary: str
    script: str | None = None
    deadline: dt.date | None = None
    template: str | None = None


class Finding(MoneyFields, kw_only=True):
    _money_fields: ClassVar[tuple[str, ...]] = ("amount_at_stake",)
    rule: str
    name: str
    check: str
    error_class: ErrorClass
    severity: Severity
    confidence: Confidence
    title: str
    message: str
    claim_id: str
    line_ids: list[str] = msgspec.field(default_factory=list)
    bill_id: str | None = None
    amount_at_stake: Money
    evidence: list[Evidence] = msgspec.field(default_factory=list)
    actions: list[Action] = msgspec.field(default_factory=list)
    references: list[Reference] = msgspec.field(default_factory=list)
    docs_url: str = ""


class Summary(Base, kw_only=True):
    """``by_class`` counts each error class on its own; ``total_by_severity`` splits
    ``amount_at_stake`` into parts that add up to it (errors, then what warnings and info add)."""

    patient_responsibility: Money
    amount_at_stake: Money
    by_class: dict[str, Money] = msgspec.field(default_factory=dict)
    counts: dict[str, int] = msgspec.field(default_factory=dict)
    total_by_severity: dict[str, Money] = msgspec.field(default_factory=dict)


class CheckStatus(Base, kw_only=True):
    name: str
    version: str
    status: Literal["ok", "error", "skipped"]
    duration_ms: float
    error: str | None = None
    slow: bool = False


class LedgerEntry(MoneyFields, kw_only=True):
    """Accumulator state after one claim: what the deductible and out-of-pocket maximum stand at.

    ``deductible_applied``/``oop_applied`` are what this claim added (None when the EOB does not
    print it). ``deductible_partial`` means the deductible figures (the member's and the family's)
    are lower bounds: an amount before them was not printed, a line's network level was unknown,
    a deductible was printed together with coinsurance, or (family plans) the member's own share
    of what was met before the scan is unknown. ``oop_partial`` says the same of the out-of-pocket
    figures; a combined deductible column leaves the deductible a lower bound while the
    out-of-pocket figure stays exact. ``partial`` is either of the two.
    """

    _money_fields: ClassVar[tuple[str, ...]] = (
        "deductible_met",
        "oop_met",
        "family_deductible_met",
        "family_oop_met",
        "deductible_applied",
        "oop_applied",
    )
    member: str
    claim_id: str
    service_date: dt.date | None = None
    deductible_met: Money | None = None
    oop_met: Money | None = None
    family_deductible_met: Money | None = None
    family_oop_met: Money | None = None
    deductible_applied: Money | None = None
    oop_applied: Money | None = None
    partial: bool = False
    deductible_partial: bool = False
    oop_partial: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        # Derived, so the three never disagree; kept on the wire for clients that read one flag.
        self.partial = self.deductible_partial or self.oop_partial


class DeadlineItem(Base, kw_only=True):
    """A date the patient must act by, taken from a finding's actions (``ScanResult.deadlines``)."""

    title: str
    due: dt.date
    claim_id: str
    rule: str
    kind: ActionKind


class ScanResult(Base, kw_only=True):
    findings: list[Finding]
    summary: Summary
    checks: list[CheckStatus]
    claims: list[Claim] = msgspec.field(default_factory=list)
    #: The bills as the scan held them against the claims (filled by ``POST /v1/scan/document``).
    bills: list[Bill] = msgspec.field(default_factory=list)
    ledger: list[LedgerEntry] = msgspec.field(default_factory=list)
    notes: list[str] = msgspec.field(default_factory=list)
    deadlines: list[DeadlineItem] = msgspec.field(default_factory=list)


# --- rules catalogue -----------------------------------------------------------------------


class RuleDocs(Base, kw_only=True):
    """A rule's documentation page, in the sections every rule has."""

    what_it_checks: str
    why_it_matters: str
    example: str
    what_to_do: str
    references: list[Reference] = msgspec.field(default_factory=list)


class Rule(Base, kw_only=True):
    """A rule of the catalogue: what a check can report, under which stable code."""

    code: str
    name: str
    check: str
    error_class: ErrorClass
    severity: Severity
    summary: str
    docs: RuleDocs | None = None

    def finding(
        self,
        *,
        claim_id: str,
        title: str,
        message: str,
        amount_at_stake: int,
        line_ids: list[str] | None = None,
        bill_id: str | None = None,
        confidence: Confidence = "high",
        severity: Severity | None = None,
        evidence: list[Evidence] | None = None,
        actions: list[Action] | None = None,
        references: list[Reference] | None = None,
    ) -> Finding:
        """A Finding of this rule, with the catalogue fields filled in so checks cannot get
        them wrong."""
        return Finding(
            rule=self.code,
            name=self.name,
            check=self.check,
            error_class=self.error_class,
            severity=severity or self.severity,
            confidence=confidence,
            title=title,
            message=message,
            claim_id=claim_id,
            line_ids=list(line_ids or []),
            bill_id=bill_id,
            amount_at_stake=Money(amount_at_stake),
            evidence=list(evidence or []),
            actions=list(actions or []),
            references=list(references or (self.docs.references if self.docs else [])),
            docs_url=f"/v1/checks/{self.code}",
        )

    def listing(self) -> Rule:
        """The catalogue entry without its documentation (``GET /v1/checks``)."""
        return msgspec.structs.replace(self, docs=None)


class PluginInfo(Base, kw_only=True):
    name: str
    version: str
    builtin: bool
    checks: list[str] = msgspec.field(default_factory=list)
    parsers: list[str] = msgspec.field(default_factory=list)


# --- the wire codec ------------------------------------------------------------------------


def _dec_hook(type_: type, obj: Any) -> Any:
    if type_ is Money:
        return money_from_json(obj)
    raise NotImplementedError(f"no decoder for {type_.__name__}")


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, Money):
        return format_money(obj)
    if isinstance(obj, Decimal):
        return str(obj)
    raise NotImplementedError(f"cannot encode {type(obj).__name__}")


_encoder = msgspec.json.Encoder(enc_hook=_enc_hook, decimal_format="string")
_request_decoder = msgspec.json.Decoder(ScanRequest, dec_hook=_dec_hook, float_hook=Decimal)


def decode_request(payload: bytes | str) -> ScanRequest:
    """Decode a ScanRequest; JSON numbers in amounts are decoded exactly (never via float)."""
    return _request_decoder.decode(payload)


def decode(payload: bytes | str, type_: type[Any]) -> Any:
    """Decode any wire Struct (Plan, Claim, list[Claim], ...) with the money rules."""
    decoder = _DECODERS.get(type_)
    if decoder is None:
        decoder = _DECODERS[type_] = msgspec.json.Decoder(type_, dec_hook=_dec_hook, float_hook=Decimal)
    return decoder.decode(payload)


_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}


def convert(obj: Any, type_: type[Any]) -> Any:
    """Build a wire Struct from Python builtins (dicts from a parser, a CSV row...)."""
    return msgspec.convert(obj, type=type_, dec_hook=_dec_hook, strict=True)


def encode(obj: Any) -> bytes:
    return _encoder.encode(obj)


def to_builtins(obj: Any) -> Any:
    return msgspec.to_builtins(obj, enc_hook=_enc_hook)


# --- the internal codec: exact copies between our own processes and for snapshots ------------


def _internal_enc_hook(obj: Any) -> Any:
    if isinstance(obj, Money):
        return int(obj)
    return _enc_hook(obj)


def _internal_dec_hook(type_: type, obj: Any) -> Any:
    if type_ is Money and type(obj) is int:
        return Money(obj)
    return _dec_hook(type_, obj)


# JSON rather than MessagePack: a request may hold integers wider than 64 bits (a unit count).
# Amounts are plain integers here: about a quarter of the cost of the wire form, which formats
# each one as "12.34".
_internal_encoder = msgspec.json.Encoder(enc_hook=_internal_enc_hook, decimal_format="string")
_INTERNAL_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}


def internal_encode(obj: Any) -> bytes:
    """Bytes that :func:`internal_decode` turns back into an equal object, and that change
    whenever any value in ``obj`` does. Not the wire format: for our own use only."""
    return _internal_encoder.encode(obj)


def internal_decode(data: bytes, type_: Any) -> Any:
    decoder = _INTERNAL_DECODERS.get(type_)
    if decoder is None:
        decoder = _INTERNAL_DECODERS[type_] = msgspec.json.Decoder(
            type_, dec_hook=_internal_dec_hook, float_hook=Decimal
        )
    return decoder.decode(data)


def snapshot(request: ScanRequest) -> bytes:
    """The request as bytes that change whenever any of its values does (see the engine)."""
    return internal_encode(request)


def from_snapshot(data: bytes) -> ScanRequest:
    """The request :func:`snapshot` was taken of, equal to it field for field."""
    request: ScanRequest = internal_decode(data, ScanRequest)
    return request
