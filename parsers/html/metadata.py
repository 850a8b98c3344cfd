"""Title, authors, date, publisher, canonical URL and language of a page.

Each field is taken from the most deliberate statement the page makes:
JSON-LD, then meta tags, then the visible page (h1, byline, <time>, a date
printed near the headline). Authors are people only: publisher and site
names, UI strings and "By" prefixes are removed, whatever source they came from.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from presswash.parsers.dates import date_precision
from presswash.parsers.html.authors import pick_authors
from presswash.parsers.html.jsonld import LinkedData, read_linked_data
from presswash.parsers.html.metatags import first, fold, meta_tags
from presswash.parsers.html.published import pick_dates
from presswash.parsers.html.tree import Element, text_of

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|·|•|::|»|/|:)\s+")
_LANG = re.compile(r"^[a-z]{2,3}$")
_MAX_HEADLINE_WORDS = 20


@dataclass(slots=True)
class Metadata:
    """The page's metadata fields, each None (or empty) when the page does not say."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    published_at_source: str | None = None  # jsonld, meta, visible, url
    published_at_precision: str | None = None  # day, minute, second
    modified_at: str | None = None
    site_name: str | None = None
    url: str | None = None
    language: str | None = None


def _headings(root: Element) -> list[str]:
    found: list[str] = []
    for h1 in root.iter("h1"):
        text = text_of(h1)
        if 0 < len(text) < 300:
            found.append(text)
        if len(found) >= 5:
            break
    return found


def _overlap(a: str, b: str) -> float:
    ta, tb = set(fold(a).split()), set(fold(b).split())
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / max(len(ta), len(tb))


def _strip_site(title: str, site: str | None) -> str:
    """The headline part of a 'Headline | Site' title."""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    if site:
        kept = [p for p in parts if fold(p) != fold(site)]
        if kept and len(kept) < len(parts):
            return " - ".join(kept) if len(kept) > 1 else kept[0]
    first, last = parts[0], parts[-1]
    if len(first.split()) >= 3 and len(last.split()) <= 4:
        return title[: title.rfind(last)].rstrip(" |-–—·•:»/")
    return title


def _headline_like(text: str | None) -> str | None:
    """The text when it reads as a headline; JSON-LD `headline` sometimes holds the summary."""
    if not text:
        return None
    words = text.split()
    if len(words) > _MAX_HEADLINE_WORDS or (len(words) > 10 and text.rstrip().endswith(".")):
        return None
    return text


def _stated_titles(meta: dict[str, str], ld: LinkedData, root: Element) -> tuple[list[str], int]:
    """The titles the page states, most deliberate first, white space folded and entities
    decoded; and how many of them lead the list as declared headlines (JSON-LD, og:title)."""
    html_title = next((text_of(t) for t in root.iter("title")), None)
    declared = [_headline_like(ld.headline), first(meta, "og:title")]
    secondary = [first(meta, "twitter:title"), first(meta, "title", "dc.title"), html_title]
    clean = [_clean_title(t) for t in declared if t and t.strip()]
    return clean + [_clean_title(t) for t in secondary if t and t.strip()], len(clean)


def _clean_title(text: str) -> str:
    """White space folded and HTML entities decoded: some templates escape a title twice,
    so `&amp;` or `&#x26;` is left in the text after parsing."""
    folded = " ".join(text.split())
    return html.unescape(folded) if "&" in folded else folded


def _confirmed(headline: str, others: list[str], site: str | None) -> bool:
    """True when another stated title names this headline too, whole or as one of its parts
    ("Section - Headline")."""
    key = fold(headline)
    for title in others:
        parts = _TITLE_SEPARATORS.split(title)
        ends = {fold(" ".join(parts[:i])) for i in range(1, len(parts))}
        ends.update(fold(" ".join(parts[i:])) for i in range(1, len(parts)))
        if key == fold(_strip_site(title, site)) or key in ends:
            return True
    return False


def pick_title(meta: dict[str, str], ld: LinkedData, root: Element, site: str | None) -> str | None:
    """The headline: the page's h1 where a stated title confirms it, else the best stated title.

    Stated titles carry site suffixes ("Headline | Site"), so an h1 that is the
    headline part of one is the clean headline. An h1 that merely repeats a
    secondary title (twitter:title, <title>) while the JSON-LD headline or
    og:title, the fields publishers fill for the article's declared headline,
    says something else is a display variant: the declared headline wins. An
    h1 that og:title repeats is the headline, unless the JSON-LD headline that
    says otherwise is named by another stated title as well (whole, or as the
    headline part of "Section - Headline"): alone, it is as often an SEO field
    or a section's name as the headline.
    """
    h1s = [_clean_title(h) for h in _headings(root)]
    stated, declared_count = _stated_titles(meta, ld, root)
    for index, title in enumerate(stated):  # an h1 that some stated title names exactly
        parts = _TITLE_SEPARATORS.split(title)
        folded = {fold(title), fold(_strip_site(title, site)), *map(fold, parts[:-1])}
        for h1 in h1s:
            if fold(h1) not in folded:
                continue
            declared = _strip_site(stated[0], site)
            variant = fold(h1) == fold(title) and fold(declared) not in folded
            if variant and (index >= declared_count or _confirmed(declared, stated[1:], site)):
                return declared
            return h1
    if not stated:
        return h1s[0] if h1s else None
    primary = _strip_site(stated[0], site)
    for h1 in h1s:
        if _overlap(h1, primary) >= 0.6:
            return h1
    return primary


def pick_url(meta: dict[str, str], root: Element, base: str | None) -> str | None:
    """The canonical URL, resolved against the address the page was fetched from."""
    href = None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            href = link.get("href", "").strip()
            break
    href = href or first(meta, "og:url", "twitter:url")
    if not href:
        return base
    try:
        resolved = urljoin(base, href) if base else href
    except ValueError:
        return base
    return resolved if resolved.startswith(("http://", "https://")) else base


def pick_language(meta: dict[str, str], root: Element) -> str | None:
    """The primary language subtag the page declares, lower-cased."""
    for value in (root.get("lang"), root.get("xml:lang"), meta.get("content-language"),
                  meta.get("og:locale"), meta.get("language")):  # fmt: skip
        if value:
            primary = value.strip().replace("_", "-").split("-")[0].split(",")[0].strip().lower()
            if _LANG.match(primary):
                return primary
    return None


def read_metadata(root: Element, url: str | None) -> Metadata:
    """All metadata of a page, read from the untouched tree (before pruning)."""
    meta = meta_tags(root)
    ld = read_linked_data(root)
    site = first(meta, "og:site_name", "application-name") or ld.publisher
    blocked = {fold(x) for x in (site, ld.publisher, first(meta, "twitter:site")) if x}
    canonical = pick_url(meta, root, url)
    dates = pick_dates(meta, ld, root, canonical or url)
    published, modified = dates.published, dates.modified
    return Metadata(
        title=pick_title(meta, ld, root, site),
        authors=pick_authors(meta, ld, root, blocked),
        published_at=published.value if published else None,
        published_at_source=published.source if published else None,
        published_at_precision=date_precision(published.value, published.written)
        if published
        else None,
        modified_at=modified.value if modified else None,
        site_name=site,
        url=canonical,
        language=pick_language(meta, root),
    )
