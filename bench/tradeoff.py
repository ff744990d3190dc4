"""The key scheme's trade-off: keys per customer vs recall vs candidates, over a few settings.

    python bench/tradeoff.py --json tradeoff.json [--clean-limit N]

For each setting of the key scheme: findable alias-holdout recall with birth date (candidates and
alerts), clean-base candidates and false alerts per 10,000, and keys per customer. The first row is
the shipped default; the last, every code set keyed at any rarity with no limit per customer, is the
ceiling of this family of keys.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import quality
from bench.datasets import clean_customers, listed_persons
from matcher import KeyScheme, Screener

SETTINGS: list[dict[str, Any]] = [
    {},
    {"coarse_year_min_rarity": 99.0},
    {"coarse_year_min_rarity": 7.0},
    {"year_min_rarity": 5.5},
    {"year_min_rarity": 5.0},
    {"year_min_rarity": 6.0},
    {"single_dob_min_rarity": 2.5},
    {"year_min_rarity": 5.0, "single_dob_min_rarity": 2.0},
    {"year_min_rarity": 4.5, "single_dob_min_rarity": 0.0},
    {"max_customer_keys": 8},
    {"entry_year_slack": 0},
    # the ceiling of this family of keys: every code set keyed at any rarity, no limit per customer
    {
        "year_min_rarity": 0.01,
        "coarse_year_min_rarity": 0.01,
        "dob_min_rarity": 0.0,
        "single_dob_min_rarity": 0.0,
        "max_customer_keys": 200,
    },
]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--clean-limit", type=int, default=None)
    args = parser.parse_args()
    persons = listed_persons()
    customers = list(clean_customers(limit=args.clean_limit))
    rows = []
    header = f"{'setting':<52}{'keys/cust':>10}{'cand.rec':>10}{'recall':>10}{'cand/10k':>10}{'FA/10k':>10}"
    print(header)
    for setting in SETTINGS:
        screener = Screener(KeyScheme(**setting))
        _, index = quality._index_with_names(screener, persons)
        clean, _ = quality.clean(screener, index, customers)
        findable = quality.holdout(screener, persons, index, True, quality.Baseline())["findable"].metrics()
        row = {
            "setting": setting or "default",
            "keys_per_customer": clean.metrics()["keys_per_customer"],
            "findable_candidate_recall": findable["candidate_recall"],
            "findable_recall": findable["recall"],
            "candidates_per_10k": clean.metrics()["candidates_per_10k"],
            "false_alerts_per_10k": clean.metrics()["false_alerts_per_10k"],
        }
        rows.append(row)
        print(
            f"{json.dumps(setting) if setting else 'default':<52}{row['keys_per_customer']:>10}"
            f"{row['findable_candidate_recall']:>10}{row['findable_recall']:>10}"
            f"{row['candidates_per_10k']:>10}{row['false_alerts_per_10k']:>10}",
            flush=True,
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
