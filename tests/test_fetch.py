"""Fetching against a hostile server: every path ends bounded in time and bytes, with its reason.

The server (../shared/hostile/server.py) listens on 127.0.0.1 only, so these
tests need `allow_private`; nothing here contacts any other address.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import secrets
import time
import tracemalloc
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from presswash.fetching.http import (
    Fetched,
    Fetcher,
    FetchError,
    FetchOutcome,
    Unchanged,
    Validators,
)
from presswash.fetching.landing import (
    REQUESTED_URI,
    BatchSpec,
    FetchState,
    WarcBatch,
    discover_urls,
    land_batch,
)
from presswash.schemas.records import Rejection
from presswash.schemas.settings import FetchSettings
from presswash.schemas.stages import Reason
from tests.conftest import read_jsonl, run_cli

MiB = 1024 * 1024
CHINESE = "屋顶社区菜园"  # in the /wrong-charset page, UTF-8 under a Latin-1 header


@pytest.fixture(scope="module")
def server(hostile_server: str) -> str:
    """The hostile server's base URL (http://127.0.0.1:PORT), started once per session."""
    return hostile_server


def settings(**overrides: Any) -> FetchSettings:
    """Short bounds, so every hostile path is given up on in seconds."""
    base: dict[str, Any] = {
        "allow_private": True,
        "connect_timeout": 2,
        "read_timeout": 2,
        "total_timeout": 3,
        "max_body_bytes": MiB,
        "max_decoded_bytes": 4 * MiB,
        "max_retries": 2,
        "retry_backoff_seconds": 0.05,
        "max_retry_wait_seconds": 5,
        "requests_per_second": 500,
        "per_host_concurrency": 8,
    }
    return FetchSettings(**{**base, **overrides})


def fetch(url: str, **overrides: Any) -> tuple[FetchOutcome, float]:
    async def run() -> FetchOutcome:
        async with Fetcher(settings(**overrides)) as fetcher:
            return await fetcher.fetch(url)

    started = time.monotonic()
    outcome = asyncio.run(run())
    return outcome, time.monotonic() - started


def rejected(outcome: FetchOutcome, reason: Reason) -> FetchError:
    assert isinstance(outcome, FetchError), outcome
    assert outcome.reason == reason, outcome
    return outcome


