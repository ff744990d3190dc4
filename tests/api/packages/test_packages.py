"""Packages: what they contain, and every kind of tampering refused with the check that caught it."""

import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.packages import PackageError, verify_package
from keys.signing import public_bytes
from matcher import ListEntry

PARTS = ("bloom.bin", "slots.bin", "records.bin", "records.idx")


def pinned(signing_key: Ed25519PrivateKey) -> bytes:
    return public_bytes(signing_key)


def test_manifest_describes_the_package(publish_version, signing_key) -> None:  # type: ignore[no-untyped-def]
    path = publish_version(1)
    package = verify_package(path, signing_public_key=pinned(signing_key))
    manifest = package.manifest
    assert (manifest["list_id"], manifest["version"], manifest["epoch"]) == ("polri-cse", 1, "epoch-2026-12")
    assert manifest["previous"] is None and manifest["key_scheme"]["id"] == "v1"
    assert manifest["counts"]["records"] % 256 == 0  # padded: the exact size does not show
    assert set(manifest["parts"]) == set(PARTS)


def test_a_package_holds_no_name_date_or_identifier_in_clear(publish_version, entries) -> None:  # type: ignore[no-untyped-def]
    path = publish_version(1)
    blob = b"".join(p.read_bytes() for p in path.iterdir())
    for entry in entries:
        for name in entry.names:
            for word in name.split():
                if len(word) > 3:
                    assert word.encode() not in blob
        for date in entry.birth_date:
            assert date.encode() not in blob
        assert entry.id.encode() not in blob


def test_expired_suspects_are_left_out(publish_version, entries, signing_key) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    expired = entries[1].model_copy(update={"status": "suspect", "review_by": dt.date(2026, 1, 1)})
    assert expired.id == "E-0002"
    path = publish_version(1, [entries[0], expired])
    package = verify_package(path, signing_public_key=pinned(signing_key))
    assert package.manifest["counts"]["records"] == 256  # padded, so check through screening instead
    from api.bank import InProcessTransport, PrivateScreener, TagCache
    from keys.oprf import OprfKey

    screener = PrivateScreener(
        package,
        InProcessTransport({"epoch-2026-12": OprfKey(b"\x07" * 32, b"epoch-2026-12")}),
        TagCache(":memory:"),
    )
    from matcher import Customer

    found = screener.screen_one(Customer(id="c", names=expired.names, birth_date=expired.birth_date))
    assert found.alerts == ()


@pytest.mark.parametrize("part", PARTS)
def test_one_flipped_byte_in_any_part_is_refused(publish_version, signing_key, part: str) -> None:  # type: ignore[no-untyped-def]
    path = publish_version(1)
    data = bytearray((path / part).read_bytes())
    data[len(data) // 2] ^= 0x01
    (path / part).write_bytes(bytes(data))
    with pytest.raises(PackageError) as raised:
        verify_package(path, signing_public_key=pinned(signing_key))
    assert raised.value.check == "digest" and part in str(raised.value)


def test_a_changed_manifest_breaks_the_signature(publish_version, signing_key) -> None:  # type: ignore[no-untyped-def]
    path = publish_version(1)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["version"] = 9
    (path / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    with pytest.raises(PackageError) as raised:
        verify_package(path, signing_public_key=pinned(signing_key))
    assert raised.value.check == "signature"


def test_a_tampered_or_foreign_signature_is_refused(publish_version, signing_key) -> None:  # type: ignore[no-untyped-def]
    path = publish_version(1)
    signature = json.loads((path / "manifest.sig").read_text())
    signature["signature"] = signature["signature"][:-4] + "AAA="
    (path / "manifest.sig").write_text(json.dumps(signature))
    with pytest.raises(PackageError, match="signature"):
        verify_package(path, signing_public_key=pinned(signing_key))
    other = publish_version(1, name="other")
    with pytest.raises(PackageError, match="another key than the pinned one"):
        verify_package(other, signing_public_key=public_bytes(Ed25519PrivateKey.generate()))


def test_a_part_swapped_in_from_another_version_is_refused(publish_version, signing_key, entries) -> None:  # type: ignore[no-untyped-def]
    first = publish_version(1)
    second = publish_version(2, entries[:10], previous=(first / "manifest.json").read_bytes())
    shutil.copy(first / "slots.bin", second / "slots.bin")
    with pytest.raises(PackageError, match=r"slots\.bin does not match"):
        verify_package(second, signing_public_key=pinned(signing_key))


def test_missing_part_is_refused(publish_version, signing_key) -> None:  # type: ignore[no-untyped-def]
    path = publish_version(1)
    (path / "records.idx").unlink()
    with pytest.raises(PackageError, match=r"records\.idx is missing"):
        verify_package(path, signing_public_key=pinned(signing_key))


def test_version_chain(publish_version, signing_key, entries: list[ListEntry]) -> None:  # type: ignore[no-untyped-def]
    key = pinned(signing_key)
    first = publish_version(1)
    installed = verify_package(first, signing_public_key=key)
    second = publish_version(2, entries[:20], previous=(first / "manifest.json").read_bytes())
    upgraded = verify_package(second, signing_public_key=key, installed=installed)
    assert upgraded.version == 2
    with pytest.raises(PackageError, match="not newer") as raised:  # a replayed older version
        verify_package(first, signing_public_key=key, installed=upgraded)
    assert raised.value.check == "version"
    forged = publish_version(3, entries[:5], previous=b"not the installed manifest")
    with pytest.raises(PackageError, match="previous-version digest"):
        verify_package(forged, signing_public_key=key, installed=upgraded)


def test_publish_refuses_to_overwrite_and_leaves_nothing_partial(publish_version, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    publish_version(1)
    with pytest.raises(FileExistsError):
        publish_version(1)
    assert not list(tmp_path.glob(".*partial"))
