"""The ``watchlist screen`` command: files in, alerts out, bad input refused whole."""

import json
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app

RUNNER = CliRunner()

ENTRY = {"id": "E-1", "names": ["Budi Santoso"], "birth_date": "1984-07-15", "status": "convicted"}
CUSTOMER = {"id": "C-1", "names": ["Boedi Santosa"], "birth_date": "1984-07-15"}


def write(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_screen_writes_alerts_as_jsonl(tmp_path: Path) -> None:
    entries = write(tmp_path / "entries.jsonl", ENTRY)
    customers = tmp_path / "customers.csv"
    customers.write_text("id,names,birth_date\nC-1,Boedi Santosa,1984-07-15\nC-2,Siti Rahma,1990-01-01\n")
    out = tmp_path / "alerts.jsonl"
    result = RUNNER.invoke(
        app,
        [
            "screen",
            "--entries",
            str(entries),
            "--customers",
            str(customers),
            "--out",
            str(out),
            "--list-version",
            "7",
        ],
    )
    assert result.exit_code == 0, result.output
    (alert,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert (alert["customer_id"], alert["entry_id"], alert["list_version"]) == ("C-1", "E-1", "7")


def test_screen_runs_on_the_bundled_samples() -> None:
    result = RUNNER.invoke(app, ["screen"])
    assert result.exit_code == 0
    assert len([line for line in result.stdout.splitlines() if line.startswith("{")]) == 15


def test_a_bad_file_is_refused_whole_and_no_output_is_left(tmp_path: Path) -> None:
    entries = write(tmp_path / "entries.jsonl", ENTRY, {**ENTRY, "id": "E-2", "birth_date": "1984-02-30"})
    customers = write(tmp_path / "customers.jsonl", CUSTOMER)
    out = tmp_path / "alerts.jsonl"
    result = RUNNER.invoke(
        app, ["screen", "--entries", str(entries), "--customers", str(customers), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "line 2: birth_date: no such day in that month" in result.stderr
    assert "1984" not in result.stderr
    assert not out.exists() and list(tmp_path.glob(".*partial")) == []


def test_skip_bad_lines_screens_the_rest(tmp_path: Path) -> None:
    entries = write(tmp_path / "entries.jsonl", ENTRY, {**ENTRY, "id": "E-2", "birth_date": "1984-02-30"})
    customers = write(tmp_path / "customers.jsonl", CUSTOMER)
    result = RUNNER.invoke(
        app, ["screen", "--entries", str(entries), "--customers", str(customers), "--skip-bad-lines"]
    )
    assert result.exit_code == 0
    assert "skipped line 2" in result.stderr and '"entry_id": "E-1"' in result.stdout


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["screen", "--entries", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.output
