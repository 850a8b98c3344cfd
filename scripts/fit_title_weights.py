"""Re-fit the weights of the headline picker (`presswash.parsers.titles.WEIGHTS`).

Usage (from the repo root):
    uv run python scripts/fit_title_weights.py [--bench DIR] [--write] [--repeats N] [--ceiling]

Every dump of the bench (BENCH/textdump, BENCH/modern/textdump) goes through
`clean_textdump`; at the moment the cleaner picks the headline, the clues of
each candidate line are taken with the project's own `title_clues`, and each
candidate is scored against the gold title with the bench scorer's `token_f1`.
The weights are fitted as a ranking of each dump's candidates: a softmax
over the candidates' scores is pulled towards a target spread over the
candidates by their F1 (exp((F1 - best F1) / TEMPERATURE), so the best line
gets most of it and a near-miss some), a cross-entropy that is convex, so
Newton's method finds its one optimum from zero. Its L2 shrinkage is chosen
from SHRINKS by an inner 4-fold cross-validation split by site over the
pages being fitted. The two sets are weighted 35 % (news pages) / 65 %
(general pages) whatever their sizes. The fit is deterministic: same dumps,
same clues, same weights.

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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
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
TEMPERATURE = 0.2
SHRINKS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2)
NEWTON_ROUNDS = 50
TOLERANCE = 1e-10
FOLDS = 5
INNER_FOLDS = 4
INNER_SEED = 1000
SEED = 20260
DECIMALS = 3
# The ceiling: a line this close to the gold title counts as found; a site name is this short.
GOOD_F1 = 0.8
SITE_WORDS = 5
WORD = re.compile(r"\w+")
TITLE_SEPARATORS = (re.compile(r"\s+[|\-–—]\s+"), re.compile(r":\s+"))


@dataclass
class Page:
    """One dump: its set, and each candidate line's clues and token F1 against the gold title.

    The gold title, the dump's lines and the candidates' headline texts are kept
    for `--ceiling`, which asks what any line, not only a candidate, could score.
    """

    name: str
    which: str
    site: str
    clues: list[dict[str, float]]
    f1: list[float]
    gold: str = ""
    lines: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


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
                texts = [titles.headline_text(lines[i]) for i, _ in found]
                pages.append(
                    Page(
                        name=path.stem,
                        which=which,
                        site=site_of(path.stem, gold),
                        clues=[c for _, c in found],
                        f1=[token_f1(gold["title"], text) for text in texts],
                        gold=gold["title"],
                        lines=lines,
                        texts=texts,
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


def targets(data: Stacked) -> tuple[np.ndarray, np.ndarray]:
    """Each candidate's share of its page's target, and the per-page weights that use them.

    The share falls off with the distance to the page's best F1, so a line as
    good as the best one counts as much, and a page whose lines all miss the
    gold (best F1 0) teaches nothing and is left out.
    """
    best = np.maximum.reduceat(data.f1, data.starts)
    raw = np.exp((data.f1 - best[data.page]) / TEMPERATURE) * (best[data.page] > 0)
    total = np.add.reduceat(raw, data.starts)
    share = raw / np.where(total > 0, total, 1.0)[data.page]
    weight = data.weight * (total > 0)
    return share, weight / weight.sum() if weight.sum() else weight


def softmax(data: Stacked, w: np.ndarray) -> np.ndarray:
    """Each candidate's probability under a softmax of the scores over its page's candidates."""
    s = data.x @ w
    e = np.exp(s - np.maximum.reduceat(s, data.starts)[data.page])
    return e / np.add.reduceat(e, data.starts)[data.page]


def ranking_loss(
    data: Stacked, w: np.ndarray, share: np.ndarray, weight: np.ndarray, shrink: float
) -> float:
    """Weighted cross-entropy of the pages' softmax against their targets, plus the L2 term."""
    p = softmax(data, w)
    picked = np.add.reduceat(share * np.log(np.maximum(p, 1e-300)), data.starts)
    return float(-(weight @ picked)) + 0.5 * shrink * float(w @ w)


