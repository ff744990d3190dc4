"""AEAD sealing: ChaCha20-Poly1305 with a random 96-bit nonce and associated data.

A sealed blob is ``nonce || ciphertext || tag``. The associated data binds a blob to where it may be
opened (list id, version, and what it is: the kind of the key, or the record), so a blob moved
to another list, version or kind does not open. Opening failures carry no detail.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

NONCE_BYTES = 12
OVERHEAD = NONCE_BYTES + 16


class SealError(ValueError):
    """A blob that does not open under this key and associated data."""


def associated_data(list_id: str, version: int, what: str) -> bytes:
    """``watchlist/seal/v1`` + list id + version + what the blob holds (a key kind, or ``record``)."""
    return f"watchlist/seal/v1\x00{list_id}\x00{version}\x00{what}".encode()


def seal(key: bytes, plaintext: bytes, ad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + ChaCha20Poly1305(key).encrypt(nonce, plaintext, ad)


def open_sealed(key: bytes, blob: bytes, ad: bytes) -> bytes:
    if len(blob) < OVERHEAD:
        raise SealError("sealed blob too short")
    try:
        return ChaCha20Poly1305(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], ad)
    except InvalidTag:
        raise SealError("sealed blob does not open") from None
