"""The fixed registry of legal and regulatory references (cite-or-abstain).

A rule, a letter or a call script may cite only what is in :data:`CITATIONS`, by key. A key that
is not here is a programming error (:func:`cite` raises), so nothing we print can point a patient
at a law we have not checked. Each entry says when it was last checked against the official text.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from scanner.model import Reference

CHECKED = dt.date(2026, 11, 1)
ECFR = "https://www.ecfr.gov/current"


class Citation(NamedTuple):
    title: str
    citation: str
    url: str
    checked: dt.date = CHECKED

    def reference(self) -> Reference:
        return Reference(title=self.title, citation=self.citation, url=self.url)


CITATIONS: dict[str, Citation] = {
    "nsa-emergency": Citation(
        "No Surprises Act: emergency services",
        "45 CFR 149.410",
        f"{ECFR}/title-45/section-149.410",
    ),
    "nsa-nonemergency-facility": Citation(
        "No Surprises Act: non-emergency services by out-of-network providers at in-network facilities",
        "45 CFR 149.420",
        f"{ECFR}/title-45/section-149.420",
    ),
    "nsa-disclosure": Citation(
        "No Surprises Act: provider and facility disclosure of patient protections against balance billing",
        "45 CFR 149.430",
        f"{ECFR}/title-45/section-149.430",
    ),
    "nsa-provider-balance-billing": Citation(
        "No Surprises Act: provider and facility balance billing prohibitions",
        "45 CFR 149.410(b), 149.420(b)",
        f"{ECFR}/title-45/part-149/subpart-E",
    ),
    "nsa-good-faith-estimate": Citation(
        "Good faith estimates for uninsured (or self-pay) individuals",
        "45 CFR 149.610",
        f"{ECFR}/title-45/section-149.610",
    ),
    "nsa-patient-provider-dispute": Citation(
        "Patient-provider dispute resolution",
        "45 CFR 149.620",
        f"{ECFR}/title-45/section-149.620",
    ),
    "nsa-complaints": Citation(
        "No Surprises Act complaints process",
        "45 CFR 149.150",
        f"{ECFR}/title-45/section-149.150",
    ),
    "erisa-claims-procedure": Citation(
        "Claims procedure for employee benefit plans (ERISA)",
        "29 CFR 2560.503-1",
        f"{ECFR}/title-29/section-2560.503-1",
    ),
    "aca-appeals-external-review": Citation(
        "Internal claims and appeals and external review processes",
        "45 CFR 147.136",
        f"{ECFR}/title-45/section-147.136",
    ),
    "aca-preventive": Citation(
        "Coverage of preventive health services without cost sharing",
        "45 CFR 147.130",
        f"{ECFR}/title-45/section-147.130",
    ),
    "aca-grandfathered": Citation(
        "Grandfathered health plans",
        "45 CFR 147.140",
        f"{ECFR}/title-45/section-147.140",
    ),
    "aca-cost-sharing-limit": Citation(
        "Annual limitation on cost sharing (out-of-pocket maximum)",
        "45 CFR 156.130",
        f"{ECFR}/title-45/section-156.130",
    ),
    "medicare-secondary-payer": Citation(
        "Medicare as secondary payer",
        "42 CFR 411.20-411.206 (42 U.S.C. 1395y(b))",
        f"{ECFR}/title-42/part-411/subpart-B",
    ),
    "medicare-advantage-reconsideration": Citation(
        "Medicare Advantage: request for reconsideration",
        "42 CFR 422.582",
        f"{ECFR}/title-42/section-422.582",
    ),
    "medicare-part-d-redetermination": Citation(
        "Medicare Part D: request for redetermination",
        "42 CFR 423.582",
        f"{ECFR}/title-42/section-423.582",
    ),
    "naic-cob-model": Citation(
        "NAIC Coordination of Benefits Model Regulation (model law 120), order of benefit determination",
        "NAIC Model Regulation 120, Section 6",
        "https://content.naic.org/sites/default/files/model-law-120.pdf",
    ),
    "irs-501r-financial-assistance": Citation(
        "Nonprofit hospitals: financial assistance policy and billing and collections (240-day application period)",
        "26 CFR 1.501(r)-1, 1.501(r)-4, 1.501(r)-6",
        f"{ECFR}/title-26/section-1.501(r)-6",
    ),
    "aca-network-adequacy": Citation(
        "Network adequacy standards for qualified health plans (Marketplace plans)",
        "45 CFR 156.230",
        f"{ECFR}/title-45/section-156.230",
    ),
    "nsa-plan-emergency": Citation(
        "No Surprises Act: the plan must cover emergency services at in-network cost sharing",
        "45 CFR 149.110",
        f"{ECFR}/title-45/section-149.110",
    ),
    "nsa-plan-nonemergency-facility": Citation(
        "No Surprises Act: the plan's in-network cost sharing for out-of-network providers at "
        "in-network facilities",
        "45 CFR 149.120",
        f"{ECFR}/title-45/section-149.120",
    ),
    "nsa-plan-air-ambulance": Citation(
        "No Surprises Act: the plan's in-network cost sharing for out-of-network air ambulance services",
        "45 CFR 149.130",
        f"{ECFR}/title-45/section-149.130",
    ),
    "nsa-air-ambulance-balance-billing": Citation(
        "No Surprises Act: air ambulance providers may not balance bill",
        "45 CFR 149.440",
        f"{ECFR}/title-45/section-149.440",
    ),
    "nsa-provider-complaints": Citation(
        "No Surprises Act: complaints about balance billing by providers and facilities",
        "45 CFR 149.450",
        f"{ECFR}/title-45/section-149.450",
    ),
    "medicare-pfs-formula": Citation(
        "Medicare physician fee schedule: formula for computing fee schedule amounts",
        "42 CFR 414.20",
        f"{ECFR}/title-42/section-414.20",
    ),
    "hipaa-right-of-access": Citation(
        "Right of access to protected health information (itemized records)",
        "45 CFR 164.524",
        f"{ECFR}/title-45/section-164.524",
    ),
}


def cite(key: str) -> Reference:
    """The reference for ``key``; a ``KeyError`` means the registry lacks it and nothing may cite it."""
    return CITATIONS[key].reference()
