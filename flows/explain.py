"""`presswash clean --explain FILE`: every line of a page, kept or dropped, and why.

It runs the same decode and extraction as a real run (no Prefect, nothing
written), so what it shows is what the pipeline does.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rich.console import Console

from presswash.parsers.pipeline import Rejected, build_record, decode_raw, extract
from presswash.parsers.readers import read_input
from presswash.runner.run import pipeline_version
from presswash.schemas.document import Extracted, ReadFailure
from presswash.schemas.settings import Settings
from presswash.store.sites import page_count, site_boilerplate
from presswash.store.state import state_dir

MAX_RECORDS = 20


def _header(extracted: Extracted, console: Console) -> None:
    console.print(f"  title:     {extracted.title}", markup=False)
    console.print(f"  authors:   {', '.join(extracted.authors) or None}", markup=False)
    console.print(f"  published: {extracted.published_at}", markup=False)
    console.print(f"  site:      {extracted.site_name}", markup=False)
    if extracted.url:
        console.print(f"  url:       {extracted.url}", markup=False)


def _lines(extracted: Extracted, console: Console) -> None:
    for decision in extracted.decisions or []:
        if decision.kept:
            console.print(
                f"+ {'kept':<17} {decision.text}", style="green", markup=False, soft_wrap=True
            )
        else:
            console.print(
                f"- {decision.reason or 'dropped':<17} {decision.text}",
                style="red",
                markup=False,
                soft_wrap=True,
            )


def explain_file(path: Path, settings: Settings, console: Console, limit: int = MAX_RECORDS) -> int:
    """Print the explanation of each input in FILE; returns the exit code."""
    if not path.is_file():
        Console(stderr=True).print(f"presswash: error: no such file: {path}", markup=False)
        return 2
    version = pipeline_version(settings)
    boilerplate = _learned_boilerplate(path, settings, console)
    with open(path, "rb") as handle:
        for number, raw in enumerate(
            read_input(handle, name=path.name, uri=path.name, limits=settings.limits), 1
        ):
            if number > limit:
                console.print(f"... more inputs in {path.name}; showing the first {limit}")
                break
            console.rule(raw.source.uri)
            if isinstance(raw, ReadFailure):
                console.print(f"rejected at {raw.stage}: {raw.reason} — {raw.detail}", markup=False)
                continue
            text = decode_raw(raw)
            if isinstance(text, Rejected):
                console.print(
                    f"rejected at {text.stage}: {text.reason} — {text.detail}", markup=False
                )
                continue
            extracted = extract(raw, text, settings, boilerplate, explain=True)
            if isinstance(extracted, Rejected):
                console.print(
                    f"rejected at {extracted.stage}: {extracted.reason} — {extracted.detail}",
                    markup=False,
                )
                continue
            _header(extracted, console)
            _lines(extracted, console)
            outcome = build_record(raw, extracted, settings, version)
            if isinstance(outcome, Rejected):
                console.print(f"=> rejected: {outcome.reason} — {outcome.detail}", markup=False)
            else:
                record = outcome.record
                console.print(
                    f"=> accepted: {record['word_count']} words, language {record['language']} "
                    f"({record['language_confidence']:.2f})",
                    markup=False,
                )
    return 0


def _learned_boilerplate(path: Path, settings: Settings, console: Console) -> frozenset[str]:
    """The boilerplate the output folder learned for FILE's source, as a run would apply it.

    FILE's source is the nearest folder above it that the output folder has
    learned from (a run names a source after the first folder under its root).
    """
    state = state_dir(settings.out) / "state.sqlite"
    if not settings.cleaning.site_boilerplate or not state.is_file():
        return frozenset()
    try:
        conn = sqlite3.connect(f"{state.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return frozenset()
    try:
        for folder in path.resolve().parents:
            pages = page_count(conn, folder.name)
            if pages:
                keys = site_boilerplate(conn, folder.name, settings.cleaning.site_min_share)
                console.print(
                    f"site boilerplate: {len(keys)} lines learned for source '{folder.name}' "
                    f"from {pages} pages (in {settings.out})",
                    markup=False,
                )
                return keys
    except sqlite3.Error:
        return frozenset()
    finally:
        conn.close()
    return frozenset()
