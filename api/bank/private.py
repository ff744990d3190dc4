"""Private screening: customer -> keys -> tags -> Bloom pre-check -> locator -> unseal -> score -> alerts.

The same scoring as the plain matcher, fed with the same candidates: a key whose slot opens leads to
exactly the entry the plain key index would have named, and the record opens into the same
normalized entry. Identifiers are compared as keyed digests on both sides. A Bloom false positive
finds no slot, or a slot that does not open, and comes to nothing.

Tags come from the cache when the customer (epoch, key scheme, normalized fingerprint) was tagged
before, otherwise from one blind batch for all the customers that need it; a rescreen of unchanged
customers in the same epoch evaluates nothing. Bloom checks run vectorized over a whole batch.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from api.bank.tag_cache import CachedTags, TagCache
from api.bank.transport import Transport
from api.packages.bloom import BloomFilter
from api.packages.records import open_record, parse_slot
from api.packages.verify import Package, PackageError
from keys import (
    Blinding,
    SealError,
    associated_data,
    bloom_tag,
    derive,
    identifier_digest,
    open_sealed,
    oprf_input,
)
from matcher import (
    Alert,
    Candidate,
    CanonicalId,
    Customer,
    NormalizedRecord,
    Screener,
    ScreenResult,
    key_kind,
)

OUTPUT_BYTES = 64
BATCH_ELEMENTS = 1000


@dataclass
class Stats:
    """What screening cost: customers, cache hits, blind evaluations, Bloom hits, opened slots."""

    customers: int = 0
    cached: int = 0
    evaluations: int = 0
    bloom_hits: int = 0
    opened: int = 0


@dataclass
class _Customer:
    record: Customer
    digest: bytes
    fingerprint: str | None = None
    normalized: NormalizedRecord | None = None
    tags: CachedTags | None = None
    keys: list[str] = field(default_factory=list)


class PrivateScreener:
    """Screens customers against one verified package, through a tag cache and a transport."""

    def __init__(
        self, package: Package, transport: Transport, cache: TagCache, screener: Screener | None = None
    ) -> None:
        self.package = package
        self.transport = transport
        self.cache = cache
        self.screener = screener or Screener(package.scheme)
        if self.screener.keys.scheme != package.scheme:
            raise ValueError("the screener's key scheme is not the package's")
        self.scheme_id = package.scheme.id
        # Two authorities may name their epochs alike: the cache knows an epoch by name and key.
        self.cache_epoch = f"{package.epoch}@{hashlib.sha256(package.oprf_public_key).hexdigest()[:16]}"
        self.stats = Stats()
        self._seen = cache.seen(self.scheme_id)

    def __repr__(self) -> str:
        return f"PrivateScreener(package={self.package!r})"

    # --- tags --------------------------------------------------------------------------------------

    def _normalize(self, customer: _Customer) -> NormalizedRecord:
        if customer.normalized is None:
            customer.normalized = self.screener.normalizer.record(customer.record)
            customer.fingerprint = customer.normalized.fingerprint()
        return customer.normalized

    def _tag(self, customers: list[_Customer]) -> None:
        """Fill in every customer's tags: from the cache, else by blind evaluation in batches."""
        epoch = self.cache_epoch
        for customer in customers:
            known = self._seen.get(customer.record.id)
            if known is not None and known[0] == customer.digest:
                customer.fingerprint = known[1]
            else:
                self._normalize(customer)
        cached = self.cache.get_many(epoch, self.scheme_id, [c.fingerprint or "" for c in customers])
        missing: list[_Customer] = []
        for customer in customers:
            customer.tags = cached.get(customer.fingerprint or "")
            if customer.tags is None:
                normalized = self._normalize(customer)
                customer.tags = cached.get(customer.fingerprint or "")
            if customer.tags is None:
                customer.keys = self.screener.keys.customer_keys(normalized)
                missing.append(customer)
            else:
                self.stats.cached += 1
        self._evaluate(missing)
        self.cache.remember(
            self.scheme_id, [(c.record.id, c.digest, c.fingerprint or "") for c in customers if c.fingerprint]
        )
        for customer in customers:
            self._seen[customer.record.id] = (customer.digest, customer.fingerprint or "")

    def _evaluate(self, customers: list[_Customer]) -> None:
        inputs = [oprf_input(key) for customer in customers for key in customer.keys]
        outputs: list[bytes] = []
        for start in range(0, len(inputs), BATCH_ELEMENTS):
            blinding = Blinding(inputs[start : start + BATCH_ELEMENTS])
            evaluated = self.transport.evaluate(self.package.epoch, blinding.elements)
            outputs.extend(blinding.finalize(evaluated, self.package.oprf_public_key))
        self.stats.evaluations += len(inputs)
        rows = []
        at = 0
        for customer in customers:
            mine = outputs[at : at + len(customer.keys)]
            at += len(customer.keys)
            customer.tags = CachedTags(
                kinds=tuple(key_kind(key) for key in customer.keys),
                outputs=b"".join(mine),
                blooms=b"".join(bloom_tag(output) for output in mine),
            )
            rows.append((customer.fingerprint or "", customer.tags))
        self.cache.put_many(self.cache_epoch, self.scheme_id, rows)

    # --- candidates and alerts ---------------------------------------------------------------------

    def _open(self, kind: str, output: bytes) -> list[tuple[int, bytes]]:
        derived = derive(output)
        ad = associated_data(self.package.list_id, self.package.version, kind)
        opened = []
        for blob in self.package.slots_at(derived.locator):
            try:
                opened.append(parse_slot(open_sealed(derived.seal, blob, ad)))
            except SealError:
                continue
        return opened

    def _entry(self, index: int, content_key: bytes) -> NormalizedRecord:
        ad = associated_data(self.package.list_id, self.package.version, f"record:{index}")
        try:
            payload = open_sealed(content_key, self.package.record(index), ad)
        except SealError:
            raise PackageError("record", "a sealed record does not open under its slot's key") from None
        return open_record(payload, self.screener.normalizer)[0]

    def _scored_customer(self, customer: _Customer) -> NormalizedRecord:
        """The customer as the scorer sees it: identifiers replaced by their keyed digests."""
        normalized = self._normalize(customer)
        assert customer.tags is not None
        digests = [
            CanonicalId(
                i.kind,
                i.scope,
                identifier_digest(customer.tags.outputs[n * OUTPUT_BYTES : (n + 1) * OUTPUT_BYTES]).hex(),
            )
            for n, i in enumerate(normalized.identifiers)
        ]
        return replace(normalized, identifiers=tuple(digests))

    def screen(self, customers: Iterable[Customer], batch: int = 5000) -> Iterator[ScreenResult]:
        """Screen in batches: tags (cache, else one blind batch), one vectorized Bloom check, then
        unseal and score only what the Bloom filter lets through."""
        chunk: list[Customer] = []
        for customer in customers:
            chunk.append(customer)
            if len(chunk) >= batch:
                yield from self._screen_batch(chunk)
                chunk = []
        if chunk:
            yield from self._screen_batch(chunk)

    def screen_one(self, customer: Customer) -> ScreenResult:
        """Onboarding: one customer, the same path."""
        (result,) = self._screen_batch([customer])
        return result

    def _screen_batch(self, records: Sequence[Customer]) -> list[ScreenResult]:
        customers = [
            _Customer(record, hashlib.sha256(record.model_dump_json().encode()).digest())
            for record in records
        ]
        self.stats.customers += len(customers)
        self._tag(customers)
        blooms = b"".join(c.tags.blooms for c in customers if c.tags is not None)
        counts = [len(c.tags.kinds) if c.tags else 0 for c in customers]
        owners = np.repeat(np.arange(len(customers)), counts)
        hits = np.flatnonzero(self.package.bloom.contains_many(BloomFilter.as_array(blooms)))
        self.stats.bloom_hits += len(hits)
        starts = np.concatenate(([0], np.cumsum(counts)))
        by_customer: defaultdict[int, dict[int, tuple[bytes, set[str]]]] = defaultdict(dict)
        for hit in hits.tolist():
            owner = int(owners[hit])
            tags = customers[owner].tags
            assert tags is not None
            position = hit - int(starts[owner])
            kind = tags.kinds[position]
            output = tags.outputs[position * OUTPUT_BYTES : (position + 1) * OUTPUT_BYTES]
            for index, content_key in self._open(kind, output):
                self.stats.opened += 1
                by_customer[owner].setdefault(index, (content_key, set()))[1].add(kind)
        results = []
        for position, customer in enumerate(customers):
            tags = customer.tags
            assert tags is not None
            found = by_customer.get(position, {})
            candidates = [
                Candidate(self._entry(index, content_key), frozenset(kinds))
                for index, (content_key, kinds) in sorted(found.items())
            ]
            alerts: tuple[Alert, ...] = ()
            if candidates:
                scored = self._scored_customer(customer)
                alerts = tuple(self.screener.alerts_for(scored, candidates, self.package.list_version))
            results.append(ScreenResult(customer.record.id, len(tags.kinds), len(candidates), alerts))
        return results
