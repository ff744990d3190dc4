"""Explainable scores: each feature is a named function returning ``(weight, detail)``.

Weights are log10 likelihood ratios in the spirit of Fellegi-Sunter: how much more likely the
observed agreement is for the same person than for two different people. Name agreement weighs
as much as the agreeing names are rare (a shared rare surname says more than a shared "Muhammad").
Details name fields and how they compare, never the values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jellyfish
from rapidfuzz import fuzz

from matcher.config import ScoringConfig
from matcher.dates import PartialDate
from matcher.keys import KeyDeriver
from matcher.names import Name
from matcher.normalize import NormalizedRecord

_VOWELS = frozenset("aeiou")


@dataclass(frozen=True, slots=True)
class Feature:
    field: str
    weight: float
    detail: str


@dataclass(frozen=True, slots=True)
class Score:
    total: float
    band: str | None
    features: tuple[Feature, ...]

    def explanation(self) -> list[str]:
        return [f"{feature.detail} ({feature.weight:+.1f})" for feature in self.features]


@dataclass(frozen=True, slots=True)
class _NameMatch:
    weight: float
    agreeing: int
    tokens: int
    similarity: float


class Scorer:
    """Scores a customer against an entry with one :class:`ScoringConfig`."""

    def __init__(self, config: ScoringConfig, keys: KeyDeriver) -> None:
        self.config = config
        self.keys = keys
        self.features: tuple[Callable[[NormalizedRecord, NormalizedRecord], Feature], ...] = (
            self.name,
            self.birth_date,
            self.gender,
            self.nationality,
            self.identifiers,
        )

    # --- names -------------------------------------------------------------------------------------

    def _token_similarity(self, a: str, b: str) -> float:
        """Jaro-Winkler, raised a little where the fine codes agree (more where only the consonant codes
        can agree, because one side was written without vowels, as Arabic script is); an initial
        agrees with a name it starts."""
        if a == b:
            return 1.0
        if len(a) == 1 or len(b) == 1:
            return 0.85 if a[0] == b[0] else 0.0
        similarity = jellyfish.jaro_winkler_similarity(a, b)
        normalizer = self.keys.normalizer
        if normalizer.fine_code(a) == normalizer.fine_code(b):
            return max(similarity, min(similarity + 0.1, 0.95))
        if normalizer.code(a) == normalizer.code(b):
            unvocalized = not _VOWELS.intersection(a) or not _VOWELS.intersection(b)
            return max(similarity, 0.9) if unvocalized else max(similarity, min(similarity + 0.05, 0.95))
        return similarity

    def _compare_names(self, customer: Name, entry: Name) -> _NameMatch:
        """Align tokens greedily by similarity. Each agreeing token adds its rarity, scaled by how
        closely it agrees; each token that meets a different token takes ``name_token_conflict``;
        tokens only one side has cost nothing (a middle name, a dropped surname)."""
        config = self.config
        pairs = sorted(
            (
                (self._token_similarity(a, b), i, j)
                for i, a in enumerate(customer.tokens)
                for j, b in enumerate(entry.tokens)
            ),
            reverse=True,
        )
        used_c: set[int] = set()
        used_e: set[int] = set()
        weight = 0.0
        agreeing = conflicting = 0
        for similarity, i, j in pairs:
            if i in used_c or j in used_e:
                continue
            used_c.add(i)
            used_e.add(j)
            if similarity < config.name_min_similarity:
                conflicting += 1
                continue
            agreeing += 1
            token = entry.tokens[j]
            rarity = self.keys.rarity(self.keys.normalizer.code(token))
            if len(token) == 1 or len(customer.tokens[i]) == 1:
                rarity = config.initial_rarity
            span = 1.0 - config.name_min_similarity
            weight += rarity * (0.5 + 0.5 * (similarity - config.name_min_similarity) / span)
        weight = min(weight, config.name_rarity_cap)
        if agreeing == 1:
            weight *= config.single_token_factor
        weight += conflicting * config.name_token_conflict
        similarity = fuzz.token_sort_ratio(customer.text, entry.text) / 100
        tokens = max(len(customer.tokens), len(entry.tokens))
        return _NameMatch(weight if agreeing else config.name_disagree, agreeing, tokens, similarity)

    def name(self, customer: NormalizedRecord, entry: NormalizedRecord) -> Feature:
        """The best agreement over every customer name x entry name (aliases included)."""
        best = max(
            (self._compare_names(c, e) for c in customer.names for e in entry.names),
            key=lambda match: match.weight,
            default=None,
        )
        if best is None or not best.agreeing:
            return Feature("names", self.config.name_disagree, "names disagree")
        detail = f"names: {best.agreeing} of {best.tokens} tokens agree, similarity {best.similarity:.2f}"
        return Feature("names", round(best.weight, 3), detail)

    # --- dates and the rest ------------------------------------------------------------------------

    def _compare_dates(self, a: PartialDate, b: PartialDate) -> tuple[float, str]:
        c = self.config
        years = abs(a.year - b.year)
        if a.precision == "day" and b.precision == "day":
            if a == b:
                return c.dob_exact, "birth date agrees"
            if a.year == b.year and (a.month, a.day) == (b.day, b.month):
                return c.dob_swapped, "birth date agrees with day and month swapped"
            if years == 0 and a.month == b.month:
                return c.dob_same_month_other_day, "birth year and month agree, day differs"
            if years == 0:
                return c.dob_same_year_other_month, "birth year agrees, month differs"
            if years == 1 and (a.month, a.day) == (b.month, b.day):
                return c.dob_year_near_same_day, "birth day and month agree, year differs by 1"
        elif a.month is not None and b.month is not None:
            if years == 0 and a.month == b.month:
                return c.dob_month, "birth year and month agree"
            if years == 0:
                return c.dob_same_year_other_month, "birth year agrees, month differs"
        elif years == 0:
            return c.dob_year, "birth year agrees"
        if years == 1:
            return c.dob_year_off_by_one, "birth year differs by 1"
        return c.dob_conflict, "birth dates conflict"

    def birth_date(self, customer: NormalizedRecord, entry: NormalizedRecord) -> Feature:
        if not customer.dates or not entry.dates:
            return Feature("birth_date", 0.0, "birth date missing on one side")
        weight, detail = max(self._compare_dates(a, b) for a in customer.dates for b in entry.dates)
        return Feature("birth_date", weight, detail)

    def gender(self, customer: NormalizedRecord, entry: NormalizedRecord) -> Feature:
        if not customer.gender or not entry.gender:
            return Feature("gender", 0.0, "gender missing on one side")
        if customer.gender == entry.gender:
            return Feature("gender", self.config.gender_agree, "gender agrees")
        return Feature("gender", self.config.gender_conflict, "gender differs")

    def nationality(self, customer: NormalizedRecord, entry: NormalizedRecord) -> Feature:
        if not customer.nationalities or not entry.nationalities:
            return Feature("nationalities", 0.0, "nationality missing on one side")
        if customer.nationalities & entry.nationalities:
            return Feature("nationalities", self.config.nationality_agree, "a nationality agrees")
        return Feature("nationalities", self.config.nationality_conflict, "nationalities differ")

    def identifiers(self, customer: NormalizedRecord, entry: NormalizedRecord) -> Feature:
        """Identifiers agree when kind, scope and value are equal (values may be keyed digests)."""
        shared = set(customer.identifiers) & set(entry.identifiers)
        if shared:
            kinds = ", ".join(sorted({identifier.kind for identifier in shared}))
            return Feature("identifiers", self.config.identifier_agree, f"identifier agrees: {kinds}")
        entry_scopes = {(i.kind, i.scope) for i in entry.identifiers if i.kind in ("national_id", "passport")}
        conflicting = {i.kind for i in customer.identifiers if (i.kind, i.scope) in entry_scopes}
        if conflicting:
            kinds = ", ".join(sorted(conflicting))
            return Feature("identifiers", self.config.identifier_conflict, f"identifier differs: {kinds}")
        return Feature("identifiers", 0.0, "no identifier to compare")

    def score(self, customer: NormalizedRecord, entry: NormalizedRecord) -> Score:
        features = tuple(feature(customer, entry) for feature in self.features)
        total = round(sum(feature.weight for feature in features), 3)
        band = (
            "strong"
            if total >= self.config.strong_threshold
            else "review"
            if total >= self.config.review_threshold
            else None
        )
        return Score(total, band, features)
