"""Metadata read from an HTML page: title, people, dates, publisher, canonical URL, language."""

from __future__ import annotations

import json

from presswash.parsers.html import extract_html

BODY = "".join(
    f"<p>Paragraph {i} of the story explains, in some detail, what the committee decided and "
    f"why the decision matters to the people who live near the river.</p>"
    for i in range(6)
)


def page(head: str = "", body_top: str = "", lang: str = "en-GB") -> str:
    return f"""<!DOCTYPE html><html lang="{lang}"><head>{head}</head>
<body><article><h1>River plan approved after long fight</h1>{body_top}
<div class="article-body">{BODY}</div></article></body></html>"""


def ld(obj: dict[str, object]) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


NEWS = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "River plan approved after long fight",
    "author": [
        {"@type": "Person", "name": "Maria Lopez"},
        {"@type": "Person", "name": "Tom Becker"},
        {"@type": "Organization", "name": "Valley Gazette"},
    ],
    "datePublished": "2025-03-04T09:15:00+01:00",
    "dateModified": "2025-03-06T18:00:00+01:00",
    "publisher": {"@type": "Organization", "name": "Valley Gazette"},
}


def test_json_ld_people_are_the_authors_not_the_publisher() -> None:
    found = extract_html(page(ld(NEWS) + '<meta name="author" content="Web Desk">'))
    assert found.authors == ["Maria Lopez", "Tom Becker"]
    assert found.site_name == "Valley Gazette"


def test_published_date_keeps_the_stated_offset_and_is_not_the_modified_one() -> None:
    found = extract_html(page(ld(NEWS)))
    assert found.published_at == "2025-03-04T09:15:00+01:00"


def test_json_ld_in_a_graph_is_found() -> None:
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "x"}, NEWS]}
    found = extract_html(page(ld(graph)))
    assert found.authors == ["Maria Lopez", "Tom Becker"]
    assert found.published_at == "2025-03-04T09:15:00+01:00"


def test_meta_tags_when_there_is_no_json_ld() -> None:
    head = (
        '<meta property="og:title" content="River plan approved after long fight | Valley Gazette">'
        '<meta property="og:site_name" content="Valley Gazette">'
        '<meta property="article:published_time" content="2025-03-04T09:15:00">'
        '<meta property="article:modified_time" content="2025-03-05T10:00:00">'
        '<meta name="author" content="By Maria Lopez and Tom Becker">'
    )
    found = extract_html(page(head))
    assert found.title == "River plan approved after long fight"
    assert found.authors == ["Maria Lopez", "Tom Becker"]
    assert found.published_at == "2025-03-04T09:15:00"  # naive: the page gives no offset
    assert found.site_name == "Valley Gazette"


def test_visible_byline_and_time_element() -> None:
    top = (
        '<div class="byline">By <a rel="author" href="/people/maria">Maria Lopez</a>, '
        "Staff Writer</div>"
        '<time datetime="2025-03-04" class="published">March 4, 2025</time>'
    )
    found = extract_html(page(body_top=top))
    assert found.authors == ["Maria Lopez"]
    assert found.published_at == "2025-03-04"
    assert "By Maria Lopez" not in " ".join(found.lines)


def test_byline_with_date_and_role_gives_only_the_name() -> None:
    top = '<p class="article-byline">By Tom Becker, Senior Correspondent May 3, 2024 10:02 am</p>'
    found = extract_html(page(body_top=top))
    assert found.authors == ["Tom Becker"]


def test_no_date_on_the_page_means_no_date() -> None:
    found = extract_html(page())
    assert found.published_at is None


def test_visible_date_when_no_machine_readable_one() -> None:
    found = extract_html(page(body_top='<span class="post-date">12 January 2024</span>'))
    assert found.published_at == "2024-01-12"


def test_title_prefers_the_h1_over_a_title_with_site_suffix() -> None:
    found = extract_html(
        page("<title>River plan approved after long fight - Valley Gazette</title>")
    )
    assert found.title == "River plan approved after long fight"


