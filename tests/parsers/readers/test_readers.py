"""Readers: every format to RawDocs or ReadFailures, bounded, never raising on bad bytes."""

from __future__ import annotations

import gzip
import io
import json

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presswash.parsers.readers import input_format, read_input
from presswash.schemas.document import RawDoc, ReadFailure
from presswash.schemas.settings import Limits

LIMITS = Limits()


def read(data: bytes, name: str, limits: Limits = LIMITS) -> list[RawDoc | ReadFailure]:
    return list(read_input(io.BytesIO(data), name=name, uri=name, limits=limits))


def test_format_from_name() -> None:
    assert input_format("a/b.jsonl.gz") == ("jsonl", True)
    assert input_format("x.warc.gz") == ("warc", True)
    assert input_format("page.HTM") == ("html", False)
    assert input_format("dump.txt") == ("text", False)
    assert input_format("noext") == ("sniff", False)


def test_text_and_html_files_are_one_input_each() -> None:
    (doc,) = read(b"Title\n\nBody line.\n", "a.txt")
    assert isinstance(doc, RawDoc) and doc.media == "text" and doc.source.kind == "file"
    (page,) = read(b"<!DOCTYPE html><html><body><p>x</p></body></html>", "page")
    assert isinstance(page, RawDoc) and page.media == "html"


def test_same_bytes_same_sha_anywhere() -> None:
    (a,) = read(b"same bytes", "one/a.txt")
    (b,) = read(b"same bytes", "two/b.txt")
    assert isinstance(a, RawDoc) and isinstance(b, RawDoc)
    assert a.source.sha256 == b.source.sha256
    assert a.source.uri != b.source.uri


def test_a_file_over_the_byte_limit_is_rejected_not_cut() -> None:
    (failure,) = read(b"x" * 2048, "big.txt", Limits(max_input_bytes=1024))
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "too_large"
    assert "max_input_bytes" in failure.detail


def test_gzip_bomb_stops_at_the_budget() -> None:
    bomb = gzip.compress(b" " * (8 * 1024 * 1024))
    (failure,) = read(bomb, "bomb.txt.gz", Limits(max_input_bytes=1024 * 1024))
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "too_large"


def test_truncated_gzip_is_undecodable() -> None:
    data = gzip.compress(("word " * 5000).encode())
    (failure,) = read(data[: len(data) // 2], "cut.txt.gz")
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "undecodable"


def test_jsonl_maps_fields_and_rejects_bad_lines_one_by_one() -> None:
    lines = [
        json.dumps(
            {
                "id": "a1",
                "url": "https://ex.com/a",
                "headline": "T",
                "content": "Body.",
                "author": "Ann Lee",
                "date_publish": "2025-01-02",
            }
        ),
        '{"id": "cut", "text": "unterminated',
        "",
        "null",
        json.dumps({"id": "n", "text": 42}),
        json.dumps({"id": "h", "raw_html": "<p>Hi</p>", "authors": [{"name": "Bo"}]}),
        "[" * 5000 + "]" * 5000,
    ]
    items = read("\n".join(lines).encode(), "export.jsonl")
    assert [i.source.uri for i in items] == [
        "export.jsonl#1",
        "export.jsonl#2",
        "export.jsonl#4",
        "export.jsonl#5",
        "export.jsonl#6",
        "export.jsonl#7",
    ]
    first, cut, null, number, html, deep = items
    assert isinstance(first, RawDoc)
    assert first.text == "Body." and first.media == "text"
    assert first.fields["title"] == "T" and first.fields["authors"] == ["Ann Lee"]
    assert first.fields["published"] == "2025-01-02"
    assert first.source.extra["external_id"] == "a1"
    assert isinstance(html, RawDoc) and html.media == "html" and html.fields["authors"] == ["Bo"]
    for bad in (cut, null, number, deep):
        assert isinstance(bad, ReadFailure) and bad.reason == "invalid_record"


def test_jsonl_line_over_the_limit_is_skipped_and_reading_goes_on() -> None:
    data = b'{"text": "' + b"x" * 5000 + b'"}\n{"text": "fine"}\n'
    too_big, fine = read(data, "e.jsonl", Limits(max_line_bytes=1000))
    assert isinstance(too_big, ReadFailure) and too_big.reason == "too_large"
    assert isinstance(fine, RawDoc) and fine.text == "fine"


def _warc(records: list[tuple[str, bytes, str]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body, content_type in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    return buffer.getvalue()


def test_warc_responses_are_inputs_and_images_are_rejected() -> None:
    data = _warc(
        [
            ("https://ex.com/a", b"<html><body><p>A</p></body></html>", "text/html; charset=utf-8"),
            ("https://ex.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(40), "image/png"),
        ]
    )
    page, image = read(data, "crawl.warc.gz")
    assert isinstance(page, RawDoc)
    assert page.media == "html" and page.source.kind == "warc"
    assert page.source.uri == "crawl.warc.gz#1"
    assert page.source.extra["url"] == "https://ex.com/a"
    assert page.source.fetched_at
    assert isinstance(image, ReadFailure) and image.reason == "binary"


def test_a_broken_warc_keeps_what_came_before() -> None:
    data = _warc([("https://ex.com/a", b"<p>A</p>", "text/html")] * 2)
    items = read(data[: len(data) - 40], "cut.warc.gz")
    assert isinstance(items[0], RawDoc)
    assert isinstance(items[-1], ReadFailure)
