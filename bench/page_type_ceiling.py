"""How far a page-level classifier can go on the modern bench's page types, and where it stops.

Usage (from the repo root; the strong models need the `bench` group's scikit-learn):
    uv run --group bench python bench/page_type_ceiling.py [--bench DIR] [--cache FILE]
        [--paths html,textdump]

The gold of BENCH/modern types 820 pages (`blog` counted as `article`). The
page-type model (`scripts/fit_page_types.py`) is asked for at least 0.98 of
the articles typed `article` and 0.90 of all pages typed right under
site-split cross-validation. This script measures what part of the gold no
page-level classifier can be expected to get right, and how far a stronger
learner than the shipped one goes on the same features. It prints:

1. Gold labels that contradict each other.
   - `same URL, two labels`: gold pages whose URL (host without `www.`, path
     without its trailing slash, query kept) is shared by pages of another
     gold type. `forced errors` is the number of those pages beyond each URL's
     most common label: a classifier that gives one page one answer gets at
     least that many wrong. `identical dumps` says how many of these URLs have
     the very same text dump under both labels (nothing on the page differs).
   - `same site and URL shape`: groups of pages of one site whose paths have
     the same shape (each segment kept as is, or read as `<n>` when it holds
     a number of 4 digits or more, `<slug>` when it is words joined by `-` or
     `_`, `<x>` when it is longer than 24 characters), holding two gold types
     or more. `forced errors (shape only)` counts the pages beyond each
     group's most common label: what a rule reading the site and URL shape
     alone must get wrong. `near-identical template` narrows each group to
     pages whose class and id words (the template's vocabulary) overlap by a
     Jaccard index of at least TEMPLATE_JACCARD, joined transitively; the
     forced errors there are pages of one site, one URL shape and one
     template that the gold still types differently, which only the wording
     of the page can tell apart, if anything can.
   The `bound` line is 1 minus the forced errors over all pages, for the URL
   conflicts alone, for URL conflicts plus same-template conflicts, and for
   identical dumps (the dump path without the URL).

2. Site-split CV accuracy without the article-recall constraint, per path
   (the fit script's rows: `html`, `html_url`, `textdump`, `textdump_url`),
   the fit script's FOLDS folds (whole sites dealt round-robin), for:
   - `linear`: the shipped model (multinomial logistic regression over the
     same standardised cues, the fit script's `fit` and SHRINK);
   - `boosted`: scikit-learn's HistGradientBoostingClassifier on the raw
     features, classes balanced;
   - `knn-K`: K nearest neighbours on standardised features, weighted by
     distance.
   Each prints `argmax` (the model's best type, no margin), `best margin`
   (the accuracy and article recall at the margin in favour of `article`
   that gives the highest CV accuracy, chosen on the CV scores themselves,
   so optimistic), `at recall 0.98` (the smallest margin of 0 or more that
   keeps 0.98 of the articles, also chosen on the CV scores; `nan` when
   none does), and for `linear` the
   shipped procedure (`nested`: margin fitted inside each training fold, as
   the fit script reports). Scores are log probabilities for the
   scikit-learn models and the softmax logits for `linear`, so a margin
   means the same odds ratio in both.

3. The confusion matrix under CV, rows the gold type and columns the one
   given, for the shipped procedure and for each model's argmax.

4. `no model right`: pages that every model above gets wrong under CV
   argmax, by gold type, per path and on any path. Its `oracle reach` is
   the accuracy of an oracle that picks, page by page, a model that is
   right: no classifier, but an upper mark for these learners on these
   features.

Nothing here is shipped: the strong models only say how much the features
hold, the conflicts how much the gold allows.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from page_type_eval import load_fitter  # a sibling script: bench/ is on the path

from presswash.parsers.decode import decode_bytes
from presswash.parsers.html.tree import parse_html
from presswash.parsers.pagetype import PAGE_TYPES

REPO = Path(__file__).resolve().parents[1]
# The fit script: its rows, folds, model, article margin and report are what is measured.
FIT = load_fitter()
TEMPLATE_JACCARD = 0.8
TARGET = 0.98
KNN = (5, 15)
_NUMBER = re.compile(r"\d{4,}")
_SLUG = re.compile(r"^[^\W_]+(?:[-_][^\W_]+)+$")
_CLASS_WORD = re.compile(r"[a-z][a-z0-9_-]{1,40}")
Scorer = Callable[[np.ndarray, np.ndarray, np.ndarray, int], np.ndarray]


def url_key(url: str) -> str:
    """A URL as the same page: host without `www.`, path without its trailing slash, query kept."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def path_shape(url: str) -> str:
    """The pattern of a URL's path: numbers, slugs and long tokens as placeholders."""
    shape = []
    for segment in (s for s in urlsplit(url.strip()).path.lower().split("/") if s):
        if _NUMBER.search(segment):
            shape.append("<n>")
        elif len(segment) > 24:
            shape.append("<x>")
        elif _SLUG.match(segment):
            shape.append("<slug>")
        else:
            shape.append(segment)
    return "/" + "/".join(shape)


