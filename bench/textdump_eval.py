"""Score the text-dump cleaner, as a function and as the product, against line baselines.

Usage (from the repo root):
    uv run python bench/textdump_eval.py [--bench DIR] [--dumps DIR] [--gold DIR] [--out DIR]

For each folder of dumps (BENCH/textdump, then BENCH/modern/textdump) one
run writes article-like records for four methods and scores each with the
bench's own `score.py` (run as a subprocess, so the figures are the
scorer's, not ours):

- `function`: `clean_textdump` on each dump alone;
- `product`: what `presswash clean <folder>` writes with default settings, the
  whole folder one source (site learning, language, dedup included), run as a
  user runs it, with no Prefect server;
- `keep-all`: every line of the dump; `C4`: the C4 corpus's line filter
  (terminal punctuation and at least three words).

The product rejects a page whose text equals an earlier page's as a
duplicate, which the scorer counts as an empty page; `product+dups` scores
such a page with the text of the article it duplicates, to tell a cleaning
loss from a dedup decision. Where the gold has a `page_type`, the article
pages are also scored apart. Last come the title ceiling (the token F1 of the
best single line of each dump: a dump has lost the HTML <title>) and the
CPU time of `clean_textdump` per dump, alone and with the page-type step,
best of a few rounds on one core: language detection and writing are not in it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from presswash.parsers.pagetype import classify, text_evidence
from presswash.parsers.text_stats import word_count
from presswash.parsers.textdump import clean_textdump, forget_shared_verdicts

REPO = Path(__file__).resolve().parents[1]
_TERMINAL = re.compile(r"[.!?\"。！？]$")
_FIGURES = re.compile(r"(\w+)=([0-9.]+|None)")
_CLI = "import sys; from presswash.flows.cli import main; sys.argv[0] = 'presswash'; main()"
_COLUMNS = ("f1", "precision", "recall", "title_f1", "byline_f1")


def keep_all(text: str) -> dict[str, Any]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return {"text": "\n".join(lines), "title": None, "authors": []}


def c4_lines(text: str) -> dict[str, Any]:
    lines = [line.strip() for line in text.splitlines()]
    kept = [ln for ln in lines if _TERMINAL.search(ln) and word_count(ln) >= 3]
    return {"text": "\n".join(kept), "title": None, "authors": []}


def function(text: str) -> dict[str, Any]:
    out = clean_textdump(text)
    return {"text": "\n".join(out.lines), "title": out.title, "authors": out.authors}


def write_records(
    dumps: dict[str, str], method: Callable[[str], dict[str, Any]], folder: Path
) -> None:
    articles = folder / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    with (articles / "x.jsonl").open("w", encoding="utf-8") as fh:
        for name, text in dumps.items():
            record = {"source": {"uri": f"{name}.txt"}, "language": None, **method(text)}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_product(dumps_dir: Path, folder: Path) -> None:
    """`presswash clean` on the folder as a user runs it: default settings, no Prefect server."""
    if folder.exists():
        shutil.rmtree(folder)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    subprocess.run(
        [sys.executable, "-c", _CLI, "clean", str(dumps_dir), "--out", str(folder)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )


def with_duplicates(product: Path, folder: Path) -> None:
    """The product's records, plus for each page rejected as a duplicate its kept article's text."""
    records = [
        json.loads(line)
        for path in sorted((product / "articles").rglob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    by_id = {rec["id"]: rec for rec in records}
    for path in sorted((product / "rejected").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rejected = json.loads(line) if line.strip() else {}
            kept = by_id.get(rejected.get("duplicate_of") or "")
            if kept is not None:
                records.append({**kept, "source": rejected["source"]})
    articles = folder / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    with (articles / "x.jsonl").open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def score(scorer: Path, gold: Path, pred: Path) -> dict[str, str]:
    run = subprocess.run(
        [sys.executable, str(scorer), "--gold", str(gold), "--pred", str(pred)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(_FIGURES.findall(run.stdout))


def article_gold(gold: Path, folder: Path) -> Path | None:
    """A gold folder of the article pages alone, when the gold says which pages are articles."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(gold.glob("*.json")):
        if json.loads(path.read_text(encoding="utf-8")).get("page_type") == "article":
            shutil.copyfile(path, folder / path.name)
            count += 1
    return folder if count else None


