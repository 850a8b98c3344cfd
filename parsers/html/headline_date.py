"""The date a page prints next to its headline, the one a reader takes as the article's date.

Metadata often states when a page was first created while the page itself
shows a later "Updated ..." date by the headline (or the other way round,
when a CMS rewrites `datePublished` on every save). People cite the date they
see, so the dates printed beside the first h1 are read separately from the
dates scattered elsewhere (sidebars, related stories, comments). A line that
says it was updated ("Last updated:", "mis à jour", "обновлено") is a
modification date, kept apart. Only short date lines count: a sentence that
mentions a date is prose, not the page's dateline. The walk is a flat,
bounded pass over the text nodes in document order: no recursion.
"""

from __future__ import annotations

from dataclasses import dataclass

from presswash.parsers.html.dates import dates_at, numeric_readings
from presswash.parsers.html.tree import Element
from presswash.parsers.vocabulary.dates import UPDATED_PHRASE

_MAX_TEXTS = 4_000  # text nodes collected before giving up on finding the h1
_AFTER = 40  # text nodes after the h1 that still count as "by the headline"
_BEFORE = 4  # a date line printed just above the headline (kicker, dateline)
_MAX_DATE_TEXT = 100  # a text node longer than this is prose, not a date line
_MAX_DATE_WORDS = 12  # nor is one of more words ("On 2 Dec 2024, I received ...")
_MAX_LABEL = 40  # a label node above a date ("Last Updated:") is this short
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg"})


@dataclass(frozen=True, slots=True)
class ShownDate:
    """A date line by the headline: its day, the days it could mean, whether it is an update."""

    day: str | None  # None when the line's day-month order is ambiguous
    readings: tuple[str, ...]
    updated: bool
    distance: int  # text nodes from the headline (negative: above it)


def _texts_around_headline(root: Element) -> tuple[list[str], int] | None:
    """Non-blank text nodes in document order and the index where the first h1 starts."""
    body = next(root.iter("body"), None)
    if body is None:
        return None
    texts: list[str] = []
    headline_at: int | None = None
    for el in body.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "h1" and headline_at is None:
            headline_at = len(texts)
        if tag not in _SKIPPED and el.text and not el.text.isspace():
            texts.append(el.text.strip())
        if el.tail and not el.tail.isspace():
            texts.append(el.tail.strip())
        if headline_at is not None and len(texts) > headline_at + _AFTER:
            break
        if len(texts) > _MAX_TEXTS:
            break
    if headline_at is None:
        return None
    return texts, headline_at


def _shown(texts: list[str], index: int, start: int, day_first: bool | None) -> ShownDate | None:
    """The date line at `index`, or None when the text there is not a short date line."""
    text = texts[index]
    if len(text) > _MAX_DATE_TEXT or len(text.split()) > _MAX_DATE_WORDS:
        return None
    found = dates_at(text, day_first, limit=1)
    readings = tuple(numeric_readings(text))
    if not found and not readings:
        return None
    at, day = found[0] if found else (0, None)
    label = text[:at].lower()
    if not label.strip() and index > 0 and len(texts[index - 1]) <= _MAX_LABEL:
        label = texts[index - 1].lower()
    return ShownDate(day, readings or (day,), bool(UPDATED_PHRASE.search(label)), index - start)


def headline_dates(root: Element, day_first: bool | None = None, limit: int = 3) -> list[ShownDate]:
    """Up to `limit` date lines just after, else just before, the page's first h1."""
    found = _texts_around_headline(root)
    if found is None:
        return []
    texts, start = found
    after = range(start, min(len(texts), start + _AFTER))
    before = range(start - 1, max(-1, start - 1 - _BEFORE), -1)
    shown: list[ShownDate] = []
    for index in (*after, *before):
        line = _shown(texts, index, start, day_first)
        if line is not None:
            shown.append(line)
            if len(shown) >= limit:
                break
    return shown


def headline_date(root: Element) -> str | None:
    """The first date (ISO day) printed just after, else just before, the page's first h1."""
    shown = headline_dates(root, limit=1)
    return next((line.day for line in shown if line.day), None)
