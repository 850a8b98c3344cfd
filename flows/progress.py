"""Progress of a long run: a rich bar on a terminal, plain lines in a log.

The CLI installs an observer before it calls a flow; the flow tells it about
each committed shard. On a terminal it is a bar with files, documents,
documents per second and time left; elsewhere (cron, CI, a pipe) it is one
line per shard, which a log keeps and a bar would garble.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

if TYPE_CHECKING:  # the bar is imported by `--help`; the engine only when a run starts
    from presswash.runner.commit import Committed
    from presswash.runner.plan import ShardSpec


class RunProgress:
    """Counts shards, files and documents as they are committed and shows them."""

    def __init__(self, console: Console, total_files: int | None, label: str) -> None:
        self.console = console
        self.total_files = total_files
        self.label = label
        self.files = 0
        self.docs = 0
        self.started = time.monotonic()
        self._bar: Progress | None = None
        self._task = None
        if console.is_terminal:
            self._bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files · {task.fields[docs]} docs · {task.fields[rate]} docs/s"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=False,
            )

    def __enter__(self) -> RunProgress:
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total_files, docs=0, rate="0")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def begin(self) -> None:
        """Start the clock and the bar when cleaning starts, not while Prefect is starting."""
        self.started = time.monotonic()
        if self._bar is not None and self._task is None:
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total_files, docs=0, rate="0")

    def shard_done(self, committed: Committed, spec: ShardSpec) -> None:
        self.files += len(spec.files)
        self.docs += committed.tally.inputs
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.docs / elapsed
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=self.files, docs=self.docs, rate=f"{rate:.0f}")
            return
        total = f"/{self.total_files}" if self.total_files else ""
        left = ""
        if self.total_files and self.files:
            remaining = elapsed / self.files * (self.total_files - self.files)
            left = f", about {remaining:.0f} s left"
        self.console.print(
            f"{self.label}: {spec.source_name}/{spec.date} shard {spec.shard_id}: "
            f"{self.files}{total} files, {self.docs} docs, {rate:.0f} docs/s{left}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


# The observer of the run in progress, set by the CLI around a flow call.
OBSERVER: RunProgress | None = None
