"""The output folder's de-duplication index: every kept article's content hash and signature.

One row per kept article in `kept`, numbered in commit order (`n` is never
reused, so "the rows committed after n" is a well-defined set), with its
title and URL (a near copy must name the same story), and sixteen integer
keys per signed article in `bands`. Workers read the index as it
stands when their shard is cleaned; the committer adds rows one shard at a
time and reads only what was committed since (see runner/dedup.py).
`DedupIndex` is the part of `OutputState` (output/state.py) that holds them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

from presswash.output.recent_rows import RecentRows
from presswash.output.tables import Tables
from presswash.parsers.neardup import BANDS, band_keys, unpack

# Rows read per band bucket, at most (the oldest): on sites whose articles share stock
# sentences some buckets fill with thousands of articles, and reading them all for every new
# article would make the commit quadratic in the output's size. A copy shares several bands,
# so a crowded bucket costs it little recall.
BUCKET_ROWS = 12
# Above every row number: the bound of a read that wants the whole index.
NO_BOUND = 1 << 62
# Rows the committer keeps in memory of its own last commits (output/recent_rows.py): a few
# shards' worth, as many as a worker is usually behind; about 1.5 kB each.
REMEMBERED_ROWS = 10_000
# SQLite's default limit of host parameters in one statement, with room to spare.
_CHUNK = 900

INDEX_SCHEMA = """
CREATE TABLE IF NOT EXISTS kept (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    sig BLOB,
    shard_id TEXT NOT NULL,
    input TEXT NOT NULL,
    title TEXT,
    url TEXT
);
CREATE INDEX IF NOT EXISTS kept_hash ON kept(content_hash);
CREATE INDEX IF NOT EXISTS kept_shard ON kept(shard_id);
CREATE INDEX IF NOT EXISTS kept_input ON kept(input);
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (key, n)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bands_n ON bands(n);
CREATE TABLE IF NOT EXISTS removals (count INTEGER NOT NULL);
INSERT INTO removals SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM removals);
"""

_BUCKETS = " UNION ALL ".join(
    f"SELECT {band}, n FROM (SELECT n FROM bands WHERE key = ? AND n > ? AND n <= ? "
    f"ORDER BY n LIMIT {BUCKET_ROWS})"
    for band in range(BANDS)
)


@dataclass(frozen=True, slots=True)
class Watermark:
    """How far a reader saw the index: rows up to `row`, after `removed` rows had been removed.

    Rows are only ever appended after it; if the removal count is the same
    later, every row the reader saw is still there.
    """

    row: int
    removed: int


@dataclass(frozen=True, slots=True)
class Row:
    """A kept article as the index knows it."""

    n: int
    id: str
    input: str
    sig: bytes | None = None
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class NewRow:
    """A kept article to add to the index."""

    id: str
    content_hash: str
    input: str
    sig: bytes | None
    keys: Sequence[int] | None
    title: str | None = None
    url: str | None = None


class DedupIndex(Tables):
    """The `kept` and `bands` tables, and the count of rows ever removed from them."""

    remembered: RecentRows

    def has_index(self) -> bool:
        """Whether the index can be read here (a folder of an older version may have none)."""
        try:
            self.conn.execute("SELECT 1 FROM kept LIMIT 1")
        except sqlite3.Error:
            return False
        return True

    def last_row(self) -> int:
        """The number of the newest row: every row committed later has a larger one."""
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'kept'").fetchone()
        return int(row[0]) if row else 0

    def watermark(self) -> Watermark:
        """Where the index stands now (read in one transaction)."""
        self.conn.execute("BEGIN")
        try:
            return Watermark(self.last_row(), self.removed_count())
        finally:
            self.conn.execute("COMMIT")

    def removed_count(self) -> int:
        return int(self.conn.execute("SELECT count FROM removals").fetchone()[0])

    def same_hash(self, digest: str, after: int = 0, upto: int = NO_BOUND) -> list[Row]:
        """Kept articles with this content hash, oldest first, numbered in (after, upto]."""
        return [
            Row(n, id_, input_, None, title, url)
            for n, id_, input_, title, url in self.conn.execute(
                "SELECT n, id, input, title, url FROM kept "
                "WHERE content_hash = ? AND n > ? AND n <= ? ORDER BY n",
                (digest, after, upto),
            )
        ]

    def buckets(self, keys: Sequence[int], after: int = 0, upto: int = NO_BOUND) -> list[list[int]]:
        """For each band key, the oldest rows in (after, upto] sharing it (BUCKET_ROWS at most)."""
        found: list[list[int]] = [[] for _ in keys]
        params = [value for key in keys for value in (key, after, upto)]
        for band, n in self.conn.execute(_BUCKETS, params):
            found[band].append(n)
        return found

    def rows(self, numbers: Iterable[int], *, sigs: bool) -> dict[int, Row]:
        """The rows of these numbers that still exist (a later commit may have removed some);
        with `sigs`, with what comparing them needs: signature, title and URL.
        """
        wanted = sorted(set(numbers))
        columns = "sig, title, url" if sigs else "NULL, NULL, NULL"
        found: dict[int, Row] = {}
        for at in range(0, len(wanted), _CHUNK):
            chunk = wanted[at : at + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for n, id_, input_, *compared in self.conn.execute(
                f"SELECT n, id, input, {columns} FROM kept WHERE n IN ({marks})", chunk
            ):
                found[n] = Row(n, id_, input_, *compared)
        return found

    def newer_than(
        self, after: int, limit: int
    ) -> tuple[list[tuple[str, Row]], list[tuple[int, int]]] | None:
        """Rows committed after `after` with their content hashes, and their band keys, oldest
        first; None past `limit`.
        """
        known = self.remembered.after(after, self.last_row(), self.removed_count())
        if known is not None:
            if len(known) > limit:
                return None
            return (
                [(r.content_hash, Row(r.n, r.id, r.input, r.sig, r.title, r.url)) for r in known],
                [(key, r.n) for r in known for key in r.keys],
            )
        conn = self.conn
        count = conn.execute("SELECT COUNT(*) FROM kept WHERE n > ?", (after,)).fetchone()[0]
        if count > limit:
            return None
        kept = [
            (digest, Row(n, id_, input_, sig, title, url))
            for n, id_, digest, input_, sig, title, url in conn.execute(
                "SELECT n, id, content_hash, input, sig, title, url FROM kept WHERE n > ? "
                "ORDER BY n",
                (after,),
            )
        ]
        keys = conn.execute("SELECT key, n FROM bands WHERE n > ? ORDER BY n", (after,)).fetchall()
        return kept, keys

    def add_kept(self, shard_id: str, new: Sequence[NewRow]) -> None:
        """Append a shard's kept articles, in a transaction of their own."""
        with self.transaction():
            first = self._add_rows(shard_id, new)
        self.remembered.add(first, new, self.removed_count())

    def forget_kept(self, shard_ids: Iterable[str], inputs: Iterable[str]) -> None:
        """Remove the rows of these shards and inputs, in a transaction of their own."""
        with self.transaction():
            self._forget_rows(shard_ids, inputs)

    def _add_rows(self, shard_id: str, new: Sequence[NewRow]) -> int:
        """Append kept articles numbered after every row so far; the caller holds a transaction.

        Returns the number of the first; the caller remembers them once committed.
        """
        first = self.last_row() + 1
        self.conn.executemany(
            "INSERT INTO kept(n, id, content_hash, sig, shard_id, input, title, url) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (first + i, r.id, r.content_hash, r.sig, shard_id, r.input, r.title, r.url)
                for i, r in enumerate(new)
            ),
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO bands(key, n) VALUES (?, ?)",
            ((key, first + i) for i, r in enumerate(new) for key in (r.keys or ())),
        )
        return first

    def _forget_rows(self, shard_ids: Iterable[str], inputs: Iterable[str]) -> None:
        """Remove the rows of replaced shards and of inputs a new shard now owns."""
        removed = 0
        for column, values in (("shard_id", shard_ids), ("input", inputs)):
            params = [(value,) for value in values]
            self.conn.executemany(
                f"DELETE FROM bands WHERE n IN (SELECT n FROM kept WHERE {column} = ?)", params
            )
            removed += self.conn.executemany(
                f"DELETE FROM kept WHERE {column} = ?", params
            ).rowcount
        if removed > 0:
            self.conn.execute("UPDATE removals SET count = count + ?", (removed,))

    def _migrate_index(self) -> None:
        """Bring an index of an older version to this layout: 0.3's `kept` gains the title
        and URL columns, 0.2's three tables keyed by text move into `kept` and `bands`.
        """
        self._add_story_columns()
        self._move_old_tables()

    def _add_story_columns(self) -> None:
        """Add `title` and `url` to a `kept` of presswash 0.3; its rows keep none (NULL).

        A row without a title agrees with any title, so what 0.3 indexed is
        matched as 0.3 matched it; only articles indexed from now on are
        kept apart from a near copy with another title.
        """
        if self._story_columns():
            return
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        if not self._story_columns():  # another process added them while this one waited
            conn.execute("ALTER TABLE kept ADD COLUMN title TEXT")
            conn.execute("ALTER TABLE kept ADD COLUMN url TEXT")
        conn.execute("COMMIT")

    def _story_columns(self) -> bool:
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(kept)")}
        return {"title", "url"} <= columns

    def _move_old_tables(self) -> None:
        """Move an index of presswash 0.2 (three tables keyed by text) into `kept` and `bands`."""
        if not self._old_tables():
            return
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        if not self._old_tables():  # another process moved it while this one waited
            conn.execute("COMMIT")
            return
        old = conn.execute(
            "SELECT h.id, h.content_hash, s.sig, h.shard_id, h.input FROM hashes h "
            "LEFT JOIN sigs s ON s.id = h.id ORDER BY h.rowid"
        )
        # in commit order and in bounded batches: an old index may hold millions of articles
        while batch := old.fetchmany(_CHUNK):
            for shard, group in groupby(batch, key=lambda row: row[3]):
                self._add_rows(
                    shard,
                    [
                        NewRow(id_, digest, input_, sig, band_keys(unpack(sig)) if sig else None)
                        for id_, digest, sig, _, input_ in group
                    ],
                )
        conn.execute("DROP TABLE near")
        conn.execute("DROP TABLE sigs")
        conn.execute("DROP TABLE hashes")
        conn.execute("COMMIT")

    def _old_tables(self) -> bool:
        tables = {name for (name,) in self.conn.execute("SELECT name FROM sqlite_master")}
        return {"hashes", "sigs", "near"} <= tables
