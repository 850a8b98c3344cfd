"""The page-type fit's pure parts: the list of site-split CV errors."""

from __future__ import annotations

from types import ModuleType

import numpy as np

from tests.conftest import load_script


def _script() -> ModuleType:
    return load_script("scripts/fit_page_types.py")


def test_cv_errors_list_wrong_pages_by_gold_type_with_their_url() -> None:
    fit = _script()
    types = fit.PAGE_TYPES
    rows = [
        {"id": "0003", "url": "https://forum.example.org/t/1"},
        {"id": "0001", "url": "https://example.com/story"},
        {"id": "0002"},
    ]
    y = np.array([types.index("forum"), types.index("article"), types.index("listing")])
    predicted = np.array([types.index("article"), types.index("article"), types.index("article")])
    lines = fit.cv_errors(rows, y, predicted)
    assert [line.split()[0] for line in lines] == ["0002", "0003"]
    assert lines[1].split()[1:] == ["forum", "->", "article", "https://forum.example.org/t/1"]
    assert lines[0].split()[1:] == ["listing", "->", "article"]


def test_cv_errors_are_empty_when_every_page_is_right() -> None:
    fit = _script()
    y = np.array([0, 1])
    assert fit.cv_errors([{"id": "a"}, {"id": "b"}], y, y.copy()) == []


def test_folds_keep_each_site_whole_and_deal_zero_is_by_size_then_name() -> None:
    fit = _script()
    sites = ["b", "a", "c", "a", "d", "b", "a", "e"]
    folds = fit.folds_of(sites, 2)
    # a (3 pages) to fold 0, b (2) to fold 1, then c, d, e (1 each) by name
    assert [list(f) for f in folds] == [[1, 2, 3, 6, 7], [0, 4, 5]]
    for deal in (1, 2, 3):
        dealt = fit.folds_of(sites, 2, deal)
        assert sorted(i for f in dealt for i in f) == list(range(len(sites)))
        homes = [{sites[i] for i in fold} for fold in dealt]
        assert sum(map(len, homes)) == len(set(sites))
        assert [list(f) for f in dealt] == [list(f) for f in fit.folds_of(sites, 2, deal)]


def test_other_deals_move_sites_of_one_size_between_folds() -> None:
    fit = _script()
    sites = [f"s{i}" for i in range(12)]
    partitions = {tuple(tuple(f) for f in fit.folds_of(sites, 3, deal)) for deal in range(6)}
    assert len(partitions) > 1


def test_common_columns_keep_cues_set_on_enough_sites() -> None:
    fit = _script()
    # column 0 set on pages of sites a and b, column 1 on two pages of site a, column 2 nowhere
    x = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 0.0], [3.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    sites = ["a", "a", "b", "c"]
    assert list(fit.common_columns(x, sites, 2)) == [True, False, False]
    assert list(fit.common_columns(x, sites, 1)) == [True, True, True]
    assert list(fit.common_columns(x, sites, 3)) == [False, False, False]
