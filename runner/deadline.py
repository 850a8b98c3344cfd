"""A per-document time limit for worker processes.

Inside a worker process the cleaning runs in the main thread, where a timer
signal can interrupt pure-Python work (line loops, tree walks) and turn a
runaway document into a `timeout` rejection. Outside a worker's main thread
(a Prefect task thread, a notebook) signals are unavailable and the limit is
not enforced there; the worker pool is the default for that reason. Work
stuck inside one C call is not interrupted by a signal: the pool's
supervisor handles that case by replacing a dead or stuck worker.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_ENABLED = False


class DocumentTimeout(BaseException):
    """Raised inside a document's cleaning when its time is up.

    A BaseException, so the cleaning core's catch-all for one document's
    bugs (`except Exception`) does not swallow it as an internal error.
    """


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise DocumentTimeout


def enable_in_worker() -> None:
    """Install the timer handler; called once in each worker process."""
    global _ENABLED
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGALRM, _on_alarm)
        _ENABLED = True


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout in the block after `seconds`, where enforcement is possible."""
    active = _ENABLED and threading.current_thread() is threading.main_thread()
    if active:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if active:
            signal.setitimer(signal.ITIMER_REAL, 0)
