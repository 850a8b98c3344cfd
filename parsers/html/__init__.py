"""Main content and metadata of an HTML page."""

from presswash.parsers.html.extract import extract_html

__all__ = ["extract_html"]
