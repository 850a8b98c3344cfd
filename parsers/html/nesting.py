"""Markup nested deeper than libxml2 will go, flattened the way browsers flatten it.

libxml2 stops parsing at 2,048 levels of nesting: everything after that
point, however shallow, never reaches the tree, so an article wrapped in
2,100 `<div>` comes out empty. Browsers keep such content (Blink attaches
elements past 512 levels to the 512th ancestor). Here the markup is read
once as a sequence of tags; past _WRAPPER_DEPTH levels the generic wrappers
(`div`, `span`, `font`...) are left out, past _ANY_DEPTH every opening tag
is, each with its own end tag, so the text stays and the depth stays bounded.
Only pages that libxml2 refused for their depth pay for this.
"""

from __future__ import annotations

import re

_WRAPPER_DEPTH = 512  # Blink's own cap on the depth of the tree it builds
_ANY_DEPTH = 1_500  # well under libxml2's 2,048
_WRAPPERS = frozenset(
    {"div", "span", "section", "font", "center", "small", "big", "b", "i", "u", "em", "strong"}
)
_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr", "keygen", "frame", "basefont", "isindex",
    }
)  # fmt: skip
# Elements that a start tag of their own kind closes (an unclosed <p> before the next <p>).
_SELF_CLOSING = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})
# Raw-text elements and comments are skipped whole: a "<div" inside a script is no tag.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|xmp)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>",
    re.DOTALL | re.IGNORECASE,
)


class _Stack:
    """The open elements as names, and which of them were left out of the markup."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.dropped: list[bool] = []
        self.open: dict[str, int] = {}
        self.depth = 0  # open elements left in the markup: the depth libxml2 will see

    def push(self, name: str, dropped: bool) -> None:
        self.names.append(name)
        self.dropped.append(dropped)
        self.open[name] = self.open.get(name, 0) + 1
        self.depth += not dropped

    def pop(self) -> bool:
        name = self.names.pop()
        self.open[name] -= 1
        dropped = self.dropped.pop()
        self.depth -= not dropped
        return dropped

    def close(self, name: str) -> bool | None:
        """Close the innermost open `name` (and what it holds); whether it was left out.

        None when no such element is open: a stray end tag, which the parser ignores.
        """
        if not self.open.get(name):
            return None
        while True:
            if self.names[-1] == name:
                return self.pop()
            self.pop()


def _keep_start(stack: _Stack, name: str) -> bool:
    """Open an element; whether its start tag stays in the markup."""
    if name in _SELF_CLOSING and stack.names and stack.names[-1] == name:
        stack.pop()
    depth = stack.depth
    dropped = depth >= _ANY_DEPTH or (depth >= _WRAPPER_DEPTH and name in _WRAPPERS)
    stack.push(name, dropped)
    return not dropped


def flatten_nesting(html: str) -> str:
    """The markup with the tags that nest it past the caps left out (text untouched)."""
    stack = _Stack()
    pieces: list[str] = []
    done = 0
    for token in _TOKEN.finditer(html):
        name = token.group(3)
        if name is None:
            continue
        name = name.lower()
        if token.group(2):
            keep = not stack.close(name)
        elif token.group(4) or name in _VOID:
            keep = True
        else:
            keep = _keep_start(stack, name)
        if not keep:
            pieces.append(html[done : token.start()])
            done = token.end()
    if not pieces:
        return html
    pieces.append(html[done:])
    return "".join(pieces)
