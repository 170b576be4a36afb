"""Letters rendered from a finding: the words a patient sends to the insurer, the provider, the
treating physician or the regulator.

Templates live in ``templates/<id>.txt``: a small header (``title:``, ``to:``), a ``---`` line,
then the body. In the body ``{{name}}`` is a fact taken from the finding and its claim, and
``{{cite:key}}`` is a citation from :mod:`scanner.reference.citations`. Rendering fails on a
name or a key it does not know, so a template can neither print a hole nor cite a law the
registry lacks. ``{name}`` in single braces is a placeholder left for the client, who keeps the
patient's name, member id and addresses to itself (:data:`facts.CLIENT_PLACEHOLDERS`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import msgspec

from scanner.actions import facts
from scanner.actions.schedule import action_deadline, within_calendar
from scanner.deadlines import financial_assistance, internal_appeal, is_medicare_claim
from scanner.model import Action, Bill, Claim, Finding, Plan, Reference
from scanner.money import dollars
from scanner.reference.citations import CITATIONS
from scanner.standings import with_printed_limits

#: The letter templates, by id (the ids checks put in ``Action.template``).
TEMPLATE_IDS: tuple[str, ...] = (
    "reprocessing_request",
    "appeal_internal_level1",
    "appeal_internal_level2",
    "medical_necessity_request",
    "external_review_request",
    "balance_billing_dispute",
    "cob_update",
    "itemized_bill_request",
    "nsa_complaint",
    "network_gap_exception",
    "oop_max_reprocessing",
    "financial_assistance_application",
    "prompt_pay_discount",
)

RECIPIENTS = frozenset({"insurer", "provider", "physician", "regulator"})

#: Letters that go with another: an appeal is stronger with the physician's letter behind it.
COMPANIONS: dict[str, tuple[str, ...]] = {
    "appeal_internal_level1": ("medical_necessity_request",),
    "appeal_internal_level2": ("medical_necessity_request",),
}

#: Prompt-pay discounts hospitals commonly give: 10 to 20 percent. We ask for the top.
PROMPT_PAY_PERCENT = 20

_FIELD = re.compile(r"\{\{\s*([a-z_]+)(?::([a-z0-9-]+))?\s*\}\}")
_LEFTOVER = re.compile(r"\{([a-z_]+)\}")


class LetterError(ValueError):
    """A template that cannot be rendered: the message names the template and the field."""


class UnknownCitation(LetterError):
    """A template cites a key the citations registry lacks."""


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    to: str
    body: str

    def citation_keys(self) -> list[str]:
        return list(dict.fromkeys(key for name, key in _FIELD.findall(self.body) if name == "cite"))

    def fields(self) -> set[str]:
        return {name for name, key in _FIELD.findall(self.body) if name != "cite"}


class Letter(msgspec.Struct, kw_only=True):
    """A rendered letter, with what it concerns and the placeholders left for the client."""

    id: str
    template: str
    title: str
    to: str
    rule: str
    claim_id: str
    line_ids: list[str]
    filename: str
    text: str
    placeholders: list[str]
    references: list[Reference]


def parse_template(template_id: str, source: str) -> Template:
    header, sep, body = source.partition("\n---\n")
    if not sep:
        raise LetterError(f"template {template_id}: no '---' line after the header")
    meta: dict[str, str] = {}
    for row in header.splitlines():
        key, colon, value = row.partition(":")
        if not colon:
            raise LetterError(f"template {template_id}: header line without a colon")
        meta[key.strip()] = value.strip()
    if set(meta) != {"title", "to"}:
        raise LetterError(f"template {template_id}: the header needs exactly 'title' and 'to'")
    if meta["to"] not in RECIPIENTS:
        raise LetterError(f"template {template_id}: unknown recipient {meta['to']!r}")
    return Template(template_id, meta["title"], meta["to"], body.strip("\n") + "\n")


@cache
def load_template(template_id: str) -> Template:
    if template_id not in TEMPLATE_IDS:
        raise LetterError(f"no letter template {template_id!r}")
    source = resources.files("scanner.actions").joinpath("templates", f"{template_id}.txt")
    return parse_template(template_id, source.read_text(encoding="utf-8"))


def fill(template: Template, values: Mapping[str, str]) -> str:
    """Substitute facts and citations; an unknown name or citation key is an error."""

    def replace(match: re.Match[str]) -> str:
        name, key = match.group(1), match.group(2)
        if name == "cite":
            if key not in CITATIONS:
                raise UnknownCitation(f"template {template.id} cites {key!r}, which the registry lacks")
            return CITATIONS[key].citation
        if key is not None or name not in values:
            raise LetterError(f"template {template.id} uses unknown field {match.group(0)!r}")
        return neutral_braces(values[name])

    text = _FIELD.sub(replace, template.body)
    leftovers = set(_LEFTOVER.findall(text)) - facts.CLIENT_PLACEHOLDERS
    if leftovers or "{{" in text or "}}" in text:
        raise LetterError(f"template {template.id} leaves unknown placeholders {sorted(leftovers)}")
    return text


_CLIENT_TOKEN = re.compile(
    "(" + "|".join(re.escape("{" + n + "}") for n in sorted(facts.CLIENT_PLACEHOLDERS)) + ")"
)


def neutral_braces(value: str) -> str:
    """Braces that came with the data (a provider named ``{x}``) become parentheses, so data can
    neither open a placeholder nor break the template; our own ``{placeholder}`` fallbacks stay."""
    parts = _CLIENT_TOKEN.split(value)
    return "".join(
        part if i % 2 else part.replace("{", "(").replace("}", ")") for i, part in enumerate(parts)
    )


def client_placeholders(text: str) -> list[str]:
    """The client's placeholders a rendered letter still holds, in order of appearance."""
    return list(dict.fromkeys(name for name in _LEFTOVER.findall(text) if name in facts.CLIENT_PLACEHOLDERS))


