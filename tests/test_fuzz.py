"""Property-based tests: arbitrary bytes and text never make a reader, decoder or cleaner raise."""

from __future__ import annotations

import gzip
import io

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from presswash.parsers.decode import Decoded, DecodeFailure, decode_bytes
from presswash.parsers.html import extract_html
from presswash.parsers.language import detect_language
from presswash.parsers.pipeline import Accepted, CleanConfig, Rejected, clean_document
from presswash.parsers.readers import read_input
from presswash.parsers.textdump import clean_textdump
from presswash.schemas.document import Extracted, RawDoc, ReadFailure, SourceInfo
from presswash.schemas.records import Article, Rejection
from presswash.schemas.settings import Settings

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SETTINGS = Settings(limits={"max_input_bytes": 1 << 20})
CONFIG = CleanConfig(SETTINGS.limits, SETTINGS.cleaning, "0.0.0+test")
NAMES = ["a.txt", "a.html", "a.jsonl", "a.warc", "a.warc.gz", "a.txt.gz", "a.jsonl.gz", "noext"]

# text that looks like pages: lines, markup, CJK, punctuation, the odd control character
page_text = st.text(
    alphabet=st.sampled_from(
        list("abcdefghij ABCXYZ.,;:!?\"'<>/=-|#@&\n\n\t")
        + list("中文한국어ñéøß€“”…")
        + ["\x00", "\ufffd"]
    ),
    max_size=3000,
)


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(NAMES))
@example(data=gzip.compress(b'{"text": "x"}\n' * 3)[:30], name="a.jsonl.gz")
@example(
    data=b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\nHTTP/1.1", name="a.warc"
)
def test_readers_never_raise(data: bytes, name: str) -> None:
    for item in read_input(io.BytesIO(data), name=name, uri=name, limits=SETTINGS.limits):
        assert isinstance(item, RawDoc | ReadFailure)
        assert item.source.uri.startswith(name)


@FUZZ
@given(
    data=st.binary(max_size=4096),
    declared=st.sampled_from([None, "utf-8", "latin-1", "gbk", "bogus"]),
)
def test_decoder_never_raises(data: bytes, declared: str | None) -> None:
    result = decode_bytes(data, declared=declared)
    assert isinstance(result, Decoded | DecodeFailure)
    if isinstance(result, Decoded):
        assert result.text.strip()


@FUZZ
@given(text=page_text)
def test_text_cleaner_never_raises(text: str) -> None:
    extracted = clean_textdump(text, explain=True)
    assert isinstance(extracted, Extracted)
    assert all("\n" not in line for line in extracted.lines)


@FUZZ
@given(text=page_text, wrap=st.booleans())
def test_html_extractor_never_raises(text: str, wrap: bool) -> None:
    html = f"<html><body><article><p>{text}</p></article></body></html>" if wrap else text
    assert isinstance(extract_html(html), Extracted)


@FUZZ
@given(text=page_text)
def test_language_is_a_code_or_none(text: str) -> None:
    result = detect_language(text)
    assert result.code is None or (result.code.isalpha() and result.code.islower())
    assert 0.0 <= result.confidence <= 1.0


@FUZZ
@given(
    data=st.binary(max_size=3000) | page_text.map(str.encode),
    media=st.sampled_from(["text", "html"]),
)
def test_core_output_always_validates(data: bytes, media: str) -> None:
    raw = RawDoc(SourceInfo(kind="file", uri="x.txt", sha256="a" * 64), media=media, data=data)
    outcome = clean_document(raw, CONFIG)
    if isinstance(outcome, Accepted):
        Article.model_validate(outcome.record)
    else:
        assert isinstance(outcome, Rejected)
        assert outcome.reason != "internal_error", outcome.detail
        Rejection.model_validate(outcome.as_record("0.0.0+test"))
