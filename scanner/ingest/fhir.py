"""FHIR ExplanationOfBenefit (CARIN Blue Button, CMS Blue Button 2.0) into claims.

Reads a single resource, a Bundle (searchset or collection) or NDJSON (bulk export). Payers adopted
the CARIN IG at different versions, so amounts are keyed on ``(system, code)`` and several shapes
are accepted for the same fact:

- amount categories from HL7 ``adjudication`` (submitted, eligible, benefit...), CARIN
  ``C4BBAdjudication`` (coinsurance, noncovered, memberliability...; also under its ValueSet URL,
  a Blue Button quirk), the pre-1.0 codes (``allowed``, ``coins``), and the Blue Button
  ``.../variables/line_alowd_chrg_amt``-style codes that CMS puts beside them;
- network status from the 2.x ``C4BBAdjudicationDiscriminator`` slices (billing network status on
  the header, benefit payment status on the header or the item), from 1.x categories
  ``C4BBPayerAdjudicationStatus#innetwork`` and from the 1.x ``supportingInfo`` contracting status;
- CARC/RARC from the ``adjustmentreason`` (2.x) and ``denialreason`` (1.x) slices.

Only what the checks need is kept: no patient or practitioner names, and the claim's id is opaque
(the payer's claim number goes in ``claim_number``). JSON numbers are decoded as exact decimals,
never floats.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import accumulate
from typing import Any, ClassVar, Literal, cast

import msgspec

from scanner.ingest import DocumentKind, ParseContext, ParsedDocument, Parser
from scanner.ingest.codes import GROUP_UNKNOWN, is_rarc
from scanner.ingest.errors import DocumentError
from scanner.ingest.ids import IdAllocator
from scanner.ingest.members import Patient, members, reference_key, relationship
from scanner.ingest.values import is_valid_npi
from scanner.model import (
    AMOUNT_FIELDS,
    Adjustment,
    Amounts,
    Claim,
    Party,
    PrintedAccumulators,
    RelatedClaim,
    ServiceLine,
)
from scanner.money import Money, MoneyError, money_from_json

HL7_ADJUDICATION = ("http://terminology.hl7.org/CodeSystem/adjudication", "http://hl7.org/fhir/adjudication")
C4BB = "http://hl7.org/fhir/us/carin-bb/"
BLUE_BUTTON = "https://bluebutton.cms.gov/"
BLUE_BUTTON_ADJUDICATION = "https://bluebutton.cms.gov/resources/codesystem/adjudication"
X12_CARC = (
    "https://x12.org/codes/claim-adjustment-reason-codes",
    "http://x12.org/codes/claim-adjustment-reason-codes",
)
X12_RARC = (
    "https://x12.org/codes/remittance-advice-remark-codes",
    "http://x12.org/codes/remittance-advice-remark-codes",
)

#: JSON nested deeper than this is not an EOB (FHIR EOBs nest about a dozen levels).
MAX_DEPTH = 64

# Our intermediate amount keys: the model's fields plus the parts plan paid is made of.
_PAID_TO_PROVIDER = "paid_to_provider"
_PAID_TO_PATIENT = "paid_to_patient"
_DRUG_COST = "drug_cost"
_REDUCED_COINSURANCE = "reduced_coinsurance"
_IGNORE = ""

# HL7 and CARIN categories (any C4BB code system or value set, any version).
_STANDARD: dict[str, str] = {
    "submitted": "billed",
    "eligible": "allowed",
    "allowed": "allowed",
    "benefit": "plan_paid",
    "copay": "copay",
    "deductible": "deductible",
    "coinsurance": "coinsurance",
    "coins": "coinsurance",
    "noncovered": "not_covered",
    "priorpayerpaid": "prior_payer_paid",
    "memberliability": "patient_responsibility",
    "discount": "discount",
    "paidtoprovider": _PAID_TO_PROVIDER,
    "paidtopatient": _PAID_TO_PATIENT,
    "drugcost": _DRUG_COST,
    # What the patient already paid (at the counter, from a health account) is not what they owe.
    "paidbypatient": _IGNORE,
    "paidbypatientcash": _IGNORE,
    "paidbypatientother": _IGNORE,
    "paidbypatienthealthaccount": _IGNORE,
    "unallocdeduct": _IGNORE,
    "eligpercent": _IGNORE,
    "tax": _IGNORE,
}

# Blue Button variables that correct or refine the CARIN code CMS put beside them.
_BLUE_BUTTON_OVERRIDES: dict[str, str] = {
    "rev_cntr_rate_amt": _IGNORE,  # a unit rate, coded "submitted"
    "rev_cntr_pmt_amt_amt": "plan_paid",  # Medicare's payment, coded "submitted"
    "rev_cntr_rdcd_coinsrnc_amt": _REDUCED_COINSURANCE,
    "rev_cntr_ptnt_rspnsblty_pmt": "patient_responsibility",
    "gdc_blw_oopt_amt": _IGNORE,  # gross drug cost split, coded "coinsurance"
    "gdc_abv_oopt_amt": _IGNORE,
    "ptnt_pay_amt": "patient_responsibility",  # Part D: what the patient paid at the pharmacy
}

# Blue Button variables alone (the inpatient fixture carries no CARIN code).
_BLUE_BUTTON: dict[str, str] = {
    "line_sbmtd_chrg_amt": "billed",
    "line_alowd_chrg_amt": "allowed",
    "line_nch_pmt_amt": "plan_paid",
    "line_prvdr_pmt_amt": _PAID_TO_PROVIDER,
    "line_bene_pmt_amt": _PAID_TO_PATIENT,
    "line_bene_ptb_ddctbl_amt": "deductible",
    "line_bene_prmry_pyr_pd_amt": "prior_payer_paid",
    "line_coinsrnc_amt": "coinsurance",
    "rev_cntr_tot_chrg_amt": "billed",
    "rev_cntr_ncvrd_chrg_amt": "not_covered",
    "rev_cntr_blood_ddctbl_amt": "deductible",
    "rev_cntr_cash_ddctbl_amt": "deductible",
    "rev_cntr_coinsrnc_wge_adjstd_c": "coinsurance",
    "rev_cntr_1st_msp_pd_amt": "prior_payer_paid",
    "rev_cntr_2nd_msp_pd_amt": "prior_payer_paid",
    "rev_cntr_prvdr_pmt_amt": _PAID_TO_PROVIDER,
    "rev_cntr_bene_pmt_amt": _PAID_TO_PATIENT,
    "tot_rx_cst_amt": _DRUG_COST,
    "cvrd_d_plan_pd_amt": "plan_paid",
    "ncvrd_plan_pd_amt": "plan_paid",
    "othr_troop_amt": "prior_payer_paid",
    "plro_amt": "prior_payer_paid",
    "lics_amt": "discount",
    "rptd_gap_dscnt_num": "discount",
    "clm_tot_chrg_amt": "billed",
    "clm_pmt_amt": "plan_paid",
    "nch_prmry_pyr_clm_pd_amt": "prior_payer_paid",
    "nch_bene_ip_ddctbl_amt": "deductible",
    "nch_bene_pta_coinsrnc_lblty_am": "coinsurance",
    "nch_ip_ncvrd_chrg_amt": "not_covered",
    **_BLUE_BUTTON_OVERRIDES,
}

Relationship = Literal["replaces", "replaced_by"]

_NETWORK_STATUS = {"innetwork": "in", "outofnetwork": "out", "contracted": "in", "noncontracted": "out"}
_CLAIM_TYPES = {
    "professional": "professional",
    "institutional": "institutional",
    "pharmacy": "pharmacy",
    "oral": "dental",
    "vision": "vision",
}
_RELATIONSHIPS = {"prior": "replaces", "replaces": "replaces", "replacedby": "replaced_by"}
_PAYMENT_STATUS = {"paid": "paid", "denied": "denied", "partiallypaid": "partial"}

_CODE_SYSTEMS: tuple[tuple[str, str], ...] = (
    ("ama-assn.org/go/cpt", "CPT"),
    ("hcpcsreleasecodesets", "HCPCS"),
    ("codesystem/hcpcs", "HCPCS"),
    ("/hcpcs", "HCPCS"),
    ("ada.org/cdt", "CDT"),
    ("sid/ndc", "NDC"),
)
_HCPCS_LEVEL2 = re.compile(r"^[A-V]\d{4}$", re.ASCII)
_TOTAL_REVENUE_CODE = "0001"


class FhirParser(Parser):
    """CARIN Blue Button and CMS Blue Button 2.0 ExplanationOfBenefit resources."""

    name: ClassVar[str] = "fhir-carin-bb"
    version: ClassVar[str] = "1.0"
    kind: ClassVar[DocumentKind] = "fhir"

    def sniff(self, data: bytes, filename: str | None) -> float:
        head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"{") and b'"resourceType"' in head:
            return 0.95
        return 0.0

    def parse(self, data: bytes, context: ParseContext) -> ParsedDocument:
        resources = list(_decode(data))
        reader = _Reader(resources)
        claims = reader.claims()
        if not claims:
            reader.notes.append("The document holds no ExplanationOfBenefit resource.")
        return ParsedDocument(claims=claims, notes=reader.notes, kind="fhir", parser=self.name)


# --- decoding ------------------------------------------------------------------------------

_DEPTH_TABLE = bytes.maketrans(b"[{]}", b"\x01\x01\x02\x02")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


_DECODER = msgspec.json.Decoder(float_hook=Decimal)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _depth(data: bytes) -> int:
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS).translate(_DEPTH_TABLE)
    return max(accumulate(1 if b == 1 else -1 for b in brackets), default=0)


def _decode(data: bytes) -> Iterator[Any]:
    text = data.lstrip(b"\xef\xbb\xbf")
    if _depth(text) > MAX_DEPTH:
        raise DocumentError(422, "json_too_deep", f"The JSON is nested more than {MAX_DEPTH} levels deep.")
    try:
        yield _DECODER.decode(text)
        return
    except (msgspec.DecodeError, UnicodeDecodeError):  # msgspec raises the latter for bad UTF-8
        pass
    # NDJSON: one resource per line.
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _DECODER.decode(line)
        except (msgspec.DecodeError, UnicodeDecodeError):
            raise DocumentError(
                422, "invalid_json", f"Line {number} of the FHIR document is not valid JSON."
            ) from None


# --- reading -------------------------------------------------------------------------------


def _codings(concept: Any) -> list[tuple[str, str]]:
    if not isinstance(concept, dict):
        return []
    out = []
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and isinstance(coding.get("code"), str):
            out.append((str(coding.get("system") or ""), coding["code"]))
    return out


def _code_in(concept: Any, system_part: str) -> str | None:
    for system, code in _codings(concept):
        if system_part in system:
            return code
    return None


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _last_segment(code: str) -> str:
    return code.rstrip("/").rsplit("/", 1)[-1]


def category_key(concept: Any) -> str | None:
    """Our amount key for an adjudication or total category; ``""`` means "known, not an amount
    we keep"; None means "not an amount category"."""
    codings = _codings(concept)
    for system, code in codings:
        if system == BLUE_BUTTON_ADJUDICATION and _last_segment(code) in _BLUE_BUTTON_OVERRIDES:
            return _BLUE_BUTTON_OVERRIDES[_last_segment(code)]
    for system, code in codings:
        if (system in HL7_ADJUDICATION or system.startswith(C4BB)) and code in _STANDARD:
            return _STANDARD[code]
    for system, code in codings:
        if system == BLUE_BUTTON_ADJUDICATION and _last_segment(code) in _BLUE_BUTTON:
            return _BLUE_BUTTON[_last_segment(code)]
    return None


