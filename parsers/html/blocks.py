"""Turning the pruned tree into lines of text, the way a browser would break them.

One streaming walk (lxml's `iterwalk`, in C, no recursion) over the body:
every block element starts and ends a line, `<br>` breaks one, a table row
whose cells hold only inline content becomes one line with the cells joined
by " | " (unless a cell holds a paragraph's worth of text or line breaks: that
is a layout table, whose cells are columns of the page), and `<pre>` keeps its
own line breaks. Each line remembers how much
of it was link text and whether it lay inside the chosen article containers,
which is all the line filter needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from presswash.parsers.html.selectors import BLOCK_TAGS
from presswash.parsers.html.tree import Element

_CELL_TAGS = frozenset({"td", "th"})
_INLINE_IN_CELL = BLOCK_TAGS - {"br"}
# A cell with more text than this is a column of a layout table, not a datum.
_MAX_DATUM_CHARS = 200
_MENU_LINKS = 3  # ...and one with this many links beside it is the page's menu
# A character a reader sees: not white space, not a control or format character
# (C0, DEL, C1, soft hyphen, zero-width and direction marks, BOM), not a private-use
# glyph of an icon font. A line without one is no line: the browser shows nothing.
_VISIBLE = re.compile(
    "[^\\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\ue000-\uf8ff]"
)


@dataclass(slots=True)
class Block:
    """One rendered line: its text, its kind (p, li, h2, tr, pre...), link characters."""

    text: str
    kind: str
    links: int
    in_content: bool


@dataclass(slots=True)
class _Row:
    data: bool
    cells: int = 0


@dataclass(slots=True)
class _State:
    blocks: list[Block] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    links: int = 0
    kinds: list[str] = field(default_factory=list)
    content_depth: int = 0
    rows: list[_Row] = field(default_factory=list)

    def flush(self) -> None:
        if not self.parts:
            return
        raw = "".join(self.parts)
        self.parts.clear()
        kind = self.kinds[-1] if self.kinds else "div"
        inside = self.content_depth > 0
        if kind != "pre":  # one piece: its link share is all the line's link characters
            folded = " ".join(raw.split())
            if _VISIBLE.search(folded):
                self.blocks.append(Block(folded, kind, min(self.links, len(folded)), inside))
            self.links = 0
            return
        pieces = raw.split("\n")
        total = 0
        folded_pieces = []
        for piece in pieces:
            folded = " ".join(piece.split())
            if _VISIBLE.search(folded):
                folded_pieces.append(folded)
                total += len(folded)
        for folded in folded_pieces:
            share = self.links * len(folded) // total if total else 0
            self.blocks.append(Block(folded, kind, min(share, len(folded)), inside))
        self.links = 0


def _data_row(tr: Element) -> bool:
    """True when every cell of the row holds a short inline datum (a real table row).

    Old sites lay pages out in tables: one cell the menu, the next the story
    in <font> and <br>. Joining those cells would glue the menu to the story,
    so a cell holding line breaks makes the row a layout row, whose cells
    become lines of their own; so does a paragraph's worth of text beside a
    cell of several links (a table of films with a linked title and a long
    synopsis stays a table).
    """
    cells = [c for c in tr if isinstance(c.tag, str)]
    if not cells:
        return False
    long_cell = menu_cell = False
    for cell in cells:
        if cell.tag not in _CELL_TAGS:
            return False
        for g in cell.iter():
            if g is not cell and isinstance(g.tag, str) and g.tag in BLOCK_TAGS:
                return False
        size = len("".join(cell.itertext()))
        long_cell = long_cell or size > _MAX_DATUM_CHARS
        menu_cell = menu_cell or _is_menu(cell, size)
    return not (long_cell and menu_cell)


def _is_menu(cell: Element, size: int) -> bool:
    """A cell of several links and little else: the menu column of a layout table."""
    links = [len("".join(a.itertext())) for a in cell.iter("a")]
    return len(links) >= _MENU_LINKS and 2 * sum(links) >= size


def linearize(root: Element, content: set[Element]) -> list[Block]:
    """Every line of text under `root`, in order, flagged when inside `content`.

    The loop body is written out rather than split into helpers: it runs twice
    per element of the page, and a method call per event costs more than the
    rest of the work.
    """
    state = _State()
    parts = state.parts
    kinds = state.kinds
    rows = state.rows
    link_depth = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if el in content:
                if parts:
                    state.flush()
                state.content_depth += 1
            if tag == "br":
                if parts:
                    state.flush()
            elif tag in _CELL_TAGS and rows and rows[-1].data:
                row = rows[-1]
                if row.cells and parts:
                    parts.append(" | ")
                row.cells += 1
            elif tag in BLOCK_TAGS:
                if parts:
                    state.flush()
                kinds.append(tag)
                if tag == "tr":
                    rows.append(_Row(_data_row(el)))
            if tag == "a":
                link_depth += 1
            text = el.text
        else:
            if tag == "a":
                link_depth -= 1
            if tag == "br" or (tag in _CELL_TAGS and rows and rows[-1].data):
                pass
            elif tag in BLOCK_TAGS:
                if parts:
                    state.flush()
                kinds.pop()
                if tag == "tr" and rows:
                    rows.pop()
            if el in content:
                if parts:
                    state.flush()
                state.content_depth -= 1
            text = el.tail
        if text:
            parts.append(text)
            if link_depth:
                state.links += len(text.strip())
    state.flush()
    return state.blocks
