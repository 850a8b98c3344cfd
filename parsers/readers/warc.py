"""Web archives: each `response` or `resource` record is one input.

warcio does the format (per-record gzip, chunked bodies, content encodings);
this module decides what a record is for us and bounds how much of it is read.
A broken archive yields a rejection for the rest of the file, never a crash,
and the records before the break are kept.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from presswash.parsers.readers.base import LimitExceeded, drain, read_bounded, sha256_hex
from presswash.parsers.readers.gz import TolerantGzip
from presswash.parsers.readers.single import sniff_media
from presswash.schemas.document import RawDoc, ReadFailure, SourceInfo
from presswash.schemas.stages import Reason, Stage

_WANTED = frozenset({"response", "resource"})


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


def _record_doc(record: Any, uri: str, limit: int) -> RawDoc | ReadFailure:
    headers = record.rec_headers
    target = headers.get_header("WARC-Target-URI")
    fetched = headers.get_header("WARC-Date")
    status: int | None = None
    content_type = headers.get_header("Content-Type")
    if record.rec_type == "response" and record.http_headers is not None:
        code = record.http_headers.get_statuscode()
        status = int(code) if code and code.isdigit() else None
        content_type = record.http_headers.get_header("Content-Type")
    extra: dict[str, Any] = {}
    if target:
        extra["url"] = target
    if status is not None:
        extra["http_status"] = status
    try:
        data = read_bounded(record.content_stream(), limit, "max_input_bytes")
    except LimitExceeded as exc:
        source = SourceInfo(kind="warc", uri=uri, sha256="0" * 64, fetched_at=fetched, extra=extra)
        return ReadFailure(source, Stage.READ, Reason.TOO_LARGE, exc.detail("The record's body"))
    source = SourceInfo(
        kind="warc", uri=uri, sha256=sha256_hex(data), fetched_at=fetched, extra=extra
    )
    drain(record.raw_stream)
    if getattr(record.raw_stream, "limit", 0):
        return ReadFailure(
            source,
            Stage.READ,
            Reason.TRUNCATED,
            "The record is shorter than its Content-Length: the archive is cut off.",
        )
    if status is not None and not 200 <= status < 300:
        return ReadFailure(
            source,
            Stage.READ,
            Reason.HTTP_ERROR,
            f"The archived response has HTTP status {status}, not a page.",
        )
    if not data:
        return ReadFailure(source, Stage.READ, Reason.EMPTY, "The archived body is empty.")
    media = _media(content_type, data)
    if media is None:
        return ReadFailure(
            source,
            Stage.READ,
            Reason.BINARY,
            f"The archived body is {content_type}, not an HTML or text page.",
        )
    fields = {"url": target} if target else {}
    return RawDoc(
        source=source, media=media, data=data, declared_charset=content_type, fields=fields
    )


def read_warc(
    stream: BinaryIO, *, uri: str, limit: int, max_records: int, gzipped: bool
) -> Iterator[RawDoc | ReadFailure]:
    """One RawDoc or ReadFailure per response/resource record, in archive order.

    A gzipped archive is inflated by Python's gzip rather than by warcio,
    because warcio ends quietly at a truncated member and the records in it
    would vanish without a trace; gzip raises, and the loss is reported.
    """
    number = 0
    inflater = TolerantGzip(stream) if gzipped else None
    if inflater is not None:
        stream = io.BufferedReader(inflater, buffer_size=256 * 1024)
    try:
        for record in ArchiveIterator(stream, no_record_parse=False):
            if record.rec_type not in _WANTED:
                continue
            number += 1
            if number > max_records:
                source = SourceInfo(kind="warc", uri=f"{uri}#{number}", sha256="0" * 64)
                yield ReadFailure(
                    source,
                    Stage.READ,
                    Reason.TOO_LARGE,
                    f"The archive has more than limits.max_records_per_file ({max_records:,}) "
                    "records; raise the limit or split the archive.",
                )
                return
            yield _record_doc(record, f"{uri}#{number}", limit)
        if inflater is not None and inflater.broken:
            raise EOFError(f"the gzip stream is cut off ({inflater.broken})")
    except Exception as exc:  # warcio raises many types on garbage; the rest of the file is lost
        source = SourceInfo(kind="warc", uri=f"{uri}#{number + 1}", sha256="0" * 64)
        what = (
            "breaks before its first page record"
            if number == 0
            else f"breaks after record {number}"
        )
        yield ReadFailure(
            source,
            Stage.READ,
            Reason.TRUNCATED if number else Reason.UNDECODABLE,
            f"The archive {what}: {str(exc)[:160] or type(exc).__name__}.",
        )
