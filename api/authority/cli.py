"""``watchlist authority ...``: set up, serve, verify the audit log."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, col, select

from api.authority import audit
from api.authority.auth import new_token
from api.authority.db import make_engine
from api.authority.migrate import upgrade
from api.authority.models import AuditEvent, Checkpoint, Institution
from api.authority.settings import Settings
from keys import KeyStore, KeyStoreError, read_passphrase, unb64

app = typer.Typer(help="The authority: keys, database, service, audit log.", no_args_is_help=True)
HomeOption = Annotated[Path, typer.Option(envvar="WATCHLIST_HOME", help="authority home directory")]


def _settings(home: Path, passphrase: str) -> Settings:
    return Settings(home=home, passphrase=passphrase)  # type: ignore[arg-type]


@app.command()
def init(
    home: HomeOption,
    authority_id: Annotated[str, typer.Option(help="id of this authority")] = "authority",
    name: Annotated[str, typer.Option(help="name of this authority")] = "Authority",
) -> None:
    """Create the key store, the database and a first admin token (printed once)."""
    now = dt.datetime.now(dt.UTC)
    try:
        passphrase = read_passphrase()
        KeyStore.init(home / "keystore", passphrase, now=now)
    except KeyStoreError as error:
        typer.echo(f"init: {error}", err=True)
        raise typer.Exit(2) from None
    settings = _settings(home, passphrase)
    upgrade(settings.url)
    engine = make_engine(settings.url)
    with Session(engine) as session:
        session.add(Institution(id=authority_id, name=name, kind="authority", created_at=now))
        _, token = new_token(
            session, authority_id, "authority-admin", now=now, days=settings.token_days, label="first admin"
        )
        audit.append(session, actor="init", action="authority.init", subject=authority_id, now=now)
        session.commit()
    engine.dispose()
    typer.echo(f"authority home ready at {home}")
    typer.echo(f"admin token (shown once, store it now): {token}")


@app.command()
def serve(
    home: HomeOption,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Run the authority service (uvicorn)."""
    import uvicorn

    os.environ["WATCHLIST_HOME"] = str(home)
    if "WATCHLIST_PASSPHRASE" not in os.environ:
        os.environ["WATCHLIST_PASSPHRASE"] = read_passphrase()
    uvicorn.run("api.authority.app:create_app", factory=True, host=host, port=port, workers=workers)


@app.command("rotate-key")
def rotate_key(
    home: HomeOption,
    grace_days: Annotated[int, typer.Option(min=1, help="days the old epoch keeps evaluating")] = 30,
) -> None:
    """Start a new OPRF epoch; the old one retires after the grace period. Restart the service after."""
    store = KeyStore(home / "keystore")
    now = dt.datetime.now(dt.UTC)
    try:
        passphrase = read_passphrase()
        epoch = store.rotate(passphrase, now=now, grace=dt.timedelta(days=grace_days))
        retired = store.retire_expired(now=now)
    except KeyStoreError as error:
        typer.echo(f"rotate-key: {error}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"new OPRF epoch {epoch}; retired now: {', '.join(retired) or 'none'}")
    typer.echo("restart the service; the next publication uses the new epoch and banks re-tag once")


@app.command("audit-verify")
def audit_verify(
    home: HomeOption,
    database_url: Annotated[str | None, typer.Option(envvar="DATABASE_URL")] = None,
) -> None:
    """Check the audit chain and every checkpoint signature offline; name the first bad record."""
    listing = KeyStore(home / "keystore").listing()
    public = unb64(next(k["public_key"] for k in listing["signing"] if k["status"] == "active"))
    engine = make_engine(database_url or f"sqlite:///{home / 'authority.db'}")
    try:
        with Session(engine) as session:
            events = list(session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))))
            checkpoints = list(session.exec(select(Checkpoint)))
    finally:
        engine.dispose()
    try:
        count = audit.verify_chain(events, checkpoints, public)
    except audit.AuditError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"audit log verified: {count} events, {len(checkpoints)} signed checkpoints")
