"""The authority's key store on disk: OPRF epochs and package-signing keys.

Layout of a key-store home (directory mode 0700, every file 0600)::

    keystore.json              public facts only: key ids, epochs, public keys, status, dates
    secrets/oprf-<epoch>.key   an OPRF seed, encrypted under the passphrase
    secrets/signing-<id>.key   an Ed25519 private key (packages, receipts, audit checkpoints)
    secrets/report-<id>.key    the X25519 key that hit reports' customer details are sealed to

Secrets are sealed with ChaCha20-Poly1305 under a key stretched from the passphrase by scrypt;
the associated data binds each file to its kind and id, so files cannot be swapped. The passphrase
comes from ``WATCHLIST_PASSPHRASE`` or a prompt, never from a command-line argument.

Rotation starts a new epoch; the old one keeps evaluating for a grace period (banks re-tag), then
:meth:`KeyStore.retire_expired` deletes its seed. Time is always passed in.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from keys.oprf import SEED_BYTES, OprfKey
from keys.report import report_public_bytes
from keys.signing import b64, key_id, public_bytes, unb64

FORMAT = "watchlist-keystore/1"
SECRET_FORMAT = "watchlist-secret/1"
PASSPHRASE_ENV = "WATCHLIST_PASSPHRASE"
MIN_PASSPHRASE = 12
SCRYPT_N = 2**15


class KeyStoreError(Exception):
    """A key store that cannot be used as asked; the message says why, never a secret."""


class WrongPassphrase(KeyStoreError):
    """The passphrase does not open a secret file (or the file was altered)."""


def read_passphrase(prompt: Callable[[str], str] = getpass.getpass) -> str:
    """The passphrase from ``WATCHLIST_PASSPHRASE``, else from an interactive prompt."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value is None:
        value = prompt("Key-store passphrase: ")
    if len(value) < MIN_PASSPHRASE:
        raise KeyStoreError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    return value


