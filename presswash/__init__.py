"""presswash: clean news articles in JSONL, and the API to read them back.

`read_articles` and `read_rejections` are imported lazily so that
`import presswash` (and `presswash --version`) stays instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.4.0"
__all__ = ["__version__", "read_articles", "read_rejections"]

if TYPE_CHECKING:
    from presswash.consumers.reader import read_articles, read_rejections


def __getattr__(name: str) -> Any:
    if name in ("read_articles", "read_rejections"):
        from presswash.consumers import reader

        return getattr(reader, name)
    raise AttributeError(f"module 'presswash' has no attribute {name!r}")
