"""Fetch speed on loopback, and how long each hostile path takes to be given up on.

Starts the hostile test server (`../shared/hostile/server.py`, loopback
only), then:

1. lands N article pages (`/ok/<n>.html`) through the same Prefect-free core
   the flow's tasks run (`store.landing.land_batch`: one client per batch of
   50, WARC written, state recorded), batches one after another as the flow
   runs a single host's batches, and prints pages/s;
2. fetches every hostile path with one Fetcher each, all at once, and prints
   the outcome and the seconds it took to end.

Nothing contacts any address but 127.0.0.1.

Usage: uv run python bench/fetch.py [--pages 200] [--shared ../shared]
       [--rps 1000] [--concurrency 8] [--total-timeout 10] [--read-timeout 5]
"""

from __future__ import annotations

import argparse
import asyncio
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from presswash.fetching.http import Fetched, Fetcher, FetchError, FetchOutcome
from presswash.fetching.landing import land_batch, make_batches
from presswash.schemas.settings import FetchSettings

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_PATHS = [
    "/slow",
    "/hang",
    "/endless",
    "/big",
    "/truncated",
    "/redirect-loop",
    "/redirect-chain/3",
    "/redirect-chain/30",
    "/redirect-private",
    "/gzip-bomb",
    "/status/404",
    "/status/503",
    "/flaky?k=bench",
    "/not-html",
    "/wrong-charset",
    "/private/x",
]


def start_server(shared: Path) -> tuple[subprocess.Popen[bytes], str]:
    script = shared / "hostile" / "server.py"
    if not script.exists():
        sys.exit(f"no hostile server at {script}; pass --shared")
    proc = subprocess.Popen(
        [sys.executable, str(script), "--max-seconds", "900"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    ready, _, _ = select.select([proc.stdout], [], [], 10)
    if not ready or proc.stdout is None:
        proc.terminate()
        sys.exit("the hostile server did not start")
    return proc, proc.stdout.readline().decode().strip()


async def land_pages(base: str, pages: int, settings: FetchSettings) -> tuple[int, float, int]:
    """(pages landed, seconds, bytes) for /ok/1..N through the batch core."""
    urls = [(f"{base}/ok/{n}.html", None) for n in range(1, pages + 1)]
    landed = received = 0
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "clean"
        started = time.perf_counter()
        for spec in make_batches(urls, "bench", settings.batch_size):
            result = await land_batch(spec, settings, raw=raw, out=out, pipeline_version="bench")
            landed += result.fetched
            received += result.bytes_received
        seconds = time.perf_counter() - started
    return landed, seconds, received


async def one_hostile(base: str, path: str, settings: FetchSettings) -> tuple[FetchOutcome, float]:
    started = time.perf_counter()
    async with Fetcher(settings) as fetcher:
        outcome = await fetcher.fetch(base + path)
    return outcome, time.perf_counter() - started


async def hostile(base: str, settings: FetchSettings) -> list[tuple[str, FetchOutcome, float]]:
    results = await asyncio.gather(*(one_hostile(base, p, settings) for p in HOSTILE_PATHS))
    return [(p, o, s) for p, (o, s) in zip(HOSTILE_PATHS, results, strict=True)]


def describe(outcome: FetchOutcome) -> tuple[str, str]:
    if isinstance(outcome, Fetched):
        hops = f", {len(outcome.redirects)} redirects" if outcome.redirects else ""
        return "fetched", f"{len(outcome.body):,} bytes, {outcome.attempts} attempt(s){hops}"
    if isinstance(outcome, FetchError):
        return str(outcome.reason), outcome.detail
    return "unchanged", ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--rps", type=float, default=1000.0, help="requests/s per host")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight per host")
    parser.add_argument("--total-timeout", type=float, default=10.0)
    parser.add_argument("--read-timeout", type=float, default=5.0)
    args = parser.parse_args()

    settings = FetchSettings(
        allow_private=True,  # the server is on loopback
        requests_per_second=args.rps,
        per_host_concurrency=args.concurrency,
        total_timeout=args.total_timeout,
        read_timeout=args.read_timeout,
        connect_timeout=5.0,
    )
    proc, base = start_server(args.shared)
    try:
        landed, seconds, received = asyncio.run(land_pages(base, args.pages, settings))
        print(
            f"landed {landed}/{args.pages} pages in {seconds:.2f} s: "
            f"{landed / seconds:.0f} pages/s, {received / seconds / 1e6:.1f} MB/s "
            f"(per host: {args.concurrency} in flight, {args.rps:g} req/s; "
            f"batches of {settings.batch_size}, WARC + state written)"
        )
        print(
            f"\nhostile paths (total_timeout {settings.total_timeout:g} s, read_timeout "
            f"{settings.read_timeout:g} s, max_body_bytes {settings.max_body_bytes:,}, "
            f"max_decoded_bytes {settings.max_decoded_bytes:,}, max_redirects "
            f"{settings.max_redirects}, max_retries {settings.max_retries}):"
        )
        print(f"{'path':20} {'seconds':>7}  {'outcome':18} detail")
        for path, outcome, took in asyncio.run(hostile(base, settings)):
            what, detail = describe(outcome)
            print(f"{path:20} {took:7.2f}  {what:18} {detail[:110]}")
    finally:
        proc.terminate()
        proc.wait(5)


if __name__ == "__main__":
    main()
