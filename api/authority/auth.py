"""API tokens and roles: random tokens shown once, stored as SHA-256, compared in constant time.

A token reads ``wl_<id>_<secret>``; the id finds the row, the secret's hash is compared with
``hmac.compare_digest``. Authorization is written once, as the ``require`` dependency.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlmodel import Session

from api.authority.errors import Forbidden, Unauthorized
from api.authority.models import ROLES, Token


@dataclass(frozen=True)
class Actor:
    institution_id: str
    role: str
    token_id: str

    @property
    def name(self) -> str:
        return f"{self.institution_id}/{self.token_id}"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token(
    session: Session, institution_id: str, role: str, *, now: dt.datetime, days: int, label: str = ""
) -> tuple[Token, str]:
    """Create a token row; return it and the token text, which is shown once and never stored."""
    if role not in ROLES:
        raise ValueError(f"unknown role (known: {', '.join(ROLES)})")
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    row = Token(
        id=token_id,
        institution_id=institution_id,
        role=role,
        secret_hash=_hash(secret),
        label=label,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    session.add(row)
    return row, f"wl_{token_id}_{secret}"


def authenticate(session: Session, authorization: str | None, *, now: dt.datetime) -> Actor:
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthorized("a bearer token is required")
    text = authorization.removeprefix("Bearer ").strip()
    parts = text.split("_", 2)
    if len(parts) != 3 or parts[0] != "wl":
        raise Unauthorized("malformed token")
    row = session.get(Token, parts[1])
    expected = row.secret_hash if row else _hash("")
    if not hmac.compare_digest(expected, _hash(parts[2])) or row is None:
        raise Unauthorized("unknown token")
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    if row.revoked_at is not None:
        raise Unauthorized("token revoked")
    if expires <= now:
        raise Unauthorized("token expired")
    return Actor(row.institution_id, row.role, row.id)


def check_role(actor: Actor, roles: tuple[str, ...]) -> Actor:
    if actor.role not in roles:
        raise Forbidden("this role may not do that")
    return actor
