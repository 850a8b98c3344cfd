"""Web archives: each `response` or `resource` record is one input.

warcio parses the records; this module decides what a record is for us and
bounds what reading it costs. Three things warcio does not do are done here:

- gzip is inflated by `MemberStream`, one member (normally one record) at a
  time and checked before use, so a damaged member is one rejection and the
  intact members after it are still read; warcio would hand out garbage or end
  quietly. The inflated total is bounded like any compressed input.
- header lines are read with a bound: a line is kept up to `MAX_HEADER_LINE`
  bytes (the rest is skipped, never held), and a header block up to
  `limits.max_line_bytes` bytes and `MAX_HEADER_LINES` lines.
- the HTTP body's Content-Encoding is undone by `decode_content`, which rejects
  a damaged body where warcio prints to stderr and returns what it had.

A broken plain (uncompressed) archive yields a rejection for the rest of the
file, never a crash, and the records before the break are kept.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.utils import BUFF_SIZE

from presswash.parsers.readers.base import (
    CHUNK,
    MAX_URL_CHARS,
    WHOLE_FILE,
    LimitExceeded,
    Piece,
    drain,
    read_bounded,
    sha256_hex,
)
from presswash.parsers.readers.gz import ContentDecodeError, MemberStream, decode_content
from presswash.parsers.readers.single import sniff_media
from presswash.schemas.document import RawDoc, ReadFailure, SourceInfo
from presswash.schemas.stages import Reason, Stage

_WANTED = frozenset({"response", "resource"})
_NO_SHA = "0" * 64
# Real header blocks have tens of lines of at most a few KB (servers refuse more);
# these bounds only stop a hostile archive from making one record cost gigabytes.
MAX_HEADER_LINE = 64 * 1024  # bytes of one header line kept; the rest is skipped unread
MAX_HEADER_LINES = 1_000  # lines of one header block (and blank lines in a row)
_DEFAULT_DECOMPRESSED = 256 * 1024 * 1024
_DEFAULT_HEADER = 16 * 1024 * 1024


class HeaderTooLarge(Exception):
    """A record's header block crossed a bound; `detail` says which."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class _Budget:
    """What one header block may cost: bytes kept, lines, blank lines in a row."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._bytes = 0
        self._lines = 0
        self._blank = 0

    def add(self, line: bytes) -> None:
        """Count one line read; a blank one ends the block. Raises HeaderTooLarge."""
        if not line.strip():
            self._bytes = self._lines = 0
            self._blank += 1
            if self._blank > MAX_HEADER_LINES:
                raise HeaderTooLarge(
                    f"The archive has more than {MAX_HEADER_LINES:,} blank lines in a row "
                    "where a record should start."
                )
            return
        self._blank = 0
        self._lines += 1
        self._bytes += len(line)
        if self._lines > MAX_HEADER_LINES:
            raise HeaderTooLarge(
                f"The record's header block has more than {MAX_HEADER_LINES:,} lines; "
                "no web page response has that many."
            )
        if self._bytes > self.limit:
            detail = LimitExceeded("max_line_bytes", self.limit).detail("The record's header block")
            raise HeaderTooLarge(detail)


class _HeaderReader(BufferedReader):
    """warcio's line reader with bounded lines: the one that reads every WARC header.

    warcio's own readline gathers a line whole, however long, by repeated
    concatenation; a 40 MB header line cost 37 s and its size in memory. Here a
    line is cut at `MAX_HEADER_LINE` bytes and the rest skipped in chunks, so a
    record with an absurd header is still read (the header value is then cut,
    and the URL dropped as too long). Uses BufferedReader's buffer directly.
    """

    def __init__(self, stream: Any, header_limit: int) -> None:
        super().__init__(stream, block_size=BUFF_SIZE)
        self._budget = _Budget(header_limit)
        self._cap = min(MAX_HEADER_LINE, header_limit)

    def readline(self, length: int | None = None) -> bytes:
        if length is not None:  # a body's chunk sizes or our HTTP header lines: bounded by caller
            return self._line(min(length, MAX_HEADER_LINE))
        line = self._line(self._cap)
        if len(line) >= self._cap and not line.endswith(b"\n"):
            while (rest := self._line(CHUNK)) and not rest.endswith(b"\n"):
                pass
            line += b"\r\n"
        if line:
            self._budget.add(line)
        return line

    def _line(self, limit: int) -> bytes:
        parts: list[bytes] = []
        size = 0
        while size < limit:
            self._fillbuff()
            if self.empty():
                break
            part = self.buff.readline(limit - size)
            parts.append(part)
            size += len(part)
            if part.endswith(b"\n"):
                break
        return b"".join(parts)


class _Archive(ArchiveIterator):
    """warcio's iterator over plain WARC bytes, reading lines with `_HeaderReader`.

    HTTP headers are left unparsed (`no_record_parse`): `_http_headers` reads
    them with the same bounds. warcio's warning for a record not followed by a
    blank line goes to stderr; it is blanked, since what follows such a record
    is parsed (or rejected) on its own.
    """

    INC_RECORD = ""

    def __init__(self, stream: Any, header_limit: int) -> None:
        super().__init__(stream, no_record_parse=True)
        self.reader = _HeaderReader(self.fh, header_limit)


class _Lines:
    """Header lines already read, as the stream warcio's header parser wants."""

    def __init__(self, lines: list[bytes]) -> None:
        self._lines = iter(lines)

    def readline(self, _length: int | None = None) -> bytes:
        return next(self._lines, b"")


