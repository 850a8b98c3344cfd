"""Throughput of presswash on one machine: docs/s, MB/s, peak RSS, where the time goes.

Usage (from the repo root):
    uv run --group bench python bench/throughput.py [--docs 1000,10000] [--work DIR]
        [--kinds textdump,html,mixed] [--workers 2] [--no-prefect] [--no-trafilatura]
        [--no-profile] [--hostile-big] [--split-gb 1] [--executors-docs 10000 --repeat 3]
        [--quick] [--no-precompile]
        [--json FILE] [--shared DIR]

Why each part is there:
- The corpus is made of DISTINCT generated news pages (the hostile server's
  `/ok/<n>.html`, fetched over loopback), so de-duplication, which stays on at
  its default threshold, has almost nothing to remove and every document costs
  the full pipeline. Text dumps are rendered from those pages with the bench's
  own `make_textdump.render`; the mixed corpus adds gzip and JSONL exports.
  Corpora are kept in `--work` and reused for the same N, and read once
  before they are timed, so every run finds them in the page cache.
- `presswash clean` runs through the real CLI twice: as a flow run against a
  Prefect server that is already up (its start time is reported apart), and
  with no server configured, when it runs the same engine directly with no
  Prefect at all; the ratio of the two is Prefect's overhead.
- Both run in subprocesses sampled with psutil, so the peak RSS is the one of
  the presswash processes (the CLI process and its workers), never
  the Prefect server's or this script's.
- `--split-gb 1` builds one 1 GB JSONL and cleans it with `run.shard_bytes`
  at 64 MiB (the file cut in pieces, spread over the workers) and at 1 TiB
  (the file whole, one worker): what splitting buys. `--split-from html` (the
  default) makes it a scraper's export of the bench's real HTML pages, each
  page many times with a line of its own (the copies are cleaned in full,
  then rejected as near duplicates); `--split-from textdump` makes it of the
  generated text dumps (about 630,000 records: an hour and more on 2 cores).
- trafilatura is timed on the same pages in this process, one core, one page
  after another, beside presswash's own HTML extractor.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gzip
import importlib.util
import json
import os
import pstats
import resource
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
KINDS = ("textdump", "html", "mixed")
PACKAGE_DIRS = ("presswash", "schemas", "parsers", "runner", "store", "flows")
STAGES = (
    "read",
    "decode",
    "size",
    "extract",
    "text",
    "page_type",
    "language",
    "record",
    "write",
    "dedup",
    "shard",
)
PER_DATE = 1000  # documents per dated partition folder, like a day of a busy source
PER_EXPORT = 1000  # records per JSONL export file
FIRST_DAY = date(2024, 1, 1)
CORPUS_FORMAT = "presswash-throughput-corpus/1"

Row = list[Any]
Figures = dict[str, Any]


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def table(title: str, headers: list[str], rows: list[Row]) -> str:
    """A plain fixed-width table: readable in a terminal and pasteable into a report."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(value))
    line = "  ".join("-" * w for w in widths)
    out = [f"\n## {title}", "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    out.append(line)
    for row in cells:
        out.append("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)))
    return "\n".join(out)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def say(text: str) -> None:
    print(text, flush=True)


# --------------------------------------------------------------------------
# Pages: fetched once from the hostile server, cached under WORK/pages
# --------------------------------------------------------------------------


def _bucket(folder: Path, n: int, suffix: str) -> Path:
    return folder / f"{n // 1000:04d}" / f"{n}{suffix}"


@contextlib.contextmanager
def hostile_server(shared: Path) -> Iterator[str]:
    """The shared hostile server on loopback, stopped by its own PID when done."""
    proc = subprocess.Popen(
        [sys.executable, str(shared / "hostile" / "server.py"), "--max-seconds", "3600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 15)
        if not ready:
            raise RuntimeError("the hostile server did not print its address within 15 s")
        yield proc.stdout.readline().decode().strip()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def fetch_pages(ns: list[int], cache: Path, shared: Path) -> float:
    """Fetch the pages not yet cached, many at once; returns pages per second fetched."""
    missing = [n for n in ns if not _bucket(cache, n, ".html").exists()]
    if not missing:
        return 0.0
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    started = time.perf_counter()
    with hostile_server(shared) as base:

        def get(n: int) -> None:
            for attempt in range(3):
                try:
                    with opener.open(f"{base}/ok/{n}.html", timeout=30) as resp:
                        body = resp.read()
                    break
                except OSError:
                    if attempt == 2:
                        raise
                    time.sleep(0.2)
            path = _bucket(cache, n, ".html")
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(body)
            tmp.replace(path)

        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(get, missing))
    return len(missing) / (time.perf_counter() - started)


_RENDER: Callable[[str], str] | None = None


def _load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _render_chunk(args: tuple[str, str, str, list[int]]) -> int:
    """Worker: text dumps of a chunk of cached pages (bs4 is slow enough to want 2 cores)."""
    global _RENDER
    make_textdump, pages, dumps, ns = args
    if _RENDER is None:
        sys.dont_write_bytecode = True  # leave no __pycache__ in the shared folder
        _RENDER = _load_module(Path(make_textdump), "make_textdump").render
    for n in ns:
        html = _bucket(Path(pages), n, ".html").read_bytes().decode("utf-8", errors="replace")
        out = _bucket(Path(dumps), n, ".txt")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_RENDER(html), encoding="utf-8")
    return len(ns)


def render_dumps(ns: list[int], pages: Path, dumps: Path, shared: Path) -> None:
    missing = [n for n in ns if not _bucket(dumps, n, ".txt").exists()]
    if not missing:
        return
    script = str(shared / "bench" / "make_textdump.py")
    chunks = [missing[i : i + 500] for i in range(0, len(missing), 500)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_render_chunk, [(script, str(pages), str(dumps), c) for c in chunks]))


# --------------------------------------------------------------------------
# Corpora: WORK/corpus/<kind>-<N>/raw/<source>/<YYYY-MM-DD>/...
# --------------------------------------------------------------------------


def _day(index: int) -> str:
    return (FIRST_DAY + timedelta(days=index)).isoformat()


def _mixed_form(i: int) -> str:
    """The form of the i-th document of the mixed corpus: a fixed, reported mix."""
    slot = i % 20
    if slot < 6:
        return "html"
    if slot < 8:
        return "html.gz"
    if slot < 12:
        return "txt"
    if slot < 14:
        return "txt.gz"
    if slot < 17:
        return "jsonl-html"
    return "jsonl-text"


class _Exports:
    """JSONL export files of PER_EXPORT records each; every other file is gzipped."""

    def __init__(self, raw: Path, name: str) -> None:
        self.raw = raw
        self.name = name
        self.count = 0
        self.files = 0
        self._out: Any = None

    def write(self, record: dict[str, Any]) -> None:
        if self.count % PER_EXPORT == 0:
            self.close()
            k = self.count // PER_EXPORT
            folder = self.raw / "exports" / _day(k)
            folder.mkdir(parents=True, exist_ok=True)
            if k % 2:
                path = folder / f"{self.name}-{k:04d}.jsonl.gz"
                self._out = gzip.open(path, "wt", encoding="utf-8")  # noqa: SIM115 (kept open)
            else:
                path = folder / f"{self.name}-{k:04d}.jsonl"
                self._out = path.open("w", encoding="utf-8")
            self.files += 1
        self._out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.count += 1

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


def build_corpus(kind: str, n_docs: int, work: Path, shared: Path) -> Figures:
    """The corpus of one kind and size, reused when already built; returns its mix."""
    folder = work / "corpus" / f"{kind}-{n_docs}"
    marker = folder / "corpus.json"
    if marker.exists():
        found = json.loads(marker.read_text())
        if found.get("format") == CORPUS_FORMAT:
            return found
    shutil.rmtree(folder, ignore_errors=True)
    ns = list(range(n_docs))
    pages, dumps = work / "pages", work / "dumps"
    fetch_pages(ns, pages, shared)
    if kind != "html":
        render_dumps(ns, pages, dumps, shared)
    raw = folder / "raw"
    mix: Counter[str] = Counter()
    exports = {
        "jsonl-html": _Exports(raw, "export-html"),
        "jsonl-text": _Exports(raw, "export-text"),
    }
    for i in ns:
        form = {"textdump": "txt", "html": "html"}.get(kind) or _mixed_form(i)
        mix[form] += 1
        day = _day(i // PER_DATE)
        if form.startswith("jsonl"):
            url = f"http://127.0.0.1/ok/{i}.html"
            if form == "jsonl-html":
                body = _bucket(pages, i, ".html").read_text(encoding="utf-8")
                exports[form].write({"id": f"page-{i}", "url": url, "html": body})
            else:
                body = _bucket(dumps, i, ".txt").read_text(encoding="utf-8")
                exports[form].write({"id": f"dump-{i}", "url": url, "text": body})
            continue
        html = form.startswith("html")
        data = _bucket(pages if html else dumps, i, ".html" if html else ".txt").read_bytes()
        target = raw / ("pages" if html else "dumps") / day / f"{'p' if html else 'd'}{i}.{form}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.compress(data, 6, mtime=0) if form.endswith(".gz") else data)
    for writer in exports.values():
        writer.close()
    files = [p for p in raw.rglob("*") if p.is_file()]
    found = {
        "format": CORPUS_FORMAT,
        "kind": kind,
        "docs": n_docs,
        "mix": dict(sorted(mix.items())),
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "export_files": sum(w.files for w in exports.values()),
    }
    marker.write_text(json.dumps(found, indent=1))
    return found


# --------------------------------------------------------------------------
# Prefect server, started before any clock
# --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def prefect_server(work: Path) -> Iterator[tuple[str, float]]:
    """`prefect server start` on a free loopback port; yields its API URL and start seconds."""
    port = _free_port()
    env = dict(os.environ)
    env.update(
        PREFECT_HOME=str(work / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_LOGGING_LEVEL="WARNING",
        PREFECT_SERVER_UI_ENABLED="false",
    )
    env.pop("PREFECT_API_URL", None)
    exe = Path(sys.executable).with_name("prefect")
    log = (work / "prefect-server.log").open("wb")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(exe), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own group, so its children stop with it
    )
    api = f"http://127.0.0.1:{port}/api"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited; see {work / 'prefect-server.log'}")
            if time.perf_counter() - started > 180:
                raise RuntimeError("prefect server not healthy after 180 s")
            with contextlib.suppress(OSError), opener.open(f"{api}/health", timeout=2) as resp:
                if resp.status == 200:
                    break
            time.sleep(0.25)
        yield api, time.perf_counter() - started
    finally:
        from presswash.flows.serve import stop_server

        stop_server(proc)
        log.close()


# --------------------------------------------------------------------------
# Runs: a subprocess each, its tree sampled for RSS
# --------------------------------------------------------------------------


class RssSampler:
    """Peak RSS of a process and its descendants, sampled every 50 ms from /proc via psutil."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.main_peak = 0
        self.child_peak = 0
        self.sum_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            try:
                main = root.memory_info().rss
                kids = []
                for child in root.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        kids.append(child.memory_info().rss)
            except psutil.Error:
                return
            self.main_peak = max(self.main_peak, main)
            self.child_peak = max([self.child_peak, *kids])
            self.sum_peak = max(self.sum_peak, main + sum(kids))
            self._stop.wait(0.05)


def _children_cpu() -> float:
    """User + system seconds of every finished, waited-for descendant (workers included)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run_sampled(
    cmd: list[str], env: dict[str, str], cwd: Path
) -> tuple[float, float, RssSampler, str]:
    """Wall and CPU seconds of a subprocess tree, and its RSS peaks.

    CPU seconds matter because this machine may be shared: wall time then
    measures the neighbours too, CPU time mostly does not.
    """
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with RssSampler(proc.pid) as sampler:
        stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} exited {proc.returncode}: {stderr[-2000:]}")
    return wall, _children_cpu() - cpu_before, sampler, stdout


def _latest_summary(out: Path) -> Figures:
    runs = sorted((out / "runs").glob("[0-9]*.json"))
    if not runs:
        raise RuntimeError(f"no run summary in {out}/runs")
    return json.loads(runs[-1].read_text(encoding="utf-8"))


def run_once(
    mode: str,
    raw: Path,
    work: Path,
    workers: int,
    api_url: str | None,
    keep: bool = False,
    extra: tuple[str, ...] = (),
) -> Figures:
    """One `presswash clean` of `raw` into a fresh output folder, as a user runs it.

    'flow': a flow run on the Prefect server that is up; 'direct': the same command
    with no Prefect server configured, which runs the engine directly (no
    Prefect at all); 'engine': the engine called from Python, no command line.
    """
    out = Path(tempfile.mkdtemp(prefix=f"out-{mode}-", dir=work))
    env = dict(os.environ)
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    env["COLUMNS"] = "200"
    exe = Path(sys.executable).with_name("presswash")
    cmd = [str(exe), "clean", str(raw), "--out", str(out), "--workers", str(workers), *extra]
    if mode == "flow":
        assert api_url is not None
        env["PREFECT_API_URL"] = api_url
    else:
        for key in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH"):
            env.pop(key, None)
        env["PREFECT_HOME"] = tempfile.mkdtemp(prefix="no-prefect-", dir=work)  # no profile
        if mode == "engine":
            cmd = [sys.executable, str(Path(__file__).resolve()), "--bare-child"]
            cmd += [str(raw), str(out), str(workers)]
    try:
        load = os.getloadavg()[0]
        wall, cpu, rss, _ = _run_sampled(cmd, env, work)
        summary = _latest_summary(out)
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
    rejected = summary["rejected_by_reason"]
    return {
        "mode": mode,
        "workers": workers,
        "wall_seconds": round(wall, 3),
        "run_seconds": summary["duration_seconds"],
        "inputs": summary["inputs"],
        "accepted": summary["accepted"],
        "rejected": summary["rejected"],
        "duplicates": rejected.get("duplicate", 0),
        "rejected_by_reason": rejected,
        "bytes_read": summary["bytes_read"],
        "stage_seconds": summary.get("stage_seconds", {}),
        "peak_rss_main_mb": round(rss.main_peak / 2**20, 1),
        "peak_rss_worker_mb": round(rss.child_peak / 2**20, 1),
        "peak_rss_total_mb": round(rss.sum_peak / 2**20, 1),
        "cpu_seconds": round(cpu, 2),
        "load_at_start": round(load, 2),
    }


def bare_child(raw: str, out: str, workers: str) -> int:
    """The `--bare-child` entry: the engine in its own process, so its RSS is its own."""
    from presswash.runner.run import run_bare
    from presswash.schemas.settings import Settings

    settings = Settings(out=Path(out), run={"workers": int(workers)})
    summary = run_bare([raw], settings)
    print(json.dumps({"status": summary.status, "error": summary.error}))
    return 0 if summary.error is None else 1


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------


def with_rates(run: Figures, corpus: Figures) -> Figures:
    run["docs_per_s"] = round(corpus["docs"] / run["wall_seconds"], 1)
    run["mb_per_s"] = round(corpus["bytes"] / 2**20 / run["wall_seconds"], 2)
    run["docs_per_cpu_s"] = round(corpus["docs"] / run["cpu_seconds"], 1)
    return run


def _busy(run: Figures) -> str | None:
    """Share of the run's worker time spent inside shards: the rest is start-up and waiting."""
    shard = run["stage_seconds"].get("shard")
    if not shard or not run["run_seconds"]:
        return None
    return f"{shard / (run['run_seconds'] * run['workers']):.0%}"


def warm_cache(raw: Path) -> float:
    """Read the corpus once, so that no run pays alone for reading it from disk."""
    started = time.perf_counter()
    for folder, _, names in os.walk(raw):
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                while handle.read(1 << 20):
                    pass
    return time.perf_counter() - started


def throughput_section(
    docs: list[int],
    kinds: list[str],
    work: Path,
    shared: Path,
    workers: int,
    api_url: str | None,
    repeat: int = 1,
) -> Figures:
    corpora: Figures = {}
    runs: list[Figures] = []
    for n_docs in docs:
        for kind in kinds:
            started = time.perf_counter()
            corpus = build_corpus(kind, n_docs, work, shared)
            corpora[f"{kind}-{n_docs}"] = corpus
            say(
                f"corpus {kind}-{n_docs}: {corpus['files']} files, "
                f"{corpus['bytes'] / 2**20:.1f} MB, mix {corpus['mix']} "
                f"({time.perf_counter() - started:.1f} s)"
            )
            raw = work / "corpus" / f"{kind}-{n_docs}" / "raw"
            say(f"  page cache warmed in {warm_cache(raw):.1f} s (not timed)")
            modes = ["direct"] + (["flow"] if api_url else [])
            for round_ in range(repeat):  # interleaved, so that drift hits both modes alike
                for mode in modes:
                    run = with_rates(run_once(mode, raw, work, workers, api_url), corpus)
                    run.update(kind=kind, docs=n_docs, round=round_)
                    say(
                        f"  {mode}: {run['docs_per_s']} docs/s, {run['wall_seconds']} s, "
                        f"peak RSS {run['peak_rss_main_mb']}/{run['peak_rss_worker_mb']} MB"
                    )
                    runs.append(run)
    say(
        table(
            "Corpora",
            ["corpus", "docs", "files", "MB", "export files", "mix"],
            [
                [
                    name,
                    c["docs"],
                    c["files"],
                    round(c["bytes"] / 2**20, 1),
                    c["export_files"],
                    ", ".join(f"{k} {v}" for k, v in c["mix"].items()),
                ]
                for name, c in corpora.items()
            ],
        )
    )
    say(
        table(
            f"Throughput (workers={workers}; wall time of the whole process; "
            "MB = raw bytes on disk)",
            [
                "kind",
                "docs",
                "run",
                "seconds",
                "docs/s",
                "MB/s",
                "inputs",
                "accepted",
                "duplicates",
                "other rejected",
                "RSS main MB",
                "RSS worker MB",
                "RSS sum MB",
                "CPU s",
                "docs/CPU-s",
                "load",
            ],
            [
                [
                    r["kind"],
                    r["docs"],
                    r["mode"],
                    r["wall_seconds"],
                    r["docs_per_s"],
                    r["mb_per_s"],
                    r["inputs"],
                    r["accepted"],
                    r["duplicates"],
                    r["rejected"] - r["duplicates"],
                    r["peak_rss_main_mb"],
                    r["peak_rss_worker_mb"],
                    r["peak_rss_total_mb"],
                    r["cpu_seconds"],
                    r["docs_per_cpu_s"],
                    r["load_at_start"],
                ]
                for r in runs
            ],
        )
    )
    say(
        table(
            "Stage seconds (CPU-side, summed over workers, from the run summary)",
            ["kind", "docs", "run", *STAGES, "run s", "workers busy"],
            [
                [
                    r["kind"],
                    r["docs"],
                    r["mode"],
                    *[r["stage_seconds"].get(s) for s in STAGES],
                    r["run_seconds"],
                    _busy(r),
                ]
                for r in runs
            ],
        )
    )
    overhead = prefect_overhead(runs)
    if overhead:
        say(
            table(
                "Prefect overhead (median flow run wall / median direct run wall - 1; both "
                "`presswash clean`, server already up, runs interleaved)",
                ["kind", "docs", "runs each", "flow s", "direct s", "overhead"],
                [
                    [
                        o["kind"],
                        o["docs"],
                        o["runs"],
                        o["cli_s"],
                        o["bare_s"],
                        f"{o['overhead']:+.1%}",
                    ]
                    for o in overhead
                ],
            )
        )
    return {"corpora": corpora, "runs": runs, "prefect_overhead": overhead}


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def prefect_overhead(runs: list[Figures]) -> list[Figures]:
    """Flow against direct on each corpus, from the medians of their interleaved runs."""
    rows = []
    for kind, n_docs in dict.fromkeys((r["kind"], r["docs"]) for r in runs):
        same = [r for r in runs if r["kind"] == kind and r["docs"] == n_docs]
        flow = [r["wall_seconds"] for r in same if r["mode"] == "flow"]
        direct = [r["wall_seconds"] for r in same if r["mode"] == "direct"]
        if flow and direct:
            rows.append(
                {
                    "kind": kind,
                    "docs": n_docs,
                    "runs": min(len(flow), len(direct)),
                    "cli_s": round(median(flow), 3),
                    "bare_s": round(median(direct), 3),
                    "overhead": round(median(flow) / median(direct) - 1, 3),
                }
            )
    return rows


def _median_wall(cmd: list[str], env: dict[str, str], cwd: Path, times: int) -> float:
    walls = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, check=True)
        walls.append(time.perf_counter() - started)
    return round(sorted(walls)[len(walls) // 2], 3)


def startup_section(work: Path, shared: Path) -> Figures:
    """What a user waits for when there is nothing to wait for (no server configured).

    The installed command is timed; `uv run`'s own start (resolving and
    checking the environment) is reported apart. The second `clean` of
    `raw/` in a fresh copy is the run a newcomer makes after the first.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = tempfile.mkdtemp(prefix="no-prefect-", dir=work)
    exe = str(Path(sys.executable).with_name("presswash"))
    clone = Path(tempfile.mkdtemp(prefix="fresh-", dir=work))
    shutil.copytree(REPO / "raw", clone / "raw")
    figures: Figures = {
        "help_s": _median_wall([exe, "--help"], env, clone, 5),
        "version_s": _median_wall([exe, "--version"], env, clone, 5),
    }
    if shutil.which("uv"):
        uv_help = _median_wall(["uv", "run", "--project", str(REPO), exe, "--help"], env, clone, 3)
        figures["uv_run_own_s"] = round(max(uv_help - figures["help_s"], 0.0), 3)
    started = time.perf_counter()
    subprocess.run([exe, "clean"], env=env, cwd=clone, capture_output=True, check=True)
    figures["first_clean_s"] = round(time.perf_counter() - started, 3)
    figures["second_clean_s"] = _median_wall([exe, "clean"], env, clone, 3)
    figures.update(_dumps_3079(work, shared, env))
    say(
        table(
            "Start-up, no Prefect server configured (wall, whole process, median)",
            ["what", "seconds"],
            [[k, v] for k, v in figures.items()],
        )
    )
    return figures


def _dumps_3079(work: Path, shared: Path, env: dict[str, str]) -> Figures:
    """3,000 generated news dumps plus the bench's 79, cleaned by `presswash clean`, no server."""
    corpus = build_corpus("textdump", 3000, work, shared)
    raw = work / "corpus" / "textdump-3000" / "raw"
    bench = raw / "bench"
    if not bench.exists() and (shared / "bench" / "textdump").is_dir():
        shutil.copytree(shared / "bench" / "textdump", bench)
    docs = corpus["docs"] + sum(1 for p in bench.glob("*") if p.is_file())
    warm_cache(raw)
    out = Path(tempfile.mkdtemp(prefix="out-3079-", dir=work))
    exe = str(Path(sys.executable).with_name("presswash"))
    wall, cpu, rss, _ = _run_sampled([exe, "clean", str(raw), "--out", str(out)], env, work)
    shutil.rmtree(out, ignore_errors=True)
    return {
        "dumps_docs": docs,
        "dumps_wall_s": round(wall, 2),
        "dumps_docs_per_s": round(docs / wall, 1),
        "dumps_cpu_s": round(cpu, 2),
        "dumps_peak_rss_mb": round(rss.sum_peak / 2**20, 1),
    }


def speedup_section(runs: list[Figures], docs: list[int], kinds: list[str], work: Path) -> Figures:
    """workers=1 against the workers=2 bare runs already made on the same corpora."""
    rows = []
    for n_docs in docs:
        for kind in kinds:
            two = next(
                (
                    r
                    for r in runs
                    if r["mode"] == "direct"
                    and r["kind"] == kind
                    and r["docs"] == n_docs
                    and r["workers"] == 2
                ),
                None,
            )
            if two is None:
                continue
            corpus = json.loads((work / "corpus" / f"{kind}-{n_docs}" / "corpus.json").read_text())
            raw = work / "corpus" / f"{kind}-{n_docs}" / "raw"
            warm_cache(raw)
            one = with_rates(run_once("direct", raw, work, 1, None), corpus)
            rows.append(
                {
                    "kind": kind,
                    "docs": n_docs,
                    "w1_docs_per_s": one["docs_per_s"],
                    "w2_docs_per_s": two["docs_per_s"],
                    "speedup": round(one["wall_seconds"] / two["wall_seconds"], 2),
                    "w1_cpu_s": one.get("cpu_seconds"),
                    "w2_cpu_s": two.get("cpu_seconds"),
                    "w1_load": one.get("load_at_start"),
                    "w2_load": two.get("load_at_start"),
                    "w1_run": one,
                }
            )
    say(
        table(
            "Workers: 1 against 2 (direct `presswash clean`, wall time)",
            [
                "kind",
                "docs",
                "w=1 docs/s",
                "w=2 docs/s",
                "speed-up",
                "w=1 CPU s",
                "w=2 CPU s",
                "w=1 load",
                "w=2 load",
            ],
            [
                [
                    r["kind"],
                    r["docs"],
                    r["w1_docs_per_s"],
                    r["w2_docs_per_s"],
                    f"{r['speedup']:.2f}x",
                    r["w1_cpu_s"],
                    r["w2_cpu_s"],
                    r["w1_load"],
                    r["w2_load"],
                ]
                for r in rows
            ],
        )
    )
    return {"rows": rows}


EXECUTORS = (
    ("local pool, 2 workers", 2, ()),
    ("dask, 1 worker", 1, ("--executor", "dask")),
    ("dask, 2 workers", 2, ("--executor", "dask")),
)


def executors_section(n_docs: int, work: Path, shared: Path, repeat: int) -> Figures:
    """The local pool against a local Dask cluster of 1 and 2 workers, on one corpus.

    Runs are interleaved round by round (median of `repeat`). A run of one
    document on each executor stands for its start-up and shutdown, which is
    reported apart from the rates.
    """
    corpus = build_corpus("mixed", n_docs, work, shared)
    raw = work / "corpus" / f"mixed-{n_docs}" / "raw"
    tiny = work / "corpus" / "one-dump" / "raw" / "dumps"
    tiny.mkdir(parents=True, exist_ok=True)
    first = next(p for p in sorted(raw.rglob("*.txt")))
    shutil.copy(first, tiny / first.name)
    warm_cache(raw)
    runs: dict[str, list[Figures]] = {label: [] for label, _, _ in EXECUTORS}
    starts: dict[str, list[float]] = {label: [] for label, _, _ in EXECUTORS}
    for _ in range(repeat):
        for label, workers, extra in EXECUTORS:
            run = with_rates(run_once("direct", raw, work, workers, None, extra=extra), corpus)
            runs[label].append(run)
            say(f"  {label}: {run['wall_seconds']} s, {run['cpu_seconds']} CPU s")
            start = run_once("direct", tiny.parent, work, workers, None, extra=extra)
            starts[label].append(start["wall_seconds"])
    rows = [_executor_row(label, n_docs, runs[label], starts[label]) for label, _, _ in EXECUTORS]
    by_label = {r["executor"]: r for r in rows}
    one, two = by_label["dask, 1 worker"], by_label["dask, 2 workers"]
    speedup = one["wall_s"] / two["wall_s"]
    net_speedup = one["net_s"] / two["net_s"] if two["net_s"] > 0 else float("nan")
    say(
        table(
            f"Executors on {n_docs} mixed documents (direct `presswash clean`, medians of "
            f"{repeat} interleaved runs; start-up = a 1-document run; dask 2 workers against 1: "
            f"{speedup:.2f}x wall, {net_speedup:.2f}x with start-up apart)",
            [
                "executor",
                "wall s",
                "docs/s",
                "start-up s",
                "wall - start-up s",
                "docs/s w/o start-up",
                "CPU s",
                "accepted",
                "rejected",
            ],
            [
                [
                    r["executor"],
                    r["wall_s"],
                    r["docs_per_s"],
                    r["one_doc_s"],
                    r["net_s"],
                    r["net_docs_per_s"],
                    r["cpu_s"],
                    r["accepted"],
                    r["rejected"],
                ]
                for r in rows
            ],
        )
    )
    return {
        "docs": n_docs,
        "rows": rows,
        "dask_speedup": round(speedup, 2),
        "dask_speedup_without_startup": round(net_speedup, 2),
        "corpus": corpus,
    }


def _executor_row(label: str, n_docs: int, runs: list[Figures], starts: list[float]) -> Figures:
    """One executor's medians; start-up (its 1-document run) taken out round by round."""
    walls = [r["wall_seconds"] for r in runs]
    net = median([wall - start for wall, start in zip(walls, starts, strict=True)])
    return {
        "executor": label,
        "runs": len(walls),
        "wall_s": round(median(walls), 2),
        "walls": walls,
        "docs_per_s": round(n_docs / median(walls), 1),
        "one_doc_s": round(median(starts), 2),
        "starts": starts,
        "net_s": round(net, 2),
        "net_docs_per_s": round(n_docs / net, 1) if net > 0 else None,
        "cpu_s": round(median([r["cpu_seconds"] for r in runs]), 1),
        "accepted": runs[0]["accepted"],
        "rejected": runs[0]["rejected"],
    }


def extractor_section(n_pages: int, work: Path, shared: Path) -> Figures:
    """presswash's extract_html against trafilatura's bare_extraction, same pages, one core."""
    ns = list(range(n_pages))
    fetch_pages(ns, work / "pages", shared)
    pages = [_bucket(work / "pages", n, ".html").read_text(encoding="utf-8") for n in ns]
    from presswash.parsers.html import extract_html

    sides: dict[str, Callable[[str], Any]] = {"presswash extract_html": extract_html}
    try:
        from trafilatura import bare_extraction

        sides["trafilatura bare_extraction(favor_precision)"] = lambda html: bare_extraction(
            html, favor_precision=True, with_metadata=True
        )
    except ImportError:
        say("trafilatura is not installed: run with `uv run --group bench` to compare")
    rows = []
    for name, extract in sides.items():
        extract(pages[0])  # warm-up: imports and lazy tables are not extraction time
        started = time.perf_counter()
        for html in pages:
            extract(html)
        spent = time.perf_counter() - started
        rows.append(
            {
                "extractor": name,
                "pages": len(pages),
                "seconds": round(spent, 3),
                "pages_per_s": round(len(pages) / spent, 1),
            }
        )
    base = rows[-1]["pages_per_s"] if len(rows) > 1 else None
    say(
        table(
            "HTML extraction, one core, same pages in the same process",
            ["extractor", "pages", "seconds", "pages/s", "x trafilatura"],
            [
                [
                    r["extractor"],
                    r["pages"],
                    r["seconds"],
                    r["pages_per_s"],
                    f"{r['pages_per_s'] / base:.2f}x" if base else None,
                ]
                for r in rows
            ],
        )
    )
    return {"rows": rows}


def hostile_big_section(work: Path, shared: Path, workers: int, api_url: str | None) -> Figures:
    dest = work / "hostile-big"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(shared / "hostile" / "make_corpus.py"), str(dest), "--big"],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    built = time.perf_counter() - started
    manifest = json.loads((dest / "MANIFEST.json").read_text())
    rows = []
    # `presswash clean` as a user runs it; the bare core only when there is no Prefect
    for mode in ["flow"] if api_url else ["direct"]:
        run = run_once(mode, dest / "inputs", work, workers, api_url)
        run["manifest_records"] = manifest["totals"]["records"]
        run["balanced"] = run["inputs"] == run["accepted"] + run["rejected"]
        rows.append(run)
    say(
        table(
            f"Hostile --big corpus (built in {built:.1f} s; workers={workers})",
            [
                "run",
                "seconds",
                "inputs",
                "manifest records",
                "accepted",
                "rejected",
                "inputs = acc + rej",
                "RSS main MB",
                "RSS worker MB",
            ],
            [
                [
                    r["mode"],
                    r["wall_seconds"],
                    r["inputs"],
                    r["manifest_records"],
                    r["accepted"],
                    r["rejected"],
                    r["balanced"],
                    r["peak_rss_main_mb"],
                    r["peak_rss_worker_mb"],
                ]
                for r in rows
            ],
        )
    )
    return {"build_seconds": round(built, 2), "runs": rows}


def _big_jsonl(target: Path, gigabytes: float, n_docs: int, work: Path, shared: Path) -> int:
    """A JSONL of about `gigabytes` GB made of the text dump corpus, each line made distinct.

    Every line gets its own reference sentence so exact de-duplication removes
    none; both timed runs read the very same file. Reused when already built.
    """
    want = int(gigabytes * 1e9)
    if target.exists() and target.stat().st_size >= want:
        return target.stat().st_size
    build_corpus("textdump", n_docs, work, shared)
    raw = work / "corpus" / f"textdump-{n_docs}" / "raw"
    texts = [p.read_text(encoding="utf-8") for p in sorted(raw.rglob("*.txt"))]
    target.parent.mkdir(parents=True, exist_ok=True)
    size = line = 0
    with open(target, "wb") as handle:
        while size < want:
            text = texts[line % len(texts)] + f"\n\nReference {line} of this export.\n"
            row = json.dumps({"id": f"big-{line}", "text": text}).encode() + b"\n"
            handle.write(row)
            size += len(row)
            line += 1
    return size


def _big_html_jsonl(target: Path, gigabytes: float, shared: Path) -> int:
    """A JSONL of about `gigabytes` GB: the bench's real HTML pages as a scraper exports them.

    Each page comes back many times, each copy with a line of its own before
    `</body>` and a URL of its own, so none is an exact copy: every copy is
    read and cleaned in full, and de-duplication then rejects the near copies.
    """
    want = int(gigabytes * 1e9)
    if target.exists() and target.stat().st_size >= want:
        return target.stat().st_size
    bench = shared / "bench"
    paths = sorted((bench / "modern" / "html").glob("*.html.gz")) + sorted(
        (bench / "html").glob("*.html")
    )
    pages = [
        (p.name, (gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()))
        for p in paths
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    size = line = 0
    with open(target, "wb") as handle:
        while size < want:
            name, page = pages[line % len(pages)]
            html = page.decode("utf-8", "replace").replace(
                "</body>", f"<p>Reference {line} of this export.</p></body>", 1
            )
            url = f"https://export.example/{line}/{name}"
            row = json.dumps({"id": f"big-{line}", "url": url, "html": html}).encode() + b"\n"
            handle.write(row)
            size += len(row)
            line += 1
    return size


def split_section(
    gigabytes: float, work: Path, shared: Path, workers: int, source: str = "html"
) -> Figures:
    """One big JSONL cleaned with run.shard_bytes at its default (cut in pieces) and huge (whole).

    Whole, the file is one shard and so one worker; in pieces, every worker has work.
    """
    if source == "html":
        raw = work / "split-big-html" / "raw"
        size = _big_html_jsonl(raw / "export" / "big.jsonl", gigabytes, shared)
    else:
        raw = work / "split-big" / "raw"
        size = _big_jsonl(raw / "export" / "big.jsonl", gigabytes, 1000, work, shared)
    rows = []
    for label, shard_bytes in (("split (64 MiB pieces)", 64 * 2**20), ("whole", 1024 * 2**30)):
        previous = os.environ.get("PRESSWASH_RUN__SHARD_BYTES")
        os.environ["PRESSWASH_RUN__SHARD_BYTES"] = str(shard_bytes)
        try:
            run = run_once("direct", raw, work, workers, None)
        finally:
            if previous is None:
                os.environ.pop("PRESSWASH_RUN__SHARD_BYTES", None)
            else:
                os.environ["PRESSWASH_RUN__SHARD_BYTES"] = previous
        run["label"] = label
        rows.append(run)
    say(
        table(
            f"One {size / 1e9:.2f} GB JSONL (workers={workers})",
            ["run", "seconds", "inputs", "accepted", "MB/s", "RSS worker MB"],
            [
                [
                    r["label"],
                    r["wall_seconds"],
                    r["inputs"],
                    r["accepted"],
                    round(size / 1e6 / r["wall_seconds"], 1),
                    r["peak_rss_worker_mb"],
                ]
                for r in rows
            ],
        )
    )
    return {"bytes": size, "runs": rows}


def profile_section(kind: str, n_docs: int, work: Path, shared: Path, top: int) -> Figures:
    """cProfile of run_bare in process: which functions the bare core spends its time in."""
    build_corpus(kind, n_docs, work, shared)
    raw = work / "corpus" / f"{kind}-{n_docs}" / "raw"
    from presswash.runner.run import run_bare
    from presswash.schemas.settings import Settings

    out = Path(tempfile.mkdtemp(prefix="out-profile-", dir=work))
    settings = Settings(out=out, run={"in_process": True})
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        summary = run_bare([str(raw)], settings)
        profiler.disable()
    finally:
        shutil.rmtree(out, ignore_errors=True)
    stats = pstats.Stats(profiler)
    total = max(s[3] for s in stats.stats.values())  # type: ignore[attr-defined]
    entries = sorted(stats.stats.items(), key=lambda kv: -kv[1][3])  # type: ignore[attr-defined]
    rows = []
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in entries[:top]:
        short = file.split("/site-packages/")[-1].replace(str(REPO) + "/", "")
        rows.append(
            {
                "function": f"{short}:{line}({func})",
                "calls": ncalls,
                "tottime": round(tottime, 3),
                "cumtime": round(cumtime, 3),
                "share": round(cumtime / total, 3) if total else None,
            }
        )
    by_self = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]  # type: ignore[attr-defined]
    self_rows = []
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in by_self:
        short = file.split("/site-packages/")[-1].replace(str(REPO) + "/", "")
        self_rows.append(
            {
                "function": f"{short}:{line}({func})",
                "calls": ncalls,
                "tottime": round(tottime, 3),
                "cumtime": round(cumtime, 3),
            }
        )
    say(
        table(
            f"Profile of run_bare in process, {kind}-{n_docs} "
            f"({summary.duration_seconds:.1f} s under cProfile): top by cumulative time",
            ["function", "calls", "self s", "cum s", "cum share"],
            [
                [
                    r["function"][:110],
                    r["calls"],
                    r["tottime"],
                    r["cumtime"],
                    f"{r['share']:.1%}" if r["share"] is not None else None,
                ]
                for r in rows
            ],
        )
    )
    say(
        table(
            "Same profile: top by own (self) time",
            ["function", "calls", "self s", "cum s"],
            [[r["function"][:110], r["calls"], r["tottime"], r["cumtime"]] for r in self_rows],
        )
    )
    return {"cumulative": rows, "self": self_rows}


# The most a flow run may add to the same run's wall time, by corpus size.
OVERHEAD_BOUNDS = {10_000: 0.20, 100_000: 0.08}


def targets_section(figures: Figures) -> list[Figures]:
    """The issue's targets beside what this run measured, so a reader sees the gaps at once."""
    runs = figures.get("throughput", {}).get("runs", [])
    rows: list[Figures] = []

    def add(target: str, measured: Any, met: bool | None) -> None:
        rows.append({"target": target, "measured": measured, "met": met})

    top = max((r["docs"] for r in runs), default=None)
    dumps = [r for r in runs if r["kind"] == "textdump" and r["docs"] == top]
    best = next((r for r in dumps if r["mode"] == "flow"), dumps[0] if dumps else None)
    if best:
        add(
            f"text dumps >= 300 docs/s end to end ({best['mode']}, {top} docs)",
            best["docs_per_s"],
            best["docs_per_s"] >= 300,
        )
    ext = figures.get("extraction", {}).get("rows", [])
    if len(ext) == 2:
        ratio = ext[0]["pages_per_s"] / ext[1]["pages_per_s"]
        add("HTML extraction >= 2x trafilatura pages/s (one core)", f"{ratio:.2f}x", ratio >= 2)
    html_w1 = [
        r["w1_run"]
        for r in figures.get("speedup", {}).get("rows", [])
        if r["kind"] == "html" and r["docs"] == top
    ]
    html_cli = [r for r in runs if r["kind"] == "html" and r["docs"] == top and r["mode"] == "flow"]
    if len(ext) == 2 and html_cli:
        ratio = html_cli[0]["docs_per_s"] / ext[1]["pages_per_s"]
        add(
            f"whole HTML run (cli, {html_cli[0]['workers']} workers) >= 2x trafilatura",
            f"{ratio:.2f}x",
            ratio >= 2,
        )
    if ext and len(ext) == 2 and html_w1:
        ratio = html_w1[0]["docs_per_s"] / ext[1]["pages_per_s"]
        add(
            "whole HTML run, 1 worker, against trafilatura extraction alone",
            f"{ratio:.2f}x",
            ratio >= 2,
        )
    # the flow run's share of a run: at most 20 % at 10,000 documents and 8 % at 100,000
    for o in figures.get("throughput", {}).get("prefect_overhead", []):
        bound = OVERHEAD_BOUNDS.get(o["docs"])
        if bound is not None:
            add(
                f"Prefect overhead <= {bound:.0%} ({o['kind']}, {o['docs']} docs)",
                f"{o['overhead']:+.1%}",
                o["overhead"] <= bound,
            )
    if runs:
        peak = max(max(r["peak_rss_main_mb"], r["peak_rss_worker_mb"]) for r in runs)
        add("peak RSS of any presswash process < 400 MB", f"{peak} MB", peak < 400)
        by_size: dict[int, float] = {}
        for r in runs:
            one = max(r["peak_rss_main_mb"], r["peak_rss_worker_mb"])
            by_size[r["docs"]] = max(by_size.get(r["docs"], 0.0), one)
        if len(by_size) > 1:
            sizes = sorted(n for n in by_size if n >= 10_000) or sorted(by_size)
            sizes = sizes if len(sizes) > 1 else sorted(by_size)
            growth = by_size[sizes[-1]] / by_size[sizes[0]]
            add(
                f"peak RSS flat from {sizes[0]} to {sizes[-1]} docs",
                f"x{growth:.2f}",
                growth < 1.15,
            )
    for r in figures.get("speedup", {}).get("rows", []):
        if r["docs"] == top:
            add(
                f"2 workers >= 1.7x one ({r['kind']}, {top} docs)",
                f"{r['speedup']:.2f}x",
                r["speedup"] >= 1.7,
            )
    executors = figures.get("executors")
    if executors:
        ratio = executors["dask_speedup_without_startup"]
        add(
            f"Dask 2 workers >= 1.7x 1 worker, start-up apart ({executors['docs']} docs)",
            f"{ratio:.2f}x",
            ratio >= 1.7,
        )
    say(
        table(
            "Targets",
            ["target", "measured", "met"],
            [[r["target"], r["measured"], {True: "yes", False: "NO"}.get(r["met"])] for r in rows],
        )
    )
    return rows


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--docs", default=None, help="corpus sizes, comma-separated (1000,10000; --quick: 300)"
    )
    ap.add_argument("--kinds", default=",".join(KINDS), help="textdump, html, mixed")
    ap.add_argument("--work", type=Path, default=None, help="corpus and scratch folder (kept)")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder")
    ap.add_argument("--workers", type=int, default=2, help="workers of the main runs")
    ap.add_argument("--no-prefect", action="store_true", help="the bare core only, no CLI")
    ap.add_argument("--no-speedup", action="store_true", help="skip the workers=1 runs")
    ap.add_argument("--speedup-kinds", default="mixed", help="kinds of the workers=1 runs")
    ap.add_argument("--no-trafilatura", action="store_true", help="skip the extractor section")
    ap.add_argument("--compare-pages", type=int, default=500, help="pages of that section")
    ap.add_argument("--no-profile", action="store_true", help="skip the cProfile section")
    ap.add_argument("--profile-docs", type=int, default=1000)
    ap.add_argument("--profile-top", type=int, default=30)
    ap.add_argument("--hostile-big", action="store_true", help="clean make_corpus.py --big")
    ap.add_argument(
        "--split-gb",
        type=float,
        default=0.0,
        help="also clean one JSONL of this many GB split in pieces and whole (off at 0)",
    )
    ap.add_argument(
        "--split-from",
        choices=("html", "textdump"),
        default="html",
        help="what the big JSONL holds: the bench's HTML pages, or generated text dumps",
    )
    ap.add_argument(
        "--repeat", type=int, default=1, help="interleaved runs of each mode (medians reported)"
    )
    ap.add_argument(
        "--executors-docs",
        type=int,
        default=0,
        help="also compare the local pool with Dask (1 and 2 workers) on this many docs (0: off)",
    )
    ap.add_argument("--quick", action="store_true", help="300 docs, a smoke run under a minute")
    ap.add_argument(
        "--no-precompile",
        action="store_true",
        help="do not byte-compile the environment first (a smoke run: its timings are rough)",
    )
    ap.add_argument(
        "--startup",
        action="store_true",
        help="also time --help, a second clean of raw/ and 3,079 dumps with no server",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument(
        "--bare-child", nargs=3, metavar=("RAW", "OUT", "WORKERS"), help=argparse.SUPPRESS
    )
    args = ap.parse_args(argv)
    args.docs = args.docs or ("300" if args.quick else "1000,10000")
    if args.quick:
        args.compare_pages = min(args.compare_pages, 100)
        args.profile_docs = 300
        args.profile_top = min(args.profile_top, 15)
    return args


def precompile() -> None:
    """Byte-compile the environment once, so no timed process pays for compiling imports.

    A user's Python caches compiled modules on first import; where
    PYTHONDONTWRITEBYTECODE is set (many containers), it never does, and each
    CLI run and each spawned worker would compile Prefect's modules again. That
    is what `uv sync --compile-bytecode` is for in a deployment; here it is done
    the same way before any clock starts.
    """
    import sysconfig

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    folders = [sysconfig.get_paths()["purelib"], *(str(REPO / d) for d in PACKAGE_DIRS)]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *folders],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    say(f"environment byte-compiled in {time.perf_counter() - started:.1f} s (not timed)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.bare_child:
        return bare_child(*args.bare_child)
    shared = args.shared.resolve()
    if not (shared / "hostile" / "server.py").exists():
        say(f"needs {shared}/hostile/server.py (the shared folder), absent")
        return 2
    docs = [int(d) for d in args.docs.split(",") if d.strip()]
    kinds = [k for k in args.kinds.split(",") if k.strip()]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        say(f"unknown kinds: {sorted(unknown)}")
        return 2
    work = (args.work or Path(tempfile.gettempdir()) / "presswash-throughput").resolve()
    work.mkdir(parents=True, exist_ok=True)
    say(f"work folder {work}; {os.cpu_count()} cores; docs {docs}; kinds {kinds}")
    figures: Figures = {
        "docs": docs,
        "kinds": kinds,
        "workers": args.workers,
        "cores": os.cpu_count(),
    }
    if not args.no_precompile:
        precompile()
    started = time.perf_counter()
    if args.startup:
        figures["startup"] = startup_section(work, shared)
    with contextlib.ExitStack() as stack:
        api_url = None
        if not args.no_prefect:
            api_url, server_seconds = stack.enter_context(prefect_server(work))
            figures["prefect_server_start_seconds"] = round(server_seconds, 2)
            say(f"Prefect server up at {api_url} in {server_seconds:.1f} s (not in any timing)")
        main_runs = throughput_section(
            docs, kinds, work, shared, args.workers, api_url, repeat=args.repeat
        )
        figures["throughput"] = main_runs
        if not args.no_speedup and args.workers == 2:
            speedup_kinds = [k for k in args.speedup_kinds.split(",") if k in kinds]
            figures["speedup"] = speedup_section(main_runs["runs"], docs, speedup_kinds, work)
        if not args.no_trafilatura:
            figures["extraction"] = extractor_section(args.compare_pages, work, shared)
        if args.hostile_big:
            figures["hostile_big"] = hostile_big_section(work, shared, args.workers, api_url)
        if args.executors_docs > 0:
            figures["executors"] = executors_section(
                args.executors_docs, work, shared, max(1, args.repeat)
            )
        if args.split_gb > 0:
            figures["split"] = split_section(
                args.split_gb, work, shared, args.workers, args.split_from
            )
        if not args.no_profile:
            kind = "mixed" if "mixed" in kinds else kinds[0]
            figures["profile"] = profile_section(
                kind, args.profile_docs, work, shared, args.profile_top
            )
    figures["targets"] = targets_section(figures)
    figures["total_seconds"] = round(time.perf_counter() - started, 1)
    say(f"\ndone in {figures['total_seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
        say(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