def write_private(path: Path, data: bytes) -> None:
    """Write a file with mode 0600, whole or not at all."""
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _stretch(passphrase: str, salt: bytes, n: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(passphrase.encode("utf-8"))


def _seal_secret(secret: bytes, passphrase: str, ad: bytes, n: int) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    box = ChaCha20Poly1305(_stretch(passphrase, salt, n)).encrypt(nonce, secret, ad)
    record = {"format": SECRET_FORMAT, "kdf": "scrypt", "n": n, "r": 8, "p": 1}
    record |= {"salt": b64(salt), "nonce": b64(nonce), "ciphertext": b64(box)}
    return json.dumps(record).encode()


def read_secret(path: Path, passphrase: str, ad: bytes) -> bytes:
    """Open a file written by :func:`write_secret`; clear errors for a wrong passphrase or corruption."""
    try:
        record = json.loads(path.read_bytes())
        if record.get("format") != SECRET_FORMAT or record.get("kdf") != "scrypt":
            raise ValueError
        salt, nonce, box = (unb64(record[k]) for k in ("salt", "nonce", "ciphertext"))
        key = _stretch(passphrase, salt, int(record["n"]))
    except FileNotFoundError:
        raise KeyStoreError(f"key file {path.name} is missing") from None
    except (ValueError, KeyError, TypeError):
        raise KeyStoreError(f"key file {path.name} is corrupted") from None
    try:
        return ChaCha20Poly1305(key).decrypt(nonce, box, ad)
    except InvalidTag:
        raise WrongPassphrase(f"wrong passphrase, or key file {path.name} was altered") from None


def write_secret(path: Path, secret: bytes, passphrase: str, ad: bytes, *, scrypt_n: int = SCRYPT_N) -> None:
    """Seal ``secret`` under the passphrase into a 0600 file (bound to ``ad``)."""
    write_private(path, _seal_secret(secret, passphrase, ad, scrypt_n))


class KeyStore:
    """A key-store home. Reading the public listing needs no passphrase; using a secret does."""

    def __init__(self, home: Path, *, scrypt_n: int = SCRYPT_N) -> None:
        self.home = home
        self._scrypt_n = scrypt_n

    def __repr__(self) -> str:
        return f"KeyStore(home={str(self.home)!r})"

    # --- public facts ------------------------------------------------------------------------------

    @property
    def _index(self) -> Path:
        return self.home / "keystore.json"

    def listing(self) -> dict[str, Any]:
        """Everything public about the keys: ids, epochs, public keys, status. No secret."""
        try:
            data: dict[str, Any] = json.loads(self._index.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyStoreError(f"no key store at {self.home} (run init first)") from None
        except ValueError:
            raise KeyStoreError("keystore.json is corrupted") from None
        if data.get("format") != FORMAT:
            raise KeyStoreError("keystore.json has an unknown format")
        return data

    def _save(self, data: dict[str, Any]) -> None:
        write_private(self._index, json.dumps(data, indent=2).encode())

    def active_epoch(self) -> dict[str, Any]:
        for epoch in self.listing()["epochs"]:
            if epoch["status"] == "active":
                return dict(epoch)
        raise KeyStoreError("the key store has no active OPRF epoch")

    def epoch(self, name: str) -> dict[str, Any]:
        for epoch in self.listing()["epochs"]:
            if epoch["epoch"] == name:
                return dict(epoch)
        raise KeyStoreError(f"no OPRF epoch named {name!r}")

    def active_signing(self) -> dict[str, Any]:
        for key in self.listing()["signing"]:
            if key["status"] == "active":
                return dict(key)
        raise KeyStoreError("the key store has no active signing key")

    # --- creating and using secrets ----------------------------------------------------------------

    @classmethod
    def init(cls, home: Path, passphrase: str, *, now: dt.datetime, scrypt_n: int = SCRYPT_N) -> KeyStore:
        """Create a new key store with one signing key and a first OPRF epoch."""
        if len(passphrase) < MIN_PASSPHRASE:
            raise KeyStoreError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
        if (home / "keystore.json").exists():
            raise KeyStoreError(f"a key store already exists at {home}")
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        (home / "secrets").mkdir(mode=0o700, exist_ok=True)
        store = cls(home, scrypt_n=scrypt_n)
        store._save({"format": FORMAT, "signing": [], "epochs": [], "report": None})
        store._new_signing_key(passphrase, now)
        store._new_epoch(passphrase, now)
        store._new_report_key(passphrase, now)
        return store

    def _new_report_key(self, passphrase: str, now: dt.datetime) -> None:
        private = X25519PrivateKey.generate()
        public = report_public_bytes(private)
        ident = "x25519:" + hashlib.sha256(public).hexdigest()[:16]
        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        ad = f"report\x00{ident}".encode()
        write_secret(self._secret_path("report", ident), raw, passphrase, ad, scrypt_n=self._scrypt_n)
        data = self.listing()
        data["report"] = {"key_id": ident, "public_key": b64(public), "created": now.isoformat()}
        self._save(data)

    def report_key(self, passphrase: str) -> X25519PrivateKey:
        facts = self.listing().get("report")
        if not facts:
            raise KeyStoreError("the key store has no report key")
        path = self._secret_path("report", facts["key_id"])
        raw = read_secret(path, passphrase, f"report\x00{facts['key_id']}".encode())
        private = X25519PrivateKey.from_private_bytes(raw)
        if b64(report_public_bytes(private)) != facts["public_key"]:
            raise KeyStoreError(f"key file {path.name} does not match its listed public key")
        return private

    def _secret_path(self, kind: str, ident: str) -> Path:
        safe = ident.replace(":", "-")
        return self.home / "secrets" / f"{kind}-{safe}.key"

    def _new_signing_key(self, passphrase: str, now: dt.datetime) -> None:
        private = Ed25519PrivateKey.generate()
        public = public_bytes(private)
        ident = key_id(public)
        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        ad = f"signing\x00{ident}".encode()
        write_secret(self._secret_path("signing", ident), raw, passphrase, ad, scrypt_n=self._scrypt_n)
        data = self.listing()
        for key in data["signing"]:
            key["status"] = "retired"
        data["signing"].append(
            {"key_id": ident, "public_key": b64(public), "created": now.isoformat(), "status": "active"}
        )
        self._save(data)

    def _new_epoch(self, passphrase: str, now: dt.datetime) -> str:
        data = self.listing()
        taken = {epoch["epoch"] for epoch in data["epochs"]}
        name = f"epoch-{now:%Y-%m}"
        suffix = 2
        while name in taken:
            name, suffix = f"epoch-{now:%Y-%m}-{suffix}", suffix + 1
        seed = secrets.token_bytes(SEED_BYTES)
        info = name.encode()
        public = OprfKey(seed, info).public_key
        ad = f"oprf\x00{name}".encode()
        write_secret(self._secret_path("oprf", name), seed, passphrase, ad, scrypt_n=self._scrypt_n)
        data["epochs"].append(
            {
                "epoch": name,
                "info": name,
                "public_key": b64(public),
                "created": now.isoformat(),
                "status": "active",
                "retire_after": None,
            }
        )
        self._save(data)
        return name

    def oprf_key(self, passphrase: str, epoch: str | None = None) -> OprfKey:
        """The OPRF key of an epoch (default: the active one); retired epochs have none."""
        facts = self.epoch(epoch) if epoch else self.active_epoch()
        if facts["status"] == "retired":
            raise KeyStoreError(f"OPRF epoch {facts['epoch']!r} is retired")
        path = self._secret_path("oprf", facts["epoch"])
        seed = read_secret(path, passphrase, f"oprf\x00{facts['epoch']}".encode())
        key = OprfKey(seed, facts["info"].encode())
        if b64(key.public_key) != facts["public_key"]:
            raise KeyStoreError(f"key file {path.name} does not match its listed public key")
        return key

    def signing_key(self, passphrase: str) -> Ed25519PrivateKey:
        facts = self.active_signing()
        path = self._secret_path("signing", facts["key_id"])
        raw = read_secret(path, passphrase, f"signing\x00{facts['key_id']}".encode())
        private = Ed25519PrivateKey.from_private_bytes(raw)
        if b64(public_bytes(private)) != facts["public_key"]:
            raise KeyStoreError(f"key file {path.name} does not match its listed public key")
        return private

    def rotate(self, passphrase: str, *, now: dt.datetime, grace: dt.timedelta) -> str:
        """Start a new OPRF epoch; the previous active one retires after ``grace``."""
        self.oprf_key(passphrase)  # proves the passphrase before anything changes
        previous = self.active_epoch()["epoch"]
        name = self._new_epoch(passphrase, now)
        data = self.listing()
        for epoch in data["epochs"]:
            if epoch["epoch"] == previous:
                epoch["status"] = "retiring"
                epoch["retire_after"] = (now + grace).isoformat()
        self._save(data)
        return name

    def retire_expired(self, *, now: dt.datetime) -> list[str]:
        """Delete the seeds of retiring epochs whose grace period is over; return their names."""
        data = self.listing()
        retired = []
        for epoch in data["epochs"]:
            if epoch["status"] == "retiring" and dt.datetime.fromisoformat(epoch["retire_after"]) <= now:
                self._secret_path("oprf", epoch["epoch"]).unlink(missing_ok=True)
                epoch["status"] = "retired"
                retired.append(epoch["epoch"])
        self._save(data)
        return retired
