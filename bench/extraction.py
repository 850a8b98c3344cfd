"""presswash's HTML extractor against trafilatura, on the same pages in the same run.

Usage (from the repo root):
    uv run --group bench python bench/extraction.py [--set html|modern] [--bench DIR]
        [--pages DIR --gold DIR] [--out DIR] [--sides presswash,trafilatura] [--limit N]
        [--product | --no-product]

Both sides get the same decoded text of each page (decoding is done once, before
any clock starts), so pages/s measures extraction alone, one page after another
on one core; CPU s is the process time those pages took, which a busy machine
skews less than wall time. Each side's records are written as
`OUT/<side>/articles/x.jsonl` and scored by the bench's own `score.py`, so the
figures are the ones anyone else would get from those files; date accuracy is
added here because the scorer does not measure it.

With `--product` (the default for `--set modern`) the same pages also go
through the product as users run it, `presswash clean PAGES --out
OUT/product`, and what it wrote is read back: its articles scored like the
sides above, its CPU time (user + system of its process tree) beside
trafilatura's, and every page whose gold `page_type` is `article` that it
rejected, duplicates listed apart (a lost article is a rejection for any other
reason; a duplicate may be a fair one).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = REPO.parent / "shared" / "bench"
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_PAGE_ENDINGS = (".html", ".htm", ".gz")

Record = dict[str, Any]
Extractor = Callable[[str], Record]


def read_page(path: Path) -> bytes:
    """The raw bytes of a page, gunzipped when the name says so."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def page_key(path: Path) -> str:
    """'0001.html.gz' -> '0001', the way score.py matches records to gold."""
    name = path.name
    for ending in (".gz", ".html", ".htm"):
        name = name.removesuffix(ending)
    return name


def decode(data: bytes) -> str:
    """The page's text as the pipeline would decode it (same input for both sides)."""
    from presswash.parsers.decode import Decoded, declared_charset, decode_bytes

    decoded = decode_bytes(data, declared=declared_charset(data))
    if isinstance(decoded, Decoded):
        return decoded.text
    return data.decode("utf-8", errors="replace")


def presswash_side() -> Extractor:
    from presswash.parsers.html import extract_html

    def run(html: str) -> Record:
        found = extract_html(html)
        return {
            "text": "\n".join(found.lines),
            "title": found.title,
            "authors": found.authors,
            "published_at": found.published_at,
            "language": found.language_hint,
        }

    return run


def trafilatura_side() -> Extractor:
    from trafilatura import bare_extraction

    def run(html: str) -> Record:
        doc = bare_extraction(html, favor_precision=True, with_metadata=True)
        if doc is None:
            return {"text": "", "title": None, "authors": [], "published_at": None}
        get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
        author = get("author") or ""
        return {
            "text": get("text") or "",
            "title": get("title"),
            "authors": [a.strip() for a in author.split(";") if a.strip()],
            "published_at": get("date"),
            "language": get("language"),
        }

    return run


SIDES: dict[str, Callable[[], Extractor]] = {
    "presswash": presswash_side,
    "trafilatura": trafilatura_side,
}


def run_side(
    extract: Extractor, pages: list[tuple[Path, str]]
) -> tuple[list[Record], float, float]:
    """Records for every page, and the wall and CPU seconds spent inside the extractor alone."""
    records: list[Record] = []
    spent = cpu = 0.0
    for path, html in pages:
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            rec = extract(html)
        except Exception as exc:  # a crash is a result too: an empty record
            rec = {"text": "", "title": None, "authors": [], "error": repr(exc)}
        spent += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        rec["source"] = {"uri": path.name}
        records.append(rec)
    return records, spent, cpu


