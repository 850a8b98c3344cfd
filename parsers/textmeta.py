"""Title, authors, publisher and date, found among the lines just above a page's body.

A text dump has no <title> or <meta>: the headline, the byline and the date
are plain lines sitting between the menus and the first paragraph, in an
order most sites share (headline, then byline and date, then the body). We
look for them there only, so a name in a comment or a date in a footer is
never taken for the article's; the one exception is an explicitly labelled
CJK byline ('[责任编辑:…]'), which those sites print under the last paragraph.
Dates and bylines are read first, since the headline is best recognised as
the line sitting over them (see `titles`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from presswash.parsers.bylines import clean_author, inline_byline, looks_like_name, parse_byline
from presswash.parsers.dates import parse_date
from presswash.parsers.titles import headline_text, pick_title
from presswash.parsers.vocabulary.bylines import BARE_NAME_SEPARATORS, LONE_BY
from presswash.parsers.vocabulary.dates import (
    AGE_AFTER_NAME,
    AGE_LINE,
    AGE_NUMBER_WORD,
    CLOCK_LINE,
    DATE_AFTER_NAME,
    DATE_LABEL,
    DATELINE_TOKENS,
    PUBLISHED_LABEL,
)
from presswash.schemas.stages import LineReason

# How far above the body the header block may reach, and how far into it.
_ABOVE = 40
_INTO = 3
_MAX_DATELINE_UNITS = 14
_MAX_DATE_WORDS = 6
_MAX_BARE_NAMES_CHARS = 120
# Labelled CJK bylines closing an article: how far into the body, how long a line.
_CLOSING_REACH = 200
_MAX_CLOSING_CHARS = 40
_NAME_AFTER_DATE = re.compile(r"\d\s*(?:[-–—|•·,]\s*|by\s+)?([A-Z][^\d|•·]{2,40})$")

_DIGIT = re.compile(r"\d")
# Explicit bylines ("By ...") may sit a few lines into the body run.
_BYLINE_INTO = 8
# 'By' alone, or closing a short label ('Steven Musil mugshot by'); a longer line is a headline.
_MAX_BY_LABEL_WORDS = 4


@dataclass(slots=True)
class PageMeta:
    """The header fields of a page and which lines carried them (to take them out of the text)."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    published_at: str | None = None
    used: dict[int, LineReason] = field(default_factory=dict)


def _is_dateline(line: str, units: float) -> str | None:
    """The date of a line that is nothing but a date (and its label), else None."""
    if units > _MAX_DATELINE_UNITS or not _DIGIT.search(line):
        return None
    found = parse_date(line)
    if found is None:
        return None
    rest = DATELINE_TOKENS.sub(" ", DATE_LABEL.sub("", line, count=1))
    return found if len(rest.split()) <= 3 else None


def _byline_names(lines: Sequence[str], i: int) -> list[str]:
    """The name on the line after one that ends in 'By' (a byline the page split in two)."""
    if LONE_BY.search(lines[i]) and i + 1 < len(lines) and looks_like_name(lines[i + 1]):
        return [lines[i + 1]]
    return []


def find_meta(
    lines: Sequence[str],
    units: Sequence[float],
    junk: Sequence[LineReason | None],
    start: int,
) -> PageMeta:
    """Header fields of the page whose body starts at line `start`."""
    meta = PageMeta()
    lo, hi = max(0, start - _ABOVE), min(len(lines), start + _INTO)
    # another story's headline and byline (a teaser) say nothing about this page
    order = sorted(
        (i for i in range(lo, hi) if junk[i] is not LineReason.TEASER),
        key=lambda i: (i >= start, abs(start - i)),
    )
    deeper = [
        i
        for i in range(hi, min(len(lines), start + _BYLINE_INTO))
        if junk[i] is not LineReason.TEASER
    ]
    byline_at = _find_byline(lines, order + deeper, meta, start)
    _find_dates(lines, units, order, meta)
    title_at = pick_title(lines, units, junk, meta.used, start)
    if title_at is not None:
        meta.title = headline_text(lines[title_at])
        meta.used[title_at] = LineReason.TITLE
    if not meta.authors and byline_at is None:
        _bare_name_byline(lines, lo - 1 if title_at is None else title_at, start, meta)
    if not meta.authors:
        _closing_cjk_byline(lines, start, meta)
    meta.authors = [a for a in (clean_author(name) for name in meta.authors) if a]
    return meta


def _find_dates(
    lines: Sequence[str], units: Sequence[float], order: Sequence[int], meta: PageMeta
) -> None:
    """Date lines (and clock or age lines) of the header; a name printed on one is the author."""
    dates: list[tuple[int, str]] = []
    for i in order:
        if i in meta.used:
            continue
        found = _is_dateline(lines[i], units[i])
        if found:
            dates.append((i, found))
            meta.used[i] = LineReason.DATELINE
            if not meta.authors:
                name = _name_before_date(lines[i]) or _name_after_date(lines[i])
                if name:
                    meta.authors = [name]
        elif units[i] <= 6 and _may_be_age(lines[i]):
            meta.used[i] = LineReason.DATELINE
        elif units[i] <= _MAX_DATELINE_UNITS and not meta.authors:
            name = _name_before_relative_date(lines[i])
            if name:
                meta.authors = [name]
                meta.used[i] = LineReason.BYLINE
    if meta.published_at is None and dates:
        labelled = [d for i, d in dates if PUBLISHED_LABEL.search(lines[i])]
        meta.published_at = labelled[0] if labelled else dates[0][1]


