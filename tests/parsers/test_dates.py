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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 марта 2024 г.", "2024-03-05"),
        ("15 Ekim 2024, 10:30", "2024-10-15T10:30:00"),
        ("5 травня 2024", "2024-05-05"),
        ("5 de març de 2024", "2024-03-05"),
        ("12 Σεπτεμβρίου 2023", "2023-09-12"),
        ("5 בינואר 2024", "2024-01-05"),
        ("3 Agustus 2022", "2022-08-03"),
    ],
)
def test_month_names_of_many_languages(text: str, expected: str) -> None:
    assert parse_date(text) == expected


def test_precision_is_what_was_written() -> None:
    from presswash.parsers.dates import date_precision

    assert date_precision("2024-03-05") == "day"
    assert date_precision("2024-03-05T10:05:00", "2024-03-05 10:05") == "minute"
    assert date_precision("2024-03-05T10:05:00+00:00", "2024-03-05T10:05:00Z") == "second"
    assert date_precision("2024-03-05T10:05:07") == "second"


def test_a_date_after_the_fetch_is_never_kept() -> None:
    from presswash.parsers.dates import after_fetch, record_dates
    from presswash.schemas.document import Extracted

    warc_date = "2024-03-05T10:00:00Z"
    assert after_fetch("2024-03-07", warc_date)
    assert after_fetch("2024-03-05T12:00:00+00:00", warc_date)
    assert not after_fetch("2024-03-06", warc_date)  # already the 6th east of UTC+10
    assert not after_fetch("2024-03-07", None)
    page = Extracted(
        lines=[], published_at="2031-01-01", published_at_source="visible",
        published_at_precision="day", modified_at="2031-02-01",
    )  # fmt: skip
    dates = record_dates(None, page, warc_date)
    assert dates == {"published_at": None, "published_at_source": None,
                     "published_at_precision": None, "modified_at": None}  # fmt: skip
    assert record_dates(None, page, None)["published_at"] == "2031-01-01"


def test_the_exports_own_date_comes_first_and_modified_never_precedes_published() -> None:
    from presswash.parsers.dates import record_dates
    from presswash.schemas.document import Extracted

    page = Extracted(lines=[], published_at="2024-01-01", modified_at="2024-02-01T08:00:00")
    dates = record_dates("2024-03-05T10:05:00Z", page, "2024-04-01T00:00:00Z")
    assert dates == {"published_at": "2024-03-05T10:05:00+00:00", "published_at_source": "export",
                     "published_at_precision": "second", "modified_at": None}  # fmt: skip
    dates = record_dates(None, page, None)
    assert (dates["published_at_source"], dates["modified_at"]) == ("visible", page.modified_at)
