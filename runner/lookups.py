"""The worker's half of de-duplication: sign a cleaned shard's articles and look them up.

Signing and the index reads are most of what de-duplication costs; done here,
they run in parallel workers instead of in the one process that commits. The
answers go to a file beside the staged articles, with the watermark they are
valid up to, for the committer to complete (runner/dedup.py).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import orjson

from presswash.output.index import Watermark
from presswash.output.staging import StagedFiles
from presswash.output.state import OutputState
from presswash.runner.dedup import NOT_SIGNED, look_up, sign
from presswash.sources.inputs import printable_path


def input_of(uri: str, root: str) -> str:
    """The input file a record came from, as the state database names it."""
    return os.path.join(printable_path(root), uri.split("#", 1)[0])


def look_up_staged(
    files: StagedFiles,
    root: str,
    out: Path | None,
    near: bool,
    signed: dict[int, tuple[int, ...] | None],
) -> Watermark | None:
    """Write the facts of every staged article; returns the watermark, None if not looked up.

    `signed` holds the signatures already computed, by line of the staged
    articles. The file is written whole or not at all, so a shard resumed
    after a dead worker never finds half of it. With no `out`, or an index
    that cannot be read here, the look-ups are left to the committer.
    """
    state = OutputState.open_readonly(out) if out is not None else None
    if state is not None:
        try:
            with state:
                if state.has_index():
                    seen = state.watermark()
                    _write_facts(files, root, near, signed, state, seen.row)
                    return seen
        except sqlite3.Error:
            pass
    _write_facts(files, root, near, signed, None, 0)
    return None


def _write_facts(
    files: StagedFiles,
    root: str,
    near: bool,
    signed: dict[int, tuple[int, ...] | None],
    state: OutputState | None,
    upto: int,
) -> None:
    tmp = files.facts.with_name(files.facts.name + ".tmp")
    with open(files.articles, "rb") as staged, open(tmp, "wb") as written:
        for number, line in enumerate(staged):
            record = orjson.loads(line)
            source_input = input_of(record["source"]["uri"], root)
            facts = sign(record, source_input, near, signed.get(number, NOT_SIGNED))
            if state is not None:
                look_up(state, facts, upto)
            written.write(orjson.dumps(facts.to_json()) + b"\n")
    os.replace(tmp, files.facts)
