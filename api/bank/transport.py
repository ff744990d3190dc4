"""How a bank reaches the authority's blind evaluation: pluggable; in-process for tests and the demo."""

from __future__ import annotations

from typing import Protocol

from keys import OprfKey


class Transport(Protocol):
    def evaluate(self, epoch: str, blinded: list[bytes]) -> bytes:
        """Evaluate a batch of blinded elements under an epoch's key; the serialized batch + proof."""
        ...


class InProcessTransport:
    """The authority's OPRF key held in this process. Counts batches and elements, as a quota would."""

    def __init__(self, keys: dict[str, OprfKey]) -> None:
        self._keys = keys
        self.batches = 0
        self.elements = 0

    def __repr__(self) -> str:
        return f"InProcessTransport(epochs={sorted(self._keys)}, elements={self.elements})"

    def evaluate(self, epoch: str, blinded: list[bytes]) -> bytes:
        if epoch not in self._keys:
            raise LookupError("no such OPRF epoch")
        self.batches += 1
        self.elements += len(blinded)
        return self._keys[epoch].blind_evaluate(blinded)
