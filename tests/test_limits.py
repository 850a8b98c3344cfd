"""Every limit in the README's table, crossed on every path the table names.

The table is read from the README, so a row added there without a case here
(or a case here the README does not promise) fails this test.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presswash.parsers.pipeline import CleanConfig, Rejected, clean_document
from presswash.runner.shard import raw_inputs
from presswash.schemas.settings import Settings
from presswash.sources.inputs import iter_inputs
from tests.conftest import REPO

WORDS = "The harbour board voted on the new ferry timetable after a long debate. "


def _page(body: str) -> str:
    return f"<html><head><title>Ferry</title></head><body><article>{body}</article></body></html>"


def _warc(records: list[bytes], *, gzipped: bool = False, target: str = "https://a.test/") -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for n, body in enumerate(records):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"{target}{n}", "response", payload=io.BytesIO(body), http_headers=http
        )
        writer.write_record(record)
    return buffer.getvalue()


def _jsonl(records: list[dict[str, str]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


# (limit, path) -> (file name, file bytes, the limit's value for the case)
Case = Callable[[], tuple[str, bytes, int]]
PROSE = WORDS * 40
# three different paragraphs: a page repeating one paragraph would lose the copies as `repeated`
LONG_BODY = "".join(f"<p>Part {n}. {PROSE}</p>" for n in range(3))
CASES: dict[tuple[str, str], Case] = {
    ("max_input_bytes", "text dump"): lambda: ("a.txt", PROSE.encode(), 1_000),
    ("max_input_bytes", "HTML page"): lambda: ("a.html", _page(PROSE).encode(), 1_000),
    ("max_input_bytes", "gzip file"): lambda: ("a.txt.gz", gzip.compress(PROSE.encode()), 1_000),
    ("max_input_bytes", "WARC body"): lambda: ("a.warc", _warc([_page(PROSE).encode()]), 1_000),
    ("max_decompressed_bytes", ".jsonl.gz"): lambda: (
        "a.jsonl.gz",
        gzip.compress(_jsonl([{"text": PROSE}] * 20)),
        20_000,
    ),
    ("max_decompressed_bytes", ".warc.gz"): lambda: (
        "a.warc.gz",
        _warc([_page(PROSE).encode()] * 20, gzipped=True),
        20_000,
    ),
    ("max_line_bytes", "JSONL line"): lambda: ("a.jsonl", _jsonl([{"text": PROSE}]), 1_000),
    ("max_line_bytes", "WARC header"): lambda: (
        "a.warc",
        _warc([_page(PROSE).encode()], target="https://a.test/" + "x" * 5_000),
        2_000,
    ),
    ("max_text_line_chars", "text dump"): lambda: ("a.txt", PROSE.encode(), 1_000),
    ("max_text_line_chars", "JSONL text"): lambda: ("a.jsonl", _jsonl([{"text": PROSE}]), 1_000),
    ("max_text_chars", "text dump"): lambda: ("a.txt", (PROSE + "\n").encode() * 3, 5_000),
    ("max_text_chars", "JSONL text"): lambda: ("a.jsonl", _jsonl([{"text": PROSE * 3}]), 5_000),
    ("max_text_chars", "HTML page"): lambda: (
        "a.html",
        _page(LONG_BODY).encode(),
        5_000,
    ),
    ("max_text_chars", "JSONL html"): lambda: (
        "a.jsonl",
        _jsonl([{"html": _page(LONG_BODY)}]),
        5_000,
    ),
    ("max_text_chars", "WARC body"): lambda: (
        "a.warc",
        _warc([_page(LONG_BODY).encode()]),
        5_000,
    ),
    ("max_html_nodes", "HTML page"): lambda: ("a.html", _page("<p>x</p>" * 2_000).encode(), 1_000),
    ("max_html_nodes", "JSONL html"): lambda: (
        "a.jsonl",
        _jsonl([{"html": _page("<p>x</p>" * 2_000)}]),
        1_000,
    ),
    ("max_html_nodes", "WARC body"): lambda: (
        "a.warc",
        _warc([_page("<p>x</p>" * 2_000).encode()]),
        1_000,
    ),
    ("max_records_per_file", "JSONL"): lambda: ("a.jsonl", _jsonl([{"text": PROSE}] * 5), 3),
    ("max_records_per_file", "WARC"): lambda: ("a.warc", _warc([_page(PROSE).encode()] * 5), 3),
}


def readme_table() -> set[tuple[str, str]]:
    """(limit, path) pairs of the README's limits table."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    pairs = set()
    for match in re.finditer(r"^\| `(max_\w+)` \| [^|]+ \| [^|]+ \| ([^|]+) \|$", text, re.M):
        for path in match[2].split(","):
            pairs.add((match[1], path.strip().strip("`")))
    return pairs


def test_the_readme_table_and_these_cases_agree() -> None:
    assert readme_table() == set(CASES)


@pytest.mark.parametrize(("limit", "path"), sorted(CASES))
def test_each_limit_holds_on_each_path(limit: str, path: str, tmp_path: Path) -> None:
    name, data, value = CASES[(limit, path)]()
    (tmp_path / name).write_bytes(data)
    settings = Settings(out=tmp_path / "out", limits={limit: value})
    (item,) = list(iter_inputs([str(tmp_path / name)]))
    config = CleanConfig(settings.limits, settings.cleaning, "v")
    outcomes = [clean_document(raw, config) for raw in raw_inputs(item, settings)]
    named = [
        o
        for o in outcomes
        if isinstance(o, Rejected) and o.reason == "too_large" and f"limits.{limit}" in o.detail
    ]
    assert named, [
        (type(o).__name__, getattr(o, "reason", ""), getattr(o, "detail", "")) for o in outcomes
    ]
    # the limit is crossed, not circumvented: the same input passes with the default limits
    defaults = Settings(out=tmp_path / "out")
    relaxed_config = CleanConfig(defaults.limits, defaults.cleaning, "v")
    relaxed = [clean_document(raw, relaxed_config) for raw in raw_inputs(item, defaults)]
    assert not any(isinstance(o, Rejected) and o.reason == "too_large" for o in relaxed), (
        "the case crosses a limit other than the one it is about"
    )
