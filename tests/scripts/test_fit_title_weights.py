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
