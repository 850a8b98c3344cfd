"""Where a shard's records go before they are committed: files beside the output.

Staging lives inside the output folder (`_staging/<run-id>/`) so that the
commit's rename is on the same file system and therefore atomic; nothing
under `articles/` or `rejected/` is ever written in place.

Each outcome is flushed as it is written, so when a worker process dies the
lines already staged survive it, and a retry resumes after them instead of
starting the shard again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

import orjson


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


class ShardWriter:
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

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
