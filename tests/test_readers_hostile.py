"""Hostile archives: damaged gzip, corrupt encoded bodies, inflation past the budget, huge headers.

Every input is made here, in memory, so nothing large is committed.
"""

from __future__ import annotations

import gzip
import io
import json
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest

from presswash.parsers.readers import read_input
from presswash.schemas.document import RawDoc, ReadFailure
from presswash.schemas.settings import Limits
from tests.articles import make_dump
from tests.conftest import read_jsonl, run_cli

LIMITS = Limits()


def read(data: bytes, name: str, limits: Limits = LIMITS) -> list[RawDoc | ReadFailure]:
    return list(read_input(io.BytesIO(data), name=name, uri=name, limits=limits))


def record(url: str, body: bytes, headers: tuple[tuple[str, str], ...] = ()) -> bytes:
    """One WARC response record holding an HTTP 200 response, written out by hand."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
    http += b"".join(f"{name}: {value}\r\n".encode() for name, value in headers)
    block = http + b"\r\n" + body
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2025-03-05T06:07:08Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{len(url)}-{len(body)}>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(block)}\r\n"
    ).encode()
    return head + b"WARC-Target-URI: " + url.encode() + b"\r\n\r\n" + block + b"\r\n\r\n"


def page(n: int) -> bytes:
    return make_dump(n, paragraphs=12).encode()


def damage(member: bytes, at: float) -> bytes:
    """The member with a run of bytes flipped at a fraction of its length."""
    out = bytearray(member)
    start = int(len(out) * at)
    for i in range(start, start + 8):
        out[i] ^= 0x55
    return bytes(out)


def crc_damage(member: bytes) -> bytes:
    """The member with one bit of its CRC flipped: inflates cleanly, fails only the check."""
    out = bytearray(member)
    out[-8] ^= 0x01
    return bytes(out)


def three_members() -> list[bytes]:
    return [gzip.compress(record(f"https://news.test/{n}", page(n))) for n in (1, 2, 3)]


def assert_clean_detail(failure: ReadFailure) -> None:
    """A detail a person can act on: says where, and holds no bytes of the damaged data."""
    assert "byte" in failure.detail
    assert failure.detail.isascii() and failure.detail.isprintable()
    assert "update" not in failure.detail  # no text of the page inside


@pytest.mark.parametrize("spoil", [lambda m: damage(m, 0.5), crc_damage], ids=["midway", "crc"])
def test_a_damaged_gzip_member_is_one_rejection_and_the_members_after_it_are_read(
    spoil: object,
) -> None:
    first, second, third = three_members()
    items = read(first + spoil(second) + third, "crawl.warc.gz")  # type: ignore[operator]
    assert [i.source.uri for i in items] == [
        "crawl.warc.gz#1",
        "crawl.warc.gz#2",
        "crawl.warc.gz#3",
    ]
    one, two, three = items
    assert isinstance(one, RawDoc) and one.data == page(1)
    assert isinstance(three, RawDoc) and three.data == page(3)
    assert isinstance(two, ReadFailure)
    assert (two.reason, two.stage) == ("undecodable", "decode")
    assert_clean_detail(two)


def test_a_cut_off_warc_gz_keeps_what_inflated_before_the_cut() -> None:
    first, second, _ = three_members()
    one, cut = read(first + second[: len(second) // 2], "cut.warc.gz")
    assert isinstance(one, RawDoc) and one.data == page(1)
    assert isinstance(cut, ReadFailure) and cut.reason == "truncated"


def test_nothing_of_a_damaged_jsonl_gz_member_is_handed_out() -> None:
    lines = "".join(json.dumps({"text": make_dump(n)}) + "\n" for n in range(300)).encode()
    (failure,) = read(damage(gzip.compress(lines), 0.6), "export.jsonl.gz")
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "undecodable" and "damaged" in failure.detail


def test_a_corrupt_content_encoding_body_is_undecodable_and_quiet(
    capfd: pytest.CaptureFixture[str],
) -> None:
    body = "".join(f"<p>Paragraph {n} of the report on the harbour.</p>" for n in range(600))
    wire = damage(gzip.compress(body.encode()), 0.6)
    archive = record("https://news.test/a", wire, (("Content-Encoding", "gzip"),))
    archive += record("https://news.test/b", page(2))
    bad, good = read(archive, "encoded.warc")
    assert isinstance(bad, ReadFailure)
    assert (bad.reason, bad.stage) == ("undecodable", "decode")
    assert bad.source.extra["url"] == "https://news.test/a"
    assert "gzip" in bad.detail and bad.detail.isprintable()
    assert isinstance(good, RawDoc) and good.data == page(2)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_a_good_deflate_body_and_a_stored_decoded_body_are_read() -> None:
    archive = record(
        "https://news.test/d", zlib.compress(page(4)), (("Content-Encoding", "deflate"),)
    )
    archive += record("https://news.test/s", page(5), (("Content-Encoding", "gzip"),))
    deflated, stored = read(archive, "codings.warc")
    assert isinstance(deflated, RawDoc) and deflated.data == page(4)
    assert isinstance(stored, RawDoc) and stored.data == page(5)


def test_a_warc_gz_inflates_no_further_than_max_decompressed_bytes() -> None:
    body = b"x" * 256_000
    members = [gzip.compress(record(f"https://news.test/{n}", body)) for n in range(40)]
    items = read(b"".join(members), "big.warc.gz", Limits(max_decompressed_bytes=2_000_000))
    *kept, stop = items
    assert 5 <= len(kept) < 8
    assert all(isinstance(i, RawDoc) for i in kept)
    assert isinstance(stop, ReadFailure) and stop.reason == "too_large"
    assert "max_decompressed_bytes" in stop.detail
    assert stop.source.uri == f"big.warc.gz#{len(kept) + 1}"


@pytest.mark.parametrize("gzipped", [False, True], ids=["warc", "warc.gz"])
def test_a_40_mb_target_uri_is_dropped_and_never_held(gzipped: bool) -> None:
    url = "https://news.test/" + "a" * 40_000_000
    data = record(url, page(6)) + record("https://news.test/ok", page(7))
    if gzipped:
        data = gzip.compress(record(url, page(6)), 1) + gzip.compress(record("https://x/ok", b"ok"))
    tracemalloc.start()
    started = time.perf_counter()
    try:
        first, second = read(data, "long.warc.gz" if gzipped else "long.warc")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 10
    assert peak < 40_000_000  # the reader never holds the URL whole (the input is not counted)
    assert isinstance(first, RawDoc) and first.data == page(6)
    assert "url" not in first.source.extra and "url" not in first.fields
    assert len(first.source.extra["url_dropped"]) < 300
    assert isinstance(second, RawDoc) and second.source.extra["url"].startswith("https://")


def test_a_header_block_of_thousands_of_lines_is_too_large_and_reading_goes_on() -> None:
    many = tuple((f"X-Filler-{n}", "v") for n in range(5_000))
    archive = record("https://news.test/h", page(8), many) + record("https://news.test/ok", page(9))
    big, fine = read(archive, "headers.warc")
    assert isinstance(big, ReadFailure) and big.reason == "too_large"
    assert isinstance(fine, RawDoc) and fine.data == page(9)


@pytest.mark.slow
def test_the_cli_keeps_the_good_records_around_a_damaged_member(
    prefect_api_url: str, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    first, second, third = three_members()
    (src / "crawl.warc.gz").write_bytes(first + damage(second, 0.5) + third)
    out = tmp_path / "out"
    result = run_cli(["clean", str(src), "--out", str(out)], prefect_api_url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "incorrect data check" not in result.stderr
    accepted = sorted(a["source"]["uri"] for a in read_jsonl(out / "articles"))
    assert accepted == ["crawl.warc.gz#1", "crawl.warc.gz#3"]
    (rejected,) = read_jsonl(out / "rejected")
    assert rejected["source"]["uri"] == "crawl.warc.gz#2"
    assert rejected["reason"] == "undecodable"
