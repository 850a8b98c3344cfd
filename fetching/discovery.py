"""Page URLs from feeds and sitemaps: RSS 2.0/1.0, Atom, sitemaps, sitemap indexes, Google News.

Pure: bytes in, links out. Users who fetch feeds with their own tools pass
the bytes here (USER-NEEDS #24), and `presswash fetch` does the same with
the bytes it fetched. A feed is written by someone else and is never
trusted: entities are not expanded, no DTD or network is loaded, lxml's
default size bounds stay on, gzip is inflated only to a limit, the number of
links is capped, and anything that is not an absolute http(s) URL is dropped.

The document is read as a stream: bytes are inflated and parsed a chunk at a
time, and each element is dropped from the tree once read, so memory holds
one chunk, the entry being read and the links kept, never the whole tree; at
the link cap reading stops, and the result says so.
"""

from __future__ import annotations

import email.utils
import itertools
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, NamedTuple
from urllib.parse import urljoin, urlsplit

from lxml import etree

Kind = Literal["feed", "sitemap", "sitemap_index", "unknown"]

MAX_LINKS = 50_000  # what the sitemap protocol allows in one file
MAX_BYTES = 64 * 1024 * 1024  # the protocol's 50 MB, with room
MAX_URL_CHARS = 4096
CHUNK = 64 * 1024  # bytes inflated and parsed at a time

# What an entry's link and date are read from; an entry's other children are
# dropped as they end, and at most _MAX_KEPT of these are kept per entry.
_NEEDED = frozenset(
    {"link", "guid", "pubdate", "published", "date", "issued", "updated", "modified"}
    | {"loc", "lastmod", "news", "publication_date"}
)
_MAX_KEPT = 64
_WANTED: dict[str, tuple[str, ...]] = {
    "feed": ("item", "entry"),
    "sitemap": ("url",),
    "sitemap_index": ("sitemap",),
}
_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "recover": True,
    "remove_comments": True,
    "remove_pis": True,
}

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_LEADING = b" \t\r\n\x00\xef\xbb\xbf"
_ABSOLUTE = re.compile(r"https?://[^/?#]", re.IGNORECASE)


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
    note: str | None = None  # what was left unread, when links were found but not all


class _Stop(Exception):
    """Reading the document ends here, for the reason given."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


_LOCAL_NAMES: dict[str, str] = {}  # a document uses a handful of tags, a million times each


def _local(tag: object) -> str:
    """An element's name without its namespace; comments and PIs have none."""
    if not isinstance(tag, str):
        return ""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rsplit("}", 1)[-1].lower()
        if len(_LOCAL_NAMES) < 1024:  # a hostile document's million names are not kept
            _LOCAL_NAMES[tag] = name
    return name


def _pieces(data: bytes | Iterable[bytes]) -> Iterator[bytes]:
    """The input as chunks of at most CHUNK bytes, whether given whole or in parts."""
    for part in [data] if isinstance(data, bytes | bytearray | memoryview) else data:
        view = memoryview(part)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start : start + CHUNK])


def _gunzip(pieces: Iterator[bytes], max_bytes: int) -> Iterator[bytes]:
    """Sitemaps are often served as `.xml.gz` files: inflated a chunk at a time, to a limit."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    total = 0
    for piece in pieces:
        buf = piece
        while not inflater.eof:
            try:
                out = inflater.decompress(buf, CHUNK)
            except zlib.error as exc:
                raise _Stop(f"the gzip data is corrupt ({exc})") from exc
            total += len(out)
            if total > max_bytes:
                raise _Stop(f"it inflates to more than {max_bytes:,} bytes")
            if out:
                yield out
            buf = inflater.unconsumed_tail
            if not buf and len(out) < CHUNK:
                break
        if inflater.eof:
            return


def _plain(pieces: Iterator[bytes], max_bytes: int) -> Iterator[bytes]:
    """The document's own bytes, gzip removed, leading blanks and BOM bytes skipped."""
    head = b""
    for piece in pieces:
        head += piece
        if len(head) >= 2:
            break
    chunks = itertools.chain([head], pieces)
    if head.startswith(b"\x1f\x8b"):
        chunks = _gunzip(chunks, max_bytes)
    total = 0
    started = False
    for chunk in chunks:
        total += len(chunk)
        if total > max_bytes:
            raise _Stop(f"it is larger than {max_bytes:,} bytes")
        if not started:
            chunk = chunk.lstrip(_LEADING)
            started = bool(chunk)
        if chunk:
            yield chunk


