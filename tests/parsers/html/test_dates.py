"""Dates as an HTML page prints them, in text and in its URL: the vocabulary parse_date shares."""

from __future__ import annotations

from presswash.parsers.html.dates import text_date, url_date


def test_html_date_readers_share_the_vocabulary_and_read_urls() -> None:
    assert text_date("ngày 5 tháng 3 năm 2024") == "2024-03-05"
    assert text_date("2024 m. kovo 5 d.") == "2024-03-05"
    assert text_date("2024年3月5日") == "2024-03-05"
    assert text_date("03/04/2025") is None
    assert (text_date("03/04/2025", True), text_date("03/04/2025", False)) == (
        "2025-04-03",
        "2025-03-04",
    )
    assert url_date("https://example.org/news/20240305/plan") == "2024-03-05"
    assert url_date("https://example.org/2024-03-05-plan") == "2024-03-05"
    assert url_date("https://example.org/item/12345678") is None
