"""Small builders the authority tests share."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.protocol import HitReport, details_ad, report_bytes
from keys import b64, seal_to, sign, unb64

ENTRY = {
    "id": "E-0001",
    "names": ["Budi Santoso", "Boedi Santosa"],
    "birth_date": "1984-07-15",
    "status": "suspect",
    "case_reference": "POLRI-CSE-2026-0113",
    "review_by": "2027-06-30",
}


def entry(number: int, name: str = "Budi Santoso") -> dict[str, Any]:
    return {**ENTRY, "id": f"E-{number:04d}", "names": [name], "birth_date": f"19{60 + number % 40}-07-15"}


def signed_report(
    bank_key: Ed25519PrivateKey,
    report_public_key: str,
    *,
    now: dt.datetime,
    list_version: str = "polri-cse@1",
    entry_id: str = "E-0001",
    nonce: str | None = None,
) -> dict[str, Any]:
    details = json.dumps({"name": "Budi Santoso", "account": "1234567890"}).encode()
    report = HitReport(
        entry_id=entry_id,
        list_version=list_version,
        score=13.2,
        matched_keys=["pair+dob"],
        customer_reference="CIF-0001",
        details=b64(seal_to(unb64(report_public_key), details, details_ad(list_version, entry_id))),
        nonce=nonce or secrets.token_hex(16),
        timestamp=now,
    )
    return {"report": report.model_dump(mode="json"), "signature": b64(sign(bank_key, report_bytes(report)))}