_HTTP_PARSER = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"], verify=False)


def _http_headers(record: Any, limit: int) -> StatusAndHeaders | None:
    """The HTTP status and headers opening a response record, read with bounds (as warcio would)."""
    target = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type != "response" or record.length == 0:
        return None
    if not target.startswith(("http:", "https:")):
        return None
    budget = _Budget(limit)
    cap = min(MAX_HEADER_LINE, limit)
    lines: list[bytes] = []
    while line := record.raw_stream.readline(cap):
        if len(line) >= cap and not line.endswith(b"\n"):
            while (rest := record.raw_stream.readline(cap)) and not rest.endswith(b"\n"):
                pass
            line += b"\r\n"
        lines.append(line)
        budget.add(line)
        if not line.strip():
            break
    try:
        return _HTTP_PARSER.parse(_Lines(lines))
    except EOFError:
        return None


@dataclass(slots=True)
class _Meta:
    """What a record says about itself, each value bounded before it can reach the output."""

    target: str | None
    fetched: str | None
    extra: dict[str, Any]

    def source(self, uri: str, data: bytes | None = None) -> SourceInfo:
        sha = sha256_hex(data) if data is not None else _NO_SHA
        return SourceInfo(
            kind="warc", uri=uri, sha256=sha, fetched_at=self.fetched, extra=self.extra
        )


def _printable(text: str, size: int) -> str:
    return "".join(ch for ch in text[:size] if ch.isprintable())


def _meta(record: Any) -> _Meta:
    """The target URL (dropped past MAX_URL_CHARS, with a note), the date, the HTTP status."""
    headers = record.rec_headers
    target = headers.get_header("WARC-Target-URI")
    extra: dict[str, Any] = {}
    if target and len(target) > MAX_URL_CHARS:
        extra["url_dropped"] = (
            f"The WARC-Target-URI is longer than {MAX_URL_CHARS:,} characters "
            f"(it began {_printable(target, 80)!r}); no server answers such a URL."
        )
        target = None
    if target:
        extra["url"] = target
    fetched = headers.get_header("WARC-Date")
    if fetched and len(fetched) > 64:  # an ISO 8601 date is some 30 characters
        fetched = None
    return _Meta(target, fetched, extra)


