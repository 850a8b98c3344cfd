"""Re-fit the weights of the headline picker (`presswash.parsers.titles.WEIGHTS`).

Usage (from the repo root):
    uv run python scripts/fit_title_weights.py [--bench DIR] [--write] [--repeats N]

Every dump of the bench (BENCH/textdump, BENCH/modern/textdump) goes through
`clean_textdump`; at the moment the cleaner picks the headline, the clues of
each candidate line are taken with the project's own `title_clues`, and each
candidate is scored against the gold title with the bench scorer's `token_f1`.
The weights maximise the expected token F1 of the chosen line under a softmax
over the candidates' scores (a smooth stand-in for "the best line wins"), by
plain gradient ascent from zero with a little L2 shrinkage, the two sets
weighted 35 % (news pages) / 65 % (general pages) whatever their sizes. The
fit is deterministic: same dumps, same clues, same weights.

It prints the in-sample title F1 of the argmax pick, a 5-fold cross-validated
F1 (folds split by site, sites shuffled with a fixed seed; each fold scored
with weights fitted on the other four; with `--repeats N`, also the mean and
spread over N shuffles of the sites), and the WEIGHTS dict to paste into
`parsers/titles.py`; `--write` replaces the dict there itself.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

import presswash.parsers.textmeta as textmeta
from presswash.parsers import titles
from presswash.parsers.textdump import clean_textdump

REPO = Path(__file__).resolve().parents[1]
SETS = ("bench", "modern")
SET_WEIGHT = {"bench": 0.35, "modern": 0.65}
STEP = 40.0
SHRINK = 1.25e-5
ROUNDS = 900
CHECK_EVERY = 300
FOLDS = 5
SEED = 20260
DECIMALS = 2


@dataclass
class Page:
    """One dump: its set, and each candidate line's clues and token F1 against the gold title."""

    name: str
    which: str
    site: str
    clues: list[dict[str, float]]
    f1: list[float]


def load_token_f1(bench: Path) -> Callable[[str | None, str | None], float]:
    """The bench scorer's own token F1, so that the fit optimises what the bench reports."""
    spec = importlib.util.spec_from_file_location("bench_score", bench / "score.py")
    if spec is None or spec.loader is None:
        sys.exit(f"no score.py in {bench}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_score"] = module
    spec.loader.exec_module(module)
    return module.token_f1


def site_of(name: str, gold: dict[str, Any]) -> str:
    """The page's site: its gold URL's host, else the bench file's name before its number."""
    host = urlsplit(str(gold.get("url") or "")).hostname
    return host.removeprefix("www.") if host else name.split("-")[0]


def collect(bench: Path) -> list[Page]:
    """Clean every dump and keep the clues the headline picker saw, with each line's F1."""
    token_f1 = load_token_f1(bench)
    seen: list[tuple[list[str], list[tuple[int, dict[str, float]]]]] = []
    original = textmeta.pick_title

    def spy(lines: Sequence[str], units: Sequence[float], junk: Any, used: Any, start: int) -> Any:
        seen.append((list(lines), titles.title_clues(lines, units, junk, used, start)))
        return original(lines, units, junk, used, start)

    pages: list[Page] = []
    textmeta.pick_title = spy  # find_meta calls it by this name
    try:
        for which, base in (("bench", bench), ("modern", bench / "modern")):
            dumps = sorted((base / "textdump").glob("*.txt"))
            if not dumps:
                print(f"{which}: no dumps in {base / 'textdump'}, skipped", file=sys.stderr)
            for path in dumps:
                gold_path = base / "gold" / f"{path.stem}.json"
                gold = json.loads(gold_path.read_text()) if gold_path.exists() else {}
                if not gold.get("title"):
                    continue
                seen.clear()
                clean_textdump(path.read_text(errors="replace"))
                lines, found = seen[0] if seen else ([], [])
                pages.append(
                    Page(
                        name=path.stem,
                        which=which,
                        site=site_of(path.stem, gold),
                        clues=[c for _, c in found],
                        f1=[
                            token_f1(gold["title"], titles.headline_text(lines[i]))
                            for i, _ in found
                        ],
                    )
                )
    finally:
        textmeta.pick_title = original
    return pages


