"""clean_textdump: a page's visible text in, the article's lines and fields out."""

from __future__ import annotations

import gzip
import json
import random

import pytest
from hypothesis import given

from presswash.parsers.junklines import junk_reason
from presswash.parsers.textdump import (
    clean_textdump,
    forget_shared_verdicts,
    line_key,
    line_pairs,
)
from presswash.schemas.stages import LineReason
from tests.conftest import RAW, SHARED
from tests.fuzzing import FUZZ, page_text

SAMPLES = SHARED / "samples"

PARAGRAPHS = [
    "The council voted on Tuesday to extend the tram line to the harbour, ending a decade "
    "of argument over the route and its cost to the city.",
    "Work is due to start next spring and to last two years, the mayor said, adding that "
    "the old depot would become a public park once the trams move out.",
    "Residents of the harbour district, who had campaigned for the extension, welcomed the "
    "vote but said they would watch the budget closely as the works go on.",
    "Opponents argued that buses would have served the same streets for a fraction of the "
    "price, and they promised to raise the matter again at the next election.",
]
BODY = "\n".join(PARAGRAPHS)


def _page(*extra_body: str) -> str:
    return (
        "Skip to content\nHome\nNews\nSport\nTram line to reach the harbour\n"
        "By Jane Doe | City Herald | Updated: 2026-01-06 08:03\nShare\nTweet\n"
        + BODY
        + "\n"
        + "\n".join(extra_body)
        + "\nMost Viewed\nBack to top\nCopyright 2026 City Herald. All rights reserved.\n"
    )


