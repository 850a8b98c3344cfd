"""The cleaning core: one RawDoc in, one accepted record or one rejection out.

Pure and Prefect-free, so it runs the same inside a Prefect task, a worker
process, a Dask worker or a unit test. `run_steps` drives a document through
the steps of `steps.STEPS`, timing each; every way a document can fail ends
in a `Rejected` with the stage of the step it failed in, and nothing escapes
as an exception.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

from presswash.parsers.doc import Accepted, CleanConfig, Doc, Outcome, Rejected, Step
from presswash.parsers.steps import STEPS
from presswash.schemas.document import RawDoc, ReadFailure
from presswash.schemas.stages import Reason
from presswash.schemas.summary import lap

__all__ = ["Accepted", "CleanConfig", "Outcome", "Rejected", "clean_document", "run_steps"]


def _run(step: Step, doc: Doc, config: CleanConfig) -> Doc | Rejected:
    """One step; its crash rejects the document at the step's stage, never the run."""
    try:
        return step.run(doc, config)
    except (RecursionError, MemoryError) as exc:
        return Rejected(
            doc.raw.source,
            step.stage,
            Reason.TOO_LARGE,
            f"The input is too deeply nested or too large to process ({type(exc).__name__}).",
        )
    except Exception as exc:  # one document's bug must not stop the run
        return Rejected(
            doc.raw.source,
            step.stage,
            Reason.INTERNAL_ERROR,
            f"Cleaning failed with {type(exc).__name__}: {str(exc)[:200]}. "
            "This is a presswash bug; please report it with the input.",
        )


def run_steps(
    doc: Doc,
    config: CleanConfig,
    steps: Sequence[Step] = STEPS,
    timings: Counter[str] | None = None,
) -> Doc | Rejected:
    """The steps in order on one document, until one rejects it; returns the last result.

    `timings`, when given, gets one lap per step run (the one that rejects
    included), under the step's name: how a run says where its time goes.
    """
    started = time.perf_counter()
    for step in steps:
        doc.stage = step.stage
        result = _run(step, doc, config)
        started = lap(timings, step.name, started)
        if isinstance(result, Rejected):
            return result
        doc = result
    return doc


def outcome_of(done: Doc | Rejected) -> Outcome:
    """What a document that went through every step became."""
    if isinstance(done, Rejected):
        return done
    if done.record is None:
        raise RuntimeError("the cleaning steps ended without building a record")
    return Accepted(done.record)


def clean_document(
    raw: RawDoc | ReadFailure, config: CleanConfig, timings: Counter[str] | None = None
) -> Outcome:
    """One input to one outcome; an unexpected error in one document rejects that document only."""
    if isinstance(raw, ReadFailure):
        return Rejected(raw.source, raw.stage, raw.reason, raw.detail)
    return outcome_of(run_steps(Doc(raw), config, STEPS, timings))
