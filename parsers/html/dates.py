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

_ISO = re.compile(
    r"(?P<y>(?:19|20)\d\d)-?(?P<m>[01]\d)-?(?P<d>[0-3]\d)"
    r"(?:[T ](?P<H>[0-2]\d):?(?P<M>[0-5]\d)(?::?(?P<S>[0-5]\d)(?:[.,]\d{1,9})?)?"
    r"\s*(?P<tz>Z|[+-][01]\d(?::?[0-5]\d)?)?)?"
)
_ISO_TEXT = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
_NUMERIC = re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)\d\d)\b")
_SLASHED = re.compile(r"\b(?P<y>(?:19|20)\d\d)[/.](?P<m>[01]?\d)[/.](?P<d>[0-3]?\d)\b")
_MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "januar": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12, "enero": 1, "febrero": 2, "marzo": 3, "abril": 4,
    "mayo": 5, "junio": 6, "julio": 7, "agosto": 8, "septiembre": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MDY = re.compile(
    rf"\b(?P<mon>{_MONTH_NAMES})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_DMY = re.compile(
    rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?P<mon>{_MONTH_NAMES})\.?,?\s+"
    rf"(?:de\s+)?(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>[01]\d)[/-](?P<d>[0-3]\d)(?:/|-|$)")
_RFC = re.compile(
    rf"\b(?P<d>[0-3]?\d)\s+(?P<mon>{_MONTH_NAMES})\s+(?P<y>(?:19|20)\d\d)"
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
    match = _RFC.search(value)
    if match:
        day = _valid(int(match["y"]), _MONTHS[match["mon"].lower()], int(match["d"]))
        if day:
            return _with_time(day, match["H"], match["M"], match["S"], match["tz"])
    return text_date(value)


def text_date(text: str) -> str | None:
    """A calendar date written out in running text ("March 3, 2024", "3 mars 2024")."""
    for pattern in (_MDY, _DMY):
        match = pattern.search(text)
        if match:
            day = _valid(int(match["y"]), _MONTHS[match["mon"].lower()], int(match["d"]))
            if day:
                return day.isoformat()
    for pattern in (_ISO_TEXT, _SLASHED):
        match = pattern.search(text)
        if match:
            day = _valid(int(match["y"]), int(match["m"]), int(match["d"]))
            if day:
                return day.isoformat()
    return _numeric_date(text)


def _numeric_date(text: str) -> str | None:
    """dd/mm/yyyy or mm/dd/yyyy, only where the numbers themselves say which (one is > 12)."""
    match = _NUMERIC.search(text)
    if not match:
        return None
    a, b, y = int(match["a"]), int(match["b"]), int(match["y"])
    if a > 12 >= b:
        day = _valid(y, b, a)
    elif b > 12 >= a:
        day = _valid(y, a, b)
    elif "." in match.group(0):
        day = _valid(y, b, a)  # dotted dates are day-first wherever they are written
    else:
        return None
    return day.isoformat() if day else None


def url_date(url: str | None) -> str | None:
    """The /yyyy/mm/dd/ date many news URLs carry."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    day = _valid(int(match["y"]), int(match["m"]), int(match["d"]))
    return day.isoformat() if day else None