@dataclass
class Stacked:
    """All candidates of a group of pages as one matrix, for whole-array softmax per page."""

    x: np.ndarray  # candidates x clues
    f1: np.ndarray  # per candidate
    page: np.ndarray  # page number of each candidate
    starts: np.ndarray  # first candidate of each page having candidates
    weight: np.ndarray  # per page having candidates: its share in the objective
    pages: list[Page]


def stack(pages: list[Page], names: list[str]) -> Stacked:
    """The candidates of `pages` as arrays (pages without candidates have no gradient)."""
    per_set = {w: sum(1 for p in pages if p.which == w) for w in SETS}
    rows: list[list[float]] = []
    f1: list[float] = []
    page: list[int] = []
    starts: list[int] = []
    weight: list[float] = []
    for p in pages:
        if not p.clues:
            continue
        starts.append(len(rows))
        weight.append(SET_WEIGHT[p.which] / per_set[p.which])
        for clues, f in zip(p.clues, p.f1, strict=True):
            rows.append([clues[n] for n in names])
            f1.append(f)
            page.append(len(starts) - 1)
    return Stacked(
        x=np.array(rows, dtype=float).reshape(len(rows), len(names)),
        f1=np.array(f1),
        page=np.array(page, dtype=int),
        starts=np.array(starts, dtype=int),
        weight=np.array(weight),
        pages=pages,
    )


def score(data: Stacked, w: np.ndarray) -> dict[str, float]:
    """Mean token F1 of the argmax pick per set (first candidate wins ties, as in `pick_title`)."""
    got = {which: [] for which in SETS}
    s = data.x @ w if len(data.x) else np.zeros(0)
    k = 0
    for p in data.pages:
        if not p.clues:
            got[p.which].append(0.0)
            continue
        lo, hi = data.starts[k], data.starts[k] + len(p.clues)
        got[p.which].append(float(data.f1[lo + int(np.argmax(s[lo:hi]))]))
        k += 1
    return {which: float(np.mean(v)) for which, v in got.items() if v}


def fit(data: Stacked, n: int) -> np.ndarray:
    """Weights maximising the softmax-expected F1, the best of a few checkpoints by argmax F1."""
    w = np.zeros(n)
    best: tuple[float, np.ndarray] | None = None
    if not len(data.x):
        return w
    for it in range(ROUNDS):
        s = data.x @ w
        s -= np.maximum.reduceat(s, data.starts)[data.page]
        e = np.exp(s)
        p = e / np.add.reduceat(e, data.starts)[data.page]
        expected = np.add.reduceat(p * data.f1, data.starts)[data.page]
        g = data.x.T @ (data.weight[data.page] * p * (data.f1 - expected)) - SHRINK * w
        w = w + STEP * g
        if it % CHECK_EVERY == CHECK_EVERY - 1:
            got = score(data, w)
            total = sum(SET_WEIGHT[k] * v for k, v in got.items())
            if best is None or total > best[0]:
                best = (total, w.copy())
    return best[1] if best is not None else w


def cross_validated(pages: list[Page], names: list[str], seed: int = SEED) -> dict[str, float]:
    """Mean F1 of each page picked with weights fitted on the other folds only.

    Folds are split by site: every page of a site is held out together, so a
    site's own headline habits never help score that site.
    """
    sites = sorted({p.site for p in pages})
    random.Random(seed).shuffle(sites)
    fold_of_site = {site: k % FOLDS for k, site in enumerate(sites)}
    fold_of = {k: fold_of_site[p.site] for k, p in enumerate(pages)}
    got: dict[str, list[float]] = {which: [] for which in SETS}
    for fold in range(FOLDS):
        train = [p for k, p in enumerate(pages) if fold_of[k] != fold]
        test = [p for k, p in enumerate(pages) if fold_of[k] == fold]
        w = fit(stack(train, names), len(names))
        held = stack(test, names)
        for which, value in score(held, w).items():
            got[which].extend([value] * sum(1 for p in test if p.which == which))
    return {which: float(np.mean(v)) for which, v in got.items() if v}


