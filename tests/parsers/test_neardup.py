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
