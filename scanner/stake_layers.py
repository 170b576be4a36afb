"""The two layers of a claim's dollars at stake: the EOB's own, and what a bill asks above it.

What the EOB asks the patient to pay beyond what is owed (every check's findings about the EOB),
and what a provider's bill asks above the EOB's patient responsibility, are different dollars:
correcting the EOB does not lower the bill's excess over it, and the reverse. So the total adds
the two layers, and counts each layer's dollars on a line once (:func:`scanner.engine.at_stake`).

Most rules lie in one layer. BAL001 (an in-network provider bills more than the EOB allows) can
lie in both: what the bill asks above the EOB's patient responsibility is above it, and a charge
above the allowed amount that the EOB itself puts on the patient as "not covered" is inside it,
the same dollars INS001 finds on the EOB. Its evidence says how much lies where
(:data:`ABOVE_FIELD`, :data:`INSIDE_FIELD`).
"""

from __future__ import annotations

from scanner.model import Evidence, Finding
from scanner.money import format_money, parse_money

#: Rules whose dollars all lie above the EOB's patient responsibility: what a provider's bill asks
#: beyond the EOB for a line (BAL003, BAL007), for charges the EOB does not list at all (BAL002),
#: or again for a payment already made on it (BAL008). No finding about the EOB itself claims
#: them. (BAL004 claims a whole denied charge the EOB may print as the patient's: it stays with
#: the EOB's findings.)
BEYOND_THE_EOB = frozenset({"BAL002", "BAL003", "BAL007", "BAL008"})
#: Rules whose dollars may lie partly above the EOB's patient responsibility and partly inside it:
#: their evidence says how much lies above (:data:`ABOVE_FIELD`); the rest is inside.
PARTLY_BEYOND_THE_EOB = frozenset({"BAL001"})
#: Of the rules beyond the EOB, those about dollars on no line of the EOB (charges it does not list,
#: a payment the bill does not credit): they share dollars with none of its lines, so a claim-wide
#: one does not stand for the claim's lines.
OFF_THE_EOB = frozenset({"BAL002", "BAL008"})
OFF_THE_EOB_PLACE = "(charges not on the EOB)"

#: The evidence fields in which a finding of :data:`PARTLY_BEYOND_THE_EOB` splits its amount.
ABOVE_FIELD = "above_the_eob_share"
INSIDE_FIELD = "inside_the_eob_share"
ABOVE_NOTE = (
    "what the bill asks above the EOB's patient responsibility: no error on the EOB claims these "
    "dollars, so the total at stake adds them to the EOB's own findings on this line"
)
INSIDE_NOTE = (
    "part of the EOB's own patient responsibility that is not yours either (a charge above the "
    "allowed amount the EOB puts on you as not covered): a finding about the EOB may claim the "
    "same dollars, so the total at stake counts them once"
)


def split_evidence(above: int, inside: int) -> list[Evidence]:
    """The evidence of a finding whose ``above + inside`` dollars lie in both layers."""
    return [
        Evidence(field=ABOVE_FIELD, value=format_money(above), note=ABOVE_NOTE),
        Evidence(field=INSIDE_FIELD, value=format_money(inside), note=INSIDE_NOTE),
    ]


def above_the_eob(finding: Finding, amount: int | None = None) -> int:
    """How much of a finding's dollars (of ``amount``, when the total counts it at less than its
    own) lies above the EOB's patient responsibility: all of a :data:`BEYOND_THE_EOB` rule's, what
    a :data:`PARTLY_BEYOND_THE_EOB` rule's evidence says (at most the amount), none of the others'.

    A lower figure comes off the part inside the EOB first: what lowers a finding in the total is
    a correction of the EOB (:mod:`scanner.linked_stakes`), which leaves the bill's excess over
    the EOB as it is."""
    amount = int(finding.amount_at_stake) if amount is None else amount
    if finding.rule in BEYOND_THE_EOB:
        return max(amount, 0)
    if finding.rule not in PARTLY_BEYOND_THE_EOB:
        return 0
    said = next((e.value for e in finding.evidence if e.field == ABOVE_FIELD), None)
    if said is None:
        return 0  # not said: counted with the EOB's findings, the larger once, as it may overlap
    try:
        above = int(parse_money(said))
    except ValueError:
        return 0
    return min(max(above, 0), max(amount, 0))