def _url(text: str | None, base_url: str | None) -> str | None:
    """An absolute http(s) URL, or None for anything a fetcher should not be handed."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > MAX_URL_CHARS or any(c in text for c in "\r\n\t "):
        return None
    try:  # an absolute URL, the usual case, needs no joining (which costs as much again)
        url = urljoin(base_url, text) if base_url and not _ABSOLUTE.match(text) else text
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
    """A sitemap's <url> or an index's <sitemap>: its <loc> and its date, in one pass."""
    found: dict[str, etree._Element] = {}
    for child in entry:
        found.setdefault(_local(child.tag), child)
    url = _url(_text(found.get("loc")), base_url)
    if url is None:
        return None
    date = None
    news = found.get("news")
    if news is not None:
        date = normalize_date(_text(_child(news, "publication_date")))
    return Link(url, date or normalize_date(_text(found.get("lastmod"))))


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
    data: bytes | Iterable[bytes], base_url: str | None = None, *, max_links: int = MAX_LINKS
) -> Discovery:
    """The links of a feed or sitemap document; never raises, whatever the bytes.

    `data` is the whole document or its bytes in parts (an HTTP body as it is
    inflated, say), so a caller need not hold it inflated either. `base_url`
    (where the document came from) resolves relative links, which feeds are
    not supposed to have but often do. Duplicates are kept once, in document
    order; past `max_links` reading stops, `truncated` is set and `note` says so.
    """
    try:
        return _discover(data, base_url, max_links)
    except Exception as exc:  # garbage in must not become an exception out
        return Discovery("unknown", error=f"cannot parse: {type(exc).__name__}")


class _Walk:
    """Links taken from parser events as they come, each element dropped once read."""

    def __init__(self, base_url: str | None, max_links: int) -> None:
        self.base_url = base_url
        self.max_links = max_links
        self.root: etree._Element | None = None
        self.kind: Kind = "unknown"
        # the items, entries, urls or sitemaps open (nested only in a broken document)
        self.entries: list[etree._Element] = []
        self.kept = 0
        self.found: list[Link] = []
        self.seen: set[str] = set()
        self.truncated = False
        self.done = False

    def take(self, events: Iterable[tuple[str, etree._Element]]) -> None:
        for event, element in events:
            if self.done:
                return
            if event == "start":
                self._start(element)
            else:
                self._end(element)

    def _start(self, element: etree._Element) -> None:
        if self.root is None:
            self.root, self.kind = element, _kind(element)
            self.done = self.kind == "unknown"
        elif _local(element.tag) in _WANTED[self.kind]:
            self.entries.append(element)
            self.kept = 0

    def _end(self, element: etree._Element) -> None:
        if self.entries and element is self.entries[-1]:
            read = _feed_item if self.kind == "feed" else _sitemap_entry
            self._add(read(element, self.base_url))
            self.entries.pop()
        elif self.entries and self.kept < _MAX_KEPT and _local(element.tag) in _NEEDED:
            self.kept += 1
            return
        parent = element.getparent()
        if parent is not None:  # read, or not needed: out of the tree
            parent.remove(element)

    def _add(self, link: Link | None) -> None:
        if link is None or link.url in self.seen:
            return
        if len(self.found) >= self.max_links:
            self.truncated = self.done = True
            return
        self.seen.add(link.url)
        self.found.append(link)

    def result(self, problem: str | None, read_any: bool) -> Discovery:
        if self.root is None:
            return Discovery(
                "unknown", error=problem or ("it is not XML" if read_any else "it is empty")
            )
        if self.kind == "unknown":
            return Discovery(
                "unknown",
                error=f"its root element <{_local(self.root.tag)}> is not a feed or sitemap",
            )
        note = None
        if self.truncated:
            note = (
                f"it holds more than {self.max_links:,} links: the first {self.max_links:,} "
                "were taken and the rest of it was not read"
            )
        elif problem:
            self.truncated = True
            note = f"{problem}: only the {len(self.found):,} links before that were taken"
        if self.kind == "sitemap_index":
            return Discovery(self.kind, sitemaps=self.found, truncated=self.truncated, note=note)
        return Discovery(self.kind, pages=self.found, truncated=self.truncated, note=note)


def _discover(data: bytes | Iterable[bytes], base_url: str | None, max_links: int) -> Discovery:
    parser = etree.XMLPullParser(events=("start", "end"), **_PARSER_OPTIONS)
    walk = _Walk(base_url, max_links)
    problem = None
    read_any = False
    try:
        for chunk in _plain(_pieces(data), MAX_BYTES):
            read_any = True
            parser.feed(chunk)
            walk.take(parser.read_events())
            if walk.done:
                break
        else:
            parser.close()
            walk.take(parser.read_events())
    except _Stop as stop:
        problem = stop.problem
    except etree.XMLSyntaxError:
        walk.take(parser.read_events())
    return walk.result(problem, read_any)


def feed_links(data: bytes, base_url: str | None = None) -> list[Link]:
    """Article links of an RSS or Atom feed; empty for anything else."""
    found = parse_discovery(data, base_url)
    return found.pages if found.kind == "feed" else []


def sitemap_links(data: bytes, base_url: str | None = None) -> list[Link]:
    """Page links of a sitemap or Google News sitemap, or child sitemaps of an index."""
    found = parse_discovery(data, base_url)
    return found.sitemaps if found.kind == "sitemap_index" else found.pages
