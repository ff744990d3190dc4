"""Private screening gives the plain matcher's alerts, and the tag cache spares evaluations."""

import logging
from pathlib import Path

import pytest

from api.bank import InProcessTransport, PrivateScreener, TagCache
from api.packages import verify_package
from bench.datasets import clean_customers, listed_persons
from keys.oprf import OprfKey
from keys.signing import public_bytes
from matcher import Customer, ListEntry, Screener

EPOCH = "epoch-2026-12"


def alerts(results) -> list[tuple]:  # type: ignore[no-untyped-def]
    return sorted(a.to_json().__repr__() for r in results for a in r.alerts)  # type: ignore[misc]


def plain(listed: list[ListEntry], people: list[Customer], version: str) -> list[tuple]:
    screener = Screener()
    return alerts(screener.screen(people, screener.index(listed, version)))


def private(path: Path, signing_key, oprf_key: OprfKey, cache: TagCache) -> PrivateScreener:  # type: ignore[no-untyped-def]
    package = verify_package(path, signing_public_key=public_bytes(signing_key))
    return PrivateScreener(package, InProcessTransport({EPOCH: oprf_key}), cache)


def test_same_alerts_as_plain_on_the_samples(
    publish_version, signing_key, oprf_key, entries, customers
) -> None:  # type: ignore[no-untyped-def]
    screener = private(publish_version(1), signing_key, oprf_key, TagCache(":memory:"))
    found = alerts(screener.screen(customers))
    assert len(found) == 15
    assert found == plain(entries, customers, screener.package.list_version)


def test_same_alerts_as_plain_on_real_lists(tmp_path: Path, signing_key, oprf_key) -> None:  # type: ignore[no-untyped-def]
    """UN persons listed; their names (each alias) and 3,000 clean people screened."""
    import datetime as dt

    from api.packages import publish

    persons = [p for p in listed_persons() if p.id.startswith("un_sc:")]
    listed = [p.entry() for p in persons]
    people = [
        Customer(id=f"{p.id}#{i}", names=[name], birth_date=list(p.birth_dates[:1]))
        for p in persons[:300]
        for i, name in enumerate(p.names)
    ] + list(clean_customers(limit=3000))
    out = tmp_path / "un"
    publish(listed, out=out, list_id="un", authority_id="un", version=1, epoch=EPOCH, oprf_key=oprf_key,
            signing_key=signing_key, now=dt.datetime(2026, 12, 3, tzinfo=dt.UTC))  # fmt: skip
    screener = private(out, signing_key, oprf_key, TagCache(":memory:"))
    found = alerts(screener.screen(people))
    assert len(found) > 500
    assert found == plain(listed, people, screener.package.list_version)


def test_rescreen_in_the_same_epoch_evaluates_nothing(
    tmp_path: Path, publish_version, signing_key, oprf_key, entries, customers
) -> None:  # type: ignore[no-untyped-def]
    cache = TagCache(tmp_path / "tags.db")
    first = private(publish_version(1), signing_key, oprf_key, cache)
    list(first.screen(customers))
    assert first.stats.evaluations > 0
    second_path = publish_version(2, entries[:40], previous=first.package.manifest_bytes)
    second = private(second_path, signing_key, oprf_key, TagCache(tmp_path / "tags.db"))
    results = list(second.screen(customers))
    assert second.stats.evaluations == 0 and second.stats.cached == len(customers)
    assert alerts(results) == plain(entries[:40], customers, second.package.list_version)


def test_a_changed_customer_is_retagged(
    tmp_path: Path, publish_version, signing_key, oprf_key, customers
) -> None:  # type: ignore[no-untyped-def]
    path = publish_version(1)
    cache = TagCache(tmp_path / "tags.db")
    list(private(path, signing_key, oprf_key, cache).screen(customers))
    changed = [customers[0].model_copy(update={"names": ["Someone Else Entirely"]}), *customers[1:]]
    again = private(path, signing_key, oprf_key, cache)
    list(again.screen(changed))
    assert again.stats.cached == len(customers) - 1
    assert 0 < again.stats.evaluations <= 12


def test_a_new_epoch_finds_nothing_in_the_cache(tmp_path: Path, entries, customers, signing_key) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from api.packages import publish

    cache = TagCache(tmp_path / "tags.db")
    counts = []
    for epoch, seed in (("epoch-2026-12", b"\x07"), ("epoch-2027-01", b"\x08")):
        key = OprfKey(seed * 32, epoch.encode())
        out = tmp_path / epoch
        publish(entries, out=out, list_id="l", authority_id="a", version=1, epoch=epoch, oprf_key=key,
                signing_key=signing_key, now=dt.datetime(2026, 12, 3, tzinfo=dt.UTC))  # fmt: skip
        package = verify_package(out, signing_public_key=public_bytes(signing_key))
        screener = PrivateScreener(package, InProcessTransport({epoch: key}), cache)
        assert len(alerts(screener.screen(customers))) == 15
        counts.append(screener.stats.evaluations)
    assert counts[0] == counts[1] > 0
    assert cache.keep_only(screener.cache_epoch, "v1") == len(customers)


def test_a_transport_that_answers_under_another_key_is_caught(
    publish_version, signing_key, customers
) -> None:  # type: ignore[no-untyped-def]
    rogue = OprfKey(b"\x66" * 32, EPOCH.encode())  # e.g. a per-bank key to link banks' queries
    screener = private(publish_version(1), signing_key, rogue, TagCache(":memory:"))
    from keys.oprf import ProofError

    with pytest.raises(ProofError):
        screener.screen_one(customers[0])


def test_nothing_secret_or_personal_reaches_logs_errors_or_reprs(
    caplog: pytest.LogCaptureFixture, publish_version, signing_key, oprf_key, customers, entries
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    cache = TagCache(":memory:")
    screener = private(publish_version(1), signing_key, oprf_key, cache)
    results = list(screener.screen(customers))
    texts = [record.getMessage() for record in caplog.records]
    texts += [repr(screener), repr(screener.package), repr(cache), repr(oprf_key), repr(screener.transport)]
    texts += [repr(result) for result in results[:20]]
    tags = cache.get_many(
        screener.cache_epoch,
        "v1",
        [c.fingerprint() for c in map(screener.screener.normalizer.record, customers[:5])],
    )
    texts += [repr(t) for t in tags.values()]
    haystack = "\n".join(texts)
    for tag in tags.values():
        assert tag.outputs[:8].hex() not in haystack and tag.blooms[:8].hex() not in haystack
    for person in [*entries, *customers]:
        for name in person.names:
            assert name not in haystack
    assert (b"\x07" * 32).hex() not in haystack
