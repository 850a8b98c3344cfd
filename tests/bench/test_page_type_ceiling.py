"""The page-type ceiling's pure parts: URL keys and shapes, forced errors, clusters, margins."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

from tests.conftest import load_script


def _script() -> ModuleType:
    return load_script("bench/page_type_ceiling.py")


def test_url_key_ignores_www_and_trailing_slash_but_keeps_the_query() -> None:
    ceiling = _script()
    assert ceiling.url_key("https://www.Example.com/a/b/") == "example.com/a/b"
    assert ceiling.url_key("http://example.com/a/b") == "example.com/a/b"
    assert ceiling.url_key("https://example.com/a?id=2") != ceiling.url_key("https://example.com/a")


def test_path_shape_reads_slugs_numbers_and_long_tokens_as_placeholders() -> None:
    ceiling = _script()
    assert ceiling.path_shape("https://x.com/post/proofs-as-types") == "/post/<slug>"
    assert ceiling.path_shape("https://x.com/post/other_title/") == "/post/<slug>"
    assert ceiling.path_shape("https://x.com/2026/05/story") == "/<n>/05/story"
    assert ceiling.path_shape("https://x.com/p/" + "a" * 30) == "/p/<x>"
    assert ceiling.path_shape("https://x.com/") == "/"


def test_forced_errors_are_the_pages_beyond_the_commonest_label() -> None:
    ceiling = _script()
    assert ceiling.forced_errors(["article", "forum", "article"]) == 1
    assert ceiling.forced_errors(["article", "article"]) == 0
    assert ceiling.forced_errors([]) == 0


def test_template_clusters_join_similar_templates_and_one_url_transitively() -> None:
    ceiling = _script()
    a = frozenset({"header", "post", "body", "footer", "nav"})
    b = frozenset({"header", "post", "body", "footer", "nav", "reply"})
    c = frozenset({"grid", "card", "tile"})
    clusters = ceiling.template_clusters([a, b, c, c], ["u1", "u2", "u3", "u1"], 0.8)
    assert sorted(map(sorted, clusters)) == [[0, 1, 2, 3]]
    apart = ceiling.template_clusters([a, c], ["u1", "u2"], 0.8)
    assert sorted(map(sorted, apart)) == [[0], [1]]


def test_margin_sweep_gives_argmax_best_margin_and_the_recall_target() -> None:
    ceiling = _script()
    # type 0 is `article`; the second article loses by 1.0, the forum page wins by 0.5
    s = np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 0.5], [3.0, 0.0]])
    y = np.array([0, 0, 1, 0])
    figures = ceiling.margin_sweep(s, y, 0)
    assert figures["argmax"] == (0.0, 0.75, 2 / 3)
    margin, accuracy, recall = figures[f"at recall {ceiling.TARGET}"]
    assert (margin, accuracy, recall) == (1.0, 0.75, 1.0)
    assert figures["best margin"][1] == 0.75


def test_dump_conflicts_count_identical_dumps_of_two_types(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ceiling = _script()
    pages = [
        {"dump": b"\n", "type": "forum"},
        {"dump": b"\n", "type": "forum"},
        {"dump": b"\n", "type": "product"},
        {"dump": b"story", "type": "article"},
        {"dump": b"story", "type": "article"},
    ]
    assert ceiling.dump_conflicts(pages) == 1
    assert "1 dumps (3 pages)" in capsys.readouterr().out
