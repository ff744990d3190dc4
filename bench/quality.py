"""Match quality on real data nobody here wrote: alias holdout, clean base, FEBRL4.

    python bench/quality.py --json quality.json [--clean-limit N] [--no-baseline]

Prints a table and writes JSON with, per scenario: recall, precision, false_alerts_per_10k,
candidates_per_10k, keys_per_customer, records_per_second, and the non-private baseline's recall
at the same false-alert rate. Scenarios:

* ``holdout_dob`` / ``holdout_nodob``: OFAC 2021 + UN persons with two or more names; each name in
  turn is held out, the rest stay listed, and the held-out name is screened (with the person's
  first birth date, or without). Reported for all pairs, findable pairs (token-sort similarity of
  the normalized names >= 80) and the rest.
* ``clean``: 50,000 synthetic people on no list, screened against the full OFAC + UN list.
* ``febrl4``: FEBRL4 list A as entries, list B as customers.

Unless ``--no-private``, the OFAC + UN list and FEBRL4 list A are also published as signed
packages and screened privately (blind tags, Bloom filter, sealed records): ``private`` reports, per
scenario, whether the private alerts are identical to the plain ones. The holdout's list differs
for every held-out name, so there every listed name is screened against the whole list instead.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from anyascii import anyascii
from rapidfuzz import fuzz, process, utils

from bench.datasets import ListedPerson, clean_customers, febrl4, febrl_truth, listed_persons
from matcher import Alert, Candidate, Customer, KeyIndex, Name, NormalizedRecord, Screener, key_kind

FINDABLE = 80.0
LIST_VERSION = "bench"


@dataclass
class Tally:
    customers: int = 0
    found: int = 0
    candidate_found: int = 0
    true_alerts: int = 0
    alerts: int = 0
    candidates: int = 0
    keys: int = 0
    seconds: float = 0.0
    baseline_found: int = 0

    def screen(
        self, screener: Screener, index: KeyIndex, customer: Customer, truth: str | None = None
    ) -> NormalizedRecord:
        """Screen one customer in plain (timed) and count what came of it; ``truth``: the right entry."""
        started = time.perf_counter()
        normalized = screener.normalizer.record(customer)
        keys = screener.keys.customer_keys(normalized)
        candidates = index.candidates(keys)
        alerts = screener.alerts_for(normalized, candidates, LIST_VERSION)
        self.seconds += time.perf_counter() - started
        self.customers += 1
        self.keys += len(keys)
        self.candidates += len(candidates)
        self.alerts += len(alerts)
        if truth is not None:
            self.candidate_found += any(candidate.entry.id == truth for candidate in candidates)
            true = sum(1 for alert in alerts if alert.entry_id == truth)
            self.true_alerts += true
            self.found += bool(true)
        return normalized

    def metrics(self) -> dict[str, Any]:
        n = max(self.customers, 1)
        return {
            "customers": self.customers,
            "recall": round(self.found / n, 4),
            "candidate_recall": round(self.candidate_found / n, 4),
            "precision": round(self.true_alerts / self.alerts, 4) if self.true_alerts else None,
            "false_alerts_per_10k": round((self.alerts - self.true_alerts) / n * 10_000, 2),
            "candidates_per_10k": round(self.candidates / n * 10_000, 1),
            "keys_per_customer": round(self.keys / n, 2),
            "records_per_second": round(self.customers / self.seconds) if self.seconds else None,
            "baseline_recall": round(self.baseline_found / n, 4),
        }


@dataclass
class Baseline:
    """Non-private baseline: every pair scored by rapidfuzz token-sort ratio on transliterated names,
    birth years within 1 when both are known; threshold chosen for the private matcher's false-alert rate."""

    threshold: float = 101.0
    scores: list[float] = field(default_factory=list)

    @staticmethod
    def text(name: str) -> str:
        return utils.default_process(anyascii(name))

    @staticmethod
    def years_compatible(a: NormalizedRecord, b: NormalizedRecord) -> bool:
        if not a.dates or not b.dates:
            return True
        return any(abs(x.year - y.year) <= 1 for x in a.dates for y in b.dates)


