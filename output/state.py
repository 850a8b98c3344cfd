"""The output folder's memory: which shard holds which inputs, which texts are already kept,
and which lines each source repeats on every page.

One SQLite file in `_state/` beside the data. It is what lets a re-run
replace its own output instead of adding to it, lets a later run find
duplicates of earlier runs, and lets a crashed commit be undone: a shard is
marked pending before its files move into place and confirmed after.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from presswash.output.index import INDEX_SCHEMA, forget, migrate

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


def state_dir(out: Path) -> Path:
    return out / "_state"


def connect(out: Path) -> sqlite3.Connection:
    """The state database of an output folder, created on first use."""
    folder = state_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(folder / "state.sqlite", timeout=60, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(_SCHEMA + INDEX_SCHEMA)
    migrate(conn)
    return conn


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """One committer at a time per output folder, across processes and runs."""
    folder = state_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def recover_pending(conn: sqlite3.Connection) -> int:
    """Undo commits that a crash interrupted: their files go, their inputs will be redone."""
    rows = conn.execute("SELECT shard_id, paths FROM pending").fetchall()
    for shard, paths in rows:
        for path in paths.split("\n"):
            if path:
                Path(path).unlink(missing_ok=True)
        conn.execute("BEGIN IMMEDIATE")
        forget(conn, [shard], [])
        conn.execute("DELETE FROM inputs WHERE shard_id = ?", (shard,))
        conn.execute("DELETE FROM shards WHERE shard_id = ?", (shard,))
        conn.execute("DELETE FROM pending WHERE shard_id = ?", (shard,))
        conn.execute("COMMIT")
    return len(rows)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
