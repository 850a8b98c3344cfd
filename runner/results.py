"""What a shard's cleaning hands back, in a module of its own.

The process that plans and commits a run needs these types but none of the
cleaning core: keeping them apart from `runner/shard.py` spares that process
(and the start of every command) the import of the whole core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presswash.output.index import Watermark
    from presswash.output.staging import StagedFiles
    from presswash.runner.plan import ShardSpec
    from presswash.schemas.summary import Tally


@dataclass(frozen=True, slots=True)
class ShardResult:
    """What a cleaned shard hands to its commit: counts and where its records wait.

    `watermark` is how far its de-dup look-ups saw the index (None: not looked up).
    `error` says why the shard could not be staged (disk full): the run fails with it,
    as one line, instead of a worker's traceback.
    """

    spec: ShardSpec
    tally: Tally
    staged: StagedFiles
    watermark: Watermark | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Resume:
    """Where to pick a shard up again: outcomes already staged, and an input to give up on."""

    done: int = 0
    poison: int | None = None
    attempt: str = ""