def run_product(paths: list[Path], pages_dir: Path, out: Path) -> float:
    """`presswash clean` over these pages into OUT/product; its process tree's CPU seconds.

    A subset of the folder (`--limit`) is copied into a folder of its own
    first (the product does not follow links out of its input). The CLI
    runs as users run it: with PREFECT_API_URL as the environment has it.
    """
    folder = pages_dir
    if len(paths) < sum(1 for p in pages_dir.iterdir() if p.name.endswith(_PAGE_ENDINGS)):
        folder = out / "product-input"
        folder.mkdir(parents=True, exist_ok=True)
        for path in paths:
            shutil.copyfile(path, folder / path.name)
    script = Path(sys.executable).with_name("presswash")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "presswash.flows.cli"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [*command, "clean", str(folder), "--out", str(out / "product")],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=dict(os.environ),
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def read_rejections(product: Path) -> dict[str, Record]:
    """The product's rejection records, by page key."""
    found: dict[str, Record] = {}
    for path in sorted((product / "rejected").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                found[page_key(Path(rec["source"]["uri"]))] = rec
    return found


def lost_articles(
    gold: Path, keys: set[str], rejections: dict[str, Record]
) -> tuple[int, list, list]:
    """(gold articles run, those rejected for another reason than duplicate, the duplicates)."""
    articles, lost, duplicates = 0, [], []
    for path in sorted(gold.glob("*.json")):
        if path.stem not in keys:
            continue
        if json.loads(path.read_text(encoding="utf-8")).get("page_type") != "article":
            continue
        articles += 1
        rec = rejections.get(path.stem)
        if rec is not None:
            (duplicates if rec["reason"] == "duplicate" else lost).append((path.stem, rec))
    return articles, lost, duplicates


def report_product(
    bench: Path, gold: Path, keys: set[str], out: Path, cpu: float, trafilatura_cpu: float | None
) -> None:
    """What the product wrote: its scores, its CPU beside trafilatura's, the articles it lost."""
    figures = score(bench, gold, out / "product")
    rejections = read_rejections(out / "product")
    ratio = f", {cpu / trafilatura_cpu:.2f}x trafilatura's" if trafilatura_cpu else ""
    print(
        f"\npresswash clean (the product): CPU {cpu:.1f} s{ratio}; body F1 {figures['f1']:.3f} "
        f"P {figures['precision']:.3f} R {figures['recall']:.3f}, title "
        f"{figures['title_f1'] or 0:.3f}, byline {figures['byline_f1'] or 0:.3f}; "
        f"{len(rejections)} rejected"
    )
    articles, lost, duplicates = lost_articles(gold, keys, rejections)
    if not articles:
        return
    print(
        f"gold articles rejected for a reason but duplicate: {len(lost)} of {articles} "
        f"({100 * len(lost) / articles:.2f} %); as duplicates: {len(duplicates)}"
    )
    for key, rec in lost + duplicates:
        print(f"  {key:<12} {rec['reason']:<22} {rec.get('detail', '')[:90]}")


def write_records(records: list[Record], folder: Path) -> None:
    articles = folder / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    with (articles / "x.jsonl").open("w", encoding="utf-8") as out:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def score(bench: Path, gold: Path, pred: Path) -> dict[str, Any]:
    """score.py's figures for one side, read back from its --json output."""
    result = pred / "score.json"
    subprocess.run(
        [
            sys.executable,
            str(bench / "score.py"),
            "--gold",
            str(gold),
            "--pred",
            str(pred),
            "--json",
            str(result),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.read_text(encoding="utf-8"))


def date_figures(records: list[Record], gold: Path) -> tuple[float | None, int, int]:
    """(share of same-day dates where gold has one, dates given where gold has none, such pages)."""
    right, dated, invented, undated = 0, 0, 0, 0
    for rec in records:
        gold_file = gold / f"{page_key(Path(rec['source']['uri']))}.json"
        if not gold_file.exists():
            continue
        want = json.loads(gold_file.read_text(encoding="utf-8")).get("published")
        got = _DAY.match(str(rec.get("published_at") or ""))
        if want:
            dated += 1
            right += bool(got and want.startswith(got.group(1)))
        else:
            undated += 1
            invented += bool(got)
    return (right / dated if dated else None), invented, undated


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="the shared bench folder")
    ap.add_argument("--set", choices=["html", "modern"], default="html")
    ap.add_argument("--pages", type=Path, help="page folder (overrides --set)")
    ap.add_argument("--gold", type=Path, help="gold folder (overrides --set)")
    ap.add_argument("--out", type=Path, help="where records go (default: a temporary folder)")
    ap.add_argument("--sides", default="presswash,trafilatura")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument(
        "--product",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also run `presswash clean` on the pages (default: on for --set modern)",
    )
    args = ap.parse_args()

    base = args.bench if args.set == "html" else args.bench / "modern"
    pages_dir = args.pages or base / "html"
    gold_dir = args.gold or base / "gold"
    out = args.out or Path(tempfile.mkdtemp(prefix="presswash-extraction-"))
    paths = sorted(p for p in pages_dir.iterdir() if p.name.endswith(_PAGE_ENDINGS))
    if args.limit:
        paths = paths[: args.limit]
    pages = [(p, decode(read_page(p))) for p in paths]

    rows: list[tuple[str, dict[str, Any], float | None, int, int, float]] = []
    cpu: dict[str, float] = {}
    for side in [s.strip() for s in args.sides.split(",") if s.strip()]:
        extract = SIDES[side]()
        extract(pages[0][1])  # warm-up: imports and lazy tables are not extraction time
        records, spent, cpu[side] = run_side(extract, pages)
        write_records(records, out / side)
        figures = score(args.bench, gold_dir, out / side)
        accuracy, invented, undated = date_figures(records, gold_dir)
        rows.append((side, figures, accuracy, invented, undated, len(pages) / spent, cpu[side]))
    print_sides(rows, len(pages), pages_dir, gold_dir, out)
    if args.product if args.product is not None else args.set == "modern":
        product_cpu = run_product(paths, pages_dir, out)
        keys = {page_key(p) for p in paths}
        report_product(args.bench, gold_dir, keys, out, product_cpu, cpu.get("trafilatura"))
    return 0


def print_sides(rows: list, pages: int, pages_dir: Path, gold_dir: Path, out: Path) -> None:
    """One line of figures per side."""
    print(f"{pages} pages from {pages_dir}, gold {gold_dir}, records in {out}")
    header = (
        "side",
        "F1",
        "prec",
        "recall",
        "title",
        "byline",
        "date ok",
        "dates/no gold",
        "pages/s",
        "CPU s",
    )
    print("{:<12} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7} {:>13} {:>8} {:>7}".format(*header))
    for side, f, accuracy, invented, undated, speed, seconds in rows:
        print(
            f"{side:<12} {f['f1']:>6.3f} {f['precision']:>6.3f} {f['recall']:>6.3f} "
            f"{f['title_f1'] or 0:>6.3f} {f['byline_f1'] or 0:>6.3f} "
            f"{'-' if accuracy is None else f'{accuracy:.3f}':>7} "
            f"{f'{invented}/{undated}':>13} {speed:>8.1f} {seconds:>7.1f}"
        )


if __name__ == "__main__":
    sys.exit(main())
