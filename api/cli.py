"""The ``watchlist`` command line: a thin layer over the library (``matcher``, later ``keys``)."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import IO, Annotated, Literal, TextIO

import typer

from matcher import Customer, ListEntry, RecordFileError, Screener, parse_records
from matcher.records import R

app = typer.Typer(help="Privacy-preserving watch-list matching.", no_args_is_help=True, add_completion=False)

SAMPLES = "api.samples"


@app.callback()
def main() -> None:
    """Privacy-preserving watch-list matching."""


def _sub_apps() -> tuple[typer.Typer, typer.Typer]:
    from api.authority.cli import app as authority
    from api.bank.cli import app as bank

    return authority, bank


_authority_app, _bank_app = _sub_apps()
app.add_typer(_authority_app, name="authority")
app.add_typer(_bank_app, name="bank")


@app.command()
def demo(
    workdir: Annotated[
        Path | None, typer.Option(help="keep the homes here (default: a temporary folder, then removed)")
    ] = None,
) -> None:
    """The whole story on the embedded default, over real HTTP on loopback, in under a minute."""
    from api.demo import run_demo

    run_demo(workdir, say=typer.echo)


def _format(path: Path) -> Literal["jsonl", "csv"]:
    return "csv" if path.suffix.casefold() == ".csv" else "jsonl"


@contextmanager
def _open_input(path: Path | None, sample: str) -> Iterator[tuple[IO[str], Literal["jsonl", "csv"], str]]:
    if path is None:
        with resources.files(SAMPLES).joinpath(sample).open("r", encoding="utf-8") as handle:
            yield handle, "jsonl", f"bundled sample {sample}"
        return
    try:
        handle = path.open("r", encoding="utf-8", newline="")
    except OSError as error:
        raise typer.BadParameter(f"cannot read {path}: {error.strerror}") from None
    with handle:
        yield handle, _format(path), str(path)


def _read(path: Path | None, sample: str, model: type[R], skip_bad: bool, what: str) -> list[R]:
    with _open_input(path, sample) as (handle, fmt, label):
        try:
            records, problems = parse_records(handle, model, fmt=fmt, skip_bad=skip_bad)
        except RecordFileError as error:
            typer.echo(f"{what} ({label}): {error}", err=True)
            raise typer.Exit(2) from None
        except UnicodeDecodeError:
            typer.echo(f"{what} ({label}): not UTF-8 text; nothing was read", err=True)
            raise typer.Exit(2) from None
    for problem in problems:
        typer.echo(f"{what} ({label}): skipped {problem}", err=True)
    return records


@app.command()
def screen(
    entries: Annotated[
        Path | None, typer.Option(help="list entries, JSONL or CSV (default: the bundled sample list)")
    ] = None,
    customers: Annotated[
        Path | None, typer.Option(help="customers, JSONL or CSV (default: the bundled sample customers)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="where to write alerts as JSONL (default: standard output)")
    ] = None,
    list_version: Annotated[str, typer.Option(help="list version named in the alerts")] = "local",
    skip_bad_lines: Annotated[
        bool, typer.Option(help="screen the good lines of a file with bad lines")
    ] = False,
) -> None:
    """Screen customers against list entries in plain (no cryptography).

    The same path as private screening: keys -> candidate entries -> score -> alerts.
    """
    started = time.perf_counter()
    listed = _read(entries, "entries.jsonl", ListEntry, skip_bad_lines, "entries")
    people = _read(customers, "customers.jsonl", Customer, skip_bad_lines, "customers")
    screener = Screener()
    index = screener.index(listed, list_version)
    alerts = candidates = keys = 0
    with _output(out) as handle:
        for result in screener.screen(people, index):
            keys += result.keys
            candidates += result.candidates
            for alert in result.alerts:
                handle.write(json.dumps(alert.to_json(), ensure_ascii=False) + "\n")
                alerts += 1
    elapsed = time.perf_counter() - started
    typer.echo(
        f"screened {len(people)} customers against {len(listed)} entries in {elapsed:.2f}s: "
        f"{keys} keys, {candidates} candidates, {alerts} alerts",
        err=True,
    )


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or a file written whole or not at all (a temporary file renamed at the end)."""
    if path is None:
        yield sys.stdout
        return
    partial = path.with_name(f".{path.name}.partial")
    try:
        handle = partial.open("w", encoding="utf-8")
    except OSError as error:
        raise typer.BadParameter(f"cannot write {path}: {error.strerror}") from None
    try:
        with handle:
            yield handle
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


if __name__ == "__main__":  # pragma: no cover
    app()
