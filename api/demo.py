"""``watchlist demo``: the whole story over real HTTP on loopback, on the embedded default.

One authority (SQLite, a temporary home, the bundled synthetic list of 300 entries) and two banks of
2,000 customers each, some of them listed people written in other spellings and scripts. The
authority publishes; the banks sync, screen at onboarding and rescreen; version 2 lists one more
customer and withdraws one entry; an analyst confirms one alert and dismisses another; the hit is
reported; a tampered package is refused; the audit log verifies. Every party's view is printed.
"""

from __future__ import annotations

import datetime as dt
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlmodel import Session, col, select

from api.authority import audit, create_app
from api.authority.auth import new_token
from api.authority.db import make_engine
from api.authority.migrate import upgrade
from api.authority.models import AuditEvent, Checkpoint, Hit, Institution
from api.authority.settings import Settings
from api.bank.node import BankNode, Subscription
from keys import KeyStore, unb64
from matcher import Customer, parse_records


@dataclass
class DemoReport:
    """What each party saw, for printing and for the end-to-end test."""

    onboarding_alert: dict[str, Any] | None = None
    first_alerts: dict[str, int] = field(default_factory=dict)
    rescreen_evaluations: int = -1
    newly_listed_found: bool = False
    withdrawn_closed: int = 0
    tamper_outcome: str = ""
    installed_after_tamper: int = 0
    reported_hit_ids: list[str] = field(default_factory=list)
    dismissed_entry_id: str = ""
    authority_hits: list[dict[str, Any]] = field(default_factory=list)
    authority_audit_actions: list[str] = field(default_factory=list)
    authority_audit_text: str = ""
    evaluations_by_bank: dict[str, int] = field(default_factory=dict)
    audit_events_verified: int = 0
    seconds: float = 0.0


def _sample(name: str, model: type[Customer]) -> list[Customer]:
    text = resources.files("api.samples").joinpath(name).read_text(encoding="utf-8")
    return parse_records(text.splitlines(), model)[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Server(threading.Thread):
    def __init__(self, app: Any, port: int) -> None:
        super().__init__(daemon=True)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))

    def run(self) -> None:
        self.server.run()

    def __enter__(self) -> _Server:
        self.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.join(timeout=10)


@dataclass
class RunningAuthority:
    url: str
    tokens: dict[str, str]
    listing: dict[str, Any]
    settings: Settings

    def subscription(self, bank_id: str, name: str = "polri") -> Subscription:
        return Subscription(
            name=name,
            url=self.url,
            list_id=self.settings.list_id,
            signing_key=self.listing["signing"][0]["public_key"],
            report_key=self.listing["report"]["public_key"],
            token=self.tokens[bank_id],
        )


@contextmanager
def running_authority(home: Path, passphrase: str, list_id: str = "polri-cse") -> Iterator[RunningAuthority]:
    """An authority with institutions polri, bank-a and bank-b, served by uvicorn on loopback."""
    now = dt.datetime.now(dt.UTC)
    KeyStore.init(home / "keystore", passphrase, now=now, scrypt_n=2**14)
    settings = Settings(home=home, passphrase=passphrase, list_id=list_id, authority_id="polri")  # type: ignore[arg-type]
    upgrade(settings.url)
    engine = make_engine(settings.url)
    tokens: dict[str, str] = {}
    with Session(engine) as session:
        for ident, kind in (("polri", "authority"), ("bank-a", "bank"), ("bank-b", "bank")):
            session.add(Institution(id=ident, name=ident, kind=kind, quota=100_000))
        for role, ident in (
            ("authority-admin", "polri"),
            ("authority-analyst", "polri"),
            ("bank-a", "bank-a"),
            ("bank-b", "bank-b"),
        ):
            _, tokens[role] = new_token(
                session, ident, "bank" if ident.startswith("bank") else role, now=now, days=1
            )
        session.commit()
    engine.dispose()
    port = _free_port()
    with _Server(create_app(settings), port):
        yield RunningAuthority(
            f"http://127.0.0.1:{port}", tokens, KeyStore(home / "keystore").listing(), settings
        )


