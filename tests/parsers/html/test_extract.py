"""The HTML extractor's body: the article survives, furniture does not, bad input is safe.

No article lost: short items, table layouts, any script, stories outside named
containers. Each small synthetic page of the second half shows one way a real
news item used to come out as `no_content` or as somebody else's text: a teaser
wall taken for the story, a menu cell glued to the story in a layout table, a
Chinese item shorter than the prose floor, a story in a container named like a
widget next to a sidebar of other stories, a page closed early.
"""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from presswash.parsers.html import extract_html
from presswash.parsers.pipeline import Accepted, CleanConfig, clean_document
from presswash.schemas.document import RawDoc, SourceInfo
from presswash.schemas.settings import Settings
from presswash.schemas.stages import LineReason
from tests.fuzzing import FUZZ, page_text

PARAGRAPHS = [
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "suburbs, a change residents had requested for more than a decade.",
    "Council members said the extension, which adds four routes, would be paid for by "
    "reallocating money from a road-widening project that was cancelled last spring.",
    "Transit advocates welcomed the decision, but warned that frequency, not coverage, "
    "remains the main complaint of people who ride the buses after midnight.",
    "The first of the new routes is expected to start running in March, according to the "
    "transport department, with the remaining three following by the end of the summer.",
]


def article_page(extra_body: str = "", article_extra: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><title>Night buses reach the suburbs | The Daily Ledger</title></head>
<body>
<header class="site-header"><nav><ul>
  <li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
</ul></nav></header>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
  <button>Accept all</button></div>
<main><article class="post">
  <h1>Night buses reach the suburbs</h1>
  <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
  <div class="article-body">{paragraphs}
  <figure><img src="bus.jpg"><figcaption>A night bus at the central depot. Photo: J. Smith
  </figcaption></figure>
  {article_extra}
  </div>
  <aside class="newsletter-signup"><p>Sign up for our morning newsletter and never miss a
  story from the Ledger.</p></aside>
</article>
<section class="related-articles"><h2>Related</h2><ul>
  <li><a href="/a">Tram fares to rise in January as operator cites energy costs</a></li>
  <li><a href="/b">Bike lanes on Main Street finally get the green light from council</a></li>
</ul></section>
<section id="comments" class="comments-area"><h3>12 comments</h3>
  <div class="comment"><p>About time! I have waited years for a bus home after my shift at the
  hospital, and taxis cost a fortune.</p></div></section>
</main>
{extra_body}
<footer class="site-footer"><p>© 2026 The Daily Ledger. All rights reserved.</p>
  <a href="/privacy">Privacy</a></footer>
</body></html>"""


def test_article_sentences_survive_and_furniture_goes() -> None:
    found = extract_html(article_page())
    text = "\n".join(found.lines)
    assert found.extractor == "html"
    assert found.lines == PARAGRAPHS
    for gone in ("Home", "cookies", "Share on", "bus at the central depot", "newsletter",
                 "Tram fares", "About time", "All rights reserved", "Privacy"):  # fmt: skip
        assert gone not in text


def test_lines_in_and_removed_account_for_the_page() -> None:
    found = extract_html(article_page())
    assert found.lines_in >= len(found.lines) + 5
    assert sum(found.removed.values()) == found.lines_in - len(found.lines)
    assert set(found.removed) <= {reason.value for reason in LineReason}


def test_explain_lists_every_decision_with_a_reason() -> None:
    found = extract_html(article_page(), explain=True)
    assert found.decisions is not None
    kept = [d.text for d in found.decisions if d.kept]
    assert kept == PARAGRAPHS
    assert all(d.reason for d in found.decisions if not d.kept)
    assert extract_html(article_page()).decisions is None


def test_headings_lists_quotes_and_tables_are_kept_as_lines() -> None:
    extra = """
    <h2>What changes for riders</h2>
    <ul><li>Route N4 will serve the hospital and the university campus every twenty minutes.</li>
        <li>Route N7 will connect the northern suburbs with the central station.</li></ul>
    <blockquote><p>We have asked for this for ten years and finally someone listened to us.</p>
    </blockquote>
    <table><tr><th>Route</th><th>First bus</th><th>Last bus</th></tr>
           <tr><td>N4</td><td>23:30</td><td>05:10</td></tr></table>
    """
    found = extract_html(article_page(article_extra=extra))
    assert "What changes for riders" in found.lines
    assert any(line.startswith("Route N4 will serve the hospital") for line in found.lines)
    assert any(line.startswith("We have asked for this") for line in found.lines)
    assert "Route | First bus | Last bus" in found.lines
    assert "N4 | 23:30 | 05:10" in found.lines


def test_a_hub_page_of_teasers_is_not_an_article() -> None:
    teasers = "".join(
        f'<div class="teaser"><h3><a href="/s{i}">Story number {i} about local politics '
        f'and the budget</a></h3><a href="/s{i}">Read more</a></div>'
        for i in range(40)
    )
    nav = "<nav><a href='/'>Home</a></nav>"
    page = f"<html><body>{nav}<div class='grid'>{teasers}</div></body></html>"
    found = extract_html(page)
    assert len("\n".join(found.lines)) < 200


def test_a_page_that_is_mostly_consent_text_gives_no_body() -> None:
    consent = (
        "We and our partners use cookies and similar technologies to store and access "
        "information on your device, for personalised ads and content, ad and content "
        "measurement, audience research and services development. "
    )
    page = f"""<html><body><div class="wrapper">
      <div class="notice"><p>{consent}</p><p>{consent}You can accept all or manage preferences.</p>
      <p>With your consent, we and our third-party partners may use precise geolocation data.
      {consent}</p></div><p>Short teaser.</p></div></body></html>"""
    found = extract_html(page)
    assert not any("cookies" in line for line in found.lines)


def test_broken_markup_still_gives_the_article() -> None:
    paragraphs = "".join(f"<p>{p}" for p in PARAGRAPHS)  # unclosed <p>, no <html>, no <body>
    found = extract_html(f"<div class='story'><b>{paragraphs}<div>")
    text = " ".join(found.lines)
    for paragraph in PARAGRAPHS:
        assert paragraph in text


def test_garbage_and_empty_inputs_never_raise() -> None:
    for junk in ("", "   ", "\x00\x01\x02" * 100, "<<<>>>", "<html", "plain text, no markup",
                 "\ud800 lone surrogate", bytes(range(256)).decode("latin-1")):  # fmt: skip
        found = extract_html(junk)
        assert sum(found.removed.values()) == found.lines_in - len(found.lines), repr(junk)
        assert found.extractor == "html"
        assert (found.title, found.authors, found.published_at) == (None, [], None)


def test_huge_inline_script_is_fast_and_ignored() -> None:
    script = "<script>var x = '" + "a" * 10_000_000 + "';</script>"
    page = article_page(extra_body=script)
    start = time.perf_counter()
    found = extract_html(page)
    assert time.perf_counter() - start < 5
    assert found.lines == PARAGRAPHS


def test_fifty_thousand_nested_divs_do_not_hang_and_the_article_beside_them_stays() -> None:
    # Past libxml2's depth cap the nest is flattened: its text and what sits beside
    # the nest both survive.
    page = article_page(extra_body="<div>" * 50_000 + "cell" + "</div>" * 50_000)
    start = time.perf_counter()
    found = extract_html(page)
    assert time.perf_counter() - start < 5
    assert found.lines == PARAGRAPHS


def test_hundred_thousand_deep_nesting_unclosed_does_not_hang() -> None:
    page = article_page() + "<div><span>" * 50_000 + "deep text " * 10
    start = time.perf_counter()
    found = extract_html(page)
    assert time.perf_counter() - start < 5
    assert found.lines == PARAGRAPHS


def test_twenty_thousand_sibling_divs_are_fine() -> None:
    page = "<html><body>" + "<div>cell</div>" * 20_000 + article_page() + "</body></html>"
    start = time.perf_counter()
    found = extract_html(page)
    assert time.perf_counter() - start < 10
    assert PARAGRAPHS[0] in found.lines


def test_wrongly_decoded_page_does_not_raise() -> None:
    mojibake = "<p>" + "Ã©tÃ© Ã  Paris, lâ€™Ã©quipe a gagnÃ© " * 20 + "</p>"
    found = extract_html(
        f'<html><head><meta charset="windows-1252"></head><body>{mojibake}</body></html>'
    )
    # repairing is the decoder's work: the extractor keeps the paragraph as it is given
    assert len(found.lines) == 1 and found.lines[0].count("lâ€™Ã©quipe a gagnÃ©") == 20


@FUZZ
@given(text=page_text, wrap=st.booleans())
def test_html_extractor_never_raises(text: str, wrap: bool) -> None:
    html = f"<html><body><article><p>{text}</p></article></body></html>" if wrap else text
    found = extract_html(html)
    assert sum(found.removed.values()) == found.lines_in - len(found.lines)
    assert all("\n" not in line for line in found.lines)


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


def test_lines_of_control_and_format_characters_only_are_not_body_text() -> None:
    junk = ["\x01\x02\x03", "\x7f\x7f", "\u200b\u200b\u200d", "\ufeff\u200e", "\x85\x9f", "\ue800"]
    extra = "".join(f"<p>{j}</p><div>{j}</div>" for j in junk) + "<pre>\x01\n\x02\x03</pre>"
    found = extract_html(article_page(article_extra=extra))
    assert found.lines == PARAGRAPHS


def test_a_line_with_one_visible_character_among_controls_stays() -> None:
    found = extract_html(article_page(article_extra="<p>\x01\u00e9\x02 Fin.</p>"))
    assert found.lines == [*PARAGRAPHS, "\x01\u00e9\x02 Fin."]


def test_a_page_footer_of_site_blurbs_is_no_article_however_much_prose() -> None:
    blurb = (
        "<p>At our shop we believe that a life outdoors is a life well lived, and we have "
        "shared that passion with members since long before most of them were born.</p>"
    )
    page = (
        "<html><head><title>Camp stoves</title></head><body><main><ul>"
        + "".join(f"<li><a href='/p/{n}'>Stove model {n}</a> $75.00</li>" for n in range(80))
        + f"</ul></main><footer class='site-foot'>{blurb * 4}</footer></body></html>"
    )
    assert extract_html(page).lines == []
