"""HAZMAT: the oblivious PRF, RFC 9497 ristretto255-SHA512 in verifiable mode (VOPRF).

This is the project's only module that touches the ``voprf`` package (a Rust implementation), so
the OPRF can be swapped by rewriting this file alone. Everything here is about group elements and
proofs; callers get bytes in and 64-byte outputs out, and any failed proof raises
:class:`ProofError`. Nothing here logs, and no error carries an input, an output or a key.

Inputs are domain-separated: :func:`oprf_input` prefixes every match key with ``watchlist/`` and
refuses empty keys, so no other use of the same OPRF key can collide with match keys.
"""

from __future__ import annotations

from collections.abc import Sequence

from voprf import ristretto

SUITE = "ristretto255-SHA512"
OUTPUT_BYTES = 64
ELEMENT_BYTES = 32
SEED_BYTES = 32
MAX_BATCH = 65_535
_DOMAIN = b"watchlist/"


class OprfError(ValueError):
    """Malformed OPRF input or element. Says what kind of thing was wrong, never its bytes."""


class ProofError(OprfError):
    """The evaluator's proof does not verify against the pinned public key."""


def oprf_input(key: str) -> bytes:
    """The OPRF input for a match key: domain prefix + UTF-8 key; empty keys are refused."""
    if not key:
        raise OprfError("an OPRF input can never be empty")
    data = _DOMAIN + key.encode("utf-8")
    if len(data) > MAX_BATCH:
        raise OprfError("OPRF input too long")
    return data


class OprfKey:
    """The evaluator's key for one epoch: derived from a 32-byte secret seed and a public ``info``."""

    __slots__ = ("_evaluator", "info")

    def __init__(self, seed: bytes, info: bytes) -> None:
        if len(seed) != SEED_BYTES:
            raise OprfError(f"an OPRF seed is {SEED_BYTES} bytes")
        try:
            self._evaluator = ristretto.Evaluator.from_seed(seed, info)
        except ValueError:
            raise OprfError("cannot derive an OPRF key from this seed and info") from None
        self.info = info

    def __repr__(self) -> str:
        return f"OprfKey(info={self.info!r}, secret=<hidden>)"

    @property
    def public_key(self) -> bytes:
        return bytes(self._evaluator.public_key.serialize())

    def evaluate(self, inputs: Sequence[bytes]) -> list[bytes]:
        """Direct evaluation of known inputs (``Evaluate`` in RFC 9497): the authority's own keys."""
        return [bytes(self._evaluator.evaluate_known_input(data)) for data in inputs]

    def blind_evaluate(self, blinded: Sequence[bytes]) -> bytes:
        """Evaluate a batch of blinded elements with one proof (``BlindEvaluateBatch``)."""
        if not 1 <= len(blinded) <= MAX_BATCH:
            raise OprfError(f"a batch holds 1 to {MAX_BATCH} elements")
        try:
            elements = [ristretto.BlindedInput.deserialize(element) for element in blinded]
        except ValueError:
            raise OprfError("not a valid ristretto255 group element") from None
        return bytes(self._evaluator.evaluate_batch(elements).serialize())


class Blinding:
    """A client's blinded batch: the blinded elements to send, and the state to finalize with."""

    __slots__ = ("_clients", "elements")

    def __init__(self, inputs: Sequence[bytes]) -> None:
        if not 1 <= len(inputs) <= MAX_BATCH:
            raise OprfError(f"a batch holds 1 to {MAX_BATCH} elements")
        pairs = [ristretto.Client.blind(data) for data in inputs]
        self._clients = [client for client, _ in pairs]
        self.elements: list[bytes] = [bytes(blinded.serialize()) for _, blinded in pairs]

    def __repr__(self) -> str:
        return f"Blinding(elements={len(self.elements)})"

    def finalize(self, evaluated: bytes, public_key: bytes) -> list[bytes]:
        """Verify the batch proof against the pinned public key and unblind; raises on any failure."""
        try:
            output = ristretto.VerifiableBatchOutput.deserialize(evaluated)
            pinned = ristretto.PublicKey.deserialize(public_key)
        except ValueError:
            raise OprfError("malformed evaluation or public key") from None
        except BaseException as error:  # see finalize below: a panic, not an exception, in voprf 0.2
            if type(error).__name__ != "PanicException":
                raise
            raise OprfError("malformed evaluation or public key") from None
        try:
            return [bytes(o) for o in ristretto.Client.finalize_batch(self._clients, output, pinned)]
        except ValueError:
            raise ProofError("the evaluation proof does not verify against the pinned public key") from None
        except BaseException as error:  # voprf 0.2 panics (pyo3 PanicException) where it should raise
            if type(error).__name__ != "PanicException":
                raise
            raise ProofError("the evaluation proof does not verify against the pinned public key") from None
