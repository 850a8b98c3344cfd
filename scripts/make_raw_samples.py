#!/usr/bin/env python3
"""Rebuild the binary sample inputs under raw/ from the plain sources in scripts/sample_sources/.

Why this exists: `presswash clean` reads raw/ by default, and the README's first
command runs it there so a new user sees every reader at work. Two of those
inputs are binary (a gzip-compressed text dump and a gzipped WARC web archive),
which a reviewer cannot read in a diff and nobody should edit by hand. Their
content lives here as plain files; this script turns them into:

    raw/dumps/en_city_council.txt.gz   gzip of sample_sources/en_city_council.txt
    raw/archives/crawl.warc.gz         warcinfo, two request+response pairs
                                       (an English and a Chinese news page) and
                                       one image/png response

The output is byte-identical on every run: gzip headers carry mtime 0 and no
file name, and every WARC-Date, WARC-Record-ID and HTTP Date is fixed. Running
it again only rewrites a file whose bytes would change.

Usage (from the repository root or anywhere):  uv run python scripts/make_raw_samples.py
Needs only the standard library and warcio.
"""

from __future__ import annotations

import gzip
import io
import struct
import sys
import uuid
import zlib
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(__file__).resolve().parent / "sample_sources"
DUMP_OUT = ROOT / "raw" / "dumps" / "en_city_council.txt.gz"
WARC_OUT = ROOT / "raw" / "archives" / "crawl.warc.gz"

# Record ids are UUIDv5 of a fixed name, so they are stable and still look like real ids.
_ID_NAMESPACE = uuid.UUID("6f1c2d0e-8b7a-4e0f-9a51-3c2b7d9e4f10")

# (url, source file, WARC-Date of the fetch)
PAGES = [
    (
        "https://www.kestrelbaytimes.example/news/gull-point-path-reopens",
        "warc_en_page.html",
        "2025-05-12T10:31:07Z",
    ),
    (
        "https://www.nanyu-morning.example/city/2025/0905/library-night-opening.html",
        "warc_zh_page.html",
        "2025-09-05T02:40:15Z",
    ),
]
PNG_URL = "https://www.kestrelbaytimes.example/static/img/pixel.png"
PNG_DATE = "2025-05-12T10:31:09Z"
WARCINFO_DATE = "2025-05-12T10:31:00Z"


def record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(_ID_NAMESPACE, name)}>"


def http_date(warc_date: str) -> str:
    """RFC 7231 date for an HTTP header from a WARC date like 2025-05-12T10:31:07Z."""
    moment = datetime.strptime(warc_date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return (
        f"{days[moment.weekday()]}, {moment.day:02d} {months[moment.month - 1]} {moment.year} "
        f"{moment:%H:%M:%S} GMT"
    )


def tiny_png() -> bytes:
    """A valid 1x1 opaque grey PNG, built byte by byte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        crc = zlib.crc32(body) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\x80\x80\x80", 9)  # filter byte 0, one grey pixel
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def gzip_bytes(data: bytes) -> bytes:
    """gzip with mtime 0 and no file name in the header, so equal input gives equal bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return buf.getvalue()


def build_warc() -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="1.0")

    info = writer.create_warcinfo_record(
        "crawl.warc.gz",
        {
            "software": "presswash make_raw_samples.py",
            "format": "WARC File Format 1.0",
            "isPartOf": "presswash-sample-crawl",
            "description": "Invented sample pages for presswash's readers; not a real crawl.",
            "robots": "obey",
        },
    )
    info.rec_headers.replace_header("WARC-Record-ID", record_id("warcinfo"))
    info.rec_headers.replace_header("WARC-Date", WARCINFO_DATE)
    writer.write_record(info)

    for url, source, date in PAGES:
        body = (SOURCES / source).read_bytes()
        path = "/" + url.split("/", 3)[3]
        host = url.split("/")[2]
        response_id = record_id(f"response {url}")

        request_headers = StatusAndHeaders(
            f"GET {path} HTTP/1.1",
            [
                ("Host", host),
                ("User-Agent", "presswash-sample-crawler/1.0"),
                ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
                ("Accept-Encoding", "identity"),
            ],
            is_http_request=True,
        )
        request = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=request_headers,
            warc_headers_dict={
                "WARC-Record-ID": record_id(f"request {url}"),
                "WARC-Date": date,
                "WARC-Concurrent-To": response_id,
            },
        )

        response_headers = StatusAndHeaders(
            "200 OK",
            [
                ("Date", http_date(date)),
                ("Server", "nginx"),
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Connection", "close"),
            ],
            protocol="HTTP/1.1",
        )
        response = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=response_headers,
            warc_headers_dict={"WARC-Record-ID": response_id, "WARC-Date": date},
        )
        writer.write_record(request)
        writer.write_record(response)

    png = tiny_png()
    png_headers = StatusAndHeaders(
        "200 OK",
        [
            ("Date", http_date(PNG_DATE)),
            ("Server", "nginx"),
            ("Content-Type", "image/png"),
            ("Content-Length", str(len(png))),
        ],
        protocol="HTTP/1.1",
    )
    writer.write_record(
        writer.create_warc_record(
            PNG_URL,
            "response",
            payload=io.BytesIO(png),
            length=len(png),
            http_headers=png_headers,
            warc_headers_dict={
                "WARC-Record-ID": record_id(f"response {PNG_URL}"),
                "WARC-Date": PNG_DATE,
            },
        )
    )
    return buf.getvalue()


def write_if_changed(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        print(f"unchanged  {path.relative_to(ROOT)}")
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    print(f"wrote      {path.relative_to(ROOT)} ({len(data)} bytes)")


def main() -> int:
    write_if_changed(DUMP_OUT, gzip_bytes((SOURCES / "en_city_council.txt").read_bytes()))
    write_if_changed(WARC_OUT, build_warc())
    return 0


if __name__ == "__main__":
    sys.exit(main())
