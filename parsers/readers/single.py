"""Files that hold one page each: text dumps and HTML pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from presswash.parsers.readers.base import LimitExceeded, read_bounded, sha256_hex
from presswash.schemas.document import RawDoc, ReadFailure, SourceInfo
from presswash.schemas.stages import Reason, Stage

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_HTML_START = (b"<!doctype", b"<html", b"<head", b"<body", b"<meta", b"<?xml", b"<!--", b"<div")


def sniff_media(data: bytes) -> str:
    """'html' when the bytes open like markup, else 'text'; for files with no telling suffix."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "html" if head.startswith(_HTML_START) else "text"


def read_single(
    stream: BinaryIO, *, uri: str, media: str | None, limit: int, limit_name: str
) -> Iterator[RawDoc | ReadFailure]:
    """One RawDoc for the whole stream, or one ReadFailure when it is too large."""
    try:
        data = read_bounded(stream, limit, limit_name)
    except LimitExceeded as exc:
        source = SourceInfo(kind="file", uri=uri, sha256="0" * 64)
        yield ReadFailure(source, Stage.READ, Reason.TOO_LARGE, exc.detail())
        return
    source = SourceInfo(kind="file", uri=uri, sha256=sha256_hex(data))
    if not data:
        yield ReadFailure(source, Stage.READ, Reason.EMPTY, "The file is empty (0 bytes).")
        return
    yield RawDoc(source=source, media=media or sniff_media(data), data=data)