def ms_per_dump(dumps: dict[str, str], rounds: int = 3, *, page_type: bool = False) -> float:
    """CPU milliseconds of `clean_textdump` per dump, best of a few rounds: steady under load.

    With `page_type`, the page-type step is counted too (the whole dump's cue words and the
    model), as the product runs it on every dump. Each round starts without the verdicts
    kept from earlier pages, as a fresh process would: a second round over the same pages
    would otherwise find every line judged.
    """
    texts = list(dumps.values())
    best = float("inf")
    for _ in range(rounds):
        forget_shared_verdicts()
        start = time.process_time()
        for text in texts:
            found = clean_textdump(text)
            if page_type:
                found.page_evidence = text_evidence(text)
                classify(found)
        best = min(best, time.process_time() - start)
    return 1000 * best / max(1, len(texts))


def load_scorer(scorer: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_score", scorer)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {scorer}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def title_ceiling(dumps: dict[str, str], gold: Path, scorer: ModuleType) -> float:
    """Mean over pages with a gold title of the best token F1 any single line of the dump gets."""
    found: list[float] = []
    for name, text in dumps.items():
        path = gold / f"{name}.json"
        title = (
            json.loads(path.read_text(encoding="utf-8")).get("title") if path.is_file() else None
        )
        if title:
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:400]
            found.append(max((scorer.token_f1(title, ln) for ln in lines), default=0.0))
    return sum(found) / len(found) if found else 0.0


def evaluate(label: str, dumps_dir: Path, gold: Path, scorer: Path, out: Path) -> None:
    """One table (function, product and the baselines; all pages, then articles) for one folder."""
    dumps = {
        p.name.removesuffix(".txt"): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(dumps_dir.glob("*.txt"))
    }
    methods = {"function": function, "keep-all": keep_all, "C4": c4_lines}
    for name, method in methods.items():
        write_records(dumps, method, out / name)
    run_product(dumps_dir, out / "product")
    with_duplicates(out / "product", out / "product+dups")
    golds = {"all": gold}
    articles = article_gold(gold, out / "gold-articles")
    if articles is not None:
        golds["articles"] = articles
    print(f"[{label}] {len(dumps)} dumps from {dumps_dir}, gold {gold}, output {out}")
    print(f"{'method':<13} {'pages':<9} {'F1':>6} {'P':>6} {'R':>6} {'title':>6} {'byline':>6}")
    for pages, gold_dir in golds.items():
        for name in ("function", "product", "product+dups", "keep-all", "C4"):
            fig = score(scorer, gold_dir, out / name)
            cells = " ".join(f"{fig.get(k, '-'):>6}" for k in _COLUMNS)
            print(f"{name:<13} {pages:<9} {cells}")
    ceiling = title_ceiling(dumps, gold, load_scorer(scorer))
    print(f"title ceiling (best single line): {ceiling:.3f}")
    print(f"clean_textdump: {ms_per_dump(dumps):.2f} ms of CPU per dump (one core)")
    typed = ms_per_dump(dumps, page_type=True)
    print(f"clean_textdump with the page-type step: {typed:.2f} ms of CPU per dump (one core)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--dumps", type=Path, help="folder of <name>.txt dumps (BENCH/textdump)")
    ap.add_argument("--gold", type=Path, help="folder of <name>.json gold (BENCH/gold)")
    ap.add_argument("--out", type=Path, help="output folder (a temporary one by default)")
    ap.add_argument(
        "--no-modern", action="store_true", help="skip BENCH/modern (scored beside the main set)"
    )
    args = ap.parse_args()
    scorer = args.bench / "score.py"
    out = args.out or Path(tempfile.mkdtemp(prefix="textdump_eval_"))
    dumps_dir = args.dumps or args.bench / "textdump"
    gold = args.gold or args.bench / "gold"
    evaluate("bench", dumps_dir, gold, scorer, out / "bench")
    modern = args.bench / "modern"
    if not args.no_modern and args.dumps is None and (modern / "textdump").is_dir():
        evaluate("modern", modern / "textdump", modern / "gold", scorer, out / "modern")
    return 0


if __name__ == "__main__":
    sys.exit(main())
