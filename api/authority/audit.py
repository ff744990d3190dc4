"""The audit log: append-only, hash-chained, with checkpoints the authority signs.

Each event's hash is SHA-256 over the previous hash and the event's canonical JSON (sequence number,
time, actor, action, subject, detail, payload digest). A checkpoint signs the head (sequence number
and hash) with the authority's Ed25519 key. :func:`verify_chain` needs only the events, the
checkpoints and the public key, and names the first record that does not fit.

Events carry no personal data: entry ids, institution ids, counts, reasons given by staff (who are
told not to put personal data in them) and the SHA-256 of any payload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import Session, select

from api.authority.models import AuditEvent, ChainHead, Checkpoint
from keys import SignatureError, b64, key_id, public_bytes, sign, unb64, verify

GENESIS = "0" * 64


class AuditError(ValueError):
    """The log does not verify; ``seq`` is the first record that does not fit (or None)."""

    def __init__(self, seq: int | None, problem: str) -> None:
        self.seq = seq
        super().__init__(
            f"audit log broken at record {seq}: {problem}" if seq else f"audit log broken: {problem}"
        )


def payload_digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _canonical(
    seq: int, at: dt.datetime, actor: str, action: str, subject: str, detail: str, digest: str
) -> bytes:
    body = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "action": action,
        "subject": subject,
        "detail": detail,
        "payload_sha256": digest,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def event_hash(prev: str, event: AuditEvent) -> str:
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=dt.UTC)
    body = _canonical(
        event.seq, at, event.actor, event.action, event.subject, event.detail, event.payload_sha256
    )
    return hashlib.sha256(prev.encode() + body).hexdigest()


def _head(session: Session) -> ChainHead:
    head = session.exec(select(ChainHead).where(ChainHead.id == 1).with_for_update()).first()
    if head is None:
        head = ChainHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
        session.flush()
    return head


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str = "",
    detail: str = "",
    payload: Any = None,
    now: dt.datetime,
) -> AuditEvent:
    """Add one event in the caller's transaction (committed with the change it records)."""
    head = _head(session)
    event = AuditEvent(
        seq=head.seq + 1,
        at=now,
        actor=actor,
        action=action,
        subject=subject,
        detail=detail[:500],
        payload_sha256=payload_digest(payload) if payload is not None else "",
        prev_hash=head.hash,
        hash="",
    )
    event.hash = event_hash(head.hash, event)
    head.seq, head.hash = event.seq, event.hash
    session.add(event)
    session.add(head)
    return event


def checkpoint(session: Session, signing_key: Ed25519PrivateKey, *, now: dt.datetime) -> Checkpoint:
    head = _head(session)
    message = f"watchlist-audit-checkpoint/1\x00{head.seq}\x00{head.hash}".encode()
    signed = Checkpoint(
        seq=head.seq,
        head_hash=head.hash,
        at=now,
        key_id=key_id(public_bytes(signing_key)),
        signature=b64(sign(signing_key, message)),
    )
    return session.merge(signed)


def verify_chain(events: Iterable[AuditEvent], checkpoints: Iterable[Checkpoint], public_key: bytes) -> int:
    """Verify every event against its predecessor and every checkpoint's signature and head;
    return the number of events. Raises :class:`AuditError` at the first record that does not fit."""
    by_seq: dict[int, str] = {}
    prev, expected = GENESIS, 1
    for event in events:
        if event.seq != expected:
            raise AuditError(
                expected, f"expected record {expected}, found {event.seq} (deleted or reordered)"
            )
        if event.prev_hash != prev:
            raise AuditError(event.seq, "does not follow its predecessor (deleted, reordered or changed)")
        if event_hash(prev, event) != event.hash:
            raise AuditError(event.seq, "content does not match its hash (changed)")
        by_seq[event.seq] = event.hash
        prev, expected = event.hash, expected + 1
    for point in sorted(checkpoints, key=lambda c: c.seq):
        message = f"watchlist-audit-checkpoint/1\x00{point.seq}\x00{point.head_hash}".encode()
        try:
            verify(public_key, unb64(point.signature), message)
        except (SignatureError, ValueError):
            raise AuditError(point.seq, "checkpoint signature does not verify") from None
        if point.seq not in by_seq:
            raise AuditError(
                point.seq, f"a signed checkpoint covers record {point.seq}, which is missing (truncated)"
            )
        if by_seq[point.seq] != point.head_hash:
            raise AuditError(point.seq, "does not match the signed checkpoint (changed)")
    return len(by_seq)