def write_weights(weights: dict[str, float]) -> None:
    """Replace the WEIGHTS dict in parsers/titles.py, keeping everything around it."""
    path = REPO / "parsers" / "titles.py"
    text = path.read_text()
    body = "".join(f'    "{k}": {v},\n' for k, v in weights.items())
    new, count = re.subn(
        r"WEIGHTS: dict\[str, float\] = \{\n.*?\n\}\n",
        lambda _: "WEIGHTS: dict[str, float] = {\n" + body + "}\n",
        text,
        flags=re.S,
    )
    if count != 1:
        sys.exit("WEIGHTS dict not found in parsers/titles.py")
    path.write_text(new)
    print(f"written to {path}")


def show_repeats(pages: list[Page], names: list[str], repeats: int) -> None:
    """Cross-validation over other shuffles of the sites: its mean, and its spread.

    On 79 pages one held-out page is worth more than a point of F1, so the
    figure of one shuffle says little alone; a clue is worth keeping when the
    mean over shuffles rises.
    """
    runs = [cross_validated(pages, names, SEED + k) for k in range(repeats)]
    for which in SETS:
        values = [run[which] for run in runs if which in run]
        if values:
            print(
                f"{which}: {repeats} shuffles of the sites, cross-val mean {np.mean(values):.4f} "
                f"(min {min(values):.4f}, max {max(values):.4f})"
            )


def show(label: str, got: dict[str, float]) -> None:
    print(f"{label:28s} " + "  ".join(f"{k} {v:.4f}" for k, v in got.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--write", action="store_true", help="write the weights into parsers/titles.py")
    ap.add_argument(
        "--repeats", type=int, default=1, help="also cross-validate over this many site shuffles"
    )
    args = ap.parse_args()
    names = list(titles.WEIGHTS)
    pages = collect(args.bench)
    if not pages:
        sys.exit(f"no dumps with a gold title under {args.bench}")
    for which in SETS:
        subset = [p for p in pages if p.which == which]
        if subset:
            n = sum(len(p.clues) for p in subset)
            oracle = np.mean([max(p.f1, default=0.0) for p in subset])
            print(f"{which}: {len(subset)} pages, {n} candidates, best line F1 {oracle:.4f}")
    data = stack(pages, names)
    current = np.array([titles.WEIGHTS[n] for n in names])
    show("committed WEIGHTS, in-sample", score(data, current))
    w = fit(data, len(names))
    show("fitted, in-sample", score(data, w))
    show(f"fitted, {FOLDS}-fold cross-val", cross_validated(pages, names))
    if args.repeats > 1:
        show_repeats(pages, names, args.repeats)
    weights = {n: round(float(v), DECIMALS) for n, v in zip(names, w, strict=True)}
    rounded = np.array([weights[n] for n in names])
    show("fitted (rounded), in-sample", score(data, rounded))
    cosine = float(rounded @ current / (np.linalg.norm(rounded) * np.linalg.norm(current)))
    scale = float(rounded @ current / (current @ current))
    print(
        f"against committed: cosine {cosine:.3f}, scale x{scale:.2f} "
        f"(only the direction matters to the argmax); fitted / scale - committed:"
    )
    print("  " + ", ".join(f"{n} {weights[n] / scale - titles.WEIGHTS[n]:+.2f}" for n in names))
    print("WEIGHTS: dict[str, float] = {")
    for k, v in weights.items():
        print(f'    "{k}": {v},')
    print("}")
    if args.write:
        write_weights(weights)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
