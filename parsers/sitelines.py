"""Lines a site repeats page after page: counted over a sample of its pages, then dropped.

A footer, a disclaimer or a "Most viewed" heading can read like prose on one
page; what gives it away is that every page of the site carries it. The
runner counts, per source, on how many of its pages each line occurs (by
`line_key`, so spacing and case do not matter) and asks `boilerplate_keys`
which of them are boilerplate. Pure functions: the counts live in the
output folder's state, not here. The text-dump cleaner is imported only
where pages are read, so the process that commits a run does not load it.
"""

from __future__ import annotations

from collections.abc import Mapping

# Fewer pages than this share nothing meaningful: two copies of one story are not a site.
MIN_PAGES = 3
# A line longer than this is an article's paragraph, however often it is syndicated.
MAX_LINE_CHARS = 2_000


def page_line_keys(text: str) -> frozenset[str]:
    """The distinct pairs of neighbouring lines of one page, split exactly as the cleaner splits it.

    Pairs, not lines: in a folder that mixes sites, a line that many sites
    print ("Advertisement", "Share this") is on many pages, but each site
    puts it among its own neighbours, so it never adds up across sites.
    """
    from presswash.parsers.textdump import line_pairs, paragraph_lines  # where pages are read

    lines = paragraph_lines(text)
    pairs = line_pairs(lines)
    short = [len(line) <= MAX_LINE_CHARS for line in lines]
    edges = [True, *short, True]
    return frozenset(pair for j, pair in enumerate(pairs) if edges[j] and edges[j + 1])


def boilerplate_keys(
    page_counts: Mapping[str, int], pages: int, min_share: float
) -> frozenset[str]:
    """Keys on at least `min_share` of `pages` pages, and on `MIN_PAGES` at least."""
    if pages < MIN_PAGES:
        return frozenset()
    needed = max(MIN_PAGES, min_share * pages)
    return frozenset(key for key, count in page_counts.items() if count >= needed)
