"""The progress bar is the only console voice of a run: Prefect's console logs wait.

On a terminal Prefect's INFO lines would be written over the bar; in a log
each shard would be reported twice. While an observer runs, Prefect's
console handlers print warnings only; its API handler keeps every line.
"""

from __future__ import annotations

import io
import logging

from rich.console import Console

from presswash.flows.progress import RunProgress


def test_prefect_console_prints_warnings_only_while_the_bar_runs() -> None:
    from prefect.logging.configuration import ensure_logging_setup
    from prefect.logging.handlers import APILogHandler, PrefectConsoleHandler

    ensure_logging_setup()  # what importing a flow does
    handlers = [
        h
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
        for h in getattr(logger, "handlers", ())
    ]
    console = [h for h in handlers if isinstance(h, PrefectConsoleHandler)]
    api = [h for h in handlers if isinstance(h, APILogHandler)]
    assert console and api
    before = [h.level for h in console]
    api_before = [h.level for h in api]

    terminal = Console(file=io.StringIO(), force_terminal=True, width=100)
    with RunProgress(terminal, 10, "backfill"):
        assert all(h.level == logging.WARNING for h in console)
        assert [h.level for h in api] == api_before, "the server still gets every line"
    assert [h.level for h in console] == before
