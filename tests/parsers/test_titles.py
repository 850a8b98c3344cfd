"""Which line of a dump is its headline: the best weighted sum of clues, found cheaply."""

from __future__ import annotations

import pytest

from presswash.parsers import titles
from presswash.parsers.textdump import clean_textdump
from tests.parsers.test_textmeta import BODY


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


def test_longest_title_case_line_is_a_clue() -> None:
    """The longest title-case line above the body stands out from section labels."""
    head = (
        "Home\nWorld News Today\nTram Line To Reach The Harbour By 2028\nJane Doe\nMarch 4, 2025\n"
    )
    clues = dict(titles.title_clues(*_dump_args(head + BODY)))
    assert clues[2]["longest"] == 1.0 and clues[1]["longest"] == 0.0


def test_a_line_over_a_byline_is_a_clue() -> None:
    head = "Home\nTram line to reach the harbour\nBy Jane Doe\n"
    clues = dict(titles.title_clues(*_dump_args(head + BODY)))
    assert clues[1]["byline_next"] == 1.0


def _clues_of(head: str) -> dict[int, dict[str, float]]:
    """The clues of each candidate line of a dump made of `head` over the usual body."""
    return dict(titles.title_clues(*_dump_args(head + BODY)))


def test_share_of_the_most_topical_candidate_is_a_clue() -> None:
    """A line's overlap with the first paragraph, measured against the best overlap on the page."""
    clues = _clues_of("Subscribe to our weekly newsletter\nTram line to reach the harbour\n")
    assert clues[1]["share_of_top"] == 1.0
    assert clues[0]["share_of_top"] == 0.0


def test_a_copy_with_something_glued_on_is_a_clue() -> None:
    """'Headline - Site' and the plain headline: the plain one is the start of the other."""
    head = (
        "Tram line to reach the harbour - Daily Post\nHome\nNews\nTram line to reach the harbour\n"
    )
    clues = _clues_of(head)
    assert clues[0]["extends_other"] == 1.0 and clues[0]["inside_other"] == 0.0
    assert clues[3]["inside_other"] == 1.0 and clues[3]["extends_other"] == 0.0
