"""The output folder's memory: which shard holds which inputs, which texts are already kept,
and which lines each source repeats on every page.

One SQLite file in `_state/` beside the data. It is what lets a re-run
replace its own output instead of adding to it, lets a later run find
duplicates of earlier runs, and lets a crashed commit be undone: a shard is
marked pending before its files move into place and confirmed after.

`OutputState` is the one way in: every connection to the file and every
statement on it goes through its methods. The tables of the de-duplication
index, of the site samples and of the consumers' part counts are written in
their own modules (`index.py`, `sites.py`, `part_counts.py`) and mixed in.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import astuple, dataclass
from pathlib import Path

from presswash.output.index import INDEX_SCHEMA, REMEMBERED_ROWS, DedupIndex, NewRow
from presswash.output.part_counts import PartCounts
from presswash.output.recent_rows import RecentRows
from presswash.output.sites import SiteSamples
from presswash.output.tables import prefix_bounds
from presswash.schemas.layout import LOCK, STATE, STATE_DB

_SCHEMA = """
CREATE TABLE IF NOT EXISTS shards (
    shard_id TEXT PRIMARY KEY,
    source_name TEXT NOT NULL,
    date TEXT NOT NULL,
    root TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    run_id TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    articles INTEGER NOT NULL,
    rejected INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT PRIMARY KEY,
    shard_id TEXT NOT NULL,
    root TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS inputs_shard ON inputs(shard_id);
CREATE TABLE IF NOT EXISTS site_pages (
    site TEXT NOT NULL,
    page TEXT NOT NULL,
    PRIMARY KEY (site, page)
);
CREATE TABLE IF NOT EXISTS site_lines (
    site TEXT NOT NULL,
    key TEXT NOT NULL,
    pages INTEGER NOT NULL,
    PRIMARY KEY (site, key)
);
CREATE TABLE IF NOT EXISTS pending (
    shard_id TEXT PRIMARY KEY,
    paths TEXT NOT NULL
);
"""
SNAPSHOT = f"{STATE}/state.snapshot.sqlite"


@dataclass(frozen=True, slots=True)
class ShardRow:
    """A committed shard as `shards` keeps it (the fields in the table's column order)."""

    shard_id: str
    source_name: str
    date: str
    root: str
    pipeline_version: str
    run_id: str
    committed_at: str
    articles: int
    rejected: int


@dataclass(frozen=True, slots=True)
class InputRow:
    """An input a shard owns, as `inputs` keeps it: size and time say whether it changed since."""

    path: str
    root: str
    size: int
    mtime_ns: int


def state_path(out: Path) -> Path:
    """The state database of an output folder: the one place its path is made."""
    return out / STATE_DB


class OutputState(DedupIndex, SiteSamples, PartCounts, AbstractContextManager["OutputState"]):
    """The state database of one output folder, open for reading or for committing."""

    def __init__(self, out: Path, conn: sqlite3.Connection) -> None:
        self.out = out
        self.conn = conn
        self.remembered = RecentRows(REMEMBERED_ROWS)

    @property
    def path(self) -> Path:
        return state_path(self.out)

    @classmethod
    def open(cls, out: Path) -> OutputState:
        """For a run: read-write, made on first use, an older version's tables moved."""
        (out / STATE).mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(state_path(out), timeout=60, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.executescript(_SCHEMA + INDEX_SCHEMA)
        state = cls(out, conn)
        state._migrate_index()
        return state

    @classmethod
    def open_readonly(cls, out: Path) -> OutputState | None:
        """For reading beside a committer, nothing made or written; None if there is none."""
        path = state_path(out)
        if not path.is_file():
            return None
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
        except sqlite3.Error:
            return None
        return cls(out, conn)

    @classmethod
    def open_existing(cls, out: Path) -> OutputState | None:
        """Read-write on the database as it is, nothing made or migrated, for the consumers'
        cache; None when there is none or it cannot be written (a copied or read-only folder).
        """
        path = state_path(out)
        if not path.is_file() or not os.access(path, os.W_OK):
            return None
        try:
            conn = sqlite3.connect(path, timeout=5, isolation_level=None)
        except sqlite3.Error:
            return None
        return cls(out, conn)

    def close(self) -> None:
        self.conn.close()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One committer at a time per output folder, across processes and runs."""
        (self.out / STATE).mkdir(parents=True, exist_ok=True)
        with open(self.out / LOCK, "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def abandon_transaction(self) -> None:
        """Roll back what a failed earlier attempt left open, so that a retry starts clean."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def mark_pending(self, shard_id: str, paths: Iterable[Path]) -> None:
        """Say, before a shard's files move into place, which files a crash would leave."""
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO pending(shard_id, paths) VALUES (?, ?)",
                (shard_id, "\n".join(str(p) for p in paths)),
            )

    def recover_pending(self) -> int:
        """Undo commits that a crash interrupted: their files go, their inputs will be redone."""
        rows = self.conn.execute("SELECT shard_id, paths FROM pending").fetchall()
        for shard, paths in rows:
            for path in paths.split("\n"):
                if path:
                    Path(path).unlink(missing_ok=True)
            with self.transaction():
                self._forget_rows([shard], [])
                self._drop_shards([shard])
                self.conn.execute("DELETE FROM pending WHERE shard_id = ?", (shard,))
        return len(rows)

    def record_commit(
        self,
        shard: ShardRow,
        inputs: Sequence[InputRow],
        kept: Sequence[NewRow],
        replaced: Sequence[str],
    ) -> None:
        """Say in one transaction that a shard is in place, what it holds and what it replaced."""
        dropped = [*replaced, shard.shard_id]
        with self.transaction():
            self._forget_rows(dropped, {row.path for row in inputs})
            self._drop_shards(dropped)
            first = self._add_rows(shard.shard_id, kept)
            self.conn.executemany(
                "INSERT OR REPLACE INTO inputs(path, shard_id, root, size, mtime_ns) "
                "VALUES (?, ?, ?, ?, ?)",
                ((r.path, shard.shard_id, r.root, r.size, r.mtime_ns) for r in inputs),
            )
            self.conn.execute(
                "INSERT OR REPLACE INTO shards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", astuple(shard)
            )
            self.conn.execute("DELETE FROM pending WHERE shard_id = ?", (shard.shard_id,))
        self.remembered.add(first, kept, self.removed_count())

    def _drop_shards(self, shard_ids: Iterable[str]) -> None:
        for old in shard_ids:
            self.conn.execute("DELETE FROM inputs WHERE shard_id = ?", (old,))
            self.conn.execute("DELETE FROM shards WHERE shard_id = ?", (old,))

    def holders(self, shard_id: str, key: str, path: str, pieces: str) -> list[tuple[str, str]]:
        """(shard, input) of the inputs of other shards named `key` or `path`, or starting
        with `pieces` (the pieces of file `path`, cut by any run).
        """
        low, high = prefix_bounds(pieces)
        return self.conn.execute(
            "SELECT shard_id, path FROM inputs WHERE shard_id != ? AND (path = ? OR path = ? "
            "OR (path >= ? AND path < ?))",
            (shard_id, key, path, low, high),
        ).fetchall()

    def committed_inputs(self, key: str, pieces: str) -> list[tuple[str, int, int, str]]:
        """(input, size, mtime_ns, pipeline version) of the input `key` and of the inputs
        starting with `pieces` (its pieces), as they were committed.
        """
        low, high = prefix_bounds(pieces)
        return self.conn.execute(
            "SELECT i.path, i.size, i.mtime_ns, s.pipeline_version FROM inputs i "
            "JOIN shards s ON s.shard_id = i.shard_id "
            "WHERE i.path = ? OR (i.path >= ? AND i.path < ?)",
            (key, low, high),
        ).fetchall()

    def shard_place(self, shard_id: str) -> tuple[str, str, str] | None:
        """(source name, date, root) of a committed shard: where its part files are."""
        return self.conn.execute(
            "SELECT source_name, date, root FROM shards WHERE shard_id = ?", (shard_id,)
        ).fetchone()

    def shard_inputs(self, shard_id: str) -> set[str]:
        rows = self.conn.execute("SELECT path FROM inputs WHERE shard_id = ?", (shard_id,))
        return {path for (path,) in rows}

    def shard_ids(self) -> set[str]:
        """Every committed shard: a part file of any other was left by a run that died."""
        return {shard for (shard,) in self.conn.execute("SELECT shard_id FROM shards")}

    def snapshot(self) -> Path:
        """A consistent copy of the open database beside it, to upload between two commits."""
        target = self.out / SNAPSHOT
        target.unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(target)) as copy:
            self.conn.backup(copy)
        return target