def _record_doc(record: Any, uri: str, limit: int, header_limit: int) -> RawDoc | ReadFailure:
    meta = _meta(record)
    try:
        http = _http_headers(record, header_limit)
    except HeaderTooLarge as exc:
        return ReadFailure(meta.source(uri), Stage.READ, Reason.TOO_LARGE, exc.detail)
    status: int | None = None
    content_type = record.rec_headers.get_header("Content-Type")
    if http is not None:
        code = http.get_statuscode()
        status = int(code) if code and code.isdigit() else None
        content_type = http.get_header("Content-Type")
    if status is not None:
        meta.extra["http_status"] = status
    body = _body(record, http, meta, uri, limit)
    if isinstance(body, ReadFailure):
        return body
    return _page(body, content_type, meta, uri)


def _body(
    record: Any, http: StatusAndHeaders | None, meta: _Meta, uri: str, limit: int
) -> bytes | ReadFailure:
    """The record's payload, de-chunked and decoded, or why it cannot be used."""
    stream = record.raw_stream
    if http is not None and (http.get_header("Transfer-Encoding") or "").lower() == "chunked":
        stream = ChunkedDataReader(stream)
    try:
        data = read_bounded(stream, limit, "max_input_bytes")
    except LimitExceeded as exc:
        if exc.limit_name != "max_input_bytes":
            raise
        return ReadFailure(
            meta.source(uri), Stage.READ, Reason.TOO_LARGE, exc.detail("The record's body")
        )
    drain(record.raw_stream)
    if getattr(record.raw_stream, "limit", 0):
        return ReadFailure(
            meta.source(uri, data),
            Stage.READ,
            Reason.TRUNCATED,
            "The record is shorter than its Content-Length: the archive is cut off.",
        )
    status = meta.extra.get("http_status")
    if status is not None and not 200 <= status < 300:
        return ReadFailure(
            meta.source(uri, data),
            Stage.READ,
            Reason.HTTP_ERROR,
            f"The archived response has HTTP status {status}, not a page.",
        )
    return _decoded(data, http, meta, uri, limit)


def _decoded(
    data: bytes, http: StatusAndHeaders | None, meta: _Meta, uri: str, limit: int
) -> bytes | ReadFailure:
    coding = http.get_header("Content-Encoding") if http is not None else None
    try:
        return decode_content(data, coding, limit)
    except ContentDecodeError as exc:
        return ReadFailure(meta.source(uri, data), Stage.DECODE, Reason.UNDECODABLE, str(exc))
    except LimitExceeded as exc:
        detail = exc.detail("The record's decoded body")
        return ReadFailure(meta.source(uri), Stage.READ, Reason.TOO_LARGE, detail)


def _media(content_type: str | None, data: bytes) -> str | None:
    """'html' or 'text' for a page, None for anything else (images, scripts, PDFs)."""
    if not content_type:
        return sniff_media(data)
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return "html"
    if kind == "text/plain":
        return sniff_media(data)
    return None


def _page(data: bytes, content_type: str | None, meta: _Meta, uri: str) -> RawDoc | ReadFailure:
    source = meta.source(uri, data)
    if not data:
        return ReadFailure(source, Stage.READ, Reason.EMPTY, "The archived body is empty.")
    if _media(content_type, data) is None:
        return ReadFailure(
            source,
            Stage.READ,
            Reason.BINARY,
            f"The archived body is {_printable(content_type or '', 100)}, "
            "not an HTML or text page.",
        )
    fields = {"url": meta.target} if meta.target else {}
    media = _media(content_type, data) or "text"
    return RawDoc(
        source=source, media=media, data=data, declared_charset=content_type, fields=fields
    )


@dataclass(slots=True)
class _Walk:
    """Where reading an archive stands: the inputs counted so far, and how the last one ended."""

    uri: str
    limit: int
    max_records: int
    header_limit: int
    number: int = 0
    last_cut: bool = False
    stop: bool = False

    def failure(self, stage: Stage, reason: Reason, detail: str) -> ReadFailure:
        """A rejection that takes the next input number."""
        self.number += 1
        self.last_cut = False
        source = SourceInfo(kind="warc", uri=f"{self.uri}#{self.number}", sha256=_NO_SHA)
        return ReadFailure(source, stage, reason, detail)


