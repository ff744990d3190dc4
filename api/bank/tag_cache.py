"""The bank's tag cache (SQLite): OPRF outputs per customer, so a rescreen evaluates nothing.

Rows are keyed by key epoch, key-scheme id and the fingerprint of the normalized customer record:
a changed customer has another fingerprint and is re-tagged; a new epoch or scheme finds nothing
and re-tags everything (:meth:`TagCache.keep_only` drops the rest). A second table remembers, per
customer id, the digest of the raw record and its fingerprint, so an unchanged customer is found
without being normalized again. The file holds OPRF outputs of the bank's own customers: it is
created with mode 0600 and belongs with the bank's other confidential data.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS tags (
    epoch TEXT NOT NULL, scheme TEXT NOT NULL, fingerprint TEXT NOT NULL,
    kinds TEXT NOT NULL, outputs BLOB NOT NULL, blooms BLOB NOT NULL,
    PRIMARY KEY (epoch, scheme, fingerprint)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS seen (
    customer_id TEXT NOT NULL, scheme TEXT NOT NULL, raw_digest BLOB NOT NULL, fingerprint TEXT NOT NULL,
    PRIMARY KEY (customer_id, scheme)
) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class CachedTags:
    """A customer's keys as the package needs them: kinds, 64-byte OPRF outputs, 16-byte Bloom tags."""

    kinds: tuple[str, ...]
    outputs: bytes
    blooms: bytes

    def __repr__(self) -> str:
        return f"CachedTags(keys={len(self.kinds)})"


class TagCache:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:" and not self.path.exists():
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        self._db = sqlite3.connect(str(path), check_same_thread=False)  # callers serialize access
        self._db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + SCHEMA)

    def __repr__(self) -> str:
        return f"TagCache(path={str(self.path)!r})"

    def close(self) -> None:
        self._db.close()

    def get_many(self, epoch: str, scheme: str, fingerprints: Sequence[str]) -> dict[str, CachedTags]:
        found: dict[str, CachedTags] = {}
        for start in range(0, len(fingerprints), 500):
            chunk = list(fingerprints[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT fingerprint, kinds, outputs, blooms FROM tags "
                f"WHERE epoch = ? AND scheme = ? AND fingerprint IN ({marks})",
                (epoch, scheme, *chunk),
            )
            for fingerprint, kinds, outputs, blooms in rows:
                found[fingerprint] = CachedTags(tuple(kinds.split(",")) if kinds else (), outputs, blooms)
        return found

    def put_many(self, epoch: str, scheme: str, rows: Iterable[tuple[str, CachedTags]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO tags VALUES (?, ?, ?, ?, ?, ?)",
                [(epoch, scheme, f, ",".join(t.kinds), t.outputs, t.blooms) for f, t in rows],
            )

    def seen(self, scheme: str) -> dict[str, tuple[bytes, str]]:
        """customer id -> (raw-record digest, fingerprint), for every customer tagged under ``scheme``."""
        rows = self._db.execute(
            "SELECT customer_id, raw_digest, fingerprint FROM seen WHERE scheme = ?", (scheme,)
        )
        return {customer: (digest, fingerprint) for customer, digest, fingerprint in rows}

    def remember(self, scheme: str, rows: Iterable[tuple[str, bytes, str]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO seen VALUES (?, ?, ?, ?)", [(c, scheme, d, f) for c, d, f in rows]
            )

    def keep_only(self, epoch: str, scheme: str) -> int:
        """Drop every row of other epochs or schemes; return how many went."""
        with self._db:
            gone = self._db.execute(
                "DELETE FROM tags WHERE epoch != ? OR scheme != ?", (epoch, scheme)
            ).rowcount
            self._db.execute("DELETE FROM seen WHERE scheme != ?", (scheme,))
        return int(gone)

    def count(self, epoch: str, scheme: str) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM tags WHERE epoch = ? AND scheme = ?", (epoch, scheme))
        return int(row.fetchone()[0])
