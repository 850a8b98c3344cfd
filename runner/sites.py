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

from presswash.output.sites import LearnedPage
from presswash.output.state import OutputState
from presswash.parsers.readers import input_format
from presswash.runner.ordered import ordered_results
from presswash.runner.plan import ShardSpec
from presswash.schemas.settings import Settings

if TYPE_CHECKING:
    from presswash.runner.pool import ShardPool


# Files that never hold a text dump: their pages are HTML, whose DOM shows the footer already.
_MARKUP_FORMATS = frozenset({"html", "warc"})


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


def learn_shard(
    spec: ShardSpec, settings: Settings, known: frozenset[str], cap: int
) -> LearnedPages:
    """Line keys of up to `cap` text pages of the shard that are not in `known`.

    The pages are read where this runs (a worker), so the cleaning core is
    imported there and not in the process that plans the run.
    """
    from presswash.runner.sampling import sample_shard

    return sample_shard(spec, settings, known, cap)


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
