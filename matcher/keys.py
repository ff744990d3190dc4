"""Match keys: the strings that stand for a person in the blind index.

A key is ``{scheme}/{kind}:{codes}[:{date}]``, for example ``v1/pair+year:HaSaN+MaMaT:1970``, or
``v1/id:passport:ID:A1234567`` for an identifier. ``kind`` says what went in: ``name`` (the codes of a
whole name, three or more), ``pair`` (the codes of two of its tokens) or ``code`` (one token), with no
date, ``+year`` or ``+dob`` (the full date).

**Two codes per token.** The consonant code (``HSN`` for Hassan, Husain and Arabic-script hsn) agrees
across the most spellings; the fine code (``HaSaN``) also marks where vowels stand, so it is far
rarer and agrees across fewer. Keys with no date or only a year use fine codes, because a year
barely narrows the field (a year key also uses consonant codes when they alone are rare, above
``coarse_year_min_rarity``); keys with the full date use consonant codes, because the date is rare
enough to afford them; a lone token uses its fine code with the full date.

**Rarity decides which keys exist.** Each code has a rarity, -log10 of its share among the world's
common names (``matcher/data/name_tokens.csv``, summed by code). Each kind needs a minimum rarity
(``KeyScheme.*_min_rarity``): two rare codes need no date, two common ones the year, a code set that
even the full date cannot make rare makes no key. Both sides decide from the codes alone.

**Keys meet at the entry's precision.** A set rare enough alone is keyed without a date, and only
so, on both sides. Otherwise an entry keys it at the precision of each of its dates: full dates (and
their day/month swap) at ``+dob``, years (+-slack) of dates not known to the day at ``+year``. A
customer keys at its full date *and* its year, so it meets entries known to the day and entries
known to the year only, while its year key never meets the many entries known to the day.

**Expansion is asymmetric.** An entry expands: every alias, article-glued (al-Qadhafi -> alqadhafi)
and joined (Ali Reza -> alireza) forms, birth years +-slack, the day/month swap. A customer yields
only its canonical keys, the rarest ``max_customer_keys`` of them, since each costs an evaluation.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from matcher.config import KeyScheme
from matcher.dates import PartialDate
from matcher.names import Name
from matcher.normalize import NormalizedRecord, Normalizer

KINDS = ("name", "name+year", "name+dob", "pair", "pair+year", "pair+dob", "code+dob", "id")


def key_kind(key: str) -> str:
    """The kind of a key string (``pair+year``, ``id``, ...): what an alert may show instead of the key."""
    return key.partition("/")[2].partition(":")[0]


@dataclass(frozen=True, slots=True)
class _Dates:
    """The dates a side keys with: years (for ``+year``) and full dates (for ``+dob``)."""

    years: frozenset[int]
    days: frozenset[str]


class KeyDeriver:
    """Derives customer and entry keys under one :class:`KeyScheme`."""

    def __init__(self, scheme: KeyScheme, normalizer: Normalizer) -> None:
        self.scheme = scheme
        self.normalizer = normalizer
        self._coarse = self._rarities(normalizer.code)
        self._fine = self._rarities(normalizer.fine_code)
        self._unknown = self._rarity_of_share(0.0)

    def _rarities(self, code_of: Callable[[str], str]) -> dict[str, float]:
        shares: defaultdict[str, float] = defaultdict(float)
        for token, share in self.normalizer.reference.token_frequency.items():
            shares[code_of(token)] += share
        return {code: self._rarity_of_share(share) for code, share in shares.items()}

    def _rarity_of_share(self, share: float) -> float:
        return min(-math.log10(max(share, self.scheme.unknown_code_share)), self.scheme.max_code_rarity)

    def rarity(self, code: str, *, fine: bool = False) -> float:
        """-log10 of the code's share among common names (capped); unknown codes count as rare."""
        return (self._fine if fine else self._coarse).get(code, self._unknown)

    def token_rarity(self, token: str) -> float:
        return self._rarity_of_share(self.normalizer.reference.token_frequency.get(token, 0.0))

    def _key_sets(self, tokens: tuple[str, ...]) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        """``(kind, coarse codes, fine codes)`` of the whole name (three codes or more) and of each pair
        of its tokens; single-letter initials take no part."""
        words = sorted({token for token in tokens if len(token) > 1})
        code, fine = self.normalizer.code, self.normalizer.fine_code
        seen: set[tuple[str, tuple[str, ...]]] = set()
        groups = [("name", tuple(words))] if len({code(w) for w in words}) >= 3 else []
        groups += [("pair", pair) for pair in itertools.combinations(words, 2)]
        for kind, group in groups:
            coarse = tuple(sorted({code(word) for word in group}))
            if len(coarse) < 2 or (kind, coarse) in seen:
                continue
            seen.add((kind, coarse))
            yield kind, coarse, tuple(sorted({fine(word) for word in group}))

    def _name_keys(self, tokens: tuple[str, ...], dates: _Dates) -> Iterator[tuple[float, int, str]]:
        """``(rarity, level, key)`` for every key the dates make rare enough.

        A code set rare enough alone is keyed without a date (fine codes), and only so. Otherwise it
        is keyed with the birth year if that makes it rare enough (fine codes; and coarse codes too
        when even those are rare enough with a year, for spellings that move vowels), and with the
        full date if that does (coarse codes, which agree across more spellings: a full date is rare
        enough to afford it). A single token is keyed by its fine code, with the full date only.
        """
        scheme = self.scheme
        for kind, coarse, fine in self._key_sets(tokens):
            fine_rarity = sum(self.rarity(code, fine=True) for code in fine)
            rarity = sum(self.rarity(code) for code in coarse)
            if fine_rarity >= scheme.undated_min_rarity:
                yield rarity, 0, f"{scheme.id}/{kind}:{'+'.join(fine)}"
                continue
            if fine_rarity >= scheme.year_min_rarity:
                for year in sorted(dates.years):
                    yield rarity, 1, f"{scheme.id}/{kind}+year:{'+'.join(fine)}:{year}"
            if rarity >= scheme.coarse_year_min_rarity and coarse != fine:
                for year in sorted(dates.years):
                    yield rarity, 1, f"{scheme.id}/{kind}+year:{'+'.join(coarse)}:{year}"
            if rarity >= scheme.dob_min_rarity:
                for day in sorted(dates.days):
                    yield rarity, 2, f"{scheme.id}/{kind}+dob:{'+'.join(coarse)}:{day}"
        for code in sorted({self.normalizer.fine_code(token) for token in tokens if len(token) > 1}):
            rarity = self.rarity(code, fine=True)
            if rarity >= scheme.single_dob_min_rarity:
                for day in sorted(dates.days):
                    yield rarity, 2, f"{scheme.id}/code+dob:{code}:{day}"

    def _id_keys(self, record: NormalizedRecord) -> list[str]:
        return [f"{self.scheme.id}/id:{i.kind}:{i.scope}:{i.value}" for i in record.identifiers]

    def customer_keys(self, record: NormalizedRecord) -> list[str]:
        """Canonical keys only: identifiers, then the rarest name keys at the record's own dates
        (full date and year), up to ``max_customer_keys`` in all."""
        dates = _Dates(
            years=frozenset(date.year for date in record.dates),
            days=frozenset(date.iso() for date in record.dates if date.precision == "day"),
        )
        ranked: dict[str, tuple[float, int]] = {}
        for name in record.names:
            for rarity, level, key in self._name_keys(name.tokens, dates):
                ranked[key] = max((rarity, level), ranked.get(key, (0.0, 0)))
        ids = self._id_keys(record)
        budget = max(self.scheme.max_customer_keys - len(ids), 0)
        best = sorted(ranked, key=lambda key: (-ranked[key][0], -ranked[key][1], key))[:budget]
        return ids + best

    def _entry_dates(self, dates: tuple[PartialDate, ...]) -> _Dates:
        """Full dates with their day/month swap; years +-slack of the dates not known to the day."""
        slack = self.scheme.entry_year_slack
        years: set[int] = set()
        days: set[str] = set()
        for date in dates:
            if date.month is not None and date.day is not None:
                for month, day in {(date.month, date.day), (date.day, date.month)}:
                    try:
                        days.add(PartialDate(date.year, month, day).iso())
                    except ValueError:
                        continue
            else:
                years.update(range(date.year - slack, date.year + slack + 1))
        return _Dates(frozenset(years), frozenset(days))

    def name_variants(self, name: Name) -> Iterator[tuple[str, ...]]:
        """An entry name as written, with each article-glued form and each pair of adjacent tokens joined."""
        yield name.tokens
        for glued in name.glued:
            base = glued[2:]
            yield tuple(glued if token == base else token for token in name.tokens)
        for i in range(len(name.tokens) - 1):
            yield (*name.tokens[:i], name.tokens[i] + name.tokens[i + 1], *name.tokens[i + 2 :])

    def entry_keys(self, record: NormalizedRecord) -> dict[str, set[int]]:
        """Every key of an entry, with the indexes of the names that yield it (-1: identifiers)."""
        dates = self._entry_dates(record.dates)
        keys: defaultdict[str, set[int]] = defaultdict(set)
        for index, name in enumerate(record.names[: self.scheme.max_entry_names]):
            for tokens in set(self.name_variants(name)):
                for _, _, key in self._name_keys(tokens, dates):
                    keys[key].add(index)
        for key in self._id_keys(record):
            keys[key].add(-1)
        return dict(keys)
