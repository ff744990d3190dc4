"""Wire formats both parties compute byte for byte: the signed hit report and the signed receipt."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class HitReport(BaseModel):
    """A confirmed hit, as a bank signs it. ``details`` are sealed to the authority's report key."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "entry_id": "E-7f3a9c",
                    "list_version": "polri-cse@12",
                    "score": 13.2,
                    "matched_keys": ["pair+dob", "code+dob"],
                    "customer_reference": "CIF-00012345",
                    "details": "AXk5...base64...",
                    "nonce": "8f14e45fceea167a5a36dedd4bea2543",
                    "timestamp": "2026-12-03T10:00:00Z",
                }
            ]
        },
    )

    entry_id: Annotated[str, Field(min_length=1, max_length=128)]
    list_version: Annotated[str, Field(min_length=1, max_length=128)]
    score: float
    matched_keys: Annotated[list[Annotated[str, Field(max_length=32)]], Field(max_length=16)]
    customer_reference: Annotated[str, Field(min_length=1, max_length=128)]
    details: Annotated[str, Field(max_length=65536)]
    nonce: Annotated[str, Field(min_length=16, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
    timestamp: dt.datetime


class SignedHitReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report: HitReport
    signature: Annotated[str, Field(min_length=1, max_length=200)]


def canonical(payload: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8: what signatures are computed over."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def report_bytes(report: HitReport) -> bytes:
    return b"watchlist-hit-report/1\x00" + canonical(report.model_dump(mode="json"))


def details_ad(list_version: str, entry_id: str) -> bytes:
    """Associated data of sealed customer details: they open only for the hit they were sent with."""
    return f"watchlist-hit-details/1\x00{list_version}\x00{entry_id}".encode()


def receipt_bytes(receipt: dict[str, Any]) -> bytes:
    return b"watchlist-receipt/1\x00" + canonical(receipt)
