"""No article lost: short items, table layouts, any script, stories outside named containers.

Each page here is small and synthetic, and each shows one way a real news
item used to come out as `no_content` or as somebody else's text: a teaser
wall taken for the story, a menu cell glued to the story in a layout table,
a Chinese item shorter than the prose floor, a story in a container named
like a widget next to a sidebar of other stories, a page closed early.
"""

from __future__ import annotations

from presswash.parsers.html import extract_html, lines
from presswash.parsers.html.blocks import Block
from presswash.parsers.pipeline import Accepted, CleanConfig, clean_document
from presswash.parsers.text_stats import word_count
from presswash.schemas.document import RawDoc, SourceInfo
from presswash.schemas.settings import Settings

NEWS = (
    "The regional water authority said on Monday that repairs to the main pipeline near the "
    "northern reservoir would be finished by Friday, two days earlier than planned. Engineers "
    "worked through the weekend after a leak was found during a routine inspection, and supply "
    "to about four thousand homes was never interrupted, a spokesperson said. Residents were "
    "asked to report any drop in pressure to the authority's hotline."
)
TITLE = "Pipeline repairs ahead of schedule"
TEASERS = [
    ("Council approves new budget for city libraries", "The plan adds two branches and "
     "longer opening hours in the east of the city, officials said."),
    ("Storm closes coastal road for a second day", "Crews are clearing debris after high "
     "winds brought down trees along the route overnight."),
    ("Local team wins the regional championship final", "A late goal settled the final in "
     "front of a record crowd at the municipal stadium."),
    ("Museum reopens after a two-year renovation", "Visitors can see the restored east wing "
     "and a new gallery of modern regional art."),
    ("Hospital opens a new maternity ward downtown", "The unit has twenty beds and will serve "
     "families from three surrounding districts."),
    ("Bus drivers vote to accept the new pay offer", "The agreement ends a dispute that led "
     "to four days of strikes earlier this spring."),
]  # fmt: skip
ARMENIAN = (
    "Երևանի քաղաքապետարանը երկուշաբթի հայտնել է, որ հյուսիսային ջրամբարի մոտ գլխավոր "
    "խողովակաշարի վերանորոգումը կավարտվի ուրբաթ օրը՝ նախատեսվածից երկու օր շուտ։ "
    "Ինժեներներն աշխատել են ամբողջ շաբաթավերջին այն բանից հետո, երբ սովորական ստուգման "
    "ժամանակ արտահոսք է հայտնաբերվել, և մոտ չորս հազար տների ջրամատակարարումը չի "
    "ընդհատվել, հայտնել է խոսնակը։ Բնակիչներին խնդրել են ճնշման ցանկացած անկման մասին "
    "տեղեկացնել թեժ գծով։"
)
CHINESE = (
    "市水务局周一表示，北部水库附近主管道的维修工作将于周五完成，比原计划提前两天。"
    "工程人员在例行检查中发现渗漏后，整个周末都在加班抢修，约四千户居民的供水没有中断。"
    "发言人说，居民如发现水压下降，可拨打热线电话反映。"
)


def teaser_wall(css_class: str = "more-list") -> str:
    """Other stories' linked headlines, each over its standfirst."""
    items = "".join(
        f'<div class="item"><h3><a href="/news/{i}">{head}</a></h3><p>{standfirst}</p></div>'
        for i, (head, standfirst) in enumerate(TEASERS)
    )
    return f'<div class="{css_class}">{items}</div>'


def menu(count: int = 12, sep: str = " | ") -> str:
    return sep.join(f'<a href="/section/{i}">Section {i}</a>' for i in range(count))


def page(body: str, title: str = TITLE, lang: str = "en") -> str:
    return f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'  # noqa: E501


def text_of(html: str) -> str:
    return "\n".join(extract_html(html).lines)


def clean(html: str) -> Accepted:
    data = html.encode("utf-8")
    raw = RawDoc(SourceInfo("file", "page.html", "0" * 64), "html", data=data)
    outcome = clean_document(raw, CleanConfig(Settings().limits, Settings().cleaning, "test"))
    assert isinstance(outcome, Accepted), outcome
    return outcome


def test_short_item_in_a_table_layout_comes_out_without_the_menu() -> None:
    html = page(
        f'<table width="100%"><tr><td width="150">{menu()}</td><td><font size="4"><b>{TITLE}'
        f'</b></font><br><br><font size="2">{NEWS}</font></td></tr></table>'
    )
    record = clean(html).record
    assert record["text"].endswith(NEWS)
    assert "Section" not in record["text"]
    assert 40 <= record["word_count"] <= 80


def test_teaser_wall_in_main_is_not_taken_for_the_story_outside_it() -> None:
    html = page(
        f'<div class="story"><h1>{TITLE}</h1><p>{NEWS}</p></div>'
        f"<main><article>{teaser_wall()}</article></main>"
    )
    text = text_of(html)
    assert text == NEWS


def test_teaser_standfirsts_beside_a_short_story_are_dropped() -> None:
    html = page(
        f'<div id="top">{menu()}</div><div class="wrap"><div class="col"><h1>{TITLE}</h1>'
        f'<div class="txt">{NEWS}</div></div><div class="col2">{teaser_wall("latest")}</div></div>'
    )
    text = text_of(html)
    assert text == NEWS


def test_story_in_another_script_in_a_widget_beside_a_sidebar_of_teasers() -> None:
    html = page(
        f'<div class="menu">{menu()}</div><div class="elementor-widget-container"><h1>'
        f"Խողովակաշարի վերանորոգումը</h1><p>{ARMENIAN}</p></div>"
        f'<div class="sidebar">{teaser_wall()}</div>',
        title="Խողովակաշարի վերանորոգումը",
        lang="hy",
    )
    record = clean(html).record
    assert record["text"] == ARMENIAN
    assert record["language"] == "hy"


