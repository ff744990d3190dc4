"""Sealing a hit report's customer details to the authority's report key (X25519 sealed box).

An ephemeral X25519 key agrees a secret with the authority's public report key; HKDF-SHA256 turns it
into a ChaCha20-Poly1305 key; the box is ``version (1) || ephemeral public key (32) || nonce (12) ||
ciphertext``. Only the holder of the report private key opens it; the sender keeps nothing.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from keys.derive import hkdf_sha256
from keys.seal import SealError

VERSION = b"\x01"
_INFO = b"watchlist/v1/hit-report"


def report_public_bytes(private_key: X25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return hkdf_sha256(shared, salt=ephemeral + recipient, info=_INFO, length=32)


def seal_to(recipient_public: bytes, plaintext: bytes, ad: bytes) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = report_public_bytes(ephemeral)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    nonce = os.urandom(12)
    box = ChaCha20Poly1305(_key(shared, ephemeral_public, recipient_public)).encrypt(nonce, plaintext, ad)
    return VERSION + ephemeral_public + nonce + box


def open_from(private_key: X25519PrivateKey, sealed: bytes, ad: bytes) -> bytes:
    if len(sealed) < 1 + 32 + 12 + 16 or sealed[:1] != VERSION:
        raise SealError("not a sealed report")
    ephemeral_public, nonce, box = sealed[1:33], sealed[33:45], sealed[45:]
    recipient = report_public_bytes(private_key)
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        return ChaCha20Poly1305(_key(shared, ephemeral_public, recipient)).decrypt(nonce, box, ad)
    except (InvalidTag, ValueError):
        raise SealError("sealed report does not open") from None
