"""Transparent gzip: a stream that inflates lazily and stops at a byte budget.

The budget is what makes a gzip bomb harmless: inflating stops one byte past
it, whatever the compressed file claims.
"""

from __future__ import annotations

import gzip
import io
import zlib
from typing import BinaryIO

from presswash.parsers.readers.base import LimitExceeded


class BoundedGzip(io.RawIOBase):
    """A read-only stream of inflated bytes that raises LimitExceeded past `limit`."""

    def __init__(
        self, raw: BinaryIO, limit: int, limit_name: str = "max_decompressed_bytes"
    ) -> None:
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


class TolerantGzip(io.RawIOBase):
    """Inflated bytes up to where a gzip stream breaks, then end-of-file and a note of why.

    For multi-record files: the records before a truncation are still good
    and must be kept; the reader reports the break as its own rejection.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._inner = gzip.GzipFile(fileobj=raw, mode="rb")
        self.broken: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.broken is not None:
            return 0
        view = memoryview(buffer)
        try:
            # read1: one inflate step, so data before a break is returned before the error
            data = self._inner.read1(len(view))
        except (EOFError, OSError, zlib.error) as exc:
            self.broken = str(exc) or type(exc).__name__
            return 0
        view[: len(data)] = data
        return len(data)