@pytest.mark.parametrize("name", ["000_a666fe7f38a3cd6b", "003_2dbfb27c5b671720"])
def test_samples_come_out_as_expected(name: str) -> None:
    if not SAMPLES.is_dir():
        pytest.skip(f"shared samples not found at {SAMPLES} (read-only bench material absent)")
    raw = (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((SAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))
    out = clean_textdump(raw)
    raw_lines = raw.splitlines()
    text = "\n".join(out.lines)
    assert " ".join((out.title or "").split()) == " ".join(expected["title"].split())
    if expected["authors"] != "either":
        assert out.authors == expected["authors"]
    assert out.site_name == expected["site_name"]
    if expected["published"] is None:
        assert out.published_at is None
    else:
        assert (out.published_at or "").startswith(expected["published"])
    for number in expected["keep"]:
        assert raw_lines[number - 1].strip() in text, f"line {number} lost"
    for number in expected["drop"]:
        line = raw_lines[number - 1].strip()
        assert not line or line not in text, f"line {number} kept: {line!r}"


def test_furniture_around_the_body_goes_and_is_counted() -> None:
    out = clean_textdump(_page())
    assert out.lines == PARAGRAPHS
    assert out.title == "Tram line to reach the harbour"
    assert out.authors == ["Jane Doe"]
    assert out.removed[LineReason.SHARE] == 2
    assert out.removed[LineReason.TITLE] == 1
    assert out.removed[LineReason.BYLINE] == 1
    assert out.extractor == "textdump"
    assert out.lines_in == sum(1 for line in _page().splitlines() if line.strip())


def test_keyword_stuffed_line_is_spam_in_any_script() -> None:
    spam_zh = (
        "亚洲精品1234,久久久久亚洲国产,最新久久免费视频,我要看一级黄,"
        "久久久性色精品国产免费观看,中文字幕久久一区二区三区"
    )
    spam_en = (
        "cheap viagra online, buy viagra, viagra free, casino bonus, casino slots free, "
        "online casino"
    )
    out = clean_textdump(spam_zh + "\n" + spam_en + "\n" + BODY)
    assert out.lines == PARAGRAPHS
    assert out.removed[LineReason.SPAM] == 2


def test_garbage_inside_the_body_is_removed_under_its_reason() -> None:
    out = clean_textdump(
        "\n".join(
            [
                PARAGRAPHS[0],
                "Global EditionASIA 中文雙語Fran?ais",
                PARAGRAPHS[1],
                "Ã©tÃ© Ã  la plage, câ€™est lâ€™Ã©tÃ©",
                "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
                PARAGRAPHS[2],
                "#news #tram #harbour #city #vote #council #local",
                "https://example.com/a https://example.com/b https://example.com/c",
                PARAGRAPHS[3],
            ]
        )
    )
    assert out.lines == PARAGRAPHS
    assert out.removed[LineReason.MOJIBAKE] == 2
    assert out.removed[LineReason.REPEATED_CHARS] == 1
    assert out.removed[LineReason.LINK_LIST] == 2


def test_consecutive_repeated_paragraph_is_dropped() -> None:
    text = "\n".join([PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[3]])
    out = clean_textdump(text)
    assert out.lines == PARAGRAPHS
    assert out.removed[LineReason.REPEATED] == 1


def test_quoted_sentence_in_another_script_stays() -> None:
    quote = "他说：“我们会继续合作，共同推动两国关系稳定发展。”"
    text = "\n".join([PARAGRAPHS[0], PARAGRAPHS[1], quote, PARAGRAPHS[2], PARAGRAPHS[3]])
    out = clean_textdump(text)
    assert quote in out.lines


def test_foreign_script_debris_goes() -> None:
    text = "\n".join(
        [PARAGRAPHS[0], PARAGRAPHS[1], "热门 推荐 排行 视频 图片", PARAGRAPHS[2], PARAGRAPHS[3]]
    )
    out = clean_textdump(text)
    assert out.lines == PARAGRAPHS
    assert out.removed[LineReason.FOREIGN_SCRIPT] == 1


def test_site_boilerplate_lines_are_removed_even_when_prose() -> None:
    footer = "The City Herald is an independent newspaper owned by its readers since 1901."
    text = "\n".join([*PARAGRAPHS[:2], footer, *PARAGRAPHS[2:]])
    assert footer in clean_textdump(text).lines
    # learned as the pair it forms with the paragraph after it, as on every page of its site
    pair = line_pairs([footer, PARAGRAPHS[2]])[1]
    out = clean_textdump(text, site_boilerplate=frozenset({pair}))
    assert footer not in out.lines and PARAGRAPHS[2] not in out.lines
    assert out.removed[LineReason.SITE_BOILERPLATE] == 2
    # the line alone, among other neighbours, is not what was learned
    assert footer in clean_textdump(text, site_boilerplate=frozenset({line_key(footer)})).lines


def test_line_key_ignores_case_spacing_and_punctuation() -> None:
    assert line_key("Follow us on  Twitter!") == line_key("follow us on twitter")
    assert line_key("Follow us on Twitter") != line_key("Follow us on Facebook")


def test_hard_wrapped_paragraphs_are_joined() -> None:
    wrapped = (
        "The council voted on Tuesday to extend the tram line to the\n"
        "harbour, ending a decade of argument over the route and its cost\n"
        "to the city, and the mayor promised that work would start soon.\n"
    )
    out = clean_textdump(wrapped + "\n".join(PARAGRAPHS[1:]))
    assert out.lines[0].startswith("The council voted") and out.lines[0].endswith("start soon.")
    assert "harbour, ending a decade" in out.lines[0]


def test_explain_lists_every_line_with_its_fate() -> None:
    page = _page()
    out = clean_textdump(page, explain=True)
    assert out.decisions is not None
    assert [d.text for d in out.decisions if d.kept] == out.lines
    assert sum(1 for d in out.decisions if not d.kept) == sum(out.removed.values())
    assert clean_textdump(page).decisions is None


def test_comments_after_the_article_are_not_body() -> None:
    comments = [
        "Comments",
        "Anonymous",
        "I think this is a terrible waste of money and the council should be ashamed of it.",
        "reply",
        "March 4, 2025",
        "Jo",
        "Buses would have been cheaper, everyone knows this, but nobody ever listens to us.",
        "reply",
    ]
    out = clean_textdump(_page(*comments))
    assert out.lines == PARAGRAPHS


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "x" * 2_000_000,
        "!?.,;:" * 10_000,
        "\x00\x01\x02\ufffd" * 1000,
        "<div>" * 50_000,
        "a\n" * 100_000,
        "\u202e\u200b\ufeff" * 1000,
    ],
)
def test_garbage_gives_no_body_and_every_line_is_accounted_for(text: str) -> None:
    out = clean_textdump(text)
    assert out.lines == []
    assert sum(out.removed.values()) == out.lines_in


