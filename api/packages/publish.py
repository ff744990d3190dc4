"""Publishing a list version as a signed package directory (authority side).

Files of a package::

    manifest.json   list id, authority id, version, digest of the previous manifest, time, key
                    epoch and its OPRF public key, key scheme, Bloom parameters, padded counts,
                    SHA-256 of every other part
    manifest.sig    Ed25519 signature over the exact bytes of manifest.json, with the key id
    bloom.bin       Bloom filter of every slot's tag
    slots.bin       sorted fixed-width rows: locator (16 bytes) + sealed slot (64 bytes)
    records.bin     sealed entry records, one after another
    records.idx     little-endian u64 offsets of the records (count + 1)

Entries past their review date are left out. Padding with dummy records and slots (random bytes of
the same shape, random Bloom bits) rounds both counts up, so the exact list size does not show.
The directory is written beside its final name and renamed into place only when complete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.packages.bloom import TAG_BYTES, BloomFilter
from api.packages.records import CONTENT_KEY_BYTES, record_payload, slot_payload
from keys import (
    OprfKey,
    associated_data,
    b64,
    derive,
    identifier_digest,
    key_id,
    oprf_input,
    public_bytes,
    seal,
    sign,
)
from matcher import CanonicalId, KeyScheme, ListEntry, Screener, key_kind

FORMAT = "watchlist-package/1"
LOCATOR_BYTES = 16
SLOT_BLOB_BYTES = 64
SLOT_ROW = LOCATOR_BYTES + SLOT_BLOB_BYTES
PARTS = ("bloom.bin", "slots.bin", "records.bin", "records.idx")


@dataclass(frozen=True)
class PublishResult:
    path: Path
    manifest_sha256: str
    entries: int
    left_out_expired: int
    slots: int
    size: int
    evaluated: int
    new_outputs: dict[str, bytes]

    def __repr__(self) -> str:
        return f"PublishResult(path={str(self.path)!r}, entries={self.entries}, evaluated={self.evaluated})"


def key_digest(key: str) -> str:
    """How a publisher files an OPRF output it already knows: SHA-256 of the key string."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Context:
    list_id: str
    version: int
    scheme: KeyScheme


_WORKER: dict[str, Any] = {}


def _init_worker(context: _Context, oprf_key: OprfKey, known: Mapping[str, bytes]) -> None:
    _WORKER.update(context=context, oprf=oprf_key, known=known, screener=Screener(context.scheme))


Sealed = tuple[bytes, list[tuple[bytes, bytes]], bytes, dict[str, bytes]]


def _seal_entry(job: tuple[int, ListEntry]) -> Sealed:
    """One entry: its sealed record, its (locator, sealed slot) rows, its Bloom tags, and the OPRF
    outputs it had to evaluate (the ones ``known`` did not have)."""
    index, entry = job
    context: _Context = _WORKER["context"]
    screener: Screener = _WORKER["screener"]
    oprf: OprfKey = _WORKER["oprf"]
    known: Mapping[str, bytes] = _WORKER["known"]
    normalized = screener.normalizer.record(entry)
    keys = sorted(screener.keys.entry_keys(normalized))
    filed = {key: key_digest(key) for key in keys}
    missing = [key for key in keys if filed[key] not in known]
    fresh = dict(
        zip(missing, oprf.evaluate([oprf_input(key) for key in missing]) if missing else [], strict=True)
    )
    by_key = {key: fresh[key] if key in fresh else known[filed[key]] for key in keys}
    digests: dict[CanonicalId, bytes] = {}
    for identifier in normalized.identifiers:
        key = f"{context.scheme.id}/id:{identifier.kind}:{identifier.scope}:{identifier.value}"
        digests[identifier] = identifier_digest(by_key[key])
    content_key = os.urandom(CONTENT_KEY_BYTES)
    record = seal(
        content_key,
        record_payload(entry, normalized, digests),
        associated_data(context.list_id, context.version, f"record:{index}"),
    )
    slots = []
    tags = []
    for key, output in by_key.items():
        derived = derive(output)
        ad = associated_data(context.list_id, context.version, key_kind(key))
        slots.append((derived.locator, seal(derived.seal, slot_payload(index, content_key), ad)))
        tags.append(derived.bloom)
    return record, slots, b"".join(tags), {filed[key]: output for key, output in fresh.items()}


