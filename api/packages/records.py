"""What a package seals: slot payloads (which record, under which key) and entry records.

A slot, found by a key's locator and opened with that key's sealing key, holds the record's index
and the record's own content key; the record, sealed once under its content key, holds only what
confirming a match needs: opaque id, status, names as listed, birth dates, gender, nationalities,
keyed identifier digests (never raw identifiers), review-by date. Names are re-normalized by the
bank, so a record opens into exactly the ``NormalizedRecord`` the plain matcher would have used.
"""

from __future__ import annotations

import json
import struct
from typing import Any

from matcher import CanonicalId, ListEntry, NormalizedRecord, Normalizer, parse_birth_dates

SLOT_PLAINTEXT = struct.Struct(">I32s")
CONTENT_KEY_BYTES = 32


def slot_payload(index: int, content_key: bytes) -> bytes:
    return SLOT_PLAINTEXT.pack(index, content_key)


def parse_slot(payload: bytes) -> tuple[int, bytes]:
    index, content_key = SLOT_PLAINTEXT.unpack(payload)
    return int(index), bytes(content_key)


def record_payload(
    entry: ListEntry, normalized: NormalizedRecord, digests: dict[CanonicalId, bytes]
) -> bytes:
    record: dict[str, Any] = {
        "id": entry.id,
        "status": entry.status,
        "names": entry.names,
        "birth_dates": [date.iso() for date in normalized.dates],
        "gender": normalized.gender,
        "nationalities": sorted(normalized.nationalities),
        "identifiers": [
            {"kind": i.kind, "scope": i.scope, "digest": digests[i].hex()} for i in normalized.identifiers
        ],
        "review_by": entry.review_by.isoformat() if entry.review_by else None,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def open_record(payload: bytes, normalizer: Normalizer) -> tuple[NormalizedRecord, dict[str, Any]]:
    """The record as the scorer needs it (identifier values are their keyed digests), and its fields."""
    record: dict[str, Any] = json.loads(payload)
    names = []
    for text in record["names"]:
        name = normalizer.name(text)
        if name.tokens and name not in names:
            names.append(name)
    normalized = NormalizedRecord(
        id=record["id"],
        names=tuple(names),
        dates=tuple(date for iso in record["birth_dates"] for date in parse_birth_dates(iso)),
        gender=record["gender"],
        nationalities=frozenset(record["nationalities"]),
        identifiers=tuple(CanonicalId(i["kind"], i["scope"], i["digest"]) for i in record["identifiers"]),
    )
    return normalized, record
