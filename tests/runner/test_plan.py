"""The plan: inputs cut into shards of one partition each, in path order, big files in pieces."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presswash.runner.plan import (
    MAX_LOOKAHEAD,
    TAIL_FILES,
    ShardSpec,
    lookahead_files,
    plan_shards,
    shard_cap,
    shard_id,
)
from presswash.schemas.settings import Settings
from presswash.sources.inputs import InputFile, iter_inputs

WHOLE = 1 << 40


def write(root: Path, rel: str, data: bytes = b"Some text.\n") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def plan(root: Path, max_files: int = 1000, max_bytes: int = WHOLE) -> list[ShardSpec]:
    return list(plan_shards(iter_inputs([str(root)]), max_files, max_bytes))


def names(spec: ShardSpec) -> list[str]:
    return [item.rel for item in spec.files]


def test_a_shard_holds_one_partition_and_partitions_come_in_path_order(tmp_path: Path) -> None:
    for rel in ("wire/2025-03-02/b.txt", "blog/2025-03-01/z.txt", "wire/2025-03-01/c.txt",
                "wire/2025-03-01/a.txt", "wire/notes.txt"):  # fmt: skip
        write(tmp_path, rel)
    shards = plan(tmp_path)
    assert [(s.source_name, s.date, names(s)) for s in shards] == [
        ("blog", "2025-03-01", ["blog/2025-03-01/z.txt"]),
        ("wire", "undated", ["wire/notes.txt"]),
        ("wire", "2025-03-01", ["wire/2025-03-01/a.txt", "wire/2025-03-01/c.txt"]),
        ("wire", "2025-03-02", ["wire/2025-03-02/b.txt"]),
    ]


def test_the_same_inputs_give_the_same_shard_ids(tmp_path: Path) -> None:
    for n in range(3):
        write(tmp_path, f"wire/2025-03-01/{n}.txt")
    first, again = plan(tmp_path), plan(tmp_path)
    assert [s.shard_id for s in first] == [s.shard_id for s in again]
    (spec,) = first
    assert spec.shard_id == shard_id("wire", "2025-03-01", spec.files)
    assert spec.shard_id != shard_id("wire", "2025-03-01", spec.files[:2])


def test_run_shard_files_and_shard_bytes_bound_a_shard(tmp_path: Path) -> None:
    for n in range(5):
        write(tmp_path, f"wire/2025-03-01/{n}.txt", b"x" * 100)
    run = Settings(run={"shard_files": 2}).run
    by_count = plan(tmp_path, run.shard_files, run.shard_bytes)
    assert [len(s.files) for s in by_count] == [2, 2, 1]
    by_bytes = plan(tmp_path, max_bytes=300)
    assert [s.bytes for s in by_bytes] == [300, 200]
    assert [name for s in by_count for name in names(s)] == [
        f"wire/2025-03-01/{n}.txt" for n in range(5)
    ]


def test_a_big_jsonl_comes_in_pieces_cut_after_a_line(tmp_path: Path) -> None:
    lines = [json.dumps({"id": n, "text": f"Story number {n}. " * 20}) for n in range(40)]
    data = ("\n".join(lines) + "\n").encode()
    write(tmp_path, "wire/2025-03-01/big.jsonl", data)
    shards = plan(tmp_path, max_bytes=len(data) // 4)
    pieces = [spec.files[0] for spec in shards]
    assert len(pieces) >= 4 and all(len(spec.files) == 1 for spec in shards)
    assert (pieces[0].start, pieces[-1].end, pieces[-1].last) == (0, len(data), None)
    for before, after in pairwise(pieces):
        assert before.end == after.start and data[: after.start].endswith(b"\n")
        assert before.last == after.first == data[: after.start].count(b"\n")
    assert len({spec.shard_id for spec in shards}) == len(shards)


def _warc(count: int) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for n in range(count):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = io.BytesIO(f"<p>Page {n}</p>".encode() * 50)
        url = f"https://news.test/{n}"
        writer.write_record(
            writer.create_warc_record(url, "response", payload=body, http_headers=headers)
        )
    return buffer.getvalue()


def test_a_big_warc_comes_in_pieces_cut_at_a_record(tmp_path: Path) -> None:
    data = _warc(12)
    write(tmp_path, "crawl/big.warc", data)
    pieces = [spec.files[0] for spec in plan(tmp_path, max_bytes=len(data) // 3)]
    assert len(pieces) >= 3 and pieces[-1].end == len(data)
    assert all(data[piece.start :].startswith(b"WARC/1") for piece in pieces)
    assert [piece.first for piece in pieces] == [0] + [piece.last for piece in pieces[:-1]]
    # gzipped, it cannot be entered midway: one whole file
    write(tmp_path / "gz", "crawl/big.warc.gz", gzip.compress(data))
    (whole,) = plan(tmp_path / "gz", max_bytes=len(data) // 3)
    assert not whole.files[0].ranged


def files_of_one_partition(n: int) -> list[InputFile]:
    return [
        InputFile(f"/r/{i:06d}.txt", "/r", f"{i:06d}.txt", 10, 0, "r", "undated") for i in range(n)
    ]


def test_the_end_of_a_run_is_cut_into_smaller_shards_so_workers_finish_together() -> None:
    inputs = files_of_one_partition(4000)
    shards = list(plan_shards(inputs, 500, WHOLE, workers=2))
    sizes = [len(s.files) for s in shards]
    assert sizes[:3] == [500, 500, 500]  # the end out of sight: full shards
    assert sizes[:-1] == sorted(sizes[:-1], reverse=True)  # then smaller and smaller
    assert sizes[-3:-1] == [TAIL_FILES, TAIL_FILES] and sizes[-1] <= TAIL_FILES
    assert [f for s in shards for f in s.files] == inputs


def test_a_small_shard_files_setting_is_kept_to_the_end(tmp_path: Path) -> None:
    for n in range(7):
        write(tmp_path, f"wire/2025-03-01/{n}.txt")
    assert [len(s.files) for s in plan(tmp_path, max_files=3)] == [3, 3, 1]


def test_the_plan_reads_a_bounded_number_of_files_ahead() -> None:
    pulled = 0

    def inputs() -> Iterator[InputFile]:
        nonlocal pulled
        for item in files_of_one_partition(100_000):
            pulled += 1
            yield item

    first = next(plan_shards(inputs(), 1000, WHOLE, workers=4))
    assert len(first.files) == 1000
    assert pulled <= 1000 + lookahead_files(1000, 4) + 1 <= 1000 + MAX_LOOKAHEAD + 1


@pytest.mark.parametrize(
    ("left", "expected"),
    [(None, 1000), (10_000, 1000), (4000, 1000), (2000, 500), (600, 150), (150, TAIL_FILES)],
)
def test_shard_cap_shares_what_is_left_twice_over_per_worker(
    left: int | None, expected: int
) -> None:
    assert shard_cap(1000, left, workers=2) == expected
