"""Publication dates as the page states them, normalised to ISO 8601 and nothing more.

A date is only ever read from what the page says: machine-readable values
first, then a date written out in the visible text near the top, then the
date in the URL path. The offset is kept only when the page gives one, and a
date-time is never shifted to another zone, so the calendar day stays the
one the publisher printed.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from presswash.parsers.vocabulary.dates import MONTH_WORD, MONTHS

_ISO = re.compile(
    r"(?P<y>(?:19|20)\d\d)-?(?P<m>[01]\d)-?(?P<d>[0-3]\d)"
    r"(?:[T ](?P<H>[0-2]\d):?(?P<M>[0-5]\d)(?::?(?P<S>[0-5]\d)(?:[.,]\d{1,9})?)?"
    r"\s*(?P<tz>Z|[+-][01]\d(?::?[0-5]\d)?)?)?"
)
_ISO_TEXT = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
_NUMERIC = re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)\d\d)\b")
_SLASHED = re.compile(r"\b(?P<y>(?:19|20)\d\d)[/.](?P<m>[01]?\d)[/.](?P<d>[0-3]?\d)\b")
_MONTH = rf"(?P<mon>{MONTH_WORD})"
_YEAR = r"(?P<y>(?:19|20)\d\d)(?!\d)"
_MDY = re.compile(rf"(?<!\w){_MONTH}\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}")
_DMY = re.compile(
    rf"(?<![\w.])(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+|d['’]|of\s+)?{_MONTH}"
    rf"\.?,?\s+(?:de\s+|del\s+)?{_YEAR}"
)
_DMY_DASHED = re.compile(  # 04-ago-2021, 05/Mar/2024
    r"(?<![\w.])(?P<d>[0-3]?\d)(?P<sep>[-/])(?P<mon>[^\W\d_]{3,})\.?(?P=sep)" + _YEAR
)
_YMD_NAMED = re.compile(  # 2024. március 5. (hu), 2024 m. kovo 5 d. (lt)
    rf"(?<!\d){_YEAR}\.?\s+(?:m\.\s+)?{_MONTH}\.?\s+(?P<d>[0-3]?\d)(?!\d)"
)
_CJK = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)(?!\d)"
)
_VI = re.compile(  # ngày 5 tháng 3 năm 2024
    r"(?<!\d)(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)(?:\s+năm|,)?\s+(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_HAS_YEAR = re.compile(r"(?:19|20)\d\d")
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)(?P<sep>[/-]?)(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d)(?=/|-|_|\.|$)"
)
_RFC = re.compile(
    rf"\b(?P<d>[0-3]?\d)\s+{_MONTH}\s+(?P<y>(?:19|20)\d\d)"
    r"(?:\s+(?P<H>[0-2]\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?\s*(?P<tz>GMT|UTC|Z|[+-]\d{4})?)?",
    re.IGNORECASE,
)


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _with_time(day: date, hour: str | None, minute: str | None, second: str | None,
               tz: str | None) -> str:  # fmt: skip
    if hour is None or minute is None:
        return day.isoformat()
    try:
        moment = datetime(day.year, day.month, day.day, int(hour), int(minute), int(second or 0))
    except ValueError:
        return day.isoformat()
    stamp = moment.isoformat()
    if not tz:
        return stamp
    tz = tz.upper()
    if tz in {"Z", "GMT", "UTC"}:
        return stamp + "+00:00"
    digits = tz[1:].replace(":", "")
    if len(digits) == 2:
        digits += "00"
    return f"{stamp}{tz[0]}{digits[:2]}:{digits[2:4]}"


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time for a machine-readable date string, or None."""
    if not value:
        return None
    value = value.strip()[:100]
    match = _ISO.search(value)
    if match and match.start() <= 12:
        day = _valid(int(match["y"]), int(match["m"]), int(match["d"]))
        if day:
            return _with_time(day, match["H"], match["M"], match["S"], match["tz"])
    for match in _RFC.finditer(value):
        month = MONTHS.get(match["mon"].lower())
        day = _valid(int(match["y"]), month, int(match["d"])) if month else None
        if day:
            return _with_time(day, match["H"], match["M"], match["S"], match["tz"])
    return text_date(value)


def _month_number(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if "mon" in groups:
        return MONTHS.get(groups["mon"].lower())
    return int(groups["m"])


_WRITTEN = (_MDY, _DMY, _DMY_DASHED, _YMD_NAMED, _CJK, _VI, _ISO_TEXT, _SLASHED)


def text_date(text: str, day_first: bool | None = None) -> str | None:
    """The first calendar date written out in running text ("March 3, 2024", "3 марта 2024").

    Month names are read in every language of the vocabulary; `01/02/2024`
    is read only where the numbers say which is the day, or where the caller
    knows the page's locale (`day_first`).
    """
    return next(iter(text_dates(text, day_first, limit=1)), None)


def text_dates(text: str, day_first: bool | None = None, limit: int = 3) -> list[str]:
    """Up to `limit` dates written in `text`, in reading order (ISO days)."""
    return [day for _, day in dates_at(text, day_first, limit)]


def dates_at(text: str, day_first: bool | None = None, limit: int = 3) -> list[tuple[int, str]]:
    """Up to `limit` (position, ISO day) of the dates written in `text`, in reading order."""
    if not text or _HAS_YEAR.search(text) is None:
        return []
    found: list[tuple[int, str]] = []
    for pattern in _WRITTEN:
        for match in pattern.finditer(text):
            month = _month_number(match)
            day = _valid(int(match["y"]), month, int(match["d"])) if month else None
            if day:
                found.append((match.start(), day.isoformat()))
    for match in _NUMERIC.finditer(text):
        day = _numeric(match, day_first)
        if day:
            found.append((match.start(), day.isoformat()))
    found.sort()
    kept: list[tuple[int, str]] = []
    for at, day_text in found:
        if all(day_text != d for _, d in kept):
            kept.append((at, day_text))
    return kept[:limit]


def numeric_readings(text: str) -> list[str]:
    """Both readings of a written `01/02/2024`, for checking against a date stated elsewhere."""
    match = _NUMERIC.search(text) if text else None
    if not match:
        return []
    days = (_numeric(match, True), _numeric(match, False))
    return sorted({d.isoformat() for d in days if d})


def _numeric(match: re.Match[str], day_first: bool | None) -> date | None:
    """dd/mm/yyyy or mm/dd/yyyy: where the numbers say which (one is > 12), else by locale."""
    a, b, y = int(match["a"]), int(match["b"]), int(match["y"])
    if a > 12 >= b:
        return _valid(y, b, a)
    if b > 12 >= a:
        return _valid(y, a, b)
    if a == b:
        return _valid(y, a, b)
    if "." in match.group(0) and day_first is not False:
        return _valid(y, b, a)  # dotted dates are day-first wherever they are written
    if day_first is None:
        return None
    return _valid(y, b, a) if day_first else _valid(y, a, b)


def url_date(url: str | None) -> str | None:
    """The /yyyy/mm/dd/ (or /yyyy-mm-dd, /yyyymmdd/) date many news URLs carry."""
    if not url:
        return None
    for match in _URL_DATE.finditer(url):
        day = _valid(int(match["y"]), int(match["m"]), int(match["d"]))
        if day:
            return day.isoformat()
    return None
