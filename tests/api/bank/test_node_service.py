"""The bank node service and command line against an authority served on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.bank.node import BankNode
from api.bank.service import create_bank_app
from api.cli import app as cli
from api.demo import running_authority

TOKEN = "bank-node-token-for-tests-0123456789"
PASSPHRASE = "bank test passphrase, not secret"
ENTRIES = "\n".join(
    json.dumps(e)
    for e in (
        {"id": "E-1", "names": ["Budi Santoso"], "birth_date": "1984-07-15", "status": "convicted"},
        {"id": "E-2", "names": ["Siti Rahma Lestari"], "birth_date": "1990-01-02", "status": "convicted"},
    )
)


def test_onboarding_queue_and_sync_over_http(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with running_authority(tmp_path / "authority", PASSPHRASE) as authority:
        admin = {"Authorization": f"Bearer {authority.tokens['authority-admin']}"}
        with httpx.Client(base_url=authority.url, headers=admin) as http:
            http.post(
                "/v1/entries/import",
                params={"reason": "test"},
                content=ENTRIES,
                headers={"Content-Type": "text/plain"},
            ).raise_for_status()
            http.post("/v1/versions", json={"reason": "test"}).raise_for_status()
        node = BankNode.init(tmp_path / "bank", "bank-a", PASSPHRASE, scrypt_n=2**10)
        node.subscribe(authority.subscription("bank-a"))
        client = TestClient(create_bank_app(node, TOKEN))
        headers = {"Authorization": f"Bearer {TOKEN}"}
        assert client.post("/v1/sync", headers=headers).json() == {"polri": "installed version 1"}
        assert client.get("/v1/sync", headers=headers).json()["polri"]["installed_version"] == 1
        hit = {"customer": {"id": "CIF-1", "names": ["Boedi Santosa"], "birth_date": "1984-07-15"}}
        answer = client.post("/v1/screen", json=hit, headers=headers).json()
        assert answer["decision"] == "alert" and answer["alerts"][0]["entry_id"] == "E-1"
        clear = {"customer": {"id": "CIF-2", "names": ["Agus Wijaya"], "birth_date": "1970-03-04"}}
        assert client.post("/v1/screen", json=clear, headers=headers).json()["decision"] == "clear"
        alert_id = answer["alerts"][0]["id"]
        assert (
            client.post(f"/v1/alerts/{alert_id}/report", headers=headers).status_code == 409
        )  # not confirmed
        assert client.post(f"/v1/alerts/{alert_id}/confirm", headers=headers).json()["status"] == "confirmed"
        reported = client.post(f"/v1/alerts/{alert_id}/report", headers=headers).json()
        assert reported["status"] == "reported" and reported["receipt"]["receipt"]["hit_id"]
        assert client.get("/v1/alerts", headers={"Authorization": "Bearer wrong"}).status_code == 401

        monkeypatch.setenv("WATCHLIST_PASSPHRASE", PASSPHRASE)
        runner = CliRunner()
        listed = runner.invoke(cli, ["bank", "alerts", "--home", str(tmp_path / "bank")])
        assert listed.exit_code == 0 and json.loads(listed.output.splitlines()[0])["status"] == "reported"
        people = tmp_path / "people.csv"
        people.write_text(
            "id,names,birth_date\nCIF-3,Siti Rahma Lestari,1990-01-02\nCIF-4,Joko Susilo,1980-05-06\n"
        )
        screened = runner.invoke(cli, ["bank", "rescreen", "--home", str(tmp_path / "bank"), str(people)])
        assert screened.exit_code == 0 and "new alerts 1" in screened.output, screened.output
        node.close()


def test_two_authorities_each_get_only_their_own_hits(tmp_path: Path) -> None:
    people = {
        "id": ["Budi Santoso", "1984-07-15"],
        "my": ["Muhammad Rizal bin Abdullah", "1979-11-30"],
    }
    with (
        running_authority(tmp_path / "polri", PASSPHRASE, list_id="polri-cse") as polri,
        running_authority(tmp_path / "pdrm", PASSPHRASE, list_id="pdrm-cse") as pdrm,
    ):
        for authority, key in ((polri, "id"), (pdrm, "my")):
            name, born = people[key]
            record = json.dumps(
                {"id": f"E-{key}", "names": [name], "birth_date": born, "status": "convicted"}
            )
            with httpx.Client(
                base_url=authority.url,
                headers={"Authorization": f"Bearer {authority.tokens['authority-admin']}"},
            ) as http:
                http.post(
                    "/v1/entries/import",
                    params={"reason": "test"},
                    content=record,
                    headers={"Content-Type": "text/plain"},
                ).raise_for_status()
                http.post("/v1/versions", json={"reason": "test"}).raise_for_status()
        node = BankNode.init(tmp_path / "bank", "bank-a", PASSPHRASE, scrypt_n=2**10)
        node.subscribe(polri.subscription("bank-a", "polri"))
        node.subscribe(pdrm.subscription("bank-a", "pdrm"))
        assert node.sync() == {"polri": "installed version 1", "pdrm": "installed version 1"}
        from matcher import Customer

        customers = [
            Customer(id="C-id", names=["Boedi Santosa"], birth_date=["1984-07-15"]),
            Customer(id="C-my", names=["Mohd Rizal Abdullah"], birth_date=["1979-11-30"]),
        ]
        alerts, _ = node.screen(customers)
        named = {(a["subscription"], a["list_version"], a["entry_id"], a["customer_id"]) for a in alerts}
        assert named == {("polri", "polri-cse@1", "E-id", "C-id"), ("pdrm", "pdrm-cse@1", "E-my", "C-my")}
        for alert in alerts:
            node.confirm(alert["id"])
            node.report(alert["id"])
        for authority, entry in ((polri, "E-id"), (pdrm, "E-my")):
            analyst = {"Authorization": f"Bearer {authority.tokens['authority-analyst']}"}
            hits = httpx.get(f"{authority.url}/v1/hits", headers=analyst).json()
            assert [hit["entry_id"] for hit in hits] == [entry]
        node.close()


def test_customers_from_a_database_table(tmp_path: Path) -> None:
    import sqlite3

    import pytest

    from api.bank.node import BankError, read_customer_table
    from matcher import RecordFileError

    db = tmp_path / "core.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE customers (id TEXT, names TEXT, birth_date TEXT, gender TEXT)")
        connection.executemany(
            "INSERT INTO customers VALUES (?, ?, ?, ?)",
            [("C-1", "Budi Santoso;Boedi Santosa", "1984-07-15", "male"), ("C-2", "Siti Rahma", None, None)],
        )
    people = read_customer_table(f"sqlite:///{db}", "customers")
    assert [(p.id, p.names, p.birth_date) for p in people] == [
        ("C-1", ["Budi Santoso", "Boedi Santosa"], ["1984-07-15"]),
        ("C-2", ["Siti Rahma"], []),
    ]
    with pytest.raises(BankError, match="not a plain table name"):
        read_customer_table(f"sqlite:///{db}", "customers; DROP TABLE customers")
    with pytest.raises(BankError, match="cannot read"):
        read_customer_table(f"sqlite:///{db}", "missing")
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO customers VALUES ('C-3', 'Agus', '1984-02-30', NULL)")
    with pytest.raises(RecordFileError) as raised:
        read_customer_table(f"sqlite:///{db}", "customers")
    assert [(p.line, p.field) for p in raised.value.problems] == [(4, "birth_date")]