def raw_bytes(url: str) -> bytes:
    """The body exactly as the server sends it, read with no proxy and no decoding."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})) as r:
        return r.read()


# -- one URL ---------------------------------------------------------------------


def test_article_page_is_fetched_with_its_validators(server: str) -> None:
    outcome, _ = fetch(server + "/ok/5.html")
    assert isinstance(outcome, Fetched), outcome
    assert outcome.status == 200 and outcome.attempts == 1
    assert outcome.header("ETag") and outcome.header("Last-Modified")
    assert b"The Loopback Gazette" in outcome.body


@pytest.mark.parametrize("path", ["/slow", "/hang"])
def test_slow_and_silent_servers_time_out_within_the_total(server: str, path: str) -> None:
    outcome, seconds = fetch(server + path)
    error = rejected(outcome, Reason.TIMEOUT)
    assert seconds < 3 + 1, seconds  # total_timeout 3 s
    assert "timeout" in error.detail


def test_endless_body_stops_at_the_byte_cap(server: str) -> None:
    tracemalloc.start()
    outcome, seconds = fetch(server + "/endless")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    error = rejected(outcome, Reason.TOO_LARGE)
    assert "max_body_bytes" in error.detail and error.http_status == 200
    assert seconds < 3 and peak < 8 * MiB, (seconds, peak)


def test_announced_big_body_is_not_read_at_all(server: str) -> None:
    outcome, seconds = fetch(server + "/big")
    error = rejected(outcome, Reason.TOO_LARGE)
    assert "209,715,200" in error.detail and "not read" in error.detail
    assert seconds < 1


def test_gzip_bomb_stops_inflating_at_the_cap_in_bounded_memory(server: str) -> None:
    tracemalloc.start()
    outcome, seconds = fetch(server + "/gzip-bomb", max_body_bytes=2 * MiB)  # 1.1 MB on the wire
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    error = rejected(outcome, Reason.TOO_LARGE)
    assert "max_decoded_bytes" in error.detail
    assert peak < 16 * MiB, peak  # it inflates to 1 GiB
    assert seconds < 3


def test_body_cut_off_before_its_content_length_is_a_failed_fetch(server: str) -> None:
    outcome, _ = fetch(server + "/truncated")
    assert "cut off" in rejected(outcome, Reason.FETCH_FAILED).detail


def test_redirect_loop_is_detected(server: str) -> None:
    outcome, seconds = fetch(server + "/redirect-loop")
    assert "Redirect loop" in rejected(outcome, Reason.FETCH_FAILED).detail
    assert seconds < 2


def test_short_redirect_chain_is_followed(server: str) -> None:
    outcome, _ = fetch(server + "/redirect-chain/3")
    assert isinstance(outcome, Fetched), outcome
    assert outcome.url == server + "/redirect-chain/3"
    assert outcome.final_url == server + "/ok/1.html"
    assert outcome.redirects[0] == outcome.url and len(outcome.redirects) >= 3


def test_long_redirect_chain_hits_the_limit(server: str) -> None:
    outcome, _ = fetch(server + "/redirect-chain/30")
    error = rejected(outcome, Reason.FETCH_FAILED)
    assert "Redirect limit" in error.detail and "max_redirects" in error.detail


def test_redirect_to_metadata_is_blocked_even_with_allow_private(server: str) -> None:
    outcome, seconds = fetch(server + "/redirect-private")
    error = rejected(outcome, Reason.BLOCKED_ADDRESS)
    assert "169.254.169.254" in error.detail and "redirect" in error.detail
    assert seconds < 2


@pytest.mark.parametrize("code", [404, 410, 403])
def test_client_errors_are_not_retried(server: str, code: int) -> None:
    outcome, _ = fetch(server + f"/status/{code}")
    error = rejected(outcome, Reason.HTTP_ERROR)
    assert error.http_status == code and error.attempts == 1


def test_503_is_retried_after_its_retry_after_then_given_up(server: str) -> None:
    outcome, seconds = fetch(server + "/status/503", max_retries=1)
    error = rejected(outcome, Reason.HTTP_ERROR)
    assert error.http_status == 503 and error.attempts == 2
    assert 1.0 <= seconds < 3, seconds  # Retry-After: 1 was waited once


def test_flaky_server_succeeds_on_retry(server: str) -> None:
    outcome, _ = fetch(server + f"/flaky?k={secrets.token_hex(4)}")
    assert isinstance(outcome, Fetched) and outcome.attempts == 3


def test_retry_after_is_honoured(server: str) -> None:
    outcome, seconds = fetch(server + f"/flaky?k={secrets.token_hex(4)}&retry_after=1")
    assert isinstance(outcome, Fetched) and outcome.attempts == 3
    assert seconds >= 2.0  # two waits of Retry-After: 1, not the 0.05 s backoff


def test_retry_after_beyond_the_max_wait_gives_up_at_once(server: str) -> None:
    outcome, seconds = fetch(server + f"/flaky?k={secrets.token_hex(4)}&retry_after=60")
    error = rejected(outcome, Reason.HTTP_ERROR)
    assert "after 60 s" in error.detail and "max_retry_wait_seconds (5 s)" in error.detail
    assert seconds < 1


def test_image_is_not_html(server: str) -> None:
    outcome, _ = fetch(server + "/not-html")
    assert "image/png" in rejected(outcome, Reason.NOT_HTML).detail


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "not a url", "http://[::1", "http://x:abc/"]
)
def test_only_http_and_https(url: str) -> None:
    outcome, _ = fetch(url)
    rejected(outcome, Reason.FETCH_FAILED)


def test_robots_txt_is_read_once_per_host_and_obeyed(server: str) -> None:
    async def run() -> tuple[list[FetchOutcome], int]:
        async with Fetcher(settings()) as fetcher:
            outcomes = await asyncio.gather(
                fetcher.fetch(server + "/private/a"),
                fetcher.fetch(server + "/private/b"),
                fetcher.fetch(server + "/ok/7.html"),
            )
            return list(outcomes), len(fetcher.robots)

    (a, b, ok), hosts = asyncio.run(run())
    assert "robots.txt" in rejected(a, Reason.ROBOTS_DISALLOWED).detail
    rejected(b, Reason.ROBOTS_DISALLOWED)
    assert isinstance(ok, Fetched) and hosts == 1


def test_conditional_get_answers_unchanged(server: str) -> None:
    async def run() -> FetchOutcome:
        async with Fetcher(settings()) as fetcher:
            return await fetcher.fetch(server + "/etag", Validators(etag='"pw-etag-v1"'))

    assert isinstance(asyncio.run(run()), Unchanged)


def test_per_host_rate_limit_spaces_requests(server: str) -> None:
    async def run() -> list[FetchOutcome]:
        async with Fetcher(settings(requests_per_second=20, respect_robots=False)) as fetcher:
            urls = [server + f"/ok/{n}.html" for n in range(10, 20)]
            return list(await asyncio.gather(*(fetcher.fetch(u) for u in urls)))

    started = time.monotonic()
    outcomes = asyncio.run(run())
    assert all(isinstance(o, Fetched) for o in outcomes)
    assert time.monotonic() - started >= 0.45  # 10 requests at 20/s


# -- the landing zone --------------------------------------------------------------


def _records(path: Path) -> list[Any]:
    with open(path, "rb") as handle:
        return [
            (r.rec_type, r.rec_headers, r.content_stream().read() if r.http_headers else b"")
            for r in ArchiveIterator(handle)
        ]


def test_batch_lands_request_response_pairs_and_rejections(server: str, tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "clean"
    asked = {
        "/ok/2.html": None,
        "/redirect-chain/2": None,
        "/wrong-charset": None,
        "/not-html": Reason.NOT_HTML,
        "/status/404": Reason.HTTP_ERROR,
        "/private/x": Reason.ROBOTS_DISALLOWED,
        "/redirect-private": Reason.BLOCKED_ADDRESS,
        "/truncated": Reason.FETCH_FAILED,
    }
    spec = BatchSpec(
        "20260101T000000Z-test0001", "gazette", [(server + p, None, None) for p in asked]
    )
    result = asyncio.run(
        land_batch(spec, settings(), raw=raw, out=out, pipeline_version="0.1.0+test")
    )
    assert (result.asked, result.fetched, result.rejected, result.unchanged) == (8, 3, 5, 0)

    today = datetime.now(UTC).strftime("%Y-%m-%d")
    warc = raw / "gazette" / today / "fetch-20260101T000000Z-test0001.warc.gz"
    assert result.warc_files == [warc.relative_to(raw).as_posix()]
    assert [p.name for p in warc.parent.iterdir()] == [warc.name]  # no temp file left
    records = _records(warc)
    assert [r[0] for r in records] == ["warcinfo"] + ["request", "response"] * 3
    responses = {
        h.get_header("WARC-Target-URI"): (h, body) for t, h, body in records if t == "response"
    }
    assert set(responses) == {
        server + "/ok/2.html",
        server + "/ok/1.html",
        server + "/wrong-charset",
    }
    moved, _ = responses[server + "/ok/1.html"]
    assert moved.get_header(REQUESTED_URI) == server + "/redirect-chain/2"
    for url, (headers, body) in responses.items():
        assert hashlib.sha256(body).digest() == hashlib.sha256(raw_bytes(url)).digest(), url
        assert headers.get_header("WARC-IP-Address") == "127.0.0.1"
    ids = {h.get_header("WARC-Record-ID") for t, h, _ in records if t == "response"}
    assert {h.get_header("WARC-Concurrent-To") for t, h, _ in records if t == "request"} == ids

    lines = read_jsonl(out / "rejected" / "source_name=gazette" / f"date={today}")
    reasons = {}
    for line in lines:
        record = Rejection.model_validate(line)
        assert record.stage == "fetch" and record.source.kind == "url"
        assert record.source.sha256 == "0" * 64 and record.source.fetched_at
        reasons[record.source.uri.removeprefix(server)] = record.reason
    assert reasons == {p: r for p, r in asked.items() if r is not None}
    assert next(x for x in lines if x["reason"] == "http_error")["source"]["http_status"] == 404

    known = FetchState(raw).known(server + p for p in asked)
    assert set(known) == {server + p for p in ("/ok/2.html", "/redirect-chain/2", "/wrong-charset")}


def test_refetch_with_validators_records_unchanged(server: str, tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "clean"
    url = server + "/etag"
    first = BatchSpec("20260101T000000Z-etag0001", "adhoc", [(url, None, None)])
    assert (
        asyncio.run(land_batch(first, settings(), raw=raw, out=out, pipeline_version="v")).fetched
        == 1
    )
    validators = FetchState(raw).known([url])[url]
    assert validators.etag == '"pw-etag-v1"'
    again = BatchSpec(
        "20260101T000000Z-etag0002", "adhoc", [(url, validators.etag, validators.last_modified)]
    )
    result = asyncio.run(land_batch(again, settings(), raw=raw, out=out, pipeline_version="v"))
    assert (result.fetched, result.unchanged, result.rejected) == (0, 1, 0)
    assert result.warc_files == [] and len(list(raw.rglob("*.warc.gz"))) == 1


def test_a_landed_file_is_never_replaced(server: str, tmp_path: Path) -> None:
    outcome, _ = fetch(server + "/ok/3.html")
    assert isinstance(outcome, Fetched)
    first = WarcBatch(tmp_path, "adhoc", "same-id")
    first.add(outcome)
    [path] = first.close()
    before = (tmp_path / path).read_bytes()
    second = WarcBatch(tmp_path, "adhoc", "same-id")
    second.add(outcome)
    with pytest.raises(FileExistsError):
        second.close()
    assert (tmp_path / path).read_bytes() == before
    assert gzip.decompress(before).count(b"WARC-Type: response") == 1


def test_feed_and_sitemap_index_are_discovered(server: str) -> None:
    found = asyncio.run(
        discover_urls([server + "/feed.xml?n=3"], [server + "/sitemap-index.xml"], settings())
    )
    kinds = [d["kind"] for d in found.documents]
    assert kinds == ["feed", "sitemap_index", "sitemap", "sitemap"]
    assert found.urls[:3] == [server + f"/ok/{n}.html" for n in (1, 2, 3)]
    assert len(found.urls) == len(set(found.urls)) == 200  # the index's sitemaps, deduplicated


def test_discovery_is_bounded(server: str) -> None:
    found = asyncio.run(
        discover_urls(
            [server + "/status/404"],
            [server + "/sitemap-index.xml"],
            settings(max_discovered_urls=5, max_discovery_depth=0),
        )
    )
    assert len(found.urls) == 0 and [d["kind"] for d in found.documents] == [
        "unknown",
        "sitemap_index",
    ]
    assert "http_error" in str(found.documents[0]["error"])
    bounded = asyncio.run(
        discover_urls([], [server + "/sitemap.xml?n=50"], settings(max_discovered_urls=5))
    )
    assert len(bounded.urls) == 5


# -- the command, end to end -----------------------------------------------------------


def _config(tmp_path: Path, server: str) -> Path:
    path = tmp_path / "presswash.toml"
    path.write_text(
        "[fetch]\nconnect_timeout = 2\nread_timeout = 2\ntotal_timeout = 3\n"
        "retry_backoff_seconds = 0.05\nrequests_per_second = 200\n"
        "[sources.gazette]\n"
        f'feeds = ["{server}/atom.xml?n=5"]\nmax_pages = 2\n',
        encoding="utf-8",
    )
    return path


def _fetch_summary(out: Path) -> dict[str, Any]:
    [path] = sorted((out / "runs").glob("fetch-*.json"))[-1:]
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_fetch_and_clean_through_the_cli(server: str, prefect_api_url: str, tmp_path: Path) -> None:
    raw, out, config = tmp_path / "raw", tmp_path / "clean", _config(tmp_path, server)
    common = ["--raw", str(raw), "--out", str(out), "--config", str(config), "--allow-private"]
    pages = [server + p for p in ("/ok/1.html", "/wrong-charset", "/etag", "/not-html")]
    args = ["fetch", *pages, server + "/status/404", "--feed", server + "/feed.xml?n=3"]
    args += ["--sitemap", server + "/sitemap.xml?n=4", "--clean", *common]
    result = run_cli(args, prefect_api_url, cwd=tmp_path, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]

    summary = _fetch_summary(out)
    # /ok/1..4 (feed and sitemap overlap), /wrong-charset, /etag, /not-html, /status/404
    assert (summary["asked"], summary["fetched"], summary["rejected"]) == (8, 6, 2)
    assert summary["rejected_by_reason"] == {"http_error": 1, "not_html": 1}
    assert summary["clean_run_id"] and summary["partitions"][0].startswith("adhoc/")
    articles = read_jsonl(out / "articles")
    cleaned = articles + [r for r in read_jsonl(out / "rejected") if r["stage"] != "fetch"]
    # every landed page was cleaned: an article, or (the /etag page repeats /ok/3) a duplicate
    assert {r["source"]["url"] for r in cleaned} == {
        *(server + f"/ok/{n}.html" for n in (1, 2, 3, 4)),
        server + "/wrong-charset",
        server + "/etag",
    }
    assert all(a["source"]["kind"] == "warc" and a["language"] for a in articles)
    chinese = [a for a in articles if a["source"].get("url") == server + "/wrong-charset"]
    assert chinese and CHINESE in chinese[0]["text"] and chinese[0]["language"] == "zh"
    fetch_rejections = [r for r in read_jsonl(out / "rejected") if r["stage"] == "fetch"]
    assert {r["reason"] for r in fetch_rejections} == {"http_error", "not_html"}
    assert "fetched" in result.stderr and "accepted" in result.stderr

    again = run_cli(["fetch", *pages, "--refetch", *common], prefect_api_url, cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    summary = _fetch_summary(out)
    # /ok/1 and /etag answer 304 to their validators; /wrong-charset has none and
    # comes again; /not-html was never landed and is refused again
    assert (summary["asked"], summary["unchanged"], summary["fetched"]) == (4, 2, 1)
    assert (summary["rejected"], summary["skipped"]) == (1, 0)

    named = run_cli(["fetch", "--source", "gazette", *common], prefect_api_url, cwd=tmp_path)
    assert named.returncode == 0, named.stderr[-3000:]
    summary = _fetch_summary(out)
    # the configured feed lists /ok/1..5; max_pages keeps /ok/1 and /ok/2, both landed
    assert summary["source"] == "gazette" and summary["over_max_pages"] == 3
    assert (summary["asked"], summary["skipped"], summary["fetched"]) == (2, 2, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fetch"], "nothing to fetch"),
        (["fetch", "--source", "nowhere"], "not in the config"),
        (["fetch", "--urls", "missing-file.txt"], "cannot read --urls"),
    ],
)
def test_bad_usage_exits_2_with_one_line(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from presswash.flows.cli import app

    monkeypatch.chdir(tmp_path)  # no presswash.toml of the repo's own
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.stderr
    assert message in " ".join(result.stderr.split())  # one message (rich wraps at 80 here)
    assert result.stderr.startswith("presswash: error:") and "Traceback" not in result.stderr


def test_gzip_encoded_page_is_stored_as_sent_and_read_back_decoded(tmp_path: Path) -> None:
    """The WARC keeps the server's gzip bytes and header; presswash's reader inflates them."""
    from presswash.parsers.readers.warc import read_warc
    from presswash.schemas.document import RawDoc

    html = "<html><head><title>Été</title></head><body><p>Grüße aus Köln</p></body></html>"
    wire = gzip.compress(html.encode("utf-8"))
    page = Fetched(
        url="http://news.test/a",
        final_url="http://news.test/b",
        status=200,
        reason_phrase="OK",
        http_version="HTTP/1.1",
        headers=[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked"),
        ],
        request_headers=[("Host", "news.test"), ("Accept-Encoding", "gzip, deflate")],
        body=wire,
        decoded_bytes=len(html.encode()),
        content_encoding="gzip",
        fetched_at="2026-03-04T05:06:07Z",
    )
    batch = WarcBatch(tmp_path, "adhoc", "b1")
    batch.add(page)
    [rel] = batch.close()
    assert rel == "adhoc/2026-03-04/fetch-b1.warc.gz"

    with open(tmp_path / rel, "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type != "response":
                continue
            assert record.rec_headers.get_header(REQUESTED_URI) == "http://news.test/a"
            assert record.http_headers.get_header("Content-Encoding") == "gzip"
            assert record.http_headers.get_header("Transfer-Encoding") is None  # de-chunked
            assert record.raw_stream.read() == wire  # the bytes as sent
    with open(tmp_path / rel, "rb") as handle:
        [doc] = list(read_warc(handle, uri=rel, limit=MiB, max_records=10, gzipped=True))
    assert isinstance(doc, RawDoc), doc
    assert doc.data.decode("utf-8") == html
    assert doc.source.fetched_at == "2026-03-04T05:06:07Z"
    assert doc.source.extra == {"url": "http://news.test/b", "http_status": 200}


def test_robots_rules_handed_in_are_obeyed_without_asking_again(server: str) -> None:
    """The flow reads robots.txt once per run and hands the rules to every batch."""
    from presswash.fetching.http import RobotsRules

    closed = RobotsRules(server, disallow_all=True, note="robots.txt answered HTTP 503.")

    async def run() -> FetchOutcome:
        async with Fetcher(settings(), robots={server: closed}) as fetcher:
            return await fetcher.fetch(server + "/ok/8.html")

    assert "503" in rejected(asyncio.run(run()), Reason.ROBOTS_DISALLOWED).detail


def test_landing_partitions_keep_the_landing_zone_as_input_root(tmp_path: Path) -> None:
    """`--clean` must name partitions source_name=<source>, date=<day>, as the zone does."""
    from presswash.sources.inputs import iter_inputs

    for name in ("adhoc/2026-03-04", "gazette/2026-03-05", "other/2026-03-04"):
        (tmp_path / "raw" / name).mkdir(parents=True)
        (tmp_path / "raw" / name / "fetch-x.warc.gz").write_bytes(b"x")
    folders = [str(tmp_path / "raw" / p) for p in ("adhoc/2026-03-04", "gazette/2026-03-05")]
    found = {
        (i.source_name, i.date, i.rel) for i in iter_inputs(folders, root=str(tmp_path / "raw"))
    }
    assert found == {
        ("adhoc", "2026-03-04", "adhoc/2026-03-04/fetch-x.warc.gz"),
        ("gazette", "2026-03-05", "gazette/2026-03-05/fetch-x.warc.gz"),
    }


@pytest.mark.slow
def test_scheduled_fetch_of_a_configured_source(
    server: str, prefect_api_url: str, tmp_path: Path
) -> None:
    """What `presswash serve` runs: the source's feed, its new pages landed and cleaned."""
    from presswash.flows.fetch import scheduled_fetch_flow
    from presswash.schemas.fetch import FetchSummary
    from presswash.schemas.settings import Settings, SourceSettings

    if "raw" not in Settings.model_fields:
        pytest.skip("Settings has no `raw` field to point the scheduled fetch at a folder")
    raw = tmp_path / "raw"
    config = Settings.model_validate(
        {
            "out": tmp_path / "clean",
            "raw": raw,
            "fetch": settings(),
            "sources": {"gazette": SourceSettings(feeds=[server + "/feed.xml?n=2"])},
        }
    )
    summary = scheduled_fetch_flow("gazette", config)
    assert isinstance(summary, FetchSummary), summary
    assert (summary.asked, summary.fetched, summary.source) == (2, 2, "gazette")
    assert summary.clean_run_id and list((raw / "gazette").iterdir())
    assert len(read_jsonl(tmp_path / "clean" / "articles")) == 2
    runs = sorted((tmp_path / "clean" / "runs").glob("*.json"))
    assert len(runs) == 2, "the fetch's summary and its clean's"

    # the scheduled clean finds the pages this fetch cleaned already clean: no second run
    from presswash.flows.backfill import recent_flow

    state = recent_flow(str(raw), 1, config, return_state=True)
    assert state.is_completed() and state.result() is None, state
    # the next scheduled fetch finds nothing new: no run summary either
    again = scheduled_fetch_flow("gazette", config, return_state=True)
    assert again.is_completed() and "nothing new" in (again.message or "")
    assert (again.result().fetched, again.result().skipped) == (0, 2)
    assert sorted((tmp_path / "clean" / "runs").glob("*.json")) == runs


