"""Learning each source's boilerplate lines before its pages are cleaned.

A run first reads a sample of every source's text pages (the first
`cleaning.site_sample_pages` pages it has not learned from yet, in input
order) and counts their pairs of neighbouring lines into the output
folder's state, per site where a page names its URL; then every
shard is cleaned with its source's list. Results are merged in plan order
and capped, so the list depends on the inputs only, never on how many
workers ran or which shard finished first. A source already sampled in full
costs nothing: its shards are not read again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from presswash.output.sites import LearnedPage
from presswash.output.state import OutputState
from presswash.parsers.doc import Doc
from presswash.parsers.pipeline import CleanConfig, Rejected, run_steps
from presswash.parsers.readers import input_format
from presswash.parsers.sitelines import page_line_keys
from presswash.parsers.steps import step_range
from presswash.runner.deadline import DocumentTimeout, deadline
from presswash.runner.ordered import ordered_results
from presswash.runner.plan import ShardSpec
from presswash.runner.shard import raw_inputs
from presswash.schemas.document import RawDoc
from presswash.schemas.settings import Settings

if TYPE_CHECKING:
    from presswash.runner.pool import ShardPool


# Files that never hold a text dump: their pages are HTML, whose DOM shows the footer already.
_MARKUP_FORMATS = frozenset({"html", "warc"})
# A page is learned from as cleaning would read it: decoded, and refused if too large to clean.
_BEFORE_EXTRACTION = step_range("decode", "size")


@dataclass(frozen=True, slots=True)
class LearnedPages:
    """The line keys of a shard's text pages not learned before: small, picklable.

    `text_pages` counts the text pages met, learned before or not: a shard with
    none ends the sampling of its source for the run (a source of HTML exports
    is not read twice in full in search of text).
    """

    source_name: str
    pages: tuple[LearnedPage, ...] = ()
    text_pages: int = 0


def may_hold_text(spec: ShardSpec) -> bool:
    """Whether any file of the shard can hold a text page, judged by its name alone."""
    return any(input_format(item.rel)[0] not in _MARKUP_FORMATS for item in spec.files)


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


def learn_shard(
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


def learn_in_pool(
    pool: ShardPool, spec: ShardSpec, settings: Settings, known: frozenset[str], cap: int
) -> LearnedPages:
    """`learn_shard` in a worker; a shard that kills its worker twice teaches nothing."""
    try:
        return pool.call(learn_shard, spec, settings, known, cap)
    except BrokenProcessPool:
        return LearnedPages(spec.source_name)


Submit = Callable[[ShardSpec, frozenset[str], int], "Future[LearnedPages]"]


def learn_sites(
    state: OutputState,
    specs: Iterator[ShardSpec],
    settings: Settings,
    submit: Submit,
    merge: Callable[[Callable[[], None]], None],
    window: int,
) -> int:
    """Sample every source that still needs it; returns how many pages were learned.

    `merge` runs a state write under the output lock (the caller owns it).
    """
    cap = settings.cleaning.site_sample_pages
    known: dict[str, frozenset[str]] = {}
    ended: set[str] = set()

    def wanted() -> Iterator[ShardSpec]:
        for spec in specs:
            source = spec.source_name
            if source in ended or not may_hold_text(spec):
                continue
            if source not in known:
                known[source] = state.known_pages(source)
            if state.page_count(source) < cap:
                yield spec

    def start(spec: ShardSpec) -> Future[LearnedPages]:
        return submit(spec, known[spec.source_name], cap)

    learned = 0
    for result in ordered_results(wanted(), start, window):
        if result.source_name in ended:
            continue  # submitted before an earlier shard of its source ended the sample
        if not result.text_pages:
            ended.add(result.source_name)
            continue
        if not result.pages:
            continue

        def write(result: LearnedPages = result) -> None:
            nonlocal learned
            learned += state.add_pages(result.source_name, result.pages, cap)

        merge(write)
    return learned
