"""De-duplication at commit time: exact copies by content hash, near copies by MinHash bands.

Decisions are made one shard at a time, in plan order, against the output
folder's persistent index (`_state/state.sqlite`) and against the earlier
records of the same shard (temp tables, so memory stays flat however large
the shard). An article is never a duplicate of a record from its own input:
re-running the same inputs replaces, it does not duplicate.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from presswash.parsers.neardup import (
    BANDS,
    band_keys,
    from_text,
    pack,
    signature,
    similarity,
    unpack,
)
from presswash.runner.shard import SIG_KEY

# Kept articles compared with a new one, at most, per table: those sharing the most bands. A
# copy at the 0.7 threshold shares about 4 of the 16 bands, a stranger almost never more than 1.
MAX_CANDIDATES = 8
# Rows read per band bucket, at most (the oldest): on sites whose articles share stock
# sentences some buckets fill with thousands of articles, and reading them all for every new
# article would make the serial commit quadratic in the output's size. A copy shares several
# bands, so a crowded bucket costs it little recall.
BUCKET_ROWS = 12


def _candidates_sql(rows: str, key: str, fetch: str) -> str:
    """Kept articles sharing the most band buckets with a signature, reading each bucket bounded."""
    buckets = " UNION ALL ".join(
        f"SELECT k FROM (SELECT {key} AS k FROM {rows} WHERE band = ? AND key = ? "
        f"LIMIT {BUCKET_ROWS})"
        for _ in range(BANDS)
    )
    return (
        f"SELECT {fetch} JOIN (SELECT k, COUNT(*) AS hits FROM ({buckets}) "
        f"GROUP BY k ORDER BY hits DESC, k LIMIT ?) c ON c.k = t.{key} ORDER BY c.hits DESC, c.k"
    )


_STAGED_CANDIDATES = _candidates_sql("staged_near", "n", "t.id, t.sig FROM staged t")
_INDEX_CANDIDATES = _candidates_sql("near", "id", "t.id, t.sig, t.input FROM sigs t")

_TEMP = """
CREATE TEMP TABLE IF NOT EXISTS staged (
    n INTEGER PRIMARY KEY, content_hash TEXT, id TEXT, input TEXT, duplicate_of TEXT, sig BLOB
);
CREATE INDEX IF NOT EXISTS temp.staged_hash ON staged(content_hash);
CREATE TEMP TABLE IF NOT EXISTS staged_near (band INTEGER, key INTEGER, n INTEGER);
CREATE INDEX IF NOT EXISTS temp.staged_near_key ON staged_near(band, key);
DELETE FROM staged;
DELETE FROM staged_near;
"""


@dataclass(frozen=True, slots=True)
class Duplicate:
    """The kept article a duplicate points to; `similarity` is None for an exact copy."""

    kept: str
    similarity: float | None = None

    def detail(self) -> str:
        if self.similarity is None:
            return f"The same text as article {self.kept}, which is kept."
        return (
            f"Nearly the same text as article {self.kept} (estimated similarity "
            f"{self.similarity:.2f}), which is kept."
        )


class ShardDeduper:
    """Duplicate decisions for one shard's staged articles, in their order."""

    def __init__(self, conn: sqlite3.Connection, inputs: set[str], threshold: float | None) -> None:
        self.conn = conn
        self.inputs = inputs
        self.threshold = threshold
        conn.executescript(_TEMP)

    def check(self, number: int, record: dict[str, Any], source_input: str) -> Duplicate | None:
        """Decide one article and remember it (kept or not) for the rest of the shard."""
        digest = record["content_hash"]
        found = self._exact(digest)
        sig = None
        bands: list[int] = []
        if found is None and self.threshold is not None:
            staged = record.get(SIG_KEY)
            sig = from_text(staged) if staged else signature(record["text"])
            if sig is not None:
                bands = band_keys(sig)
                found = self._near(sig, bands)
        self.conn.execute(
            "INSERT INTO staged VALUES (?, ?, ?, ?, ?, ?)",
            (
                number,
                digest,
                record["id"],
                source_input,
                found.kept if found else None,
                pack(sig) if sig is not None and found is None else None,
            ),
        )
        if sig is not None and found is None:
            self.conn.executemany(
                "INSERT INTO staged_near VALUES (?, ?, ?)",
                ((band, key, number) for band, key in enumerate(bands)),
            )
        return found

    def _exact(self, digest: str) -> Duplicate | None:
        row = self.conn.execute(
            "SELECT id FROM staged WHERE content_hash = ? AND duplicate_of IS NULL LIMIT 1",
            (digest,),
        ).fetchone()
        if row is not None:
            return Duplicate(row[0])
        row = self.conn.execute(
            "SELECT id, input FROM hashes WHERE content_hash = ?", (digest,)
        ).fetchone()
        if row is not None and row[1] not in self.inputs:
            return Duplicate(row[0])
        return None

    def _near(self, sig: tuple[int, ...], bands: list[int]) -> Duplicate | None:
        """The most similar kept article above the threshold, in this shard or the index."""
        assert self.threshold is not None
        params = [value for pair in enumerate(bands) for value in pair] + [MAX_CANDIDATES]
        best: Duplicate | None = None
        seen: set[str] = set()
        for kept_id, blob in self.conn.execute(_STAGED_CANDIDATES, params):
            best = self._better(best, kept_id, blob, sig, seen)
        for kept_id, blob, source_input in self.conn.execute(_INDEX_CANDIDATES, params):
            if source_input not in self.inputs:
                best = self._better(best, kept_id, blob, sig, seen)
        return best

    def _better(
        self,
        best: Duplicate | None,
        kept_id: str,
        blob: bytes,
        sig: tuple[int, ...],
        seen: set[str],
    ) -> Duplicate | None:
        if kept_id in seen:
            return best
        seen.add(kept_id)
        score = similarity(sig, unpack(blob))
        assert self.threshold is not None
        if score >= self.threshold and (best is None or score > (best.similarity or 0)):
            return Duplicate(kept_id, score)
        return best

    def index(self, shard_id: str) -> None:
        """Add this shard's kept articles to the index (inside the caller's transaction)."""
        self.conn.execute(
            "INSERT OR REPLACE INTO hashes(content_hash, id, shard_id, input) "
            "SELECT content_hash, id, ?, input FROM staged WHERE duplicate_of IS NULL",
            (shard_id,),
        )
        self.conn.execute(
            "INSERT INTO sigs(id, sig, shard_id, input) "
            "SELECT id, sig, ?, input FROM staged WHERE duplicate_of IS NULL AND sig IS NOT NULL",
            (shard_id,),
        )
        self.conn.execute(
            "INSERT INTO near(band, key, id, shard_id, input) "
            "SELECT n.band, n.key, s.id, ?, s.input FROM staged_near n JOIN staged s ON s.n = n.n",
            (shard_id,),
        )


def forget(conn: sqlite3.Connection, shard_ids: list[str], inputs: set[str]) -> None:
    """Remove index entries of replaced shards and of inputs a new shard now owns."""
    for table in ("hashes", "sigs", "near"):
        for path in inputs:
            conn.execute(f"DELETE FROM {table} WHERE input = ?", (path,))
        for shard in shard_ids:
            conn.execute(f"DELETE FROM {table} WHERE shard_id = ?", (shard,))