def test_never_raises_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = "ab .,!?\n\t<>/#@ÃÂ€中文한국어日本語" + "".join(map(chr, range(0x20, 0x7F)))
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3000)))
        out = clean_textdump(text)
        assert sum(out.removed.values()) == out.lines_in - len(out.lines)
        assert all(line.strip() and "\n" not in line for line in out.lines)


def test_non_str_input_gives_empty_result() -> None:
    out = clean_textdump(None)  # type: ignore[arg-type]
    assert out.lines == []


SEO_TERMS = [
    "cheap flights",
    "replica watches",
    "online casino bonus",
    "loan approval fast",
    "weight loss tips",
    "best hotels",
    "seo services",
]
SEO_MODIFIERS = ["buy", "cheap", "best", "top", "online", "free", "deals", "2024", "near me"]


def _keyword_spam(lines: int) -> str:
    rng = random.Random(3)
    out = []
    for _ in range(lines):
        items = [
            f"{rng.choice(SEO_MODIFIERS)} {rng.choice(SEO_TERMS)} {rng.choice(SEO_MODIFIERS)}"
            for _ in range(rng.randint(5, 9))
        ]
        out.append(", ".join(items))
    return "\n".join(out)


def test_a_page_of_keyword_lists_gives_no_body() -> None:
    out = clean_textdump(_keyword_spam(40), explain=True)
    assert out.lines == []
    assert out.removed[LineReason.SPAM] == 40
    assert out.decisions is not None and len(out.decisions) == 40  # not joined into one


def test_keyword_lists_beside_an_article_go_and_the_article_stays() -> None:
    out = clean_textdump(BODY + "\n" + _keyword_spam(6))
    assert out.lines == PARAGRAPHS
    assert out.removed[LineReason.SPAM] == 6


def test_a_real_list_in_a_sentence_is_not_spam() -> None:
    recipe = (
        "For the filling you need flour, sugar, eggs, butter, milk, a pinch of salt and "
        "the zest of one lemon, all at room temperature."
    )
    ingredients = "Ingredients: flour, sugar, eggs, butter, milk, salt, lemon zest"
    out = clean_textdump("\n".join([PARAGRAPHS[0], recipe, PARAGRAPHS[1], *PARAGRAPHS[2:]]))
    assert recipe in out.lines
    assert junk_reason(ingredients) is not LineReason.SPAM


def test_bullet_items_are_not_joined_into_a_paragraph() -> None:
    items = [
        "- the tram line will reach the harbour by 2028, the council said,",
        "- work starts next spring and lasts two years, with the depot closing,",
        "- the old depot becomes a public park once the trams have moved out.",
    ]
    text = "\n".join([PARAGRAPHS[0], *items, *PARAGRAPHS[1:]])
    out = clean_textdump(text, explain=True)
    assert out.decisions is not None
    texts = [d.text for d in out.decisions]
    assert all(item in texts for item in items)


def test_newsletter_prompt_after_the_article_goes() -> None:
    prompt = "Sign up for our morning briefing: the day's local news in your inbox at 7am."
    out = clean_textdump(_page(prompt, "Enter your email", "Sign up"))
    assert prompt not in out.lines
    assert out.lines == PARAGRAPHS