def _padded(count: int, pad_to: int) -> int:
    return max(pad_to, -(-count // pad_to) * pad_to) if pad_to > 1 else count


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def publish(
    entries: Sequence[ListEntry],
    *,
    out: Path,
    list_id: str,
    authority_id: str,
    version: int,
    epoch: str,
    oprf_key: OprfKey,
    signing_key: Ed25519PrivateKey,
    now: dt.datetime,
    previous_manifest: bytes | None = None,
    scheme: KeyScheme | None = None,
    false_positive_rate: float = 1e-6,
    pad_to: int = 256,
    workers: int = 1,
    known_outputs: Mapping[str, bytes] | None = None,
) -> PublishResult:
    """Write the package of ``entries`` at ``out`` (which must not exist yet) and sign it.

    ``known_outputs`` (key digest -> OPRF output, same epoch) spares evaluating the keys of entries
    that did not change since the last version; the result returns the outputs it had to compute.
    """
    known = known_outputs or {}
    scheme = scheme or KeyScheme()
    if out.exists():
        raise FileExistsError(f"{out} already exists")
    if version < 1:
        raise ValueError("versions start at 1")
    if previous_manifest is None and version != 1:
        raise ValueError("a version after the first needs the previous manifest")
    today = now.date()
    current = [entry for entry in entries if entry.review_by is None or entry.review_by >= today]
    context = _Context(list_id, version, scheme)
    jobs = list(enumerate(current))
    if workers > 1 and len(jobs) > 1000:
        fork = multiprocessing.get_context("fork")
        with fork.Pool(workers, initializer=_init_worker, initargs=(context, oprf_key, known)) as pool:
            sealed = pool.map(_seal_entry, jobs, chunksize=500)
    else:
        _init_worker(context, oprf_key, known)
        sealed = [_seal_entry(job) for job in jobs]
        _WORKER.clear()

    records = [record for record, _, _, _ in sealed]
    slots = [slot for _, rows, _, _ in sealed for slot in rows]
    tags = b"".join(tag for _, _, tag, _ in sealed)
    new_outputs = {digest: output for _, _, _, fresh in sealed for digest, output in fresh.items()}
    padded_records = _padded(len(records), pad_to)
    size = max((len(r) for r in records), default=256)
    records += [os.urandom(size) for _ in range(padded_records - len(records))]
    padded_slots = _padded(len(slots), pad_to)
    dummies = padded_slots - len(slots)
    slots += [(os.urandom(LOCATOR_BYTES), os.urandom(SLOT_BLOB_BYTES)) for _ in range(dummies)]
    tags += os.urandom(TAG_BYTES * dummies)
    slots.sort(key=lambda row: row[0])

    bloom = BloomFilter.sized(padded_slots, false_positive_rate)
    bloom.add_many(BloomFilter.as_array(tags))

    partial = out.with_name(f".{out.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        (partial / "bloom.bin").write_bytes(bloom.to_bytes())
        (partial / "slots.bin").write_bytes(b"".join(locator + blob for locator, blob in slots))
        offsets = [0]
        with (partial / "records.bin").open("wb") as handle:
            for record in records:
                handle.write(record)
                offsets.append(offsets[-1] + len(record))
        (partial / "records.idx").write_bytes(struct.pack(f"<{len(offsets)}Q", *offsets))
        public = public_bytes(signing_key)
        manifest = {
            "format": FORMAT,
            "list_id": list_id,
            "authority_id": authority_id,
            "version": version,
            "previous": (
                {"version": version - 1, "manifest_sha256": hashlib.sha256(previous_manifest).hexdigest()}
                if previous_manifest is not None
                else None
            ),
            "created_at": now.isoformat(),
            "epoch": epoch,
            "oprf_suite": "ristretto255-SHA512",
            "oprf_public_key": b64(oprf_key.public_key),
            "key_scheme": scheme.model_dump(),
            "bloom": {"bits": bloom.bits, "hashes": bloom.hashes, "false_positive_rate": false_positive_rate},
            "counts": {"records": padded_records, "slots": padded_slots},
            "signing_key_id": key_id(public),
            "parts": {name: _sha256(partial / name) for name in PARTS},
        }
        manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
        (partial / "manifest.json").write_bytes(manifest_bytes)
        signature = {"key_id": key_id(public), "signature": b64(sign(signing_key, manifest_bytes))}
        (partial / "manifest.sig").write_text(json.dumps(signature), encoding="utf-8")
        os.replace(partial, out)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    total = sum(path.stat().st_size for path in out.iterdir())
    return PublishResult(
        path=out,
        manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
        entries=len(current),
        left_out_expired=len(entries) - len(current),
        slots=len(slots) - dummies,
        size=total,
        evaluated=len(new_outputs),
        new_outputs=new_outputs,
    )