def _index_with_names(
    screener: Screener, persons: list[ListedPerson]
) -> tuple[list[NormalizedRecord], KeyIndex]:
    index = KeyIndex(LIST_VERSION)
    records = []
    for person in persons:
        record = screener.normalizer.record(person.entry())
        records.append(record)
        index.add(record, screener.keys.entry_keys(record))
    return records, index


@dataclass(frozen=True)
class HoldoutCase:
    """One held-out name screened against its person's other names: what the keys and scorer made of it."""

    person: ListedPerson
    name: str
    customer: NormalizedRecord
    entry: NormalizedRecord
    keys: list[str]
    candidates: list[Candidate]
    own_kinds: frozenset[str]
    alerts: list[Alert]
    similarity: float
    closest: Name | None  # the listed name the held-out one is most similar to (token-sort)
    seconds: float

    @property
    def findable(self) -> bool:
        return self.similarity >= FINDABLE

    @property
    def found(self) -> bool:
        return any(alert.entry_id == self.person.id for alert in self.alerts)


def holdout_cases(
    screener: Screener, persons: list[ListedPerson], index: KeyIndex, with_dob: bool
) -> Iterator[HoldoutCase]:
    """Every name of every person with two or more (and a birth date, ``with_dob``), held out in turn:
    the others are listed, the held-out name is screened with the person's first birth date or none."""
    for person in persons:
        if len(person.names) < 2 or (with_dob and not person.birth_dates):
            continue
        for held_out, name in enumerate(person.names):
            others = tuple(n for i, n in enumerate(person.names) if i != held_out)
            entry = screener.normalizer.record(person.entry(others))
            entry_keys = set(screener.keys.entry_keys(entry))
            customer = Customer(
                id=f"{person.id}#{held_out}",
                names=[name],
                birth_date=[person.birth_dates[0]] if with_dob else [],
            )
            started = time.perf_counter()
            normalized = screener.normalizer.record(customer)
            keys = screener.keys.customer_keys(normalized)
            candidates = [c for c in index.candidates(keys) if c.entry.id != person.id]
            own = frozenset(key_kind(key) for key in keys if key in entry_keys)
            if own:
                candidates.append(Candidate(entry, own))
            alerts = screener.alerts_for(normalized, candidates, LIST_VERSION)
            elapsed = time.perf_counter() - started
            held_text = normalized.names[0].text if normalized.names else ""
            closest, similarity = max(
                ((n, fuzz.token_sort_ratio(held_text, n.text)) for n in entry.names),
                key=lambda pair: pair[1],
                default=(None, 0.0),
            )
            yield HoldoutCase(
                person,
                name,
                normalized,
                entry,
                keys,
                candidates,
                own,
                alerts,
                similarity,
                closest,
                elapsed,
            )


def holdout(
    screener: Screener, persons: list[ListedPerson], index: KeyIndex, with_dob: bool, baseline: Baseline
) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for case in holdout_cases(screener, persons, index, with_dob):
        others = tuple(n for n in case.person.names if n != case.name)
        base_score = 0.0
        if Baseline.years_compatible(case.customer, case.entry):
            base_score = max(
                fuzz.token_sort_ratio(Baseline.text(case.name), Baseline.text(o)) for o in others
            )
        for group in ("all", "findable" if case.findable else "not_findable"):
            tally = tallies[group]
            tally.customers += 1
            tally.keys += len(case.keys)
            tally.candidates += len(case.candidates)
            tally.candidate_found += bool(case.own_kinds)
            tally.alerts += len(case.alerts)
            tally.true_alerts += sum(1 for alert in case.alerts if alert.entry_id == case.person.id)
            tally.found += case.found
            tally.seconds += case.seconds
            tally.baseline_found += base_score >= baseline.threshold
    return tallies


