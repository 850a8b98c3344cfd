"""When a page was published, from the most deliberate statement it makes, and where it said so.

JSON-LD, meta tags and microdata first (kept as stated, offset included), then
`<time>` elements, the date in the URL, and a date printed in a date-classed
element or near the top of the body. On an article page the date printed by
the headline decides between them: it wins when some metadata states that
same day (as published, or as modified when the page prints it as its date),
and when it is earlier than the stated publication (a CMS re-stamps
`datePublished` on migration; the first publication is the earliest date the
page credibly gives). A date the page labels "Updated" is a modification
date: kept as `modified`, never taken for the published one. A modified date
that the page does not print only bounds the weaker, printed evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from presswash.parsers.html.dates import normalise_date, text_date, url_date
from presswash.parsers.html.headline_date import ShownDate, headline_dates
from presswash.parsers.html.jsonld import LinkedData, is_article
from presswash.parsers.html.metatags import first
from presswash.parsers.html.tree import Element, attr_words, text_of
from presswash.parsers.vocabulary.dates import NOT_PUBLISHED_PHRASE, UPDATED_PHRASE
from presswash.parsers.vocabulary.markup import DATE_ATTR, MODIFIED_ATTR

_PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "og:publish_date", "article:published",
    "datepublished", "pubdate", "publishdate", "publish-date", "publication_date",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "date", "article.published", "published", "article:published_date",
    "publication-date", "date.published", "citation_publication_date", "citation_date",
    "citation_online_date", "datecreated",
)  # fmt: skip
_MODIFIED_KEYS = (
    "article:modified_time", "og:updated_time", "datemodified", "last-modified",
    "article:modified", "og:article:modified_time", "dcterms.modified", "updated",
)  # fmt: skip
# Any other meta key naming a publication date ("w-published-date", "cXenseParse:publishtime").
_PUBLISH_KEY = re.compile(r"publi\w*[-_.:]?(?:date|time)|(?:date|time)[-_.:]?publi")
_NOT_PUBLISHED = re.compile(r"modif|updat|expir|revis|print")
_UTC = ("+00:00",)
_MAX_LABEL = 40  # characters of the text before a date that can label it ("Joined:")
_DATELINE = 10  # text nodes from the headline within which a printed date is its dateline
_DAY_FIRST_EN = frozenset({"gb", "uk", "ie", "au", "nz", "in", "za", "ng", "ke", "pk", "sg"})
_MONTH_FIRST = frozenset({"fil", "tl"})


@dataclass(frozen=True, slots=True)
class Stated:
    """One date a page states: the ISO value, where it was read, and the text it was read from."""

    value: str
    source: str  # jsonld, meta, visible, url
    written: str


@dataclass(slots=True)
class PageDates:
    """The publication date chosen (with its source and text) and the last-modified date."""

    published: Stated | None = None
    modified: Stated | None = None


def _stated(raw: str | None, source: str) -> Stated | None:
    value = normalise_date(raw)
    return Stated(value, source, raw or "") if value else None


_MICRO_PUBLISHED = ("datePublished", "dateCreated")


def _microdata(root: Element, props: tuple[str, ...]) -> str | None:
    """The first element (document order) whose itemprop is one of `props`, as written."""
    test = " or ".join(f'@itemprop="{p}"' for p in props)
    for el in root.xpath(f"//*[{test}]")[:20]:
        raw = el.get("content") or el.get("datetime") or text_of(el)
        if raw and normalise_date(raw):
            return raw
    return None


def stated_dates(meta: dict[str, str], ld: LinkedData, root: Element) -> list[Stated]:
    """Every publication date the metadata states, most deliberate first, as written."""
    raws: list[tuple[str | None, str]] = [(ld.published, "jsonld")]
    raws += [(meta.get(key), "meta") for key in _PUBLISHED_KEYS]
    raws += [(v, "meta") for k, v in meta.items() if _PUBLISH_KEY.search(k)
             and not _NOT_PUBLISHED.search(k) and k not in _PUBLISHED_KEYS]  # fmt: skip
    found = [s for s in (_stated(raw, source) for raw, source in raws if raw) if s]
    if not found:  # microdata walks the whole tree: read only when nothing else states it
        found = [s for s in [_stated(_microdata(root, _MICRO_PUBLISHED), "meta")] if s]
    found += [s for s in [_stated(ld.page_published, "jsonld")] if s]
    return [s for i, s in enumerate(found) if s.value not in {x.value for x in found[:i]}]


def modified_date(meta: dict[str, str], ld: LinkedData, root: Element) -> Stated | None:
    """The last-modified date the metadata states."""
    return (
        _stated(ld.modified, "jsonld")
        or _stated(first(meta, *_MODIFIED_KEYS), "meta")
        or _stated(_microdata(root, ("dateModified",)), "meta")
    )


def day_first(meta: dict[str, str], root: Element) -> bool | None:
    """Whether `03/04/2025` is the 3rd of April on this page, from its declared locale."""
    lang = (root.get("lang") or meta.get("og:locale") or "").strip().lower().replace("_", "-")
    primary, _, region = lang.partition("-")
    if not primary:
        return None
    if primary == "en":
        return True if region[:2] in _DAY_FIRST_EN else False if region[:2] == "us" else None
    return primary not in _MONTH_FIRST


def _time_elements(root: Element) -> Stated | None:
    """The first <time> that reads as a publication date, else the first <time> at all."""
    fallback: Stated | None = None
    for el in root.iter("time"):
        raw = el.get("datetime") or el.get("content") or text_of(el)
        value = normalise_date(raw)
        if not value:
            continue
        marks = f"{el.get('itemprop') or ''} {attr_words(el)}".lower()
        if "updat" in marks or "modif" in marks:
            continue
        if "publish" in marks or "datecreated" in marks or el.get("pubdate") is not None:
            return Stated(value, "visible", raw)
        fallback = fallback or Stated(value, "visible", raw)
    return fallback


def _visible_date(
    root: Element, day_first: bool | None = None
) -> tuple[Stated | None, Stated | None]:
    """The first date printed in a date-classed element, else near the top of the body.

    Returned twice over: the first that is not labelled an update, and the
    first that is (the page's only date may be its "Updated" line).
    """
    body = next(root.iter("body"), None)
    update: Stated | None = None
    if body is None:
        return None, None
    for el in body.iter("span", "div", "p", "time", "li", "small", "abbr"):
        words = attr_words(el)
        dated = el.tag == "time" or bool(words and DATE_ATTR.search(words))
        if dated and not (words and MODIFIED_ATTR.search(words)):
            text = text_of(el)
            found = _printed(text, day_first) if 6 <= len(text) <= 80 else None
            if found and not found[1]:
                return found[0], update
            update = update or (found[0] if found else None)
    label = ""
    for count, text in enumerate(body.itertext()):
        if count > 400:
            break
        found = _printed(text, day_first, label) if 6 <= len(text) <= 80 else None
        if found and not found[1]:
            return found[0], update
        update = update or (found[0] if found else None)
        label = text if text.strip() else label
    return None, update


def _printed(text: str, day_first: bool | None, label: str = "") -> tuple[Stated, bool] | None:
    """The date printed in a short text, and whether it (or the label before it) says update."""
    day = text_date(text, day_first)
    if not day:
        return None
    lowered = f"{label[-_MAX_LABEL:]} {text}".lower()
    if NOT_PUBLISHED_PHRASE.search(lowered):
        return None  # a member's join date, a deadline: a date, not the page's
    return Stated(day, "visible", text), bool(UPDATED_PHRASE.search(lowered))


def _instant(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _local_twin(value: str, root: Element, stated: list[Stated]) -> Stated | None:
    """The same instant stated in the publisher's own zone (metadata or <time>), if any."""
    moment = _instant(value)
    if moment is None:
        return None
    for other in stated:
        if not other.value.endswith(_UTC) and _instant(other.value) == moment:
            return other
    for count, el in enumerate(root.iter("time")):
        if count >= 50:
            break
        raw = el.get("datetime") or ""
        local = normalise_date(raw)
        twin = _instant(local) if local and not local.endswith(_UTC) else None
        if twin is not None and twin == moment:
            return Stated(local, "visible", raw)
    return None


def _as_shown(stated: list[Stated], root: Element, lines: list[ShownDate]) -> Stated:
    """The day the page shows when the metadata's UTC timestamp falls on the neighbouring day.

    A publisher's JSON-LD often states UTC while the page shows the local
    date: a day either side of midnight is the same moment, and the local day
    is the one readers cite. A timestamp with the publisher's own (non-zero)
    offset is already local and is kept, as is any larger disagreement.
    """
    first_stated = stated[0]
    if not first_stated.value.endswith(_UTC):
        return first_stated
    twin = _local_twin(first_stated.value, root, stated)
    if twin is not None:
        return twin
    shown = next((line.day for line in lines if not line.updated and line.day), None)
    if not lines:
        shown = (_visible_date(root)[0] or Stated("", "", "")).value
    if not shown:
        return first_stated
    gap = abs((date.fromisoformat(first_stated.value[:10]) - date.fromisoformat(shown)).days)
    return Stated(shown, "visible", shown) if gap == 1 else first_stated


def _neighbour(candidate: Stated, day: str) -> bool:
    """True when a UTC timestamp falls on the day next to the printed one: the same moment."""
    if not candidate.value.endswith(_UTC):
        return False
    gap = date.fromisoformat(candidate.value[:10]) - date.fromisoformat(day)
    return abs(gap.days) == 1


def _by_headline(
    lines: list[ShownDate], stated: list[Stated], modified: Stated | None
) -> Stated | None:
    """The date the headline's date line names, when the page's other evidence vouches for it."""
    updates = {line.day for line in lines if line.updated}
    printed = [line for line in lines if not line.updated and line.day not in updates]
    if not printed:
        return None
    line = printed[0]
    for candidate in (*stated, modified):
        if candidate and candidate.value[:10] in line.readings:
            return candidate
    for candidate in (*stated, modified):
        if candidate and line.day and _neighbour(candidate, line.day):
            return Stated(line.day, "visible", line.day)
    earliest = line is lines[0] and abs(line.distance) <= _DATELINE and line.day and stated
    if earliest and line.day < stated[0].value[:10]:
        return Stated(line.day, "visible", line.day)
    return None


def _modified(
    modified: Stated | None, lines: list[ShownDate], published: Stated | None
) -> Stated | None:
    """The last-modified date: stated, else the headline's "Updated" date; never before it."""
    shown = next((line for line in lines if line.updated and line.day), None)
    if modified is None and shown is not None:
        modified = Stated(shown.day, "visible", shown.day)
    if modified and published and modified.value[:10] < published.value[:10]:
        return None
    return modified


def pick_dates(meta: dict[str, str], ld: LinkedData, root: Element, url: str | None) -> PageDates:
    """The publication date as the page presents it, and the modified date apart."""
    modified = modified_date(meta, ld, root)
    stated = stated_dates(meta, ld, root)
    order = day_first(meta, root)
    lines = headline_dates(root, order)
    chosen = _by_headline(lines, stated, modified) if lines and is_article(meta, ld) else None
    if chosen is None and stated:
        chosen = _as_shown(stated, root, lines)
    if chosen is None:
        chosen, update = _later_evidence(root, url, lines, order, modified)
    if chosen is None:
        chosen = _only_update(lines, modified) or update
    return PageDates(chosen, _modified(modified, lines, chosen))


def _only_update(lines: list[ShownDate], modified: Stated | None) -> Stated | None:
    """The page's only date, an "Updated" line by the headline: the date of what it now says.

    Taken only when the page states no publication date at all; the metadata's
    modified date gives its precision when it names the same day.
    """
    line = next((line for line in lines if line.updated and line.day), None)
    if line is None:
        return None
    if modified and modified.value[:10] == line.day:
        return modified
    return Stated(line.day, "visible", line.day)


def _later_evidence(
    root: Element,
    url: str | None,
    lines: list[ShownDate],
    order: bool | None,
    modified: Stated | None,
) -> tuple[Stated | None, Stated | None]:
    """The first of <time>, URL, dateline and printed date not after the modified date.

    Also the page's first printed "Updated" date, for a page that gives no other.
    """
    update: Stated | None = None
    for read in (
        lambda: _time_elements(root),
        lambda: _url(url),
        lambda: _dateline(lines),
        lambda: _visible_date(root, order),
    ):
        found = read()
        if isinstance(found, tuple):
            found, update = found
        if found and (not modified or found.value[:10] <= modified.value[:10]):
            return found, None
    return None, update


def _dateline(lines: list[ShownDate]) -> Stated | None:
    """The first date line by the headline that is not an update."""
    day = next((line.day for line in lines if not line.updated and line.day), None)
    return Stated(day, "visible", day) if day else None


def _url(url: str | None) -> Stated | None:
    day = url_date(url)
    return Stated(day, "url", day) if day else None


def pick_published(
    meta: dict[str, str], ld: LinkedData, root: Element, url: str | None
) -> str | None:
    """The publication date as the page presents it; never a date the page does not state."""
    found = pick_dates(meta, ld, root, url).published
    return found.value if found else None
