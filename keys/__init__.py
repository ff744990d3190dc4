"""Key material and cryptography: the OPRF, HKDF derivations, sealing, signing and the key store."""