def forced_errors(labels: Iterable[str]) -> int:
    """Pages beyond the most common label: the fewest errors one answer for all can make."""
    counts = Counter(labels)
    return sum(counts.values()) - max(counts.values(), default=0)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def template_clusters(
    words: Sequence[frozenset[str]], keys: Sequence[str], least: float
) -> list[list[int]]:
    """Indices joined when their word sets overlap by `least` (Jaccard) or their keys are
    equal (one URL), transitively."""
    parent = list(range(len(words)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            if keys[i] == keys[j] or jaccard(words[i], words[j]) >= least:
                parent[root(i)] = root(j)
    clusters: dict[int, list[int]] = {}
    for i in range(len(words)):
        clusters.setdefault(root(i), []).append(i)
    return list(clusters.values())


def template_words(html: bytes) -> frozenset[str]:
    """The class and id words of a page: its template's vocabulary."""
    decoded = decode_bytes(html)
    text = decoded.text if hasattr(decoded, "text") else html.decode("utf-8", "replace")
    root = parse_html(text)
    if root is None:
        return frozenset()
    values = root.xpath("//@class|//@id")
    return frozenset(_CLASS_WORD.findall(" ".join(map(str, values)).lower()))


def gold_pages(bench: Path, fit: ModuleType) -> list[dict[str, Any]]:
    """Each modern page's id, URL, site, gold type and text dump."""
    pages = []
    for gold_path in sorted((bench / "modern" / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        url = str(gold.get("url") or gold_path.stem)
        dump = (bench / "modern" / "textdump" / f"{gold_path.stem}.txt").read_bytes()
        pages.append({"id": gold_path.stem, "url": url, "site": fit.site_of(url),
                      "type": fit.gold_type(gold), "dump": dump})  # fmt: skip
    return pages


def load_templates(bench: Path, ids: Sequence[str], cache: Path | None) -> dict[str, list[str]]:
    """Template words per page, kept in `cache` between runs."""
    if cache is not None and cache.is_file():
        return json.loads(cache.read_text(encoding="utf-8"))
    html = bench / "modern" / "html"
    found = {
        i: sorted(template_words(gzip.decompress((html / f"{i}.html.gz").read_bytes())))
        for i in ids
    }
    if cache is not None:
        cache.write_text(json.dumps(found), encoding="utf-8")
    return found


def url_conflicts(pages: Sequence[dict[str, Any]]) -> int:
    """Print the URLs that carry two gold labels; return their forced errors."""
    by_url: dict[str, list[dict[str, Any]]] = {}
    for page in pages:
        by_url.setdefault(url_key(page["url"]), []).append(page)
    clashing = {u: ps for u, ps in by_url.items() if len({p["type"] for p in ps}) > 1}
    forced = sum(forced_errors(p["type"] for p in ps) for ps in clashing.values())
    same = sum(len({p["dump"] for p in ps}) == 1 for ps in clashing.values())
    repeated = sum(len(ps) > 1 for ps in by_url.values())
    print(f"same URL, two labels: {len(clashing)} of {repeated} URLs that occur more than once "
          f"({sum(map(len, clashing.values()))} pages), forced errors {forced}, "
          f"identical dumps {same}")  # fmt: skip
    for url, ps in sorted(clashing.items()):
        print(f"  {url}: " + ", ".join(f"{p['id']} {p['type']}" for p in ps))
    return forced


def dump_conflicts(pages: Sequence[dict[str, Any]]) -> int:
    """Print the identical text dumps that carry two gold labels; return their forced errors."""
    by_dump: dict[bytes, list[dict[str, Any]]] = {}
    for page in pages:
        by_dump.setdefault(page["dump"], []).append(page)
    clashing = [ps for ps in by_dump.values() if len({p["type"] for p in ps}) > 1]
    forced = sum(forced_errors(p["type"] for p in ps) for ps in clashing)
    empty = sum(len(p["dump"].strip()) == 0 for p in pages)
    print(
        f"identical dumps, two labels: {len(clashing)} dumps ({sum(map(len, clashing))} pages), "
        f"forced errors on a dump path without the URL {forced}; empty dumps {empty}"
    )
    return forced


def shape_conflicts(pages: Sequence[dict[str, Any]], templates: dict[str, list[str]]) -> int:
    """Print the site + URL-shape groups that carry two labels; return same-template errors.

    Pages of one URL count as one template, so the errors include the URL conflicts.
    """
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for page in pages:
        groups.setdefault((page["site"], path_shape(page["url"])), []).append(page)
    mixed = {k: ps for k, ps in groups.items() if len({p["type"] for p in ps}) > 1}
    by_shape = sum(forced_errors(p["type"] for p in ps) for ps in mixed.values())
    lines = []
    same_template = 0
    for (site, shape), ps in sorted(mixed.items()):
        words = [frozenset(templates.get(p["id"], ())) for p in ps]
        keys = [url_key(p["url"]) for p in ps]
        for cluster in template_clusters(words, keys, TEMPLATE_JACCARD):
            members = [ps[i] for i in cluster]
            errors = forced_errors(p["type"] for p in members)
            if errors:
                same_template += errors
                lines.append(f"  {site} {shape}: " + ", ".join(
                    f"{p['id']} {p['type']}" for p in members))  # fmt: skip
    print(f"same site and URL shape: {len(mixed)} groups with two labels or more "
          f"({sum(map(len, mixed.values()))} pages), forced errors (shape only) {by_shape}, "
          f"near-identical template (Jaccard >= {TEMPLATE_JACCARD}): {len(lines)} groups, "
          f"forced errors {same_template}")  # fmt: skip
    print("\n".join(lines))
    return same_template


def margin_sweep(s: np.ndarray, y: np.ndarray, article: int) -> dict[str, tuple[float, ...]]:
    """Accuracy and article recall at argmax, at the best margin, and at recall TARGET."""
    is_article = y == article

    def at(margin: float) -> tuple[float, float, float]:
        given = FIT.decide(s, margin, article)
        return margin, float((given == y).mean()), float((given[is_article] == article).mean())

    swept = [at(float(m) + 0.0) for m in np.round(np.arange(-4.0, 32.0, 0.05), 2)]
    best = max(swept, key=lambda r: (r[1], -abs(r[0])))
    enough = [r for r in swept if r[2] >= TARGET and r[0] >= 0]
    kept = min(enough, key=lambda r: r[0]) if enough else (float("nan"),) * 3
    plain = s.argmax(axis=1)
    argmax = (0.0, float((plain == y).mean()), float((plain[is_article] == article).mean()))
    return {"argmax": argmax, "best margin": best, f"at recall {TARGET}": kept}


def cv_scores(x: np.ndarray, y: np.ndarray, folds: list[np.ndarray], scorer: Scorer) -> np.ndarray:
    """Scores of every page by a model fitted on the other folds' sites."""
    out = np.zeros((len(y), len(PAGE_TYPES)))
    for test in folds:
        train = np.setdiff1d(np.arange(len(y)), test)
        out[test] = scorer(x[train], y[train], x[test], len(PAGE_TYPES))
    return out


def _full(proba: np.ndarray, classes: np.ndarray, k: int) -> np.ndarray:
    """Log probabilities over all k types (a type absent from training gets -inf-ish)."""
    out = np.full((proba.shape[0], k), -30.0)
    out[:, classes] = np.log(np.maximum(proba, 1e-13))
    return out


def boosted(train: np.ndarray, y: np.ndarray, test: np.ndarray, k: int) -> np.ndarray:
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.1, class_weight="balanced", random_state=0,
        early_stopping=False,
    )  # fmt: skip
    model.fit(train, y)
    return _full(model.predict_proba(test), model.classes_, k)


def knn(neighbours: int) -> Scorer:
    def score(train: np.ndarray, y: np.ndarray, test: np.ndarray, k: int) -> np.ndarray:
        from sklearn.neighbors import KNeighborsClassifier

        centre, spread = train.mean(axis=0), train.std(axis=0)
        spread[spread == 0] = 1.0
        model = KNeighborsClassifier(n_neighbors=neighbours, weights="distance")
        model.fit((train - centre) / spread, y)
        return _full(model.predict_proba((test - centre) / spread), model.classes_, k)

    return score


def linear(fit: ModuleType, shrink: float) -> Scorer:
    def score(train: np.ndarray, y: np.ndarray, test: np.ndarray, k: int) -> np.ndarray:
        return fit.scores(fit.fit(train, y, k, shrink), test)

    return score


def models_of(fit: ModuleType, path: str) -> dict[str, Scorer]:
    models: dict[str, Scorer] = {"linear": linear(fit, fit.SHRINK[path]), "boosted": boosted}
    models.update({f"knn-{n}": knn(n) for n in KNN})
    return models


def run_path(fit: ModuleType, rows: list[dict[str, Any]], path: str) -> np.ndarray:
    """Print the unconstrained CV figures and confusions of one path; return who got each right."""
    names = sorted({name for row in rows for name in row[path]})
    x = fit.matrix(rows, path, names)
    y = np.array([PAGE_TYPES.index(row["type"]) for row in rows])
    sites = [row["site"] for row in rows]
    folds = fit.folds_of(sites, fit.FOLDS)
    article = PAGE_TYPES.index("article")
    print(f"\n== {path}: {len(names)} features, {fit.FOLDS} site-split folds")
    nested = fit.cross_validate(x, y, sites, len(PAGE_TYPES), fit.SHRINK[path], 0,
                                fit.MIN_SITES[path])  # fmt: skip
    recall = float((nested[y == article] == article).mean())
    print(f"{'linear':>9} nested (shipped procedure): accuracy {(nested == y).mean():.3f}  "
          f"article recall {recall:.3f}")  # fmt: skip
    right = []
    confusions = [(f"{path} linear, shipped procedure", nested)]
    for label, scorer in models_of(fit, path).items():
        s = cv_scores(x, y, folds, scorer)
        for kind, (margin, accuracy, kept) in margin_sweep(s, y, article).items():
            print(f"{label:>9} {kind:<16} accuracy {accuracy:.3f}  article recall {kept:.3f}  "
                  f"(margin {margin:+.2f})")  # fmt: skip
        right.append(s.argmax(axis=1) == y)
        confusions.append((f"{path} {label}, argmax", s.argmax(axis=1)))
    for label, given in confusions:
        fit.report(label, y, given)
    return np.array(right).any(axis=0)


def main(argv: Sequence[str] | None = None) -> int:
    fit = FIT
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--cache", type=Path, default=None,
                    help="the fit script's feature rows; template words go beside it")  # fmt: skip
    paths = ",".join((*fit.PATHS, *fit.REPORTED))
    ap.add_argument("--paths", default=paths, help="comma-separated paths")
    args = ap.parse_args(argv)
    rows = fit.load_rows(args.bench, args.cache)
    pages = gold_pages(args.bench, fit)
    print("== gold labels that contradict each other")
    by_url = url_conflicts(pages)
    by_dump = dump_conflicts(pages)
    spare = args.cache.with_name(args.cache.name + ".templates") if args.cache else None
    templates = load_templates(args.bench, [p["id"] for p in pages], spare)
    by_template = shape_conflicts(pages, templates)
    n = len(pages)
    print(
        f"bound: URL conflicts alone {1 - by_url / n:.3f}; "
        f"URL or same-template conflicts {1 - by_template / n:.3f}; "
        f"dump paths without the URL, identical dumps {1 - by_dump / n:.3f} (pages {n})"
    )
    anyone = np.zeros(len(rows), dtype=bool)
    for path in args.paths.split(","):
        right = run_path(fit, rows, path)
        missed(f"no model right on {path}", rows, right)
        anyone |= right
    missed("\nno model right on any path", rows, anyone)
    return 0


def missed(label: str, rows: Sequence[dict[str, Any]], right: np.ndarray) -> None:
    """The pages no model typed right (CV argmax), by gold type."""
    wrong = Counter(row["type"] for row, ok in zip(rows, right, strict=True) if not ok)
    total = sum(wrong.values())
    print(
        f"{label} (CV argmax): {total} pages ({total / len(rows):.3f}), oracle reach "
        f"{1 - total / len(rows):.3f}: " + ", ".join(f"{t} {c}" for t, c in wrong.most_common())
    )


if __name__ == "__main__":
    sys.exit(main())