def test_city_council_dump_drops_its_newsletter_prompt() -> None:
    path = RAW / "dumps" / "en_city_council.txt.gz"
    if not path.is_file():
        pytest.skip(f"sample dump {path} absent")
    raw = gzip.decompress(path.read_bytes()).decode("utf-8")
    out = clean_textdump(raw, explain=True)
    prompt = raw.splitlines()[24].strip()
    assert prompt.startswith("Sign up")
    assert prompt not in out.lines
    assert out.decisions is not None
    assert any(d.text == prompt and d.reason == LineReason.BOILERPLATE for d in out.decisions)
    assert len(out.lines) == 8
    assert out.authors == ["Martha Oyelaran"]


def test_a_block_of_player_controls_inside_the_body_goes() -> None:
    controls = [
        "Play Video",
        "Play",
        "Mute",
        "Current Time 0:00",
        "Duration",
        "Fullscreen",
        "Captions",
    ]
    text = "\n".join([PARAGRAPHS[0], PARAGRAPHS[1], *controls, PARAGRAPHS[2], PARAGRAPHS[3]])
    out = clean_textdump(text)
    assert out.lines == PARAGRAPHS


def test_a_typed_list_closing_the_article_is_kept() -> None:
    # Short items with a literal bullet are the author's list, not a menu.
    things = ["granite blocks", "the ocean monument", "rabbits", "armor stands", "banners"]
    things += ["a spectator mode", "the iron trapdoor", "slime blocks", "coarse dirt"]
    items = [f"+ Added {thing}" for thing in things]
    text = "\n".join([*_page_head(), *PARAGRAPHS[:2], *items, *_page_foot()])
    out = clean_textdump(text)
    assert out.lines == [*PARAGRAPHS[:2], *items]


def test_a_photo_gallery_after_the_article_is_not_body() -> None:
    gallery = ["Business news in pictures", "show all"]
    for n in range(1, 9):
        gallery += [
            f"{n}/8",
            f"Headline of slide number {n}",
            f"A caption of a full sentence under the photo of slide {n}, long enough to "
            "pass for a paragraph of the article when read alone.",
            "Getty Images",
        ]
    out = clean_textdump(_page(*gallery))
    assert out.lines == PARAGRAPHS
    assert not any("slide" in line for line in out.lines)


def test_a_share_bar_inside_the_article_does_not_end_it() -> None:
    share_bar = ["Share", "Facebook", "Whatsapp", "Twitter", "Messenger", "Pinterest", "Email"]
    text = "\n".join([*_page_head(), *PARAGRAPHS[:2], *share_bar, *PARAGRAPHS[2:], *_page_foot()])
    out = clean_textdump(text)
    assert out.lines == PARAGRAPHS


def test_prose_about_copyright_is_not_a_footer() -> None:
    long_line = (
        "The studio offered a primer on its strategy during testimony on Tuesday in a lawsuit "
        "over trade secrets and copyright infringement. At the heart of the lawsuit is the "
        "technology that helped the whole industry take off, one of the hottest trends today, "
        "and the judge is expected to rule on it before the end of the year."
    )
    text = "\n".join([*_page_head(), PARAGRAPHS[0], long_line, *PARAGRAPHS[1:], *_page_foot()])
    out = clean_textdump(text)
    assert long_line in out.lines
    assert "Copyright 2026 City Herald. All rights reserved." not in out.lines


def _page_head() -> list[str]:
    return ["Skip to content", "Home", "News", "Sport", "Tram line to reach the harbour"]


def _page_foot() -> list[str]:
    return ["Most Viewed", "Back to top", "Copyright 2026 City Herald. All rights reserved."]


OTHER_STORIES = [
    "Councillors in Millbrook approve a new bus depot after two years of heated public debate",
    "The night market returns to Eastvale with more stalls and later opening hours this summer",
    "Flood barrier inspections find cracks in three sections along the river in Riverton",
    "Bramley school canteen to serve locally grown vegetables from next term, head teacher says",
]


