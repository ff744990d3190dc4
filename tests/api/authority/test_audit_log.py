"""The audit log verifies offline, and every kind of tampering is caught and located."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select
from typer.testing import CliRunner

from api.authority import audit
from api.authority.cli import app as authority_cli
from api.authority.models import AuditEvent, Checkpoint
from keys import public_bytes
from tests.api.authority.conftest import Authority
from tests.api.authority.helpers import entry


def make_history(authority: Authority, count: int = 6) -> None:
    staff = authority.headers("authority-analyst")
    for number in range(1, count + 1):
        authority.client.post("/v1/entries", json={"entry": entry(number), "reason": "test"}, headers=staff)
    assert (
        authority.client.post(
            "/v1/audit/checkpoints", headers=authority.headers("authority-admin")
        ).status_code
        == 201
    )


def verify(authority: Authority) -> int:
    with authority.session() as session:
        events = list(session.exec(select(AuditEvent).order_by(AuditEvent.seq)))
        checkpoints = list(session.exec(select(Checkpoint)))
    return audit.verify_chain(events, checkpoints, public_bytes(authority.keys.signing))


def sql(authority: Authority, statement: str) -> None:
    with authority.session() as session:
        session.exec(text(statement))  # type: ignore[call-overload]
        session.commit()


def test_an_untouched_log_verifies_and_auditors_can_read_it(authority: Authority) -> None:
    make_history(authority)
    assert verify(authority) == 7
    events = authority.client.get("/v1/audit", headers=authority.headers("auditor")).json()
    assert [e["seq"] for e in events] == list(range(1, 8)) and all(len(e["hash"]) == 64 for e in events)


@pytest.mark.parametrize(
    ("tamper", "seq", "message"),
    [
        ("UPDATE auditevent SET detail = 'nothing to see' WHERE seq = 3", 3, "changed"),
        ("DELETE FROM auditevent WHERE seq = 4", 4, "deleted or reordered"),
        ("UPDATE auditevent SET seq = seq + 100 WHERE seq = 2", 2, "deleted or reordered"),
        ("DELETE FROM auditevent WHERE seq >= 6", 7, "truncated"),
    ],
    ids=["change", "delete", "reorder", "truncate"],
)
def test_tampering_is_detected_and_located(authority: Authority, tamper: str, seq: int, message: str) -> None:
    make_history(authority)
    sql(authority, tamper)
    with pytest.raises(audit.AuditError) as raised:
        verify(authority)
    assert raised.value.seq == seq and message in str(raised.value)


def test_audit_verify_command_names_the_first_bad_record(authority: Authority) -> None:
    make_history(authority)
    runner = CliRunner()
    args = ["audit-verify", "--home", str(authority.home), "--database-url", authority.settings.url]
    ok = runner.invoke(authority_cli, args)
    assert ok.exit_code == 0 and "7 events, 1 signed checkpoints" in ok.output
    sql(authority, "UPDATE auditevent SET actor = 'someone-else' WHERE seq = 5")
    broken = runner.invoke(authority_cli, args)
    assert broken.exit_code == 1 and "record 5" in broken.output


def test_a_forged_checkpoint_is_detected(authority: Authority) -> None:
    make_history(authority)
    sql(authority, "UPDATE checkpoint SET signature = 'AAAA'")
    with pytest.raises(audit.AuditError, match="checkpoint signature"):
        verify(authority)


def test_init_creates_keys_database_and_prints_the_admin_token_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from api.authority.auth import authenticate
    from api.authority.db import make_engine
    from tests.api.authority.conftest import NOW, PASSPHRASE

    monkeypatch.setenv("WATCHLIST_PASSPHRASE", PASSPHRASE)
    result = CliRunner().invoke(
        authority_cli, ["init", "--home", str(tmp_path / "home"), "--authority-id", "polri"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.split("store it now): ")[1].strip()
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'authority.db'}")
    with Session(engine) as session:
        actor = authenticate(session, f"Bearer {token}", now=NOW)
    engine.dispose()
    assert (actor.institution_id, actor.role) == ("polri", "authority-admin")
    assert token not in (tmp_path / "home" / "authority.db").read_bytes().decode("latin-1")
    again = CliRunner().invoke(authority_cli, ["init", "--home", str(tmp_path / "home")])
    assert again.exit_code == 2 and "already exists" in again.output
