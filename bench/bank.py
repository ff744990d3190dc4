"""The bank node against an authority over loopback HTTP: onboarding latency and a 1M rescreen.

    python bench/bank.py --json bank.json [--customers 50000]

Starts ``watchlist authority serve`` (2 workers) on 127.0.0.1 with the bundled demo list, sets up a
bank node, and measures ``onboarding_http_ms_p50`` / ``_p99`` (one new customer screened by the bank
node, blind evaluation over HTTP, 300 customers) and ``rescreen_1m_seconds``: 1,000,000 customers
rescreened with a warm cache. The million are the clean base's people repeated under distinct ids
(so tagging them first costs the authority 40,000 customers' evaluations, not a million's); the
rescreen timed is the second one, when every id and record has been seen.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.bank.node import BankNode, Subscription
from bench.datasets import clean_customers
from bench.output import report
from bench.service import PASSPHRASE, authority_server
from keys import KeyStore


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--customers", type=int, default=40_000, help="distinct people behind the million")
    parser.add_argument("--total", type=int, default=1_000_000)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp())
    home = base / "authority"
    results: dict[str, object] = {}
    with authority_server(home) as (url, token):
        admin = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=url, headers=admin, timeout=120) as http:
            entries = (
                resources.files("api.samples").joinpath("demo_entries.jsonl").read_text(encoding="utf-8")
            )
            http.post(
                "/v1/entries/import",
                params={"reason": "bench"},
                content=entries,
                headers={"Content-Type": "text/plain"},
            ).raise_for_status()
            http.post("/v1/versions", json={"reason": "bench"}).raise_for_status()
            http.post("/v1/institutions", json={"id": "bank-x", "name": "X", "kind": "bank", "quota": 10**9})
            bank_token = http.post("/v1/institutions/bank-x/tokens", json={"role": "bank"}).json()["token"]
        listing = KeyStore(home / "keystore").listing()
        node = BankNode.init(base / "bank", "bank-x", PASSPHRASE, scrypt_n=2**14)
        node.subscribe(
            Subscription(
                "polri",
                url,
                "watchlist",
                listing["signing"][0]["public_key"],
                listing["report"]["public_key"],
                bank_token,
            )
        )
        node.sync()
        people = list(clean_customers())
        if args.customers > len(people) - 300:
            raise SystemExit(f"--customers may be at most {len(people) - 300}")
        latencies = []
        for customer in people[-300:]:
            started = time.perf_counter()
            node.screen([customer])
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        results["onboarding_http_ms_p50"] = round(statistics.median(latencies), 2)
        results["onboarding_http_ms_p99"] = round(latencies[int(len(latencies) * 0.99) - 1], 2)
        base_people = people[: args.customers]
        million = [
            person.model_copy(update={"id": f"{person.id}-{copy}"})
            for copy in range(args.total // len(base_people))
            for person in base_people
        ]
        started = time.perf_counter()
        node.rescreen(base_people)
        results["tagging_seconds_distinct"] = round(time.perf_counter() - started, 1)
        node.rescreen(million)  # first sight of the repeated ids: normalizes once, no evaluation
        started = time.perf_counter()
        summary = node.rescreen(million)
        results["rescreen_1m_seconds"] = round(time.perf_counter() - started, 1)
        results["rescreen_1m_evaluations"] = summary.evaluations
        results["customers"] = len(million)
        node.close()
    report(results, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
