"""The audit log over HTTP: read events and checkpoints; sign a checkpoint of the head."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from sqlmodel import col, select

from api.authority import audit
from api.authority.deps import Admin, AuditReader, ClockDep, KeysDep, SessionDep
from api.authority.models import AuditEvent, Checkpoint, public

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", summary="Read audit events in order")
def read_events(
    actor: AuditReader,
    session: SessionDep,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[dict[str, Any]]:
    rows = session.exec(
        select(AuditEvent).where(AuditEvent.seq > after).order_by(col(AuditEvent.seq)).limit(limit)
    )
    return [public(row) for row in rows]


@router.get("/checkpoints", summary="Read signed checkpoints")
def read_checkpoints(actor: AuditReader, session: SessionDep) -> list[dict[str, Any]]:
    return [public(row) for row in session.exec(select(Checkpoint).order_by(col(Checkpoint.seq)))]


@router.post("/checkpoints", status_code=status.HTTP_201_CREATED, summary="Sign a checkpoint of the head")
def make_checkpoint(actor: Admin, session: SessionDep, keys: KeysDep, clock: ClockDep) -> dict[str, Any]:
    audit.append(session, actor=actor.name, action="audit.checkpoint", now=clock())
    point = audit.checkpoint(session, keys.signing, now=clock())
    session.commit()
    return public(point)
