"""Feeds and sitemaps from bytes: the links users get, and nothing a hostile feed slips in."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from presswash.fetching.discovery import (
    Link,
    feed_links,
    normalize_date,
    parse_discovery,
    sitemap_links,
)

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>The Gazette</title><link>https://news.test/</link>
<item><title>Budget approved</title><link>https://news.test/2024/budget</link>
  <pubDate>Wed, 07 Feb 2024 06:53:00 GMT</pubDate></item>
<item><title>Bridge repairs</title><guid isPermaLink="true">https://news.test/2024/bridge</guid>
  <pubDate>Fri, 15 Mar 2024 07:46:00 -0000</pubDate></item>
<item><title>Relative</title><link>/2024/storm</link></item>
<item><title>Script</title><link>javascript:alert(1)</link></item>
<item><title>Not a permalink</title><guid isPermaLink="false">tag:news.test,2024:1</guid></item>
<item><title>Twice</title><link>https://news.test/2024/budget</link></item>
</channel></rss>"""

ATOM = b"""  <?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
<link rel="self" href="https://blog.test/atom.xml"/>
<entry><title>One</title><link rel="enclosure" href="https://blog.test/one.mp3"/>
  <link rel="alternate" href="https://blog.test/one"/><published>2024-02-07T06:53:00Z</published>
  <updated>2024-02-08T00:00:00Z</updated></entry>
<entry><title>Two</title><link href="https://blog.test/two"/><updated>2024-03-01T10:00:00+01:00</updated>
</entry></feed>"""

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://news.test/a.html</loc><lastmod>2024-02-07</lastmod></url>
<url><loc> https://news.test/b.html </loc></url>
<url><loc>ftp://news.test/c.txt</loc></url>
</urlset>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.test/a.html</loc><lastmod>2024-02-09</lastmod>
<news:news><news:publication><news:name>The Gazette</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2024-02-07T06:53:00+00:00</news:publication_date>
<news:title>Budget approved</news:title></news:news></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.test/sitemap-1.xml</loc><lastmod>2024-12-31</lastmod></sitemap>
<sitemap><loc>https://news.test/sitemap-2.xml.gz</loc></sitemap>
</sitemapindex>"""


def test_rss_items_become_absolute_links_with_dates() -> None:
    found = parse_discovery(RSS, "https://news.test/feed.xml")
    assert found.kind == "feed" and found.error is None
    assert found.pages == [
        Link("https://news.test/2024/budget", "2024-02-07T06:53:00+00:00"),
        # "-0000" says the zone is unknown: a naive time, no invented offset
        Link("https://news.test/2024/bridge", "2024-03-15T07:46:00"),
        Link("https://news.test/2024/storm", None),
    ]


def test_atom_takes_the_alternate_link_and_the_published_date() -> None:
    assert feed_links(ATOM) == [
        Link("https://blog.test/one", "2024-02-07T06:53:00+00:00"),
        Link("https://blog.test/two", "2024-03-01T10:00:00+01:00"),
    ]


def test_sitemap_keeps_http_links_and_trims_them() -> None:
    assert sitemap_links(SITEMAP) == [
        Link("https://news.test/a.html", "2024-02-07"),
        Link("https://news.test/b.html", None),
    ]


def test_google_news_sitemap_prefers_the_publication_date() -> None:
    found = parse_discovery(NEWS_SITEMAP)
    assert found.kind == "sitemap"
    assert found.pages == [Link("https://news.test/a.html", "2024-02-07T06:53:00+00:00")]


def test_sitemap_index_lists_child_sitemaps_not_pages() -> None:
    found = parse_discovery(INDEX)
    assert found.kind == "sitemap_index" and found.pages == []
    assert [s.url for s in found.sitemaps] == [
        "https://news.test/sitemap-1.xml",
        "https://news.test/sitemap-2.xml.gz",
    ]


def test_gzipped_sitemap_is_inflated() -> None:
    assert sitemap_links(gzip.compress(SITEMAP))[0].url == "https://news.test/a.html"


def test_external_entities_are_never_resolved() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>https://news.test/&e;</loc></url>"
        b"<url><loc>https://news.test/ok</loc></url></urlset>"
    )
    found = parse_discovery(xxe)
    assert [p.url for p in found.pages] == ["https://news.test/ok"]
    assert "root:" not in repr(found)


def test_entity_expansion_bomb_is_inert() -> None:
    lol = b'<!ENTITY a0 "lollollollollollollollollollol">' + b"".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">'.encode() for i in range(1, 10)
    )
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [' + lol + b"]><rss><channel><item><link>"
    bomb += b"https://news.test/x&a9;</link></item></channel></rss>"
    started = time.perf_counter()
    found = parse_discovery(bomb)
    assert time.perf_counter() - started < 2
    assert found.kind == "feed"
    assert all("lol" not in page.url for page in found.pages)  # never expanded


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"\x00\xff\xfe garbage \x89PNG",
        b"<html><body><a href='https://x.test/'>a page, not a feed</a></body></html>",
        b"<urlset>" + b"<a>" * 50_000 + b"</a>" * 50_000 + b"</urlset>",
        b"<rss><channel><item><link>https://news.test/cut",
        gzip.compress(b"<urlset>", mtime=0)[:-6],  # the same bytes in every worker process
    ],
)
def test_garbage_never_raises(data: bytes) -> None:
    found = parse_discovery(data)
    assert found.pages == [] or found.kind != "unknown"
    assert found.sitemaps == []


def test_not_a_feed_says_why() -> None:
    found = parse_discovery(b"<html><body>hello</body></html>")
    assert found.kind == "unknown" and "html" in (found.error or "")


def test_link_count_is_capped() -> None:
    many = b"<urlset>" + b"".join(
        f"<url><loc>https://news.test/{i}</loc></url>".encode() for i in range(100)
    )
    found = parse_discovery(many + b"</urlset>", max_links=10)
    assert len(found.pages) == 10 and found.truncated


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-07", "2024-02-07"),
        ("2024-02-07T06:53:00Z", "2024-02-07T06:53:00+00:00"),
        ("2024-02-07T06:53:00+0100", "2024-02-07T06:53:00+01:00"),
        ("Wed, 07 Feb 2024 06:53:00 +0200", "2024-02-07T06:53:00+02:00"),
        ("yesterday", None),
        ("2024-13-45", None),
        (None, None),
    ],
)
def test_dates_are_iso_or_none(text: str | None, expected: str | None) -> None:
    assert normalize_date(text) == expected


_PEAK_SCRIPT = """
import json, sys
from presswash.fetching.discovery import parse_discovery
with open(sys.argv[1], "rb") as handle:
    data = handle.read()
