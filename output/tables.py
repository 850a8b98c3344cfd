"""What every group of tables in `_state/state.sqlite` shares: one connection, one way to write.

The tables are kept in separate modules (the de-duplication index, the site
samples, the part counts) so that each stays small; `OutputState` in
`output/state.py` is the one class that has them all, and the only thing
that opens the database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


class Tables:
    """A group of tables of the state database, reached through the state's connection."""

    conn: sqlite3.Connection

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, taken at once so two writers never deadlock half way."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:  # SQLite ends some failed transactions itself
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """`low <= name < high` holds for the names that start with `prefix` (an index range).

    `prefix` must not end in the largest code point; the names it is used
    for end in `=`.
    """
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)
