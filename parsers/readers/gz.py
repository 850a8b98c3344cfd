"""Transparent gzip: a stream that inflates lazily and stops at a byte budget.

The budget is what makes a gzip bomb harmless: inflating stops one byte past
it, whatever the compressed file claims.
"""

from __future__ import annotations

import gzip
import io
from typing import BinaryIO

from presswash.parsers.readers.base import LimitExceeded


class BoundedGzip(io.RawIOBase):
    """A read-only stream of inflated bytes that raises LimitExceeded past `limit`."""

    def __init__(self, raw: BinaryIO, limit: int, limit_name: str = "max_decompressed_bytes") -> None:
        self._inner = gzip.GzipFile(fileobj=raw, mode="rb")
        self._limit = limit
        self._limit_name = limit_name
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer)
        data = self._inner.read(len(view))
        self._count += len(data)
        if self._count > self._limit:
            raise LimitExceeded(self._limit_name, self._limit)
        view[: len(data)] = data
        return len(data)

    @property
    def inflated(self) -> int:
        return self._count


def open_gzip(raw: BinaryIO, limit: int, limit_name: str) -> io.BufferedReader:
    """A buffered, bounded reader of the inflated bytes of `raw`."""
    return io.BufferedReader(BoundedGzip(raw, limit, limit_name), buffer_size=256 * 1024)
