"""The title fit's cross-validation: folds by site, and its spread over shuffles of the sites."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.conftest import load_script


def _script() -> ModuleType:
    """The fitting script."""
    return load_script("scripts/fit_title_weights.py")


def _pages(fit: ModuleType) -> list:
    """Two candidates a page: the headline has the clue on most sites, the other line on a few."""
    pages = []
    for k in range(12):
        which = "bench" if k % 2 else "modern"
        clue_on_headline = k % 4 != 3
        clues = [{"clue": float(clue_on_headline)}, {"clue": float(not clue_on_headline)}]
        pages.append(fit.Page(f"p{k}", which, f"site{k}", clues, [1.0, 0.0]))
    return pages


def test_repeats_report_mean_and_spread_of_the_shuffles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fit = _script()
    pages = _pages(fit)
    runs = [fit.cross_validated(pages, ["clue"], fit.SEED + k) for k in range(3)]
    fit.show_repeats(pages, ["clue"], 3)
    out = capsys.readouterr().out
    for which in fit.SETS:
        values = [run[which] for run in runs]
        mean = sum(values) / len(values)
        assert f"{which}: 3 shuffles of the sites, cross-val mean {mean:.4f}" in out
        assert f"(min {min(values):.4f}, max {max(values):.4f})" in out


def test_the_default_shuffle_is_the_first_of_the_repeats() -> None:
    fit = _script()
    pages = _pages(fit)
    assert fit.cross_validated(pages, ["clue"]) == fit.cross_validated(pages, ["clue"], fit.SEED)


def _token_f1(true: str | None, pred: str | None) -> float:
    """Token F1 on lower-cased words, as the bench scorer counts them."""
    t, p = (
        (true or "").lower().replace("|", " ").split(),
        (pred or "").lower().replace("|", " ").split(),
    )
    common = sum(min(t.count(w), p.count(w)) for w in set(t))
    return 2 * common / (len(t) + len(p)) if common else 0.0


def test_the_ranking_fit_puts_the_weight_on_the_clue_of_the_headline() -> None:
    fit = _script()
    pages = _pages(fit)
    w = fit.fit(fit.stack(pages, ["clue"]), 1, 0.0)
    assert w[0] > 0
    assert fit.score(fit.stack(pages, ["clue"]), w) == {"bench": 0.5, "modern": 1.0}


def test_the_target_favours_the_best_line_and_skips_pages_with_no_good_line() -> None:
    fit = _script()
    pages = [
        fit.Page("a", "bench", "s1", [{"c": 0.0}, {"c": 1.0}, {"c": 0.5}], [0.2, 1.0, 0.9]),
        fit.Page("b", "modern", "s2", [{"c": 0.0}, {"c": 1.0}], [0.0, 0.0]),
    ]
    share, weight = fit.targets(fit.stack(pages, ["c"]))
    assert share[1] > share[2] > share[0]
    assert abs(share[:3].sum() - 1.0) < 1e-12
    assert list(share[3:]) == [0.0, 0.0]
    assert list(weight) == [1.0, 0.0]


def test_the_shrinkage_is_one_of_the_grid() -> None:
    fit = _script()
    assert fit.choose_shrink(_pages(fit), ["clue"]) in fit.SHRINKS


@pytest.mark.parametrize(
    ("gold", "parts"),
    [
        ("Rates rise again | The Daily Post", ("Rates rise again", "The Daily Post")),
        (
            "Daily Post - Rates rise again in the spring",
            ("Rates rise again in the spring", "Daily Post"),
        ),
        ("Rates: what rises next - Daily Post", ("Rates: what rises next", "Daily Post")),
        (
            "Daily Post: Rates rise again in the spring",
            ("Rates rise again in the spring", "Daily Post"),
        ),
        ("Rates rise again in the spring", None),
        ("Self-driving cars arrive", None),
    ],
)
def test_title_parts_split_a_site_name_off_the_gold(
    gold: str, parts: tuple[str, str] | None
) -> None:
    assert _script().title_parts(gold) == parts


def test_the_ceiling_rebuilds_headline_and_site_from_two_lines() -> None:
    fit = _script()
    page = fit.Page(
        "p",
        "bench",
        "s",
        [{}],
        [_token_f1("Rates rise again | Daily Post", "Rates rise again")],
        gold="Rates rise again | Daily Post",
        lines=[
            "Daily Post",
            "Menu",
            "Rates rise again",
            "The bank said on Monday that rates rise.",
        ],
        texts=["Rates rise again"],
    )
    assert fit.best_rebuilt_f1(page, _token_f1) == 1.0
    assert fit.headline_present(page, _token_f1)
    assert fit.best_line_f1(page, _token_f1) == page.f1[0]
