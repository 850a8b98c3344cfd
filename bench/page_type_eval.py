"""How well the page-type step names the bench pages, in sample and across sites, and its cost.

Usage (from the repo root):
    uv run python bench/page_type_eval.py [--bench DIR] [--cache FILE] [--no-cv]

For BENCH/modern (gold `page_type`, `blog` counted as `article`), per path
(HTML through `extract_html`, text dumps through `clean_textdump` and
`text_evidence`, neither given a URL; `textdump_url`: the same dumps with
the gold URL, as a text export gives it):

- in sample: the shipped model (`parsers/data/page_types.json`) through the
  pipeline's own `classify` on every page it was fitted on;
- site-split cross-validation: `scripts/fit_page_types.py`'s procedure, each
  of its folds typed by a model and article margin fitted on the other
  folds' sites alone;

each as article recall, accuracy and the confusion matrix. Then the dev pages
(BENCH/html, BENCH/textdump: news articles, none used in the fit) typed
`article`, and the CPU cost per page of the step beyond extraction (the
evidence read and the model), best of three rounds on one core.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np

from presswash.parsers.decode import decode_bytes
from presswash.parsers.html import extract_html
from presswash.parsers.html.tree import parse_html
from presswash.parsers.pagetype import (
    PAGE_TYPES,
    classify,
    html_evidence,
    load_models,
    text_evidence,
)
from presswash.parsers.textdump import clean_textdump
from presswash.schemas.document import Extracted

REPO = Path(__file__).resolve().parents[1]


def load_fitter() -> ModuleType:
    """`scripts/fit_page_types.py` as a module, for its rows, folds, model and report."""
    spec = importlib.util.spec_from_file_location(
        "fit_page_types", REPO / "scripts" / "fit_page_types.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fit_page_types"] = module
    spec.loader.exec_module(module)
    return module


def _html_text(raw: bytes) -> str:
    decoded = decode_bytes(raw)
    return decoded.text if hasattr(decoded, "text") else raw.decode("utf-8", "replace")


def in_sample(fit: ModuleType, rows: list[dict], path: str) -> None:
    """The shipped model's own decisions on the pages it was fitted on."""
    model = load_models()[path]
    y = np.array([PAGE_TYPES.index(row["type"]) for row in rows])
    predicted = np.array([PAGE_TYPES.index(model.decide(model.scores(row[path]))) for row in rows])
    fit.report(f"{path} in-sample, shipped model (margin {model.margin:.2f})", y, predicted)


def dev_pages(bench: Path) -> None:
    """Share of the dev pages (news articles, unseen by the fit) typed `article`."""
    pages = sorted((bench / "html").glob("*.html"))
    html = sum(classify(extract_html(_html_text(p.read_bytes()))).name == "article" for p in pages)
    dumps = sorted((bench / "textdump").glob("*.txt"))
    typed = 0
    for dump in dumps:
        text = dump.read_text(encoding="utf-8")
        found = clean_textdump(text)
        found.page_evidence = text_evidence(text)
        typed += classify(found).name == "article"
    print(f"\ndev pages typed article: HTML {html}/{len(pages)}, dumps {typed}/{len(dumps)}")


def _best(run: Callable[[], object], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def cost(bench: Path, limit: int = 200) -> None:
    """CPU per page of the evidence read and the model, beyond what extraction costs."""
    pages = sorted((bench / "modern" / "html").glob("*.html.gz"))[:limit]
    texts = [_html_text(gzip.decompress(p.read_bytes())) for p in pages]
    roots = [parse_html(t) for t in texts]
    found = [extract_html(t) for t in texts]
    evidence = _best(lambda: [html_evidence(r) for r in roots if r is not None])
    model = _best(lambda: [classify(f) for f in found])
    dumps = [(bench / "modern" / "textdump" / f"{p.name.split('.')[0]}.txt") for p in pages]
    dump_texts = [d.read_text(encoding="utf-8") for d in dumps]
    dump_found: list[Extracted] = [clean_textdump(t) for t in dump_texts]
    dump_evidence = _best(lambda: [text_evidence(t) for t in dump_texts])
    for f, t in zip(dump_found, dump_texts, strict=True):
        f.page_evidence = text_evidence(t)
    dump_model = _best(lambda: [classify(f) for f in dump_found])
    n = len(pages)
    print(f"\nCPU per page over {n} pages: HTML evidence {evidence / n * 1e3:.2f} ms + model "
          f"{model / n * 1e3:.2f} ms; dump evidence {dump_evidence / n * 1e3:.2f} ms + model "
          f"{dump_model / n * 1e3:.2f} ms")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    ap.add_argument("--cache", type=Path, default=None, help="feature rows, as the fit keeps")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = ap.parse_args(argv)
    fit = load_fitter()
    rows = fit.load_rows(args.bench, args.cache)
    for path in fit.PATHS:
        in_sample(fit, rows, path)
        if not args.no_cv:
            names = sorted({name for row in rows for name in row[path]})
            x = fit.matrix(rows, path, names)
            y = np.array([PAGE_TYPES.index(row["type"]) for row in rows])
            sites = [row["site"] for row in rows]
            predicted = fit.cross_validate(x, y, sites, len(PAGE_TYPES), fit.SHRINK[path], 0,
                                           fit.MIN_SITES[path])  # fmt: skip
            fit.report(f"{path} site-split {fit.FOLDS}-fold CV", y, predicted)
    dev_pages(args.bench)
    cost(args.bench)
    return 0


if __name__ == "__main__":
    sys.exit(main())
