"""Dates written in free text, turned into ISO 8601 without inventing what the page did not say.

A page's date is written for people: `Updated: 2026-01-06 08:03`, `3 March
2025`, `2026年1月6日`, `2026년 1월 6일 오후 3:10`. We read the first such date,
keep the time and the offset only when they are written, and refuse forms
that could mean two different days (`03/04/2025`) or that no news page
would carry (year 1066, month 13): a missing date costs less than a wrong one.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from presswash.parsers.vocabulary.dates import AFTERNOON_WORDS, MONTH_WORD, MONTHS, MORNING_WORDS

if TYPE_CHECKING:
    from presswash.schemas.document import Extracted

# Longest input looked at: dates sit near the start of what callers pass; the
# cap keeps the work bounded on a whole page handed in by mistake.
_MAX_CHARS = 4000
_MIN_YEAR = 1900
_MAX_YEAR = 2100


# A time after a date: 08:03, 8:03:59, 8:03 pm, 08h03, with an optional written offset.
_TIME = (
    r"(?:[\s,T]+(?:at\s+|à\s+|um\s+|às\s+|a las\s+|alle\s+|-\s+|\|\s+|kl\.?\s+)?"
    r"(?P<hh>\d{1,2})[:h](?P<mi>\d{2})(?::(?P<ss>\d{2}))?(?:\.\d{1,9})?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"\s*(?P<tz>Z\b|(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?\b|UTC\b|GMT\b)?)?"
)

_ISO = re.compile(
    r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"
    r"(?:(?:T|\s+)(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2}))?(?:\.\d{1,9})?"
    r"\s*(?P<tz>Z\b|(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?\b|UTC\b|GMT\b)?)?"
)
_YMD_SEP = re.compile(
    r"(?<![\d.])(?P<y>\d{4})(?P<sep>[./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d.]\d)" + _TIME
)
_CJK = re.compile(
    r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일号]?"
    r"(?:[\s,]*(?P<ampm>오전|오후|上午|下午|午前|午後)?\s*"
    r"(?P<hh>\d{1,2})\s*(?::|时|時|시)\s*(?P<mi>\d{1,2})(?:\s*(?::|分|분)\s*(?P<ss>\d{1,2}))?)?"
)
_DAY_MONTH_YEAR = re.compile(
    r"(?<!\w)(?P<d>\d{1,2})(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+|of\s+)?"
    rf"(?P<mon>{MONTH_WORD})\.?,?\s*(?:de\s+|del\s+)?(?P<y>\d{{4}})(?!\d)" + _TIME,
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)(?P<mon>{MONTH_WORD})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)"
    + _TIME,
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"(?<![\d./-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d])" + _TIME
)

# Cheap tests before the slow patterns: a four-digit year, and a day followed by a year.
_YEAR = re.compile(r"\d{4}")
_DAY_THEN_YEAR = re.compile(r"\d(?:st|nd|rd|th)?,?\s+\d{4}(?!\d)", re.IGNORECASE)


def _valid_day(y: int, m: int, d: int) -> bool:
    if not (_MIN_YEAR <= y <= _MAX_YEAR):
        return False
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _offset(tz: str | None) -> str | None:
    """The written offset as +HH:MM; None when nothing usable is written."""
    if not tz:
        return ""
    tz = tz.strip().upper()
    if tz in {"Z", "UTC", "GMT"}:
        return "+00:00"
    m = re.search(r"([+-])(\d{1,2}):?(\d{2})?$", tz)
    if not m:
        return ""
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    return f"{m.group(1)}{hours:02d}:{minutes:02d}"


def _clock(groups: dict[str, str | None]) -> str | None:
    """The time part `THH:MM:SS[+HH:MM]`, "" when no time is written, None when it is nonsense."""
    if groups.get("hh") is None or groups.get("mi") is None:
        return ""
    hh, mi, ss = int(groups["hh"] or 0), int(groups["mi"] or 0), int(groups.get("ss") or 0)
    ampm = (groups.get("ampm") or "").lower().replace(" ", "")
    if ampm:
        if hh < 1 or hh > 12:
            return None
        if ampm in AFTERNOON_WORDS and hh != 12:
            hh += 12
        elif ampm in MORNING_WORDS and hh == 12:
            hh = 0
    if hh > 23 or mi > 59 or ss > 59:
        return None
    offset = _offset(groups.get("tz"))
    if offset is None:
        return None
    return f"T{hh:02d}:{mi:02d}:{ss:02d}{offset}"


def _iso(y: int, m: int, d: int, groups: dict[str, str | None]) -> str | None:
    if not _valid_day(y, m, d):
        return None
    clock = _clock(groups)
    if clock is None:
        clock = ""
    return f"{y:04d}-{m:02d}-{d:02d}{clock}"


def _from_match(kind: str, match: re.Match[str]) -> str | None:
    g = match.groupdict()
    y = int(g["y"])
    if kind == "named":
        month = MONTHS.get(g["mon"].lower().rstrip("."))
        if month is None:
            return None
        return _iso(y, month, int(g["d"]), g)
    if kind == "numeric":
        a, b = int(g["a"]), int(g["b"])
        if g["sep"] == "." or a > 12:  # dotted dates are day-first wherever they are used
            day, month = a, b
        elif b > 12:
            day, month = b, a
        elif a == b:
            day, month = a, b
        else:
            return None  # 03/04/2025: March or April, the page does not say
        return _iso(y, month, day, g)
    return _iso(y, int(g["m"]), int(g["d"]), g)


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", _ISO),
    ("ymd", _YMD_SEP),
    ("ymd", _CJK),
    ("named", _DAY_MONTH_YEAR),
    ("named", _MONTH_DAY_YEAR),
    ("numeric", _NUMERIC),
)


def parse_date(text: str) -> str | None:
    """The first plausible date written in `text`, as ISO 8601, or None.

    Time and offset are kept only when written; an ambiguous day-month order
    or an impossible date gives None rather than a guess.
    """
    if not text or not isinstance(text, str):
        return None
    head = text[:_MAX_CHARS]
    if _YEAR.search(head) is None:
        return None  # every form read here writes the year in full
    best: tuple[int, str] | None = None
    for kind, pattern in _PATTERNS:
        if pattern is _MONTH_DAY_YEAR and _DAY_THEN_YEAR.search(head) is None:
            continue  # the month alternation is slow to try at every position
        for match in pattern.finditer(head):
            if best is not None and match.start() >= best[0]:
                break
            value = _from_match(kind, match)
            if value is not None:
                best = (match.start(), value)
                break
    return best[1] if best else None


_WRITTEN_SECONDS = re.compile(r"\d:\d{2}:\d{2}|T\d{6}")


def date_precision(value: str | None, written: str | None = None) -> str | None:
    """How precise a date is as the page wrote it: 'day', 'minute' or 'second'.

    Values always carry seconds once a time is known (`T10:05:00`), so the
    text the date was read from decides whether the seconds were written;
    without that text, seconds of :00 are taken as not written.
    """
    if not value:
        return None
    if "T" not in value:
        return "day"
    if written is None:
        return "second" if value[17:19] not in ("", "00") else "minute"
    return "second" if _WRITTEN_SECONDS.search(written) else "minute"


# The widest offsets in use: a local date-time names an instant within this much of UTC.
_EAST = timedelta(hours=14)
_WEST = timedelta(hours=12)


def _moment(value: str) -> tuple[datetime, bool] | None:
    """The value as a datetime and whether it states its offset (a day is its midnight)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment, moment.tzinfo is not None


