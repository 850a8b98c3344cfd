"""Page URLs from feeds and sitemaps: RSS 2.0/1.0, Atom, sitemaps, sitemap indexes, Google News.

Pure: bytes in, links out. Users who fetch feeds with their own tools pass
the bytes here (USER-NEEDS #24), and `presswash fetch` does the same with
the bytes it fetched. A feed is written by someone else and is never
trusted: entities are not expanded, no DTD or network is loaded, lxml's
default size bounds stay on, gzip is inflated only to a limit, the number of
links is capped, and anything that is not an absolute http(s) URL is dropped.
"""

from __future__ import annotations

import email.utils
import re
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, NamedTuple
from urllib.parse import urljoin, urlsplit

from lxml import etree

Kind = Literal["feed", "sitemap", "sitemap_index", "unknown"]

MAX_LINKS = 50_000  # what the sitemap protocol allows in one file
MAX_BYTES = 64 * 1024 * 1024  # the protocol's 50 MB, with room
MAX_URL_CHARS = 4096

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_LEADING = b" \t\r\n\x00\xef\xbb\xbf"


class Link(NamedTuple):
    """A URL found, with the date the feed or sitemap gives for it (ISO 8601) if any."""

    url: str
    date: str | None


@dataclass(frozen=True, slots=True)
class Discovery:
    """What one feed or sitemap document holds: pages to fetch, or more sitemaps to read."""

    kind: Kind
    pages: list[Link] = field(default_factory=list)
    sitemaps: list[Link] = field(default_factory=list)
    truncated: bool = False
    error: str | None = None


def _local(tag: object) -> str:
    """An element's name without its namespace; comments and PIs have none."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _inflate(data: bytes, max_bytes: int) -> tuple[bytes, str | None]:
    """Sitemaps are often served as `.xml.gz` files; inflate them only up to the limit."""
    if not data.startswith(b"\x1f\x8b"):
        return data, None
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, max_bytes + 1)
    except zlib.error as exc:
        return b"", f"the gzip data is corrupt ({exc})"
    if len(out) > max_bytes:
        return b"", f"it inflates to more than {max_bytes:,} bytes"
    return out, None


def _parse(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        return etree.fromstring(data.lstrip(_LEADING), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _url(text: str | None, base_url: str | None) -> str | None:
    """An absolute http(s) URL, or None for anything a fetcher should not be handed."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > MAX_URL_CHARS or any(c in text for c in "\r\n\t "):
        return None
    try:
        url = urljoin(base_url, text) if base_url else text
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def normalize_date(text: str | None) -> str | None:
    """ISO 8601 from a W3C date (sitemaps, Atom) or an RFC 822 date (RSS); None if neither.

    An RFC 822 date with `-0000` or no zone says the zone is unknown, so it
    becomes a naive date-time: presswash never invents an offset.
    """
    if not text:
        return None
    text = text.strip()[:64]
    if _ISO.match(text):
        try:
            if len(text) == 10:
                return date.fromisoformat(text).isoformat()
            return datetime.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when.isoformat()


def _child(element: etree._Element, *names: str) -> etree._Element | None:
    for name in names:
        for child in element:
            if _local(child.tag) == name:
                return child
    return None


def _text(element: etree._Element | None) -> str | None:
    """An element's text; None when an entity it holds was left unexpanded (never guessed)."""
    if element is None or any(isinstance(c, etree._Entity) for c in element):
        return None
    return element.text


def _feed_item(item: etree._Element, base_url: str | None) -> Link | None:
    """The article link of an RSS <item> or Atom <entry>."""
    url = None
    links = [c for c in item if _local(c.tag) == "link"]
    for link in links:  # Atom: rel="alternate" (or no rel) is the page itself
        href = link.get("href")
        if href and link.get("rel", "alternate") == "alternate":
            url = _url(href, base_url)
            break
    if url is None:
        for link in links:  # RSS: the element's text
            url = _url(_text(link), base_url) or _url(link.get("href"), base_url)
            if url:
                break
    if url is None:
        guid = _child(item, "guid")
        if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
            url = _url(_text(guid), base_url)
    if url is None:  # RSS 1.0 names the item by its URL
        about = next((v for k, v in item.attrib.items() if _local(k) == "about"), None)
        url = _url(about, base_url)
    if url is None:
        return None
    date = _text(_child(item, "pubdate", "published", "date", "issued", "updated", "modified"))
    return Link(url, normalize_date(date))


def _sitemap_entry(entry: etree._Element, base_url: str | None) -> Link | None:
    url = _url(_text(_child(entry, "loc")), base_url)
    if url is None:
        return None
    date = None
    news = _child(entry, "news")
    if news is not None:
        date = normalize_date(_text(_child(news, "publication_date")))
    return Link(url, date or normalize_date(_text(_child(entry, "lastmod"))))


def _kind(root: etree._Element) -> Kind:
    name = _local(root.tag)
    if name in ("rss", "feed", "rdf"):
        return "feed"
    if name == "urlset":
        return "sitemap"
    if name == "sitemapindex":
        return "sitemap_index"
    return "unknown"


def parse_discovery(
    data: bytes, base_url: str | None = None, *, max_links: int = MAX_LINKS
) -> Discovery:
    """The links of a feed or sitemap document; never raises, whatever the bytes.

    `base_url` (where the document came from) resolves relative links, which
    feeds are not supposed to have but often do. Duplicates are kept once,
    in document order; past `max_links` the rest is dropped and `truncated` set.
    """
    try:
        return _discover(data, base_url, max_links)
    except Exception as exc:  # garbage in must not become an exception out
        return Discovery("unknown", error=f"cannot parse: {type(exc).__name__}")


def _discover(data: bytes, base_url: str | None, max_links: int) -> Discovery:
    data, problem = _inflate(data, MAX_BYTES)
    if problem:
        return Discovery("unknown", error=problem)
    if len(data) > MAX_BYTES:
        return Discovery("unknown", error=f"it is larger than {MAX_BYTES:,} bytes")
    if not data.strip():
        return Discovery("unknown", error="it is empty")
    root = _parse(data)
    if root is None:
        return Discovery("unknown", error="it is not XML")
    kind = _kind(root)
    if kind == "unknown":
        return Discovery(
            kind, error=f"its root element <{_local(root.tag)}> is not a feed or sitemap"
        )
    wanted = {"feed": ("item", "entry"), "sitemap": ("url",), "sitemap_index": ("sitemap",)}[kind]
    read = _feed_item if kind == "feed" else _sitemap_entry
    found: list[Link] = []
    seen: set[str] = set()
    truncated = False
    for element in root.iter():
        if _local(element.tag) not in wanted:
            continue
        link = read(element, base_url)
        if link is None or link.url in seen:
            continue
        if len(found) >= max_links:
            truncated = True
            break
        seen.add(link.url)
        found.append(link)
    if kind == "sitemap_index":
        return Discovery(kind, sitemaps=found, truncated=truncated)
    return Discovery(kind, pages=found, truncated=truncated)


def feed_links(data: bytes, base_url: str | None = None) -> list[Link]:
    """Article links of an RSS or Atom feed; empty for anything else."""
    found = parse_discovery(data, base_url)
    return found.pages if found.kind == "feed" else []


def sitemap_links(data: bytes, base_url: str | None = None) -> list[Link]:
    """Page links of a sitemap or Google News sitemap, or child sitemaps of an index."""
    found = parse_discovery(data, base_url)
    return found.sitemaps if found.kind == "sitemap_index" else found.pages