def clean(
    screener: Screener, index: KeyIndex, customers: list[Customer]
) -> tuple[Tally, list[NormalizedRecord]]:
    tally = Tally()
    return tally, [tally.screen(screener, index, customer) for customer in customers]


def baseline_clean_scores(
    customers: list[NormalizedRecord], raw: list[Customer], index: KeyIndex, persons: list[ListedPerson]
) -> list[float]:
    """Per (customer, entry) pair above 70, the best token-sort ratio over the entry's names."""
    choices: list[str] = []
    owner: list[int] = []
    for p, person in enumerate(persons):
        for name in person.names:
            choices.append(Baseline.text(name))
            owner.append(p)
    queries = [Baseline.text(c.names[0]) for c in raw]
    scores: list[float] = []
    for start in range(0, len(queries), 2000):
        matrix = process.cdist(
            queries[start : start + 2000], choices, scorer=fuzz.token_sort_ratio, score_cutoff=70, workers=-1
        )
        for row, values in enumerate(matrix):
            best: dict[int, float] = {}
            for column in values.nonzero()[0]:
                entry = owner[column]
                best[entry] = max(best.get(entry, 0.0), float(values[column]))
            customer = customers[start + row]
            for entry, score in best.items():
                if Baseline.years_compatible(customer, index.entries[entry]):
                    scores.append(score)
    return scores


def threshold_for(scores: list[float], customers: int, per_10k: float) -> float:
    """Lowest threshold at which the baseline's false alerts per 10k do not exceed ``per_10k``."""
    allowed = int(max(per_10k, 1.0) * customers / 10_000)
    ranked = sorted(scores, reverse=True)
    if len(ranked) <= allowed:
        return 70.0
    return ranked[allowed] + 0.01


def febrl(screener: Screener, baseline: Baseline) -> Tally:
    entries, customers = febrl4()
    index = screener.index(entries, LIST_VERSION)
    tally = Tally()
    for customer in customers:
        tally.screen(screener, index, customer, truth=febrl_truth(customer.id))
    by_id = {e.id: e for e in entries}
    for customer in customers:
        truth_entry = by_id[febrl_truth(customer.id)]
        score = fuzz.token_sort_ratio(Baseline.text(customer.names[0]), Baseline.text(truth_entry.names[0]))
        tally.baseline_found += score >= baseline.threshold
    return tally


def private_equivalence(
    screener: Screener, persons: list[ListedPerson], customers: list[Customer]
) -> dict[str, dict[str, Any]]:
    """Publish, verify and screen privately; compare every alert with the plain matcher's."""
    import datetime as dt
    import tempfile

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from api.bank import InProcessTransport, PrivateScreener, TagCache
    from api.packages import publish, verify_package
    from keys.oprf import OprfKey
    from keys.signing import public_bytes

    oprf = OprfKey(os.urandom(32), b"epoch-bench")
    signing = Ed25519PrivateKey.generate()
    febrl_entries, febrl_customers = febrl4()
    aliases = [
        Customer(id=f"{p.id}#{i}", names=[name], birth_date=list(p.birth_dates[:1]))
        for p in persons
        for i, name in enumerate(p.names)
    ]
    scenarios = {
        "aliases_vs_full_list": ([p.entry() for p in persons], aliases),
        "clean": ([p.entry() for p in persons], customers),
        "febrl4": (febrl_entries, febrl_customers),
    }
    report: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, (entries, people) in scenarios.items():
            out = Path(folder) / name
            publish(entries, out=out, list_id=name, authority_id="bench", version=1, epoch="epoch-bench",
                    oprf_key=oprf, signing_key=signing, now=dt.datetime.now(dt.UTC), workers=2)  # fmt: skip
            package = verify_package(out, signing_public_key=public_bytes(signing))
            private = PrivateScreener(
                package, InProcessTransport({"epoch-bench": oprf}), TagCache(":memory:")
            )
            index = screener.index(entries, package.list_version)
            plain = sorted(json.dumps(a.to_json()) for r in screener.screen(people, index) for a in r.alerts)
            secret = sorted(json.dumps(a.to_json()) for r in private.screen(people) for a in r.alerts)
            report[name] = {
                "customers": len(people),
                "plain_alerts": len(plain),
                "private_alerts": len(secret),
                "identical": plain == secret,
                "evaluations": private.stats.evaluations,
                "bloom_hits": private.stats.bloom_hits,
                "slots_opened": private.stats.opened,
            }
    return report


