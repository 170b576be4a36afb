"""The provider's bill as a patient gives it: read from their statement, typed in, or both.

A statement read by :func:`scanner.ingest.statement.read_statement` may leave out what the
patient knows (the claim number the statement does not print, a payment made since): what they
type is what they see on the paper in front of them, so a typed field wins over the read one, and
the read statement keeps everything the patient left blank (its itemized lines above all).
"""

from __future__ import annotations

import msgspec

from scanner.model import Bill

#: Fields a patient can type in for their bill (the upload page and ``eobscan scan --bill-*``).
TYPED_FIELDS = ("claim_id", "provider_name", "statement_date", "amount_due", "amount_paid")


def combined_bill(read: Bill | None, typed: Bill | None) -> Bill | None:
    """The read statement with what was typed over it; either alone when only one is given."""
    if read is None or typed is None:
        return read or typed
    changes = {name: getattr(typed, name) for name in TYPED_FIELDS if getattr(typed, name) is not None}
    return msgspec.structs.replace(read, **changes)
