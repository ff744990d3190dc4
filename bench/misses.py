"""Why findable held-out names are missed: the alias holdout's misses, counted by cause.

    python bench/misses.py --json misses.json

Every findable held-out name (alias holdout with birth date, as in ``bench/quality.py``) is compared
with the closest of its person's listed names (token-sort) and counted as ``found`` (an alert on its
own person), ``no_candidate`` (no key reached the person) or ``under_threshold`` (a key did; the score
stayed under the review threshold), by:

* ``date``: the birth date the customer carries is known to the ``day`` or only to the ``year``
  (or month, or a range);
* ``shape``: ``one_token`` (the held-out name is one word), ``same_codes`` (every word has the
  consonant code of a word of the closest name; missed, they were too common to key),
  ``spelling`` (every word is close, Jaro-Winkler >= 0.8, to a word of the closest name but some
  code differs) or ``other_word`` (some word has no close counterpart: a different name).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jellyfish

from bench.datasets import ListedPerson, listed_persons
from bench.quality import HoldoutCase, _index_with_names, holdout_cases
from matcher import Screener

STAGES = ("no_candidate", "under_threshold")
DATES = ("day", "year")
SHAPES = ("one_token", "same_codes", "spelling", "other_word")
CLOSE = 0.8


def shape(screener: Screener, case: HoldoutCase) -> str:
    """How the held-out name differs from the closest listed name of its person."""
    words = (
        [token for token in case.customer.names[0].tokens if len(token) > 1] if case.customer.names else []
    )
    if len(words) <= 1 or case.closest is None:
        return "one_token"
    listed = [token for token in case.closest.tokens if len(token) > 1]
    code = screener.normalizer.code
    if {code(word) for word in words} <= {code(word) for word in listed}:
        return "same_codes"
    if all(
        max((jellyfish.jaro_winkler_similarity(w, t) for t in listed), default=0.0) >= CLOSE for w in words
    ):
        return "spelling"
    return "other_word"


def breakdown(screener: Screener, persons: list[ListedPerson]) -> dict[str, object]:
    _, index = _index_with_names(screener, persons)
    counts: Counter[tuple[str, str, str]] = Counter()
    for case in holdout_cases(screener, persons, index, with_dob=True):
        if not case.findable:
            continue
        stage = "found" if case.found else "under_threshold" if case.own_kinds else "no_candidate"
        date = "day" if all(d.precision == "day" for d in case.customer.dates) else "year"
        counts[date, shape(screener, case), stage] += 1
    rows = []
    for kind in SHAPES:
        for date in DATES:
            row: dict[str, object] = {"shape": kind, "date": date}
            row.update({stage: counts[date, kind, stage] for stage in ("found", *STAGES)})
            row["findable"] = sum(counts[date, kind, stage] for stage in ("found", *STAGES))
            rows.append(row)
    findable = sum(counts.values())
    found = sum(n for (_, _, stage), n in counts.items() if stage == "found")
    return {
        "findable": findable,
        "found": found,
        "recall": round(found / max(findable, 1), 4),
        "misses": findable - found,
        "breakdown": rows,
    }


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, required=True, help="where to write the results")
    args = parser.parse_args(list(argv) if argv is not None else None)
    result = breakdown(Screener(), listed_persons())
    print(
        f"findable {result['findable']}, found {result['found']} (recall {result['recall']}), "
        f"missed {result['misses']}"
    )
    columns = ("findable", "found", "no_candidate", "under_threshold")
    print(f"{'shape':<14}{'date':<6}" + "".join(f"{c:>17}" for c in columns) + f"{'recall':>9}")
    rows = result["breakdown"]
    assert isinstance(rows, list)
    for row in rows:
        recall = f"{row['found'] / row['findable']:.3f}" if row["findable"] else "-"
        print(
            f"{row['shape']:<14}{row['date']:<6}" + "".join(f"{row[c]:>17}" for c in columns) + f"{recall:>9}"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
