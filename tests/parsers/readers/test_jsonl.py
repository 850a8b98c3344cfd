"""JSONL exports: fields mapped to a document, each bad line rejected on its own."""

from __future__ import annotations

import json

from presswash.schemas.document import RawDoc, ReadFailure
from presswash.schemas.settings import Limits
from tests.parsers.readers.test_readers import read


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
