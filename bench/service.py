"""Blind evaluation over loopback HTTP next to in-process, in the same run.

    python bench/service.py --json service.json [--batches 40]

Sets up a throwaway authority home (``watchlist authority init``), serves it with uvicorn and two
workers on 127.0.0.1, registers a bank, and sends pre-blinded batches of 1,000 elements from two
client threads. Writes ``oprf_http_elements_per_second``, ``oprf_inprocess_elements_per_second``
(the same batches evaluated by the same key in this process, one thread), their ratio, and
``oprf_batch1000_ms_p50`` / ``_p99`` (HTTP round trip of one batch). The client's blinding is done
before timing starts: only evaluation and transport are measured.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.output import report
from keys import Blinding, KeyStore, b64, oprf_input, unb64

PASSPHRASE = "benchmark passphrase, throwaway"
WATCHLIST = str(Path(sys.executable).with_name("watchlist"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def authority_server(home: Path, workers: int = 2) -> Iterator[tuple[str, str]]:
    """``watchlist authority init`` then ``serve`` on a free loopback port; yields (url, admin token)."""
    env = {**os.environ, "WATCHLIST_PASSPHRASE": PASSPHRASE}
    init = subprocess.run(
        [WATCHLIST, "authority", "init", "--home", str(home), "--authority-id", "polri"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    admin = init.stdout.split("store it now): ")[1].strip()
    port = free_port()
    server = subprocess.Popen(
        [
            WATCHLIST,
            "authority",
            "serve",
            "--home",
            str(home),
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        yield url, admin
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--batches", type=int, default=40, help="batches of 1,000 elements per measurement")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp()) / "authority"
    with authority_server(home) as (base, admin):
        headers = {"Authorization": f"Bearer {admin}"}
        httpx.post(
            f"{base}/v1/institutions",
            headers=headers,
            timeout=10,
            json={"id": "bank-bench", "name": "Bench", "kind": "bank", "quota": 10**9},
        ).raise_for_status()
        bank = httpx.post(
            f"{base}/v1/institutions/bank-bench/tokens", headers=headers, json={"role": "bank"}, timeout=10
        ).json()["token"]
        store = KeyStore(home / "keystore")
        epoch = store.active_epoch()["epoch"]
        key = store.oprf_key(PASSPHRASE)
        batches = [
            [b64(e) for e in Blinding([oprf_input(f"v1/bench:{n}:{i}") for i in range(1000)]).elements]
            for n in range(args.batches)
        ]
        raw = [[unb64(e) for e in batch] for batch in batches]

        started = time.perf_counter()
        for batch in raw:
            key.blind_evaluate(batch)
        inprocess = args.batches * 1000 / (time.perf_counter() - started)

        latencies: list[float] = []
        lock = threading.Lock()

        def client(part: list[list[str]]) -> None:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {bank}"}, timeout=60) as http:
                for batch in part:
                    began = time.perf_counter()
                    http.post(f"/v1/epochs/{epoch}/evaluate", json={"elements": batch}).raise_for_status()
                    with lock:
                        latencies.append((time.perf_counter() - began) * 1000)

        client(batches[:2])  # warm both workers' connections
        latencies.clear()
        threads = [threading.Thread(target=client, args=(batches[i::2],)) for i in range(2)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        http_rate = args.batches * 1000 / (time.perf_counter() - started)
        latencies.sort()
        results = {
            "oprf_http_elements_per_second": round(http_rate),
            "oprf_inprocess_elements_per_second": round(inprocess),
            "http_to_inprocess_ratio": round(http_rate / inprocess, 3),
            "oprf_batch1000_ms_p50": round(statistics.median(latencies), 1),
            "oprf_batch1000_ms_p99": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 1),
            "batches": args.batches,
            "http_workers": 2,
            "client_threads": 2,
        }
    report(results, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
