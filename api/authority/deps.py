"""Request dependencies: settings, a database session, the clock, the loaded keys, the caller.

The ones that only read app state are ``async``, so FastAPI runs them on the event loop instead of
handing each to the thread pool; only those that touch the database run in a thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from fastapi import Depends, Header, Request
from sqlmodel import Session

from api.authority.auth import Actor, authenticate, check_role
from api.authority.settings import Settings
from keys import KeyStore, OprfKey


@dataclass
class LoadedKeys:
    """Keys unlocked at start-up: OPRF keys of the usable epochs, the signing and report keys."""

    oprf: dict[str, OprfKey]
    active_epoch: str
    signing: Ed25519PrivateKey
    report: X25519PrivateKey

    def __repr__(self) -> str:
        return f"LoadedKeys(epochs={sorted(self.oprf)}, secrets=<hidden>)"

    @classmethod
    def load(cls, settings: Settings) -> LoadedKeys:
        store = KeyStore(settings.keystore)
        passphrase = settings.passphrase.get_secret_value()
        usable = [e["epoch"] for e in store.listing()["epochs"] if e["status"] in ("active", "retiring")]
        return cls(
            oprf={epoch: store.oprf_key(passphrase, epoch) for epoch in usable},
            active_epoch=store.active_epoch()["epoch"],
            signing=store.signing_key(passphrase),
            report=store.report_key(passphrase),
        )


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def get_clock() -> Callable[[], dt.datetime]:
    return utc_now


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """A session per request; rows stay readable after commit (they are returned as they were written)."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


async def get_keys(request: Request) -> LoadedKeys:
    keys: LoadedKeys = request.app.state.keys
    return keys


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
ClockDep = Annotated[Callable[[], dt.datetime], Depends(get_clock)]
KeysDep = Annotated[LoadedKeys, Depends(get_keys)]


def current_actor(
    session: SessionDep, clock: ClockDep, authorization: Annotated[str | None, Header()] = None
) -> Actor:
    return authenticate(session, authorization, now=clock())


def require(*roles: str) -> Callable[[Actor], Awaitable[Actor]]:
    """The dependency that lets only ``roles`` through (403 for the others)."""

    async def dependency(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        return check_role(actor, roles)

    return dependency


ADMIN = ("authority-admin",)
STAFF = ("authority-admin", "authority-analyst")
Admin = Annotated[Actor, Depends(require(*ADMIN))]
Staff = Annotated[Actor, Depends(require(*STAFF))]
Analyst = Annotated[Actor, Depends(require("authority-analyst"))]
Bank = Annotated[Actor, Depends(require("bank"))]
AuditReader = Annotated[Actor, Depends(require("auditor", "authority-admin"))]
Downloader = Annotated[Actor, Depends(require("bank", "authority-admin"))]
Anyone = Annotated[Actor, Depends(require("authority-admin", "authority-analyst", "bank", "auditor"))]
