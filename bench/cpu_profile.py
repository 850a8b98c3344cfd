"""CPU per document of `clean_document`, split by step, and where it goes (cProfile).

Usage (from the repo root):
    uv run python bench/cpu_profile.py PAGES... [--limit N] [--profile N] [--dump FILE]

Each PAGES argument is a folder (searched recursively for *.html, *.htm and
*.html.gz, and for text dumps *.txt and *.txt.gz, sorted by path) or a single
file. The clock is CPU time (`time.process_time`), not wall time, so a
shared, loaded machine gives the same figures as an idle one; the pipeline's
own step laps are switched to it too. `--dump` writes every outcome (minus
the ingestion timestamp) as JSONL, so two versions of the code can be
compared record by record. `--repeat N` reports each step's fastest of N
rounds, which is what steadies the figures on a machine others are using.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import io
import json
import pstats
import sys
import time
import types
from collections import Counter
from pathlib import Path

from presswash.parsers import pipeline
from presswash.parsers.language import load_profiles
from presswash.parsers.pipeline import Accepted, CleanConfig, clean_document
from presswash.parsers.steps import STEPS
from presswash.parsers.textdump import forget_shared_verdicts
from presswash.schemas import summary
from presswash.schemas.document import RawDoc, SourceInfo
from presswash.schemas.settings import Settings

_SUFFIXES = (".html", ".htm", ".html.gz", ".txt", ".txt.gz")
_TEXT_SUFFIXES = (".txt", ".txt.gz")


def pages(paths: list[Path], limit: int | None) -> list[Path]:
    """The page files named or found under the given paths, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.name.endswith(_SUFFIXES)))
        else:
            found.append(path)
    return found[:limit] if limit else found


def raw_doc(path: Path) -> RawDoc:
    """A RawDoc as the file reader would make it (gzip undone first; a .txt file is a dump)."""
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    source = SourceInfo(kind="file", uri=path.name, sha256=hashlib.sha256(data).hexdigest())
    media = "text" if path.name.endswith(_TEXT_SUFFIXES) else "html"
    return RawDoc(source=source, media=media, data=data)


def _outcome(result: object) -> dict[str, object]:
    """What a user sees of one outcome, without the timestamp that differs per run."""
    if isinstance(result, Accepted):
        record = dict(result.record)
        record.pop("ingested_at", None)
        return record
    return {
        "rejected": str(getattr(result, "reason", "")),
        "stage": str(getattr(result, "stage", "")),
        "detail": getattr(result, "detail", ""),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="first N pages only")
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    parser.add_argument("--dump", type=Path, default=None, help="write outcomes as JSONL")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds; each step's fastest round is reported"
    )
    args = parser.parse_args()

    files = pages(args.paths, args.limit)
    docs = [raw_doc(p) for p in files]
    if not docs:
        print("no pages found", file=sys.stderr)
        return 1
    settings = Settings(out=Path("/dev/null"))
    config = CleanConfig(settings.limits, settings.cleaning, "profile")
    load_profiles()
    # The pipeline laps its steps with perf_counter; CPU time is what is wanted here.
    cpu_clock = types.SimpleNamespace(perf_counter=time.process_time)
    pipeline.time = cpu_clock  # type: ignore[attr-defined]
    summary.time = cpu_clock  # type: ignore[attr-defined]
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    best: Counter[str] = Counter()
    outcomes: list[object] = []
    for round_ in range(max(1, args.repeat)):
        timings: Counter[str] = Counter()
        outcomes = []
        # Each round starts as a fresh process would, without the line verdicts of the last one.
        forget_shared_verdicts()
        started = time.process_time()
        if profiler:
            profiler.enable()
        for doc in docs:
            outcomes.append(clean_document(doc, config, timings))
        if profiler:
            profiler.disable()
        timings["total"] = time.process_time() - started
        timings["other"] = 2 * timings["total"] - sum(timings.values())
        for stage, seconds in timings.items():
            best[stage] = seconds if not round_ else min(best[stage], seconds)

    n = len(docs)
    accepted = sum(isinstance(o, Accepted) for o in outcomes)
    print(f"{n} pages, {accepted} accepted; CPU ms per document:")
    for stage in (*(step.name for step in STEPS), "other", "total"):
        note = "   (between laps)" if stage == "other" else ""
        print(f"  {stage:<10} {1000 * best[stage] / n:8.2f}{note}")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for path, outcome in zip(files, outcomes, strict=True):
                row = {"page": str(path), **_outcome(outcome)}
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    if profiler:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(args.sort).print_stats(args.profile)
        print(stream.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