def fit(data: Stacked, n: int, shrink: float) -> np.ndarray:
    """Weights minimising the ranking loss, by Newton's method with a halving line search."""
    w = np.zeros(n)
    if not len(data.x):
        return w
    share, weight = targets(data)
    per_row = weight[data.page]
    ridge = (shrink + 1e-10) * np.eye(n)
    loss = ranking_loss(data, w, share, weight, shrink)
    for _ in range(NEWTON_ROUNDS):
        p = softmax(data, w)
        grad = data.x.T @ (per_row * (p - share)) + shrink * w
        mean = np.add.reduceat(data.x * p[:, None], data.starts)
        hess = data.x.T @ (data.x * (per_row * p)[:, None]) - (mean * weight[:, None]).T @ mean
        step = np.linalg.solve(hess + ridge, grad)
        t = 1.0
        while True:
            trial = w - t * step
            trial_loss = ranking_loss(data, trial, share, weight, shrink)
            if trial_loss <= loss or t < 1e-6:
                break
            t /= 2
        w, gain, loss = trial, loss - trial_loss, trial_loss
        if gain < TOLERANCE:
            break
    return w


def site_folds(pages: list[Page], folds: int, seed: int) -> list[int]:
    """Each page's fold, every page of a site in the same one, sites shuffled by `seed`."""
    sites = sorted({p.site for p in pages})
    random.Random(seed).shuffle(sites)
    fold_of_site = {site: k % folds for k, site in enumerate(sites)}
    return [fold_of_site[p.site] for p in pages]


def site_splits(
    pages: list[Page], folds: int, seed: int
) -> Iterator[tuple[list[Page], list[Page]]]:
    """(training pages, held-out pages) for each fold of `site_folds`, in fold order."""
    fold_of = site_folds(pages, folds, seed)
    for fold in range(folds):
        train = [p for p, k in zip(pages, fold_of, strict=True) if k != fold]
        test = [p for p, k in zip(pages, fold_of, strict=True) if k == fold]
        yield train, test


def held_out(
    pages: list[Page],
    names: list[str],
    folds: int,
    seed: int,
    fitter: Callable[[list[Page]], np.ndarray],
) -> dict[str, float]:
    """Mean F1 per set of each page picked with weights that `fitter` made from the other folds."""
    got: dict[str, list[float]] = {which: [] for which in SETS}
    for train, test in site_splits(pages, folds, seed):
        w = fitter(train)
        for which, value in score(stack(test, names), w).items():
            got[which].extend([value] * sum(1 for p in test if p.which == which))
    return {which: float(np.mean(v)) for which, v in got.items() if v}


def choose_shrink(pages: list[Page], names: list[str]) -> float:
    """The shrinkage whose fits score best on held-out sites of `pages` (the larger one on a tie).

    The 79 news pages alone are too few to fit 30 weights without it; how much
    is right is itself a fit, so it is chosen on the training pages only.
    """
    results = {}
    for shrink in SHRINKS:
        got = held_out(
            pages,
            names,
            INNER_FOLDS,
            SEED + INNER_SEED,
            lambda train, shrink=shrink: fit(stack(train, names), len(names), shrink),
        )
        results[shrink] = sum(SET_WEIGHT[k] * v for k, v in got.items())
    return max(results, key=lambda shrink: (results[shrink], shrink))


def fit_pages(pages: list[Page], names: list[str]) -> np.ndarray:
    """Weights fitted on `pages` with the shrinkage an inner cross-validation on them chose."""
    return fit(stack(pages, names), len(names), choose_shrink(pages, names))


def cross_validated(pages: list[Page], names: list[str], seed: int = SEED) -> dict[str, float]:
    """Mean F1 of each page picked with weights fitted on the other folds only.

    Folds are split by site: every page of a site is held out together, so a
    site's own headline habits never help score that site; the shrinkage is
    chosen again inside each fold's training pages.
    """
    return held_out(pages, names, FOLDS, seed, lambda train: fit_pages(train, names))


