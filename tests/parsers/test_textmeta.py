"""Title, byline, publisher and date read from the lines above a dump's body."""

from __future__ import annotations

import pytest

from presswash.parsers import titles
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


def test_doubled_photo_caption_above_the_body_is_not_the_headline() -> None:
    caption = "Workers lay the first rails of the harbour tram line on a grey morning"
    page = (
        "Menu\nNews\nTram line to reach the harbour by 2028\nMarch 4, 2025\nTags\nTransport\n"
        "Share\nPrint\ntram-harbour-1160x768.jpg\n" + caption + "\n" + caption + "\n" + BODY
    )
    out = clean_textdump(page)
    assert out.title == "Tram line to reach the harbour by 2028"
    assert out.published_at == "2025-03-04"


def test_headline_ending_in_an_abbreviation_after_its_breadcrumb_copy() -> None:
    headline = "How Winter Wreaks Havoc on the Tram Lines of the Harbour District, N.Y.C."
    page = (
        "Sections\nSkip to contentSkip to site index\nLog In\n"
        f"City|{headline}\nSupported by\n{headline}\n" + BODY
    )
    out = clean_textdump(page)
    assert out.title == headline


def test_date_line_with_a_byline_under_the_headline() -> None:
    page = (
        "Home\nArchive\nTram line to reach the harbour by 2028\n"
        "Tuesday 15 October 2019 by Jane Doe\n" + BODY
    )
    out = clean_textdump(page)
    assert out.title == "Tram line to reach the harbour by 2028"
    assert out.authors == ["Jane Doe"]
    assert out.published_at == "2019-10-15"


def test_name_glued_after_the_date_is_the_author() -> None:
    page = "Blog\nTram line to reach the harbour by 2028\nDec 17, 2025Julian K. Arni\n" + BODY
    out = clean_textdump(page)
    assert out.authors == ["Julian K. Arni"]
    assert out.title == "Tram line to reach the harbour by 2028"
    assert out.published_at == "2025-12-17"


def test_headline_ending_in_by_and_the_name_on_the_next_line() -> None:
    page = (
        "Opinion\nTram line to reach the harbour by 2028 by:\nJane Doe\nFrom:\nCity Herald\n"
        "March 13, 2015\n" + BODY
    )
    out = clean_textdump(page)
    assert out.title == "Tram line to reach the harbour by 2028"
    assert out.authors == ["Jane Doe"]


def test_byline_glued_to_the_standfirst() -> None:
    page = (
        "Seascape\nTram line to reach the harbour by 2028\n"
        "The council ends a decade of argument over the route by Jane Ainge Roy (reporting) "
        "and John Roe (photography)\nShare on Facebook\n" + BODY
    )
    out = clean_textdump(page)
    assert out.authors == ["Jane Ainge Roy", "John Roe"]


def test_reading_time_and_list_items_are_not_headlines() -> None:
    page = (
        "Blog\nTram line to reach the harbour by 2028\n19 Dec 2025\nReading time: 2 minutes\n"
        "+ Added a stop at the harbour\n" + BODY
    )
    out = clean_textdump(page)
    assert out.title == "Tram line to reach the harbour by 2028"


def test_numbered_section_heading_does_not_beat_the_headline() -> None:
    page = (
        "Guides\nThe harbour tram: what the council decided and why\nJane Doe\nMarch 4, 2025\n"
        "Contents\n1. The vote\n2. The route\n3. The cost\n1. The vote\n" + BODY
    )
    out = clean_textdump(page)
    assert out.title == "The harbour tram: what the council decided and why"
    assert out.authors == ["Jane Doe"]


CJK_BODY = (
    "市议会周二投票决定将有轨电车线路延伸至港口，结束了围绕路线及其成本长达十年的争论。"
    "工程预计明年春天开工，持续两年。\n"
    "港口区居民对投票结果表示欢迎，但表示将密切关注工程预算的执行情况，并希望尽快公布施工时间表。\n"
)


def test_cjk_header_line_with_an_empty_author_field() -> None:
    header = "2017-03-10 09:58:03来源：城市日报作者：责任编辑：肖春芳"
    page = "首页\n有轨电车将延伸至港口\n" + header + "\n" + CJK_BODY
    out = clean_textdump(page)
    assert out.authors == ["肖春芳"]
    assert out.published_at == "2017-03-10T09:58:03"


