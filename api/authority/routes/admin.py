"""Institutions, quotas, report-signing keys and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from api.authority import audit
from api.authority.auth import new_token
from api.authority.deps import Admin, Bank, ClockDep, SessionDep, SettingsDep
from api.authority.errors import Conflict, Invalid, NotFound
from api.authority.models import ROLES, Institution, Token, public
from keys import unb64

router = APIRouter(prefix="/v1", tags=["institutions and tokens"])


class InstitutionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"id": "bank-bca", "name": "Bank Central Asia", "kind": "bank", "quota": 2_000_000}]
        },
    )

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Literal["authority", "bank", "auditor"]
    quota: Annotated[int, Field(ge=0)] | None = None
    signing_key: str | None = None


class QuotaUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quota: Annotated[int, Field(ge=0)]


class SigningKey(BaseModel):
    model_config = ConfigDict(extra="forbid")
    public_key: Annotated[str, Field(description="Ed25519 public key, 32 bytes, base64")]


class TokenCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"role": "bank", "label": "screening"}]}
    )
    role: Literal["authority-admin", "authority-analyst", "bank", "auditor"]
    label: Annotated[str, Field(max_length=200)] = ""
    days: Annotated[int, Field(ge=1, le=730)] | None = None


ALLOWED_ROLES = {"authority": ROLES[:2], "bank": ("bank",), "auditor": ("auditor",)}


def _check_key(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        raw = unb64(text)
    except ValueError:
        raise Invalid("signing_key: not base64") from None
    if len(raw) != 32:
        raise Invalid("signing_key: an Ed25519 public key is 32 bytes")
    return text


@router.post("/institutions", status_code=status.HTTP_201_CREATED, summary="Register an institution")
def create_institution(
    body: InstitutionCreate, actor: Admin, session: SessionDep, clock: ClockDep
) -> dict[str, Any]:
    if session.get(Institution, body.id) is not None:
        raise Conflict("an institution with this id exists")
    row = Institution(**body.model_dump(exclude={"signing_key"}), signing_key=_check_key(body.signing_key))
    session.add(row)
    audit.append(
        session, actor=actor.name, action="institution.create", subject=body.id, detail=body.kind, now=clock()
    )
    session.commit()
    return public(row)


@router.get("/institutions", summary="List institutions")
def list_institutions(actor: Admin, session: SessionDep) -> list[dict[str, Any]]:
    return [public(row) for row in session.exec(select(Institution).order_by(col(Institution.id)))]


@router.put("/institutions/{institution_id}/quota", summary="Set a bank's evaluation quota per epoch")
def set_quota(
    institution_id: str, body: QuotaUpdate, actor: Admin, session: SessionDep, clock: ClockDep
) -> dict[str, Any]:
    row = session.get(Institution, institution_id)
    if row is None:
        raise NotFound("no such institution")
    row.quota = body.quota
    session.add(row)
    audit.append(
        session,
        actor=actor.name,
        action="institution.quota",
        subject=institution_id,
        detail=str(body.quota),
        now=clock(),
    )
    session.commit()
    return public(row)


@router.put("/me/signing-key", summary="A bank registers the Ed25519 key it signs hit reports with")
def register_signing_key(
    body: SigningKey, actor: Bank, session: SessionDep, clock: ClockDep
) -> dict[str, Any]:
    row = session.get(Institution, actor.institution_id)
    if row is None:
        raise NotFound("no such institution")
    row.signing_key = _check_key(body.public_key)
    session.add(row)
    audit.append(
        session,
        actor=actor.name,
        action="institution.signing_key",
        subject=row.id,
        payload=body.public_key,
        now=clock(),
    )
    session.commit()
    return public(row)


@router.post(
    "/institutions/{institution_id}/tokens",
    status_code=status.HTTP_201_CREATED,
    summary="Create an API token (shown once)",
)
def create_token(
    institution_id: str,
    body: TokenCreate,
    actor: Admin,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise NotFound("no such institution")
    if body.role not in ALLOWED_ROLES[institution.kind]:
        raise Invalid(f"role: a {institution.kind} cannot hold the role {body.role}")
    now = clock()
    row, text = new_token(
        session, institution_id, body.role, now=now, days=body.days or settings.token_days, label=body.label
    )
    audit.append(session, actor=actor.name, action="token.create", subject=row.id, detail=body.role, now=now)
    session.commit()
    return {**public(row, "secret_hash"), "token": text}


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke a token")
def revoke_token(token_id: str, actor: Admin, session: SessionDep, clock: ClockDep) -> None:
    row = session.get(Token, token_id)
    if row is None or row.revoked_at is not None:
        raise NotFound("no such active token")
    now: dt.datetime = clock()
    row.revoked_at = now
    session.add(row)
    audit.append(session, actor=actor.name, action="token.revoke", subject=token_id, now=now)
    session.commit()
