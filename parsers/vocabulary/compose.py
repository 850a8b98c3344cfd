"""How the vocabulary's alternatives become patterns, so every theme builds them the same way.

Patterns built here have no case flag: they are matched against the
LOWER-CASED line, since case-insensitive matching costs the regex engine
several times more.
"""

from __future__ import annotations

import re


def whole_line(*alternatives: str) -> re.Pattern[str]:
    """A whole line made of one of the alternatives, up to three non-word characters around it."""
    body = "|".join(alternatives)
    return re.compile(rf"^\W{{0,3}}(?:{body})\W{{0,3}}$")


def any_phrase(*alternatives: str) -> re.Pattern[str]:
    """Any of the alternatives, anywhere in the line."""
    body = "|".join(alternatives)
    return re.compile(rf"(?:{body})")
