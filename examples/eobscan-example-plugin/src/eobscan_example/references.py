"""The laws this plugin cites, each with its exact citation and its official text.

The scanner's own registry (``scanner.reference.citations``) holds federal law only; a plugin
keeps the citations for the rules it adds, and says when it last read them.
"""

from __future__ import annotations

import datetime as dt

from scanner.model import Reference

CHECKED = dt.date(2026, 11, 1)
LEGINFO = "https://leginfo.legislature.ca.gov/faces"

#: Health care service plans (regulated by the Department of Managed Health Care).
HEALTH_AND_SAFETY_CODE_1371_56 = Reference(
    title="Health care service plans: noncontracting ground ambulance providers",
    citation="Cal. Health & Safety Code § 1371.56",
    url=f"{LEGINFO}/codes_displaySection.xhtml?lawCode=HSC&sectionNum=1371.56",
)

#: Health insurance policies (regulated by the Department of Insurance).
INSURANCE_CODE_10126_66 = Reference(
    title="Health insurance policies: noncontracting ground ambulance providers",
    citation="Cal. Ins. Code § 10126.66",
    url=f"{LEGINFO}/codes_displaySection.xhtml?lawCode=INS&sectionNum=10126.66",
)

#: The act that added both sections, for contracts and policies issued, amended or renewed on or
#: after January 1, 2024.
AB_716 = Reference(
    title="Assembly Bill 716 (2023): ground medical transportation",
    citation="Cal. Stats. 2023, ch. 454 (AB 716)",
    url=f"{LEGINFO}/billNavClient.xhtml?bill_id=202320240AB716",
)

GROUND_AMBULANCE_LAW = [HEALTH_AND_SAFETY_CODE_1371_56, INSURANCE_CODE_10126_66, AB_716]
