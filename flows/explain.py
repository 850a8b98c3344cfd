"""`presswash clean --explain FILE`: every line of a page, kept or dropped, and why.

It runs the steps of a real run, from the same list by the same driver (no
Prefect, nothing written), so what it shows is what the pipeline does.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from rich.console import Console

from presswash.output.state import OutputState
from presswash.parsers.doc import Doc
from presswash.parsers.pipeline import (
    Accepted,
    CleanConfig,
    Outcome,
    Rejected,
    outcome_of,
    run_steps,
)
from presswash.parsers.readers import read_input
from presswash.parsers.steps import record_metadata
from presswash.runner.run import pipeline_version_of
from presswash.schemas.document import Extracted, RawDoc, ReadFailure
from presswash.schemas.settings import Settings

MAX_RECORDS = 20
_SHOWN = ("title", "authors", "published_at", "site_name", "url")


def metadata(raw: RawDoc, extracted: Extracted, outcome: Outcome) -> dict[str, Any]:
    """The metadata the written record gets, not only what extraction found in the body.

    An export's own fields (title, authors, date, publisher, url) are trusted
    over the body's, so showing `extracted` alone printed `title: None` for a
    record written with its title. An accepted input shows its record's own
    values; a rejected one, which has no record, the values the record step
    would have given it.
    """
    fields = outcome.record if isinstance(outcome, Accepted) else record_metadata(raw, extracted)
    return {key: fields[key] for key in _SHOWN}


def _header(meta: dict[str, Any], console: Console) -> None:
    for label, value in (
        ("title", meta["title"]),
        ("authors", ", ".join(meta["authors"]) or None),
        ("published", meta["published_at"]),
        ("site", meta["site_name"]),
    ):
        console.print(f"  {label + ':':<10} {value}", markup=False, soft_wrap=True)
    if meta["url"]:
        console.print(f"  url:       {meta['url']}", markup=False, soft_wrap=True)


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
    boilerplate = _learned_boilerplate(path, settings, console)
    config = CleanConfig(
        settings.limits,
        settings.cleaning,
        pipeline_version_of(settings),
        site_boilerplate=boilerplate,
        explain=True,
    )
    with open(path, "rb") as handle:
        for number, raw in enumerate(
            read_input(handle, name=path.name, uri=path.name, limits=settings.limits), 1
        ):
            if number > limit:
                console.print(f"... more inputs in {path.name}; showing the first {limit}")
                break
            console.rule(raw.source.uri)
            _explain_input(raw, config, console)
    return 0


def _explain_input(raw: RawDoc | ReadFailure, config: CleanConfig, console: Console) -> None:
    """One input through the pipeline's own steps, saying where it stopped or what it became.

    Stopped before its lines were extracted, it has no lines to show.
    """
    if isinstance(raw, ReadFailure):
        _stopped(raw, console)
        return
    doc = Doc(raw)
    outcome = outcome_of(run_steps(doc, config))
    extracted = doc.extracted
    if extracted is None:
        if isinstance(outcome, Rejected):
            _stopped(outcome, console)
        return
    _header(metadata(raw, extracted, outcome), console)
    _lines(extracted, console)
    if isinstance(outcome, Rejected):
        console.print(
            f"=> rejected: {outcome.reason} — {outcome.detail}", markup=False, soft_wrap=True
        )
        return
    record = outcome.record
    console.print(
        f"=> accepted: {record['word_count']} words, language {record['language']} "
        f"({record['language_confidence']:.2f})",
        markup=False,
    )


def _stopped(failure: Rejected | ReadFailure, console: Console) -> None:
    console.print(
        f"rejected at {failure.stage}: {failure.reason} — {failure.detail}",
        markup=False,
        soft_wrap=True,
    )


def _learned_boilerplate(path: Path, settings: Settings, console: Console) -> frozenset[str]:
    """The boilerplate the output folder learned for FILE's source, as a run would apply it.

    FILE's source is the nearest folder above it that the output folder has
    learned from (a run names a source after the first folder under its root).
    """
    if not settings.cleaning.site_boilerplate:
        return frozenset()
    state = OutputState.open_readonly(settings.out)
    if state is None:
        return frozenset()
    try:
        for folder in path.resolve().parents:
            pages = state.page_count(folder.name)
            if pages:
                keys = state.site_boilerplate(folder.name, settings.cleaning.site_min_share)
                console.print(
                    f"site boilerplate: {len(keys)} lines learned for source '{folder.name}' "
                    f"from {pages} pages (in {settings.out})",
                    markup=False,
                )
                return keys
    except sqlite3.Error:
        return frozenset()
    finally:
        state.close()
    return frozenset()