def after_fetch(value: str | None, fetched_at: str | None) -> bool:
    """True when `value` is certainly later than the fetch, whatever zone either was written in.

    A page cannot state a publication after it was fetched: such a date is a
    scheduled event, a copyright year or a misread. A WARC-Date is UTC; a date
    or a naive time may be anywhere from UTC-12 to UTC+14, so only a date
    later in every zone is refused.
    """
    fetched = parse_date(fetched_at or "")
    found = _moment(value) if value else None
    seen = _moment(fetched) if fetched else None
    if found is None or seen is None:
        return False
    moment, zoned = found
    fetch, fetch_zoned = seen
    if len(fetched or "") == 10:  # only the day is known: its last instant anywhere
        fetch = fetch + timedelta(days=1) + _WEST
    elif fetch_zoned:
        fetch = fetch.astimezone(UTC).replace(tzinfo=None)
    earliest = moment.astimezone(UTC).replace(tzinfo=None) if zoned else moment - _EAST
    return earliest > fetch


def record_dates(given: Any, extracted: Extracted, fetched_at: str | None) -> dict[str, str | None]:
    """The record's date fields: the export's own date first, else the page's; none after fetch.

    `given` is the `published` field an export carried (trusted first, source
    'export'); `extracted` is what the extractor found in the page. The
    modified date is kept apart and only when it is not before the published one.
    """
    published = source = precision = None
    parsed = parse_date(str(given)) if given else None
    if parsed and not after_fetch(parsed, fetched_at):
        published, source, precision = parsed, "export", date_precision(parsed, str(given))
    found = extracted.published_at
    if published is None and found and not after_fetch(found, fetched_at):
        published = found
        source = extracted.published_at_source or "visible"
        precision = extracted.published_at_precision or date_precision(found)
    modified = extracted.modified_at
    if modified and (
        after_fetch(modified, fetched_at) or (published and modified < published[:10])
    ):
        modified = None
    return {
        "published_at": published,
        "published_at_source": source,
        "published_at_precision": precision,
        "modified_at": modified,
    }
