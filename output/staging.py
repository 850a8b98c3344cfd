"""Where a shard's records go before they are committed: files beside the output.

Staging lives inside the output folder (`_staging/<run-id>/`) so that the
commit's rename is on the same file system and therefore atomic; nothing
under `articles/` or `rejected/` is ever written in place.

Each outcome is flushed as it is written, so when a worker process dies the
lines already staged survive it, and a retry resumes after them instead of
starting the shard again.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

LIVE = ".live"


class StagingClaim:
    """A run's claim on its staging folder, held (a shared lock) for as long as the run lives.

    Runs that died (killed, crashed, disk full) leave their `_staging/<run-id>/`
    behind; a later run removes every folder whose claim nobody holds any more,
    while two live runs into one output folder leave each other's alone.
    """

    def __init__(self, staging_dir: Path) -> None:
        staging_dir.mkdir(parents=True, exist_ok=True)
        self._handle: BinaryIO | None = open(staging_dir / LIVE, "a+b")  # noqa: SIM115
        fcntl.flock(self._handle.fileno(), fcntl.LOCK_SH)

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the lock
            self._handle = None


def remove_abandoned(staging_root: Path, keep: Path) -> int:
    """Remove the staging folders of runs that are no longer alive; returns how many."""
    removed = 0
    try:
        folders = [entry for entry in staging_root.iterdir() if entry.is_dir()]
    except OSError:
        return 0
    for folder in folders:
        if folder == keep or not _abandoned(folder):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def _abandoned(folder: Path) -> bool:
    """True when no live run holds the folder's claim (or it never had one: an older version)."""
    try:
        handle = open(folder / LIVE, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return True
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


@dataclass(frozen=True, slots=True)
class StagedFiles:
    """The files a shard leaves for its commit: its records, and its articles' de-dup facts."""

    articles: Path
    rejected: Path
    facts: Path

    @classmethod
    def for_shard(cls, staging_dir: Path, shard_id: str) -> StagedFiles:
        return cls(
            staging_dir / f"{shard_id}.articles.jsonl",
            staging_dir / f"{shard_id}.rejected.jsonl",
            staging_dir / f"{shard_id}.facts.jsonl",
        )

    @property
    def _marker(self) -> Path:
        return self.articles.with_suffix(".attempt")

    def all(self) -> tuple[Path, ...]:
        """Every file of this shard in staging, to remove once it is committed."""
        return (self.articles, self.rejected, self.facts, self._marker)

    def mark_attempt(self, token: str) -> None:
        """Say which attempt is running this shard, so a supervisor can tell it started."""
        self._marker.parent.mkdir(parents=True, exist_ok=True)
        self._marker.write_text(token)

    def attempt_marker(self) -> str | None:
        try:
            return self._marker.read_text()
        except OSError:
            return None


def _whole_lines(path: Path) -> int:
    """Cut a torn last line off a staged file and count the whole lines left."""
    if not path.exists():
        return 0
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end != len(data):
        with open(path, "r+b") as handle:
            handle.truncate(end)
    return data.count(b"\n", 0, end)


def staged_outcomes(files: StagedFiles) -> int:
    """How many outcomes a shard had staged when its worker stopped."""
    return _whole_lines(files.articles) + _whole_lines(files.rejected)


class ShardWriter(AbstractContextManager["ShardWriter"]):
    """Appends records of one shard to its staged files; durable once closed."""

    def __init__(self, files: StagedFiles, *, resume: bool = False) -> None:
        files.articles.parent.mkdir(parents=True, exist_ok=True)
        mode = "ab" if resume else "wb"
        self.files = files
        self._articles: BinaryIO = open(files.articles, mode)  # noqa: SIM115 - closed in close()
        self._rejected: BinaryIO = open(files.rejected, mode)  # noqa: SIM115

    def article(self, record: dict[str, Any]) -> None:
        self._articles.write(orjson.dumps(record) + b"\n")
        self._articles.flush()

    def rejection(self, record: dict[str, Any]) -> None:
        self._rejected.write(orjson.dumps(record) + b"\n")
        self._rejected.flush()

    def close(self) -> None:
        for handle in (self._articles, self._rejected):
            if not handle.closed:
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()

    def __exit__(self, *exc_info: object) -> None:
        self.close()
