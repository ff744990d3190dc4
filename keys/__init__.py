"""Key material and cryptography: the OPRF (the one hazmat module), HKDF derivations, sealing,
signatures and the passphrase-protected key store. ``docs/threat-model.md`` says what each is for."""

from keys.derive import Derived, bloom_tag, derive, hkdf_sha256, identifier_digest
from keys.oprf import Blinding, OprfError, OprfKey, ProofError, oprf_input
from keys.report import open_from, report_public_bytes, seal_to
from keys.seal import SealError, associated_data, open_sealed, seal
from keys.signing import SignatureError, b64, key_id, public_bytes, sign, unb64, verify
from keys.store import (
    KeyStore,
    KeyStoreError,
    WrongPassphrase,
    read_passphrase,
    read_secret,
    write_private,
    write_secret,
)

__all__ = [
    "Blinding",
    "Derived",
    "KeyStore",
    "KeyStoreError",
    "OprfError",
    "OprfKey",
    "ProofError",
    "SealError",
    "SignatureError",
    "WrongPassphrase",
    "associated_data",
    "b64",
    "bloom_tag",
    "derive",
    "hkdf_sha256",
    "identifier_digest",
    "key_id",
    "open_from",
    "open_sealed",
    "oprf_input",
    "public_bytes",
    "read_passphrase",
    "read_secret",
    "report_public_bytes",
    "seal",
    "seal_to",
    "sign",
    "unb64",
    "verify",
    "write_private",
    "write_secret",
]
