"""Reading a shard's text pages for site learning: the part of it that runs in a worker.

`runner/sites.py` decides which shards to sample and merges what comes back;
this module reads the pages, as cleaning would, and returns their line keys.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from presswash.parsers.doc import Doc
from presswash.parsers.pipeline import CleanConfig, Rejected, run_steps
from presswash.parsers.sitelines import page_line_keys
from presswash.parsers.steps import step_range
from presswash.runner.deadline import DocumentTimeout, deadline
from presswash.runner.plan import ShardSpec
from presswash.runner.shard import raw_inputs
from presswash.runner.sites import LearnedPages
from presswash.schemas.document import RawDoc
from presswash.schemas.settings import Settings

# A page is learned from as cleaning would read it: decoded, and refused if too large to clean.
_BEFORE_EXTRACTION = step_range("decode", "size")


def page_site(raw: RawDoc) -> str:
    """The host a page came from ("" when the input does not say): pages are learned per site.

    An export's record or a WARC record names its URL; a bare dump does not,
    and its pages fall in the source's one unnamed group.
    """
    url = raw.fields.get("url") or raw.source.extra.get("url")
    if not isinstance(url, str) or not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _page_keys(raw: RawDoc, config: CleanConfig) -> frozenset[str] | None:
    done = run_steps(Doc(raw), config, _BEFORE_EXTRACTION)
    return None if isinstance(done, Rejected) else page_line_keys(done.text)


def sample_shard(
    spec: ShardSpec, settings: Settings, known: frozenset[str], cap: int
) -> LearnedPages:
    """Line keys of up to `cap` text pages of the shard that are not in `known`."""
    pages: dict[str, tuple[str, frozenset[str]]] = {}
    text_pages = 0
    config = CleanConfig(settings.limits, settings.cleaning)
    for item in spec.files:
        for raw in raw_inputs(item, settings):
            if len(pages) >= cap:
                return _learned(spec.source_name, pages, text_pages)
            if not isinstance(raw, RawDoc) or raw.media == "html":
                continue
            text_pages += 1
            page = raw.source.sha256
            if page in known or page in pages:
                continue
            try:
                with deadline(settings.limits.parse_timeout_seconds):
                    keys = _page_keys(raw, config)
            except (DocumentTimeout, MemoryError, RecursionError):
                keys = None
            if keys:
                pages[page] = (page_site(raw), keys)
    return _learned(spec.source_name, pages, text_pages)


def _learned(
    source: str, pages: dict[str, tuple[str, frozenset[str]]], text_pages: int
) -> LearnedPages:
    found = tuple((page, site, keys) for page, (site, keys) in pages.items())
    return LearnedPages(source, found, text_pages)
