"""The index rows this process committed last, kept in memory for the next commits.

A worker looks a shard's articles up in the index as it stood when the shard
started; the committer then needs every row committed since (runner/dedup.py).
Reading them back from SQLite costs the run's own process more than anything
else it does, and the committer has just written them: so it remembers the
last `bound` rows it added, and answers from memory when that is sure to be
the same answer. It is not when another process wrote to the index (the
newest row is not one of ours), when rows were removed since (a re-run
replacing older shards), or when the rows asked for start before the oldest
remembered one. The caller then reads SQLite, as before.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple, Protocol


class _Stored(Protocol):
    """What the index stores of a kept article (`output.index.NewRow`)."""

    id: str
    content_hash: str
    input: str
    sig: bytes | None
    keys: Sequence[int] | None
    title: str | None
    url: str | None


class Remembered(NamedTuple):
    """One committed row: number, content hash, what a `Row` holds, and its band keys."""

    n: int
    content_hash: str
    id: str
    input: str
    sig: bytes | None
    title: str | None
    url: str | None
    keys: tuple[int, ...]


class RecentRows:
    """The last `bound` rows this process added to the index, oldest first."""

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self._rows: list[Remembered] = []
        self._numbers: list[int] = []
        # the index's count of removed rows when the remembered rows were last known complete
        self._removed: int | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, first: int, rows: Sequence[_Stored], removed: int) -> None:
        """Remember rows numbered from `first`, just committed; `removed` is the index's count.

        Rows that do not follow the last remembered one (another writer came
        in between), or rows added after the index lost some (one of them might
        be remembered), start the memory afresh.
        """
        if self._numbers and (first != self._numbers[-1] + 1 or removed != self._removed):
            self.forget()
        for i, row in enumerate(rows):
            keys = tuple(dict.fromkeys(row.keys or ()))  # the index stores each (key, n) once
            self._rows.append(
                Remembered(
                    first + i,
                    row.content_hash,
                    row.id,
                    row.input,
                    row.sig,
                    row.title,
                    row.url,
                    keys,
                )
            )
            self._numbers.append(first + i)
        self._removed = removed
        if len(self._rows) > self.bound:
            drop = len(self._rows) - self.bound
            del self._rows[:drop], self._numbers[:drop]

    def forget(self) -> None:
        self._rows.clear()
        self._numbers.clear()
        self._removed = None

    def after(self, row: int, newest: int, removed: int) -> list[Remembered] | None:
        """The rows numbered after `row`, oldest first, or None when memory cannot say.

        `newest` and `removed` are the index's newest row number and removal
        count now: memory holds every row after `row` only if its newest row is
        the index's newest, nothing was removed since, and it reaches back to `row`.
        """
        if newest <= row:
            return []
        if not self._rows or self._numbers[-1] != newest or self._removed != removed:
            return None
        if self._numbers[0] > row + 1:
            return None
        return self._rows[bisect_right(self._numbers, row) :]
