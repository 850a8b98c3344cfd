"""Fit the page-type models (`presswash/parsers/data/page_types.json`) and cross-validate them.

Usage (from the repo root):
    uv run python scripts/fit_page_types.py [--bench DIR] [--cache FILE] [--errors]
        [--deals N] [--write]

Every page of BENCH/modern (gold `page_type`; its one `blog` page counts as
`article`) is read twice, as the pipeline reads it: the HTML through
`extract_html` (no URL given: the page's own canonical link is all it has)
and the text dump through `clean_textdump` with `text_evidence` of the whole
dump (no URL either: a dump file has none), and the same dump again with
the gold URL, as a text export's record gives it (path `textdump_url`: the
URL's path words, which the dump model without it cannot weigh).
`page_features` of each gives one row per page and path; a model per path
is fitted on its rows.

The HTML is read a second time with the gold URL (path `html_url`, as a
WARC record or an export gives it), reported but not stored: 744 of the
820 pages name their own canonical URL, so the HTML rows already carry the
URL's cues on all but 76, and a model fitted on rows with the URL did
worse under site-split CV than the `html` model (0.798 against 0.807
accuracy, both at article recall 0.983). The pipeline passes the URL it
has to `extract_html`, so the `html` model reads it on every page anyway:
the line `html model, pages read with the URL` is that case, the `html`
model's CV folds typing the `html_url` rows.

URL cues tried under the same site-split CV and not kept (`html` accuracy at
article recall 0.983 against 0.807; `textdump_url`, every cue weighed, 0.715
at 0.986): the
host's labels left of the registrable domain (`docs.`, `forum.`, `blog.`)
read by the path-word groups, as features of their own (0.806; 0.726) or as
more path words (0.807; 0.722); a naive-Bayes log-odds per type over the
URL's path segments and host labels (tokens on two sites or more), learned
on the training folds with out-of-fold values for the training rows and
stacked as one feature per type (0.800; 0.713); less L2 shrinkage for the
URL features (0.3: 0.773) or for the path-word groups alone (0.5: 0.794),
or more (1.5: 0.801); and a margin per type chosen on the inner CV (0.806
at article recall 0.975). A decisive URL word also marks some articles
(`/learn/`, `/post/`), and the margin that keeps 0.985 of them grows with
its weight.

A dump model weighs only the cues set on pages of MIN_SITES sites or more
(chosen on the training folds alone in the CV): lightly shrunk, it gave
weights to title and URL words of a handful of sites, and weighing every cue
typed 0.633 of the dumps right and 0.715 of those with a URL (0.614 and
0.716 on average over six other deals). The `html` model, shrunk ten times
more, loses with it (0.792 on average over the deals at 5 sites, 0.786 at
15, against 0.794).

The model is a multinomial logistic regression over standardised features,
fitted by full-batch gradient descent with L2 shrinkage (SHRINK, per path)
and classes weighted by the inverse square root of their size, deterministic
from zero. An article
must never be lost to a wrong guess, so a page is typed `article` unless
another type beats it by a margin, chosen as the smallest that keeps
TARGET_RECALL of the articles in a site-split cross-validation of the
training pages themselves.

It prints, per path, the in-sample figures (fit and margin on all pages) and
the site-split cross-validated figures: FOLDS folds, pages grouped by site
(the gold URL's registrable domain, so no site is in train and test), each
fold typed by a model and a margin fitted on the other folds alone. `--write`
stores the all-pages models; `--cache FILE` keeps the feature rows between
runs (delete it after changing a cue); `--errors` lists each path's
site-split CV errors (page, gold type, predicted type, gold URL), the
material to look for a general cue in. `--deals N` runs the same nested
CV on N other partitions of the sites into folds (the sites of one size
shuffled by a seed before they are dealt) and prints the mean and spread
of the accuracy: on the `html` path it moves by more than a point from one
deal to another, so a change of cue is judged by its gain deal by deal
(the same deals before and after), not by deal 0 alone. The fits are small matrix products:
with `OPENBLAS_NUM_THREADS=1` in the environment they take several times less
CPU time than when BLAS threads wait for each other on a busy machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from presswash.parsers.decode import decode_bytes
from presswash.parsers.html import extract_html
from presswash.parsers.pagetype import PAGE_TYPES, WEIGHTS_FILE, page_features, text_evidence
from presswash.parsers.textdump import clean_textdump

REPO = Path(__file__).resolve().parents[1]
PATHS = ("html", "textdump", "textdump_url")
# Fitted and cross-validated for the report only, not stored: see the module's docstring.
REPORTED = ("html_url",)
FOLDS = 5
INNER_FOLDS = 4
TARGET_RECALL = 0.985
STEP = 0.5
ROUNDS = 600
# L2 shrinkage per path: the HTML path's many markup cues need more (site-split CV).
SHRINK = {"html": 1.0, "html_url": 1.0, "textdump": 0.1, "textdump_url": 0.1}
# A feature is weighed only if it is set on pages of at least this many sites: the dump
# models, lightly shrunk, fitted weights to words of a handful of sites (site-split CV).
MIN_SITES = {"html": 1, "html_url": 1, "textdump": 15, "textdump_url": 15}
MAX_MARGIN = 8.0
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go"}
Rows = list[dict[str, Any]]


def site_of(url: str) -> str:
    """The registrable domain of a URL (its last two labels, three under co.uk and the like)."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def gold_type(gold: dict[str, Any]) -> str:
    kind = str(gold.get("page_type") or "other")
    return "article" if kind == "blog" else kind if kind in PAGE_TYPES else "other"


