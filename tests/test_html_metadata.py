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
