"""Record validation: every bad input names its line, field and problem, never the value."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher import Customer, ListEntry, RecordFileError, parse_records

GOOD = {
    "id": "E-7f3a9c",
    "names": ["Budi Santoso", "Boedi Santosa"],
    "birth_date": "1984-07-15",
    "gender": "male",
    "nationalities": ["ID"],
    "identifiers": [
        {"type": "national_id", "country": "ID", "value": "3174051507840001"},
        {"type": "passport", "country": "ID", "value": "A1234567"},
        {"type": "phone", "value": "+62 812-3456-7890"},
        {"type": "email", "value": "budi@example.com"},
        {"type": "bank_account", "institution": "BCA", "value": "1234567890"},
        {"type": "ewallet", "provider": "DANA", "value": "081234567890"},
        {"type": "crypto_wallet", "chain": "BTC", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
    ],
    "status": "suspect",
    "case_reference": "POLRI-CSE-2026-0113",
    "review_by": "2027-06-30",
}


def lines(*records: dict) -> list[str]:
    return [json.dumps(record, ensure_ascii=False) for record in records]


def with_(**changes: object) -> dict:
    return {**GOOD, **changes}


def test_the_brief_example_is_valid() -> None:
    records, problems = parse_records(lines(GOOD), ListEntry)
    assert problems == [] and len(records) == 1
    assert records[0].identifiers[2].canonical().value == "+6281234567890"


@pytest.mark.parametrize(
    ("record", "field", "problem"),
    [
        (with_(birth_date="1984-02-30"), "birth_date", "no such day"),
        (with_(birth_date="15/13/1984"), "birth_date", "month must be 1-12"),
        (with_(birth_date="yesterday"), "birth_date", "not a recognised date form"),
        (
            with_(identifiers=[{"type": "shoe_size", "value": "42"}]),
            "identifiers[0]",
            "unknown identifier type",
        ),
        (
            with_(identifiers=[{"type": "national_id", "country": "ID", "value": "1234"}]),
            "identifiers[0]",
            "national ID",
        ),
        (with_(identifiers=[{"type": "phone", "value": "12"}]), "identifiers[0]", "phone"),
        (with_(nationalities=["XX"]), "nationalities[0]", "ISO 3166"),
        (with_(names=[]), "names", "at least 1"),
        (with_(names=["   "]), "names[0]", "empty"),
        (with_(names=["12345"]), "names[0]", "no letters"),
        (with_(names=["Budi\x07Santoso"]), "names[0]", "control"),
        (with_(names=["B" * 300]), "names[0]", "at most 256"),
        (with_(review_by=None), "record", "review_by is mandatory for a suspect"),
        (with_(status="wanted"), "status", "'suspect' or 'convicted'"),
        (with_(gender="x"), "gender", "'male'"),
        (with_(id="has space"), "id", "pattern"),
        (with_(colour="blue"), "colour", "Extra inputs"),
    ],
)
def test_each_bad_field_is_named(record: dict, field: str, problem: str) -> None:
    with pytest.raises(RecordFileError) as raised:
        parse_records(lines(record), ListEntry)
    (found,) = raised.value.problems
    assert (found.line, found.field) == (1, field)
    assert problem in found.problem


def test_a_file_is_reported_whole_and_nothing_is_returned() -> None:
    text = [*lines(GOOD), "{not json", *lines(with_(id="E-2", birth_date="1984-02-30")), "[1]", *lines(GOOD)]
    with pytest.raises(RecordFileError) as raised:
        parse_records(text, ListEntry)
    found = [(p.line, p.field) for p in raised.value.problems]
    assert found == [(2, "record"), (3, "birth_date"), (4, "record"), (5, "id")]
    assert "5 problem" not in str(raised.value)
    assert "4 problem(s)" in str(raised.value)


def test_skipping_bad_lines_keeps_the_good_ones() -> None:
    records, problems = parse_records([*lines(GOOD), "{bad"], ListEntry, skip_bad=True)
    assert [r.id for r in records] == ["E-7f3a9c"] and len(problems) == 1


def test_messages_and_reprs_carry_no_personal_data() -> None:
    bad = with_(names=["Budi\x07Santoso"], birth_date="1984-02-30")
    with pytest.raises(RecordFileError) as raised:
        parse_records(lines(bad), ListEntry)
    for secret in ("Budi", "Santoso", "1984", "3174051507840001", "A1234567"):
        assert secret not in str(raised.value)
    (record,), _ = parse_records(lines(GOOD), ListEntry)
    for secret in ("Budi", "1984", "3174051507840001", "budi@example.com"):
        assert secret not in repr(record) and secret not in str(record)
        assert all(secret not in repr(identifier) for identifier in record.identifiers)


def test_csv_with_lists_and_identifiers() -> None:
    text = [
        "id,names,birth_date,gender,identifiers",
        'C-1,"Budi Santoso;Boedi Santosa",1984-07,male,"passport@ID=A1234567;phone=+6281234567890"',
        "C-2,Siti,,female,",
    ]
    records, _ = parse_records(text, Customer, fmt="csv")
    assert records[0].names == ["Budi Santoso", "Boedi Santosa"]
    assert records[0].identifiers[0].country == "ID"
    assert records[1].birth_date == []


def test_csv_errors_name_the_physical_line() -> None:
    text = ["id,names,birth_date", "C-1,Budi,1984-01-01", "C-2,Siti,1990-13-01"]
    with pytest.raises(RecordFileError) as raised:
        parse_records(text, Customer, fmt="csv")
    assert [(p.line, p.field) for p in raised.value.problems] == [(3, "birth_date")]


def test_free_text_birth_dates_of_published_lists() -> None:
    (record,), _ = parse_records(
        lines(with_(birth_date=["circa 1970", "10 Dec 1948", "1960 to 1962"])), ListEntry
    )
    assert [d.iso() for d in record.birth_dates()] == ["1970", "1948-12-10", "1960", "1961", "1962"]


@given(st.text(max_size=80))
def test_any_line_gives_records_or_problems_never_a_crash(line: str) -> None:
    records, problems = parse_records([line], Customer, skip_bad=True)
    assert len(records) + len(problems) >= (1 if line.strip() else 0)
