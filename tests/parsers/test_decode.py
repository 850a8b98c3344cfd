"""Decoding by evidence: BOMs, declared charsets that lie, legacy encodings, binary."""

from __future__ import annotations

import codecs
import os
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from presswash.parsers.decode import Decoded, DecodeFailure, declared_charset, decode_bytes
from tests.fuzzing import FUZZ

FRENCH = "L'Écho de la Loire : le marché couvert rouvre après deux ans de travaux. " * 6
CHINESE = "老城区屋顶社区菜园开园，居民种出共享蔬菜。菜园位于一栋老旧居民楼的平顶上。" * 4
KOREAN = "서울 마포구의 작은 동네 책방이 폐업 위기를 넘기고 주민들이 함께 운영합니다. " * 4


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (codecs.BOM_UTF8 + "Zoë’s café".encode(), "Zoë’s café"),
        (codecs.BOM_UTF16_LE + "Zoë’s café".encode("utf-16-le"), "Zoë’s café"),
        (codecs.BOM_UTF16_BE + "Zoë’s café".encode("utf-16-be"), "Zoë’s café"),
    ],
)
def test_bom_decides(data: bytes, text: str) -> None:
    decoded = decode_bytes(data)
    assert isinstance(decoded, Decoded)
    assert decoded.text == text
    assert decoded.evidence == "bom"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(FRENCH, "latin-1"), (CHINESE, "gbk"), (KOREAN, "cp949")],
)
def test_legacy_encodings_are_detected(text: str, encoding: str) -> None:
    decoded = decode_bytes(text.encode(encoding))
    assert isinstance(decoded, Decoded)
    assert decoded.text == text


def test_utf8_wins_over_a_lying_single_byte_declaration() -> None:
    page = f'<html><head><meta charset="windows-1252"></head><body>{CHINESE}</body></html>'
    data = page.encode("utf-8")
    declared = declared_charset(data)
    assert declared == "windows-1252"
    decoded = decode_bytes(data, declared=declared)
    assert isinstance(decoded, Decoded)
    assert CHINESE in decoded.text


def test_declared_charset_used_when_bytes_are_not_utf8() -> None:
    data = ('<meta charset="iso-8859-1"><p>' + FRENCH + "</p>").encode("latin-1")
    decoded = decode_bytes(data, declared=declared_charset(data))
    assert isinstance(decoded, Decoded)
    assert FRENCH in decoded.text
    assert decoded.evidence == "declared"


def test_http_header_charset_is_read() -> None:
    assert declared_charset(b"<p>x</p>", "text/html; charset=EUC-KR") == "EUC-KR"


def test_mojibake_is_repaired() -> None:
    decoded = decode_bytes("The cafÃ© rÃ©sumÃ© was naÃ¯ve.".encode())
    assert isinstance(decoded, Decoded)
    assert decoded.text == "The café résumé was naïve."
    assert decoded.repaired


def test_curly_quotes_survive_repair() -> None:
    decoded = decode_bytes("“Quoted” — and cafÃ©".encode())
    assert isinstance(decoded, Decoded)
    assert decoded.text == "“Quoted” — and café"
    assert decoded.repaired


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \r\n\t  ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(64), "binary"),
        (b"\x7fELF" + bytes(200), "binary"),
        (bytes(4096), "binary"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8\x41", "undecodable"),
    ],
    # named, not shown: random bytes would name the test differently in each worker process
    ids=["nothing", "blank", "png-header", "elf-header", "zeros", "utf16-lone-surrogate"],
)
def test_not_text_is_a_failure_with_a_reason(data: bytes, reason: str) -> None:
    decoded = decode_bytes(data)
    assert isinstance(decoded, DecodeFailure)
    assert decoded.reason == reason
    assert decoded.detail


def test_random_bytes_are_binary() -> None:
    decoded = decode_bytes(bytes((i * 7919 + 13) % 256 for i in range(65536)))
    assert isinstance(decoded, DecodeFailure)
    assert decoded.reason in ("binary", "undecodable")


@FUZZ
@given(
    data=st.binary(max_size=4096),
    declared=st.sampled_from([None, "utf-8", "latin-1", "gbk", "bogus"]),
)
def test_decoder_never_raises(data: bytes, declared: str | None) -> None:
    result = decode_bytes(data, declared=declared)
    if isinstance(result, Decoded):
        assert result.text.strip()
    else:
        assert result.reason in ("empty", "binary", "undecodable")
        assert result.detail


def test_one_mojibake_spot_in_a_big_page_is_repaired_at_the_cost_of_the_spot() -> None:
    filler = '<div class="card"><a href="/p/1">A product card with some words</a></div>\n' * 50_000
    page = filler + "<p>The cafÃ© rÃ©sumÃ© was naÃ¯ve.</p>\n" + filler
    start = time.process_time()
    decoded = decode_bytes(page.encode())
    assert time.process_time() - start < 2  # ftfy over all 7 MB took 10 s
    assert isinstance(decoded, Decoded)
    assert "<p>The café résumé was naïve.</p>" in decoded.text
    assert decoded.text.count("A product card") == 100_000


def test_mojibake_of_cjk_text_is_repaired() -> None:
    decoded = decode_bytes("<p>Sprache: 日本語 und 中文</p>".encode().decode("latin-1").encode())
    assert isinstance(decoded, Decoded)
    assert decoded.text == "<p>Sprache: 日本語 und 中文</p>"


def test_genuine_accents_beside_punctuation_are_left_alone() -> None:
    text = "«Está», dijo él. «¿Qué?» Kelvin: \u212a. Ça va… «à»"
    decoded = decode_bytes(text.encode())
    assert isinstance(decoded, Decoded)
    assert decoded.text == text
    assert not decoded.repaired
