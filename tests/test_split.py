"""Big files over `run.shard_bytes` spread over workers: JSONL, WARC and .warc.gz read in pieces.

What a split run writes must be what the same file read whole writes: the same
records, ids, URIs with their `#n`, rejections and duplicates; and re-running it,
cut the same way or another, must replace its records, never add to them.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presswash.parsers.readers.gz import intact_members
from presswash.runner.plan import GZ_HEAD, GZ_TAIL, plan_shards
from presswash.runner.run import run_bare
from presswash.schemas.settings import Settings
from presswash.sources.inputs import iter_inputs
from tests.articles import make_dump
from tests.conftest import read_jsonl

VOLATILE = ("ingested_at", "rejected_at")
WHOLE = 1 << 40


def stable(records: list[dict]) -> list[str]:
    """Records with run-time stamps removed, in a canonical order."""
    return sorted(
        json.dumps({k: v for k, v in r.items() if k not in VOLATILE}, sort_keys=True)
        for r in records
    )


def settings(out: Path, shard_bytes: int, max_records: int = 5_000_000, **limits: int) -> Settings:
    return Settings(
        out=out,
        run={"in_process": True, "shard_bytes": shard_bytes},
        limits={"max_records_per_file": max_records, **limits},
    )


def outputs(out: Path) -> tuple[list[str], list[str]]:
    return stable(read_jsonl(out / "articles")), stable(read_jsonl(out / "rejected"))


def make_jsonl(path: Path) -> None:
    """Articles, blank lines, a bad line, exact copies of earlier articles in later pieces."""
    lines = []
    for n in range(30):
        lines.append(json.dumps({"id": f"a{n}", "title": f"Story {n}", "text": make_dump(n)}))
        if n % 7 == 3:
            lines.append("   ")
    lines.insert(12, "{not json")
    lines.insert(20, json.dumps({"id": "copy-of-1", "text": make_dump(1)}))
    lines.insert(27, json.dumps({"id": "copy-of-4", "text": make_dump(4)}))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _html(n: int) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in make_dump(n).splitlines() if line.strip())
    head = f"<html><head><title>Story {n}</title></head>"
    return f"{head}<body><article>{paragraphs}</article></body></html>".encode()


def warc_records(gzipped: bool = False) -> list[bytes]:
    """Page responses, a request record and an image between them, and a later copy of a page.

    One item per record, as written: gzipped, each is a gzip member of its own.
    """
    pages = [(n, _html(n), "text/html; charset=utf-8") for n in range(14)]
    pages.insert(5, (99, b"\x89PNG\r\n\x1a\n" + bytes(400), "image/png"))
    pages.insert(11, (100, _html(2), "text/html"))
    records = []
    for n, body, kind in pages:
        url = f"https://news.test/{n}"
        headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
        records.append(_record(gzipped, url, "request", b"GET / HTTP/1.1\r\n\r\n"))
        records.append(_record(gzipped, url, "response", body, headers))
    return records


def _record(
    gzipped: bool, url: str, kind: str, payload: bytes, http: StatusAndHeaders | None = None
) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    record = writer.create_warc_record(url, kind, payload=io.BytesIO(payload), http_headers=http)
    writer.write_record(record)
    return buffer.getvalue()


def make_warc(path: Path, records: list[bytes] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(warc_records() if records is None else records))


def pieces(raw: Path, shard_bytes: int) -> list[tuple[str, ...]]:
    specs = plan_shards(iter_inputs([str(raw)]), 1000, shard_bytes)
    return [tuple(item.key for item in spec.files) for spec in specs]


def test_a_big_jsonl_is_planned_as_ranges_cut_at_lines(tmp_path: Path) -> None:
    big = tmp_path / "raw" / "wire" / "2025-03-01" / "big.jsonl"
    make_jsonl(big)
    planned = pieces(tmp_path / "raw", big.stat().st_size // 6)
    assert len(planned) >= 4 and all(len(files) == 1 for files in planned)
    data = big.read_bytes()
    specs = list(plan_shards(iter_inputs([str(tmp_path / "raw")]), 1000, len(data) // 6))
    ranges = [spec.files[0] for spec in specs]
    assert ranges[0].start == 0 and ranges[-1].end == len(data)
    for before, after in pairwise(ranges):
        assert before.end == after.start and data[after.start - 1 : after.start] == b"\n"
        assert after.first == data[: after.start].count(b"\n") == before.last
    assert len({spec.shard_id for spec in specs}) == len(specs)
    # the same file gzipped cannot be entered midway: one piece, keyed as ever
    packed = tmp_path / "gz" / "wire" / "big.jsonl.gz"
    packed.parent.mkdir(parents=True)
    packed.write_bytes(gzip.compress(data, compresslevel=0))
    assert pieces(tmp_path / "gz", 100) == [(str(packed),)]


def test_a_split_jsonl_run_writes_what_an_unsplit_one_does(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    make_jsonl(raw / "wire" / "2025-03-01" / "big.jsonl")
    step = (raw / "wire" / "2025-03-01" / "big.jsonl").stat().st_size // 6
    assert len(pieces(raw, step)) >= 4
    run_bare([str(raw)], settings(tmp_path / "whole", WHOLE, max_records=30))
    split = run_bare([str(raw)], settings(tmp_path / "split", step, max_records=30))
    whole = outputs(tmp_path / "whole")
    assert outputs(tmp_path / "split") == whole
    rejected = read_jsonl(tmp_path / "split" / "rejected")
    reasons = {r["reason"] for r in rejected}
    assert {"duplicate", "invalid_record", "too_large"} <= reasons
    (limit,) = [r for r in rejected if r["reason"] == "too_large"]
    assert limit["source"]["uri"] == "wire/2025-03-01/big.jsonl#35"  # the 31st record
    assert split.rejected_by_reason["duplicate"] == 2
    # a re-run, cut the same way, replaces its records: none twice, none a copy of itself
    again = run_bare([str(raw)], settings(tmp_path / "split", step, max_records=30))
    assert again.rejected_by_reason == split.rejected_by_reason
    assert outputs(tmp_path / "split") == whole


def test_cutting_a_file_otherwise_on_a_rerun_replaces_its_records(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    make_jsonl(raw / "wire" / "2025-03-01" / "big.jsonl")
    size = (raw / "wire" / "2025-03-01" / "big.jsonl").stat().st_size
    run_bare([str(raw)], settings(tmp_path / "whole", WHOLE))
    whole = outputs(tmp_path / "whole")
    out = tmp_path / "out"
    for step in (WHOLE, size // 5, size // 3, WHOLE, size // 4):
        run_bare([str(raw)], settings(out, step))
        assert outputs(out) == whole, f"after a run with shard_bytes={step}"
        assert not list(out.rglob("*.tmp"))


def test_a_split_warc_run_writes_what_an_unsplit_one_does(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    crawl = raw / "crawl" / "2025-03-02" / "big.warc"
    make_warc(crawl)
    step = crawl.stat().st_size // 6
    assert len(pieces(raw, step)) >= 4
    run_bare([str(raw)], settings(tmp_path / "whole", WHOLE, max_records=14))
    run_bare([str(raw)], settings(tmp_path / "split", step, max_records=14))
    whole = outputs(tmp_path / "whole")
    assert outputs(tmp_path / "split") == whole
    reasons = {r["reason"] for r in read_jsonl(tmp_path / "split" / "rejected")}
    assert {"duplicate", "binary", "too_large"} <= reasons
    run_bare([str(raw)], settings(tmp_path / "split", step, max_records=14))
    assert outputs(tmp_path / "split") == whole


def test_a_big_warc_gz_is_planned_as_ranges_cut_at_gzip_members(tmp_path: Path) -> None:
    crawl = tmp_path / "raw" / "crawl" / "2025-03-02" / "big.warc.gz"
    records = warc_records(gzipped=True)
    make_warc(crawl, records)
    data = crawl.read_bytes()
    specs = list(plan_shards(iter_inputs([str(tmp_path / "raw")]), 1000, len(data) // 6))
    ranges = [spec.files[0] for spec in specs]
    assert len(ranges) >= 4 and all(len(spec.files) == 1 for spec in specs)
    assert ranges[0].start == 0 and ranges[-1].end == len(data)
    pages_before = {}  # where each record's member starts: the page records before it
    offset = pages = 0
    for record in records:
        pages_before[offset] = pages
        offset += len(record)
        pages += b"WARC-Type: response" in gzip.decompress(record)
    for before, after in pairwise(ranges):
        assert before.end == after.start
        assert after.first == before.last == pages_before[after.start]
        assert after.inflated == len(gzip.decompress(data[: after.start]))
    assert len({spec.shard_id for spec in specs}) == len(specs)
    # a JSONL export stays whole even when each of its lines is a gzip member of its own
    export = tmp_path / "gz" / "wire" / "big.jsonl.gz"
    make_jsonl(tmp_path / "big.jsonl")
    lines = (tmp_path / "big.jsonl").read_bytes().splitlines(keepends=True)
    export.parent.mkdir(parents=True)
    export.write_bytes(b"".join(gzip.compress(line) for line in lines))
    assert pieces(tmp_path / "gz", export.stat().st_size // 6) == [(str(export),)]


class CountedReads(io.BytesIO):
    """An in-memory file that counts the bytes read from it."""

    taken = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data


def test_a_warc_gz_gzipped_whole_is_one_piece_found_without_inflating_it(tmp_path: Path) -> None:
    crawl = tmp_path / "raw" / "crawl" / "whole.warc.gz"
    crawl.parent.mkdir(parents=True)
    crawl.write_bytes(gzip.compress(b"".join(warc_records())))
    assert pieces(tmp_path / "raw", crawl.stat().st_size // 6) == [(str(crawl),)]
    # one 8 MB member: the scan gives up a little past the shard size, not at its end
    packed = CountedReads(gzip.compress(os.urandom(8 << 20), compresslevel=1))
    members = intact_members(packed, max_span=1 << 20, budget=1 << 30, head=GZ_HEAD, tail=GZ_TAIL)
    assert list(members) == []
    assert packed.taken < 3 << 20


@pytest.mark.parametrize("limit", ["max_records_per_file", "max_decompressed_bytes"])
def test_a_split_warc_gz_run_writes_what_an_unsplit_one_does(tmp_path: Path, limit: str) -> None:
    raw = tmp_path / "raw"
    crawl = raw / "crawl" / "2025-03-02" / "big.warc.gz"
    make_warc(crawl, warc_records(gzipped=True))
    step = crawl.stat().st_size // 6
    ranges = [spec.files[0] for spec in plan_shards(iter_inputs([str(raw)]), 1000, step)]
    assert len(ranges) >= 4
    if limit == "max_records_per_file":
        limits = {"max_records": 14}
    else:
        limits = {limit: len(gzip.decompress(crawl.read_bytes())) * 6 // 7}
    run_bare([str(raw)], settings(tmp_path / "whole", WHOLE, **limits))
    run_bare([str(raw)], settings(tmp_path / "split", step, **limits))
    whole = outputs(tmp_path / "whole")
    assert outputs(tmp_path / "split") == whole
    rejected = read_jsonl(tmp_path / "split" / "rejected")
    assert {"duplicate", "binary", "too_large"} <= {r["reason"] for r in rejected}
    (stop,) = [r for r in rejected if r["reason"] == "too_large"]
    assert limit in stop["detail"]
    if limit == "max_records_per_file":
        assert stop["source"]["uri"] == "crawl/2025-03-02/big.warc.gz#15"
    assert int(stop["source"]["uri"].rpartition("#")[2]) > ranges[1].first  # met in a later piece
    run_bare([str(raw)], settings(tmp_path / "split", step, **limits))
    assert outputs(tmp_path / "split") == whole


def test_a_damaged_member_of_a_split_warc_gz_is_one_rejection_as_read_whole(
    tmp_path: Path,
) -> None:
    raw = tmp_path / "raw"
    crawl = raw / "crawl" / "2025-03-02" / "big.warc.gz"
    records = warc_records(gzipped=True)
    spoiled = 21  # the response of the 11th page, two thirds into the file
    member = bytearray(records[spoiled])
    for at in range(len(member) // 2, len(member) // 2 + 8):
        member[at] ^= 0x55
    records[spoiled] = bytes(member)
    make_warc(crawl, records)
    step = crawl.stat().st_size // 8
    assert len(pieces(raw, step)) >= 4
    run_bare([str(raw)], settings(tmp_path / "whole", WHOLE))
    run_bare([str(raw)], settings(tmp_path / "split", step))
    assert outputs(tmp_path / "split") == outputs(tmp_path / "whole")
    rejected = read_jsonl(tmp_path / "split" / "rejected")
    (bad,) = [r for r in rejected if r["reason"] == "undecodable"]
    assert bad["source"]["uri"] == "crawl/2025-03-02/big.warc.gz#11"
    kept = {a["source"]["uri"] for a in read_jsonl(tmp_path / "split" / "articles")}
    assert "crawl/2025-03-02/big.warc.gz#16" in kept  # reading went on after it


SPOILERS = {
    "folded header line": lambda r: r.replace(
        b"WARC-Type: response\r\n", b"WARC-Type: response\r\n x\r\n", 1
    ),
    "second content-length": lambda r: r.replace(b"\r\n\r\n", b"\r\nContent-Length: 5\r\n\r\n", 1),
    "no blank line after the record": lambda r: r[:-4],
    "unknown warc version": lambda r: r.replace(b"WARC/1.0", b"WARC/2.0", 1),
}


@pytest.mark.parametrize("spoil", SPOILERS.values(), ids=SPOILERS.keys())
def test_a_record_the_scan_is_unsure_of_comes_out_as_from_the_whole_file(
    tmp_path: Path, spoil: Callable[[bytes], bytes]
) -> None:
    records = warc_records()
    records[19] = spoil(records[19])
    raw = tmp_path / "raw" / "crawl"
    make_warc(raw / "big.warc", records)
    make_warc(raw / "big.warc.gz", [gzip.compress(record) for record in records])
    step = (raw / "big.warc.gz").stat().st_size // 6
    assert len(pieces(tmp_path / "raw", step)) >= 3  # the gzipped one is cut before the record
    run_bare([str(tmp_path / "raw")], settings(tmp_path / "whole", WHOLE))
    run_bare([str(tmp_path / "raw")], settings(tmp_path / "split", step))
    assert outputs(tmp_path / "split") == outputs(tmp_path / "whole")


def test_a_backfill_knows_a_split_file_is_clean(tmp_path: Path) -> None:
    """A file cleaned in pieces is clean for the next backfill, and dirty again once changed."""
    from datetime import date

    from presswash.runner.backfill import plan_backfill
    from presswash.runner.engine import run_clean

    day = tmp_path / "raw" / "wire" / "2024-01-01"
    day.mkdir(parents=True)
    big = day / "big.jsonl"
    lines = [
        json.dumps({"id": n, "text": f"Story {n}. The harbour board met on day {n}. " * 12})
        for n in range(60)
    ]
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(
        out=tmp_path / "out", run={"shard_bytes": big.stat().st_size // 4, "workers": 1}
    )
    summary = run_clean([str(day)], settings, root=str(tmp_path / "raw"))
    assert summary.shards >= 4 and summary.inputs == 60
    first = date(2024, 1, 1)
    _, todo = plan_backfill(tmp_path / "raw", settings, first, first, None, False)
    assert todo == []
    with big.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": 60, "text": "A late story. " * 30}) + "\n")
    _, todo = plan_backfill(tmp_path / "raw", settings, first, first, None, False)
    assert len(todo) == 1
