"""Matching quality on real published lists (``../shared/data``, see its README), as a regression guard.

The floors sit just under what ``bench/quality.py`` measured on this same slice when the key scheme
was pinned; the full figures are in ``docs/matching.md``. The data must be there: a missing
``shared/data`` fails the suite rather than skipping it.
"""

from bench import quality
from bench.datasets import SHARED, clean_customers, listed_persons
from matcher import Screener


def test_shared_data_is_present() -> None:
    assert (SHARED / "watchlists" / "un_sc_2026_persons.jsonl").is_file(), f"shared data missing at {SHARED}"


def test_un_alias_holdout_and_clean_base() -> None:
    screener = Screener()
    persons = [p for p in listed_persons() if p.id.startswith("un_sc:")]
    _, index = quality._index_with_names(screener, persons)
    tallies = quality.holdout(screener, persons, index, True, quality.Baseline())
    findable = tallies["findable"].metrics()
    assert findable["customers"] > 500
    assert findable["recall"] >= FINDABLE_RECALL_FLOOR
    clean, _ = quality.clean(screener, index, list(clean_customers(limit=20_000)))
    metrics = clean.metrics()
    assert metrics["false_alerts_per_10k"] <= 2.0
    assert metrics["candidates_per_10k"] <= CLEAN_CANDIDATES_CEILING


FINDABLE_RECALL_FLOOR = 0.87  # measured 0.881 on 1,387 findable UN holdouts
CLEAN_CANDIDATES_CEILING = 10.0  # measured 2.5 on the first 20,000 clean people (1.01 false alerts)
