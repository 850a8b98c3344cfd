"""What the output folder has learned about each source's repeated lines.

Kept in the state database so that it outlives the run: a page cleaned
alone later meets the same boilerplate list as it did in its batch, and a
re-run of the same pages counts nothing twice (pages are known by the
sha256 of their bytes), so it gives the same records.

Within a source, pages are counted per site: the host of the page's URL
where the input names one (an export record's `url`, a WARC target), one
group for the source's bare dumps otherwise. What is counted are pairs of
neighbouring lines (`sitelines.page_line_keys`). The tables are
`site_sample` and `site_pairs`; `site_pages` and `site_lines`, where 0.3.0
counted single lines for a whole source, are left as they are and no longer
read, so an older output folder samples its sources again on its next run.
`SiteSamples` is the part of `OutputState` (output/state.py) that holds them.
"""

from __future__ import annotations

from collections.abc import Iterable

from presswash.output.tables import Tables
from presswash.parsers.sitelines import boilerplate_keys

_SCHEMA = """
CREATE TABLE IF NOT EXISTS site_sample (
    site TEXT NOT NULL,
    grp TEXT NOT NULL,
    page TEXT NOT NULL,
    PRIMARY KEY (site, page)
);
CREATE TABLE IF NOT EXISTS site_pairs (
    site TEXT NOT NULL,
    grp TEXT NOT NULL,
    key TEXT NOT NULL,
    pages INTEGER NOT NULL,
    PRIMARY KEY (site, grp, key)
);
"""

# One page learned: (sha256 of its bytes, its site or "" when unknown, its pair keys).
LearnedPage = tuple[str, str, frozenset[str]]


class SiteSamples(Tables):
    """The `site_sample` and `site_pairs` tables, made when the first page is learned."""

    def _sites_ready(self) -> bool:
        """Whether the tables exist: a read-only reader of an older folder finds none."""
        row = self.conn.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'site_pairs'"
        ).fetchone()
        return bool(row[0])

    def known_pages(self, site: str) -> frozenset[str]:
        if not self._sites_ready():
            return frozenset()
        rows = self.conn.execute("SELECT page FROM site_sample WHERE site = ?", (site,))
        return frozenset(page for (page,) in rows)

    def add_pages(self, site: str, pages: Iterable[LearnedPage], cap: int) -> int:
        """Count the pair keys of pages not seen before, up to `cap` pages a source; how many."""
        self.conn.executescript(_SCHEMA)
        have = self.page_count(site)
        added = 0
        with self.transaction():
            for page, group, keys in pages:
                if have + added >= cap:
                    break
                inserted = self.conn.execute(
                    "INSERT OR IGNORE INTO site_sample (site, grp, page) VALUES (?, ?, ?)",
                    (site, group, page),
                ).rowcount
                if not inserted:
                    continue
                added += 1
                self.conn.executemany(
                    "INSERT INTO site_pairs (site, grp, key, pages) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (site, grp, key) DO UPDATE SET pages = pages + 1",
                    ((site, group, key) for key in keys),
                )
        return added

    def page_count(self, site: str) -> int:
        """Pages of the source learned from, all its sites together."""
        if not self._sites_ready():
            return 0
        return self.conn.execute(
            "SELECT COUNT(*) FROM site_sample WHERE site = ?", (site,)
        ).fetchone()[0]

    def site_boilerplate(self, site: str, min_share: float) -> frozenset[str]:
        """The pair keys that are boilerplate of some site of the source, by what was learned.

        Each site is judged on its own pages: a site with ten pages in a source of
        a thousand still has its footer found, and never lends it to the others.
        """
        if not self._sites_ready():
            return frozenset()
        sizes = dict(
            self.conn.execute(
                "SELECT grp, COUNT(*) FROM site_sample WHERE site = ? GROUP BY grp", (site,)
            ).fetchall()
        )
        found: set[str] = set()
        for group, pages in sorted(sizes.items()):
            rows = self.conn.execute(
                "SELECT key, pages FROM site_pairs WHERE site = ? AND grp = ? AND pages > 1",
                (site, group),
            )
            found |= boilerplate_keys(dict(rows.fetchall()), pages, min_share)
        return frozenset(found)