def page_rows(bench: Path) -> Rows:
    """One row per modern page: its site, gold type, and the features of both paths."""
    rows: Rows = []
    for gold_path in sorted((bench / "modern" / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        stem = gold_path.stem
        url = str(gold.get("url") or "") or None
        raw = gzip.decompress((bench / "modern" / "html" / f"{stem}.html.gz").read_bytes())
        decoded = decode_bytes(raw)
        html = decoded.text if hasattr(decoded, "text") else raw.decode("utf-8", "replace")
        dump = (bench / "modern" / "textdump" / f"{stem}.txt").read_text(encoding="utf-8")
        found = clean_textdump(dump)
        found.page_evidence = text_evidence(dump)
        rows.append(
            {
                "id": stem,
                "url": url or "",
                "site": site_of(str(gold.get("url") or stem)),
                "type": gold_type(gold),
                "html": page_features(extract_html(html)),
                "html_url": page_features(extract_html(html, url=url), url),
                "textdump": page_features(found),
                "textdump_url": page_features(found, url),
            }
        )
    return rows


def load_rows(bench: Path, cache: Path | None) -> Rows:
    if cache is not None and cache.is_file():
        return json.loads(cache.read_text(encoding="utf-8"))
    rows = page_rows(bench)
    if cache is not None:
        cache.write_text(json.dumps(rows), encoding="utf-8")
    return rows


def matrix(rows: Rows, path: str, names: Sequence[str]) -> np.ndarray:
    return np.array([[row[path].get(n, 0.0) for n in names] for row in rows], dtype=float)


def fit(x: np.ndarray, y: np.ndarray, k: int, shrink: float) -> dict[str, np.ndarray]:
    """Softmax regression on standardised x, classes weighted by 1/sqrt(size)."""
    centre = x.mean(axis=0)
    spread = x.std(axis=0)
    spread[spread == 0] = 1.0
    z = (x - centre) / spread
    sizes = np.bincount(y, minlength=k).astype(float)
    weight = 1.0 / np.sqrt(np.maximum(sizes, 1.0))
    sample = weight[y] / weight[y].sum()
    onehot = np.eye(k)[y]
    w = np.zeros((k, z.shape[1]))
    b = np.zeros(k)
    for _ in range(ROUNDS):
        logits = z @ w.T + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        err = (p - onehot) * sample[:, None]
        w -= STEP * (err.T @ z + shrink * w)
        b -= STEP * err.sum(axis=0)
    return {"centre": centre, "spread": spread, "weights": w, "bias": b}


def scores(model: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    z = (x - model["centre"]) / model["spread"]
    return z @ model["weights"].T + model["bias"]


def decide(s: np.ndarray, margin: float, article: int) -> np.ndarray:
    """Argmax, except `article` wherever its score is within `margin` of the best."""
    best = s.argmax(axis=1)
    keep = s[:, article] + margin >= s.max(axis=1)
    return np.where(keep, article, best)


def folds_of(sites: Sequence[str], n: int, deal: int = 0) -> list[np.ndarray]:
    """Page indices per fold, whole sites dealt round-robin by size (deterministic).

    Deal 0 breaks ties between sites of one size by name; any other deal
    shuffles them by that seed first, so the same procedure can be run on
    other partitions of the same sites.
    """
    by_site: dict[str, list[int]] = {}
    for i, site in enumerate(sites):
        by_site.setdefault(site, []).append(i)
    order = sorted(by_site)
    if deal:
        random.Random(deal).shuffle(order)
    order.sort(key=lambda s: -len(by_site[s]))
    buckets: list[list[int]] = [[] for _ in range(n)]
    for j, site in enumerate(order):
        buckets[j % n].extend(by_site[site])
    return [np.array(sorted(b), dtype=int) for b in buckets]


def cv_scores(
    x: np.ndarray,
    y: np.ndarray,
    sites: Sequence[str],
    n: int,
    k: int,
    shrink: float,
    deal: int = 0,
) -> np.ndarray:
    """Scores of every page from a model that never saw its site."""
    out = np.zeros((len(y), k))
    for test in folds_of(sites, n, deal):
        train = np.setdiff1d(np.arange(len(y)), test)
        out[test] = scores(fit(x[train], y[train], k, shrink), x[test])
    return out


def pick_margin(s: np.ndarray, y: np.ndarray, article: int) -> float:
    """The smallest margin (in steps of 0.05) keeping TARGET_RECALL of the articles."""
    is_article = y == article
    for margin in np.arange(0.0, MAX_MARGIN, 0.05):
        kept = decide(s[is_article], float(margin), article) == article
        if kept.mean() >= TARGET_RECALL:
            return float(margin)
    return MAX_MARGIN


def fit_with_margin(
    x: np.ndarray, y: np.ndarray, sites: Sequence[str], k: int, shrink: float, deal: int = 0
) -> dict[str, Any]:
    """A model on all given pages, and its margin from their own site-split CV."""
    model: dict[str, Any] = fit(x, y, k, shrink)
    inner = cv_scores(x, y, sites, INNER_FOLDS, k, shrink, deal)
    model["margin"] = pick_margin(inner, y, PAGE_TYPES.index("article"))
    return model


def common_columns(x: np.ndarray, sites: Sequence[str], min_sites: int) -> np.ndarray:
    """Which columns are set (non-zero) on pages of at least `min_sites` sites.

    A cue seen on a few sites only gets a weight that names those sites
    rather than a kind of page.
    """
    if min_sites <= 1:
        return np.ones(x.shape[1], dtype=bool)
    codes = np.unique(np.asarray(sites), return_inverse=True)[1]
    per_site = np.zeros((codes.max() + 1, x.shape[1]), dtype=bool)
    np.logical_or.at(per_site, codes, x != 0)
    return per_site.sum(axis=0) >= min_sites


def cross_validate(
    x: np.ndarray,
    y: np.ndarray,
    sites: Sequence[str],
    k: int,
    shrink: float,
    deal: int = 0,
    min_sites: int = 1,
) -> np.ndarray:
    """Site-split CV predictions: each fold typed by a model and margin fitted without it.

    The columns kept (`min_sites`) are chosen on the training folds alone, as
    the shipped model's are on all the pages.
    """
    predicted = np.zeros(len(y), dtype=int)
    article = PAGE_TYPES.index("article")
    for test in folds_of(sites, FOLDS, deal):
        train = np.setdiff1d(np.arange(len(y)), test)
        train_sites = [sites[i] for i in train]
        keep = common_columns(x[train], train_sites, min_sites)
        model = fit_with_margin(x[train][:, keep], y[train], train_sites, k, shrink, deal)
        predicted[test] = decide(scores(model, x[test][:, keep]), model["margin"], article)
    return predicted


def report(label: str, y: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Article recall, accuracy and the confusion matrix (rows gold, columns predicted)."""
    article = PAGE_TYPES.index("article")
    used = [i for i, _ in enumerate(PAGE_TYPES) if (y == i).any() or (predicted == i).any()]
    recall = float((predicted[y == article] == article).mean())
    accuracy = float((predicted == y).mean())
    kept = predicted == article
    precision = float((y[kept] == article).mean()) if kept.any() else 0.0
    print(f"\n{label}: article recall {recall:.3f}  accuracy {accuracy:.3f}  "
          f"article precision {precision:.3f}  pages {len(y)}")  # fmt: skip
    print(" " * 14 + "".join(f"{PAGE_TYPES[j][:6]:>7}" for j in used))
    for i in used:
        counts = [int(((y == i) & (predicted == j)).sum()) for j in used]
        print(f"{PAGE_TYPES[i]:>14}" + "".join(f"{c:>7}" for c in counts))
    return {"article_recall": recall, "accuracy": accuracy}


def cv_errors(rows: Rows, y: np.ndarray, predicted: np.ndarray) -> list[str]:
    """One line per page typed wrong: its id, gold and predicted types, and its gold URL.

    Sorted by gold type then page, so the errors of one kind read together.
    """
    wrong = [i for i in range(len(y)) if predicted[i] != y[i]]
    wrong.sort(key=lambda i: (int(y[i]), rows[i]["id"]))
    return [
        f"{rows[i]['id']}  {PAGE_TYPES[y[i]]:>13} -> {PAGE_TYPES[predicted[i]]:<13} "
        f"{rows[i].get('url', '')}"
        for i in wrong
    ]


def over_deals(
    x: np.ndarray,
    y: np.ndarray,
    sites: Sequence[str],
    k: int,
    shrink: float,
    deals: int,
    min_sites: int = 1,
) -> str:
    """The nested site-split CV run again on `deals` other partitions of the sites, summed up.

    Which sites share a fold moves the chosen margin, and with it the
    accuracy at the recall target, by as much as a change of cue does: a
    change is worth keeping if it gains on most deals, not on deal 0 alone.
    """
    article = PAGE_TYPES.index("article")
    accuracy, recall = [], []
    for deal in range(1, deals + 1):
        predicted = cross_validate(x, y, sites, k, shrink, deal, min_sites)
        accuracy.append(float((predicted == y).mean()))
        recall.append(float((predicted[y == article] == article).mean()))
    return (
        f"over {deals} other deals of sites to folds: accuracy mean {np.mean(accuracy):.3f} "
        f"(sd {np.std(accuracy):.3f}, {min(accuracy):.3f} to {max(accuracy):.3f}), article "
        f"recall mean {np.mean(recall):.3f} (lowest {min(recall):.3f}); accuracy per deal "
        + " ".join(f"{a:.3f}" for a in accuracy)
    )


def as_json(model: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    return {
        "types": list(PAGE_TYPES),
        "features": list(names),
        "centre": [round(float(v), 5) for v in model["centre"]],
        "spread": [round(float(v), 5) for v in model["spread"]],
        "weights": [[round(float(v), 4) for v in row] for row in model["weights"]],
        "bias": [round(float(v), 4) for v in model["bias"]],
        "margin": round(float(model["margin"]), 2),
    }


def run_path(rows: Rows, path: str, errors: bool = False, deals: int = 0) -> dict[str, Any]:
    """Fit, report in-sample and site-split CV figures, and return the model for one path."""
    names = sorted({name for row in rows for name in row[path]})
    x = matrix(rows, path, names)
    y = np.array([PAGE_TYPES.index(row["type"]) for row in rows])
    sites = [row["site"] for row in rows]
    k = len(PAGE_TYPES)
    started = time.process_time()
    keep = common_columns(x, sites, MIN_SITES[path])
    model = fit_with_margin(x[:, keep], y, sites, k, SHRINK[path])
    article = PAGE_TYPES.index("article")
    report(f"{path} in-sample (margin {model['margin']:.2f})",
           y, decide(scores(model, x[:, keep]), model["margin"], article))  # fmt: skip
    predicted = cross_validate(x, y, sites, k, SHRINK[path], 0, MIN_SITES[path])
    report(f"{path} site-split {FOLDS}-fold CV ({len(set(sites))} sites)", y, predicted)
    if deals:
        print(f"{path} {over_deals(x, y, sites, k, SHRINK[path], deals, MIN_SITES[path])}")
    if errors:
        print(f"\n{path} site-split CV errors:", *cv_errors(rows, y, predicted), sep="\n")
    print(f"({path}: fit and CV took {time.process_time() - started:.1f} s of CPU)")
    return as_json(model, [name for name, kept in zip(names, keep, strict=True) if kept])


def served_with_url(rows: Rows) -> None:
    """Site-split CV of the `html` model typing the pages read with their URL, as the pipeline
    reads a page whose URL it has."""
    names = sorted({name for row in rows for path in ("html", "html_url") for name in row[path]})
    plain, with_url = matrix(rows, "html", names), matrix(rows, "html_url", names)
    y = np.array([PAGE_TYPES.index(row["type"]) for row in rows])
    sites = [row["site"] for row in rows]
    k, article = len(PAGE_TYPES), PAGE_TYPES.index("article")
    predicted = np.zeros(len(y), dtype=int)
    for test in folds_of(sites, FOLDS):
        train = np.setdiff1d(np.arange(len(y)), test)
        model = fit_with_margin(plain[train], y[train], [sites[i] for i in train], k,
                                SHRINK["html"])  # fmt: skip
        predicted[test] = decide(scores(model, with_url[test]), model["margin"], article)
    report(f"html model, pages read with the URL, site-split {FOLDS}-fold CV", y, predicted)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--cache", type=Path, default=None, help="keep feature rows in this file")
    ap.add_argument("--errors", action="store_true", help="list each path's site-split CV errors")
    ap.add_argument("--deals", type=int, default=0, metavar="N",
                    help="run the CV again on N other deals of sites to folds")  # fmt: skip
    ap.add_argument("--write", action="store_true", help=f"store the models in {WEIGHTS_FILE}")
    args = ap.parse_args(argv)
    rows = load_rows(args.bench, args.cache)
    models = {path: run_path(rows, path, args.errors, args.deals) for path in PATHS}
    for path in REPORTED:
        run_path(rows, path, args.errors, args.deals)
    served_with_url(rows)
    if args.write:
        WEIGHTS_FILE.parent.mkdir(exist_ok=True)
        blob = {"fitted_by": "scripts/fit_page_types.py", "models": models}
        WEIGHTS_FILE.write_text(json.dumps(blob, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"\nwrote {WEIGHTS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