def test_canonical_url_is_resolved_against_the_fetch_url() -> None:
    head = '<link rel="canonical" href="/news/2025/river-plan">'
    found = extract_html(page(head), url="https://gazette.example/news/2025/river-plan?utm=x")
    assert found.url == "https://gazette.example/news/2025/river-plan"


def test_og_url_when_no_canonical_link() -> None:
    head = '<meta property="og:url" content="https://gazette.example/river">'
    assert extract_html(page(head)).url == "https://gazette.example/river"


def test_language_hint_is_the_primary_subtag() -> None:
    assert extract_html(page(lang="en-GB")).language_hint == "en"
    assert extract_html(page(lang="PT_br")).language_hint == "pt"
    no_lang = page(lang="").replace(' lang=""', "")
    head = '<meta http-equiv="content-language" content="de-AT">'
    assert extract_html(no_lang.replace("<head>", f"<head>{head}")).language_hint == "de"


def test_broken_json_ld_is_ignored_and_meta_still_read() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": </script>'
        '<meta name="author" content="Maria Lopez">'
    )
    found = extract_html(page(head))
    assert found.authors == ["Maria Lopez"]


def article_head(published: str, modified: str) -> str:
    return ld({**NEWS, "datePublished": published, "dateModified": modified})


def test_date_labelled_updated_by_the_headline_is_the_modified_date_not_the_published() -> None:
    head = article_head("2024-02-01T10:00:00+00:00", "2025-04-19T08:30:00+00:00")
    for label in ("<p class='meta'>Updated April 19, 2025</p>",
                  "<span>Last updated:</span><span>April 19, 2025</span>"):  # fmt: skip
        found = extract_html(page(head, body_top=label))
        assert found.published_at == "2024-02-01T10:00:00+00:00"
        assert found.published_at_source == "jsonld"
        assert found.modified_at == "2025-04-19T08:30:00+00:00"


def test_unlabelled_date_by_the_headline_that_the_metadata_states_as_modified_wins() -> None:
    head = article_head("2024-02-01T10:00:00+00:00", "2025-04-19T08:30:00+00:00")
    found = extract_html(page(head, body_top="<p class='meta'>April 19, 2025</p>"))
    assert found.published_at == "2025-04-19T08:30:00+00:00"


def test_printed_date_later_than_the_metadata_never_replaces_it() -> None:
    head = article_head("2024-02-01T10:00:00+00:00", "2025-04-19T08:30:00+00:00")
    found = extract_html(page(head, body_top="<p>March 3, 2025</p>"))
    assert found.published_at == "2024-02-01T10:00:00+00:00"


def test_dateline_earlier_than_a_restamped_date_published_is_the_first_publication() -> None:
    head = article_head("2025-06-24", "2025-06-24")  # a CMS migration stamped both
    found = extract_html(page(head, body_top="<p>By Maria Lopez</p><p>August 25, 2024</p>"))
    assert (found.published_at, found.published_at_source) == ("2024-08-25", "visible")
    assert found.published_at_precision == "day"


def test_a_sentence_mentioning_a_date_is_not_a_dateline() -> None:
    head = article_head("2025-03-01T16:35:52", "2025-03-07")
    prose = "<p>On 2 Dec 2024, I received this message from the director of the river agency:</p>"
    assert extract_html(page(head, body_top=prose)).published_at == "2025-03-01T16:35:52"


def test_utc_timestamp_gives_way_to_the_same_instant_in_the_publishers_zone() -> None:
    head = ld({**NEWS, "datePublished": "2017-02-24T01:18:13Z"}) + (
        '<meta property="article:published_time" content="2017-02-23T17:18:13-08:00">'
    )
    assert extract_html(page(head)).published_at == "2017-02-23T17:18:13-08:00"
    forum = ld({"@type": "DiscussionForumPosting", "datePublished": "2025-12-18T23:25:38+00:00"})
    body = '<time datetime="2025-12-19T04:25:38+0500">Yesterday at 4:25 AM</time>'
    assert extract_html(page(forum, body_top=body)).published_at == "2025-12-19T04:25:38+05:00"


