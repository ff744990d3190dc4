"""Verifying and opening a package (bank side).

Checks, in order, each failing with :class:`PackageError` naming the check: the signature against
the *pinned* signing key (never one read from the package), the manifest's format, the SHA-256 of
every part, the shape of every part, and the version chain against the installed package (same
list and authority, a newer version, and, for the next version, the previous manifest's digest).
Nothing of a package is used before all checks pass.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from api.packages.bloom import BloomFilter
from api.packages.publish import FORMAT, LOCATOR_BYTES, PARTS, SLOT_ROW
from keys import SignatureError, key_id, unb64, verify
from matcher import KeyScheme


class PackageError(ValueError):
    """A package that failed a check; ``check`` names which (signature, format, digest, shape, version)."""

    def __init__(self, check: str, detail: str) -> None:
        self.check = check
        super().__init__(f"package rejected: {check} check failed: {detail}")


@dataclass
class Package:
    """A verified package, opened for lookups. Holds sealed data only: nothing here is readable
    without the OPRF outputs of a key."""

    path: Path
    manifest: dict[str, Any]
    manifest_bytes: bytes
    bloom: BloomFilter
    locator_prefix: np.ndarray
    slots: bytes
    records: bytes
    offsets: tuple[int, ...]

    def __repr__(self) -> str:
        return f"Package(list_id={self.list_id!r}, version={self.version})"

    @property
    def list_id(self) -> str:
        return str(self.manifest["list_id"])

    @property
    def version(self) -> int:
        return int(self.manifest["version"])

    @property
    def list_version(self) -> str:
        return f"{self.list_id}@{self.version}"

    @property
    def epoch(self) -> str:
        return str(self.manifest["epoch"])

    @property
    def oprf_public_key(self) -> bytes:
        return unb64(self.manifest["oprf_public_key"])

    @property
    def scheme(self) -> KeyScheme:
        return KeyScheme.model_validate(self.manifest["key_scheme"])

    @property
    def manifest_sha256(self) -> str:
        return hashlib.sha256(self.manifest_bytes).hexdigest()

    def slots_at(self, locator: bytes) -> list[bytes]:
        """Every sealed slot filed under ``locator``."""
        prefix = np.uint64(int.from_bytes(locator[:8], "big"))
        start = int(np.searchsorted(self.locator_prefix, prefix, side="left"))
        end = int(np.searchsorted(self.locator_prefix, prefix, side="right"))
        found = []
        for row in range(start, end):
            at = row * SLOT_ROW
            if self.slots[at : at + LOCATOR_BYTES] == locator:
                found.append(self.slots[at + LOCATOR_BYTES : at + SLOT_ROW])
        return found

    def record(self, index: int) -> bytes:
        if not 0 <= index < len(self.offsets) - 1:
            raise PackageError("shape", "record index out of range")
        return self.records[self.offsets[index] : self.offsets[index + 1]]


def _read(path: Path, name: str) -> bytes:
    try:
        return (path / name).read_bytes()
    except OSError:
        raise PackageError("format", f"{name} is missing or unreadable") from None


def verify_package(path: Path, *, signing_public_key: bytes, installed: Package | None = None) -> Package:
    """Verify the package at ``path`` against the pinned key and the installed package; open it."""
    manifest_bytes = _read(path, "manifest.json")
    try:
        signature = json.loads(_read(path, "manifest.sig"))
        raw_signature = unb64(signature["signature"])
    except (ValueError, KeyError, TypeError):
        raise PackageError("signature", "manifest.sig is malformed") from None
    if signature.get("key_id") != key_id(signing_public_key):
        raise PackageError("signature", "signed by another key than the pinned one")
    try:
        verify(signing_public_key, raw_signature, manifest_bytes)
    except SignatureError:
        raise PackageError("signature", "manifest signature does not verify") from None
    try:
        manifest: dict[str, Any] = json.loads(manifest_bytes)
        if manifest.get("format") != FORMAT:
            raise ValueError
        parts, version = manifest["parts"], int(manifest["version"])
        bloom_facts = manifest["bloom"]
        KeyScheme.model_validate(manifest["key_scheme"])
    except (ValueError, KeyError, TypeError):
        raise PackageError("format", "manifest is not a watchlist-package/1 manifest") from None

    data = {}
    for name in PARTS:
        data[name] = _read(path, name)
        if hashlib.sha256(data[name]).hexdigest() != parts.get(name):
            raise PackageError("digest", f"{name} does not match its digest in the manifest")

    slots, index = data["slots.bin"], data["records.idx"]
    if len(slots) % SLOT_ROW or len(index) % 8 or len(index) < 16:
        raise PackageError("shape", "slots.bin or records.idx has a wrong size")
    offsets = struct.unpack(f"<{len(index) // 8}Q", index)
    if offsets[0] != 0 or offsets[-1] != len(data["records.bin"]) or list(offsets) != sorted(offsets):
        raise PackageError("shape", "records.idx does not index records.bin")
    try:
        bloom = BloomFilter(int(bloom_facts["bits"]), int(bloom_facts["hashes"]), data["bloom.bin"])
    except (ValueError, KeyError, TypeError):
        raise PackageError("shape", "bloom.bin does not match its parameters") from None
    prefix = (
        np.frombuffer(slots, dtype=np.uint8)
        .reshape(-1, SLOT_ROW)[:, :8]
        .copy()
        .view(">u8")
        .ravel()
        .astype(np.uint64)
    )  # native byte order: searchsorted on a big-endian array would convert it on every call
    if len(prefix) > 1 and bool(np.any(prefix[1:] < prefix[:-1])):
        raise PackageError("shape", "slots.bin is not sorted")

    if installed is not None:
        if (manifest.get("list_id"), manifest.get("authority_id")) != (
            installed.manifest["list_id"],
            installed.manifest["authority_id"],
        ):
            raise PackageError("version", "the package is of another list or authority")
        if version <= installed.version:
            raise PackageError(
                "version", f"version {version} is not newer than installed {installed.version}"
            )
        previous = manifest.get("previous") or {}
        if version == installed.version + 1 and previous.get("manifest_sha256") != installed.manifest_sha256:
            raise PackageError("version", "the previous-version digest does not match the installed package")
    return Package(
        path=path,
        manifest=manifest,
        manifest_bytes=manifest_bytes,
        bloom=bloom,
        locator_prefix=prefix,
        slots=slots,
        records=data["records.bin"],
        offsets=offsets,
    )
