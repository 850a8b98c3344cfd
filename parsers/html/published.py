"""When a page was published, from the most deliberate statement it makes.

JSON-LD and meta tags first (kept as stated, offset included), then `<time>`
elements, the date in the URL, and a date printed in a date-classed element
or near the top of the body. On an article page, the date printed by the
headline wins over the metadata when the metadata states that same day too
(as its published or its modified date): that is the date readers see and
cite, and both the page and its metadata vouch for it. A modified date that
the page does not print is never taken for the published one; it only bounds
the weaker, printed evidence.
"""

from __future__ import annotations

import re
from datetime import date

from presswash.parsers.html.dates import normalise_date, text_date, url_date
from presswash.parsers.html.headline_date import headline_date
from presswash.parsers.html.jsonld import LinkedData, is_article
from presswash.parsers.html.metatags import first
from presswash.parsers.html.tree import Element, attr_words, text_of

_DATE_WORDS = re.compile(r"date|time|publish|posted|dateline|meta")
_MODIFIED_WORDS = re.compile(r"updat|modif|comment|copyright")


def _time_elements(root: Element) -> str | None:
    """The first <time datetime> that reads as a publication date."""
    first: str | None = None
    for el in root.iter("time"):
        value = normalise_date(el.get("datetime") or el.get("content") or text_of(el))
        if not value:
            continue
        marks = f"{el.get('itemprop') or ''} {attr_words(el)} {el.get('pubdate') is not None}"
        if "published" in marks or "datepublished" in marks.lower() or "True" in marks:
            return value
        first = first or value
    return first


def _visible_date(root: Element) -> str | None:
    """A date printed in an element whose class says so, else near the top of the body."""
    body = next(root.iter("body"), None)
    if body is None:
        return None
    for el in body.iter("span", "div", "p", "time", "li", "small", "abbr"):
        words = attr_words(el)
        dated = el.tag == "time" or bool(words and _DATE_WORDS.search(words))
        if dated and not (words and _MODIFIED_WORDS.search(words)):
            text = text_of(el)
            found = text_date(text) if 6 <= len(text) <= 80 else None
            if found:
                return found
    for count, text in enumerate(body.itertext()):
        if count > 400:
            break
        if 6 <= len(text) <= 80:
            found = text_date(text)
            if found:
                return found
    return None


def _as_shown(value: str, root: Element, shown: str | None) -> str:
    """The day the page prints when a zoned timestamp falls on the neighbouring day.

    A publisher's JSON-LD often states UTC while the page shows the local
    date: a day either side of midnight is the same moment, and the printed
    day is the one readers cite. Any other disagreement keeps the structured
    value, which is the more deliberate statement.
    """
    if len(value) <= 19:  # no offset: nothing was shifted
        return value
    shown = shown or _visible_date(root)
    if not shown:
        return value
    try:
        gap = abs((date.fromisoformat(value[:10]) - date.fromisoformat(shown)).days)
    except ValueError:
        return value
    return shown if gap == 1 else value


def _stated(meta: dict[str, str], ld: LinkedData) -> str | None:
    """The publication date the metadata states, as written (offset kept)."""
    candidates = [
        ld.published,
        first(meta, "article:published_time", "og:published_time", "article:published",
               "datepublished", "pubdate", "publishdate", "publish-date", "publication_date",
               "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
               "dc.date", "dcterms.date", "date", "article.published", "published",
               "article:published_date", "publication-date", "date.published",
               "citation_publication_date", "citation_date", "citation_online_date"),
        ld.page_published,
    ]  # fmt: skip
    for raw in candidates:
        value = normalise_date(raw)
        if value:
            return value
    return None


def _shown_and_stated(shown: str | None, stated: str | None, modified: str | None) -> str | None:
    """The stated date (full precision) whose day the page prints by its headline, if any."""
    if not shown:
        return None
    for value in (stated, modified):
        if value and value[:10] == shown:
            return value
    return None


def pick_published(
    meta: dict[str, str], ld: LinkedData, root: Element, url: str | None
) -> str | None:
    """The publication date as the page presents it; never a date the page does not state."""
    modified = normalise_date(ld.modified) or normalise_date(
        first(meta, "article:modified_time", "og:updated_time", "datemodified", "last-modified")
    )
    stated = _stated(meta, ld)
    shown = headline_date(root) if stated or modified else None
    if shown and is_article(meta, ld):
        agreed = _shown_and_stated(shown, stated, modified)
        if agreed:
            return agreed
    if stated:
        return _as_shown(stated, root, shown)
    for value in (_time_elements(root), url_date(url), _visible_date(root)):
        if value and (not modified or value[:10] <= modified[:10]):
            return value
    return None
