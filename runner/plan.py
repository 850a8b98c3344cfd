"""Cutting the stream of input files into shards: the unit of work, of output and of resume.

A shard holds files of one output partition only, up to a count and a byte
budget, and its id is a hash of what it holds: the same inputs give the same
shard id and so the same output file names on every run, which is what makes
a re-run replace its output instead of adding to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from presswash.store.inputs import InputFile


@dataclass(frozen=True, slots=True)
class ShardSpec:
    """A small, picklable description of a shard: paths, never contents."""

    shard_id: str
    source_name: str
    date: str
    root: str
    files: tuple[InputFile, ...]
    # the line keys of the source's boilerplate, attached once learned (see runner/sites.py)
    boilerplate: frozenset[str] = frozenset()

    @property
    def bytes(self) -> int:
        return sum(f.size for f in self.files)


def shard_id(source_name: str, day: str, files: Iterable[InputFile]) -> str:
    digest = hashlib.sha256(f"{source_name}\0{day}".encode())
    for item in files:
        digest.update(b"\0" + item.path.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]


def _spec(key: tuple[str, str, str], files: list[InputFile]) -> ShardSpec:
    return ShardSpec(shard_id(key[0], key[1], files), key[0], key[1], key[2], tuple(files))


def plan_shards(inputs: Iterable[InputFile], max_files: int, max_bytes: int) -> Iterator[ShardSpec]:
    """Shards in input order, lazily; memory bounded by one shard.

    A shard never mixes partitions or input roots, so every record in its
    output maps back to one input path through its `source.uri`. Inputs come
    sorted by path, so a partition's files arrive together and its shards are
    finished before the next partition's begin: a backfill completes partitions
    one after another, which is what lets a killed one skip those it finished.
    """
    current: tuple[str, str, str] | None = None
    files: list[InputFile] = []
    size = 0
    for item in inputs:
        key = (item.source_name, item.date, item.root)
        full = len(files) >= max_files or size + item.size > max_bytes
        if files and (key != current or full):
            yield _spec(current, files)  # type: ignore[arg-type]
            files, size = [], 0
        current = key
        files.append(item)
        size += item.size
    if files and current is not None:
        yield _spec(current, files)
