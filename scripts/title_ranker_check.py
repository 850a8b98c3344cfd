"""Whether the headline picker is held back by its learner or by its clues.

Usage (from the repo root):
    OMP_NUM_THREADS=1 uv run python scripts/title_ranker_check.py [--bench DIR] [--repeats N]

(one thread: the trees are fitted 26 times per setting, and on a busy
machine their threads mostly wait for each other)

On the same clue rows and the same site folds as `fit_title_weights.py`
(cross-validation split by site, mean over N shuffles of the sites), the
shipped linear ranking fit is set beside two stronger learners, for analysis
only (neither is shipped):

- the linear ranking fit over the clues plus the pairwise products of its
  TOP_CLUES strongest clues (chosen on each fold's training pages by
  |weight| x spread), so that one clue may change what another is worth;
- a gradient-boosted tree classifier (scikit-learn's
  HistGradientBoostingClassifier), pointwise: "is this line the page's best
  candidate", its probability's argmax over a dump's candidates is the pick.

If neither beats the linear fit by a clear margin on held-out sites, the
clue set, not the learner, is what limits the pick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import numpy as np
from fit_title_weights import (
    FOLDS,
    REPO,
    SEED,
    SET_WEIGHT,
    SETS,
    Page,
    collect,
    fit_pages,
    site_splits,
    stack,
)
from sklearn.ensemble import HistGradientBoostingClassifier

from presswash.parsers import titles

TOP_CLUES = 8
# The trees: a few settings, none tuned on the held-out pages.
TREES = {
    "trees (200 x 15 leaves, rate 0.05)": {
        "max_iter": 200,
        "learning_rate": 0.05,
        "max_leaf_nodes": 15,
        "min_samples_leaf": 20,
    },
    "trees (100 x 7 leaves, rate 0.1)": {
        "max_iter": 100,
        "learning_rate": 0.1,
        "max_leaf_nodes": 7,
        "min_samples_leaf": 40,
    },
}

# A ranker learnt from training pages: it gives each candidate of a page a score, best first.
Scorer = Callable[[Page], np.ndarray]


def rows(page: Page, names: list[str]) -> np.ndarray:
    """A page's candidates as a matrix of its clues, in the order of `names`."""
    return np.array([[c[n] for n in names] for c in page.clues], dtype=float).reshape(
        len(page.clues), len(names)
    )


def pick_f1(pages: list[Page], scorer: Scorer) -> dict[str, list[float]]:
    """The F1 of each page's top-scored candidate (the first on a tie, as `pick_title` does)."""
    got: dict[str, list[float]] = {which: [] for which in SETS}
    for p in pages:
        got[p.which].append(p.f1[int(np.argmax(scorer(p)))] if p.clues else 0.0)
    return got


def cross_validated(
    pages: list[Page], learner: Callable[[list[Page]], Scorer], seed: int
) -> dict[str, float]:
    """Mean F1 per set of each page picked by a ranker learnt on the other folds' sites."""
    got: dict[str, list[float]] = {which: [] for which in SETS}
    for train, test in site_splits(pages, FOLDS, seed):
        for which, values in pick_f1(test, learner(train)).items():
            got[which].extend(values)
    return {which: float(np.mean(v)) for which, v in got.items() if v}


def linear(names: list[str]) -> Callable[[list[Page]], Scorer]:
    """The shipped fit: the listwise softmax ranking with its inner-CV shrinkage."""

    def learn(train: list[Page]) -> Scorer:
        w = fit_pages(train, names)
        return lambda p: rows(p, names) @ w

    return learn


def with_products(p: Page, pairs: list[tuple[str, str]]) -> Page:
    """The page with each candidate's clues extended by the products of `pairs` of clues."""
    clues = [{**c, **{f"{a}*{b}": c[a] * c[b] for a, b in pairs}} for c in p.clues]
    return Page(p.name, p.which, p.site, clues, p.f1)


def linear_products(names: list[str]) -> Callable[[list[Page]], Scorer]:
    """The linear fit over the clues and the products of the strongest ones, picked on `train`."""

    def learn(train: list[Page]) -> Scorer:
        w = fit_pages(train, names)
        spread = stack(train, names).x.std(axis=0)
        top = [names[j] for j in np.argsort(-np.abs(w) * spread)[:TOP_CLUES]]
        pairs = list(combinations(top, 2))
        wide = names + [f"{a}*{b}" for a, b in pairs]
        w2 = fit_pages([with_products(p, pairs) for p in train], wide)
        return lambda p: rows(with_products(p, pairs), wide) @ w2

    return learn


def trees(names: list[str], settings: dict[str, float]) -> Callable[[list[Page]], Scorer]:
    """Boosted trees, pointwise: each candidate labelled by whether it is its page's best.

    Pages whose candidates all miss the gold teach nothing and are left out, as
    in the ranking fit; each page weighs its set's share over the set's pages,
    as there.
    """

    def learn(train: list[Page]) -> Scorer:
        per_set = {w: sum(1 for p in train if p.which == w) for w in SETS}
        xs, ys, ws = [], [], []
        for p in train:
            best = max(p.f1, default=0.0)
            if best <= 0:
                continue
            xs.append(rows(p, names))
            ys.extend(f >= best for f in p.f1)
            ws.extend([SET_WEIGHT[p.which] / per_set[p.which]] * len(p.f1))
        model = HistGradientBoostingClassifier(**settings, early_stopping=False, random_state=0)
        model.fit(np.vstack(xs), np.array(ys), sample_weight=np.array(ws))
        return lambda p: model.predict_proba(rows(p, names))[:, 1]

    return learn


def report(label: str, pages: list[Page], learner: Callable[[list[Page]], Scorer], n: int) -> None:
    """In-sample and mean-of-n-shuffles cross-validated F1 of one learner, per set."""
    inside = {w: float(np.mean(v)) for w, v in pick_f1(pages, learner(pages)).items() if v}
    runs = [cross_validated(pages, learner, SEED + k) for k in range(n)]
    parts = []
    for which in SETS:
        values = [r[which] for r in runs if which in r]
        parts.append(
            f"{which} in-sample {inside[which]:.4f} cross-val {np.mean(values):.4f} "
            f"({min(values):.4f}..{max(values):.4f})"
        )
    print(f"{label:36s} " + "; ".join(parts), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--repeats", type=int, default=5, help="shuffles of the sites to average")
    args = ap.parse_args()
    names = list(titles.WEIGHTS)
    pages = collect(args.bench)
    if not pages:
        sys.exit(f"no dumps with a gold title under {args.bench}")
    print(f"{args.repeats} shuffles of the sites, {FOLDS} folds split by site")
    report("linear (shipped fit)", pages, linear(names), args.repeats)
    report(f"linear + products of top {TOP_CLUES}", pages, linear_products(names), args.repeats)
    for label, settings in TREES.items():
        report(label, pages, trees(names, settings), args.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
