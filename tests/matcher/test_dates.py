import pytest

from matcher import DateError, PartialDate, parse_birth_dates
from matcher.dates import parse_iso


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1950-07-28", ["1950-07-28"]),
        ("1950-07", ["1950-07"]),
        ("1964", ["1964"]),
        ("10 Dec 1948", ["1948-12-10"]),
        ("Sep 1938", ["1938-09"]),
        ("circa 1970", ["1970"]),
        ("1960 to 1962", ["1960", "1961", "1962"]),
        ("1960..1961", ["1960", "1961"]),
        ("circa 1957-1959", ["1957", "1958", "1959"]),
        ("01 Jan 1960 to 31 Dec 1961", ["1960", "1961"]),
        ("03 Mar 1970 to 03 Mar 1970", ["1970-03-03"]),
        ("19651013", ["1965-10-13"]),
        ("13/10/1965", ["1965-10-13"]),
    ],
)
def test_forms_of_published_lists(text: str, expected: list[str]) -> None:
    assert [date.iso() for date in parse_birth_dates(text)] == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1984-02-30", "no such day"),
        ("1900-02-29", "no such day"),
        ("1984-13", "month"),
        ("1700", "year outside"),
        ("1965 to 1990", "longer than"),
        ("1970 to 1960", "ends before"),
        ("", "empty"),
        ("soon", "not a recognised"),
    ],
)
def test_impossible_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_birth_dates(text)


def test_strict_iso_only_takes_iso() -> None:
    assert parse_iso("2000-02-29") == PartialDate(2000, 2, 29)
    with pytest.raises(DateError):
        parse_iso("10 Dec 1948")
