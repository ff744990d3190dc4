"""Speed of the private system: publishing, tagging, rescreening, onboarding, package size.

    python bench/perf.py --json perf.json [--quick]

Prints a table and writes JSON with ``publish_seconds_10k``, ``publish_seconds_100k`` (2 worker
processes), ``tagging_customers_per_second`` next to ``tagging_limit_customers_per_second`` (the
bare voprf blind + evaluate + finalize for the same keys, measured in the same run),
``rescreen_customers_per_minute`` (warm cache, one core), ``onboarding_ms_p50`` / ``_p99`` (one
new customer at a time, in-process evaluator), ``package_bytes_per_entry`` and ``peak_memory_mb``.
Timed figures are medians of 3 runs. The list is synthetic: names, dates and genders of the second
half of the clean base, recombined into entries with one to three aliases; the customers are the
first 20,000 of the clean base (onboarding: the next 1,000), so hits are as rare as in real life.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from voprf import ristretto

from api.bank import InProcessTransport, PrivateScreener, TagCache
from api.packages import publish, verify_package
from bench.datasets import clean_customers
from bench.output import report
from keys.oprf import OprfKey, oprf_input
from keys.signing import public_bytes
from matcher import Customer, ListEntry, Screener

EPOCH = "epoch-2026-12"
NOW = dt.datetime(2026, 12, 3, tzinfo=dt.UTC)


def synthetic_entries(count: int, people: list[Customer], seed: int = 7) -> list[ListEntry]:
    rng = random.Random(seed)
    entries = []
    for number in range(count):
        base = people[rng.randrange(len(people))]
        names = [base.names[0]]
        for _ in range(rng.randrange(3)):
            other = people[rng.randrange(len(people))].names[0].split()
            names.append(" ".join([*base.names[0].split()[:1], *other[1:]]) or base.names[0])
        dates = base.birth_date
        if dates and rng.random() >= 0.75:  # a quarter known only to the year
            dates = [dates[0][:4]]
        entries.append(
            ListEntry(
                id=f"S-{number:07d}", names=names, birth_date=dates, gender=base.gender, status="convicted"
            )
        )
    return entries


def time_publish(
    entries: list[ListEntry], workers: int, oprf: OprfKey, signing: Ed25519PrivateKey
) -> tuple[float, int]:
    folder = Path(tempfile.mkdtemp())
    try:
        started = time.perf_counter()
        result = publish(
            entries, out=folder / "pkg", list_id="bench", authority_id="bench", version=1, epoch=EPOCH,
            oprf_key=oprf, signing_key=signing, now=NOW, workers=workers,
        )  # fmt: skip
        return time.perf_counter() - started, result.size
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def primitive_limit(keys: list[str], oprf: OprfKey) -> float:
    """Seconds for the bare voprf work on these keys: blind, batch-evaluate, batch-finalize."""
    evaluator = ristretto.Evaluator.from_seed(b"\x07" * 32, EPOCH.encode())
    started = time.perf_counter()
    for start in range(0, len(keys), 1000):
        pairs = [ristretto.Client.blind(oprf_input(key)) for key in keys[start : start + 1000]]
        output = evaluator.evaluate_batch([blinded for _, blinded in pairs])
        ristretto.Client.finalize_batch([client for client, _ in pairs], output, evaluator.public_key)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    sizes = {"small": 1_000, "large": 10_000, "customers": 5_000} if args.quick else {
        "small": 10_000, "large": 100_000, "customers": 20_000}  # fmt: skip

    oprf = OprfKey(b"\x07" * 32, EPOCH.encode())
    signing = Ed25519PrivateKey.from_private_bytes(b"\x09" * 32)
    people = list(clean_customers())
    results: dict[str, Any] = {"sizes": sizes}

    listed_from, customers = people[25_000:], people[: sizes["customers"]]  # disjoint: a realistic hit rate
    small = synthetic_entries(sizes["small"], listed_from)
    results["publish_seconds_10k"] = round(
        statistics.median(time_publish(small, 1, oprf, signing)[0] for _ in range(3)), 2
    )
    large = synthetic_entries(sizes["large"], listed_from, seed=8)
    seconds, size = time_publish(large, 2, oprf, signing)
    results["publish_seconds_100k"] = round(seconds, 1)
    results["package_bytes_per_entry"] = round(size / len(large))

    folder = Path(tempfile.mkdtemp())
    publish(small, out=folder / "pkg", list_id="bench", authority_id="bench", version=1, epoch=EPOCH,
            oprf_key=oprf, signing_key=signing, now=NOW)  # fmt: skip
    package = verify_package(folder / "pkg", signing_public_key=public_bytes(signing))
    screener = Screener(package.scheme)
    keys = [key for c in customers for key in screener.keys.customer_keys(screener.normalizer.record(c))]

    tagging, limits = [], []
    for run in range(3):
        cache = TagCache(folder / f"tags-{run}.db")
        private = PrivateScreener(package, InProcessTransport({EPOCH: oprf}), cache, Screener(package.scheme))
        started = time.perf_counter()
        for _ in private.screen(customers):
            pass
        tagging.append(len(customers) / (time.perf_counter() - started))
        limits.append(len(customers) / primitive_limit(keys, oprf))
    results["tagging_customers_per_second"] = round(statistics.median(tagging))
    results["tagging_limit_customers_per_second"] = round(statistics.median(limits))
    results["tagging_ratio_to_limit"] = round(
        statistics.median(t / limit for t, limit in zip(tagging, limits, strict=True)), 3
    )
    results["keys_per_customer"] = round(len(keys) / len(customers), 2)

    rescreens = []
    for _ in range(3):
        private = PrivateScreener(package, InProcessTransport({EPOCH: oprf}), TagCache(folder / "tags-0.db"))
        started = time.perf_counter()
        screened = sum(1 for _ in private.screen(customers))
        rescreens.append(screened / (time.perf_counter() - started) * 60)
        assert private.stats.evaluations == 0
    results["rescreen_customers_per_minute"] = round(statistics.median(rescreens))

    private = PrivateScreener(package, InProcessTransport({EPOCH: oprf}), TagCache(folder / "onboarding.db"))
    latencies = []
    for customer in people[20_000:21_000]:
        started = time.perf_counter()
        private.screen_one(customer)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    results["onboarding_ms_p50"] = round(latencies[len(latencies) // 2], 2)
    results["onboarding_ms_p99"] = round(latencies[int(len(latencies) * 0.99) - 1], 2)
    usage = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    results["peak_memory_mb"] = round(usage / 1024)
    results["cpu_count"] = os.cpu_count()
    shutil.rmtree(folder, ignore_errors=True)

    report(results, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
