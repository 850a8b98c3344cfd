"""Publication dates: presswash against htmldate (fast and extensive) on the same pages.

Usage (from the repo root):
    uv run --group bench python bench/dates_eval.py [--set html|modern|both] [--bench DIR]
        [--with-url] [--sides presswash,htmldate-fast,htmldate-extensive] [--misses FILE]

Every side gets the same decoded page (and, with --with-url, the gold URL);
a date is right when it names the gold day, as in `extraction.py`. Besides
the share right, each side's dates on pages whose gold has none are counted
(a date the page may not state), and the CPU seconds of the date finding
alone (process time, so other jobs on the machine do not inflate it). The
misses of the first side are written as JSON lines, with where presswash
took its date from, to group them by cause.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import DEFAULT_BENCH, decode, page_key, read_page

_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")

Finder = Callable[[str, str | None], tuple[str | None, str | None]]


def presswash_side() -> Finder:
    """presswash's metadata reader alone: the tree is parsed as the extractor parses it."""
    from presswash.parsers.html.extract import reopen_body
    from presswash.parsers.html.metadata import read_metadata
    from presswash.parsers.html.tree import parse_html

    def run(html: str, url: str | None) -> tuple[str | None, str | None]:
        root = parse_html(reopen_body(html))
        if root is None:
            return None, None
        meta = read_metadata(root, url)
        return meta.published_at, getattr(meta, "published_at_source", None)

    return run


def htmldate_side(extensive: bool) -> Finder:
    from htmldate import find_date

    def run(html: str, url: str | None) -> tuple[str | None, str | None]:
        return find_date(html, url=url, extensive_search=extensive, original_date=True), None

    return run


SIDES: dict[str, Callable[[], Finder]] = {
    "presswash": presswash_side,
    "htmldate-fast": lambda: htmldate_side(False),
    "htmldate-extensive": lambda: htmldate_side(True),
}


def load(folder: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(key, decoded page, gold) for every page of a bench folder with gold."""
    pages = []
    for path in sorted((folder / "html").iterdir()):
        gold_file = folder / "gold" / f"{page_key(path)}.json"
        if gold_file.exists():
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            pages.append((page_key(path), decode(read_page(path)), gold))
    return pages


def run_side(
    find: Finder, pages: list[tuple[str, str, dict[str, Any]]], with_url: bool
) -> tuple[dict[str, tuple[str | None, str | None]], float]:
    """Each page's date and source, and the CPU seconds spent finding them."""
    found: dict[str, tuple[str | None, str | None]] = {}
    spent = 0.0
    for key, html, gold in pages:
        url = gold.get("url") if with_url else None
        start = time.process_time()
        try:
            found[key] = find(html, url)
        except Exception as exc:  # a crash is a result too: no date
            found[key] = (None, f"error {exc!r}")
        spent += time.process_time() - start
    return found, spent


def figures(
    found: dict[str, tuple[str | None, str | None]], pages: list[tuple[str, str, dict[str, Any]]]
) -> tuple[int, int, int, int]:
    """(right, pages with a gold date, dates given where gold has none, pages without)."""
    right = dated = invented = undated = 0
    for key, _, gold in pages:
        want = gold.get("published")
        got = _DAY.match(str(found[key][0] or ""))
        if want:
            dated += 1
            right += bool(got and want.startswith(got.group(1)))
        else:
            undated += 1
            invented += bool(got)
    return right, dated, invented, undated


def misses(
    name: str,
    found: dict[str, tuple[str | None, str | None]],
    pages: list[tuple[str, str, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The pages with a gold date that a side gets wrong or misses."""
    out = []
    for key, _, gold in pages:
        want = gold.get("published")
        got, source = found[key]
        if want and not (got and want.startswith(got[:10])):
            out.append(
                {"set": name, "page": key, "gold": want, "got": got, "source": source,
                 "url": gold.get("url"), "type": gold.get("page_type")}
            )  # fmt: skip
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--set", choices=["html", "modern", "both"], default="both")
    ap.add_argument("--sides", default="presswash,htmldate-fast,htmldate-extensive")
    ap.add_argument("--with-url", action="store_true", help="give every side the gold URL")
    ap.add_argument("--misses", type=Path, help="write the first side's misses here (JSONL)")
    args = ap.parse_args()
    sets = {"html": [args.bench], "modern": [args.bench / "modern"]}.get(
        args.set, [args.bench, args.bench / "modern"]
    )
    sides = [s.strip() for s in args.sides.split(",") if s.strip()]
    print(f"{'set':<8} {'side':<20} {'right':>12} {'share':>6} {'no gold':>9} {'CPU ms/page':>12}")
    missed: list[dict[str, Any]] = []
    for folder in sets:
        name = "79" if folder == args.bench else folder.name
        pages = load(folder)
        for side in sides:
            find = SIDES[side]()
            find(pages[0][1], None)  # warm-up: imports and lazy tables are not date finding
            found, spent = run_side(find, pages, args.with_url)
            right, dated, invented, undated = figures(found, pages)
            print(
                f"{name:<8} {side:<20} {f'{right}/{dated}':>12} {right / dated:>6.3f} "
                f"{f'{invented}/{undated}':>9} {1000 * spent / len(pages):>12.2f}"
            )
            if side == sides[0]:
                missed.extend(misses(name, found, pages))
    if args.misses:
        args.misses.write_text(
            "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in missed), encoding="utf-8"
        )
    print("misses by source:", dict(Counter(str(m["source"]) for m in missed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
