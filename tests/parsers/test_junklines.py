"""Single-line verdicts: what is furniture or garbage wherever it sits on a page."""

from __future__ import annotations

import time

import pytest

from presswash.parsers.junklines import junk_reason
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
