"""The state of one clean run: its output folder, plan, site lists, commits and summary.

`CleanRun` knows what a run has done; the engine (`runner/engine.py`)
decides the order of things and the executor where shards are cleaned.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from presswash import __version__
from presswash.output.remote import RemoteBusy, RemoteOutput
from presswash.output.runs import new_run_id, write_summary
from presswash.output.staging import StagingClaim, remove_abandoned
from presswash.output.state import OutputState
from presswash.output.writable import unwritable
from presswash.runner.commit import Committed, commit_shard
from presswash.runner.plan import ShardSpec, plan_shards
from presswash.runner.results import ShardResult
from presswash.runner.sites import LearnedPages, learn_sites
from presswash.schemas import layout
from presswash.schemas.records import utc_now
from presswash.schemas.settings import Settings
from presswash.schemas.summary import RunSummary, Tally, summarize
from presswash.sources.inputs import check_sources, iter_inputs

T = TypeVar("T")
log = logging.getLogger("presswash.run")


class RunFailed(Exception):
    """The run itself cannot go on (output not writable, disk full); not an input's fault."""


class StagingFailed(RunFailed):
    """A worker could not stage a shard's records (disk full): retrying the commit cannot help."""


def pipeline_version_of(settings: Settings) -> str:
    """The package version and a short hash of the settings that change output."""
    return f"{__version__}+{settings.output_fingerprint()}"