# -- hostile URLs: malformed ones, and ones carrying a password ---------------------------


def _everything_written(*folders: Path) -> bytes:
    """Every byte presswash wrote under the folders, gzip files (WARCs) inflated."""
    found = b""
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            found += gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return found


_SECRETS = (b"user:pw", b"dXNlcjpwdw")  # and the Basic auth header httpx makes of it


def test_credentials_in_urls_are_never_written_out(server: str, tmp_path: Path) -> None:
    """A URL's user:password is used to fetch, but no record, WARC or state file keeps it."""
    raw, out = tmp_path / "raw", tmp_path / "clean"
    secret = server.replace("http://", "http://user:pw@")
    spec = BatchSpec(
        "20260101T000000Z-cred0001",
        "adhoc",
        [(secret + p, None, None) for p in ("/status/404", "/redirect-loop", "/ok/24.html")],
    )
    result = asyncio.run(land_batch(spec, settings(), raw=raw, out=out, pipeline_version="v"))
    assert (result.fetched, result.rejected) == (1, 2), result
    records = read_jsonl(out / "rejected")
    assert {r["source"]["uri"] for r in records} == {
        server + "/status/404",
        server + "/redirect-loop",
    }
    assert "Redirect loop" in next(r["detail"] for r in records if r["reason"] == "fetch_failed")
    [warc] = list(raw.rglob("*.warc.gz"))
    with open(warc, "rb") as handle:
        uris = {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle)}
    assert server + "/ok/24.html" in uris
    assert secret + "/ok/24.html" in FetchState(raw).known([secret + "/ok/24.html"])

    found = asyncio.run(discover_urls([secret + "/status/404"], [], settings()))
    assert found.documents[0]["url"] == server + "/status/404"
    written = _everything_written(raw, out) + repr(found.documents).encode()
    assert not any(s in written for s in _SECRETS)
    assert b"authorization" not in written.lower()


