"""WARC archives: each response an input, non-text bodies refused, a cut keeps the rest."""

from __future__ import annotations

import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presswash.schemas.document import RawDoc, ReadFailure
from tests.parsers.readers.test_readers import read


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
    assert [item.source.uri for item in items] == ["cut.warc.gz#1", "cut.warc.gz#2"]
    assert isinstance(items[0], RawDoc) and items[0].data == b"<p>A</p>"
    assert isinstance(items[-1], ReadFailure) and items[-1].reason == "truncated"
