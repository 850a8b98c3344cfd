"""What every reader shares: bounded reads and the identity of what was read.

Readers take a binary stream and never read more than a limit plus one byte
of a single input, so a 1 GB export or a gzip bomb never sits whole in
memory; exceeding a limit is a rejection that names it, never a silent cut.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 1024 * 1024
# The longest URL a reader passes on. Browsers, servers and CDNs refuse request
# lines much past 8 KB (RFC 9110 asks for at least 8,000 octets), so a longer
# "URL" was never fetched: it is a broken or hostile header, and is dropped.
MAX_URL_CHARS = 8_192


@dataclass(frozen=True, slots=True)
class Piece:
    """Where one piece of a big file lies in it, and what the file holds before it.

    A reader numbers a piece's records, and counts them against the limits,
    as it would reading the whole file (the cuts are made in runner/plan.py).
    The defaults are the whole file.
    """

    start: int = 0
    end: int | None = None
    first: int = 0  # records numbered before the piece
    before: int = 0  # lines before it (JSONL)
    inflated: int = 0  # bytes inflated before it (a gzipped WARC)


WHOLE_FILE = Piece()


class LimitExceeded(Exception):
    """An input crossed a configured size limit."""

    def __init__(self, limit_name: str, limit: int) -> None:
        super().__init__(limit_name)
        self.limit_name = limit_name
        self.limit = limit

    def detail(self, what: str = "The input") -> str:
        return (
            f"{what} is larger than limits.{self.limit_name} ({self.limit:,} bytes); "
            f"raise limits.{self.limit_name} in the config to accept it."
        )


def read_bounded(stream: BinaryIO, limit: int, limit_name: str) -> bytes:
    """All of a stream, or LimitExceeded as soon as it is longer than `limit` bytes."""
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            raise LimitExceeded(limit_name, limit)


def drain(stream: BinaryIO) -> None:
    """Read a stream to its end in bounded chunks, keeping nothing."""
    while stream.read(CHUNK):
        pass


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