def test_local_offset_is_kept_even_when_the_page_prints_the_neighbouring_day_elsewhere() -> None:
    head = '<meta property="article:published_time" content="2021-11-01T10:52:50+01:00">'
    found = extract_html(page(head, body_top="<p>October 31, 2021</p>"))
    assert found.published_at == "2021-11-01T10:52:50+01:00"
    assert (found.published_at_source, found.published_at_precision) == ("meta", "second")


def test_publication_dates_under_other_meta_names_and_in_microdata() -> None:
    head = '<meta name="w-published-date" content="2025-05-27T06:03:43.274Z">'
    assert extract_html(page(head)).published_at == "2025-05-27T06:03:43+00:00"
    micro = '<span itemprop="datePublished" content="2024-06-02T20:22">June 2</span>'
    found = extract_html(page(body_top=micro))
    assert (found.published_at, found.published_at_precision) == ("2024-06-02T20:22:00", "minute")
    assert found.published_at_source == "meta"


def test_visible_dates_in_other_languages_and_the_url() -> None:
    for lang, line, day in (
        ("ru", "Опубликовано 5 марта 2024 г.", "2024-03-05"),
        ("tr", "15 Ekim 2024, 10:30", "2024-10-15"),
        ("uk", "12 листопада 2024", "2024-11-12"),
        ("hu", "2024. március 5.", "2024-03-05"),
        ("ar", "5 تشرين الأول 2024", "2024-10-05"),
        ("es", "FlowGuard on 04-ago-2021 5:11:10", "2021-08-04"),
    ):
        found = extract_html(page(body_top=f"<p>{line}</p>", lang=lang))
        assert (found.published_at, found.published_at_source) == (day, "visible"), line
    canonical = '<link rel="canonical" href="https://example.org/news/20240305/river-plan">'
    found = extract_html(page(canonical))
    assert (found.published_at, found.published_at_source) == ("2024-03-05", "url")


def test_numeric_dates_follow_the_pages_locale_and_relative_forms_are_not_dates() -> None:
    assert extract_html(page(body_top="<p>03/04/2025</p>", lang="en-GB")).published_at == (
        "2025-04-03"
    )
    assert extract_html(page(body_top="<p>03/04/2025</p>", lang="en-US")).published_at == (
        "2025-03-04"
    )
    assert extract_html(page(body_top="<p>03/04/2025</p>", lang="en")).published_at is None
    assert extract_html(page(body_top="<p>2 hours ago</p>", lang="en")).published_at is None


def test_headline_date_does_not_override_on_a_page_that_is_not_an_article() -> None:
    head = (
        '<meta property="og:type" content="website">'
        '<meta property="article:published_time" content="2024-01-03T09:00:00">'
        '<meta property="article:modified_time" content="2024-09-26T09:00:00">'
    )
    found = extract_html(page(head, body_top="<p>Last reply September 26, 2024</p>"))
    assert found.published_at == "2024-01-03T09:00:00"


def test_declared_headline_wins_over_an_h1_that_only_repeats_twitter_title() -> None:
    head = (
        '<meta property="og:title" content="The modern ambitions behind the plan">'
        '<meta name="twitter:title" content="River plan approved after long fight">'
    )
    assert extract_html(page(head)).title == "The modern ambitions behind the plan"


def test_h1_that_og_title_repeats_beats_a_json_ld_headline_nothing_else_names() -> None:
    seo = {**NEWS, "headline": "Valley dam guide and river facts"}
    head = '<meta property="og:title" content="River plan approved after long fight">'
    assert extract_html(page(ld(seo) + head)).title == "River plan approved after long fight"


def test_json_ld_headline_that_the_title_also_names_beats_the_h1() -> None:
    declared = {**NEWS, "headline": "Valley dam plan: what was decided"}
    head = (
        '<meta property="og:title" content="River plan approved after long fight">'
        "<title>Forum - Valley dam plan: what was decided</title>"
    )
    assert extract_html(page(ld(declared) + head)).title == "Valley dam plan: what was decided"


