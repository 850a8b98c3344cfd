"""Title, byline, publisher and date read from the lines above a dump's body."""

from __future__ import annotations

import pytest

from presswash.parsers.bylines import clean_author, looks_like_name, parse_byline
from presswash.parsers.textdump import clean_textdump

BODY = (
    "The council voted on Tuesday to extend the tram line to the harbour, ending a "
    "decade of argument over the route and its cost to the city.\n"
    "Work is due to start next spring and to last two years, the mayor said, adding "
    "that the old depot would become a public park once the trams move out.\n"
    "Residents of the harbour district, who had campaigned for the extension, welcomed "
    "the vote but said they would watch the budget closely as the works go on.\n"
)


def test_headline_byline_and_date_leave_the_text() -> None:
    page = (
        "Home\nNews\nLocal\nTram line to reach the harbour by 2028\n"
        "By Jane Doe and John Roe | City Herald | Published: 2025-03-04 09:15\nShare\n" + BODY
    )
    out = clean_textdump(page)
    assert out.title == "Tram line to reach the harbour by 2028"
    assert out.authors == ["Jane Doe", "John Roe"]
    assert out.site_name == "City Herald"
    assert out.published_at == "2025-03-04T09:15:00"
    assert not any("Jane Doe" in line or "Tram line to reach" in line for line in out.lines)
    assert len(out.lines) == 3


def test_bare_name_under_headline_is_the_author() -> None:
    page = "Menu\nTram line to reach the harbour by 2028\nJane Doe\nMarch 4, 2025\n" + BODY
    out = clean_textdump(page)
    assert out.title == "Tram line to reach the harbour by 2028"
    assert out.authors == ["Jane Doe"]
    assert out.published_at == "2025-03-04"


def test_page_without_header_has_no_invented_fields() -> None:
    out = clean_textdump(BODY)
    assert out.authors == []
    assert out.published_at is None
    assert out.site_name is None


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Da Zhigang | China Daily | Updated: 2026-01-06 08:03", ["Da Zhigang"]),
        (
            "Por Steven Lee Myers, Keith Bradsher y Tariq Panja",
            ["Steven Lee Myers", "Keith Bradsher", "Tariq Panja"],
        ),
        ("Von Anna Müller und Jens Schmidt", ["Anna Müller", "Jens Schmidt"]),
        ("Par Sébastien Farcis", ["Sébastien Farcis"]),
        ("By Daniel Kahn Gillmor, Senior Staff Technologist, ACLU", ["Daniel Kahn Gillmor"]),
        ("By JEFFREY GETTLEMAN", ["JEFFREY GETTLEMAN"]),
        ("by Ahiza Garcia @ahiza_garcia February 1, 2016: 12:41 PM ET", ["Ahiza Garcia"]),
        ("作者：肖春芳", ["肖春芳"]),
        ("记者 王小明 李华", ["王小明", "李华"]),
        ("김철수 기자 kim@example.com", ["김철수"]),
    ],
)
def test_byline_names(line: str, authors: list[str]) -> None:
    found = parse_byline(line)
    assert found is not None
    assert found.authors == authors


@pytest.mark.parametrize(
    "line",
    [
        "By continuing to use this site you agree",
        "Share on Facebook",
        "by the way, 2020 was a year",
    ],
)
def test_not_bylines(line: str) -> None:
    found = parse_byline(line)
    assert found is None or found.authors == []


def test_publisher_is_not_an_author() -> None:
    found = parse_byline("By Da Zhigang | China Daily")
    assert found is not None
    assert found.authors == ["Da Zhigang"]
    assert found.site_name == "China Daily"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Michiel B. de Jong", True),
        ("JOE HILDEBRAND", True),
        ("Senior Staff Technologist", False),
        ("Read more", False),
        ("Top 10 stories", False),
        ("Иван Петров", True),
        ("Reuters", False),
        ("Sony’s PlayStation VR.", False),
    ],
)
def test_looks_like_name(text: str, expected: bool) -> None:
    assert looks_like_name(text) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("Von Hans Müller", "Hans Müller"),
        ("Por María José García", "María José García"),
        ("오세린 기자", "오세린"),
        ("오세린기자", "오세린"),
        ("记者 张三", "张三"),
        ("記者王小明", "王小明"),
        ("Jane Doe, Staff Writer", "Jane Doe"),
        ("Jane Doe jane.doe@paper.com", "Jane Doe"),
        ("Jane Doe (@janedoe)", "Jane Doe"),
        ("Jane Doe | Reuters", "Jane Doe"),
        ("By Jane Doe, March 3, 2025", "Jane Doe"),
        ("May Smith", "May Smith"),
        ("Mary-Jane O'Neil", "Mary-Jane O'Neil"),
    ],
)
def test_clean_author_keeps_the_person(raw: str, expected: str) -> None:
    assert clean_author(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Staff writer",
        "Email the author",
        "Reuters",
        "BBC News",
        "Associated Press",
        "The Fenwick Courier",
        "March 3, 2025",
        "2025-03-03",
        "jane.doe@paper.com",
        "Follow",
        "",
        "\x00\x01",
        "a" * 100_000,
    ],
)
def test_clean_author_refuses_what_is_not_a_person(raw: str) -> None:
    assert clean_author(raw) is None


def test_name_glued_to_a_relative_date_is_the_author() -> None:
    page = (
        "Menu\nTram line to reach the harbour by 2028\nAleš Vávra Aleš Vávra před 2 hodinami\n"
        + BODY
    )
    out = clean_textdump(page)
    assert out.authors == ["Aleš Vávra"]
    assert not any("Vávra" in line for line in out.lines)


def test_byline_inside_the_headline_line_is_split_off() -> None:
    page = "Menu\nThe harbour tram and its critics by Jane Doe @janedoe February 1, 2016\n" + BODY
    out = clean_textdump(page)
    assert out.authors == ["Jane Doe"]
    assert out.title == "The harbour tram and its critics"


def test_headline_opening_the_body_is_taken_when_echoed_below() -> None:
    headline = "Tram line to reach the harbour after a decade of argument over the route"
    page = (
        "Menu\nNews\n"
        + headline
        + "\n"
        + BODY
        + "Most read\n"
        + headline.replace("harbour", "harbour")
        + " | City Herald\n"
    )
    out = clean_textdump(page)
    assert out.title == headline
    assert headline not in out.lines
