"""Canary health data: invented identifiers that must never appear in a log, an error, a file.

Every value carries ``ZZCANARY`` so one search finds any of them; each also looks like what it
stands for (a member id, a claim number, a name, a date of birth), because leaks happen through
code that handles a kind of value.
"""

from __future__ import annotations

import json
from typing import Any

MARK = "ZZCANARY"
NAME = "ZZCANARY Quintessa Marlowe"
MEMBER_ID = "ZZCANARYW918273645"
CLAIM_NUMBER = "ZZCANARY-CLM-20260302-7781"
PROVIDER = "ZZCANARY Harborlight Pediatrics"
BIRTH_DATE = "ZZCANARY 1981-04-06"
ADDRESS = "ZZCANARY 12 Lantern Row"
TOKEN = "ZZCANARY-TOKEN-0f3c9a7e"

ALL = (NAME, MEMBER_ID, CLAIM_NUMBER, PROVIDER, BIRTH_DATE, ADDRESS)


def found_in(text: str) -> list[str]:
    """The canaries (or any text carrying the mark) present in ``text``."""
    return [MARK] if MARK in text else []


def scan_request(*, extra_line: dict[str, Any] | None = None) -> dict[str, Any]:
    """A valid ScanRequest whose every free-text field holds a canary, with findings to build."""
    line = {
        "id": "1",
        "service_date": "2026-03-02",
        "code": "99214",
        "code_system": "CPT",
        "description": f"Office visit for {NAME}, member {MEMBER_ID}",
        "network": "in",
        "billed": "240.00",
        "allowed": "150.00",
        "plan_paid": "120.00",
        "coinsurance": "30.00",
        "patient_responsibility": "60.00",
    }
    line.update(extra_line or {})
    return {
        "as_of": "2026-11-26",
        "claims": [
            {
                "id": "claim-1",
                "payer": f"Plan of {NAME}",
                "plan_name": ADDRESS,
                "claim_number": CLAIM_NUMBER,
                "member": "self",
                "provider": {"name": PROVIDER, "network": "in", "role": "primary_care"},
                "facility": {"name": ADDRESS, "network": "in", "role": "facility"},
                "service_start": "2026-03-02",
                "status": "paid",
                "lines": [line],
            }
        ],
        "bills": [
            {
                "id": "bill-1",
                "claim_id": "claim-1",
                "provider_name": PROVIDER,
                "amount_due": "90.00",
                "lines": [
                    {"description": f"Visit, {BIRTH_DATE}", "charge": "240.00", "patient_balance": "90.00"}
                ],
            }
        ],
    }


def scan_body(**kwargs: Any) -> bytes:
    return json.dumps(scan_request(**kwargs)).encode()


def statement(kind: str) -> bytes:
    """A provider's statement (the emergency visit of ``tests.ingest.statements``) printing the
    patient, account and address canaries, as a PDF or as pasted text. The builders read those
    at call time, so they are swapped in for the call."""
    from tests.ingest import statements

    saved = statements.PATIENT, statements.ACCOUNT, statements.ADDRESS
    statements.PATIENT, statements.ACCOUNT = NAME, MEMBER_ID
    statements.ADDRESS = (ADDRESS, "Testville, ZZ 00000")
    try:
        printed = statements.er_visit_statement()
        if kind == "pdf":
            return statements.hospital_itemized(printed)
        return statements.pasted_text(printed).encode()
    finally:
        statements.PATIENT, statements.ACCOUNT, statements.ADDRESS = saved