def test_an_entity_escaped_twice_in_the_h1_is_decoded() -> None:
    html = page().replace("long fight</h1>", "long fight &amp;#x26; delay</h1>")
    head = '<meta property="og:title" content="River plan approved after long fight & delay">'
    html = html.replace("<head></head>", f"<head>{head}</head>")
    assert extract_html(html).title == "River plan approved after long fight & delay"


def test_json_ld_headline_entities_are_decoded_and_summaries_skipped() -> None:
    escaped = {**NEWS, "headline": "Dams &amp;#038; weirs: the plan"}
    no_h1 = page(ld(escaped)).replace("<h1>River plan approved after long fight</h1>", "")
    assert extract_html(no_h1).title == "Dams & weirs: the plan"
    summary = {
        **NEWS,
        "headline": "The committee met for six hours on Tuesday and in the end it approved the "
        "plan that residents of the valley had fought against for more than a decade.",
    }
    assert extract_html(page(ld(summary))).title == "River plan approved after long fight"


def test_by_label_in_its_own_element_and_a_capitalised_name() -> None:
    top = '<div><span>By </span><span class="fn">GILLIAN MOHNEY</span></div>'
    assert extract_html(page(body_top=top)).authors == ["GILLIAN MOHNEY"]


def test_co_authors_in_parentheses_are_each_an_author() -> None:
    top = '<p class="byline">Par Martin Untersinger (avec Damien Leloup et Morgane Tual)</p>'
    found = extract_html(page(body_top=top))
    assert found.authors == ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]


def test_every_dublin_core_creator_in_surname_first_order() -> None:
    head = (
        '<meta name="DC.Creator" content="Kooman, F.">'
        '<meta name="DC.Creator" content="Jong, Michiel de">'
    )
    assert extract_html(page(head)).authors == ["F. Kooman", "Michiel de Jong"]


def test_author_link_in_a_byline_leaves_the_role_out() -> None:
    top = (
        '<div class="author"><a class="author-link" href="/author/ben-silverman">Ben Silverman</a>'
        "<span>Games Editor</span></div>"
    )
    assert extract_html(page(body_top=top)).authors == ["Ben Silverman"]


def test_byline_with_date_and_middle_dot_and_a_collective_is_not_a_person() -> None:
    top = (
        '<div class="publish-date-author">'
        "Dec. 19, 2025 · Niko Matsakis on behalf of the docs group</div>"
    )
    assert extract_html(page(body_top=top)).authors == ["Niko Matsakis"]
    assert extract_html(page(body_top='<p class="byline">Our Foreign Staff</p>')).authors == []


def test_many_elements_before_the_headline_stay_fast() -> None:
    filler = "<div><span>x</span> y</div>" * 20_000
    html = f"<html><body>{filler}<h1>Title</h1><p>May 3, 2024</p>{BODY}</body></html>"
    found = extract_html(html)
    assert found.title == "Title"


def test_an_update_repeated_without_its_label_is_still_the_update() -> None:
    head = article_head("2020-07-10T14:15:42+00:00", "2025-01-07T09:08:22+00:00")
    top = "<span>Last Updated:</span><span>January 7, 2025</span><p>January 7, 2025</p>"
    assert extract_html(page(head, body_top=top)).published_at == "2020-07-10T14:15:42+00:00"


def test_a_members_join_date_is_not_the_pages_date() -> None:
    body = (
        "<dl><dd><strong>Joined:</strong> Dec 11, 2021</dd>"
        "<dd><strong>Founded:</strong> Dec 11, 2021</dd></dl><p> » Tue Aug 27, 2019 1:47 am</p>"
    )
    forum = page(body_top=body).replace("<h1>River plan approved after long fight</h1>", "")
    assert extract_html(forum).published_at == "2019-08-27"
