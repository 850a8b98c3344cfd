"""Cutting the stream of input files into shards: the unit of work, of output and of resume.

A shard holds files of one output partition only, up to a count and a byte
budget, and its id is a hash of what it holds: the same inputs give the same
shard id and so the same output file names on every run, which is what makes
a re-run replace its output instead of adding to it.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import BinaryIO, NamedTuple

from presswash.parsers.readers import input_format
from presswash.parsers.readers.gz import Member, intact_members
from presswash.schemas import layout
from presswash.schemas.settings import Limits
from presswash.sources.inputs import InputFile

CHUNK = 1 << 20
# The plan reads at most this many files ahead of the shard it cuts (a few hundred bytes each).
MAX_LOOKAHEAD = 20_000
# The smallest shard the end of a run is cut into, unless `run.shard_files` is smaller.
TAIL_FILES = 100
# A whitespace-only JSONL line longer than this may or may not be a record (that depends on
# limits.max_line_bytes), so a file holding one is not split rather than numbered wrongly.
LONG_BLANK = 64 * 1024
_BLANK_AFTER = re.compile(rb"\n(?=[ \t\r\x0b\x0c]*\n)")
_BLANK_FIRST = re.compile(rb"[ \t\r\x0b\x0c]*\n")
# WARC header blocks past these bounds are left to the reader to reject, in a file read whole.
MAX_WARC_HEADER = 64 * 1024
MAX_WARC_LINES = 1_000
WARC_VERSIONS = (b"WARC/1.1", b"WARC/1.0", b"WARC/0.17", b"WARC/0.18")  # what warcio reads
_PAGES = frozenset({"response", "resource"})
# What the scan of a gzipped WARC keeps of each member: room for its header block, and its end.
GZ_HEAD = 2 * MAX_WARC_HEADER
GZ_TAIL = 1024


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


def plan_shards(
    inputs: Iterable[InputFile],
    max_files: int,
    max_bytes: int,
    limits: Limits | None = None,
    workers: int = 1,
) -> Iterator[ShardSpec]:
    """Shards in input order, lazily; memory bounded by a look-ahead of files.

    A shard never mixes partitions or input roots, so every record in its
    output maps back to one input path through its `source.uri`. Inputs come
    sorted by path, so a partition's files arrive together and its shards are
    finished before the next partition's begin: a backfill completes partitions
    one after another, which is what lets a killed one skip those it finished.
    A big file comes as its pieces (`split_inputs`), each a shard of its own.

    Shards are as big as `max_files` allows while the end of the inputs is out
    of sight, since every shard costs a commit, and a Prefect task run in a
    flow run; once it is in sight, they shrink (`shard_cap`) so that the
    workers finish together instead of one of them cleaning a big last shard
    alone. The plan depends only on the inputs and these arguments, so a
    re-run with the same settings gives the same shard ids.
    """
    ahead = Lookahead(split_inputs(inputs, max_bytes, limits), lookahead_files(max_files, workers))
    while (first := ahead.pop()) is not None:
        cap = shard_cap(max_files, ahead.left(), workers)
        key = (first.source_name, first.date, first.root)
        files, size = [first], first.size
        while len(files) < cap and (item := ahead.peek()) is not None:
            if (item.source_name, item.date, item.root) != key or size + item.size > max_bytes:
                break
            files.append(item)
            size += item.size
            ahead.pop()
        yield _spec(key, files)


def lookahead_files(max_files: int, workers: int) -> int:
    """How many files the plan reads ahead: enough to see a full shard per worker twice over."""
    return min(MAX_LOOKAHEAD, 2 * workers * max_files)


def shard_cap(max_files: int, left: int | None, workers: int) -> int:
    """Files the next shard may hold, `left` being the files not yet planned (None: many).

    Near the end, a shard takes an even share of what is left, split twice
    over per worker (what guided scheduling does), and no fewer than
    TAIL_FILES files, below which a shard's own cost starts to count.
    """
    if left is None:
        return max_files
    return min(max_files, max(TAIL_FILES, -(-left // (2 * workers))))


class Lookahead:
    """An iterator read up to `size` items ahead, which knows how many are left once it ends."""

    def __init__(self, items: Iterable[InputFile], size: int) -> None:
        self._items = iter(items)
        self._size = max(1, size)
        self._buffer: deque[InputFile] = deque()
        self._ended = False

    def _fill(self) -> None:
        while not self._ended and len(self._buffer) < self._size:
            item = next(self._items, None)
            if item is None:
                self._ended = True
            else:
                self._buffer.append(item)

    def peek(self) -> InputFile | None:
        self._fill()
        return self._buffer[0] if self._buffer else None

    def pop(self) -> InputFile | None:
        self._fill()
        return self._buffer.popleft() if self._buffer else None

    def left(self) -> int | None:
        """Items not yet taken, once the end is in the buffer; None while more may come."""
        self._fill()
        return len(self._buffer) if self._ended else None


class Cut(NamedTuple):
    """Where a piece starts, and what the file holds before it (the fields of `InputFile`).

    `first` is the records numbered before it (for JSONL, its lines), `before`
    the records counted against the limit (non-blank lines); for a WARC both are
    its page (response/resource) records. `inflated` is for a gzipped WARC.
    """

    start: int
    first: int
    before: int
    inflated: int = 0


def split_inputs(
    inputs: Iterable[InputFile], step: int, limits: Limits | None = None
) -> Iterator[InputFile]:
    """Each input, a big JSONL, WARC or gzipped WARC file as byte ranges cut at records.

    A file over `step` bytes would otherwise be one shard, cleaned by one worker
    while the others wait. Cut points come from one sequential scan: the first
    record boundary at or past each `step` bytes, with the records before it, so
    every piece numbers its records as the whole file does. A gzipped WARC is cut
    where a gzip member starts (one record to a member, as archivers write it);
    any other gzipped file stays whole (a gzip stream cannot be entered midway),
    as does a file on object storage, and any file whose scan finds what it
    cannot be sure of. The scan stops where the reader's `limits` would.
    """
    for item in inputs:
        kind = None if item.problem or layout.is_url(item.path) else _kind(item.rel)
        if item.size <= step or kind is None:
            yield item
            continue
        yield from _pieces(item, _cuts(item.path, kind, step, limits or Limits()))


def _kind(rel: str) -> str | None:
    """'jsonl', 'warc' or 'warc.gz' for a file that can be split, by the name its reader goes by."""
    fmt, gzipped = input_format(rel)
    name = rel.lower()
    if fmt == "jsonl" and not gzipped and name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if fmt == "warc" and name.endswith(".warc.gz" if gzipped else ".warc"):
        return "warc.gz" if gzipped else "warc"
    return None


def _cuts(path: str, kind: str, step: int, limits: Limits) -> list[Cut]:
    """The cut points of a file; none when it cannot (or need not) be split."""
    bound = min(limits.max_line_bytes, MAX_WARC_HEADER)  # the reader's bound on a WARC header
    try:
        with open(path, "rb") as handle:
            if kind == "jsonl":
                found = _jsonl_cuts(handle, step)
            elif kind == "warc":
                found = _warc_cuts(handle, step, bound)
            else:
                found = _warc_gz_cuts(handle, step, bound, limits.max_decompressed_bytes)
    except OSError:
        return []  # the reader reports what is wrong with the file
    return found or []


def _pieces(item: InputFile, cuts: list[Cut]) -> Iterator[InputFile]:
    if not cuts:
        yield item
        return
    bounds = [Cut(0, 0, 0), *cuts, Cut(item.size, -1, -1)]
    for begin, end in pairwise(bounds):
        yield replace(
            item,
            size=end.start - begin.start,
            start=begin.start,
            end=end.start,
            first=begin.first,
            last=None if end.first < 0 else end.first,
            before=begin.before,
            inflated=begin.inflated,
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
            cuts.append(Cut(base + cut + 1, before, before - blanks - _blank_lines(head, True)))
            target = base + cut + 1 + step
        lines += done.count(b"\n")
        blanks += _blank_lines(done, True)
        carry = data[end:]
        base += end
    if cuts and cuts[-1].start == base + len(carry):
        cuts.pop()  # the file ends there: no piece after it
    return cuts


def _header_text(line: bytes) -> str:
    """A header line decoded as warcio decodes it."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("iso-8859-1")


