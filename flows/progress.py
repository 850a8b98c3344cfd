"""Progress of a long run: a rich bar on a terminal, plain lines in a log.

The CLI installs an observer before it calls a flow (or hands it to the
engine as its events, in a direct run); it hears of each committed shard.
On a terminal it is a bar with files, documents, documents per second and
time left; elsewhere (cron, CI, a pipe) it is one line per shard, which a
log keeps and a bar would garble. Either way it is the only voice on the
console: while it runs, Prefect's console handler prints warnings and
errors only (its INFO lines would be written over the bar, or repeat each
shard in a log), and Prefect's API handler still sends every line to the server.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
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
    from presswash.runner.engine import Events
    from presswash.runner.plan import ShardSpec

# Prefect's console handler, matched by name so that this module never imports Prefect.
PREFECT_CONSOLE_HANDLER = "PrefectConsoleHandler"


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
        self._quiet = ExitStack()
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
        self._quiet.enter_context(prefect_console_quiet())
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total_files, docs=0, rate="0")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        self._quiet.close()

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


@contextmanager
def prefect_console_quiet(level: int = logging.WARNING) -> Iterator[None]:
    """Prefect's console handlers print `level` and above only, until the block ends.

    Only the console handlers: the API handler, which sends a flow run's
    logs to the server, keeps every line. Handlers Prefect has not set up
    yet (it configures logging when imported) are not there to change.
    """
    changed: list[tuple[logging.Handler, int]] = []
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        for handler in getattr(logger, "handlers", ()):
            if type(handler).__name__ == PREFECT_CONSOLE_HANDLER and handler.level < level:
                changed.append((handler, handler.level))
                handler.setLevel(level)
    try:
        yield
    finally:
        for handler, before in changed:
            handler.setLevel(before)


def engine_events(observer: RunProgress) -> Events:
    """The engine's events of a direct run, shown by `observer` as a Prefect flow's are."""
    from presswash.runner.engine import Events

    class Observed(Events):
        def begin(self) -> None:
            observer.begin()

        def shard_committed(self, committed: Committed, spec: ShardSpec) -> None:
            observer.shard_done(committed, spec)

    return Observed()
