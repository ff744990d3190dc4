"""Screening: customer -> keys -> candidate entries -> score -> alerts.

The candidate source is pluggable. :class:`KeyIndex` looks key strings up in plain (this module);
the private screener looks up blind tags in a signed package instead and yields the same candidates,
so both produce the same alerts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from matcher.config import KeyScheme, ScoringConfig
from matcher.keys import KeyDeriver, key_kind
from matcher.normalize import NormalizedRecord, Normalizer
from matcher.records import Customer, ListEntry
from matcher.scoring import Score, Scorer


@dataclass(frozen=True, slots=True)
class Candidate:
    """A listed entry some customer key led to, with the kinds of the keys that matched."""

    entry: NormalizedRecord
    matched_kinds: frozenset[str]


class CandidateSource(Protocol):
    list_version: str

    def candidates(self, keys: list[str]) -> list[Candidate]: ...


@dataclass(frozen=True, slots=True)
class Alert:
    """One customer scored above the review threshold against one entry."""

    customer_id: str
    entry_id: str
    list_version: str
    score: float
    band: str
    matched_keys: tuple[str, ...]
    explanation: tuple[str, ...]
    key_scheme: str
    scoring: str

    def to_json(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "entry_id": self.entry_id,
            "list_version": self.list_version,
            "score": self.score,
            "band": self.band,
            "matched_keys": list(self.matched_keys),
            "explanation": list(self.explanation),
            "key_scheme": self.key_scheme,
            "scoring": self.scoring,
        }


@dataclass
class KeyIndex:
    """Plain key index over list entries: the stand-in for the blind package."""

    list_version: str
    entries: list[NormalizedRecord] = field(default_factory=list)
    index: defaultdict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, entry: NormalizedRecord, keys: Iterable[str]) -> None:
        position = len(self.entries)
        self.entries.append(entry)
        for key in keys:
            self.index[key].add(position)

    def candidates(self, keys: list[str]) -> list[Candidate]:
        kinds: defaultdict[int, set[str]] = defaultdict(set)
        for key in keys:
            for position in self.index.get(key, ()):
                kinds[position].add(key_kind(key))
        return [Candidate(self.entries[p], frozenset(k)) for p, k in sorted(kinds.items())]


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """What screening one customer produced: its key count, candidates and alerts."""

    customer_id: str
    keys: int
    candidates: int
    alerts: tuple[Alert, ...]


class Screener:
    """The whole local pipeline with one key scheme and one scoring configuration."""

    def __init__(
        self,
        scheme: KeyScheme | None = None,
        scoring: ScoringConfig | None = None,
        normalizer: Normalizer | None = None,
    ) -> None:
        self.normalizer = normalizer or Normalizer()
        self.keys = KeyDeriver(scheme or KeyScheme(), self.normalizer)
        self.scorer = Scorer(scoring or ScoringConfig(), self.keys)

    def index(self, entries: Iterable[ListEntry], list_version: str) -> KeyIndex:
        index = KeyIndex(list_version)
        for entry in entries:
            normalized = self.normalizer.record(entry)
            index.add(normalized, self.keys.entry_keys(normalized))
        return index

    def alerts_for(
        self, customer: NormalizedRecord, candidates: Iterable[Candidate], list_version: str
    ) -> list[Alert]:
        alerts = []
        for candidate in candidates:
            score: Score = self.scorer.score(customer, candidate.entry)
            if score.band is None:
                continue
            alerts.append(
                Alert(
                    customer_id=customer.id,
                    entry_id=candidate.entry.id,
                    list_version=list_version,
                    score=score.total,
                    band=score.band,
                    matched_keys=tuple(sorted(candidate.matched_kinds)),
                    explanation=tuple(score.explanation()),
                    key_scheme=self.keys.scheme.id,
                    scoring=self.scorer.config.id,
                )
            )
        return sorted(alerts, key=lambda alert: (-alert.score, alert.entry_id))

    def screen_one(self, customer: Customer, source: CandidateSource) -> ScreenResult:
        normalized = self.normalizer.record(customer)
        keys = self.keys.customer_keys(normalized)
        candidates = source.candidates(keys)
        alerts = self.alerts_for(normalized, candidates, source.list_version)
        return ScreenResult(customer.id, len(keys), len(candidates), tuple(alerts))

    def screen(self, customers: Iterable[Customer], source: CandidateSource) -> Iterator[ScreenResult]:
        for customer in customers:
            yield self.screen_one(customer, source)