def title_parts(gold: str) -> tuple[str, str] | None:
    """(headline, site) of a gold shaped like an HTML <title>: 'Headline | Site', 'Site - Headline'.

    The site is the shorter of the end after the last separator and the end
    before the first, if it is no longer than a site name; a colon is taken
    only in a gold without a spaced dash or bar, since headlines use colons
    themselves ('Rates: what rises next - Daily Post'). None when the gold has
    no such end.
    """
    cuts = next((c for c in (list(sep.finditer(gold)) for sep in TITLE_SEPARATORS) if c), [])
    if not cuts:
        return None
    last, first = cuts[-1], cuts[0]
    options = [
        (gold[: last.start()].strip(), gold[last.end() :].strip()),
        (gold[first.end() :].strip(), gold[: first.start()].strip()),
    ]
    fits = [(h, s) for h, s in options if h and s and len(s.split()) <= SITE_WORDS]
    return min(fits, key=lambda option: len(option[1].split())) if fits else None


def best_line_f1(page: Page, token_f1: Callable[[str | None, str | None], float]) -> float:
    """The best F1 of any line of the dump, candidate or not, read as a headline."""
    return max(
        (token_f1(page.gold, titles.headline_text(line)) for line in page.lines), default=0.0
    )


def headline_present(page: Page, token_f1: Callable[[str | None, str | None], float]) -> bool:
    """Whether the gold is '<headline> | <site>' and the headline part is a line of the dump."""
    parts = title_parts(page.gold)
    if parts is None:
        return False
    return any(token_f1(parts[0], titles.headline_text(line)) >= GOOD_F1 for line in page.lines)


def best_rebuilt_f1(page: Page, token_f1: Callable[[str | None, str | None], float]) -> float:
    """The best F1 of a candidate alone or joined as 'candidate | site' to a short line of the dump.

    Only short lines sharing a word with the gold can raise the F1, so only
    those are tried as the site name.
    """
    wanted = set(WORD.findall(page.gold.lower()))
    sites = {
        line.strip()
        for line in page.lines
        if len(line.split()) <= SITE_WORDS and wanted & set(WORD.findall(line.lower()))
    }
    best = max(page.f1, default=0.0)
    for text in page.texts:
        for site in sites:
            if site != text:
                best = max(best, token_f1(page.gold, f"{text} | {site}"))
    return best


def show_ceiling(pages: list[Page], token_f1: Callable[[str | None, str | None], float]) -> None:
    """What the lines of the dumps allow at best, per set: the ceiling of any headline picker."""
    for which in SETS:
        subset = [p for p in pages if p.which == which]
        if not subset:
            continue
        no_candidate = [p for p in subset if max(p.f1, default=0.0) < GOOD_F1]
        any_line = [best_line_f1(p, token_f1) for p in subset]
        shaped = [p for p in subset if headline_present(p, token_f1)]
        print(
            f"{which}: {len(subset)} pages; no candidate line with title F1 >= {GOOD_F1}: "
            f"{len(no_candidate)}, no line at all: {sum(f < GOOD_F1 for f in any_line)}; "
            f"gold '<headline> | <site>' with the headline a line: {len(shaped)} "
            f"({sum(1 for p in shaped if p in no_candidate)} of them among the {len(no_candidate)})"
        )
        best = np.mean([max(p.f1, default=0.0) for p in subset])
        rebuilt = np.mean([best_rebuilt_f1(p, token_f1) for p in subset])
        print(
            f"{which}: always the best candidate {best:.4f}, the best line of the dump "
            f"{np.mean(any_line):.4f}, the best candidate or 'candidate | site line' {rebuilt:.4f}"
        )


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
    ap.add_argument(
        "--ceiling",
        action="store_true",
        help="only report what the dumps' lines allow at best, and fit nothing",
    )
    args = ap.parse_args()
    names = list(titles.WEIGHTS)
    pages = collect(args.bench)
    if not pages:
        sys.exit(f"no dumps with a gold title under {args.bench}")
    if args.ceiling:
        show_ceiling(pages, load_token_f1(args.bench))
        return 0
    for which in SETS:
        subset = [p for p in pages if p.which == which]
        if subset:
            n = sum(len(p.clues) for p in subset)
            oracle = np.mean([max(p.f1, default=0.0) for p in subset])
            print(f"{which}: {len(subset)} pages, {n} candidates, best line F1 {oracle:.4f}")
    data = stack(pages, names)
    current = np.array([titles.WEIGHTS[n] for n in names])
    show("committed WEIGHTS, in-sample", score(data, current))
    shrink = choose_shrink(pages, names)
    w = fit(data, len(names), shrink)
    show(f"fitted (shrink {shrink:g}), in-sample", score(data, w))
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