def test_a_list_of_other_stories_after_the_article_goes_as_teaser() -> None:
    out = clean_textdump("\n".join([*PARAGRAPHS, *OTHER_STORIES]))
    assert out.lines == PARAGRAPHS
    assert out.removed[LineReason.TEASER] == len(OTHER_STORIES)


def test_related_links_and_other_stories_bylines_inside_the_article_go_as_teaser() -> None:
    related = "Related: Tram extension opens to riders on the harbour line"
    headline = "Harbour ferry timetable changes for the winter season"
    text = "\n".join(
        [PARAGRAPHS[0], related, PARAGRAPHS[1], headline, "By Dana Whitlock", *PARAGRAPHS[2:]]
    )
    out = clean_textdump(text)
    assert out.lines == PARAGRAPHS
    assert out.removed[LineReason.TEASER] == 3


def test_headlines_each_printed_with_a_date_go_as_teaser_cards() -> None:
    excerpt = "The story in one sentence, as the card prints it."
    cards = [
        *(OTHER_STORIES[0], "Dec 17, 2025", excerpt),
        *(OTHER_STORIES[1], "Dec 16, 2025", excerpt),
        *(OTHER_STORIES[2], "Dec 15, 2025"),
    ]
    out = clean_textdump("\n".join([*PARAGRAPHS[:3], *cards, *PARAGRAPHS[3:]]))
    assert out.lines == PARAGRAPHS
    assert out.removed[LineReason.TEASER] == len(cards)


def test_one_dated_subheading_inside_the_article_stays() -> None:
    subheading = "What the extension means for commuters on the harbour line"
    text = "\n".join([*PARAGRAPHS[:3], subheading, "Dec 17, 2025", *PARAGRAPHS[3:]])
    assert subheading in clean_textdump(text).lines


def test_a_comment_section_after_the_article_goes() -> None:
    comments = [
        "Hans says:",
        "October 17, 2008 at 11:22 am",
        "Truly a fine piece about the harbour line, and I rode it the day it opened to the public.",
        "Mukesh Saini says:",
        "November 7, 2008 at 12:48 pm",
        "The tram saved me twenty minutes each way, which adds up to hours over a working month.",
    ]
    out = clean_textdump("\n".join([*PARAGRAPHS, *comments]))
    assert out.lines == PARAGRAPHS


def test_an_article_printed_twice_is_kept_once() -> None:
    out = clean_textdump("\n".join([*PARAGRAPHS, "Share this article", *PARAGRAPHS]))
    assert out.lines == PARAGRAPHS
    assert out.removed[LineReason.REPEATED] == len(PARAGRAPHS)


def test_the_sources_and_the_author_bio_after_the_article_go() -> None:
    tail = [
        "About the author",
        "Dana Whitlock has covered transport and city politics for the Herald since 2015.",
        "Sources",
        "Minutes of the city council meeting of 14 March, published by the council office.",
    ]
    out = clean_textdump("\n".join([*PARAGRAPHS, *tail]))
    assert out.lines == PARAGRAPHS


BANNER = [
    "We use cookies to offer you the best experience on our website and to show you content "
    "and ads that match your interests, with our partners.",
    "You can withdraw your consent to cookies at any time in the privacy settings of this site.",
]


def test_a_cookie_banner_is_no_article_body() -> None:
    out = clean_textdump("\n".join(["Shop", "Cart", *BANNER, "Add to cart", "Shipping"]))
    assert out.lines == []


def test_a_cookie_banner_beside_a_short_article_does_not_replace_it() -> None:
    article = PARAGRAPHS[:1]
    out = clean_textdump("\n".join([*BANNER, "Menu", "Home", "News", *article]))
    assert out.lines == article


