"""``watchlist bank ...``: a bank's subscriptions, sync, screening and review queue."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from api.bank.node import BankError, BankNode, Subscription, read_customer_table, read_customers
from keys import KeyStoreError, read_passphrase
from matcher import RecordFileError

app = typer.Typer(help="The bank node: subscriptions, sync, screening, review queue.", no_args_is_help=True)
HomeOption = Annotated[Path, typer.Option(envvar="WATCHLIST_BANK_HOME", help="bank home directory")]


@contextmanager
def _node(home: Path) -> Iterator[BankNode]:
    try:
        node = BankNode(home, read_passphrase())
    except (BankError, KeyStoreError) as error:
        typer.echo(f"bank: {error}", err=True)
        raise typer.Exit(2) from None
    try:
        yield node
    finally:
        node.close()


def _fail(error: Exception) -> None:
    typer.echo(f"bank: {error}", err=True)
    raise typer.Exit(2)


@app.command()
def init(
    home: HomeOption, bank_id: Annotated[str, typer.Option(help="this bank's id at its authorities")]
) -> None:
    """Create a bank home and its report-signing key pair."""
    try:
        node = BankNode.init(home, bank_id, read_passphrase())
    except (BankError, KeyStoreError) as error:
        _fail(error)
    typer.echo(f"bank home ready at {home}; report-signing public key {node.signing_public_key}")


@app.command()
def subscribe(
    home: HomeOption,
    name: Annotated[str, typer.Option(help="a short name for this authority's list")],
    url: Annotated[str, typer.Option(help="the authority's base URL")],
    list_id: Annotated[str, typer.Option(help="the list id the authority publishes")],
    signing_key: Annotated[
        str, typer.Option(help="the authority's package-signing public key (base64), pinned")
    ],
    report_key: Annotated[str, typer.Option(help="the authority's report public key (base64), pinned")],
    token: Annotated[str, typer.Option(envvar="WATCHLIST_AUTHORITY_TOKEN", help="API token (better: env)")],
) -> None:
    """Subscribe to an authority's list and register this bank's report-signing key there."""
    with _node(home) as node:
        try:
            node.subscribe(Subscription(name, url, list_id, signing_key, report_key, token))
        except BankError as error:
            _fail(error)
    typer.echo(f"subscribed to {name} at {url}")


@app.command()
def sync(home: HomeOption) -> None:
    """Download, verify and install the newest package of every subscription."""
    with _node(home) as node:
        for name, outcome in node.sync().items():
            typer.echo(f"{name}: {outcome}")


@contextmanager
def _progress(total: int, what: str) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on standard error (one step per customer and subscription)."""
    with Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done: bar.advance(task, done)


def _load(path: Path) -> list:  # type: ignore[type-arg]
    try:
        return read_customers(path)
    except RecordFileError as error:
        _fail(error)
    except OSError as error:
        _fail(BankError(f"cannot read {path}: {error.strerror}"))
    return []


@app.command()
def screen(
    home: HomeOption,
    customers: Annotated[Path, typer.Argument(help="customers, CSV or JSONL")],
    out: Annotated[
        Path | None, typer.Option(help="alerts file, .csv or .jsonl (default: standard output)")
    ] = None,
) -> None:
    """Screen a file of customers; alerts join the review queue and are written out."""
    with _node(home) as node:
        people = _load(customers)
        try:
            with _progress(len(people) * len(node.subscriptions()), "screening") as advance:
                alerts, summary = node.screen(people, advance)
        except BankError as error:
            _fail(error)
    fields = ["id", "subscription", "list_version", "entry_id", "customer_id", "score", "band", "status"]
    handle = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if out is not None and out.suffix.casefold() == ".csv":
            writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(alerts)
        else:
            for alert in alerts:
                handle.write(json.dumps(alert) + "\n")
    finally:
        if out is not None:
            handle.close()
    typer.echo(
        f"screened {summary.screened}: {len(alerts)} alert(s), {summary.evaluations} evaluations", err=True
    )


@app.command()
def rescreen(
    home: HomeOption,
    customers: Annotated[Path | None, typer.Argument(help="the whole customer base, CSV or JSONL")] = None,
    database_url: Annotated[
        str | None, typer.Option(help="or read it from a database (SQLAlchemy URL)")
    ] = None,
    table: Annotated[str | None, typer.Option(help="the table with the customers (CSV column names)")] = None,
) -> None:
    """Rescreen the whole customer base against the installed packages, through the tag cache."""
    if (customers is None) == (database_url is None) or (database_url is None) != (table is None):
        _fail(BankError("give a file, or --database-url with --table"))
    with _node(home) as node:
        if customers is not None:
            people = _load(customers)
        else:
            try:
                people = read_customer_table(str(database_url), str(table))
            except (BankError, RecordFileError) as error:
                _fail(error)
        try:
            with _progress(len(people) * len(node.subscriptions()), "rescreening") as advance:
                summary = node.rescreen(people, advance)
        except BankError as error:
            _fail(error)
    typer.echo(
        f"screened {summary.screened}, evaluations spent {summary.evaluations}, "
        f"new alerts {summary.new_alerts}, "
        f"closed alerts {summary.closed_alerts}, {summary.seconds:.1f}s"
    )


@app.command()
def alerts(
    home: HomeOption, status: Annotated[str | None, typer.Option(help="open, confirmed, ...")] = None
) -> None:
    """List the review queue."""
    with _node(home) as node:
        for alert in node.alerts(status):
            typer.echo(json.dumps(alert))


def _act(home: Path, alert_id: str, action: str) -> None:
    with _node(home) as node:
        try:
            alert = getattr(node, action)(alert_id)
        except BankError as error:
            _fail(error)
        typer.echo(json.dumps(alert))


@app.command()
def confirm(home: HomeOption, alert_id: str) -> None:
    """Confirm an open alert (it can then be reported)."""
    _act(home, alert_id, "confirm")


@app.command()
def dismiss(home: HomeOption, alert_id: str) -> None:
    """Dismiss an open alert; it never leaves the bank."""
    _act(home, alert_id, "dismiss")


@app.command()
def report(home: HomeOption, alert_id: str) -> None:
    """Report a confirmed alert to the authority that listed the entry; the receipt is stored."""
    _act(home, alert_id, "report")


@app.command()
def serve(
    home: HomeOption,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8100,
) -> None:
    """Run the bank node service (onboarding screening, alert queue, sync status)."""
    import os

    import uvicorn

    from api.bank.service import create_bank_app

    token = os.environ.get("WATCHLIST_BANK_NODE_TOKEN", "")
    with _node(home) as node:
        try:
            app_ = create_bank_app(node, token)
        except ValueError as error:
            _fail(error)
        uvicorn.run(app_, host=host, port=port)
