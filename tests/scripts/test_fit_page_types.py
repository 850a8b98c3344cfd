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