@dataclass
class CleanRun:
    """The state of one run: where it reads and writes, and what it has counted so far."""

    sources: list[str]
    settings: Settings
    root: str | None = None
    run_id: str = field(default_factory=new_run_id)
    started_at: str = field(default_factory=utc_now)
    tally: Tally = field(default_factory=Tally)
    shards_done: int = 0
    pages_learned: int = 0
    _t0: float = field(default_factory=time.perf_counter)
    _state: OutputState | None = None
    _claim: StagingClaim | None = None
    _boilerplate: dict[str, frozenset[str]] = field(default_factory=dict)
    _remote: RemoteOutput | None = None

    @property
    def out(self) -> Path:
        return self.settings.out

    @property
    def pipeline_version(self) -> str:
        return pipeline_version_of(self.settings)

    @property
    def staging_dir(self) -> Path:
        return self.out / layout.STAGING / self.run_id

    def prepare(self) -> None:
        """Check the sources and the output, and undo what a crashed run left half done."""
        check_sources(self.sources, self.out)
        problem = unwritable(self.staging_dir, "output folder")
        if problem:
            raise RunFailed(problem.replace(str(self.staging_dir), str(self.out)))
        if self.settings.remote_out:  # the state comes down first, under the output's lock
            self._prepare_remote(self.settings.remote_out)
        try:
            self._state = OutputState.open(self.out)
            with self._state.locked():
                self._state.recover_pending()
            self._claim = StagingClaim(self.staging_dir)
            remove_abandoned(self.staging_dir.parent, keep=self.staging_dir)
        except OSError as exc:
            raise RunFailed(
                f"output folder {self.out} is not writable: {exc.strerror or exc}"
            ) from exc
        except sqlite3.Error as exc:
            raise RunFailed(f"output state in {self.out}/_state cannot be used: {exc}") from exc

    def _prepare_remote(self, url: str) -> None:
        remote = RemoteOutput(url, self.out, self.run_id)
        try:
            remote.prepare()
        except RemoteBusy as exc:  # the lock is another run's: never released by this one
            raise RunFailed(str(exc)) from exc
        except (OSError, sqlite3.Error) as exc:
            remote.lock.release()
            raise RunFailed(f"cannot use the output {url}: {exc}") from exc
        self._remote = remote

    def _planned(self) -> Iterator[ShardSpec]:
        run = self.settings.run
        inputs = iter_inputs(
            self.sources, follow_symlinks=run.follow_symlinks, root=self.root, out=self.out
        )
        return plan_shards(
            inputs, run.shard_files, run.shard_bytes, self.settings.limits, workers=run.workers
        )

    def shards(self) -> Iterator[ShardSpec]:
        """The plan, each shard carrying its source's boilerplate lines as learned so far."""
        for spec in self._planned():
            yield replace(spec, boilerplate=self.boilerplate(spec.source_name))

    def boilerplate(self, source_name: str) -> frozenset[str]:
        cleaning = self.settings.cleaning
        if not cleaning.site_boilerplate:
            return frozenset()
        if source_name not in self._boilerplate:
            self._boilerplate[source_name] = self._opened().site_boilerplate(
                source_name, cleaning.site_min_share
            )
        return self._boilerplate[source_name]

    def _opened(self) -> OutputState:
        if self._state is None:
            self._state = OutputState.open(self.out)
        return self._state

    def learn_sites(
        self,
        submit: Callable[[ShardSpec, frozenset[str], int], Future[LearnedPages]],
        window: int | None = None,
    ) -> None:
        """Sample the text pages of sources not learned in full yet, before any is cleaned.

        `window` is how many shards are sampled at once: one per worker by default.
        """
        if not self.settings.cleaning.site_boilerplate:
            return

        def merge(write: Callable[[], None]) -> None:
            try:
                with self._opened().locked():
                    write()
            except (OSError, sqlite3.OperationalError) as exc:
                raise RunFailed(f"cannot write to {self.out}: {exc}") from exc

        self.pages_learned += learn_sites(
            self._opened(),
            self._planned(),
            self.settings,
            submit,
            merge,
            window=window or self.settings.run.workers,  # the sample is small
        )
        self._boilerplate.clear()

    def process(self, spec: ShardSpec) -> ShardResult:
        from presswash.runner.shard import run_shard

        return run_shard(spec, self.settings, self.pipeline_version, self.staging_dir)

    def commit(self, result: ShardResult) -> Committed:
        """Commit one shard; OSError here (disk full, read-only) fails the run, not an input."""
        if result.error is not None:
            raise StagingFailed(result.error)
        remote = self._remote
        try:
            if remote is not None:
                remote.check()
            state = self._opened()
            with state.locked():
                done = commit_shard(
                    state,
                    self.out,
                    result,
                    self.run_id,
                    self.pipeline_version,
                    self.settings.cleaning.near_duplicate_threshold,
                    fetch=remote.fetch if remote is not None else None,
                )
                if remote is not None:  # the files go up one PUT each, once committed here
                    remote.after_commit(done.written, done.removed, state)
        except RemoteBusy as exc:
            raise StagingFailed(str(exc)) from exc
        except OSError as exc:
            if remote is not None and remote.broken:
                raise StagingFailed(remote.broken) from exc
            raise RunFailed(f"cannot write to {self.out}: {exc.strerror or exc}") from exc
        self.tally = self.tally + done.tally
        self.shards_done += 1
        return done

    def finish(
        self,
        *,
        error: str | None = None,
        flow_run_id: str | None = None,
        mode: str | None = None,
        executor: str | None = None,
    ) -> RunSummary:
        """Write `runs/<run-id>.json` and remove the staging folder."""
        duration = time.perf_counter() - self._t0
        alerts = self.alerts()
        status = "failed" if error else ("alert" if alerts else "finished")
        summary = summarize(
            self.tally,
            run_id=self.run_id,
            status=status,
            started_at=self.started_at,
            finished_at=utc_now(),
            duration_seconds=round(duration, 3),
            pipeline_version=self.pipeline_version,
            sources=list(self.sources),
            out=self.settings.remote_out or str(self.out),
            shards=self.shards_done,
            alerts=alerts,
            error=error,
            prefect_flow_run_id=flow_run_id,
            mode=mode,
            executor=executor,
        )
        if self._claim is not None:
            self._claim.release()
            self._claim = None
        if not error:  # a failed run's staging stays for a look; the next run removes it
            shutil.rmtree(self.staging_dir, ignore_errors=True)
            _remove_if_empty(self.staging_dir.parent)
        if self._state is not None:
            self._state.close()
            self._state = None
        # a run that could not write its output may not write this either; the CLI still says why
        written = None
        with contextlib.suppress(OSError):
            written = write_summary(self.out, summary)
        if self._remote is not None:
            self._finish_remote(written)
        return summary

    def _finish_remote(self, summary_file: Path | None) -> None:
        """Upload the summary, report and state of a remote output; release its lock."""
        remote, self._remote = self._remote, None
        if remote is None:
            return
        try:
            remote.finish(summary_file, report=partial(_remote_report, remote.url, remote.mirror))
        except Exception as exc:  # the records are in place; the next run reconciles the state
            log.warning("cannot upload the run state to %s: %s", remote.url, exc)

    def alerts(self) -> list[str]:
        """Sources whose rejection rate is above the configured threshold."""
        default = self.settings.alert_rejection_rate
        by_source = self.settings.alert_rejection_rate_by_source
        found = []
        for name, inputs in sorted(self.tally.sources.items()):
            threshold = by_source.get(name, default)
            if threshold is None:
                continue
            rate = self.tally.source_rejected.get(name, 0) / inputs if inputs else 0.0
            if rate > threshold:
                found.append(
                    f"source '{name}': {rate:.0%} of {inputs} inputs rejected "
                    f"(alert_rejection_rate {threshold:.0%})"
                )
        return found


def _remote_report(url: str, mirror: Path, target: Path) -> None:
    """The HTML report of a remote output, read from the store (its state from the mirror)."""
    from presswash.consumers.report import render_report
    from presswash.consumers.stats import folder_stats

    stats = folder_stats(url, state_in=mirror)
    target.write_text(render_report(stats), encoding="utf-8")


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def run_bare(sources: list[str], settings: Settings, root: str | None = None) -> RunSummary:
    """A whole clean run with no Prefect at all (the engine's direct mode)."""
    from presswash.runner.engine import run_clean

    return run_clean(sources, settings, root=root)
