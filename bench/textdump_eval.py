"""Score the text-dump cleaner against two line-level baselines on a folder of dumps.

Usage (from the repo root):
    uv run python bench/textdump_eval.py [--bench DIR] [--dumps DIR] [--gold DIR] [--out DIR]

Writes OUT/{presswash,keepall,c4}/articles/x.jsonl (one article-like record
per dump), scores each with the bench's own `score.py` (run as a subprocess,
so the figures are the scorer's, not ours) and prints one table plus the
throughput of `clean_textdump` alone. The baselines say what the cleaner is
worth: keep-all is every line of the dump, C4 is the line filter of the C4
corpus (terminal punctuation and at least three words).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from presswash.parsers.text_stats import word_count
from presswash.parsers.textdump import clean_textdump

REPO = Path(__file__).resolve().parents[1]
_TERMINAL = re.compile(r"[.!?\"。！？]$")
_FIGURES = re.compile(r"(\w+)=([0-9.]+|None)")


def keep_all(text: str) -> dict[str, Any]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return {"text": "\n".join(lines), "title": None, "authors": []}


def c4_lines(text: str) -> dict[str, Any]:
    lines = [line.strip() for line in text.splitlines()]
    kept = [ln for ln in lines if _TERMINAL.search(ln) and word_count(ln) >= 3]
    return {"text": "\n".join(kept), "title": None, "authors": []}


def presswash(text: str) -> dict[str, Any]:
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


def score(scorer: Path, gold: Path, pred: Path) -> dict[str, str]:
    run = subprocess.run(
        [sys.executable, str(scorer), "--gold", str(gold), "--pred", str(pred)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(_FIGURES.findall(run.stdout))


def throughput(dumps: dict[str, str], rounds: int = 3) -> float:
    """Docs per second of CPU time (best of a few rounds): steady on a shared machine."""
    texts = list(dumps.values())
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for text in texts:
            clean_textdump(text)
        best = min(best, time.process_time() - start)
    return len(texts) / best if best > 0 else float("inf")


def evaluate(label: str, dumps_dir: Path, gold: Path, scorer: Path, out: Path, speed: bool) -> None:
    """One table (presswash and the baselines) for one folder of dumps."""
    dumps = {
        p.name.removesuffix(".txt"): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(dumps_dir.glob("*.txt"))
    }
    methods = {"presswash": presswash, "keepall": keep_all, "c4": c4_lines}
    print(f"[{label}] {len(dumps)} dumps from {dumps_dir}, gold {gold}, output {out}")
    print(f"{'method':<10} {'F1':>6} {'P':>6} {'R':>6} {'title':>6} {'byline':>6}")
    for name, method in methods.items():
        write_records(dumps, method, out / name)
        fig = score(scorer, gold, out / name)
        cells = [fig.get(k, "-") for k in ("f1", "precision", "recall", "title_f1", "byline_f1")]
        print(f"{name:<10} " + " ".join(f"{c:>6}" for c in cells))
    if speed:
        print(
            f"clean_textdump: {throughput(dumps):.0f} docs/s of CPU time "
            f"(one core, {len(dumps)} dumps)"
        )


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
    evaluate("bench", dumps_dir, gold, scorer, out / "bench", speed=True)
    modern = args.bench / "modern"
    if not args.no_modern and args.dumps is None and (modern / "textdump").is_dir():
        evaluate("modern", modern / "textdump", modern / "gold", scorer, out / "modern", speed=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
