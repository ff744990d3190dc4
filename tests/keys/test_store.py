"""The key store: encrypted at rest, 0600, clear errors, rotation with a grace period."""

import datetime as dt
import json
import stat
from pathlib import Path

import pytest

from keys.store import KeyStore, KeyStoreError, WrongPassphrase, read_passphrase

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
PASS = "correct horse battery staple"


def make(tmp_path: Path) -> KeyStore:
    return KeyStore.init(tmp_path / "home", PASS, now=NOW, scrypt_n=2**10)


def test_init_creates_private_files_and_a_public_listing(tmp_path: Path) -> None:
    store = make(tmp_path)
    assert stat.S_IMODE((tmp_path / "home").stat().st_mode) == 0o700
    for path in (tmp_path / "home").rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    listing = store.listing()
    assert listing["epochs"][0]["epoch"] == "epoch-2026-12" and listing["epochs"][0]["status"] == "active"
    key = store.oprf_key(PASS)
    signing = store.signing_key(PASS)
    seed_file = next((tmp_path / "home" / "secrets").glob("oprf-*.key")).read_text()
    assert "seed" not in seed_file and key.public_key.hex() not in seed_file
    assert signing is not None


def test_wrong_passphrase_and_corruption_are_clear(tmp_path: Path) -> None:
    store = make(tmp_path)
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        store.oprf_key("not the passphrase at all")
    seed = next((tmp_path / "home" / "secrets").glob("oprf-*.key"))
    seed.write_text("{garbage")
    with pytest.raises(KeyStoreError, match=f"key file {seed.name} is corrupted"):
        store.oprf_key(PASS)


def test_swapped_key_files_do_not_open(tmp_path: Path) -> None:
    store = make(tmp_path)
    store.rotate(PASS, now=NOW, grace=dt.timedelta(days=30))
    first, second = sorted((tmp_path / "home" / "secrets").glob("oprf-*.key"))
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    with pytest.raises(WrongPassphrase):
        store.oprf_key(PASS)


def test_rotation_keeps_the_old_epoch_for_the_grace_period(tmp_path: Path) -> None:
    store = make(tmp_path)
    old = store.oprf_key(PASS)
    new_name = store.rotate(PASS, now=NOW, grace=dt.timedelta(days=30))
    assert new_name == "epoch-2026-12-2" and store.active_epoch()["epoch"] == new_name
    assert store.oprf_key(PASS, "epoch-2026-12").public_key == old.public_key
    assert store.retire_expired(now=NOW + dt.timedelta(days=29)) == []
    assert store.retire_expired(now=NOW + dt.timedelta(days=31)) == ["epoch-2026-12"]
    with pytest.raises(KeyStoreError, match="retired"):
        store.oprf_key(PASS, "epoch-2026-12")
    assert not any("2026-12.key" in p.name for p in (tmp_path / "home" / "secrets").iterdir())


def test_listing_holds_no_secret(tmp_path: Path) -> None:
    store = make(tmp_path)
    text = json.dumps(store.listing())
    raw = store.signing_key(PASS).private_bytes_raw().hex()
    assert raw not in text and PASS not in text


def test_passphrase_comes_from_the_environment_or_a_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHLIST_PASSPHRASE", PASS)
    assert read_passphrase(lambda _: "unused") == PASS
    monkeypatch.delenv("WATCHLIST_PASSPHRASE")
    assert read_passphrase(lambda _: "typed at the prompt") == "typed at the prompt"
    with pytest.raises(KeyStoreError, match="at least 12"):
        read_passphrase(lambda _: "short")


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    make(tmp_path)
    with pytest.raises(KeyStoreError, match="already exists"):
        make(tmp_path)


def test_report_key_seals_and_opens(tmp_path: Path) -> None:
    from keys import SealError, open_from, report_public_bytes, seal_to

    store = make(tmp_path)
    private = store.report_key(PASS)
    public = report_public_bytes(private)
    assert store.listing()["report"]["public_key"]
    box = seal_to(public, b"customer details", b"hit:1")
    assert open_from(private, box, b"hit:1") == b"customer details"
    with pytest.raises(SealError):
        open_from(private, box, b"hit:2")
