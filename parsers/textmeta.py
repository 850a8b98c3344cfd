"""Title, authors, publisher and date, found among the lines just above a page's body.

A text dump has no <title> or <meta>: the headline, the byline and the date
are plain lines sitting between the menus and the first paragraph, in an
order most sites share (headline, then byline and date, then the body). We
look for them there only, so a name in a comment or a date in a footer is
never taken for the article's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from presswash.parsers.bylines import clean_author, looks_like_name, parse_byline
from presswash.parsers.dates import parse_date
from presswash.parsers.junklines import ends_sentence
from presswash.parsers.patterns import DATE_LABEL
from presswash.schemas.stages import LineReason

# How far above the body the header block may reach, and how far into it.
_ABOVE = 40
_INTO = 3
_MAX_TITLE_UNITS = 40
_MAX_DATELINE_UNITS = 14

_PUBLISHED = re.compile(
    r"publish|posted|veröffentlicht|publié|publicado|pubblicato|发布|發布|입력", re.I
)
_TIME_ONLY = re.compile(r"^\W{0,2}\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?)?\s*[A-Z]{0,4}\W{0,2}$", re.I)
_RELATIVE_TIME = re.compile(
    r"^\W{0,2}(?:\d+|an?|one)\s*(?:s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|d|days?|"
    r"w|weeks?|months?|years?)\b\.?(?:\s*(?:ago|read|reading))?\W{0,2}$"
    r"|\b\d+\s*(?:min|minute)s?\s*read\b|^před \d+|^vor \d+|^il y a \d+|^hace \d+|^há \d+"
    r"|^\d+\s*(?:分钟|小时|天)前$|^\d+\s*(?:분|시간|일)\s*전$",
    re.I,
)
_TRAILING_BY = re.compile(r"\s+(?:by|von|par|por)\s*:?\s*$", re.I)
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_RELATIVE_AFTER_NAME = re.compile(
    r"\s(?:před|vor|il y a|hace|há|fa|för|sitten)\s+\d+"
    r"|\s(?:\d+|an?|one)\s+(?:sec\w*|min\w*|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b",
    re.I,
)
# A byline inside a longer header line, the name followed by a handle, a date or the end.
_INLINE_BY = re.compile(
    r"\s[Bb]y\s+([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})"
    r"(?=\s+@|\s+[A-Z][a-z]+\.? \d|\s*$|\s*[|,·•])"
)
# Explicit bylines ("By ...") may sit a few lines into the body run.
_BYLINE_INTO = 8
_MAX_INLINE_BYLINE_CHARS = 250
_HEADER_REASONS = frozenset({LineReason.BYLINE, LineReason.DATELINE})
# The first paragraphs whose words a headline usually shares.
_BODY_HEAD_LINES = 3
_BODY_HEAD_UNITS = 8
_BODY_HEAD_CHARS = 600
_MAX_REPEAT_CHARS = 200
_DISTANCE_COST = 0.05
_OVERLAP_WEIGHT = 5.0
_CASE_WEIGHT = 1.0
# Headlines may open the body run itself (a long headline scores as text).
_TITLE_INTO = 3
_MAX_BODY_TITLE_UNITS = 25
_FULL_OVERLAP = 3
_MAX_DECK_UNITS = 60
_DECK_BONUS = 1.0
_PROSE_ENDINGS = frozenset(".。,，:：;；")
_STOP_INSIDE = re.compile(r"[.!?。！？]\s+\w|[。！？]\w|[.。！？][\"”’»」』]$")
_MIN_ECHO_CHARS = 12
_QUOTES = re.compile(r"[\"'“”‘’«»「」『』]")
_DATE_START = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
    r"updated|published|posted)\w*\b",
    re.I,
)
_LONE_BY = re.compile(r"^(?:by|von|por|par|door|di|av|af)$", re.I)
_DATE_WORDS = re.compile(
    r"\d|\b(?:updated?|published|posted|on|at|am|pm|a\.m\.|p\.m\.|(?-i:[A-Z]{2,4})|jan\w*|feb\w*|mar\w*|"
    r"apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|mon\w*|tue\w*|wed\w*|thu\w*|"
    r"fri\w*|sat\w*|sun\w*|ago|hours?|minutes?|min|read|time|last)\b|[年月日년월일时分:：,.|/-]",
    re.I,
)


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
    rest = _DATE_WORDS.sub(" ", DATE_LABEL.sub("", line, count=1))
    return found if len(rest.split()) <= 3 else None


def _title_candidate(line: str, units: float, junk: LineReason | None) -> bool:
    if junk is not None or not 2 <= units <= _MAX_TITLE_UNITS:
        return False
    if line.endswith((".", ",", ":", ";")) and not line.endswith("..."):
        return False
    return not (units < 3 and line.isascii())


def _byline_names(lines: Sequence[str], i: int) -> list[str]:
    """Authors on a line that is a bare name, or a lone 'By' followed by the name on the next."""
    line = lines[i]
    if _LONE_BY.match(line) and i + 1 < len(lines) and looks_like_name(lines[i + 1]):
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
    order = sorted(range(lo, hi), key=lambda i: (i >= start, abs(start - i)))
    deeper = range(hi, min(len(lines), start + _BYLINE_INTO))
    byline_at = _find_byline(lines, order + list(deeper), meta, start)
    dates: list[tuple[int, str]] = []
    for i in order:
        if i in meta.used:
            continue
        found = _is_dateline(lines[i], units[i])
        if found:
            dates.append((i, found))
            meta.used[i] = LineReason.DATELINE
            if not meta.authors:
                name = _name_before_date(lines[i])
                if name:
                    meta.authors = [name]
        elif units[i] <= 6 and (_TIME_ONLY.match(lines[i]) or _RELATIVE_TIME.search(lines[i])):
            meta.used[i] = LineReason.DATELINE
        elif units[i] <= _MAX_DATELINE_UNITS and not meta.authors:
            name = _name_before_relative_date(lines[i])
            if name:
                meta.authors = [name]
                meta.used[i] = LineReason.BYLINE
    if meta.published_at is None and dates:
        labelled = [d for i, d in dates if _PUBLISHED.search(lines[i])]
        meta.published_at = labelled[0] if labelled else dates[0][1]
    title_at = _find_title(lines, units, junk, meta.used, lo, start, "\n".join(lines))
    if title_at is not None:
        title = lines[title_at]
        inline = _inline_byline(title)
        if inline is not None:
            title = title[: inline[0]]
        meta.title = _TRAILING_BY.sub("", title).strip()
        meta.used[title_at] = LineReason.TITLE
    if not meta.authors and byline_at is None:
        _bare_name_byline(lines, lo - 1 if title_at is None else title_at, start, meta)
    meta.authors = [a for a in (clean_author(name) for name in meta.authors) if a]
    return meta


def _name_before_date(line: str) -> str | None:
    """'Dan Goodin - Apr 16, 2015 8:02 pm UTC' -> 'Dan Goodin': a name opening a date line."""
    match = _DATE_START.search(line)
    if match is None or match.start() == 0:
        return None
    name = _undouble(line[: match.start()].strip(" -–—|•·,:/"))
    return name if len(name.split()) >= 2 and looks_like_name(name) else None


def _name_before_relative_date(line: str) -> str | None:
    """'Aleš Vávra před 2 hodinami' -> 'Aleš Vávra': a name glued to a relative date."""
    match = _RELATIVE_AFTER_NAME.search(line)
    if match is None or match.start() == 0:
        return None
    name = _undouble(line[: match.start()].strip(" -–—|•·,:/"))
    return name if len(name.split()) >= 2 and looks_like_name(name) else None


def _inline_byline(line: str) -> tuple[int, list[str]] | None:
    """'Headline by Jane Doe @jdoe February 1, 2016' -> (where 'by' starts, ['Jane Doe'])."""
    match = _INLINE_BY.search(line)
    if match is None or match.start() == 0 or len(line) > _MAX_INLINE_BYLINE_CHARS:
        return None
    name = match.group(1)
    return (match.start(), [name]) if looks_like_name(name) else None


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
        if (
            byline is None
            and not meta.authors
            and i < start + _INTO
            and not ends_sentence(lines[i])
        ):
            inline = _inline_byline(lines[i])
            if inline is not None:
                meta.authors = inline[1]
                continue  # the line may be the headline too; a byline proper still wins
        names = byline.authors if byline else _byline_names(lines, i)
        if not names:
            continue
        meta.authors = names
        meta.used[i] = LineReason.BYLINE
        if byline is not None:
            meta.site_name = byline.site_name
            meta.published_at = byline.published_at
        elif i + 1 < len(lines):
            meta.used[i + 1] = LineReason.BYLINE
        return i
    return None


def _content_words(text: str) -> set[str]:
    """Words that carry a topic: long words, or single characters of an unspaced script."""
    words = {w for w in _WORD.findall(text.casefold()) if len(w) >= 4 or not w.isascii()}
    return words


def _find_title(
    lines: Sequence[str],
    units: Sequence[float],
    junk: Sequence[LineReason | None],
    used: dict[int, LineReason],
    lo: int,
    start: int,
    page: str,
) -> int | None:
    """The headline: the best title-shaped line above the body (or opening it).

    Each candidate earns points for being near the body, headline-length,
    printed more than once on the page (headline plus breadcrumb or share
    text), sharing topic words with the first paragraphs, and sitting just
    above the byline or date; dates, bare names and clock times are not
    headlines.
    """
    head_words = _head_words(lines, units, start)
    best, best_score = None, -1e9
    for i in range(min(len(lines) - 1, start + _TITLE_INTO), lo - 1, -1):
        if i in used:
            continue
        line, n = _TRAILING_BY.sub("", lines[i]), units[i]
        if not _title_candidate(line, n, junk[i]) or looks_like_name(line):
            continue
        if _TIME_ONLY.match(line) or _RELATIVE_TIME.search(line):
            continue
        echoed = _echoed(line, page)
        header_next = i + 1 in used and used[i + 1] in _HEADER_REASONS
        if i >= start and (
            any(u >= _BODY_HEAD_UNITS for u in units[start:i])
            or not _opens_body(line, n, i, units, echoed or header_next)
        ):
            continue  # no prose above a headline
        words = head_words if i < start else _head_words(lines, units, i + 1)
        score = _title_score(line, n, abs(start - i), words, echoed)
        if header_next:
            score += 1.5
        elif i + 1 < start and i + 1 not in used and n < units[i + 1] <= _MAX_DECK_UNITS:
            score += _DECK_BONUS  # a headline over its standfirst
        if score > best_score:
            best, best_score = i, score
    return best


def _head_words(lines: Sequence[str], units: Sequence[float], start: int) -> set[str]:
    """Topic words of the first paragraphs from `start` on, which a headline usually shares."""
    head_words: set[str] = set()
    taken = 0
    for i in range(start, min(len(lines), start + _BODY_HEAD_LINES * 3)):
        if units[i] >= _BODY_HEAD_UNITS:
            head_words |= _content_words(lines[i][:_BODY_HEAD_CHARS])
            taken += 1
            if taken >= _BODY_HEAD_LINES:
                break
    return head_words


def _opens_body(line: str, n: float, i: int, units: Sequence[float], marked: bool) -> bool:
    """Whether a line at the top of the body run may be its headline, not its first paragraph.

    A long headline scores like prose and lands in the body; it still has no
    closing full stop, and it is echoed elsewhere on the page, or followed by
    the byline or the date, or by a longer paragraph.
    """
    if line[-1] in _PROSE_ENDINGS or n > _MAX_BODY_TITLE_UNITS or _STOP_INSIDE.search(line):
        return False
    return marked or (i + 1 < len(units) and units[i + 1] > n)


def _echoed(line: str, page: str) -> bool:
    """Printed more than once on the page (headline plus breadcrumb, share text or teaser).

    Copies differ in their quotes and in what is glued to them (`Section|Headline`),
    so the longest stretch of the line without quotes is looked for.
    """
    if len(line) > _MAX_REPEAT_CHARS:
        return False
    chunk = max(_QUOTES.split(line), key=len)
    if len(chunk) < _MIN_ECHO_CHARS:
        chunk = line
    return page.count(chunk) > 1


def _title_score(line: str, n: float, distance: int, head_words: set[str], repeated: bool) -> float:
    score = -_DISTANCE_COST * distance
    score += 2.0 if 4 <= n <= 25 else (0.5 if n >= 3 else -0.5)
    if repeated:
        score += 1.0
    words = _content_words(line)
    if words and head_words:
        # Both the share of the line's words and their number: a three-word label
        # naming the topic is not a headline that sums it up.
        shared = len(words & head_words)
        score += _OVERLAP_WEIGHT * (shared / len(words) + min(1.0, shared / _FULL_OVERLAP)) / 2
    if _DIGIT.search(line) and parse_date(line):
        score -= 2.0
    long_words = [w for w in line.split() if len(w) >= 4 and w[:1].isalpha()]
    if len(long_words) >= 2:
        score += _CASE_WEIGHT * sum(w[:1].isupper() for w in long_words) / len(long_words)
    return score


def _bare_name_byline(lines: Sequence[str], title_at: int, start: int, meta: PageMeta) -> None:
    """A name alone on a line under the headline, or beside the date line, is the author."""
    near = list(range(title_at + 1, min(start, title_at + 4)))
    for i, reason in sorted(meta.used.items()):
        if reason is LineReason.DATELINE:
            near += [i - 1, i + 1]
    for i in near:
        if i in meta.used or not 0 <= i < len(lines):
            continue
        line = _undouble(lines[i])
        if len(line.split()) >= 2 and looks_like_name(line):
            meta.authors = [line]
            meta.used[i] = LineReason.BYLINE
            return