def _may_be_age(line: str) -> bool:
    """A clock or age line ('09:15', '3 hours ago', 'an hour ago'); cheap tests first."""
    if not _DIGIT.search(line) and not AGE_NUMBER_WORD.match(line):
        return False  # what every clock or age pattern needs
    return bool(CLOCK_LINE.match(line) or AGE_LINE.search(line))


def _closing_cjk_byline(lines: Sequence[str], start: int, meta: PageMeta) -> None:
    """'[责任编辑:肖春芳]': Chinese and Korean pages sign an article under its last paragraph.

    Only the explicit reporter and editor labels are read there, and only up
    to the first one: a bare name under a body is as often a commenter's.
    """
    for i in range(start, min(len(lines), start + _CLOSING_REACH)):
        if i in meta.used or len(lines[i]) > _MAX_CLOSING_CHARS or lines[i].isascii():
            continue
        byline = parse_byline(lines[i])
        if byline is not None:
            meta.authors = byline.authors
            meta.used[i] = LineReason.BYLINE
            return


def _name_after_date(line: str) -> str | None:
    """'Dec 17, 2025Julian K. Arni' -> 'Julian K. Arni': a name closing a date line."""
    match = _NAME_AFTER_DATE.search(line)
    if match is None:
        return None
    name = match.group(1).strip()
    return name if len(name.split()) >= 2 and looks_like_name(name) else None


def _name_before_date(line: str) -> str | None:
    """'Dan Goodin - Apr 16, 2015 8:02 pm UTC' -> 'Dan Goodin': a name opening a date line."""
    match = DATE_AFTER_NAME.search(line)
    if match is None or match.start() == 0:
        return None
    name = _undouble(line[: match.start()].strip(" -–—|•·,:/"))
    return name if len(name.split()) >= 2 and looks_like_name(name) else None


def _name_before_relative_date(line: str) -> str | None:
    """'Aleš Vávra před 2 hodinami' -> 'Aleš Vávra': a name glued to a relative date."""
    if not _DIGIT.search(line) and "ago" not in line.lower():
        return None  # what every relative date needs
    match = AGE_AFTER_NAME.search(line)
    if match is None or match.start() == 0:
        return None
    name = _undouble(line[: match.start()].strip(" -–—|•·,:/"))
    return name if len(name.split()) >= 2 and looks_like_name(name) else None


def _undouble(text: str) -> str:
    """'Aleš Vávra Aleš Vávra' -> 'Aleš Vávra': a name a page printed twice on one line."""
    words = text.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return text


def _find_byline(lines: Sequence[str], order: list[int], meta: PageMeta, start: int) -> int | None:
    for i in order:
        byline = parse_byline(lines[i])
        if byline is None and not meta.authors and i < start + _INTO:
            inline = inline_byline(lines[i])
            if inline is not None:
                meta.authors = inline[1]
                head = lines[i][: inline[0]]
                date = parse_date(head) if len(head.split()) <= _MAX_DATE_WORDS else None
                if date is None:
                    continue  # the line may be the headline too; a byline proper still wins
                meta.used[i] = LineReason.BYLINE  # 'Tuesday 15 October 2019 by Jane Doe'
                meta.published_at = date
                return i
        names = byline.authors if byline else _byline_names(lines, i)
        if not names:
            continue
        meta.authors = names
        if byline is not None or len(lines[i].split()) <= _MAX_BY_LABEL_WORDS:
            meta.used[i] = LineReason.BYLINE
        if byline is not None:
            meta.site_name = byline.site_name
            meta.published_at = byline.published_at
        elif i + 1 < len(lines):
            meta.used[i + 1] = LineReason.BYLINE
        return i
    return None


def _bare_name_byline(lines: Sequence[str], title_at: int, start: int, meta: PageMeta) -> None:
    """A name alone on a line under the headline, or beside the date line, is the author."""
    near = list(range(title_at + 1, min(start, title_at + 4)))
    for i, reason in sorted(meta.used.items()):
        if reason is LineReason.DATELINE:
            near += [i - 1, i + 1]
    for i in near:
        if i in meta.used or not 0 <= i < len(lines):
            continue
        names = _bare_names(_undouble(lines[i]))
        if names:
            meta.authors = names
            meta.used[i] = LineReason.BYLINE
            return


def _bare_names(line: str) -> list[str]:
    """'Jane Doe' or 'Manoj Jain and Jagpreet Chhatwal': full names (two words or more) only."""
    if len(line) > _MAX_BARE_NAMES_CHARS:
        return []
    parts = [p.strip() for p in BARE_NAME_SEPARATORS.split(line)]
    if all(len(p.split()) >= 2 and looks_like_name(p) for p in parts):
        return parts
    return []
