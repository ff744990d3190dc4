"""The bank node: subscriptions to authorities, package sync, screening, the review queue, reports.

A bank home holds (directory 0700, secrets 0600)::

    bank.json                 bank id, subscriptions (authority URL, pinned keys, API token)
    signing.key               the bank's Ed25519 report-signing key, sealed under the passphrase
    packages/<name>/v<N>/     installed packages; packages/<name>/current names the one in use
    tags.db                   the tag cache (OPRF outputs of the bank's own customers)
    bank.db                   the alert queue and the bank's own event log

Alerts move ``open`` -> ``confirmed`` -> ``reported``, or ``open`` -> ``dismissed``; an entry that a
new version drops closes its alerts as ``withdrawn`` and the alert keeps nothing of the entry. Only
a confirmed alert can be reported, and only to the authority that listed the entry. Dismissed
alerts never leave the bank.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import secrets
import shutil
import sqlite3
import tarfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from api.bank.private import PrivateScreener, Stats
from api.bank.tag_cache import TagCache
from api.packages import Package, PackageError, verify_package
from api.protocol import HitReport, details_ad, receipt_bytes, report_bytes
from keys import (
    SignatureError,
    b64,
    public_bytes,
    read_secret,
    seal_to,
    sign,
    unb64,
    verify,
    write_private,
    write_secret,
)
from matcher import Alert, Customer, Screener, parse_records

SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, subscription TEXT NOT NULL, list_version TEXT NOT NULL, entry_id TEXT NOT NULL,
    customer_id TEXT NOT NULL, customer TEXT, score REAL, band TEXT, matched_keys TEXT, explanation TEXT,
    status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, receipt TEXT,
    UNIQUE (subscription, entry_id, customer_id)
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"""


class BankError(Exception):
    """Something the bank node cannot do as asked; the message says why, never personal data."""


@dataclass
class Subscription:
    name: str
    url: str
    list_id: str
    signing_key: str
    report_key: str
    token: str

    def __repr__(self) -> str:
        return f"Subscription(name={self.name!r}, url={self.url!r}, token=<hidden>)"


