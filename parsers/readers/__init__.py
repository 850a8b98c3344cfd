"""Readers: a binary stream and a name in, RawDocs (or ReadFailures) out, lazily.

The WARC reader (and warcio) is imported on the first WARC read: planning a
run needs `input_format` from here, and no web-archive code.

The format is chosen from the name's endings (`.jsonl.gz` is a gzipped
export), and by sniffing the first bytes when the name says nothing.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from presswash.parsers.readers.base import WHOLE_FILE, LimitExceeded, Piece
from presswash.parsers.readers.gz import open_gzip
from presswash.parsers.readers.jsonl import read_jsonl
from presswash.parsers.readers.single import HTML_SUFFIXES, read_single
from presswash.schemas.document import RawDoc, ReadFailure, SourceInfo
from presswash.schemas.settings import Limits
from presswash.schemas.stages import Reason, Stage

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
WARC_SUFFIXES = frozenset({".warc", ".arc"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})


def _read_warc(*args: Any, **kwargs: Any) -> Iterator[RawDoc | ReadFailure]:
    """The WARC reader, imported on first use."""
    from presswash.parsers.readers.warc import read_warc

    return read_warc(*args, **kwargs)


def input_format(name: str) -> tuple[str, bool]:
    """(format, gzipped) from a file name: format is 'jsonl', 'warc', 'html', 'text' or 'sniff'."""
    suffixes = [s.lower() for s in _suffixes(name)]
    gzipped = bool(suffixes) and suffixes[-1] in (".gz", ".gzip")
    if gzipped:
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in JSONL_SUFFIXES:
        return "jsonl", gzipped
    if last in WARC_SUFFIXES:
        return "warc", gzipped
    if last in HTML_SUFFIXES:
        return "html", gzipped
    if last in TEXT_SUFFIXES:
        return "text", gzipped
    return "sniff", gzipped


def _suffixes(name: str) -> list[str]:
    """`PurePosixPath(name).suffixes`, without building a path: planning asks it of every file."""
    last = name.rpartition("/")[2]
    if not last or last == ".":  # a trailing slash or "." component: the path's own rules
        return PurePosixPath(name).suffixes
    if last.endswith("."):
        return []
    return ["." + suffix for suffix in last.lstrip(".").split(".")[1:]]


class _Window(io.RawIOBase):
    """Bytes [start, end) of a stream already at `start`: what one piece of a big file reads."""

    def __init__(self, stream: BinaryIO, size: int) -> None:
        super().__init__()
        self._stream = stream
        self._left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        want = min(len(buffer), self._left)
        if want <= 0:
            return 0
        data = self._stream.read(want)
        buffer[: len(data)] = data
        self._left -= len(data)
        return len(data)


def window(stream: BinaryIO, start: int, end: int) -> BinaryIO:
    """A stream of bytes [start, end) of a seekable file: readers never see past the range."""
    stream.seek(start)
    return io.BufferedReader(_Window(stream, end - start), buffer_size=1 << 20)  # type: ignore[return-value]


def read_input(
    stream: BinaryIO,
    *,
    name: str,
    uri: str,
    limits: Limits,
    piece: Piece = WHOLE_FILE,
) -> Iterator[RawDoc | ReadFailure]:
    """Every input inside one file, each a RawDoc or a ReadFailure; never raises on bad bytes.

    A `piece` of a big JSONL or WARC file (a seekable one) is read from its start to
    its end: records are numbered, and counted against the limits, as in the whole file.
    """
    fmt, gzipped = input_format(name)
    count = piece.first if fmt == "warc" else 0
    if piece.end is not None and fmt != "warc":  # a WARC reader seeks itself, to member starts
        stream = window(stream, piece.start, piece.end)
    try:
        if fmt == "warc":
            for item in _read_warc(
                stream,
                uri=uri,
                limit=limits.max_input_bytes,
                max_records=limits.max_records_per_file,
                max_decompressed=limits.max_decompressed_bytes,
                max_header=limits.max_line_bytes,
                piece=piece,
            ):
                count += 1
                yield item
            return
        if gzipped:
            if fmt == "jsonl":
                stream = open_gzip(stream, limits.max_decompressed_bytes, "max_decompressed_bytes")
            else:
                stream = open_gzip(stream, limits.max_input_bytes, "max_input_bytes")
        if fmt == "jsonl":
            for item in read_jsonl(
                stream,
                uri=uri,
                line_limit=limits.max_line_bytes,
                max_records=limits.max_records_per_file,
                first=piece.first,
                before=piece.before,
            ):
                count += 1
                yield item
            return
        media = None if fmt == "sniff" else fmt
        limit_name = "max_input_bytes"
        for item in read_single(
            stream, uri=uri, media=media, limit=limits.max_input_bytes, limit_name=limit_name
        ):
            count += 1
            yield item
    except LimitExceeded as exc:
        kind = fmt if fmt in ("jsonl", "warc") else "file"
        suffix = f"#{count + 1}" if kind != "file" else ""
        source = SourceInfo(kind=kind, uri=f"{uri}{suffix}", sha256="0" * 64)
        detail = exc.detail("The decompressed input")
        if kind == "warc":  # the records read before the limit are kept
            detail += f" The records from #{count + 1} on are not read."
        yield ReadFailure(source, Stage.READ, Reason.TOO_LARGE, detail)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        kind = "jsonl" if fmt == "jsonl" else "file"
        suffix = f"#{count + 1}" if fmt == "jsonl" else ""
        source = SourceInfo(kind=kind, uri=f"{uri}{suffix}", sha256="0" * 64)
        yield ReadFailure(
            source,
            Stage.DECODE,
            Reason.UNDECODABLE,
            f"The gzip stream is broken or truncated ({str(exc)[:120] or type(exc).__name__}).",
        )