def read_warc(
    stream: BinaryIO,
    *,
    uri: str,
    limit: int,
    max_records: int,
    gzipped: bool | None = None,
    max_decompressed: int = _DEFAULT_DECOMPRESSED,
    max_header: int = _DEFAULT_HEADER,
    piece: Piece = WHOLE_FILE,
) -> Iterator[RawDoc | ReadFailure]:
    """One RawDoc or ReadFailure per response/resource record, in archive order.

    Whether the archive is gzipped is told by its first bytes (`gzipped`, from
    the name, is not needed). A damaged gzip member becomes one rejection and
    reading goes on at the next intact member; a record that is not a WARC
    record is skipped the same way. LimitExceeded (max_decompressed_bytes)
    ends the archive and is the caller's to report. A `piece` of a big archive
    (a seekable file) is read from its start to its end, its records numbered
    and limited as in the whole file.
    """
    if piece.first > max_records or piece.inflated > max_decompressed:
        return  # an earlier piece met a limit, and reading the archive stopped there
    members = MemberStream(
        stream,
        limit=max_decompressed,
        plain_ok=True,
        start=piece.start,
        stop=piece.end,
        spent=piece.inflated,
    )
    walk = _Walk(uri, limit, max_records, max_header, number=piece.first)
    while not walk.stop:
        before = members.handed_out
        error = yield from _segment(members, walk)
        if walk.stop:
            return
        if members.damage is not None:
            yield from _report_damage(members, walk)
            if not members.resume():
                return
        elif error is not None:
            yield walk.failure(*_broken(error, walk.number, members.gzipped))
            if not members.skip_member() or members.handed_out == before:
                return
        else:
            return


def _segment(
    members: MemberStream, walk: _Walk
) -> Generator[RawDoc | ReadFailure, None, Exception | None]:
    """Records until the stream stops (its end, or damage); returns what broke the parse."""
    try:
        for record in _Archive(members, walk.header_limit):
            if record.rec_type not in _WANTED:
                continue
            if walk.number >= walk.max_records:
                walk.stop = True
                yield walk.failure(
                    Stage.READ,
                    Reason.TOO_LARGE,
                    f"The archive has more than limits.max_records_per_file "
                    f"({walk.max_records:,}) records; raise the limit or split the archive.",
                )
                return None
            walk.number += 1
            item = _record_doc(record, f"{walk.uri}#{walk.number}", walk.limit, walk.header_limit)
            walk.last_cut = isinstance(item, ReadFailure) and item.reason == Reason.TRUNCATED
            yield item
    except LimitExceeded:
        raise
    except Exception as exc:  # warcio raises many types on garbage
        return exc
    return None


def _report_damage(members: MemberStream, walk: _Walk) -> Iterator[ReadFailure]:
    """One rejection for a damaged (or cut-off) member, unless its record already has one."""
    damage = members.damage
    assert damage is not None
    if damage.cut_off:
        if not walk.last_cut:
            yield walk.failure(Stage.READ, Reason.TRUNCATED, damage.detail())
        return
    yield walk.failure(Stage.DECODE, Reason.UNDECODABLE, damage.detail())


def _broken(exc: Exception, number: int, gzipped: bool) -> tuple[Stage, Reason, str]:
    """What a parse error means: one bad record in a gzipped archive, else the rest is lost."""
    if isinstance(exc, HeaderTooLarge):
        what = exc.detail
        reason = Reason.TOO_LARGE
    else:
        what = _why(exc)
        reason = Reason.UNDECODABLE if gzipped or number == 0 else Reason.TRUNCATED
    if gzipped:
        return Stage.READ, reason, f"{what} The record was skipped up to the next gzip member."
    where = "before its first page record" if number == 0 else f"after record {number}"
    return Stage.READ, reason, f"{what} The archive is not read on from there ({where})."


def _why(exc: Exception) -> str:
    """A parse error in words, without echoing the bytes that caused it."""
    if isinstance(exc, ArchiveLoadFailed):
        return "A record does not start with a WARC or ARC header line."
    message = _printable(str(exc).split(":", 1)[0], 100) or type(exc).__name__
    return f"A record cannot be parsed ({message})."
