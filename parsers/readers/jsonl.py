"""Scraper exports: one JSON object a line, with the field names scrapers use.

Each line is its own input: a bad line is a rejection for that line and the
rest of the file is still read. Lines are read with a length bound so a
20 MB line never becomes a 20 MB string unless the limit allows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from presswash.parsers.readers.base import CHUNK, LimitExceeded, sha256_hex
from presswash.schemas.document import RawDoc, ReadFailure, SourceInfo
from presswash.schemas.stages import Reason, Stage

# Field names in order of preference; the README lists them.
TEXT_FIELDS = (
    "text",
    "content",
    "body",
    "maintext",
    "article",
    "article_text",
    "full_text",
    "plain_text",
)
HTML_FIELDS = ("html", "raw_html", "content_html", "body_html", "page_html", "raw_content")
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "canonical_url", "link", "source_url", "uri")
AUTHOR_FIELDS = ("authors", "author", "byline", "creator", "creators")
DATE_FIELDS = (
    "published_at",
    "published",
    "date_publish",
    "date",
    "publish_date",
    "pubdate",
    "datePublished",
)
SITE_FIELDS = ("site_name", "sitename", "publisher", "source_domain", "source_name")
ID_FIELDS = ("id", "_id", "doc_id", "uuid", "guid")
LANGUAGE_FIELDS = ("language", "lang")
FETCHED_FIELDS = ("fetched_at", "crawled_at", "date_download", "retrieved_at")


def _iter_lines(stream: BinaryIO, limit: int, first: int = 0) -> Iterator[tuple[int, bytes | None]]:
    """(1-based line number, bytes) per line; None for a line over `limit`, skipped in chunks.

    `first` is the number of lines before the stream's start (a piece of a big file).
    """
    number = first
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line.rstrip(b"\r\n")


def _first(obj: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = obj.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _authors(value: Any) -> list[str]:
    """Authors as a scraper wrote them: a string, a list of strings, or objects with a name."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, str) and item.strip():
            names.append(item.strip())
    return names


def _string(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict):
        return _string(value.get("name") or value.get("url") or value.get("@id"))
    return None


def record_to_doc(obj: dict[str, Any], source: SourceInfo) -> RawDoc | ReadFailure:
    """Map one export object onto a RawDoc, or say which field is missing or wrong."""
    html = _first(obj, HTML_FIELDS)
    text = _first(obj, TEXT_FIELDS)
    body, media = (html, "html") if html is not None else (text, "text")
    if body is None:
        names = ", ".join(TEXT_FIELDS + HTML_FIELDS)
        return ReadFailure(
            source,
            Stage.READ,
            Reason.INVALID_RECORD,
            f"The record has no text or html field (looked for: {names}).",
        )
    if not isinstance(body, str):
        return ReadFailure(
            source,
            Stage.READ,
            Reason.INVALID_RECORD,
            f"The record's {media} field is JSON {type(body).__name__}, not a string.",
        )
    external_id = _first(obj, ID_FIELDS)
    if isinstance(external_id, str | int) and not isinstance(external_id, bool):
        source.extra["external_id"] = str(external_id)
    fetched = _string(_first(obj, FETCHED_FIELDS))
    if fetched:
        source.fetched_at = fetched
    fields: dict[str, Any] = {
        "title": _string(_first(obj, TITLE_FIELDS)),
        "url": _string(_first(obj, URL_FIELDS)),
        "authors": _authors(_first(obj, AUTHOR_FIELDS)),
        "published": _string(_first(obj, DATE_FIELDS)),
        "site_name": _string(_first(obj, SITE_FIELDS)),
        "language": _string(_first(obj, LANGUAGE_FIELDS)),
    }
    return RawDoc(
        source=source, media=media, text=body, fields={k: v for k, v in fields.items() if v}
    )


def read_jsonl(
    stream: BinaryIO,
    *,
    uri: str,
    line_limit: int,
    max_records: int,
    first: int = 0,
    before: int = 0,
) -> Iterator[RawDoc | ReadFailure]:
    """One RawDoc or ReadFailure per non-blank line.

    A piece of a big file starts after line `first` and after `before` records, so
    its line numbers and its record limit are those of the whole file.
    """
    count = before
    if before > max_records:
        return  # an earlier piece met the limit, and reading the file stopped there
    for number, line in _iter_lines(stream, line_limit, first):
        record_uri = f"{uri}#{number}"
        if line is None:
            source = SourceInfo(kind="jsonl", uri=record_uri, sha256="0" * 64)
            detail = LimitExceeded("max_line_bytes", line_limit).detail(f"Line {number}")
            yield ReadFailure(source, Stage.READ, Reason.TOO_LARGE, detail)
            count += 1
            continue
        if not line.strip():
            continue
        count += 1
        source = SourceInfo(kind="jsonl", uri=record_uri, sha256=sha256_hex(line))
        if count > max_records:
            yield ReadFailure(
                source,
                Stage.READ,
                Reason.TOO_LARGE,
                f"The file has more than limits.max_records_per_file ({max_records:,}) records; "
                "raise the limit or split the file.",
            )
            return
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield ReadFailure(
                source,
                Stage.READ,
                Reason.INVALID_RECORD,
                f"Line {number} is not valid JSON: {str(exc).splitlines()[0][:160]}.",
            )
            continue
        if not isinstance(obj, dict):
            yield ReadFailure(
                source,
                Stage.READ,
                Reason.INVALID_RECORD,
                f"Line {number} is JSON {type(obj).__name__ if obj is not None else 'null'}, "
                "not an object.",
            )
            continue
        yield record_to_doc(obj, source)
