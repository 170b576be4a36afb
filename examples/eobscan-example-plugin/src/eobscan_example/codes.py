"""HCPCS level II ambulance codes, shared by the check and the parser."""

from __future__ import annotations

#: Ground ambulance: mileage (A0425), ALS and BLS emergency and non-emergency (A0426-A0429),
#: ALS level 2 (A0433) and specialty care transport (A0434).
GROUND_AMBULANCE_CODES = frozenset({"A0425", "A0426", "A0427", "A0428", "A0429", "A0433", "A0434"})

#: Air ambulance: fixed and rotary wing transport and mileage. The federal No Surprises Act covers
#: these (45 CFR 149.430), so the ground ambulance rule leaves them alone.
AIR_AMBULANCE_CODES = frozenset({"A0430", "A0431", "A0435", "A0436"})