def _warc_header(handle: BinaryIO, status: bytes, bound: int) -> tuple[int, str, int] | None:
    """(bytes after `status`, WARC-Type, Content-Length) of a record's header block.

    The block is read as warcio reads it (the first of two fields wins). None when
    unsure: a block over `bound` bytes or MAX_WARC_LINES lines (the reader rejects
    it), a folded line, a line blank to one parser and not the other, a
    Content-Length that is not plain digits.
    """
    size = 0
    used = len(status)
    fields: dict[str, str] = {}
    for _ in range(MAX_WARC_LINES):
        line = handle.readline(MAX_WARC_HEADER)
        size += len(line)
        text = _header_text(line)
        blank = not line.strip()
        if not line.endswith(b"\n") or blank != (not text.strip()):
            return None
        if blank:
            length = fields.get("content-length", "")
            if not (length.isascii() and length.isdigit()):
                return None
            return size, fields.get("warc-type", ""), int(length)
        used += len(line)
        if used > bound or line.startswith((b" ", b"\t")):
            return None
        name, colon, value = text.partition(":")
        if colon:
            fields.setdefault(name.rstrip(" \t").lower(), value.strip())
    return None


def _warc_cuts(handle: BinaryIO, step: int, bound: int) -> list[Cut] | None:
    """Cuts at the first record start at or past each `step` bytes, walking headers only.

    Bodies are skipped by their Content-Length. Anything but a well-formed plain
    archive (gzip, a bad header, a record cut short, a record not followed by a
    blank line) is None: such a file is read whole, where the reader reports what
    is wrong exactly as it always has.
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
            if not pos or blank > MAX_WARC_LINES or not line.endswith(b"\n"):
                return None
            pos += len(line)
            continue
        # warcio takes the line after a record's block for its end, whatever it holds
        if (pos and not blank) or not line.startswith(WARC_VERSIONS) or not line.endswith(b"\n"):
            return None
        blank = 0
        if pos >= target:
            cuts.append(Cut(pos, pages, pages))
            target = pos + step
        header = _warc_header(handle, line, bound)
        if header is None:
            return None
        pos += len(line) + header[0] + header[2]
        if pos > size:
            return None
        pages += header[1] in _PAGES
    return cuts


def _warc_gz_cuts(handle: BinaryIO, step: int, bound: int, budget: int) -> list[Cut]:
    """Cuts at the first gzip member at or past each `step` bytes, each member inflated once.

    The walk goes on while each member is intact and holds one whole WARC record;
    at the first that does not (a damaged member, a record across members, a
    member over `step` compressed bytes, as in a file gzipped whole) it stops, as
    it does where the reader stops inflating (past `budget` bytes in all). The
    cuts before it stand; the rest of the file is the last piece, where the
    reader meets what is there as it would in the whole file.
    """
    cuts: list[Cut] = []
    pages = inflated = 0
    target = step
    members = intact_members(handle, max_span=step, budget=budget, head=GZ_HEAD, tail=GZ_TAIL)
    for member in members:
        page = _member_page(member, bound)
        if page is None:
            break
        if member.start >= target:
            cuts.append(Cut(member.start, pages, pages, inflated))
            target = member.start + step
        pages += page
        inflated += member.size
    return cuts


def _member_page(member: Member, bound: int) -> bool | None:
    """Whether a member's record is a page; None unless it holds exactly one whole record.

    Its header must read as in `_warc_header`, and blank lines must follow its
    block to the member's end: the reader of a piece starting at the member then
    parses it as the reader of the whole file does.
    """
    handle = io.BytesIO(member.head)
    status = handle.readline(MAX_WARC_HEADER)
    if not status.startswith(WARC_VERSIONS) or not status.endswith(b"\n"):
        return None
    header = _warc_header(handle, status, bound)
    if header is None:
        return None
    rest = member.size - len(status) - header[0] - header[2]
    trailer = member.tail[-rest:] if 0 < rest <= len(member.tail) else b"-"
    if trailer.strip() or not trailer.endswith(b"\n"):
        return None
    return header[1] in _PAGES
