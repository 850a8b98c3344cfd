"""What the output folder has learned about each source's repeated lines.

Kept in the state database so that it outlives the run: a page cleaned
alone later meets the same boilerplate list as it did in its batch, and a
re-run of the same pages counts nothing twice (pages are known by the
sha256 of their bytes), so it gives the same records.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from presswash.parsers.sitelines import boilerplate_keys


def known_pages(conn: sqlite3.Connection, site: str) -> frozenset[str]:
    rows = conn.execute("SELECT page FROM site_pages WHERE site = ?", (site,))
    return frozenset(page for (page,) in rows)


def add_pages(
    conn: sqlite3.Connection, site: str, pages: Iterable[tuple[str, frozenset[str]]], cap: int
) -> int:
    """Count the line keys of pages not seen before, until the site has `cap` pages; how many."""
    have = page_count(conn, site)
    added = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for page, keys in pages:
            if have + added >= cap:
                break
            inserted = conn.execute(
                "INSERT OR IGNORE INTO site_pages (site, page) VALUES (?, ?)", (site, page)
            ).rowcount
            if not inserted:
                continue
            added += 1
            conn.executemany(
                "INSERT INTO site_lines (site, key, pages) VALUES (?, ?, 1) "
                "ON CONFLICT (site, key) DO UPDATE SET pages = pages + 1",
                ((site, key) for key in keys),
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return added


def page_count(conn: sqlite3.Connection, site: str) -> int:
    return conn.execute("SELECT COUNT(*) FROM site_pages WHERE site = ?", (site,)).fetchone()[0]


def site_boilerplate(conn: sqlite3.Connection, site: str, min_share: float) -> frozenset[str]:
    """The line keys that are boilerplate of `site` by what has been learned so far."""
    pages = page_count(conn, site)
    rows = conn.execute("SELECT key, pages FROM site_lines WHERE site = ? AND pages > 1", (site,))
    return boilerplate_keys(dict(rows.fetchall()), pages, min_share)