def _network_category(concept: Any) -> str | None:
    """1.x: ``C4BBPayerAdjudicationStatus#innetwork`` used as a category."""
    for system, code in _codings(concept):
        if system.startswith(C4BB) and code in _NETWORK_STATUS:
            return _NETWORK_STATUS[code]
    return None


def _discriminator(concept: Any) -> str | None:
    for system, code in _codings(concept):
        if system.startswith(C4BB) and "Discriminator" in system:
            return code
    return None


@dataclass
class _Adjudication:
    """What one list of adjudications says: amounts by key, network signals, reason codes."""

    amounts: dict[str, Money] = field(default_factory=dict)
    benefit_network: list[str] = field(default_factory=list)
    billing_network: list[str] = field(default_factory=list)
    rendering_network: list[str] = field(default_factory=list)
    reasons: list[tuple[str, str]] = field(default_factory=list)
    rejected: bool = False


class _Reader:
    def __init__(self, resources: list[Any]) -> None:
        self.notes: list[str] = []
        self.eobs: list[dict[str, Any]] = []
        self.index: dict[str, dict[str, Any]] = {}
        self.ids = IdAllocator()
        self._skipped: dict[str, int] = {}
        self._rounded = False
        for resource in resources:
            self._collect(resource, depth=0)
        for kind, count in sorted(self._skipped.items()):
            plural = "resource was" if count == 1 else "resources were"
            self.notes.append(f"{count} {kind} {plural} skipped: only ExplanationOfBenefit is read.")

    def _collect(self, resource: Any, depth: int) -> None:
        if not isinstance(resource, dict):
            self._skip("non-resource")
            return
        kind = resource.get("resourceType")
        if kind == "Bundle" and depth < 3:
            for entry in resource.get("entry") or []:
                if isinstance(entry, dict):
                    self._collect(entry.get("resource"), depth + 1)
                    # A transaction Bundle refers to its entries by fullUrl ("urn:uuid:...").
                    url, inner = entry.get("fullUrl"), entry.get("resource")
                    if isinstance(url, str) and isinstance(inner, dict) and len(url) <= 256:
                        self.index[url] = inner
            return
        if isinstance(kind, str) and isinstance(resource.get("id"), str):
            self.index[f"{kind}/{resource['id']}"] = resource
        if kind == "ExplanationOfBenefit":
            self.eobs.append(resource)
        else:
            self._skip(kind if isinstance(kind, str) and re.fullmatch(r"[A-Za-z]{1,64}", kind) else "unknown")

    def _skip(self, kind: str) -> None:
        self._skipped[kind] = self._skipped.get(kind, 0) + 1

    # --- one EOB ---------------------------------------------------------------------------

    def claims(self) -> list[Claim]:
        patients = [self._patient(eob) for eob in self.eobs]
        return [self._claim(eob, member) for eob, member in zip(self.eobs, members(patients), strict=True)]

    def _patient(self, eob: dict[str, Any]) -> Patient:
        """Whose EOB this is: the patient's reference (digested, never kept) and the relationship
        the Coverage it names records (CARIN ``subscriber-relationship``: self, spouse, child)."""
        ref = eob.get("patient")
        target = ref.get("reference") if isinstance(ref, dict) else None
        key = reference_key(target) if isinstance(target, str) else None
        named = None
        for insurance in eob.get("insurance") or []:
            coverage = self._resolve_ref(
                insurance.get("coverage") if isinstance(insurance, dict) else None, {}
            )
            codes = [code for _, code in _codings((coverage or {}).get("relationship"))]
            named = next((r for r in map(relationship, codes) if r), None) or named
        return Patient(key=key, relationship=named)

    def _claim(self, eob: dict[str, Any], member: str) -> Claim:
        contained = {
            f"#{r['id']}": r
            for r in eob.get("contained") or []
            if isinstance(r, dict) and isinstance(r.get("id"), str)
        }
        number = _claim_number(eob)
        header = self._adjudications(eob.get("adjudication"))
        totals_read = self._adjudications(eob.get("total"))
        supporting = _supporting_info(eob)
        lines, total_lines = self._lines(eob, header)
        totals = self._totals(eob, header, totals_read, total_lines)
        claim_type = _claim_type(eob)
        provider = self._party(
            eob.get("provider"), contained, role="facility" if claim_type == "institutional" else None
        )
        billing = _one_network(header.billing_network) or supporting.get("billing_network")
        if billing:
            provider = msgspec.structs.replace(provider or Party(), network=billing)
        pos = next((line_pos for line_pos in (_pos(i) for i in _items(eob)) if line_pos), None)
        billable = eob.get("billablePeriod") or {}
        start = _date(billable.get("start")) or min(
            (ln.service_date for ln in lines if ln.service_date), default=None
        )
        end = _date(billable.get("end")) or max(
            (ln.service_date for ln in lines if ln.service_date), default=start
        )
        return Claim(
            id=self.ids.claim_id(number),
            source="fhir",
            member=member,
            claim_type=claim_type,  # type: ignore[arg-type]
            payer=self._payer(eob, contained),
            claim_number=number,
            provider=provider,
            facility=self._facility(eob, contained, supporting),
            service_start=start,
            service_end=end,
            received_date=supporting.get("received"),
            processed_date=_date(eob.get("created")),
            emergency=pos == "23" or supporting.get("admission_type") == "1",
            place_of_service=pos,
            status=_status(eob, lines),  # type: ignore[arg-type]
            coverage_position=_coverage_position(eob, lines, totals),  # type: ignore[arg-type]
            lines=lines,
            totals=totals,
            related=self._related(eob),
            accumulators=self._standing(eob),
        )

    def _standing(self, eob: dict[str, Any]) -> PrintedAccumulators | None:
        """``benefitBalance``: the plan's deductible as the insurer counted it when it wrote the
        EOB (HL7 benefit type ``deductible``: ``allowedMoney`` the limit, ``usedMoney`` what is
        met), for the member or the family. An out-of-network balance has limits the replay does
        not use; Blue Button's Medicare balances are amounts of the claim, not a standing."""
        figures: dict[str, Money] = {}
        for balance in eob.get("benefitBalance") or []:
            if not isinstance(balance, dict) or _code_in(balance.get("network"), "benefit-network") == "out":
                continue
            prefix = "family_" if _code_in(balance.get("unit"), "benefit-unit") == "family" else ""
            for financial in balance.get("financial") or []:
                if (
                    not isinstance(financial, dict)
                    or _code_in(financial.get("type"), "benefit-type") != "deductible"
                ):
                    continue
                for name, key in (("deductible", "allowedMoney"), ("deductible_met", "usedMoney")):
                    amount = self._money(financial.get(key))
                    if amount is not None and amount >= 0:
                        figures.setdefault(prefix + name, amount)
        if not figures:
            return None
        return msgspec.structs.replace(PrintedAccumulators(as_of=_date(eob.get("created"))), **figures)

    def _adjudications(self, entries: Any) -> _Adjudication:
        result = _Adjudication()
        for entry in entries or []:
            if not isinstance(entry, dict):
                continue
            category = entry.get("category")
            slice_name = _discriminator(category)
            if slice_name is not None:
                self._slice(slice_name, entry, result)
                continue
            network = _network_category(category)
            if network:
                result.benefit_network.append(network)
                continue
            # Plain FHIR R4 puts the reason on the amount it explains (CARC 96 on "noncovered").
            result.reasons.extend(_codings(entry.get("reason")))
            key = category_key(category)
            amount = self._money(entry.get("amount"))
            if not key or amount is None:
                continue
            result.amounts[key] = Money(result.amounts.get(key, 0) + amount)
        return result

    def _slice(self, name: str, entry: dict[str, Any], result: _Adjudication) -> None:
        reason = entry.get("reason")
        status = next((_NETWORK_STATUS[c] for _, c in _codings(reason) if c in _NETWORK_STATUS), None)
        if name == "benefitpaymentstatus" and status:
            result.benefit_network.append(status)
        elif name in ("billingnetworkstatus", "inoutnetwork") and status:
            result.billing_network.append(status)
        elif name == "renderingnetworkstatus" and status:
            result.rendering_network.append(status)
        elif name in ("adjustmentreason", "denialreason"):
            result.reasons.extend(_codings(reason))
        elif name == "rejectreason" and _codings(reason):
            result.rejected = True

    def _money(self, amount: Any) -> Money | None:
        if not isinstance(amount, dict) or "value" not in amount:
            return None
        currency = amount.get("currency")
        if currency not in (None, "USD"):
            self._note_once("An amount in a currency other than USD was skipped.")
            return None
        value = amount["value"]
        if isinstance(value, Decimal) and value.is_finite() and value != value.quantize(Decimal("0.01")):
            value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
            if not self._rounded:
                self._rounded = True
                self.notes.append("Some amounts had more than two decimals and were rounded to the cent.")
        try:
            return money_from_json(value)
        except MoneyError as exc:
            raise DocumentError(
                422, "invalid_amount", f"An adjudication amount is not readable: {exc}."
            ) from None

    def _note_once(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)

    # --- lines -----------------------------------------------------------------------------

    def _lines(
        self, eob: dict[str, Any], header: _Adjudication
    ) -> tuple[list[ServiceLine], list[_Adjudication]]:
        diagnoses = _diagnoses(eob)
        header_network = _one_network(header.benefit_network)
        if len(set(header.benefit_network)) > 1:
            self._note_once(
                "The EOB gives conflicting benefit network statuses (in and out of network); "
                "lines without their own status are left as unknown."
            )
        lines: list[ServiceLine] = []
        total_lines: list[_Adjudication] = []
        for position, item in enumerate(_items(eob), start=1):
            read = self._adjudications(item.get("adjudication"))
            if _revenue_code(item) == _TOTAL_REVENUE_CODE:
                total_lines.append(read)
                self._note_once("A revenue code 0001 item is the claim's total, not a service line.")
                continue
            lines.append(self._line(item, position, read, diagnoses, header_network))
        return lines, total_lines

    def _line(
        self,
        item: dict[str, Any],
        position: int,
        read: _Adjudication,
        diagnoses: dict[int, str],
        header_network: str | None,
    ) -> ServiceLine:
        sequence = item.get("sequence")
        code, system, description = _service_code(item)
        adjustments, remarks = _reason_codes(read.reasons)
        amounts = _resolve(read.amounts)
        linked = [diagnoses[s] for s in item.get("diagnosisSequence") or [] if s in diagnoses]
        served = item.get("servicedPeriod") or {}
        return ServiceLine(
            id=str(sequence) if isinstance(sequence, int) else str(position),
            service_date=_date(item.get("servicedDate")) or _date(served.get("start")),
            code=code,
            code_system=system,  # type: ignore[arg-type]
            modifiers=_modifiers(item),
            diagnoses=linked or list(diagnoses.values()),
            units=_units(item.get("quantity")),
            description=description,
            adjustments=adjustments,
            remarks=remarks,
            insurer_codes=[],  # FHIR codes name their system; an insurer's own has no legend here
            network=_one_network(read.benefit_network) or header_network or "unknown",  # type: ignore[arg-type]
            denied=read.rejected,
            **amounts,
        )

    def _totals(
        self,
        eob: dict[str, Any],
        header: _Adjudication,
        totals: _Adjudication,
        total_lines: list[_Adjudication],
    ) -> Amounts | None:
        merged: dict[str, Money] = {}
        for source in [*total_lines, header, totals]:
            merged.update(_resolve(source.amounts))
        if "plan_paid" not in merged:
            payment = self._money((eob.get("payment") or {}).get("amount"))
            if payment is not None:
                merged["plan_paid"] = payment
        negative = [k for k, v in merged.items() if v < 0]
        for key in negative:
            del merged[key]
        if negative:
            self._note_once("Negative claim totals were left out; the lines keep their own amounts.")
        return Amounts(**merged) if merged else None

    # --- parties and links -----------------------------------------------------------------

    def _resolve_ref(self, ref: Any, contained: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
        if not isinstance(ref, dict) or not isinstance(ref.get("reference"), str):
            return None
        target = ref["reference"]
        if target.startswith("#"):
            return contained.get(target)
        return self.index.get(target) or self.index.get("/".join(target.rsplit("/", 2)[-2:]))

    def _party(self, ref: Any, contained: dict[str, dict[str, Any]], role: str | None) -> Party | None:
        if not isinstance(ref, dict):
            return None
        target = ref.get("reference") if isinstance(ref.get("reference"), str) else ""
        resource = self._resolve_ref(ref, contained)
        is_person = "Practitioner" in str(target) or (resource or {}).get("resourceType") == "Practitioner"
        name = None
        if not is_person:
            name = (resource or {}).get("name") if isinstance((resource or {}).get("name"), str) else None
            name = name or (ref.get("display") if isinstance(ref.get("display"), str) else None)
        npi = _npi([ref.get("identifier")]) or _npi((resource or {}).get("identifier") or [])
        return Party(name=name, npi=npi, role=role)  # type: ignore[arg-type]

    def _payer(self, eob: dict[str, Any], contained: dict[str, dict[str, Any]]) -> str | None:
        insurer = eob.get("insurer")
        resource = self._resolve_ref(insurer, contained)
        if resource and isinstance(resource.get("name"), str):
            return str(resource["name"])
        if isinstance(insurer, dict) and isinstance(insurer.get("display"), str):
            return str(insurer["display"])
        if any(system.startswith(BLUE_BUTTON) for system, _ in _codings(eob.get("type"))):
            return "Medicare"
        return None

    def _facility(
        self, eob: dict[str, Any], contained: dict[str, dict[str, Any]], supporting: dict[str, Any]
    ) -> Party | None:
        ref = eob.get("facility") if isinstance(eob.get("facility"), dict) else supporting.get("facility")
        if not isinstance(ref, dict) or not (
            ref.get("reference") or ref.get("display") or ref.get("identifier")
        ):
            return None
        return self._party(ref, contained, role="facility")

    def _related(self, eob: dict[str, Any]) -> list[RelatedClaim]:
        related = []
        for entry in eob.get("related") or []:
            if not isinstance(entry, dict):
                continue
            relation = next(
                (_RELATIONSHIPS[c] for _, c in _codings(entry.get("relationship")) if c in _RELATIONSHIPS),
                None,
            )
            claim_ref = entry.get("claim") or {}
            key = (claim_ref.get("identifier") or {}).get("value") or claim_ref.get("reference")
            if relation and isinstance(key, str) and key:
                target = self.index.get("/".join(key.rsplit("/", 2)[-2:]))
                number = _claim_number(target) if target else None
                claim_id = self.ids.reference(number or key)
                related.append(RelatedClaim(claim_id=claim_id, relationship=cast(Relationship, relation)))
        return related


# --- helpers over one EOB ------------------------------------------------------------------


def _items(eob: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in eob.get("item") or [] if isinstance(i, dict)]


def _claim_number(eob: dict[str, Any]) -> str | None:
    identifiers = [
        i for i in eob.get("identifier") or [] if isinstance(i, dict) and isinstance(i.get("value"), str)
    ]
    for ident in identifiers:
        if any(code == "uc" for _, code in _codings(ident.get("type"))):
            return str(ident["value"])
    if identifiers:
        return str(identifiers[0]["value"])
    return str(eob["id"]) if isinstance(eob.get("id"), str) else None


def _claim_type(eob: dict[str, Any]) -> str | None:
    for system, code in _codings(eob.get("type")):
        if "claim-type" in system and code in _CLAIM_TYPES:
            return _CLAIM_TYPES[code]
    return None


def _supporting_info(eob: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for info in eob.get("supportingInfo") or []:
        if not isinstance(info, dict):
            continue
        category = _code_in(info.get("category"), "C4BBSupportingInfoType")
        if category == "clmrecvddate":
            found["received"] = _date(info.get("timingDate"))
        elif category == "billingnetworkcontractingstatus":
            status = next(
                (_NETWORK_STATUS[c] for _, c in _codings(info.get("code")) if c in _NETWORK_STATUS), None
            )
            if status:
                found["billing_network"] = status
        elif category == "servicefacility":
            found["facility"] = info.get("valueReference")
        elif category == "admtype":
            found["admission_type"] = next((c for _, c in _codings(info.get("code"))), None)
    return found


def _one_network(signals: list[str]) -> str | None:
    distinct = set(signals)
    return distinct.pop() if len(distinct) == 1 else None


def _pos(item: dict[str, Any]) -> str | None:
    location = item.get("locationCodeableConcept")
    for system, code in _codings(location):
        if "place-of-service" in system.lower() or "place_of_srvc" in system:
            return code if re.fullmatch(r"\d{2}", code) else None
    return None


def _revenue_code(item: dict[str, Any]) -> str | None:
    return next((code for _, code in _codings(item.get("revenue"))), None)


#: The same code systems named by their HL7 OIDs ("urn:oid:2.16.840.1.113883.6.12" is CPT).
_OID_SYSTEMS = {
    "2.16.840.1.113883.6.12": "CPT",
    "2.16.840.1.113883.6.14": "HCPCS",
    "2.16.840.1.113883.6.285": "HCPCS",
    "2.16.840.1.113883.6.13": "CDT",
    "2.16.840.1.113883.6.69": "NDC",
}


def _code_system(system: str, code: str) -> str | None:
    lowered = system.lower().strip()
    by_oid = _OID_SYSTEMS.get(lowered.removeprefix("urn:oid:"))
    if by_oid is not None:
        return "HCPCS" if by_oid == "CPT" and _HCPCS_LEVEL2.match(code) else by_oid
    for part, name in _CODE_SYSTEMS:
        if part in lowered:
            if name == "CPT" and _HCPCS_LEVEL2.match(code):
                return "HCPCS"
            return name
    return None


def _service_code(item: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    product = item.get("productOrService")
    description = None
    if isinstance(product, dict):
        description = product.get("text") if isinstance(product.get("text"), str) else None
        for coding in product.get("coding") or []:
            if not isinstance(coding, dict) or not isinstance(coding.get("code"), str):
                continue
            system = _code_system(str(coding.get("system") or ""), coding["code"])
            if system:
                display = coding.get("display") if isinstance(coding.get("display"), str) else None
                return coding["code"], system, description or display
    # Blue Button puts an institutional line's HCPCS code in `modifier`.
    for modifier in item.get("modifier") or []:
        for system, code in _codings(modifier):
            if "hcpcs" in system.lower() and len(code) == 5:
                return code, "HCPCS" if _HCPCS_LEVEL2.match(code) else "CPT", description
    revenue = item.get("revenue")
    revenue_code = next((c for _, c in _codings(revenue)), None)
    if revenue_code and re.fullmatch(r"\d{4}", revenue_code):
        display = next(
            (c.get("display") for c in (revenue or {}).get("coding") or [] if isinstance(c, dict)), None
        )
        return revenue_code, "REV", description or (display if isinstance(display, str) else None)
    return None, None, description


def _modifiers(item: dict[str, Any]) -> list[str]:
    return [code for m in item.get("modifier") or [] for _, code in _codings(m) if len(code) == 2]


def _units(quantity: Any) -> int:
    value = quantity.get("value") if isinstance(quantity, dict) else None
    if (
        isinstance(value, int | Decimal)
        and not isinstance(value, bool)
        and value >= 0
        and value == int(value)
    ):
        return int(value)
    return 1


def _diagnoses(eob: dict[str, Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for diagnosis in eob.get("diagnosis") or []:
        if not isinstance(diagnosis, dict) or not isinstance(diagnosis.get("sequence"), int):
            continue
        for system, code in _codings(diagnosis.get("diagnosisCodeableConcept")):
            if "icd-10" in system.lower():
                found[diagnosis["sequence"]] = code
                break
    return found


def _npi(identifiers: Iterable[Any]) -> str | None:
    """The first NPI identifier that is a real NPI (its check digit right). A placeholder such
    as "9999999999", which examples and test systems give every provider, is no NPI: kept, it
    would make two different providers one to the duplicate and network checks."""
    for ident in identifiers:
        if not isinstance(ident, dict) or not isinstance(ident.get("value"), str):
            continue
        typed = any(code == "npi" for _, code in _codings(ident.get("type")))
        if (typed or "us-npi" in str(ident.get("system"))) and is_valid_npi(ident["value"]):
            return str(ident["value"])
    return None


def _reason_codes(reasons: list[tuple[str, str]]) -> tuple[list[Adjustment], list[str]]:
    adjustments: list[Adjustment] = []
    remarks: list[str] = []
    for system, code in reasons:
        if system in X12_RARC or (system not in X12_CARC and is_rarc(code)):
            remarks.append(code)
        elif system in X12_CARC:
            adjustments.append(Adjustment(group=GROUP_UNKNOWN, reason=code))
    return adjustments, remarks


def _resolve(amounts: dict[str, Money]) -> dict[str, Money]:
    """Our amount keys -> the model's fields: plan paid from its parts, billed from drug cost."""
    resolved = {k: v for k, v in amounts.items() if k in AMOUNT_FIELDS}
    if "plan_paid" not in resolved and (_PAID_TO_PROVIDER in amounts or _PAID_TO_PATIENT in amounts):
        resolved["plan_paid"] = Money(amounts.get(_PAID_TO_PROVIDER, 0) + amounts.get(_PAID_TO_PATIENT, 0))
    if "billed" not in resolved and _DRUG_COST in amounts:
        resolved["billed"] = amounts[_DRUG_COST]
    reduced = amounts.get(_REDUCED_COINSURANCE)
    if reduced:
        resolved["coinsurance"] = reduced
    return resolved


def _status(eob: dict[str, Any], lines: list[ServiceLine]) -> str | None:
    payment = eob.get("payment") or {}
    for _, code in _codings(payment.get("type") if isinstance(payment, dict) else None):
        if code in _PAYMENT_STATUS:
            return _PAYMENT_STATUS[code]
    if eob.get("outcome") == "queued":
        return "pending"
    if lines and all(line.denied for line in lines):
        return "denied"
    return None


def _coverage_position(eob: dict[str, Any], lines: list[ServiceLine], totals: Amounts | None) -> str | None:
    # Blue Button adds coverage stubs that only carry contract numbers: not another payer.
    coverages = [
        entry
        for entry in eob.get("insurance") or []
        if isinstance(entry, dict) and isinstance((entry.get("coverage") or {}).get("reference"), str)
    ]
    if len(coverages) > 1:
        focal = next((i for i, entry in enumerate(coverages) if entry.get("focal") is True), 0)
        return ("primary", "secondary", "tertiary")[min(focal, 2)]
    prior = [line.prior_payer_paid for line in lines] + [totals.prior_payer_paid if totals else None]
    if any(amount is not None and amount > 0 for amount in prior):
        return "secondary"
    return None
