"""The driver of the cleaning steps: order, stops, crashes, laps; and the records it ends in."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from presswash.parsers.doc import Doc, Step
from presswash.parsers.pipeline import (
    Accepted,
    CleanConfig,
    Rejected,
    clean_document,
    run_steps,
)
from presswash.parsers.steps import STEPS, step_range
from presswash.schemas.document import RawDoc, SourceInfo
from presswash.schemas.records import Article, Rejection
from presswash.schemas.settings import CleaningSettings, Limits
from presswash.schemas.stages import Reason, Stage
from tests.articles import make_dump
from tests.fuzzing import FUZZ, page_text

CONFIG = CleanConfig(Limits(), CleaningSettings(), "0.0.0+test")


def _raw(text: str = "some text", media: str = "text") -> RawDoc:
    return RawDoc(SourceInfo("file", "page.txt", "c" * 64), media, data=text.encode())


def _recording(name: str, stage: Stage, ran: list[str], reject: bool = False) -> Step:
    """A step that notes it ran, and rejects when asked."""

    def run(doc: Doc, config: CleanConfig) -> Doc | Rejected:
        ran.append(name)
        return doc.reject(Reason.TOO_SHORT, f"{name} said no") if reject else doc

    return Step(name, stage, run)


def _raising(name: str, stage: Stage, error: BaseException) -> Step:
    def run(doc: Doc, config: CleanConfig) -> Doc | Rejected:
        raise error

    return Step(name, stage, run)


def test_a_rejecting_step_stops_the_rest_and_its_rejection_names_the_steps_stage() -> None:
    ran: list[str] = []
    steps = [
        _recording("first", Stage.DECODE, ran),
        _recording("second", Stage.LANGUAGE, ran, reject=True),
        _recording("third", Stage.VALIDATE, ran),
    ]
    done = run_steps(Doc(_raw()), CONFIG, steps)
    assert isinstance(done, Rejected)
    assert (done.stage, done.reason, done.detail) == ("language", "too_short", "second said no")
    assert ran == ["first", "second"]


def test_every_step_runs_in_order_and_hands_the_document_on() -> None:
    ran: list[str] = []
    doc = Doc(_raw())
    steps = [_recording(name, Stage.CLEAN, ran) for name in ("a", "b", "c")]
    assert run_steps(doc, CONFIG, steps) is doc
    assert ran == ["a", "b", "c"]


def test_timings_get_one_lap_per_step_run_and_none_for_steps_not_run() -> None:
    ran: list[str] = []
    steps = [
        _recording("first", Stage.DECODE, ran),
        _recording("second", Stage.PARSE, ran, reject=True),
        _recording("third", Stage.CLEAN, ran),
    ]
    timings: Counter[str] = Counter({"read": 1.5})
    run_steps(Doc(_raw()), CONFIG, steps, timings)
    assert set(timings) == {"read", "first", "second"}
    assert timings["read"] == 1.5 and timings["first"] >= 0 and timings["second"] >= 0


def test_a_step_that_raises_rejects_the_document_at_its_stage() -> None:
    bug = [_raising("language", Stage.LANGUAGE, ValueError("boom"))]
    done = run_steps(Doc(_raw()), CONFIG, bug)
    assert isinstance(done, Rejected)
    assert (done.stage, done.reason) == ("language", "internal_error")
    assert "ValueError: boom" in done.detail

    deep = [_raising("extract", Stage.PARSE, RecursionError())]
    done = run_steps(Doc(_raw()), CONFIG, deep)
    assert isinstance(done, Rejected)
    assert (done.stage, done.reason) == ("parse", "too_large")


def test_a_whole_run_laps_every_step_of_the_pipeline_under_its_name() -> None:
    timings: Counter[str] = Counter()
    outcome = clean_document(_raw(make_dump(1)), CONFIG, timings)
    assert isinstance(outcome, Accepted), outcome
    assert set(timings) == {step.name for step in STEPS}


def test_an_early_rejection_laps_only_the_steps_it_went_through() -> None:
    timings: Counter[str] = Counter()
    outcome = clean_document(_raw("   \n  "), CONFIG, timings)
    assert isinstance(outcome, Rejected)
    assert (outcome.stage, outcome.reason) == ("decode", "empty")
    assert set(timings) == {"decode"}


def test_the_steps_stage_is_the_stage_of_their_rejections() -> None:
    long_line = "word " * 50_000
    small = CleanConfig(Limits(max_text_line_chars=1000), CleaningSettings(), "v")
    too_large = clean_document(_raw(long_line), small)
    assert isinstance(too_large, Rejected)
    assert (too_large.stage, too_large.reason) == ("parse", "too_large")
    strict = CleanConfig(Limits(), CleaningSettings(languages=["de"]), "v")
    filtered = clean_document(_raw(make_dump(2)), strict)
    assert isinstance(filtered, Rejected)
    assert (filtered.stage, filtered.reason) == ("language", "language_filtered")
    assert filtered.removed, "a rejection after cleaning carries the counts of lines removed"


def test_a_step_range_is_a_slice_of_the_pipeline_in_order() -> None:
    assert [step.name for step in step_range("decode", "size")] == ["decode", "size"]
    assert step_range("text", "record") == STEPS[-len(step_range("text", "record")) :]
    assert step_range("decode", "record") == STEPS


def test_records_come_with_the_schemas_fields_in_the_schemas_order() -> None:
    outcome = clean_document(_raw(make_dump(3)), CONFIG)
    assert isinstance(outcome, Accepted), outcome
    assert list(outcome.record) == list(Article.model_fields)
    Article.model_validate(outcome.record)

    rejected = clean_document(_raw(""), CONFIG)
    assert isinstance(rejected, Rejected)
    record = rejected.as_record("0.0.0+test")
    assert list(record) == list(Rejection.model_fields)
    assert record["schema_version"] == 1 and record["pipeline_version"] == "0.0.0+test"
    Rejection.model_validate(record)


@FUZZ
@given(
    data=st.binary(max_size=3000) | page_text.map(str.encode),
    media=st.sampled_from(["text", "html"]),
)
def test_core_output_always_validates(data: bytes, media: str) -> None:
    raw = RawDoc(SourceInfo(kind="file", uri="x.txt", sha256="a" * 64), media=media, data=data)
    outcome = clean_document(raw, CONFIG)
    if isinstance(outcome, Accepted):
        Article.model_validate(outcome.record)
    else:
        assert isinstance(outcome, Rejected)
        assert outcome.reason != "internal_error", outcome.detail
        Rejection.model_validate(outcome.as_record("0.0.0+test"))
