"""A validated record becomes canonical fields: name tokens, partial dates, canonical identifiers."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from matcher.dates import PartialDate
from matcher.identifiers import CanonicalId
from matcher.names import Name, normalize_name, phonetic_code
from matcher.records import Person
from matcher.reference import ReferenceData

CACHE_SIZE = 1 << 16


@dataclass(frozen=True, slots=True)
class NormalizedRecord:
    """Canonical form of one person. ``repr`` shows the id only."""

    id: str
    names: tuple[Name, ...]
    dates: tuple[PartialDate, ...]
    gender: str | None
    nationalities: frozenset[str]
    identifiers: tuple[CanonicalId, ...]

    def __repr__(self) -> str:
        return f"NormalizedRecord(id={self.id!r}, names=<{len(self.names)} hidden>)"

    def fingerprint(self) -> str:
        """SHA-256 over the canonical fields (not the id): changes exactly when the matchable content does."""
        parts = [
            "|".join(sorted(" ".join(name.tokens) for name in self.names)),
            "|".join(date.iso() for date in self.dates),
            self.gender or "",
            ",".join(sorted(self.nationalities)),
            "|".join(sorted(f"{i.kind}:{i.scope}:{i.value}" for i in self.identifiers)),
        ]
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


class Normalizer:
    """Normalizes records with one set of reference tables; memoizes names and codes per instance."""

    def __init__(self, reference: ReferenceData | None = None) -> None:
        self.reference = reference or ReferenceData.load()
        self.name = functools.lru_cache(maxsize=CACHE_SIZE)(self._name)
        self.code = functools.lru_cache(maxsize=CACHE_SIZE)(phonetic_code)
        self.fine_code = functools.lru_cache(maxsize=CACHE_SIZE)(
            functools.partial(phonetic_code, vowels=True)
        )

    def _name(self, text: str) -> Name:
        return normalize_name(text, self.reference)

    def record(self, person: Person) -> NormalizedRecord:
        names: list[Name] = []
        for text in person.names:
            name = self.name(text)
            if name.tokens and name not in names:
                names.append(name)
        return NormalizedRecord(
            id=person.id,
            names=tuple(names),
            dates=tuple(sorted(set(person.birth_dates()), key=PartialDate.iso)),
            gender=person.gender if person.gender in ("male", "female") else None,
            nationalities=frozenset(person.nationalities),
            identifiers=tuple(dict.fromkeys(identifier.canonical() for identifier in person.identifiers)),
        )