class HttpTransport:
    """Blind evaluation at an authority over HTTP."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.elements = 0

    def evaluate(self, epoch: str, blinded: list[bytes]) -> bytes:
        response = self.client.post(
            f"/v1/epochs/{epoch}/evaluate", json={"elements": [b64(e) for e in blinded]}
        )
        if response.status_code == 429:
            raise BankError(f"evaluation quota spent; retry after {response.headers.get('Retry-After')} s")
        if response.status_code != 200:
            raise BankError(f"blind evaluation refused ({response.status_code})")
        self.elements += len(blinded)
        return unb64(response.json()["batch"])


@dataclass
class RescreenSummary:
    screened: int = 0
    evaluations: int = 0
    new_alerts: int = 0
    closed_alerts: int = 0
    seconds: float = 0.0
    by_subscription: dict[str, int] = field(default_factory=dict)


class BankNode:
    def __init__(
        self, home: Path, passphrase: str, *, clock: Callable[[], dt.datetime] | None = None
    ) -> None:
        self.home = home
        self._passphrase = passphrase
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        try:
            self.config: dict[str, Any] = json.loads((home / "bank.json").read_text())
        except FileNotFoundError:
            raise BankError(f"no bank home at {home} (run 'watchlist bank init')") from None
        self.db = sqlite3.connect(home / "bank.db", check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)
        self.cache = TagCache(home / "tags.db")
        self._clients: dict[str, httpx.Client] = {}
        self._packages: dict[str, Package] = {}
        self._private: dict[str, PrivateScreener] = {}
        self._matchers: dict[str, Screener] = {}

    def __repr__(self) -> str:
        return f"BankNode(bank_id={self.bank_id!r})"

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self.cache.close()
        self.db.close()

    # --- setup -------------------------------------------------------------------------------------

    @classmethod
    def init(cls, home: Path, bank_id: str, passphrase: str, *, scrypt_n: int | None = None) -> BankNode:
        if (home / "bank.json").exists():
            raise BankError(f"a bank home already exists at {home}")
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        extra = {"scrypt_n": scrypt_n} if scrypt_n else {}
        write_secret(home / "signing.key", raw, passphrase, b"bank-signing", **extra)
        config = {"bank_id": bank_id, "signing_public_key": b64(public_bytes(key)), "subscriptions": []}
        write_private(home / "bank.json", json.dumps(config, indent=2).encode())
        return cls(home, passphrase)

    @property
    def bank_id(self) -> str:
        return str(self.config["bank_id"])

    @property
    def signing_public_key(self) -> str:
        return str(self.config["signing_public_key"])

    def _save(self) -> None:
        write_private(self.home / "bank.json", json.dumps(self.config, indent=2).encode())

    def subscriptions(self) -> list[Subscription]:
        return [Subscription(**s) for s in self.config["subscriptions"]]

    def subscription(self, name: str) -> Subscription:
        for sub in self.subscriptions():
            if sub.name == name:
                return sub
        raise BankError(f"no subscription named {name!r}")

    def subscribe(self, sub: Subscription, *, register: bool = True) -> None:
        """Add an authority; with ``register``, send it the bank's report-signing public key."""
        if any(s.name == sub.name for s in self.subscriptions()):
            raise BankError(f"a subscription named {sub.name!r} exists")
        for pinned in (sub.signing_key, sub.report_key):
            if len(unb64(pinned)) != 32:
                raise BankError("pinned keys are 32-byte public keys, base64")
        self.config["subscriptions"].append(sub.__dict__)
        self._save()
        if register:
            response = self._client(sub).put(
                "/v1/me/signing-key", json={"public_key": self.signing_public_key}
            )
            if response.status_code != 200:
                raise BankError(f"the authority refused the signing key ({response.status_code})")
        self._event("subscribe", sub.name)

    def _client(self, sub: Subscription) -> httpx.Client:
        if sub.name not in self._clients:
            self._clients[sub.name] = httpx.Client(
                base_url=sub.url, headers={"Authorization": f"Bearer {sub.token}"}, timeout=60
            )
        return self._clients[sub.name]

    def _event(self, action: str, subject: str, detail: str = "") -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO events (at, action, subject, detail) VALUES (?, ?, ?, ?)",
                (self.clock().isoformat(), action, subject, detail),
            )

    # --- packages ----------------------------------------------------------------------------------

    def _folder(self, name: str) -> Path:
        return self.home / "packages" / name

    def package(self, name: str) -> Package | None:
        if name in self._packages:
            return self._packages[name]
        pointer = self._folder(name) / "current"
        if not pointer.exists():
            return None
        sub = self.subscription(name)
        path = self._folder(name) / pointer.read_text().strip()
        package = verify_package(path, signing_public_key=unb64(sub.signing_key))
        self._packages[name] = package
        return package

    def sync(self) -> dict[str, str]:
        """Download, verify and install the newest version of every subscription. A package that
        fails verification is not installed; the previous one stays in use and the reason is given."""
        outcome = {}
        for sub in self.subscriptions():
            installed = self.package(sub.name)
            client = self._client(sub)
            try:
                versions = client.get("/v1/versions").raise_for_status().json()
            except httpx.HTTPError:
                outcome[sub.name] = "authority unreachable; keeping the installed package"
                continue
            newest = max((v["version"] for v in versions), default=0)
            if installed is not None and newest <= installed.version:
                outcome[sub.name] = f"up to date at version {installed.version}"
                continue
            if newest == 0:
                outcome[sub.name] = "nothing published yet"
                continue
            outcome[sub.name] = self._install(
                sub, newest, client.get(f"/v1/versions/{newest}/package").content
            )
        return outcome

    def install_archive(self, name: str, version: int, archive: bytes) -> str:
        """Install a package archive obtained some other way (the same checks as ``sync``)."""
        return self._install(self.subscription(name), version, archive)

    def _install(self, sub: Subscription, version: int, archive: bytes) -> str:
        folder = self._folder(sub.name)
        staging = folder / f".staging-v{version}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(staging, filter="data")
            package = verify_package(
                staging, signing_public_key=unb64(sub.signing_key), installed=self.package(sub.name)
            )
        except (PackageError, tarfile.TarError) as error:
            shutil.rmtree(staging, ignore_errors=True)
            self._event("package.refused", sub.name, str(error))
            installed = self.package(sub.name)
            keeping = f"version {installed.version}" if installed else "no package"
            return f"refused version {version} ({error}); keeping {keeping}"
        final = folder / f"v{version}"
        shutil.rmtree(final, ignore_errors=True)
        staging.rename(final)
        write_private(folder / "current", f"v{version}".encode())
        package.path = final
        self._packages[sub.name] = package
        self._event("package.install", sub.name, f"version {version}")
        closed = self._close_withdrawn(sub.name)
        return f"installed version {version}" + (f"; {closed} alert(s) withdrawn" if closed else "")

    # --- screening ---------------------------------------------------------------------------------

    def _screener(self, sub: Subscription, package: Package) -> PrivateScreener:
        """One private screener per installed package, built once: normalizer tables and the cache's
        map of seen customers are loaded at construction."""
        cached = self._private.get(sub.name)
        if cached is None or cached.package is not package:
            scheme = package.scheme
            matcher = self._matchers.get(scheme.model_dump_json()) or Screener(scheme)
            self._matchers[scheme.model_dump_json()] = matcher
            cached = PrivateScreener(package, HttpTransport(self._client(sub)), self.cache, matcher)
            self._private[sub.name] = cached
        cached.stats = Stats()
        return cached

    def _screeners(self) -> list[tuple[str, PrivateScreener]]:
        found = []
        for sub in self.subscriptions():
            package = self.package(sub.name)
            if package is not None:
                found.append((sub.name, self._screener(sub, package)))
        if not found:
            raise BankError("no package installed (run 'watchlist bank sync')")
        return found

    def screen(
        self, customers: Sequence[Customer], progress: Callable[[int], None] | None = None
    ) -> tuple[list[dict[str, Any]], RescreenSummary]:
        """Screen against every installed package; new alerts join the queue. Returns the alerts of
        this run (new or already queued) and what it cost; ``progress`` hears of every customer done."""
        summary = RescreenSummary()
        started = time.perf_counter()
        by_id = {c.id: c for c in customers}
        shown: list[dict[str, Any]] = []
        for name, screener in self._screeners():
            for result in screener.screen(customers):
                if progress is not None:
                    progress(1)
                for alert in result.alerts:
                    created, row = self._queue(name, alert, by_id[alert.customer_id])
                    summary.new_alerts += created
                    shown.append(row)
            summary.evaluations += screener.stats.evaluations
            summary.by_subscription[name] = screener.stats.evaluations
        summary.screened = len(customers)
        summary.seconds = time.perf_counter() - started
        return shown, summary

    def rescreen(
        self, customers: Sequence[Customer], progress: Callable[[int], None] | None = None
    ) -> RescreenSummary:
        """The whole customer base: new alerts queued, alerts of customers no longer hit closed."""
        alerts, summary = self.screen(customers, progress)
        current = {(a["subscription"], a["entry_id"], a["customer_id"]) for a in alerts}
        ids = {c.id for c in customers}
        for row in self.alerts("open"):
            key = (row["subscription"], row["entry_id"], row["customer_id"])
            if row["customer_id"] in ids and key not in current:
                self._close(row["id"], "withdrawn")
                summary.closed_alerts += 1
        self._event("rescreen", f"{summary.screened} customers", f"{summary.new_alerts} new")
        return summary

    def _queue(self, subscription: str, alert: Alert, customer: Customer) -> tuple[bool, dict[str, Any]]:
        now = self.clock().isoformat()
        with self.db:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO alerts (id, subscription, list_version, entry_id, customer_id, "
                "customer, "
                "score, band, matched_keys, explanation, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                (
                    secrets.token_hex(8),
                    subscription,
                    alert.list_version,
                    alert.entry_id,
                    alert.customer_id,
                    customer.model_dump_json(),
                    alert.score,
                    alert.band,
                    json.dumps(list(alert.matched_keys)),
                    json.dumps(list(alert.explanation)),
                    now,
                    now,
                ),
            )
        created = cursor.rowcount == 1
        if created:
            self._event("alert.open", subscription, alert.entry_id)
        row = self.db.execute(
            "SELECT * FROM alerts WHERE subscription = ? AND entry_id = ? AND customer_id = ?",
            (subscription, alert.entry_id, alert.customer_id),
        ).fetchone()
        return created, self._row(row)

    def _close_withdrawn(self, name: str) -> int:
        """Open or confirmed alerts whose entry the installed version no longer lists close as withdrawn."""
        rows = [
            r for r in self.alerts() if r["subscription"] == name and r["status"] in ("open", "confirmed")
        ]
        if not rows:
            return 0
        package = self.package(name)
        assert package is not None
        screener = self._screener(self.subscription(name), package)
        customers = {r["customer_id"]: Customer.model_validate_json(self._customer(r["id"])) for r in rows}
        still = {
            (alert.entry_id, alert.customer_id)
            for result in screener.screen(list(customers.values()))
            for alert in result.alerts
        }
        closed = 0
        for row in rows:
            if (row["entry_id"], row["customer_id"]) not in still:
                self._close(row["id"], "withdrawn")
                closed += 1
        return closed

    def _customer(self, alert_id: str) -> str:
        row = self.db.execute("SELECT customer FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if row is None or row[0] is None:
            raise BankError("no such alert, or its customer details are gone")
        return str(row[0])

    def _close(self, alert_id: str, status: str) -> None:
        """Withdrawn or dismissed: keep the alert's state for the trail, nothing of the entry."""
        now = self.clock().isoformat()
        with self.db:
            self.db.execute(
                "UPDATE alerts SET status = ?, updated_at = ?, score = NULL, band = NULL, "
                "matched_keys = NULL, "
                "explanation = NULL, customer = NULL WHERE id = ?",
                (status, now, alert_id),
            )
        self._event(f"alert.{status}", alert_id)

    # --- the review queue --------------------------------------------------------------------------

    @staticmethod
    def _row(row: sqlite3.Row) -> dict[str, Any]:
        record = dict(zip(row.keys(), row, strict=True))
        record.pop("customer")
        for key in ("matched_keys", "explanation", "receipt"):
            record[key] = json.loads(record[key]) if record[key] else None
        return record

    def alerts(self, status: str | None = None) -> list[dict[str, Any]]:
        query = "SELECT * FROM alerts" + (" WHERE status = ?" if status else "") + " ORDER BY created_at, id"
        return [self._row(row) for row in self.db.execute(query, (status,) if status else ())]

    def alert(self, alert_id: str) -> dict[str, Any]:
        row = self.db.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        if row is None:
            raise BankError("no such alert")
        return self._row(row)

    def confirm(self, alert_id: str) -> dict[str, Any]:
        alert = self.alert(alert_id)
        if alert["status"] != "open":
            raise BankError(f"only an open alert can be confirmed (this one is {alert['status']})")
        with self.db:
            self.db.execute(
                "UPDATE alerts SET status = 'confirmed', updated_at = ? WHERE id = ?",
                (self.clock().isoformat(), alert_id),
            )
        self._event("alert.confirm", alert_id)
        return self.alert(alert_id)

    def dismiss(self, alert_id: str) -> dict[str, Any]:
        alert = self.alert(alert_id)
        if alert["status"] != "open":
            raise BankError(f"only an open alert can be dismissed (this one is {alert['status']})")
        self._close(alert_id, "dismissed")
        return self.alert(alert_id)

    def report(self, alert_id: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a confirmed alert, signed, to the authority that listed the entry; store its receipt."""
        alert = self.alert(alert_id)
        if alert["status"] != "confirmed":
            raise BankError(f"only a confirmed alert can be reported (this one is {alert['status']})")
        sub = self.subscription(alert["subscription"])
        customer = Customer.model_validate_json(self._customer(alert_id))
        payload = details or {"customer": json.loads(customer.model_dump_json())}
        sealed = seal_to(
            unb64(sub.report_key),
            json.dumps(payload).encode(),
            details_ad(alert["list_version"], alert["entry_id"]),
        )
        report = HitReport(
            entry_id=alert["entry_id"],
            list_version=alert["list_version"],
            score=alert["score"],
            matched_keys=alert["matched_keys"],
            customer_reference=customer.id,
            details=b64(sealed),
            nonce=secrets.token_hex(16),
            timestamp=self.clock(),
        )
        key = Ed25519PrivateKey.from_private_bytes(
            read_secret(self.home / "signing.key", self._passphrase, b"bank-signing")
        )
        body = {"report": report.model_dump(mode="json"), "signature": b64(sign(key, report_bytes(report)))}
        response = self._client(sub).post("/v1/hits", json=body)
        if response.status_code != 201:
            raise BankError(
                f"the authority refused the report ({response.status_code}): {response.json().get('detail')}"
            )
        answer = response.json()
        try:
            verify(unb64(sub.signing_key), unb64(answer["signature"]), receipt_bytes(answer["receipt"]))
        except (SignatureError, ValueError, KeyError):
            raise BankError("the receipt's signature does not verify against the pinned key") from None
        with self.db:
            self.db.execute(
                "UPDATE alerts SET status = 'reported', updated_at = ?, receipt = ? WHERE id = ?",
                (self.clock().isoformat(), json.dumps(answer), alert_id),
            )
        self._event("alert.report", alert_id, answer["receipt"]["hit_id"])
        return self.alert(alert_id)


def read_customers(path: Path) -> list[Customer]:
    """Customers from a CSV or JSONL export (by suffix); a bad file raises ``RecordFileError``."""
    fmt: Literal["jsonl", "csv"] = "csv" if path.suffix.casefold() == ".csv" else "jsonl"
    with path.open(encoding="utf-8", newline="") as handle:
        records, _ = parse_records(handle, Customer, fmt=fmt)
    return records


def read_customer_table(url: str, table: str) -> list[Customer]:
    """Customers from a database table with the CSV columns (``id``, ``names``, ``birth_date``, ...),
    validated exactly as a CSV export is: problems name the row (line = row number + 1) and field."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?", table):
        raise BankError("table: not a plain table name")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            result = connection.execute(text(f"SELECT * FROM {table}"))  # name checked above
            columns = list(result.keys())
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=columns)
            writer.writeheader()
            for row in result:
                writer.writerow({c: "" if v is None else str(v) for c, v in zip(columns, row, strict=True)})
    except SQLAlchemyError:
        raise BankError("cannot read the customer table (check the URL and the table name)") from None
    finally:
        engine.dispose()
    records, _ = parse_records(buffer.getvalue().splitlines(), Customer, fmt="csv")
    return records
