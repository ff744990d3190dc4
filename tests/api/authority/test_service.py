"""The authority service end to end over its HTTP API (TestClient), on SQLite or PostgreSQL."""

from __future__ import annotations

import io
import json
import tarfile
import threading
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from api.authority.models import AuditEvent, Entry, ListState, ListVersion, Usage
from api.packages import verify_package
from api.protocol import receipt_bytes
from keys import Blinding, KeyStore, b64, oprf_input, unb64, verify
from tests.api.authority.conftest import Authority
from tests.api.authority.helpers import ENTRY, entry, signed_report


def audit_count(authority: Authority) -> int:
    with authority.session() as session:
        return int(session.exec(select(func.count()).select_from(AuditEvent)).one())


def entry_count(authority: Authority) -> int:
    with authority.session() as session:
        return int(session.exec(select(func.count()).select_from(Entry)).one())


def add(authority: Authority, record: dict, role: str = "authority-analyst") -> dict:  # type: ignore[type-arg]
    response = authority.client.post(
        "/v1/entries", json={"entry": record, "reason": "court order"}, headers=authority.headers(role)
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def publish(authority: Authority) -> dict:  # type: ignore[type-arg]
    response = authority.client.post(
        "/v1/versions", json={"reason": "weekly"}, headers=authority.headers("authority-admin")
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def pinned_key(authority: Authority) -> bytes:
    listing = KeyStore(authority.home / "keystore").listing()
    return unb64(listing["signing"][0]["public_key"])


# --- entries -----------------------------------------------------------------------------------


def test_entry_lifecycle_is_audited_with_who_and_why(authority: Authority) -> None:
    created = add(authority, ENTRY)
    assert created["entry"]["id"] == "E-0001" and created["possible_duplicates"] == []
    client, staff = authority.client, authority.headers("authority-analyst")
    assert client.get("/v1/entries/E-0001", headers=staff).json()["entry"]["names"] == ENTRY["names"]
    changed = {**ENTRY, "names": ["Budi Santoso"]}
    response = client.put(
        "/v1/entries/E-0001", json={"entry": changed, "reason": "alias withdrawn"}, headers=staff
    )
    assert response.status_code == 200
    assert (
        client.delete("/v1/entries/E-0001", params={"reason": "acquitted"}, headers=staff).status_code == 204
    )
    assert client.get("/v1/entries/E-0001", headers=staff).status_code == 404
    with authority.session() as session:
        events = list(session.exec(select(AuditEvent).order_by(AuditEvent.seq)))
    assert [(e.action, e.detail) for e in events] == [
        ("entry.create", "court order"),
        ("entry.update", "alias withdrawn"),
        ("entry.delete", "acquitted"),
    ]
    assert all(e.actor.startswith("authority/") for e in events)
    assert all("Budi" not in (e.detail + e.subject) for e in events)


def test_duplicates_are_flagged(authority: Authority) -> None:
    add(authority, ENTRY)
    second = add(authority, {**ENTRY, "id": "E-0002", "names": ["BOEDI SANTOSA", "Budi Santoso"]})
    assert second["possible_duplicates"] == ["E-0001"]


def test_import_is_all_or_nothing_and_reports_every_problem(authority: Authority) -> None:
    client, staff = authority.client, authority.headers("authority-analyst")
    lines = [json.dumps(entry(n)) for n in range(1, 4)]
    bad = [*lines, json.dumps({**entry(4), "birth_date": "1984-02-30"}), "{not json"]
    response = client.post(
        "/v1/entries/import",
        params={"reason": "bulk"},
        content="\n".join(bad),
        headers={**staff, "Content-Type": "text/plain"},
    )
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [(p["line"], p["field"]) for p in problems] == [(4, "birth_date"), (5, "record")]
    assert entry_count(authority) == 0 and audit_count(authority) == 0
    response = client.post(
        "/v1/entries/import",
        params={"reason": "bulk"},
        content="\n".join(lines),
        headers={**staff, "Content-Type": "text/plain"},
    )
    assert response.status_code == 201 and response.json()["imported"] == 3
    again = client.post(
        "/v1/entries/import",
        params={"reason": "bulk"},
        content=lines[0],
        headers={**staff, "Content-Type": "text/plain"},
    )
    assert again.status_code == 422 and "E-0001 already exists" in again.text
    assert entry_count(authority) == 3


# --- versions ----------------------------------------------------------------------------------


def test_publish_download_and_verify_with_the_pinned_key(authority: Authority, tmp_path: Path) -> None:
    add(authority, ENTRY)
    first = publish(authority)
    add(authority, entry(2, "Siti Rahma"))
    second = publish(authority)
    assert (first["version"], second["version"]) == (1, 2)
    response = authority.client.get("/v1/versions/2/package", headers=authority.headers("bank"))
    assert response.status_code == 200
    with tarfile.open(fileobj=io.BytesIO(response.content)) as archive:
        archive.extractall(tmp_path / "v2", filter="data")
    package = verify_package(tmp_path / "v2", signing_public_key=pinned_key(authority))
    assert package.version == 2 and package.manifest["previous"]["version"] == 1
    listed = authority.client.get("/v1/versions", headers=authority.headers("auditor")).json()
    assert [v["version"] for v in listed] == [1, 2]


def test_two_concurrent_publishes_make_two_consecutive_versions(authority: Authority) -> None:
    add(authority, ENTRY)
    results: list[int] = []

    def run() -> None:
        results.append(publish(authority)["version"])

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [1, 2]
    with authority.session() as session:
        assert sorted(session.exec(select(ListVersion.version))) == [1, 2]


def test_banks_are_served_while_a_version_is_being_built(authority: Authority, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Building a package can take minutes; no transaction (on SQLite: no database lock) is held
    meanwhile, so a blind evaluation is answered before the build goes on."""
    from api.authority import publishing

    add(authority, ENTRY)
    building, evaluated = threading.Event(), threading.Event()
    build = publishing.publish

    def slow_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        building.set()
        if not evaluated.wait(timeout=20):
            raise RuntimeError("the evaluation did not get through while the package was built")
        return build(*args, **kwargs)

    monkeypatch.setattr(publishing, "publish", slow_build)
    versions: list[int] = []
    publisher = threading.Thread(target=lambda: versions.append(publish(authority)["version"]))
    publisher.start()
    assert building.wait(timeout=20)
    elements = [b64(e) for e in Blinding([oprf_input("v1/during-publish")]).elements]
    response = authority.client.post(
        f"/v1/epochs/{authority.keys.active_epoch}/evaluate",
        json={"elements": elements},
        headers=authority.headers("bank"),
    )
    evaluated.set()
    publisher.join()
    assert response.status_code == 200
    assert versions == [1]


def test_a_version_taken_by_another_host_meanwhile_is_a_409(authority: Authority, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from api.authority import publishing

    add(authority, ENTRY)
    build = publishing.publish

    def build_while_another_host_publishes(*args, **kwargs):  # type: ignore[no-untyped-def]
        with authority.session() as other:
            other.add(ListState(id=1, current_version=1))
            other.commit()
        return build(*args, **kwargs)

    monkeypatch.setattr(publishing, "publish", build_while_another_host_publishes)
    before = audit_count(authority)
    response = authority.client.post(
        "/v1/versions", json={"reason": "weekly"}, headers=authority.headers("authority-admin")
    )
    assert response.status_code == 409 and "published meanwhile" in response.json()["detail"]
    assert audit_count(authority) == before
    with authority.session() as session:
        assert list(session.exec(select(ListVersion))) == []
    assert not publishing.package_dir(authority.settings, 1).exists()


def test_a_publish_killed_midway_leaves_the_previous_version(authority: Authority, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    add(authority, ENTRY)
    publish(authority)
    before = audit_count(authority)
    from api.authority import audit

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("killed after the package was written, before the commit")

    monkeypatch.setattr(audit, "append", crash)
    with pytest.raises(RuntimeError, match="killed"):
        authority.client.post(
            "/v1/versions", json={"reason": "weekly"}, headers=authority.headers("authority-admin")
        )
    monkeypatch.undo()
    with authority.session() as session:
        assert list(session.exec(select(ListVersion.version))) == [1]
    assert audit_count(authority) == before
    assert not (authority.settings.packages / "v2").exists()
    assert publish(authority)["version"] == 2


# --- blind evaluation --------------------------------------------------------------------------


def test_blind_evaluation_verifies_against_the_epoch_key(authority: Authority) -> None:
    epoch = authority.keys.active_epoch
    blinding = Blinding([oprf_input("v1/pair+dob:BT+SNTS:1984-07-15")])
    response = authority.client.post(
        f"/v1/epochs/{epoch}/evaluate",
        json={"elements": [b64(e) for e in blinding.elements]},
        headers=authority.headers("bank"),
    )
    assert response.status_code == 200, response.text
    outputs = blinding.finalize(unb64(response.json()["batch"]), authority.keys.oprf[epoch].public_key)
    assert outputs == authority.keys.oprf[epoch].evaluate([oprf_input("v1/pair+dob:BT+SNTS:1984-07-15")])
    (event,) = [e for e in _events(authority) if e.action == "oprf.evaluate"]
    assert (event.actor.split("/")[0], event.subject, event.detail) == ("bank-a", epoch, "1")


def _events(authority: Authority) -> list[AuditEvent]:
    with authority.session() as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.seq)))


def test_quota_and_batch_limits(authority: Authority) -> None:
    epoch, client, bank = authority.keys.active_epoch, authority.client, authority.headers("bank")
    elements = [b64(e) for e in Blinding([oprf_input(f"v1/k{i}") for i in range(40)]).elements]
    assert (
        client.post(f"/v1/epochs/{epoch}/evaluate", json={"elements": elements}, headers=bank).status_code
        == 200
    )
    over = client.post(f"/v1/epochs/{epoch}/evaluate", json={"elements": elements[:11]}, headers=bank)
    assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0
    big = [b64(e) for e in Blinding([oprf_input(f"v1/x{i}") for i in range(65)]).elements]
    assert (
        client.post(f"/v1/epochs/{epoch}/evaluate", json={"elements": big}, headers=bank).status_code == 413
    )
    assert (
        client.post(
            "/v1/epochs/epoch-1999-01/evaluate", json={"elements": elements[:1]}, headers=bank
        ).status_code
        == 404
    )


def test_two_concurrent_batches_cannot_pass_the_quota_together(authority: Authority, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Both batches pass the check made before evaluating (30 of 50 each) and are evaluated at the
    same time; the check under the lock lets one through and refuses the other, which changes nothing."""
    from keys import OprfKey

    epoch, client, bank = authority.keys.active_epoch, authority.client, authority.headers("bank")
    together = threading.Barrier(2, timeout=20)
    evaluate = OprfKey.blind_evaluate

    def side_by_side(self, elements):  # type: ignore[no-untyped-def]
        together.wait()
        return evaluate(self, elements)

    monkeypatch.setattr(OprfKey, "blind_evaluate", side_by_side)
    before = audit_count(authority)
    statuses: list[int] = []

    def run(tag: str) -> None:
        elements = [b64(e) for e in Blinding([oprf_input(f"v1/{tag}{i}") for i in range(30)]).elements]
        response = client.post(f"/v1/epochs/{epoch}/evaluate", json={"elements": elements}, headers=bank)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=run, args=(tag,)) for tag in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 429]
    assert audit_count(authority) == before + 1
    with authority.session() as session:
        assert session.exec(select(Usage.elements).where(Usage.institution_id == "bank-a")).one() == 30


# --- hit reports -------------------------------------------------------------------------------


def _report_key(authority: Authority) -> str:
    return str(KeyStore(authority.home / "keystore").listing()["report"]["public_key"])


def test_hit_report_receipt_read_and_acknowledge(authority: Authority) -> None:
    add(authority, ENTRY)
    publish(authority)
    body = signed_report(authority.bank_key, _report_key(authority), now=authority.clock.now)
    response = authority.client.post("/v1/hits", json=body, headers=authority.headers("bank"))
    assert response.status_code == 201, response.text
    receipt = response.json()
    verify(pinned_key(authority), unb64(receipt["signature"]), receipt_bytes(receipt["receipt"]))
    hit_id = receipt["receipt"]["hit_id"]
    analyst = authority.headers("authority-analyst")
    listed = authority.client.get("/v1/hits", headers=analyst).json()
    assert [h["id"] for h in listed] == [hit_id] and "details" not in listed[0]
    read = authority.client.get(f"/v1/hits/{hit_id}", headers=analyst).json()
    assert read["customer_details"] == {"name": "Budi Santoso", "account": "1234567890"}
    acknowledged = authority.client.post(f"/v1/hits/{hit_id}/acknowledge", headers=analyst)
    assert acknowledged.status_code == 200, acknowledged.text
    assert acknowledged.json()["status"] == "acknowledged"
    assert [e.action for e in _events(authority)][-3:] == ["hit.receive", "hit.read", "hit.acknowledge"]


def test_operational_endpoints_and_openapi(authority: Authority) -> None:
    assert authority.client.get("/health").json() == {"status": "ok"}
    assert authority.client.get("/ready").json() == {"status": "ready"}
    schema = authority.client.get("/openapi.json").json()
    assert {"/v1/entries", "/v1/versions", "/v1/epochs/{epoch}/evaluate", "/v1/hits", "/v1/audit"} <= set(
        schema["paths"]
    )
    assert schema["components"]["schemas"]["HitReport"]["examples"]


def test_request_logs_carry_no_personal_data(authority: Authority, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="watchlist.authority")
    add(authority, ENTRY)
    authority.client.get("/v1/entries/E-0001", headers=authority.headers("authority-analyst"))
    lines = [r.getMessage() for r in caplog.records]
    assert lines and all("Budi" not in line and "1984" not in line and "E-0001" not in line for line in lines)
    assert any('"route": "/v1/entries/{entry_id}"' in line for line in lines)


def test_migrations_create_the_whole_schema(tmp_path: Path) -> None:
    from sqlalchemy import inspect
    from sqlmodel import SQLModel

    from api.authority.db import make_engine
    from api.authority.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    with Session(engine) as session:  # the row publishing locks exists before the first publish
        assert [(s.id, s.current_version) for s in session.exec(select(ListState))] == [(1, 0)]
    upgrade(url)  # and upgrading again changes nothing
    with Session(engine) as session:
        assert len(list(session.exec(select(ListState)))) == 1


def test_incremental_publishing_evaluates_only_new_keys(authority: Authority, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from api.authority.models import KeyOutput
    from keys import OprfKey

    add(authority, ENTRY)
    add(authority, entry(2, "Siti Rahma"))
    evaluated: list[int] = []
    original = OprfKey.evaluate

    def counting(self, inputs):  # type: ignore[no-untyped-def]
        evaluated.append(len(inputs))
        return original(self, inputs)

    monkeypatch.setattr(OprfKey, "evaluate", counting)
    publish(authority)
    first = sum(evaluated)
    with authority.session() as session:
        assert len(list(session.exec(select(KeyOutput)))) == first > 0
    evaluated.clear()
    add(authority, entry(3, "Nantaphong Srisuk"))
    publish(authority)
    with authority.session() as session:
        total = len(list(session.exec(select(KeyOutput))))
    assert 0 < sum(evaluated) == total - first < first
