"""Word counts and the hash's normal form, against the expressions that define them.

Both are computed in C passes over bytes and distinct characters for speed;
a record's `content_hash`, `word_count` and near-duplicate signature depend
on them giving exactly what the plain regular expressions give.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from presswash.parsers.text_stats import content_hash, normalise_for_hash, word_count

_NOT_WORD = re.compile(r"[\W_]+")
_UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"  # noqa: E501
_WORD = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")


def _normal_form(text: str) -> str:
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return _NOT_WORD.sub(" ", folded).strip()


def _samples() -> list[str]:
    """Every kind of character between words, and random mixes of scripts and symbols."""
    rng = random.Random(7)
    chars = [chr(cp) for cp in range(0, 0x3100)] + ["\U0001f600", "\U00020000", "\ud800", "_"]
    texts = [f"Word{ch}word {ch}_x{ch}{ch} é—" for ch in chars]
    for _ in range(2000):
        size = rng.randint(0, 80)
        texts.append("".join(rng.choice(chars) for _ in range(size)))
    texts.append("Storm closes road — “quoted”, naïve café; 東京 2026 ½ snake_case\r\n\t end")
    return texts


@pytest.mark.parametrize("chunk", range(4))
def test_the_hash_normal_form_and_word_count_are_the_expressions(chunk: int) -> None:
    texts = _samples()[chunk::4]
    for text in texts:
        assert normalise_for_hash(text) == _normal_form(text), repr(text)
        assert word_count(text) == len(_WORD.findall(text)), repr(text)


def test_copies_differing_in_case_spacing_and_punctuation_hash_alike() -> None:
    assert content_hash("Storm closes  the road.\n") == content_hash("storm — closes the ROAD")
    assert content_hash("Storm closes the road") != content_hash("Storm opens the road")
