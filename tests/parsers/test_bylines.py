"""Author names read from one line: what counts as a person, and bylines glued to other text."""

from __future__ import annotations

import pytest

from presswash.parsers.bylines import inline_byline, looks_like_name, parse_byline


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
def test_hostile_lines_do_not_raise(line: str) -> None:
    parse_byline(line)
    inline_byline(line)
    looks_like_name(line)
