"""Single-line verdicts: what is furniture or garbage wherever it sits on a page."""

from __future__ import annotations

import re
import time

import pytest

from presswash.parsers.junklines import junk_reason
from presswash.parsers.vocabulary.furniture import (
    COPYRIGHT_MARKS,
    COPYRIGHT_MARKS_ASCII,
    COPYRIGHT_PHRASE,
)
from presswash.schemas.stages import LineReason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("AFP/GETTY IMAGES", LineReason.CREDIT),
        ("JOHN DOE/REUTERS", LineReason.CREDIT),
        ("Photo: Jane Doe", LineReason.CREDIT),
        ("Like It, Share It!", LineReason.SHARE),
        ("Like & Share", LineReason.SHARE),
        ("Share this", LineReason.SHARE),
        ("Copyright 2026 City Herald.", LineReason.BOILERPLATE),
        ("© 2021 Foo Inc.", LineReason.BOILERPLATE),
        ("Text is copyright 2019 the authors.", LineReason.BOILERPLATE),
        ('<div class="ad-slot"><span>Sponsored</span></div>', LineReason.MARKUP),
        ("var _gaq = _gaq || []; function(){ document.write('x') }", LineReason.MARKUP),
        ("#news #tram #harbour #city #vote #council #local", LineReason.LINK_LIST),
        ("Fran?ais", LineReason.MOJIBAKE),
    ],
)
def test_furniture_and_garbage_are_named(line: str, reason: LineReason) -> None:
    assert junk_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        # A product feature with a slash is not an agency credit in capitals.
        "Stereo headphone/microphone combo jack",
        # The word alone is prose, not a copyright notice.
        "The suit alleges copyright infringement by the firm and two of its partners.",
        "I like it and share it with my friends every single week.",
        # Code words inside other words are not code.
        "The survival of the document's variables was a matter for the windowmakers.",
        "Q&A: the mayor answers readers' questions about the tram line & the depot.",
        "We're told the dress was taken out of the room at 8 AM.",
    ],
)
def test_prose_is_not_junk(line: str) -> None:
    assert junk_reason(line) is None


def test_a_long_line_of_ampersands_and_braces_is_checked_quickly() -> None:
    # The markup pattern must not slow down on prose full of the characters it keys on.
    line = "Q&A {about} the tram & the depot; " * 400
    start = time.process_time()
    for _ in range(20):
        junk_reason(line)
    assert time.process_time() - start < 1.0


def _literal_runs(branch: list[tuple[object, object]]) -> list[str]:
    """The runs of literal characters at the top level of one alternative of a parsed pattern."""
    runs, run = [], ""
    for op, arg in branch:
        if op is re._constants.LITERAL:
            run += chr(arg)
        else:
            runs.append(run)
            run = ""
    return [*runs, run]


def test_every_copyright_alternative_needs_a_mark() -> None:
    # The marks gate the pattern on long lines: an alternative without one would go unseen.
    (op, (_, branches)), *rest = re._parser.parse(COPYRIGHT_PHRASE.pattern).data
    assert op is re._constants.BRANCH and not rest
    for branch in branches:
        runs = _literal_runs(list(branch))
        assert any(mark in run for mark in COPYRIGHT_MARKS for run in runs), runs
    assert all(mark.isascii() for mark in COPYRIGHT_MARKS_ASCII)
    assert set(COPYRIGHT_MARKS) - set(COPYRIGHT_MARKS_ASCII) == {
        mark for mark in COPYRIGHT_MARKS if not mark.isascii()
    }


@pytest.mark.parametrize(
    "tail",
    [
        "Copyright 2026 Herald Media.",
        "© Herald",
        "(c) 2024 x",
        "Tous droits réservés.",
        "저작권자 ⓒ",
    ],
)
def test_a_long_line_closing_with_a_notice_is_a_footer(tail: str) -> None:
    line = " ".join(f"word{i}" for i in range(60)) + " " + tail
    assert junk_reason(line) == LineReason.BOILERPLATE