def test_the_author_box_after_the_article_goes() -> None:
    box = [
        "Dana Whitlock",
        "Dana Whitlock is the Herald's transport reporter and has covered the city since 2015.",
    ]
    assert clean_textdump("\n".join([*PARAGRAPHS, *box])).lines == PARAGRAPHS


def test_people_each_named_over_a_paragraph_stay() -> None:
    people = [
        "Dana Whitlock",
        "Dana Whitlock is a tram driver who has worked the harbour route for twelve years.",
        "Lee Marsh",
        "Lee Marsh is a shop owner on the harbour front who campaigned for the extension.",
    ]
    lines = [*PARAGRAPHS, *people]
    assert clean_textdump("\n".join(lines)).lines == lines


def test_a_sentence_quoted_again_later_stays() -> None:
    text = "\n".join([*PARAGRAPHS, PARAGRAPHS[0]])
    assert clean_textdump(text).lines == [*PARAGRAPHS, PARAGRAPHS[0]]


def test_a_subheading_or_a_closing_list_of_sentences_stays() -> None:
    subheading = "What the extension means for commuters on the harbour line"
    steps = ["Check the new timetable.", "Buy a season ticket.", "Plan for the works."]
    text = "\n".join([PARAGRAPHS[0], subheading, *PARAGRAPHS[1:], *steps])
    out = clean_textdump(text)
    assert subheading in out.lines and LineReason.TEASER not in out.removed


@FUZZ
@given(text=page_text)
def test_text_cleaner_never_raises(text: str) -> None:
    extracted = clean_textdump(text, explain=True)
    assert sum(extracted.removed.values()) == extracted.lines_in - len(extracted.lines)
    assert all("\n" not in line for line in extracted.lines)


def test_an_author_box_naming_its_author_twice_goes() -> None:
    """A name, 'Written by', the name again, over one bio: one box, not a list of people."""
    box = [
        "Dana Whitlock",
        "Written by",
        "Dana Whitlock",
        "Dana Whitlock is a reporter who has covered transport and city politics for the Herald "
        "since 2015.",
    ]
    head = ["Home", "Tram line to reach the harbour", "By Dana Whitlock"]
    out = clean_textdump("\n".join([*head, *PARAGRAPHS, "Share", *box, "More from the Herald"]))
    assert out.lines == PARAGRAPHS


RUSSIAN = [
    "Городской совет во вторник проголосовал за продление трамвайной линии до гавани, "
    "положив конец десятилетнему спору о маршруте и его стоимости для города.",
    "Работы начнутся следующей весной и продлятся два года, сообщил мэр, добавив, что "
    "старое депо станет общественным парком после переезда трамваев.",
    "Жители района гавани, добивавшиеся продления линии, приветствовали решение, но "
    "обещали внимательно следить за бюджетом по ходу работ.",
]
RUSSIAN_LINK = "Читайте также другие новости нашего города"
FOOTER = "Copyright 2026 City Herald. All rights reserved."


def _outcome(text: str) -> tuple[object, ...]:
    found = clean_textdump(text, explain=True)
    return found.lines, found.title, dict(found.removed), found.decisions


@pytest.mark.parametrize(
    "first", [_page(), "\n".join(["Новости", *RUSSIAN, FOOTER, RUSSIAN_LINK, "Share"])]
)
def test_a_page_is_cleaned_the_same_after_other_pages(first: str) -> None:
    # Verdicts on short lines are kept across pages: one page must not change another's
    # (the same line may be furniture on a Russian page and a foreign one on an English page).
    later = "\n".join(
        [
            _page("<b>Sponsored</b> <i>content</i> <span>here</span>"),
            "http://a.example/x http://b.example/y http://c.example/z",
            RUSSIAN_LINK,
            RUSSIAN[0],
        ]
    )
    forget_shared_verdicts()
    fresh = _outcome(later)
    forget_shared_verdicts()
    clean_textdump(first)
    assert _outcome(later) == fresh
    assert LineReason.FOREIGN_SCRIPT in fresh[2]
