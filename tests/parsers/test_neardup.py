"""Near-duplicate signals: two titles agree only when they name the same story."""

from __future__ import annotations

from presswash.parsers.neardup import titles_agree


def test_titles_of_two_different_stories_do_not_agree() -> None:
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
