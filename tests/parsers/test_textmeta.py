"""Title, byline, publisher and date read from the lines above a dump's body."""

from __future__ import annotations

import pytest

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
