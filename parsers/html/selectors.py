"""The tags the extractor sorts elements by, kept as data apart from the code that uses them.

Tags that never hold article text, tags that are furniture by themselves,
tags that start a line or count as a paragraph. The words of class and id
values that mark furniture or the article are vocabulary
(`presswash.parsers.vocabulary.markup`).
"""

from __future__ import annotations

import re

# Subtrees never part of an article's text, whatever their class says.
DROP_TAGS: frozenset[str] = frozenset(
    {
        "script", "style", "template", "svg", "math", "iframe", "object",
        "embed", "canvas", "video", "audio", "source", "track", "img", "picture", "map",
        "input", "select", "option", "button", "textarea", "dialog", "link", "meta",
        "head", "title", "figcaption",
    }
)  # fmt: skip

# Page furniture by its element: removed unless it holds most of the page's text
# (some sites wrap the whole page in a <form> or put the article in an <aside>).
FURNITURE_TAGS: frozenset[str] = frozenset({"nav", "aside", "footer", "header", "form", "menu"})

# Elements that start a new line of text when rendered.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "p", "div", "section", "article", "main", "body", "html", "h1", "h2", "h3", "h4",
        "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table",
        "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "address",
        "center", "fieldset", "details", "summary", "hr", "br", "header", "footer",
        "aside", "nav", "form", "hgroup", "output", "legend",
    }
)  # fmt: skip

HEADINGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# Tags whose text counts as one paragraph for content scoring.
PARAGRAPH_TAGS: frozenset[str] = frozenset({"p", "pre", "blockquote"})
# Containers that count as a paragraph when they hold only inline content.
LOOSE_TEXT_TAGS: frozenset[str] = frozenset(
    {"div", "section", "td", "dd", "article", "span", "li", "dt"}
)

HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
