"""Records as exchanged by the parties: list entries and customers (schema in ``docs/matching.md``).

Parsing takes lines of text (JSONL or CSV) and validates every line; problems name the line, the
field and what is wrong, never the value (values are personal data). A file with any bad line is
refused whole unless the caller asks to skip bad lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from matcher.dates import DateError, PartialDate, parse_birth_dates
from matcher.identifiers import (
    COUNTRIES,
    IDENTIFIER_TYPES,
    CanonicalId,
    IdentifierError,
    canonical_identifier,
)

MAX_NAMES = 100
MAX_NAME_LENGTH = 256
MAX_IDENTIFIERS = 64
MAX_LINE_BYTES = 64 * 1024


def _text(value: str) -> str:
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") for char in value):
        raise ValueError("contains control or invisible format characters")
    if not value.strip():
        raise ValueError("is empty")
    return value.strip()


def _name(value: str) -> str:
    value = _text(value)
    if not any(char.isalpha() for char in value):
        raise ValueError("has no letters")
    return value


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in COUNTRIES:
        raise ValueError("not an ISO 3166 alpha-2 country code")
    return code


def _birth_dates(value: object) -> object:
    if isinstance(value, str):
        return [part for part in value.split(";") if part.strip()]
    return value


def _parsed_dates(values: list[str]) -> list[str]:
    for value in values:
        try:
            parse_birth_dates(value)
        except DateError as error:
            raise ValueError(str(error)) from None
    return values


def _lower(value: object) -> object:
    return value.strip().casefold() if isinstance(value, str) else value


Text = Annotated[str, Field(max_length=MAX_NAME_LENGTH), AfterValidator(_text)]
NameText = Annotated[str, Field(max_length=MAX_NAME_LENGTH), AfterValidator(_name)]
Country = Annotated[str, Field(max_length=8), AfterValidator(_country)]
BirthDates = Annotated[
    list[Annotated[str, Field(max_length=64)]],
    BeforeValidator(_birth_dates),
    Field(max_length=16),
    AfterValidator(_parsed_dates),
]
Gender = Annotated[Literal["male", "female", "other", "unknown"], BeforeValidator(_lower)]


class Identifier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    type: Annotated[str, BeforeValidator(_lower)]
    value: Text
    country: Country | None = None
    institution: Text | None = None
    provider: Text | None = None
    chain: Text | None = None

    @model_validator(mode="after")
    def _canonical(self) -> Identifier:
        if self.type not in IDENTIFIER_TYPES:
            raise ValueError(f"unknown identifier type (known: {', '.join(IDENTIFIER_TYPES)})")
        try:
            self.canonical()
        except IdentifierError as error:
            raise ValueError(str(error)) from None
        return self

    def canonical(self) -> CanonicalId:
        return canonical_identifier(
            self.type,
            self.value,
            country=self.country,
            institution=self.institution,
            provider=self.provider,
            chain=self.chain,
        )

    def __repr__(self) -> str:
        return f"Identifier(type={self.type!r}, value=<hidden>)"


class Person(BaseModel):
    """What both sides know of a person. Everything but ``id`` and one name is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    id: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[\x21-\x7e]+$")]
    names: Annotated[list[NameText], Field(min_length=1, max_length=MAX_NAMES)]
    birth_date: BirthDates = []
    gender: Gender | None = None
    nationalities: Annotated[list[Country], Field(max_length=16)] = []
    identifiers: Annotated[list[Identifier], Field(max_length=MAX_IDENTIFIERS)] = []

    def birth_dates(self) -> tuple[PartialDate, ...]:
        return tuple(date for text in self.birth_date for date in parse_birth_dates(text))

    def __repr__(self) -> str:  # names, dates and identifiers are personal data
        return f"{type(self).__name__}(id={self.id!r}, names=<{len(self.names)} hidden>)"

    __str__ = __repr__


class Customer(Person):
    """A bank's customer."""


