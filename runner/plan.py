"""Cutting the stream of input files into shards: the unit of work, of output and of resume.

A shard holds files of one output partition only, up to a count and a byte
budget, and its id is a hash of what it holds: the same inputs give the same
shard id and so the same output file names on every run, which is what makes
a re-run replace its output instead of adding to it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import BinaryIO

from presswash.parsers.readers import input_format
from presswash.schemas import layout
from presswash.sources.inputs import InputFile

CHUNK = 1 << 20
# A whitespace-only JSONL line longer than this may or may not be a record (that depends on
# limits.max_line_bytes), so a file holding one is not split rather than numbered wrongly.
LONG_BLANK = 64 * 1024
_BLANK_AFTER = re.compile(rb"\n(?=[ \t\r\x0b\x0c]*\n)")
_BLANK_FIRST = re.compile(rb"[ \t\r\x0b\x0c]*\n")
# WARC header blocks past these bounds are left to the reader to reject, in a file read whole.
MAX_WARC_HEADER = 64 * 1024
MAX_WARC_LINES = 1_000
_PAGES = frozenset({b"response", b"resource"})


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
        if item.ranged:  # a piece of a big file; a whole file's id is as it always was
            digest.update(f"\0{item.start}-{item.end}".encode())
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
    A big file comes as its pieces (`split_inputs`), each a shard of its own.
    """
    current: tuple[str, str, str] | None = None
    files: list[InputFile] = []
    size = 0
    for item in split_inputs(inputs, max_bytes):
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


# A cut: (byte offset, lines before it, records before it). For a WARC both counts are the
# page (response/resource) records before it.
Cut = tuple[int, int, int]


def split_inputs(inputs: Iterable[InputFile], step: int) -> Iterator[InputFile]:
    """Each input, a big uncompressed JSONL or WARC file as byte ranges cut at records.

    A file over `step` bytes would otherwise be one shard, cleaned by one worker
    while the others wait. Cut points come from one sequential scan: the first
    record boundary at or past each `step` bytes, with the records before it, so
    every piece numbers its records as the whole file does. A gzipped file stays
    whole (a gzip stream cannot be entered midway), as does a file on object
    storage, and any file whose scan finds what it cannot be sure of.
    """
    for item in inputs:
        if item.problem or item.size <= step or layout.is_url(item.path):
            yield item
            continue
        fmt, gzipped = input_format(item.rel)
        if (
            gzipped
            or fmt not in ("jsonl", "warc")
            or not item.rel.lower().endswith((".jsonl", ".ndjson", ".warc"))
        ):
            yield item
            continue
        yield from _pieces(item, _cuts(item.path, fmt, step))


def _cuts(path: str, fmt: str, step: int) -> list[Cut]:
    """The cut points of a file; none when it cannot (or need not) be split."""
    try:
        with open(path, "rb") as handle:
            found = _jsonl_cuts(handle, step) if fmt == "jsonl" else _warc_cuts(handle, step)
    except OSError:
        return []  # the reader reports what is wrong with the file
    return found or []


def _pieces(item: InputFile, cuts: list[Cut]) -> Iterator[InputFile]:
    if not cuts:
        yield item
        return
    bounds = [(0, 0, 0), *cuts, (item.size, -1, -1)]
    for (start, first, before), (end, upto, _) in pairwise(bounds):
        last = None if upto < 0 else upto
        yield replace(
            item, size=end - start, start=start, end=end, first=first, last=last, before=before
        )


def _blank_lines(data: bytes | memoryview, at_line_start: bool) -> int:
    """Whitespace-only lines among the complete lines of `data` (which ends with a newline)."""
    blank = len(_BLANK_AFTER.findall(data))
    if at_line_start and _BLANK_FIRST.match(data):
        blank += 1
    return blank


def _jsonl_cuts(handle: BinaryIO, step: int) -> list[Cut] | None:
    """Cuts after the first newline at or past each `step` bytes; None if unsure of a count."""
    cuts: list[Cut] = []
    target = step
    base = lines = blanks = 0  # offset of `carry`; lines and blank lines before it
    carry = b""
    while chunk := handle.read(CHUNK):
        data = carry + chunk
        end = data.rfind(b"\n") + 1
        if end == 0:
            if len(data) > LONG_BLANK and not data.strip():
                return None
            if len(data) > LONG_BLANK:  # a long line, not blank: one byte stands for its start
                base += len(data) - 1
                carry = b"x"
            else:
                carry = data
            continue
        done = data[:end]
        while (cut := done.find(b"\n", max(0, target - 1 - base))) >= 0:
            head = done[: cut + 1]
            before = lines + head.count(b"\n")
            cuts.append((base + cut + 1, before, before - blanks - _blank_lines(head, True)))
            target = base + cut + 1 + step
        lines += done.count(b"\n")
        blanks += _blank_lines(done, True)
        carry = data[end:]
        base += end
    if cuts and cuts[-1][0] == base + len(carry):
        cuts.pop()  # the file ends there: no piece after it
    return cuts


def _warc_header(handle: BinaryIO) -> tuple[int, bytes, int] | None:
    """(header bytes, WARC-Type, Content-Length) of the record whose first line was just read."""
    size = 0
    kind = b""
    length: int | None = None
    for _ in range(MAX_WARC_LINES):
        line = handle.readline(MAX_WARC_HEADER)
        size += len(line)
        if not line or size > MAX_WARC_HEADER or not line.endswith(b"\n"):
            return None
        if not line.strip():
            return (size, kind, length) if length is not None else None
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"warc-type":
            kind = value.strip()
        elif name == b"content-length":
            if not value.strip().isdigit():
                return None
            length = int(value.strip())
    return None


def _warc_cuts(handle: BinaryIO, step: int) -> list[Cut] | None:
    """Cuts at the first record start at or past each `step` bytes, walking headers only.

    Bodies are skipped by their Content-Length. Anything but a well-formed plain
    archive (gzip, a bad header, a record cut short) is None: such a file is read whole,
    where the reader reports what is wrong exactly as it always has.
    """
    size = handle.seek(0, 2)
    cuts: list[Cut] = []
    pos = pages = blank = 0
    target = step
    while pos < size:
        handle.seek(pos)
        line = handle.readline(MAX_WARC_HEADER)
        if not line.strip():
            blank += 1
            if blank > MAX_WARC_LINES or not line.endswith(b"\n"):
                return None
            pos += len(line)
            continue
        blank = 0
        if not line.startswith(b"WARC/") or not line.endswith(b"\n"):
            return None
        if pos >= target:
            cuts.append((pos, pages, pages))
            target = pos + step
        header = _warc_header(handle)
        if header is None:
            return None
        pos += len(line) + header[0] + header[2]
        if pos > size:
            return None
        pages += header[1] in _PAGES
    return cuts