def test_short_chinese_item_is_not_rejected() -> None:
    items = "".join(f'<li><a href="/c/{i}">频道{i}</a></li>' for i in range(15))
    html = page(
        f'<ul class="top">{items}</ul><div class="box"><h1>主管道维修提前完成</h1>'
        f'<div class="txt">{CHINESE}</div></div><ul class="bottom">{items}</ul>',
        title="主管道维修提前完成",
        lang="zh",
    )
    record = clean(html).record
    assert record["text"] == CHINESE
    assert record["language"] == "zh"


def test_page_closed_before_its_article_still_yields_the_article() -> None:
    paragraphs = [f"{NEWS} Update {n}: the hotline stays open until Sunday night." for n in "123"]
    story = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f"<html><head><title>{TITLE}</title></head><body><header><nav>{menu()}</nav></header>"
        f"</body></html>\n<div class='page'><h1>{TITLE}</h1>{story}</div>"
    )
    assert text_of(html) == "\n".join(paragraphs)


def test_teaser_lines_marks_standfirsts_only() -> None:
    blocks = [Block(NEWS, "p", 0, True)]
    for head, standfirst in TEASERS:
        blocks += [Block(head, "h3", len(head), True), Block(standfirst, "p", 0, True)]
    marked = lines.teaser_lines(blocks)
    assert marked == set(range(2, len(blocks), 2))


def test_a_feature_list_and_an_faq_are_not_teaser_walls() -> None:
    features = []
    for name in ("Web Console", "Style Editor", "Network Monitor", "Debugger"):
        features += [
            Block(name, "h2", 0, True),
            Block(f"See and change what {name} shows about the page you are on.", "p", 0, True),
            Block(f"Learn more about the {name} tool", "div", 30, True),
        ]
    assert lines.teaser_lines(features) == set()
    faq = []
    questions = [
        "Is the course free of charge?",
        "Do I need to know any maths first?",
        "Can I get a certificate at the end?",
        "How long does the course take?",
    ]
    for question in questions:
        faq += [Block(question, "h4", len(question), True), Block("Yes, it is.", "p", 0, True)]
    assert lines.teaser_lines(faq) == set()


def test_densest_run_skips_menus_and_teasers() -> None:
    blocks = [Block(f"Section {i}", "li", 9, True) for i in range(10)]
    blocks.append(Block(TITLE, "h1", 0, True))
    blocks.append(Block(NEWS, "div", 0, True))
    for head, standfirst in TEASERS:
        blocks += [Block(head, "h3", len(head), True), Block(standfirst, "p", 0, True)]
    first, last = lines.densest_run(blocks) or (0, 0)
    assert blocks[last].text == NEWS
    assert sum(word_count(b.text) for b in blocks[first : last + 1]) < 80


YORUBA = (
    "Ààrẹ orílẹ̀-èdè náà lọ sí ayẹyẹ ṣíṣí ilé ìwòsàn tuntun kan ní olú-ìlú ní ọjọ́ Ajé, ó sì pàdé "
    "àwọn dókítà. Ilé ìwòsàn náà ní ọ̀ọ́dúnrún ibùsùn, wọ́n sì ti kó àwọn ohun èlò ìgbàlódé sínú "
    "rẹ̀. Gómìnà ìpínlẹ̀ náà sọ pé iṣẹ́ náà parí ṣáájú àkókò tí wọ́n fi sí i, àwọn aráàlú sì ń dúpẹ́ "
    "lọ́wọ́ ìjọba. Àwọn olùgbé àdúgbò náà sọ pé wọn kò ní rìnrìn àjò jìnnà mọ́ láti rí ìtọ́jú tó "
    "péye."
)


def test_article_in_a_declared_language_with_no_profile_keeps_its_language() -> None:
    html = page(f"<div><h1>Ilé ìwòsàn</h1><p>{YORUBA}</p></div>", title="Ilé ìwòsàn", lang="yo")
    record = clean(html).record
    assert record["language"] == "yo"
    assert record["text"] == YORUBA


def test_titles_of_two_different_stories_do_not_agree() -> None:
    from presswash.parsers.neardup import titles_agree

    assert titles_agree("Storm closes coastal road | The Ledger", "Storm closes coastal road")
    assert titles_agree("Storm closes coastal road", None)
    assert not titles_agree(
        "Opinion: why the night buses matter | The Ledger",
        "Opinion: the stadium deal is a bad bargain | The Ledger",
    )


def test_a_near_copy_is_the_same_page_fetched_again_or_has_a_title_that_agrees() -> None:
    from presswash.parsers.neardup import may_be_copy, same_page

    page_url = "https://www.ledger.example/opinion/night-buses"
    assert same_page(page_url, "http://ledger.example/opinion/night-buses/#comments")
    assert not same_page(page_url, "https://ledger.example/opinion/stadium-deal")
    assert not same_page(page_url, None)
    assert not same_page("https://ledger.example/", "https://www.ledger.example")  # a home page
    assert not same_page("not a url", "not a url")
    buses, stadium = "Why the night buses matter", "The stadium deal is a bad bargain"
    assert may_be_copy(stadium, page_url, buses, page_url)  # the headline rewritten since
    assert not may_be_copy(stadium, "https://ledger.example/", buses, "https://ledger.example/")
    assert not may_be_copy(stadium, None, buses, page_url)
    assert may_be_copy(None, None, buses, page_url)
