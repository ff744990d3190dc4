"""Rebuild ``matcher/data/name_tokens.csv``: how common each normalized name token is, worldwide.

Source: the given-name and surname lists of every locale of the Faker package (MIT licence), which
collect common names per country. Each language weighs roughly as many people as speak it (millions,
rounded; ``LANGUAGE_WEIGHT``, default 20), shared evenly among its locales; within a locale, a weighted
list keeps its weights. The table holds normalized *tokens*, not codes, so it stays valid when the
phonetic code changes: code frequencies are summed from it when the key scheme loads.

No list data is used: the table must be public, or it would leak what the list contains.

Usage: pip install faker && python scripts/build_name_tokens.py
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter, defaultdict
from pathlib import Path

import faker.providers.person as person_providers

from matcher.names import normalize_name
from matcher.reference import ReferenceData

ATTRIBUTES = (
    "first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
    "last_names", "last_names_male", "last_names_female",
)  # fmt: skip
OUT = Path(__file__).resolve().parent.parent / "matcher" / "data" / "name_tokens.csv"
MIN_SHARE = 2e-5
LANGUAGE_WEIGHT = {
    "zh": 1300, "hi": 600, "bn": 230, "mr": 80, "ta": 75, "gu": 55, "or": 35, "ne": 30, "si": 17,
    "en": 400, "es": 480, "ar": 350, "pt": 230, "ru": 150, "id": 200, "ja": 125, "fa": 80, "tr": 80,
    "vi": 85, "ko": 80, "th": 60, "de": 95, "fr": 80, "it": 65, "pl": 40, "uk": 35, "ha": 50, "yo": 45,
    "ig": 30, "sw": 70, "zu": 12, "uz": 30, "az": 25, "tw": 10, "ro": 24, "nl": 25,
}  # fmt: skip


def _weighted(names: object) -> dict[str, float]:
    if isinstance(names, dict):
        return {str(k): float(v) for k, v in names.items()}
    if isinstance(names, (list, tuple)):
        return {str(name): 1.0 for name in names}
    return {}


def main() -> None:
    reference = ReferenceData.load()
    totals: defaultdict[str, float] = defaultdict(float)
    modules = [m.name for m in pkgutil.iter_modules(person_providers.__path__)]
    per_language: Counter[str] = Counter(name.split("_")[0] for name in modules)
    locales = 0
    weight_sum = 0.0
    for module_name in modules:
        language = module_name.split("_")[0]
        locale_weight = LANGUAGE_WEIGHT.get(language, 20) / per_language[language]
        module = importlib.import_module(f"{person_providers.__name__}.{module_name}")
        provider = getattr(module, "Provider", None)
        if provider is None:
            continue
        counts: Counter[str] = Counter()
        for attribute in ATTRIBUTES:
            for name, weight in _weighted(getattr(provider, attribute, None)).items():
                for token in normalize_name(name, reference).tokens:
                    counts[token] += weight
        mass = sum(counts.values())
        if not mass:
            continue
        locales += 1
        weight_sum += locale_weight
        for token, weight in counts.items():
            totals[token] += locale_weight * weight / mass
    shares = {token: total / weight_sum for token, total in totals.items()}
    rows = sorted(((t, s) for t, s in shares.items() if s >= MIN_SHARE), key=lambda r: (-r[1], r[0]))
    with OUT.open("w", encoding="utf-8") as out:
        out.write(
            "# Share of each normalized name token among common given names and surnames, averaged over\n"
            f"# the {locales} locales of the Faker package (MIT), weighted by speakers of each language;\n"
            f"# tokens rarer than {MIN_SHARE} left out.\n"
            "# source: faker.providers.person, rebuilt by scripts/build_name_tokens.py\n"
            "token,share\n"
        )
        for token, share in rows:
            out.write(f"{token},{share:.6g}\n")
    print(f"{len(rows)} tokens from {locales} locales -> {OUT}")


if __name__ == "__main__":
    main()
