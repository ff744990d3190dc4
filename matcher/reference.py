"""Reference tables shipped inside the package (titles, particles, variants, old spelling, name frequencies).

Each table is a reviewed CSV file in ``matcher/data/`` whose leading ``#`` lines say where it came from.
They are read once into an immutable :class:`ReferenceData`, which callers pass around explicitly
(no module-level state).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("matcher.data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@dataclass(frozen=True)
class ReferenceData:
    """The rule tables of name normalization, as loaded from ``matcher/data``."""

    titles: frozenset[tuple[str, ...]]
    particles: frozenset[str]
    variants: Mapping[str, str]
    old_spelling: Mapping[str, str]
    token_frequency: Mapping[str, float]

    @classmethod
    def load(cls) -> ReferenceData:
        """Read every table from the package's data files."""
        return cls(
            titles=frozenset(tuple(row["title"].split()) for row in _rows("titles.csv")),
            particles=frozenset(row["particle"] for row in _rows("particles.csv")),
            variants=MappingProxyType({row["variant"]: row["canonical"] for row in _rows("variants.csv")}),
            old_spelling=MappingProxyType({row["old"]: row["new"] for row in _rows("old_spelling.csv")}),
            token_frequency=MappingProxyType(
                {row["token"]: float(row["share"]) for row in _rows("name_tokens.csv")}
            ),
        )
