"""The counts of each part file, cached for the consumers in the output's state database.

A scheduled run refreshes the report of a folder that may hold millions of
records; reading them all again every run would cost more than the run.
Part files are replaced by rename (or one PUT), never edited in place, so
(size, mtime) says whether a cached count still holds. The table
`part_stats` is made by the first stats pass over a folder.
`PartCounts` is the part of `OutputState` (output/state.py) that holds it.
"""

from __future__ import annotations

import contextlib
import sqlite3

from presswash.output.tables import Tables

_PART_STATS = """
CREATE TABLE IF NOT EXISTS part_stats (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, data BLOB NOT NULL
)
"""


class PartCounts(Tables):
    """`part_stats`: one row per part file, read and written in one transaction per pass."""

    def begin_part_counts(self) -> bool:
        """Open a stats pass's transaction; False when this database cannot keep the counts."""
        try:
            self.conn.execute(_PART_STATS)
            self.conn.execute("BEGIN")
        except sqlite3.Error:
            return False
        return True

    def part_counts(self, path: str, size: int, mtime_ns: int) -> bytes | None:
        """The counts kept for a part file, if it has not changed since."""
        row = self.conn.execute(
            "SELECT data FROM part_stats WHERE path = ? AND size = ? AND mtime_ns = ?",
            (path, size, mtime_ns),
        ).fetchone()
        return row[0] if row else None

    def put_part_counts(self, path: str, size: int, mtime_ns: int, data: bytes) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO part_stats VALUES (?, ?, ?, ?)", (path, size, mtime_ns, data)
        )

    def end_part_counts(self, seen: set[str]) -> None:
        """Forget the parts not `seen` in this pass and commit; a failure only loses the cache."""
        try:
            stale = [
                (path,)
                for (path,) in self.conn.execute("SELECT path FROM part_stats")
                if path not in seen
            ]
            self.conn.executemany("DELETE FROM part_stats WHERE path = ?", stale)
            self.conn.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
