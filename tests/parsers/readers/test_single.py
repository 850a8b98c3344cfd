"""One text or HTML file, one input: its media, its digest, the byte limit."""

from __future__ import annotations

from presswash.schemas.document import RawDoc, ReadFailure
from presswash.schemas.settings import Limits
from tests.parsers.readers.test_readers import read


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
