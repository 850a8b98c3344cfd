"""Results of submitted work in submission order, with a bounded number in flight."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ordered_results(
    specs: Iterator[T], submit: Callable[[T], Future[R]], window: int
) -> Iterator[R]:
    """Results in plan order with at most `window` shards in flight, so memory stays bounded."""
    pending: deque[Future[R]] = deque()
    for spec in specs:
        pending.append(submit(spec))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