def fill_local(text: str, values: Mapping[str, str]) -> str:
    """Fill the client's placeholders (the CLI and the page do this on the user's machine)."""

    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return value if value else match.group(0)

    return _LEFTOVER.sub(replace, text)


def render(
    template_id: str,
    finding: Finding,
    claim: Claim,
    *,
    as_of: dt.date,
    plan: Plan | None = None,
    bills: Sequence[Bill] = (),
    action: Action | None = None,
) -> Letter:
    """One letter about ``finding``."""
    template = load_template(template_id)
    values = letter_values(finding, claim, as_of=as_of, plan=plan, bills=bills, action=action)
    keys = template.citation_keys() + [
        key for key in facts.registry_references(finding.references) if template_id != "prompt_pay_discount"
    ]
    keys = list(dict.fromkeys(keys))
    values["references"] = _references_block(keys)
    text = fill(template, values)
    line_part = "-".join(finding.line_ids) or "claim"
    return Letter(
        id=f"{finding.claim_id}:{finding.rule}:{line_part}:{template_id}",
        template=template_id,
        title=template.title,
        to=template.to,
        rule=finding.rule,
        claim_id=finding.claim_id,
        line_ids=list(finding.line_ids),
        filename=_filename(finding, template_id),
        text=text,
        placeholders=client_placeholders(text),
        references=[CITATIONS[key].reference() for key in keys],
    )


def letters_for(
    findings: Iterable[Finding],
    claims: Sequence[Claim],
    *,
    as_of: dt.date,
    plan: Plan | None = None,
    bills: Sequence[Bill] = (),
) -> list[tuple[int, Letter]]:
    """Every letter the findings' actions ask for (with their companions), with the index of the
    finding each belongs to. A template is rendered once per finding. The plan's limits the
    patient did not give are those the EOBs printed, as the scan used them."""
    plan = with_printed_limits(plan, claims)
    by_id = {claim.id: claim for claim in claims}
    out: list[tuple[int, Letter]] = []
    for index, finding in enumerate(findings):
        claim = by_id.get(finding.claim_id)
        if claim is None:
            continue
        done: set[str] = set()
        for action in finding.actions:
            if action.template is None or action.template not in TEMPLATE_IDS:
                continue
            for template_id in (action.template, *COMPANIONS.get(action.template, ())):
                if template_id in done:
                    continue
                done.add(template_id)
                letter = render(
                    template_id, finding, claim, as_of=as_of, plan=plan, bills=bills, action=action
                )
                out.append((index, letter))
    return out