class ListEntry(Person):
    """A listed person, as the authority publishes them."""

    status: Literal["suspect", "convicted"]
    case_reference: Annotated[str, Field(max_length=128)] | None = None
    review_by: dt.date | None = None

    @model_validator(mode="after")
    def _suspect_needs_review(self) -> ListEntry:
        if self.status == "suspect" and self.review_by is None:
            raise ValueError("review_by is mandatory for a suspect")
        return self


@dataclass(frozen=True, slots=True)
class RecordProblem:
    """One thing wrong with one line of an input file."""

    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.problem}"


class RecordFileError(ValueError):
    """An input file with bad lines; ``problems`` lists all of them."""

    def __init__(self, problems: list[RecordProblem]) -> None:
        self.problems = problems
        shown = "\n".join(str(problem) for problem in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the input; nothing was imported:\n{shown}{more}")


R = TypeVar("R", bound=Person)


def _field(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "record"


def _problems(line: int, error: ValidationError) -> list[RecordProblem]:
    problems = []
    for item in error.errors(include_input=False, include_url=False):
        message = item["msg"].removeprefix("Value error, ")
        problems.append(RecordProblem(line, _field(item["loc"]), message))
    return problems


def _csv_identifiers(text: str) -> list[dict[str, str]]:
    """``type=value`` or ``type@scope=value`` items separated by ``;``.

    The scope is the country, bank, e-wallet provider or chain, as the type needs."""
    scope_field = {"bank_account": "institution", "ewallet": "provider", "crypto_wallet": "chain"}
    items = []
    for item in text.split(";"):
        if not item.strip():
            continue
        kind, sep, value = item.partition("=")
        if not sep:
            raise ValueError("identifier items are written type=value or type@scope=value")
        kind, _, scope = kind.strip().partition("@")
        row = {"type": kind, "value": value}
        if scope:
            row[scope_field.get(kind.casefold(), "country")] = scope
        items.append(row)
    return items


def _csv_row(row: dict[str | None, Any]) -> dict[str, Any]:
    if None in row:
        raise ValueError("more cells than columns")
    record: dict[str, Any] = {}
    for key, value in row.items():
        if key is None or value is None or value == "":
            continue
        if key in ("names", "nationalities"):
            record[key] = [part for part in value.split(";") if part.strip()]
        elif key == "identifiers":
            record[key] = _csv_identifiers(value)
        else:
            record[key] = value
    return record


def _raw_rows(lines: Iterable[str], fmt: str) -> Iterable[tuple[int, dict[str, Any] | RecordProblem]]:
    if fmt == "csv":
        reader = csv.DictReader(lines)
        for row in reader:
            try:
                yield reader.line_num, _csv_row(row)
            except ValueError as error:
                yield reader.line_num, RecordProblem(reader.line_num, "identifiers", str(error))
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line.encode("utf-8", "surrogatepass")) > MAX_LINE_BYTES:
            yield number, RecordProblem(number, "record", f"line longer than {MAX_LINE_BYTES} bytes")
            continue
        try:
            value = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            yield number, RecordProblem(number, "record", "not valid JSON")
            continue
        if not isinstance(value, dict):
            yield number, RecordProblem(number, "record", "expected a JSON object")
            continue
        yield number, value


def parse_records(
    lines: Iterable[str], model: type[R], *, fmt: Literal["jsonl", "csv"] = "jsonl", skip_bad: bool = False
) -> tuple[list[R], list[RecordProblem]]:
    """Validate every line; return the records and the problems.

    Unless ``skip_bad``, any problem raises :class:`RecordFileError` listing all of them, so nothing
    from a bad file is used. Duplicate ``id`` values are problems too.
    """
    records: list[R] = []
    problems: list[RecordProblem] = []
    seen: set[str] = set()
    for number, raw in _raw_rows(lines, fmt):
        if isinstance(raw, RecordProblem):
            problems.append(raw)
            continue
        try:
            record = model.model_validate(raw)
        except ValidationError as error:
            problems.extend(_problems(number, error))
            continue
        if record.id in seen:
            problems.append(RecordProblem(number, "id", "duplicate id in this file"))
            continue
        seen.add(record.id)
        records.append(record)
    if problems and not skip_bad:
        raise RecordFileError(problems)
    return records, problems