def run_demo(workdir: Path | None = None, say: Callable[[str], None] = print) -> DemoReport:
    """Run the story in ``workdir`` and keep the homes there, or in a temporary folder removed at the end."""
    if workdir is not None:
        return _run_demo(workdir, say, kept=True)
    with tempfile.TemporaryDirectory(prefix="watchlist-demo-") as folder:
        return _run_demo(Path(folder), say, kept=False)


def _run_demo(base: Path, say: Callable[[str], None], *, kept: bool) -> DemoReport:
    started = time.perf_counter()
    report = DemoReport()
    passphrase = secrets.token_urlsafe(24)
    with running_authority(base / "authority", passphrase) as authority:
        _story(authority, base, passphrase, report, say)
    engine = make_engine(authority.settings.url)
    listing = authority.listing
    with Session(engine) as session:
        events = list(session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))))
        checkpoints = list(session.exec(select(Checkpoint)))
        report.authority_audit_actions = [e.action for e in events]
        report.authority_audit_text = "\n".join(f"{e.action} {e.subject} {e.detail}" for e in events)
        for event in events:
            if event.action == "oprf.evaluate":
                bank = event.actor.split("/")[0]
                report.evaluations_by_bank[bank] = report.evaluations_by_bank.get(bank, 0) + int(event.detail)
        assert not list(session.exec(select(Hit).where(Hit.entry_id == report.dismissed_entry_id)))
    engine.dispose()
    report.audit_events_verified = audit.verify_chain(
        events, checkpoints, unb64(listing["signing"][0]["public_key"])
    )
    say(
        f"authority saw: blind evaluations per bank {report.evaluations_by_bank} (blinded: no names), "
        f"{len(report.authority_hits)} confirmed hit(s), nothing about dismissed or unmatched customers"
    )
    say(
        f"auditor: audit log verified offline, {report.audit_events_verified} events, "
        "chain and signed checkpoint intact"
    )
    report.seconds = time.perf_counter() - started
    where = f"homes kept in {base}" if kept else "temporary homes removed (--workdir DIR keeps them)"
    say(f"demo finished in {report.seconds:.1f}s; {where}")
    return report


