"""Publishing a version: one at a time, numbered strictly upwards, all or nothing.

A file lock in the authority home serializes publishers on one machine. What to publish is read in
one short transaction and the package is built outside any (on SQLite a transaction locks the whole
database, and a large list takes minutes), written to a temporary directory and renamed into place;
then the version row, the new current version, the OPRF outputs of new keys and the audit event
are committed together, after checking under the row lock on ``ListState`` that no publisher on
another host took the number meanwhile (if one did: 409, and nothing of this attempt is kept).
Within an epoch, keys published before are not evaluated again (``KeyOutput``): an unchanged entry
costs no evaluation.
A publisher killed before the commit leaves a package directory without a row, which the next
publish of that number replaces; the previous version stays current.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import shutil
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, col, select

from api.authority import audit
from api.authority.deps import LoadedKeys
from api.authority.errors import Conflict
from api.authority.models import Entry, KeyOutput, ListState, ListVersion
from api.authority.settings import Settings
from api.packages import publish
from matcher import ListEntry


def package_dir(settings: Settings, version: int) -> Path:
    return settings.packages / f"v{version}"


def publish_version(
    session: Session,
    settings: Settings,
    keys: LoadedKeys,
    *,
    actor: str,
    reason: str,
    clock: Callable[[], dt.datetime],
    workers: int = 1,
) -> ListVersion:
    """Read what to publish in one short transaction, build the package outside any (it may take
    minutes, and on SQLite a transaction locks the whole database), then commit the version in a
    second short one, after checking under the row lock that nobody published in between."""
    settings.packages.mkdir(parents=True, exist_ok=True)
    session.rollback()  # wait for the lock holding no transaction, or the holder could not commit
    with (settings.home / "publish.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = session.exec(select(ListState).where(ListState.id == 1)).first()
        version = (state.current_version if state else 0) + 1
        entries = [
            ListEntry.model_validate_json(row.record)
            for row in session.exec(select(Entry).order_by(col(Entry.id)))
        ]
        known = {
            row.digest: row.output
            for row in session.exec(select(KeyOutput).where(KeyOutput.epoch == keys.active_epoch))
        }
        session.rollback()
        previous = None
        if version > 1:
            previous = (package_dir(settings, version - 1) / "manifest.json").read_bytes()
        out = package_dir(settings, version)
        if out.exists():  # left by a publisher that died before its commit: no row names it
            shutil.rmtree(out)
        now = clock()
        result = publish(
            entries,
            out=out,
            list_id=settings.list_id,
            authority_id=settings.authority_id,
            version=version,
            epoch=keys.active_epoch,
            oprf_key=keys.oprf[keys.active_epoch],
            signing_key=keys.signing,
            now=now,
            previous_manifest=previous,
            workers=workers,
            known_outputs=known,
        )
        try:
            state = session.exec(select(ListState).where(ListState.id == 1).with_for_update()).first()
            if state is None:
                state = ListState(id=1, current_version=0)
            if state.current_version != version - 1:
                raise Conflict(f"version {version} was published meanwhile by another host; publish again")
            row = ListVersion(
                version=version,
                list_id=settings.list_id,
                epoch=keys.active_epoch,
                manifest_sha256=result.manifest_sha256,
                entries=result.entries,
                created_at=now,
                created_by=actor,
            )
            state.current_version = version
            session.add_all(
                KeyOutput(epoch=keys.active_epoch, digest=digest, output=output)
                for digest, output in result.new_outputs.items()
            )
            session.add(row)
            session.add(state)
            audit.append(
                session,
                actor=actor,
                action="version.publish",
                subject=str(version),
                detail=reason,
                payload=result.manifest_sha256,
                now=now,
            )
            session.commit()
        except BaseException:
            session.rollback()
            shutil.rmtree(out, ignore_errors=True)
            raise
        session.refresh(row)
        return row
