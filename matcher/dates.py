"""Birth dates: full or partial, strict ISO forms and the free-text forms of published lists."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

MIN_YEAR = 1850
MAX_YEAR = 2100
MAX_RANGE_YEARS = 12

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_abbr[number].casefold(), calendar.month_name[number].casefold())
}
_MONTHS["sept"] = 9
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DMY_TEXT = re.compile(rf"(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})")
_MY_TEXT = re.compile(rf"{_MONTH}\s+(\d{{4}})")
_DMY_SLASH = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_RANGE = re.compile(r"(.+?)\s*(?:\bto\b|\.\.|\s-\s|–)\s*(.+)")
_YEAR_RANGE = re.compile(r"(\d{4})-(\d{4})")


class DateError(ValueError):
    """A birth date that is not a real calendar date or not in a known form. Says why, never the value."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise DateError(f"year outside {MIN_YEAR}-{MAX_YEAR}")
        if self.month is None:
            if self.day is not None:
                raise DateError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise DateError("month must be 1-12")
        if self.day is not None and not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
            raise DateError("no such day in that month")

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


def parse_iso(text: str) -> PartialDate:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, and nothing else."""
    match = _ISO.fullmatch(text.strip())
    if not match:
        raise DateError("expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    return PartialDate(int(year), int(month) if month else None, int(day) if day else None)


def _parse_single(text: str) -> PartialDate:
    text = text.strip()
    for pattern in (_ISO, _COMPACT):
        match = pattern.fullmatch(text)
        if match:
            year, month, day = match.groups()
            return PartialDate(int(year), int(month) if month else None, int(day) if day else None)
    match = _DMY_TEXT.fullmatch(text)
    if match:
        return PartialDate(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))
    match = _MY_TEXT.fullmatch(text)
    if match:
        return PartialDate(int(match.group(2)), _MONTHS[match.group(1)])
    match = _DMY_SLASH.fullmatch(text)
    if match:
        return PartialDate(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    raise DateError("not a recognised date form")


def parse_birth_dates(text: str) -> tuple[PartialDate, ...]:
    """Parse the forms seen on published lists into one or more partial dates.

    Accepts ISO (``1950-07-28``, ``1950-07``, ``1950``), ``10 Dec 1948``, ``Sep 1938``, ``DD/MM/YYYY``,
    ``circa 1970`` / ``c. 1970`` / ``approx. 1970`` (the year only), and ranges (``1960 to 1965``,
    ``1960..1965``, ``circa 1957-1959``, ``01 Jan 1960 to 31 Dec 1962``), which become every year in the
    range (at most ``MAX_RANGE_YEARS``), or the date itself where both ends are the same.
    """
    text = " ".join(text.casefold().split())
    text = re.sub(r"^(circa|ca\.?|c\.|approx\.?|approximately|about)\s+", "", text)
    if not text:
        raise DateError("empty date")
    match = _YEAR_RANGE.fullmatch(text) or _RANGE.fullmatch(text)
    if match:
        first, last = _parse_single(match.group(1)), _parse_single(match.group(2))
        if first == last:
            return (first,)
        if last.year < first.year:
            raise DateError("range ends before it starts")
        if last.year - first.year + 1 > MAX_RANGE_YEARS:
            raise DateError(f"range longer than {MAX_RANGE_YEARS} years")
        return tuple(PartialDate(year) for year in range(first.year, last.year + 1))
    return (_parse_single(text),)
