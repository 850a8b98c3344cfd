"""Author names read from one line: what counts as a person, and bylines glued to other text."""

from __future__ import annotations

import pytest

from presswash.parsers.bylines import clean_author, inline_byline, looks_like_name, parse_byline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Will Smith", True),
        ("John Hastings", True),
        ("Julian K. Arni", True),
        ("Copy Link", False),
        ("Get Started", False),
        ("SAP Ariba", False),
        ("VIP Rewards", False),
        ("Customer Information", False),
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
    ("line", "authors"),
    [
        (
            "The council ends a decade of argument by Jane Ainge Roy (reporting) and John Roe",
            ["Jane Ainge Roy", "John Roe"],
        ),
        ("JIM WATSON/AFP/Getty Images by Lucas Nolan22 Dec 2016651", ["Lucas Nolan"]),
        ("The harbour tram by Jane Doe @janedoe February 1, 2016", ["Jane Doe"]),
    ],
)
def test_inline_byline(line: str, authors: list[str]) -> None:
    found = inline_byline(line)
    assert found is not None
    assert found[1] == authors
    assert line[found[0] :].lstrip().lower().startswith("by")


@pytest.mark.parametrize(
    "line",
    [
        "Photo by Getty Images",
        "inRead invented by Teads",
        "Stand by Me",
        "The tram will be finished by March 2028",
        "x" * 1000 + " by Jane Doe",
    ],
)
def test_not_inline_bylines(line: str) -> None:
    assert inline_byline(line) is None


def test_co_authors_in_brackets() -> None:
    found = parse_byline("Par Martin Untersinger (avec Damien Leloup et Morgane Tual)")
    assert found is not None
    assert found.authors == ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]


@pytest.mark.parametrize(
    "line",
    ["", "\x00" * 50, "by " * 5000, "作者：" * 3000, "(" * 10_000 + "by Jane Doe"],
)
def test_hostile_lines_are_no_byline_and_no_name(line: str) -> None:
    assert parse_byline(line) is None
    assert inline_byline(line) is None
    assert looks_like_name(line) is False


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
