"""OPRF, derivations, sealing and signatures: the behaviour callers rely on, failures included."""

import os

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from keys.derive import LABELS, derive, identifier_digest
from keys.oprf import Blinding, OprfError, OprfKey, ProofError, oprf_input
from keys.seal import SealError, associated_data, open_sealed, seal
from keys.signing import SignatureError, public_bytes, sign, verify

KEY = OprfKey(b"\x01" * 32, b"epoch-2026-12")
OTHER = OprfKey(b"\x02" * 32, b"epoch-2026-12")


def test_inputs_are_domain_separated_and_never_empty() -> None:
    assert oprf_input("v1/pair+year:HaSaN+MaMaT:1970") == b"watchlist/v1/pair+year:HaSaN+MaMaT:1970"
    with pytest.raises(OprfError, match="never be empty"):
        oprf_input("")


def test_blind_then_finalize_equals_direct_evaluation() -> None:
    inputs = [oprf_input(f"v1/code+dob:X{i}:1970-01-01") for i in range(5)]
    blinding = Blinding(inputs)
    assert blinding.finalize(KEY.blind_evaluate(blinding.elements), KEY.public_key) == KEY.evaluate(inputs)


def test_an_evaluation_under_another_key_fails_its_proof() -> None:
    blinding = Blinding([oprf_input("v1/x")])
    with pytest.raises(ProofError, match="does not verify"):
        blinding.finalize(OTHER.blind_evaluate(blinding.elements), KEY.public_key)


def test_a_tampered_evaluation_fails() -> None:
    blinding = Blinding([oprf_input("v1/x"), oprf_input("v1/y")])
    evaluated = bytearray(KEY.blind_evaluate(blinding.elements))
    evaluated[-1] ^= 1
    with pytest.raises(OprfError):
        blinding.finalize(bytes(evaluated), KEY.public_key)


def test_invalid_group_elements_are_refused_without_echo() -> None:
    bad = b"\xff" * 32
    with pytest.raises(OprfError, match="not a valid ristretto255") as raised:
        KEY.blind_evaluate([bad])
    assert "ff" not in str(raised.value)
    with pytest.raises(OprfError, match="1 to"):
        KEY.blind_evaluate([])


def test_seed_must_be_32_bytes_and_is_never_shown() -> None:
    with pytest.raises(OprfError):
        OprfKey(b"short", b"info")
    assert "01" not in repr(KEY).replace("2026-12", "")


def test_derivations_differ_per_label_and_per_output() -> None:
    output = KEY.evaluate([oprf_input("v1/x")])[0]
    derived = derive(output)
    assert len({derived.bloom, derived.locator, derived.seal[:16], identifier_digest(output)[:16]}) == 4
    assert derive(KEY.evaluate([oprf_input("v1/y")])[0]).locator != derived.locator
    assert len(set(LABELS.values())) == len(LABELS)
    assert repr(derived) == "Derived(<hidden>)"


def test_sealing_binds_list_version_and_kind() -> None:
    key = os.urandom(32)
    ad = associated_data("polri", 3, "pair+year")
    blob = seal(key, b"payload", ad)
    assert open_sealed(key, blob, ad) == b"payload"
    for other in (associated_data("pdrm", 3, "pair+year"), associated_data("polri", 4, "pair+year"),
                  associated_data("polri", 3, "pair+dob")):  # fmt: skip
        with pytest.raises(SealError):
            open_sealed(key, blob, other)
    with pytest.raises(SealError):
        open_sealed(os.urandom(32), blob, ad)
    assert seal(key, b"payload", ad) != blob  # random nonce


def test_verify_raises_on_a_bad_signature() -> None:
    private = Ed25519PrivateKey.generate()
    signature = sign(private, b"manifest")
    verify(public_bytes(private), signature, b"manifest")
    with pytest.raises(SignatureError):
        verify(public_bytes(private), signature, b"manifest!")
    with pytest.raises(SignatureError):
        verify(public_bytes(Ed25519PrivateKey.generate()), signature, b"manifest")
