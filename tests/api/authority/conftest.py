"""An authority with a fresh database per test: SQLite by default, PostgreSQL when
``TEST_DATABASE_URL`` is set (CI runs the suite both ways)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from api.authority import create_app
from api.authority.auth import new_token
from api.authority.db import make_engine
from api.authority.deps import LoadedKeys, get_clock
from api.authority.models import Institution
from api.authority.settings import Settings
from keys import KeyStore, b64, public_bytes

PASSPHRASE = "test passphrase, not a secret"
NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


@dataclass
class Clock:
    now: dt.datetime = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class Authority:
    client: TestClient
    settings: Settings
    keys: LoadedKeys
    clock: Clock
    tokens: dict[str, str]
    bank_key: Ed25519PrivateKey
    home: Path

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def session(self) -> Session:
        return Session(self.client.app.state.engine)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def keystore_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("authority")
    KeyStore.init(home / "keystore", PASSPHRASE, now=NOW, scrypt_n=2**10)
    return home


@pytest.fixture(scope="session")
def loaded_keys(keystore_home: Path) -> LoadedKeys:
    return LoadedKeys.load(Settings(home=keystore_home, passphrase=PASSPHRASE))  # type: ignore[arg-type]


def _database_url(home: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{home / 'authority.db'}"


@pytest.fixture
def authority(tmp_path: Path, keystore_home: Path, loaded_keys: LoadedKeys) -> Iterator[Authority]:
    home = tmp_path
    (home / "keystore").symlink_to(keystore_home / "keystore")
    url = _database_url(home)
    engine = make_engine(url)
    if url.startswith("postgresql"):
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    SQLModel.metadata.create_all(engine)
    bank_key = Ed25519PrivateKey.from_private_bytes(b"\x05" * 32)
    tokens = {}
    with Session(engine) as session:
        session.add(Institution(id="authority", name="Authority", kind="authority"))
        session.add(
            Institution(
                id="bank-a", name="Bank A", kind="bank", quota=50, signing_key=b64(public_bytes(bank_key))
            )
        )
        session.add(Institution(id="bank-b", name="Bank B", kind="bank"))
        session.add(Institution(id="auditor", name="Data-protection office", kind="auditor"))
        for role, institution in (
            ("authority-admin", "authority"),
            ("authority-analyst", "authority"),
            ("bank", "bank-a"),
            ("auditor", "auditor"),
        ):
            _, tokens[role] = new_token(session, institution, role, now=NOW, days=30)
        session.commit()
    engine.dispose()
    settings = Settings(
        home=home,
        passphrase=PASSPHRASE,
        database_url=url,
        list_id="polri-cse",  # type: ignore[arg-type]
        authority_id="polri",
        max_body_bytes=256 * 1024,
        max_batch=64,
    )
    clock = Clock()
    app = create_app(settings, keys=loaded_keys)
    app.dependency_overrides[get_clock] = lambda: clock
    with TestClient(app) as client:
        yield Authority(client, settings, loaded_keys, clock, tokens, bank_key, home)