def normalize_keys_rate(screener: Screener, customers: list[Customer]) -> float:
    fresh = Screener(screener.keys.scheme, screener.scorer.config)
    started = time.perf_counter()
    for customer in customers:
        fresh.keys.customer_keys(fresh.normalizer.record(customer))
    return len(customers) / (time.perf_counter() - started)


def _row(name: str, m: dict[str, Any]) -> str:
    def fmt(value: Any) -> str:
        return "-" if value is None else str(value)

    columns = (
        "customers", "recall", "candidate_recall", "precision", "false_alerts_per_10k",
        "candidates_per_10k", "keys_per_customer", "records_per_second", "baseline_recall",
    )  # fmt: skip
    return f"{name:<24}" + "".join(f"{fmt(m.get(c)):>14}" for c in columns)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, required=True, help="where to write the results")
    parser.add_argument("--clean-limit", type=int, default=None, help="screen only the first N clean people")
    parser.add_argument("--no-baseline", action="store_true", help="skip the all-pairs rapidfuzz baseline")
    parser.add_argument(
        "--no-private", action="store_true", help="skip the private-screening equivalence run"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)

    screener = Screener()
    persons = listed_persons()
    _, index = _index_with_names(screener, persons)
    customers = list(clean_customers(limit=args.clean_limit))

    clean_tally, clean_normalized = clean(screener, index, customers)
    clean_metrics = clean_tally.metrics()
    baseline = Baseline()
    if not args.no_baseline:
        scores = baseline_clean_scores(clean_normalized, customers, index, persons)
        baseline.threshold = threshold_for(scores, len(customers), clean_metrics["false_alerts_per_10k"])
        clean_metrics["baseline_recall"] = None
        clean_metrics["baseline_threshold"] = round(baseline.threshold, 2)
        clean_metrics["baseline_false_alerts_per_10k"] = round(
            sum(1 for s in scores if s >= baseline.threshold) / len(customers) * 10_000, 2
        )

    results: dict[str, Any] = {
        "key_scheme": screener.keys.scheme.model_dump(),
        "scoring": screener.scorer.config.model_dump(),
        "baseline_threshold": None if args.no_baseline else round(baseline.threshold, 2),
        "scenarios": {},
    }
    scenarios = results["scenarios"]
    for with_dob, label in ((True, "holdout_dob"), (False, "holdout_nodob")):
        for group, tally in sorted(holdout(screener, persons, index, with_dob, baseline).items()):
            scenarios[f"{label}/{group}"] = tally.metrics()
    scenarios["clean"] = clean_metrics
    scenarios["febrl4"] = febrl(screener, baseline).metrics()
    rates = [normalize_keys_rate(screener, customers[:20_000]) for _ in range(3)]
    results["normalize_keys_customers_per_second"] = round(statistics.median(rates))

    if not args.no_private:
        results["private"] = private_equivalence(screener, persons, customers)
    print(_row("scenario", {c: c[:13] for c in Tally().metrics()}))
    for name, metrics in scenarios.items():
        print(_row(name, metrics))
    print(
        f"normalization + keys: {results['normalize_keys_customers_per_second']} customers/s "
        "(one core, median of 3)"
    )
    for name, check in results.get("private", {}).items():
        verdict = "identical" if check["identical"] else "DIFFERENT"
        print(
            f"private vs plain, {name}: "
            f"{check['private_alerts']} vs {check['plain_alerts']} alerts, {verdict}"
        )
    if not args.no_baseline:
        print(f"baseline threshold {results['baseline_threshold']} (token-sort ratio, same false-alert rate)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
