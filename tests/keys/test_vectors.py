"""Cryptography against published vectors: RFC 9497 (VOPRF), RFC 5869 (HKDF), RFC 8032 (Ed25519)."""

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.datasets import SHARED
from keys.derive import hkdf_sha256
from keys.oprf import Blinding, OprfKey
from keys.signing import public_bytes, sign, verify

VECTORS = Path(__file__).parent.parent / "vectors"
VOPRF = json.loads((VECTORS / "rfc9497_ristretto255_voprf.json").read_text())["suites"][0]
HKDF = json.loads((VECTORS / "rfc5869_hkdf_sha256.json").read_text())["cases"]
ED25519 = json.loads((VECTORS / "rfc8032_ed25519.json").read_text())["cases"]


def test_voprf_suite_is_the_one_we_use() -> None:
    assert (VOPRF["identifier"], VOPRF["mode"]) == ("ristretto255-SHA512", 1)


def test_voprf_excerpt_is_the_published_suite() -> None:
    """The excerpt under tests/vectors is exactly the suite of the published file in shared/vectors."""
    published = json.loads((SHARED.parent / "vectors" / "rfc9497_all_vectors.json").read_text())
    suites = [s for s in published if (s["identifier"], s["mode"]) == ("ristretto255-SHA512", 1)]
    assert suites == [VOPRF]


def test_derive_key_pair_gives_the_published_public_key() -> None:
    key = OprfKey(bytes.fromhex(VOPRF["seed"]), bytes.fromhex(VOPRF["keyInfo"]))
    assert key.public_key.hex() == VOPRF["pkSm"]


@pytest.mark.parametrize("vector", VOPRF["vectors"], ids=lambda v: f"batch{v['Batch']}-{v['Input'][:8]}")
def test_evaluation_gives_the_published_outputs(vector: dict) -> None:
    key = OprfKey(bytes.fromhex(VOPRF["seed"]), bytes.fromhex(VOPRF["keyInfo"]))
    inputs = [bytes.fromhex(x) for x in vector["Input"].split(",")]
    outputs = vector["Output"].split(",")
    assert [o.hex() for o in key.evaluate(inputs)] == outputs
    blinding = Blinding(inputs)
    assert [
        o.hex() for o in blinding.finalize(key.blind_evaluate(blinding.elements), key.public_key)
    ] == outputs


@pytest.mark.parametrize("vector", VOPRF["vectors"], ids=lambda v: f"batch{v['Batch']}-{v['Input'][:8]}")
def test_blind_evaluation_of_published_blinded_elements(vector: dict) -> None:
    """The evaluated elements are deterministic (the proof is not): they must match the RFC's."""
    key = OprfKey(bytes.fromhex(VOPRF["seed"]), bytes.fromhex(VOPRF["keyInfo"]))
    blinded = [bytes.fromhex(x) for x in vector["BlindedElement"].split(",")]
    evaluated = key.blind_evaluate(blinded).hex()
    for element in vector["EvaluationElement"].split(","):
        assert element in evaluated


@pytest.mark.parametrize("case", HKDF, ids=["A.1", "A.2", "A.3"])
def test_hkdf_rfc5869(case: dict) -> None:
    okm = hkdf_sha256(
        bytes.fromhex(case["ikm"]),
        salt=bytes.fromhex(case["salt"]) or None,
        info=bytes.fromhex(case["info"]),
        length=len(case["okm"]) // 2,
    )
    assert okm.hex() == case["okm"]


@pytest.mark.parametrize("case", ED25519, ids=["TEST1", "TEST2", "TEST3"])
def test_ed25519_rfc8032(case: dict) -> None:
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(case["secret"]))
    assert public_bytes(private).hex() == case["public"]
    message = bytes.fromhex(case["message"])
    assert sign(private, message).hex() == case["signature"]
    verify(bytes.fromhex(case["public"]), bytes.fromhex(case["signature"]), message)
