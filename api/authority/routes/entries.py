"""List entries: create, read, update, delete, bulk import. Every change is audited with who and why."""

from __future__ import annotations

import functools
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, status
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from api.authority import audit
from api.authority.deps import ClockDep, SessionDep, Staff
from api.authority.errors import Conflict, Invalid, NotFound
from api.authority.models import Entry
from matcher import ListEntry, Normalizer, RecordFileError, parse_records

router = APIRouter(prefix="/v1/entries", tags=["entries"])
Reason = Annotated[str, Field(min_length=3, max_length=500, description="why; no personal data")]


@functools.cache
def _normalizer() -> Normalizer:
    """Built on first use (it loads the reference tables), not at import."""
    return Normalizer()


class EntryChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "entry": {
                        "id": "E-7f3a9c",
                        "names": ["Budi Santoso"],
                        "birth_date": "1984-07-15",
                        "status": "suspect",
                        "case_reference": "POLRI-CSE-2026-0113",
                        "review_by": "2027-06-30",
                    },
                    "reason": "added after court order 12/2026",
                }
            ]
        },
    )
    entry: ListEntry
    reason: Reason


def _fingerprint(entry: ListEntry) -> str:
    return _normalizer().record(entry).fingerprint()


def _duplicates(session: Session, entry: ListEntry, fingerprint: str) -> list[str]:
    """Other entries with the same normalized names, dates and identifiers."""
    rows = session.exec(select(Entry.id).where(Entry.fingerprint == fingerprint, Entry.id != entry.id))
    return list(rows)


def _view(row: Entry) -> dict[str, Any]:
    return {"entry": json.loads(row.record), "created_at": row.created_at, "updated_at": row.updated_at}


@router.post("", status_code=status.HTTP_201_CREATED, summary="Add an entry")
def create_entry(body: EntryChange, actor: Staff, session: SessionDep, clock: ClockDep) -> dict[str, Any]:
    if session.get(Entry, body.entry.id) is not None:
        raise Conflict("an entry with this id exists")
    now = clock()
    fingerprint = _fingerprint(body.entry)
    row = Entry(
        id=body.entry.id,
        record=body.entry.model_dump_json(),
        fingerprint=fingerprint,
        created_at=now,
        updated_at=now,
    )
    duplicates = _duplicates(session, body.entry, fingerprint)
    session.add(row)
    audit.append(
        session,
        actor=actor.name,
        action="entry.create",
        subject=row.id,
        detail=body.reason,
        payload=row.record,
        now=now,
    )
    session.commit()
    return {**_view(row), "possible_duplicates": duplicates}


@router.get("", summary="List entries")
def list_entries(
    actor: Staff,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    rows = session.exec(select(Entry).order_by(col(Entry.id)).offset(offset).limit(limit))
    return [_view(row) for row in rows]


@router.get("/{entry_id}", summary="Read an entry")
def read_entry(entry_id: str, actor: Staff, session: SessionDep) -> dict[str, Any]:
    row = session.get(Entry, entry_id)
    if row is None:
        raise NotFound("no such entry")
    return _view(row)


@router.put("/{entry_id}", summary="Replace an entry")
def update_entry(
    entry_id: str, body: EntryChange, actor: Staff, session: SessionDep, clock: ClockDep
) -> dict[str, Any]:
    if body.entry.id != entry_id:
        raise Invalid("entry.id: must be the id in the path")
    row = session.get(Entry, entry_id)
    if row is None:
        raise NotFound("no such entry")
    now = clock()
    row.record, row.fingerprint, row.updated_at = body.entry.model_dump_json(), _fingerprint(body.entry), now
    session.add(row)
    audit.append(
        session,
        actor=actor.name,
        action="entry.update",
        subject=entry_id,
        detail=body.reason,
        payload=row.record,
        now=now,
    )
    session.commit()
    return {**_view(row), "possible_duplicates": _duplicates(session, body.entry, row.fingerprint)}


@router.delete("/{entry_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove an entry")
def delete_entry(
    entry_id: str,
    actor: Staff,
    session: SessionDep,
    clock: ClockDep,
    reason: Annotated[str, Query(min_length=3)],
) -> None:
    row = session.get(Entry, entry_id)
    if row is None:
        raise NotFound("no such entry")
    session.delete(row)
    audit.append(
        session, actor=actor.name, action="entry.delete", subject=entry_id, detail=reason[:500], now=clock()
    )
    session.commit()


@router.post("/import", status_code=status.HTTP_201_CREATED, summary="Import JSONL or CSV, all or nothing")
def import_entries(
    actor: Staff,
    session: SessionDep,
    clock: ClockDep,
    reason: Annotated[str, Query(min_length=3, max_length=500)],
    body: Annotated[str, Body(media_type="text/plain", description="JSONL or CSV records")],
    format: Annotated[Literal["jsonl", "csv"], Query()] = "jsonl",
) -> dict[str, Any]:
    try:
        entries, _ = parse_records(body.splitlines(), ListEntry, fmt=format)
    except RecordFileError as error:
        problems = [{"line": p.line, "field": p.field, "problem": p.problem} for p in error.problems]
        raise Invalid(f"{len(problems)} problem(s); nothing was imported", problems) from None
    existing = set(session.exec(select(Entry.id).where(Entry.id.in_([e.id for e in entries]))))  # type: ignore[attr-defined]
    if existing:
        problems = [{"line": None, "field": "id", "problem": f"{i} already exists"} for i in sorted(existing)]
        raise Invalid(f"{len(existing)} id(s) already exist; nothing was imported", problems)
    now = clock()
    flagged: dict[str, list[str]] = {}
    for entry in entries:
        fingerprint = _fingerprint(entry)
        duplicates = _duplicates(session, entry, fingerprint)
        if duplicates:
            flagged[entry.id] = duplicates
        session.add(
            Entry(
                id=entry.id,
                record=entry.model_dump_json(),
                fingerprint=fingerprint,
                created_at=now,
                updated_at=now,
            )
        )
        session.flush()
    audit.append(
        session,
        actor=actor.name,
        action="entry.import",
        subject=f"{len(entries)} entries",
        detail=reason,
        payload=body,
        now=now,
    )
    session.commit()
    return {"imported": len(entries), "possible_duplicates": flagged}