def test_cjk_editor_line_closing_the_article() -> None:
    page = "首页\n有轨电车将延伸至港口\n" + CJK_BODY + "[责任编辑:崔宁宁]\n相关新闻\n"
    out = clean_textdump(page)
    assert out.authors == ["崔宁宁"]
    assert not any("崔宁宁" in line for line in out.lines)


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        ("By\nA. J. Neal\n", ["A. J. Neal"]),
        ("Author\nJane Doe\nUpdated on\n", ["Jane Doe"]),
        ("Jane Doe and John Roe\n", ["Jane Doe", "John Roe"]),
    ],
)
def test_bare_and_labelled_names_under_the_headline(header: str, authors: list[str]) -> None:
    page = "Menu\nTram line to reach the harbour by 2028\n" + header + "March 4, 2025\n" + BODY
    out = clean_textdump(page)
    assert out.title == "Tram line to reach the harbour by 2028"
    assert out.authors == authors


def _dump_args(page: str) -> tuple[list[str], list[float], list[None], dict, int]:
    """A dump split as the picker sees it: lines, their sizes in words, no junk, body start."""
    lines = page.splitlines()
    units = [float(len(line.split())) for line in lines]
    start = next(i for i, n in enumerate(units) if n >= 20)
    return lines, units, [None] * len(lines), {}, start


def _best_by_clues(args: tuple[list[str], list[float], list[None], dict, int]) -> int | None:
    """The headline by brute force: every candidate's full weighted sum, the first best wins."""
    best, best_score = None, float("-inf")
    for i, clues in titles.title_clues(*args):
        score = sum(titles.WEIGHTS[name] * value for name, value in clues.items())
        if score > best_score:
            best, best_score = i, score
    return best


PAGES = [
    "Home\nWorld news today\nSport\nTram line to reach the harbour by 2028\n"
    "Jane Doe\nMarch 4, 2025\n" + BODY,
    "Menu\nLe tramway ira jusqu’au port en 2028\nPolitique locale et régionale\n"
    "Le conseil a voté mardi l’extension du tramway jusqu’au port, mettant fin à dix ans "
    "de débats sur le tracé et son coût pour la ville, a déclaré la maire.\n"
    "Les travaux débuteront au printemps prochain et dureront deux ans, selon la mairie, "
    "qui promet un parc public à la place de l’ancien dépôt des trams.\n",
    "Accueil › Le tramway ira jusqu’au port en 2028\nLe tramway ira jusqu’au port en 2028\n"
    "Le conseil a voté mardi l’extension du tramway jusqu’au port, mettant fin à dix ans "
    "de débats sur le tracé et son coût pour la ville, a déclaré la maire.\n",
    "首页\n新闻\n市议会批准有轨电车延伸至港口\n2025年3月4日\n"
    "市议会周二投票批准将有轨电车线路延伸至港口，结束了关于线路和成本长达十年的争论。"
    " 工程 将于 明年 春天 开始 并 持续 两年 市长 表示 旧车 站 将 改建 为 公园 供 市民 使用\n",
]


@pytest.mark.parametrize("page", PAGES)
def test_pick_title_is_the_best_scored_candidate(page: str) -> None:
    args = _dump_args(page)
    assert titles.title_clues(*args), "the page should offer candidates"
    assert titles.pick_title(*args) == _best_by_clues(args)


def test_costly_clue_still_decides_when_it_weighs_most(monkeypatch: pytest.MonkeyPatch) -> None:
    # A line far above the body, echoed lower down: with the echo worth a lot, it must win even
    # though its cheap clues rank it last (the costly clues are worked out only for a chance).
    page = (
        "Regional transport budget approved\nAbout us\nContact page\n"
        "Tram line to reach the harbour by 2028\nShare: Regional transport budget approved\n" + BODY
    )
    args = _dump_args(page)
    assert titles.pick_title(*args) == 3
    monkeypatch.setitem(titles.WEIGHTS, "echoed", 60.0)
    assert titles.pick_title(*args) == 0 == _best_by_clues(args)


def test_pick_title_on_degenerate_input() -> None:
    assert titles.pick_title([], [], [], {}, 0) is None
    garbage = ["\x00\x01\ufffd" * 50, "}{" * 1000, "a" * 100_000, "", "ab cd"]
    got = titles.pick_title(garbage, [3.0, 1.0, 1.0, 0.0, 2.0], [None] * 5, {}, 5)
    assert got is None or 0 <= got < 5


def test_headline_over_a_french_body_with_curly_quotes() -> None:
    out = clean_textdump(PAGES[1])
    assert out.title == "Le tramway ira jusqu’au port en 2028"
