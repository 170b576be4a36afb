"""What each public FHIR example says, read off the files by hand (see data/fhir/README.md).

file -> (claims, lines of the first claim, {line id: amounts}, claim totals of the first claim);
amounts are written as the wire prints them.
"""

from __future__ import annotations

ZERO = "0.00"

EXAMPLES: dict[str, tuple[int, int, dict[str, dict[str, str]], dict[str, str]]] = {
    "carin-bb-2.0.0/ExplanationOfBenefit-EOBInpatient1.json": (
        1,
        1,
        {"1": {}},
        {"billed": "2650.00", "plan_paid": "620.00"},
    ),
    "carin-bb-2.0.0/ExplanationOfBenefit-EOBInpatient2.json": (
        1,
        13,
        {str(n): {} for n in range(1, 14)},
        {
            "billed": "7147.20",
            "allowed": "1542.01",
            "copay": "120.00",
            "plan_paid": "1393.57",
            "deductible": ZERO,
            "not_covered": ZERO,
            "patient_responsibility": ZERO,
        },
    ),
    "carin-bb-2.0.0/ExplanationOfBenefit-EOBOral1.json": (
        1,
        2,
        {"1": {"billed": "190.00"}, "2": {"billed": "220.00"}},
        {"billed": "410.00", "plan_paid": "350.00", "discount": "60.00"},
    ),
    "carin-bb-2.0.0/ExplanationOfBenefit-EOBOral2.json": (
        1,
        1,
        {"1": {"billed": "150.00"}},
        # The benefit (110) is the plan's payment; paidtoprovider (100) is one part of it.
        {"billed": "150.00", "plan_paid": "110.00", "discount": "40.00"},
    ),
    "carin-bb-2.0.0/ExplanationOfBenefit-EOBOutpatient1.json": (
        1,
        1,
        {"1": {}},
        {"billed": "2650.00", "plan_paid": "620.00"},
    ),
    "carin-bb-2.0.0/ExplanationOfBenefit-EOBOutpatient2.json": (
        1,
        2,
        {
            "1": {
                "billed": "84.40",
                "allowed": "56.52",
                "deductible": ZERO,
                "copay": ZERO,
                "not_covered": ZERO,
                "plan_paid": "56.52",
            },
            "2": {"billed": ZERO, "not_covered": ZERO},
        },
        {
            "allowed": "56.52",
            "plan_paid": "56.52",
            "deductible": ZERO,
            "copay": ZERO,
            "not_covered": ZERO,
            "patient_responsibility": ZERO,
        },
    ),
    "carin-bb-2.0.0/ExplanationOfBenefit-EOBPharmacy1.json": (
        1,
        1,
        {
            "1": {
                "billed": "1000.00",
                "discount": "900.00",
                "plan_paid": "20.00",
                "patient_responsibility": "80.00",
            }
        },
        {"billed": "2650.00", "plan_paid": "620.00"},
    ),
    "carin-bb-2.0.0/ExplanationOfBenefit-EOBProfessional1.json": (
        1,
        1,
        {"1": {"billed": "1000.00"}},
        {"billed": "2650.00", "plan_paid": "620.00"},
    ),
    "carin-bb-2.0.0/ExplanationOfBenefit-EOBProfessional2.json": (
        1,
        6,
        {
            "1": {"billed": "68.80", "allowed": "34.80", "plan_paid": "34.80", "not_covered": ZERO},
            "2": {"billed": "-68.80", "allowed": "-34.80", "plan_paid": "-34.80", "not_covered": ZERO},
            "3": {"billed": "68.80", "allowed": "34.80", "plan_paid": "34.80", "not_covered": ZERO},
            "4": {"billed": "751.20", "allowed": "224.11", "plan_paid": ZERO, "not_covered": "224.11"},
            "5": {"billed": "751.20", "allowed": "224.11", "plan_paid": "224.11", "not_covered": ZERO},
            "6": {"billed": "-751.20", "allowed": "-224.11", "plan_paid": ZERO, "not_covered": "-224.11"},
        },
        {
            "billed": "820.00",
            "allowed": "258.91",
            "plan_paid": "258.91",
            "deductible": ZERO,
            "copay": ZERO,
            "not_covered": ZERO,
            "patient_responsibility": ZERO,
        },
    ),
    "carin-bb-2.0.0/ExplanationOfBenefit-EOBProfessionalTransportation1.json": (
        1,
        2,
        {
            "1": {"billed": "40.35", "allowed": "40.35", "plan_paid": "40.35"},
            "2": {"billed": "42.62", "allowed": "42.62", "plan_paid": "42.62"},
        },
        {"billed": "82.97", "allowed": "82.97", "plan_paid": "82.97"},
    ),
    "carin-bb-1.1.0/ExplanationOfBenefit-EOBInpatient1.json": (
        1,
        0,
        {},
        {"billed": "2650.00", "plan_paid": "620.00"},
    ),
    "carin-bb-1.1.0/ExplanationOfBenefit-EOBOutpatientInstitutional1.json": (
        1,
        0,
        {},
        {"billed": "2650.00", "plan_paid": "620.00"},
    ),
    "carin-bb-1.1.0/ExplanationOfBenefit-EOBPharmacy1.json": (
        1,
        1,
        {
            "1": {
                "billed": "1000.00",
                "discount": "900.00",
                "plan_paid": "20.00",
                "patient_responsibility": "80.00",
            }
        },
        {"billed": "2650.00", "plan_paid": "620.00"},
    ),
    "carin-bb-1.1.0/ExplanationOfBenefit-EOBProfessional1a.json": (
        1,
        1,
        {"1": {"billed": "1000.00"}},
        {"billed": "2650.00", "plan_paid": "620.00"},
    ),
    "carin-bb-1.1.0/ExplanationOfBenefit-InpatientEOBExample1.json": (
        1,
        13,
        {str(n): {} for n in range(1, 14)},
        {"billed": "7147.20", "allowed": "1542.01", "copay": "120.00", "plan_paid": "1393.57"},
    ),
    "carin-bb-1.1.0/ExplanationOfBenefit-OutpatientEOBExample1.json": (
        1,
        2,
        {
            "1": {"billed": "84.40", "allowed": "56.52", "plan_paid": "56.52"},
            "2": {"billed": ZERO, "allowed": ZERO, "plan_paid": ZERO},
        },
        {"allowed": "56.52", "plan_paid": "56.52"},
    ),
    "carin-bb-1.1.0/ExplanationOfBenefit-ProfessionalEOBExample1.json": (
        1,
        6,
        {
            "1": {"billed": "68.80", "allowed": "34.80", "plan_paid": "34.80"},
            "2": {"billed": "-68.80", "allowed": "-34.80", "plan_paid": "-34.80"},
            "3": {"billed": "68.80", "allowed": "34.80", "plan_paid": "34.80"},
            "4": {"billed": "751.20", "allowed": "224.11", "plan_paid": ZERO, "not_covered": "224.11"},
            "5": {"billed": "751.20", "allowed": "224.11", "plan_paid": "224.11"},
            "6": {"billed": "-751.20", "allowed": "-224.11", "plan_paid": ZERO, "not_covered": "-224.11"},
        },
        {"billed": "820.00", "allowed": "258.91", "plan_paid": "258.91"},
    ),
    "bluebutton/eob_read_carrier_v2.json": (
        1,
        1,
        {
            "1": {
                "billed": "250.00",
                "allowed": "250.00",
                "plan_paid": "50.00",
                "deductible": ZERO,
                "coinsurance": "10.00",
                "prior_payer_paid": ZERO,
            }
        },
        {"plan_paid": "50.00", "prior_payer_paid": ZERO},
    ),
    "bluebutton/eob_read_out_pt_v2.json": (
        1,
        5,  # 6 items; revenue code 0001 is the claim total, not a service
        {
            "1": {"billed": "60.00", "not_covered": ZERO, "plan_paid": ZERO},
            "2": {"billed": "80.00", "not_covered": ZERO},
            "3": {"billed": "70.00", "not_covered": "70.00"},
            "4": {"billed": "50.00", "not_covered": ZERO},
            "5": {"billed": "50.00", "not_covered": ZERO},
        },
        {"billed": "300.00", "not_covered": "70.00"},
    ),
    "bluebutton/eob_read_in_pt_v2.json": (
        1,
        10,  # 11 revenue lines, the last (0001) being the total charge
        {
            "1": {"billed": "4000.00", "not_covered": ZERO},
            "2": {"billed": "650.00"},
            "3": {"billed": "500.00"},
            "4": {"billed": "40.00"},
            "5": {"billed": "450.00"},
            "6": {"billed": "80.00"},
            "7": {"billed": "450.00"},
            "8": {"billed": "1000.00"},
            "9": {"billed": "2000.00"},
            "10": {"billed": "200.00"},
        },
        {"billed": "10000.00", "plan_paid": "10000.00"},
    ),
    "bluebutton/eob_search_v2.json": (
        10,
        1,
        {
            "1": {
                "billed": "10.00",
                "plan_paid": ZERO,
                "patient_responsibility": ZERO,
                "discount": "10.00",
                "prior_payer_paid": ZERO,
            }
        },
        {},
    ),
}