def _story(
    authority: RunningAuthority, base: Path, passphrase: str, report: DemoReport, say: Callable[[str], None]
) -> None:
    url, tokens = authority.url, authority.tokens
    with httpx.Client(base_url=url, timeout=60) as http:
        admin = {"Authorization": f"Bearer {tokens['authority-admin']}"}
        analyst = {"Authorization": f"Bearer {tokens['authority-analyst']}"}
        say(f"== authority 'polri' serving on {url}")
        entries = resources.files("api.samples").joinpath("demo_entries.jsonl").read_text(encoding="utf-8")
        response = http.post(
            "/v1/entries/import",
            params={"reason": "initial list"},
            content=entries,
            headers={**admin, "Content-Type": "text/plain"},
        )
        response.raise_for_status()
        say(f"authority: imported {response.json()['imported']} entries")
        version = http.post("/v1/versions", json={"reason": "first publication"}, headers=admin).json()
        say(f"authority: published version {version['version']} (epoch {version['epoch']})")

        banks: dict[str, BankNode] = {}
        customers = {
            "bank-a": _sample("demo_bank_a.jsonl", Customer),
            "bank-b": _sample("demo_bank_b.jsonl", Customer),
        }
        for bank_id in ("bank-a", "bank-b"):
            node = BankNode.init(base / bank_id, bank_id, passphrase, scrypt_n=2**14)
            node.subscribe(authority.subscription(bank_id))
            say(f"{bank_id}: subscribed to polri, pinned its signing key; sync: {node.sync()['polri']}")
            banks[bank_id] = node

        bank_a, bank_b = banks["bank-a"], banks["bank-b"]
        newcomer = next(c for c in customers["bank-a"] if c.id == "A-00001")
        alerts, _ = bank_a.screen([newcomer])
        report.onboarding_alert = alerts[0] if alerts else None
        if alerts:
            a = alerts[0]
            say(
                f"bank-a onboarding {newcomer.id}: ALERT on {a['entry_id']} "
                f"score {a['score']} ({a['band']}), "
                f"keys {a['matched_keys']}"
            )
        for bank_id, node in banks.items():
            summary = node.rescreen(customers[bank_id])
            report.first_alerts[bank_id] = len(node.alerts("open"))
            say(
                f"{bank_id}: screened {summary.screened} customers, {summary.evaluations} blind evaluations, "
                f"{summary.new_alerts} new alerts, {summary.seconds:.1f}s"
            )

        new_entries = (
            resources.files("api.samples").joinpath("demo_entries_v2.jsonl").read_text(encoding="utf-8")
        )
        http.post(
            "/v1/entries/import",
            params={"reason": "new court order"},
            content=new_entries,
            headers={**admin, "Content-Type": "text/plain"},
        ).raise_for_status()
        http.delete("/v1/entries/E-0003", params={"reason": "acquitted"}, headers=admin).raise_for_status()
        version = http.post("/v1/versions", json={"reason": "second publication"}, headers=admin).json()
        say(
            "authority: listed 1 more person, withdrew E-0003 (acquitted), "
            f"published version {version['version']}"
        )
        for bank_id, node in banks.items():
            outcome = node.sync()["polri"]
            say(f"{bank_id}: sync: {outcome}")
            if bank_id == "bank-a":
                report.withdrawn_closed = len(node.alerts("withdrawn"))
        summary = bank_a.rescreen(customers["bank-a"])
        report.rescreen_evaluations = summary.evaluations
        report.newly_listed_found = any(a["entry_id"] == "E-0401" for a in bank_a.alerts("open"))
        say(
            f"bank-a: rescreen after version 2: {summary.new_alerts} new alert(s), "
            f"{summary.evaluations} blind "
            f"evaluations (unchanged customers need none), {summary.seconds:.2f}s"
        )

        package = http.get(
            "/v1/versions/2/package", headers={"Authorization": f"Bearer {tokens['bank-b']}"}
        ).content
        tampered = bytearray(package)
        tampered[len(tampered) // 3] ^= 0x01
        report.tamper_outcome = bank_b.install_archive("polri", 3, bytes(tampered))
        installed = bank_b.package("polri")
        report.installed_after_tamper = installed.version if installed else 0
        say(f"bank-b: a tampered package: {report.tamper_outcome}")

        open_alerts = bank_a.alerts("open")
        confirmed = next(a for a in open_alerts if a["customer_id"] == newcomer.id)
        dismissed = min((a for a in open_alerts if a["id"] != confirmed["id"]), key=lambda a: a["score"])
        bank_a.confirm(confirmed["id"])
        bank_a.dismiss(dismissed["id"])
        report.dismissed_entry_id = dismissed["entry_id"]
        reported = bank_a.report(confirmed["id"])
        report.reported_hit_ids.append(reported["receipt"]["receipt"]["hit_id"])
        say(
            f"bank-a analyst: confirmed the alert on {confirmed['entry_id']}, dismissed the weakest one "
            f"({dismissed['entry_id']}, score {dismissed['score']}); reported the confirmed hit, "
            f"receipt {reported['receipt']['receipt']['hit_id']} "
            "signature verified"
        )

        hits = http.get("/v1/hits", headers=analyst).json()
        report.authority_hits = hits
        details = http.get(f"/v1/hits/{hits[0]['id']}", headers=analyst).json()["customer_details"]
        say(
            f"authority analyst: {len(hits)} hit(s) received: entry {hits[0]['entry_id']} "
            f"from {hits[0]['institution_id']}, customer reference {hits[0]['customer_reference']}; "
            f"details opened: {sorted(details['customer'])}"
        )
        http.post("/v1/audit/checkpoints", headers=admin).raise_for_status()
        for node in banks.values():
            node.close()


def main() -> None:
    run_demo()
