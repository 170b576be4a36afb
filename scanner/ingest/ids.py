"""Opaque claim and bill ids.

A Claim's ``id`` is what findings point at; it must not be the payer's claim number (that is an
identifier of a person's care, and the claim number has its own optional field). An id is a keyed
hash of the claim number under a key made once per process: the same claim number gets the same
id for the life of the process, so a claim in one document can point at the claim it replaces in
another document, and the id cannot be turned back into the number.

A Bill read from a provider's statement gets an id the same way (:func:`opaque_bill_id`), from what
the statement says about the care (provider, dates, claim number, amounts, lines), never from the
account number or anyone's name: the same statement, uploaded twice or once as PDF and once as
text, gets the same id in one process, and the id reveals nothing of what it was made from.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

_KEY = secrets.token_bytes(32)


def opaque_id(claim_number: str) -> str:
    digest = hmac.new(_KEY, claim_number.strip().encode("utf-8"), hashlib.sha256).hexdigest()
    return f"claim-{digest[:12]}"


def opaque_bill_id(parts: Iterable[str]) -> str:
    """A bill's id: a keyed hash of ``parts`` (the facts that identify the statement)."""
    message = "\x1f".join(("bill", *(part.strip() for part in parts)))
    digest = hmac.new(_KEY, message.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"bill-{digest[:12]}"


class IdAllocator:
    """Ids unique within one document: a repeated claim number gets a numbered twin."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def claim_id(self, claim_number: str | None) -> str:
        # Without a claim number the id is random, so claims of two documents never collide.
        base = opaque_id(claim_number) if claim_number else f"claim-{secrets.token_hex(6)}"
        seen = self._seen.get(base, 0)
        self._seen[base] = seen + 1
        return base if seen == 0 else f"{base}-{seen + 1}"

    def reference(self, claim_number: str) -> str:
        """The id another claim with this number gets (for ``related`` links)."""
        return opaque_id(claim_number)
