"""HKDF-SHA256 derivations from one 64-byte OPRF output, each with its own label.

* ``bloom``: 16 bytes, the tag whose Bloom-filter bits a package sets;
* ``locator``: 16 bytes, where a package files the sealed slot of that key;
* ``seal``: 32 bytes, the AEAD key of that slot;
* ``digest``: 32 bytes, the keyed digest an identifier is stored as.

Knowing one derivation tells nothing of the others (HKDF with distinct ``info`` labels), and none of
them can be computed without the OPRF output, which needs the authority's key.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

LABELS = {
    "bloom": b"watchlist/v1/bloom-tag",
    "locator": b"watchlist/v1/record-locator",
    "seal": b"watchlist/v1/sealing-key",
    "digest": b"watchlist/v1/identifier-digest",
}
SIZES = {"bloom": 16, "locator": 16, "seal": 32, "digest": 32}


def hkdf_sha256(ikm: bytes, *, salt: bytes | None, info: bytes, length: int) -> bytes:
    """RFC 5869 HKDF with SHA-256 (extract then expand)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


@dataclass(frozen=True, slots=True)
class Derived:
    """What a package and a bank derive from one OPRF output. Never printed."""

    bloom: bytes
    locator: bytes
    seal: bytes

    def __repr__(self) -> str:
        return "Derived(<hidden>)"


def derive(output: bytes) -> Derived:
    """Bloom tag, locator and sealing key of one OPRF output."""
    if len(output) != 64:
        raise ValueError("an OPRF output is 64 bytes")
    return Derived(
        bloom=bloom_tag(output),
        locator=hkdf_sha256(output, salt=None, info=LABELS["locator"], length=SIZES["locator"]),
        seal=hkdf_sha256(output, salt=None, info=LABELS["seal"], length=SIZES["seal"]),
    )


def bloom_tag(output: bytes) -> bytes:
    """The Bloom tag alone: what a bank keeps per key to pre-check a package."""
    return hkdf_sha256(output, salt=None, info=LABELS["bloom"], length=SIZES["bloom"])


def identifier_digest(output: bytes) -> bytes:
    """The keyed digest under which an identifier is sealed: only a holder of its OPRF output has it."""
    return hkdf_sha256(output, salt=None, info=LABELS["digest"], length=SIZES["digest"])