def _hostile_urls_config(tmp_path: Path) -> Path:
    path = tmp_path / "presswash.toml"
    path.write_text(
        "[fetch]\nconnect_timeout = 2\nread_timeout = 2\ntotal_timeout = 3\n"
        "retry_backoff_seconds = 0.05\nrequests_per_second = 200\nmax_discovered_urls = 3\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_malformed_urls_are_rejected_alone_through_the_cli(
    server: str, prefect_api_url: str, tmp_path: Path
) -> None:
    """One URL that cannot be parsed used to fail the whole run with tracebacks.

    Now each becomes a `fetch_failed` rejection and the others are fetched;
    a password in a URL reaches neither the files nor Prefect's record of the
    run, and the sitemap cut short by a cap says so in the summary and on screen.
    """
    raw, out = tmp_path / "raw", tmp_path / "clean"
    secret = server.replace("http://", "http://user:pw@")
    malformed = ["http://[::1", "http://x:abc/", "http://news.test:99999/a"]
    urls = tmp_path / "urls.txt"
    good = [server + "/ok/21.html", server + "/ok/22.html", secret + "/ok/23.html"]
    lines = [good[0], malformed[0], good[1], malformed[1], secret + "/status/404", good[2]]
    urls.write_text("\n".join([*lines, malformed[2]]) + "\n", encoding="utf-8")
    args = ["fetch", "--urls", str(urls), "--sitemap", server + "/sitemap.xml?n=5"]
    args += ["--sitemap", "http://[::1]:abc/sitemap.xml", "--raw", str(raw), "--out", str(out)]
    args += ["--config", str(_hostile_urls_config(tmp_path)), "--allow-private"]
    result = run_cli(args, prefect_api_url, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr

    summary = _fetch_summary(out)
    # 3 pages + /ok/1..3 of the sitemap (max_discovered_urls 3) fetched; 404 and 4 malformed
    assert (summary["asked"], summary["fetched"], summary["rejected"]) == (11, 6, 5)
    assert summary["rejected_by_reason"] == {"fetch_failed": 4, "http_error": 1}
    records = {r["source"]["uri"]: r for r in read_jsonl(out / "rejected")}
    for url in [*malformed, "http://[::1]:abc/sitemap.xml"]:
        assert records[url]["stage"] == "fetch" and records[url]["reason"] == "fetch_failed"
        assert "cannot be parsed" in records[url]["detail"]
    assert records[server + "/status/404"]["reason"] == "http_error"
    [sitemap] = summary["discovered"]
    assert sitemap["links"] == 5 and "2 of its links were left out" in sitemap["error"]
    assert "2 of its links were left out" in " ".join(result.stderr.split())

    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        run = client.read_flow_run(summary["prefect_flow_run_id"])
    stored = json.dumps(run.parameters).encode()
    assert "/ok/23.html" in stored.decode() and "user:pw" not in stored.decode()
    written = _everything_written(raw, out) + result.stderr.encode() + stored
    assert not any(s in written for s in _SECRETS)
