"""Turning the pruned tree into lines of text, the way a browser would break them.

One streaming walk (lxml's `iterwalk`, in C, no recursion) over the body:
every block element starts and ends a line, `<br>` breaks one, a table row
whose cells hold only inline content becomes one line with the cells joined
by " | ", and `<pre>` keeps its own line breaks. Each line remembers how much
of it was link text and whether it lay inside the chosen article containers,
which is all the line filter needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from presswash.parsers.html.selectors import BLOCK_TAGS
from presswash.parsers.html.tree import Element

_CELL_TAGS = frozenset({"td", "th"})
_INLINE_IN_CELL = BLOCK_TAGS - {"br"}


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
            if folded:
                self.blocks.append(Block(folded, kind, min(self.links, len(folded)), inside))
            self.links = 0
            return
        pieces = raw.split("\n")
        total = 0
        folded_pieces = []
        for piece in pieces:
            folded = " ".join(piece.split())
            if folded:
                folded_pieces.append(folded)
                total += len(folded)
        for folded in folded_pieces:
            share = self.links * len(folded) // total if total else 0
            self.blocks.append(Block(folded, kind, min(share, len(folded)), inside))
        self.links = 0


def _data_row(tr: Element) -> bool:
    """True when every cell of the row holds inline content only (a real table row)."""
    cells = [c for c in tr if isinstance(c.tag, str)]
    if not cells:
        return False
    for cell in cells:
        if cell.tag not in _CELL_TAGS:
            return False
        if any(isinstance(g.tag, str) and g.tag in _INLINE_IN_CELL for g in cell):
            return False
    return True


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
                if row.cells:
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