def letter_values(
    finding: Finding,
    claim: Claim,
    *,
    as_of: dt.date,
    plan: Plan | None = None,
    bills: Sequence[Bill] = (),
    action: Action | None = None,
) -> dict[str, str]:
    """The facts a template may use, by name."""
    lines = facts.finding_lines(finding, claim)
    bill = facts.bill_for(claim, bills)
    share = facts.patient_share(finding, claim)
    bill_amount = bill.amount_due if bill and bill.amount_due is not None else None
    base = share if share is not None else bill_amount
    offer = None if base is None else base * (100 - PROMPT_PAY_PERCENT) // 100
    return {
        "date": facts.long_date(as_of),
        "payer": facts.payer(claim),
        "provider": facts.provider(claim),
        "claim_number": facts.claim_number(claim),
        "service_dates": facts.service_dates(claim),
        "processed_date": facts.processed_date(claim),
        "lines": facts.lines_block(lines),
        "codes": facts.codes(lines),
        "diagnoses": facts.diagnoses(lines),
        "evidence": facts.evidence_block(finding),
        "finding_title": finding.title,
        "finding_message": quoted(finding.message),
        "rule": finding.rule,
        "amount_at_stake": dollars(finding.amount_at_stake),
        "patient_responsibility": facts.amount_or(share, "the amount the EOB shows as my responsibility"),
        "bill_amount": facts.amount_or(bill_amount, "the balance on your statement"),
        "bill_date": facts.long_date(bill.statement_date)
        if bill and bill.statement_date
        else "[date of your statement]",
        "oop_max": facts.amount_or(facts.oop_max(plan), "my plan's out-of-pocket maximum"),
        "prompt_pay_percent": str(PROMPT_PAY_PERCENT),
        "prompt_pay_offer": facts.amount_or(offer, "the discounted amount"),
        "appeal_deadline": _appeal_deadline(claim, action),
        "external_review_deadline": _external_review_deadline(action),
        "assistance_deadline": _assistance_deadline(bill, action),
    }


def quoted(message: str) -> str:
    """A finding's message speaks to the patient ("you owe"); in a letter it is quoted as the
    review's words, so its pronouns do not read as the letter's."""
    return f"The EOB review I used reports: \u201c{message.strip()}\u201d"


def _appeal_deadline(claim: Claim, action: Action | None) -> str:
    if action is not None and action.kind == "appeal_internal":
        due = action_deadline(action, claim)
        if due is not None:
            return facts.long_date(due)
    medicare = is_medicare_claim(claim)
    processed = claim.processed_date
    due = within_calendar(lambda: internal_appeal(processed, medicare=medicare).due) if processed else None
    if due is not None:
        return facts.long_date(due)
    return "60 days from your decision" if medicare else "180 days from your decision"


def _external_review_deadline(action: Action | None) -> str:
    if action is not None and action.kind == "external_review" and action.deadline is not None:
        return facts.long_date(action.deadline)
    return "four months after the final internal denial"


def _assistance_deadline(bill: Bill | None, action: Action | None) -> str:
    if action is not None and action.kind == "apply_financial_assistance" and action.deadline is not None:
        return facts.long_date(action.deadline)
    first_bill = bill.statement_date if bill is not None else None
    due = within_calendar(lambda: financial_assistance(first_bill).due) if first_bill else None
    if due is not None:
        return facts.long_date(due)
    return "240 days after the first bill after discharge"


def _references_block(keys: Sequence[str]) -> str:
    if not keys:
        return "(none)"
    return "\n".join(
        f"- {CITATIONS[key].citation}: {CITATIONS[key].title}. {CITATIONS[key].url}" for key in keys
    )


def _filename(finding: Finding, template_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", finding.claim_id).strip("-.") or "claim"
    lines = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(finding.line_ids)).strip("-.")
    middle = f"{finding.rule}-{lines}" if lines else finding.rule
    return f"{safe[:40]}-{middle[:40]}-{template_id}.txt"


__all__ = [
    "TEMPLATE_IDS",
    "Letter",
    "LetterError",
    "Template",
    "UnknownCitation",
    "client_placeholders",
    "fill",
    "fill_local",
    "letters_for",
    "load_template",
    "render",
]