found = parse_discovery(data, "https://news.test/sitemap.xml.gz")
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (pytest, which
# may hold hundreds of MB by then); VmHWM is this process's own high-water mark
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) * 1024
last = found.pages[-1].url if found.pages else None
note = getattr(found, "note", None)
print(json.dumps([found.kind, len(found.pages), found.truncated, last, peak, note]))
"""


def test_million_url_sitemap_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """A 2.5 MB gzipped sitemap of a million URLs: read up to the cap, never built whole.

    It once peaked at 712 MB, the whole tree built before the 50,000-link cap
    applied, and the cut went unreported. The parse runs in a process of its
    own so that its peak memory is its own.
    """
    path = tmp_path / "million.xml.gz"
    head = b'<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    with gzip.open(path, "wb", compresslevel=6) as handle:
        handle.write(head)
        for start in range(0, 1_000_000, 100_000):
            handle.write(
                b"".join(
                    b"<url><loc>https://news.test/%d</loc></url>\n" % n
                    for n in range(start, start + 100_000)
                )
            )
        handle.write(b"</urlset>\n")
    assert path.stat().st_size < 3 * 1024 * 1024
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    kind, links, truncated, last, peak, note = json.loads(done.stdout)
    assert peak < 150 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"
    assert (kind, links, truncated, last) == ("sitemap", 50_000, True, "https://news.test/49999")
    assert "more than 50,000 links" in note and "not read" in note
