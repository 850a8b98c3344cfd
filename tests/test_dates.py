"""parse_date: dates as pages print them, to ISO 8601, never guessed."""

from __future__ import annotations

import pytest

from presswash.parsers.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("By Da Zhigang | China Daily | Updated: 2026-01-06 08:03", "2026-01-06T08:03:00"),
        ("Published 3 March 2025", "2025-03-03"),
        ("2026年1月6日 08:03", "2026-01-06T08:03:00"),
        ("发布时间：2026年1月6日", "2026-01-06"),
        ("2026.01.06", "2026-01-06"),
        ("2026년 1월 6일 오후 3:10", "2026-01-06T15:10:00"),
        ("입력 2026.01.06 08:03", "2026-01-06T08:03:00"),
        ("April 5, 2018 | 6:00 PM", "2018-04-05T18:00:00"),
        ("Updated Jul 24, 2018, 2:15pm EDT", "2018-07-24T14:15:00"),
        ("Sept. 25, 2018", "2018-09-25"),
        ("le 3 mars 2025 à 14h05", "2025-03-03T14:05:00"),
        ("3. März 2025", "2025-03-03"),
        ("3 de marzo de 2025", "2025-03-03"),
        ("Friday 25 December 2015", "2015-12-25"),
        ("25/12/2015", "2015-12-25"),
        ("12/25/2015", "2015-12-25"),
        ("04.05.2015 à 13h36", "2015-05-04T13:36:00"),
    ],
)
def test_written_dates_become_iso(text: str, expected: str) -> None:
    assert parse_date(text) == expected


def test_offset_kept_only_when_written() -> None:
    assert parse_date("2025-03-04T10:00:00+08:00") == "2025-03-04T10:00:00+08:00"
    assert parse_date("2025-03-04T10:00:00Z") == "2025-03-04T10:00:00+00:00"
    assert parse_date("Posted 2015-04-28 10:30 GMT+8") == "2015-04-28T10:30:00+08:00"
    assert parse_date("2025-03-04 10:00") == "2025-03-04T10:00:00"


@pytest.mark.parametrize(
    "text",
    [
        "03/04/2025",  # March or April: the page does not say
        "2025-13-01",
        "31 February 2024",
        "1066-10-14",
        "call 555-1234 today",
        "",
        "no date here at all",
    ],
)
def test_ambiguous_or_implausible_gives_none(text: str) -> None:
    assert parse_date(text) is None


def test_first_date_in_text_wins() -> None:
    assert parse_date("Published March 1, 2020. Updated March 5, 2020") == "2020-03-01"


def test_bounded_on_huge_input() -> None:
    assert parse_date("1" * 200_000) is None
    assert parse_date("x " * 100_000 + "2020-01-01") is None  # beyond the head looked at
