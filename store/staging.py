"""Where a shard's records go before they are committed: files beside the output.

Staging lives inside the output folder (`_staging/<run-id>/`) so that the
commit's rename is on the same file system and therefore atomic; nothing
under `articles/` or `rejected/` is ever written in place.
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
    """The three files a shard leaves for its commit."""

    articles: Path
    rejected: Path
    keys: Path

    @classmethod
    def for_shard(cls, staging_dir: Path, shard_id: str) -> StagedFiles:
        return cls(
            staging_dir / f"{shard_id}.articles.jsonl",
            staging_dir / f"{shard_id}.rejected.jsonl",
            staging_dir / f"{shard_id}.keys.jsonl",
        )


def _fsync_close(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()


class ShardWriter:
    """Appends records of one shard to its staged files; durable once closed."""

    def __init__(self, files: StagedFiles) -> None:
        files.articles.parent.mkdir(parents=True, exist_ok=True)
        self.files = files
        self._articles = open(files.articles, "wb")  # noqa: SIM115 - closed in close()
        self._rejected = open(files.rejected, "wb")  # noqa: SIM115
        self._keys = open(files.keys, "wb")  # noqa: SIM115

    def article(self, record: dict[str, Any], input_path: str) -> None:
        self._articles.write(orjson.dumps(record) + b"\n")
        key = {"id": record["id"], "content_hash": record["content_hash"], "input": input_path}
        self._keys.write(orjson.dumps(key) + b"\n")

    def rejection(self, record: dict[str, Any]) -> None:
        self._rejected.write(orjson.dumps(record) + b"\n")

    def close(self) -> None:
        for handle in (self._articles, self._rejected, self._keys):
            if not handle.closed:
                _fsync_close(handle)

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
