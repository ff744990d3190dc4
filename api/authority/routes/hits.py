"""Hit reports: a bank submits a signed confirmed hit; the authority answers with a signed receipt."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from fastapi import APIRouter, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from api.authority import audit
from api.authority.deps import Analyst, Bank, ClockDep, KeysDep, SessionDep, SettingsDep, Staff
from api.authority.errors import Conflict, Invalid, NotFound
from api.authority.models import Hit, Institution, ListVersion, public
from api.protocol import SignedHitReport, details_ad, receipt_bytes, report_bytes
from keys import SealError, SignatureError, b64, key_id, open_from, public_bytes, sign, unb64, verify

router = APIRouter(prefix="/v1/hits", tags=["hit reports"])


@router.post("", status_code=status.HTTP_201_CREATED, summary="Report a confirmed hit (signed by the bank)")
def submit(
    body: SignedHitReport,
    actor: Bank,
    session: SessionDep,
    settings: SettingsDep,
    keys: KeysDep,
    clock: ClockDep,
) -> dict[str, Any]:
    report = body.report
    now = clock()
    institution = session.get(Institution, actor.institution_id)
    if institution is None or not institution.signing_key:
        raise Invalid("no report-signing key is registered for this bank")
    try:
        verify(unb64(institution.signing_key), unb64(body.signature), report_bytes(report))
    except (SignatureError, ValueError):
        raise Invalid("signature: the report signature does not verify") from None
    stamp = report.timestamp if report.timestamp.tzinfo else report.timestamp.replace(tzinfo=dt.UTC)
    if abs((now - stamp).total_seconds()) > settings.report_clock_skew_seconds:
        raise Invalid("timestamp: too far from the authority's clock")
    list_id, _, version = report.list_version.rpartition("@")
    if list_id != settings.list_id or not version.isdigit() or session.get(ListVersion, int(version)) is None:
        raise Invalid("list_version: not a version this authority published")
    if session.exec(select(Hit.id).where(Hit.nonce == report.nonce)).first() is not None:
        raise Conflict("this report was already received (replayed nonce)")
    digest = hashlib.sha256(report_bytes(report)).hexdigest()
    hit = Hit(
        id=secrets.token_hex(8),
        institution_id=actor.institution_id,
        nonce=report.nonce,
        entry_id=report.entry_id,
        list_version=report.list_version,
        score=report.score,
        matched_keys=json.dumps(report.matched_keys),
        customer_reference=report.customer_reference,
        details=report.details,
        reported_at=stamp,
        received_at=now,
        report_sha256=digest,
    )
    session.add(hit)
    audit.append(
        session,
        actor=actor.name,
        action="hit.receive",
        subject=hit.id,
        detail=report.entry_id,
        payload=digest,
        now=now,
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("this report was already received (replayed nonce)") from None
    receipt = {
        "hit_id": hit.id,
        "received_at": now.isoformat(),
        "report_sha256": digest,
        "authority_id": settings.authority_id,
    }
    return {
        "receipt": receipt,
        "key_id": key_id(public_bytes(keys.signing)),
        "signature": b64(sign(keys.signing, receipt_bytes(receipt))),
    }


def _summary(hit: Hit) -> dict[str, Any]:
    view = public(hit, "details", "nonce")
    view["matched_keys"] = json.loads(hit.matched_keys)
    return view


@router.get("", summary="List received hits (no customer details)")
def list_hits(actor: Staff, session: SessionDep) -> list[dict[str, Any]]:
    return [_summary(hit) for hit in session.exec(select(Hit).order_by(col(Hit.received_at)))]


@router.get("/{hit_id}", summary="Read a hit with its customer details (audited)")
def read_hit(
    hit_id: str, actor: Analyst, session: SessionDep, keys: KeysDep, clock: ClockDep
) -> dict[str, Any]:
    hit = session.get(Hit, hit_id)
    if hit is None:
        raise NotFound("no such hit")
    try:
        sealed = unb64(hit.details)
        details = json.loads(open_from(keys.report, sealed, details_ad(hit.list_version, hit.entry_id)))
    except (SealError, ValueError):
        details = None
    audit.append(session, actor=actor.name, action="hit.read", subject=hit_id, now=clock())
    session.commit()
    return {**_summary(hit), "customer_details": details}


@router.post("/{hit_id}/acknowledge", summary="Acknowledge a hit")
def acknowledge(hit_id: str, actor: Analyst, session: SessionDep, clock: ClockDep) -> dict[str, Any]:
    hit = session.get(Hit, hit_id)
    if hit is None:
        raise NotFound("no such hit")
    now = clock()
    hit.status, hit.acknowledged_by, hit.acknowledged_at = "acknowledged", actor.name, now
    session.add(hit)
    audit.append(session, actor=actor.name, action="hit.acknowledge", subject=hit_id, now=now)
    session.commit()
    return _summary(hit)
