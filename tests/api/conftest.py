"""Shared fixtures: a small list with the bundled samples, keys, and a published package."""

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.packages import publish
from keys.oprf import OprfKey
from matcher import Customer, ListEntry, parse_records

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
EPOCH = "epoch-2026-12"


def sample(name: str, model):  # type: ignore[no-untyped-def]
    text = resources.files("api.samples").joinpath(name).read_text(encoding="utf-8")
    return parse_records(text.splitlines(), model)[0]


@pytest.fixture(scope="session")
def entries() -> list[ListEntry]:
    return sample("entries.jsonl", ListEntry)


@pytest.fixture(scope="session")
def customers() -> list[Customer]:
    return sample("customers.jsonl", Customer)


@pytest.fixture(scope="session")
def oprf_key() -> OprfKey:
    return OprfKey(b"\x07" * 32, EPOCH.encode())


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(b"\x09" * 32)


@pytest.fixture
def publish_version(
    tmp_path: Path, entries: list[ListEntry], oprf_key: OprfKey, signing_key: Ed25519PrivateKey
):  # type: ignore[no-untyped-def]
    def make(
        version: int, listed: list[ListEntry] | None = None, previous: bytes | None = None, name: str = ""
    ) -> Path:
        out = tmp_path / (name or f"v{version}")
        publish(
            entries if listed is None else listed,
            out=out,
            list_id="polri-cse",
            authority_id="polri",
            version=version,
            epoch=EPOCH,
            oprf_key=oprf_key,
            signing_key=signing_key,
            now=NOW,
            previous_manifest=previous,
        )
        return out

    return make
