"""The HTML extractor's body: the article survives, furniture does not, bad input is safe."""

from __future__ import annotations

import time

from presswash.parsers.html import extract_html
from presswash.schemas.stages import LineReason

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
        assert isinstance(found.lines, list)
        assert found.extractor == "html"


def test_huge_inline_script_is_fast_and_ignored() -> None:
    script = "<script>var x = '" + "a" * 10_000_000 + "';</script>"
    page = article_page(extra_body=script)
    start = time.perf_counter()
    found = extract_html(page)
    assert time.perf_counter() - start < 5
    assert found.lines == PARAGRAPHS


def test_fifty_thousand_nested_divs_do_not_hang() -> None:
    page = "<html><body>" + "<div>" * 50_000 + PARAGRAPHS[0] + "</div>" * 50_000 + "</body></html>"
    start = time.perf_counter()
    found = extract_html(page)
    assert time.perf_counter() - start < 5
    assert isinstance(found.lines, list)


def test_hundred_thousand_deep_nesting_unclosed_does_not_hang() -> None:
    page = "<div><span>" * 50_000 + "deep text " * 10
    start = time.perf_counter()
    found = extract_html(page)
    assert time.perf_counter() - start < 5
    assert isinstance(found.lines, list)


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
    assert isinstance(found.lines, list)
