"""A Bloom filter over 16-byte tags, with vectorized membership for rescreens.

Bit positions use double hashing on the tag's two 64-bit halves: ``(h1 + i*h2) mod 2^64 mod m``;
the tags are HKDF outputs, so they are uniform and need no further hashing. Sizing follows the
textbook formulas from the number of tags and a target false-positive rate.
"""

from __future__ import annotations

import math

import numpy as np

TAG_BYTES = 16
_MASK = (1 << 64) - 1


class BloomFilter:
    def __init__(self, bits: int, hashes: int, data: bytes | None = None) -> None:
        if bits <= 0 or bits % 8 or not 1 <= hashes <= 32:
            raise ValueError("Bloom filter needs a positive multiple of 8 bits and 1-32 hashes")
        self.bits = bits
        self.hashes = hashes
        if data is not None and len(data) != bits // 8:
            raise ValueError("Bloom filter data does not match its size")
        self.array = np.frombuffer(data, dtype=np.uint8).copy() if data else np.zeros(bits // 8, np.uint8)

    def __repr__(self) -> str:
        return f"BloomFilter(bits={self.bits}, hashes={self.hashes})"

    @classmethod
    def sized(cls, items: int, false_positive_rate: float) -> BloomFilter:
        if not 0 < false_positive_rate < 1:
            raise ValueError("false-positive rate must be between 0 and 1")
        items = max(items, 1)
        bits = math.ceil(-items * math.log(false_positive_rate) / math.log(2) ** 2)
        bits = max(64, (bits + 63) // 64 * 64)
        hashes = max(1, min(32, round(bits / items * math.log(2))))
        return cls(bits, hashes)

    def _positions(self, tags: np.ndarray) -> np.ndarray:
        """``tags``: (N, 16) uint8 -> (N, hashes) bit positions."""
        halves = tags.reshape(-1, 2, 8).view(">u8").reshape(-1, 2).astype(np.uint64)
        h1, h2 = halves[:, 0:1], halves[:, 1:2] | np.uint64(1)
        steps = np.arange(self.hashes, dtype=np.uint64)[None, :]
        with np.errstate(over="ignore"):
            combined = h1 + steps * h2
        return combined % np.uint64(self.bits)

    @staticmethod
    def as_array(tags: list[bytes] | bytes) -> np.ndarray:
        raw = tags if isinstance(tags, bytes) else b"".join(tags)
        if len(raw) % TAG_BYTES:
            raise ValueError("tags are 16 bytes each")
        return np.frombuffer(raw, dtype=np.uint8).reshape(-1, TAG_BYTES)

    def add_many(self, tags: np.ndarray) -> None:
        positions = self._positions(tags).ravel()
        np.bitwise_or.at(
            self.array, positions >> np.uint64(3), (1 << (positions & np.uint64(7))).astype(np.uint8)
        )

    def contains_many(self, tags: np.ndarray) -> np.ndarray:
        """Boolean array: which tags may be in the set (false positives at the sized rate)."""
        if not len(tags):
            return np.zeros(0, dtype=bool)
        positions = self._positions(tags)
        bytes_ = self.array[positions >> np.uint64(3)]
        bits = (bytes_ >> (positions & np.uint64(7)).astype(np.uint8)) & 1
        found: np.ndarray = bits.all(axis=1)
        return found

    def to_bytes(self) -> bytes:
        return self.array.tobytes()
