"""Tables (SQLModel) and the public shapes the API returns. Table models never leave the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Field, SQLModel

ROLES = ("authority-admin", "authority-analyst", "bank", "auditor")
KINDS = ("authority", "bank", "auditor")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Institution(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    quota: int | None = None
    signing_key: str | None = Field(default=None, max_length=64, description="bank's Ed25519 key, base64")
    created_at: dt.datetime = Field(default_factory=utcnow)


class Token(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=32)
    institution_id: str = Field(foreign_key="institution.id", index=True)
    role: str = Field(max_length=32)
    secret_hash: str = Field(max_length=64)
    label: str = Field(default="", max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime
    revoked_at: dt.datetime | None = None


class Entry(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=128)
    record: str = Field(description="the ListEntry as JSON")
    fingerprint: str = Field(max_length=64, index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class ListState(SQLModel, table=True):
    """One row: the current version. Publishing locks it, so versions are made one at a time."""

    id: int = Field(default=1, primary_key=True)
    current_version: int = 0


class ListVersion(SQLModel, table=True):
    version: int = Field(primary_key=True)
    list_id: str = Field(max_length=64)
    epoch: str = Field(max_length=64)
    manifest_sha256: str = Field(max_length=64)
    entries: int
    created_at: dt.datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)


class KeyOutput(SQLModel, table=True):
    """OPRF outputs of published keys, per epoch: the next version re-evaluates only new keys."""

    epoch: str = Field(primary_key=True, max_length=64)
    digest: str = Field(primary_key=True, max_length=64)
    output: bytes


class Usage(SQLModel, table=True):
    institution_id: str = Field(foreign_key="institution.id", primary_key=True)
    epoch: str = Field(primary_key=True, max_length=64)
    elements: int = 0


class Hit(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=32)
    institution_id: str = Field(foreign_key="institution.id", index=True)
    nonce: str = Field(max_length=64, unique=True)
    entry_id: str = Field(max_length=128)
    list_version: str = Field(max_length=128)
    score: float
    matched_keys: str
    customer_reference: str = Field(max_length=128)
    details: str = Field(description="customer details sealed to the report key, base64")
    reported_at: dt.datetime
    received_at: dt.datetime = Field(default_factory=utcnow)
    report_sha256: str = Field(max_length=64)
    status: str = Field(default="received", max_length=16)
    acknowledged_by: str | None = None
    acknowledged_at: dt.datetime | None = None


class AuditEvent(SQLModel, table=True):
    seq: int = Field(primary_key=True)
    at: dt.datetime
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    subject: str = Field(default="", max_length=200)
    detail: str = Field(default="", max_length=500)
    payload_sha256: str = Field(default="", max_length=64)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class ChainHead(SQLModel, table=True):
    """One row: the last sequence number and hash. Appending locks it, so the chain stays a chain."""

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(default="0" * 64, max_length=64)


class Checkpoint(SQLModel, table=True):
    seq: int = Field(primary_key=True)
    head_hash: str = Field(max_length=64)
    at: dt.datetime
    key_id: str = Field(max_length=64)
    signature: str = Field(max_length=128)


def public(row: SQLModel, *exclude: str) -> dict[str, Any]:
    return row.model_dump(mode="json", exclude=set(exclude))
