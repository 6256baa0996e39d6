"""The overall deadline of a run stream (``timeout=``), for both twins.

A stream spends most of a long wait inside a read that keep-alives keep alive, so a
deadline cannot be checked between events only. The async one cancels the pending read
(``anyio.move_on_after`` around each step); the sync one closes the source from a timer
thread, which wakes the blocked read (``EventSource.close()`` is safe from any thread).
Either way the stream then ends and ``expired`` says why.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio

__all__ = ["END", "AsyncDeadline", "Deadline"]

#: What ``next()`` returns once the iterator is exhausted (or the deadline passed).
END: Any = object()


class AsyncDeadline:
    """Steps an async iterator until `seconds` have passed since the first step."""

    def __init__(self, seconds: float | None, close: Callable[[], Any]) -> None:
        self.seconds = seconds
        self.expired = False
        self._at: float | None = None

    def steps(self, iterator: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """`iterator`'s items until it ends or the time is up: `iterator` itself when
        there is no deadline (no layer added per event)."""
        return iterator if self.seconds is None else self._steps(iterator)

    async def _steps(self, iterator: AsyncIterator[Any]) -> AsyncIterator[Any]:
        while (item := await self.next(iterator)) is not END:
            yield item

    async def next(self, iterator: AsyncIterator[Any]) -> Any:
        """The next item, or END when the iterator is exhausted or the time is up."""
        if self.seconds is None:
            return await anext_or_end(iterator)
        if self._at is None:
            self._at = anyio.current_time() + self.seconds
        with anyio.move_on_after(self._at - anyio.current_time()):
            return await anext_or_end(iterator)
        self.expired = True
        return END

    async def finish(self, iterator: AsyncIterator[Any]) -> None:
        """Close `iterator` (a generator: its cleanup releases the connection)."""
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()


async def anext_or_end(iterator: AsyncIterator[Any]) -> Any:
    try:
        return await iterator.__anext__()
    except StopAsyncIteration:
        return END


class Deadline:
    """Steps an iterator; `seconds` after the first step, `close` is called (from a timer
    thread) to end a read that blocks."""

    def __init__(self, seconds: float | None, close: Callable[[], Any]) -> None:
        self.seconds = seconds
        self.expired = False
        self._close = close
        self._timer: threading.Timer | None = None

    def steps(self, iterator: Iterator[Any]) -> Iterator[Any]:
        """`iterator`'s items until it ends or the time is up: `iterator` itself when
        there is no deadline (no layer added per event)."""
        return iterator if self.seconds is None else self._steps(iterator)

    def _steps(self, iterator: Iterator[Any]) -> Iterator[Any]:
        while (item := self.next(iterator)) is not END:
            yield item

    def next(self, iterator: Iterator[Any]) -> Any:
        """The next item, or END when the iterator is exhausted or the time is up."""
        if self.seconds is not None and self._timer is None:
            self._timer = threading.Timer(max(self.seconds, 0.0), self._expire)
            self._timer.daemon = True
            self._timer.start()
        if self.expired:
            return END
        item = next(iterator, END)
        return END if self.expired else item

    def _expire(self) -> None:
        self.expired = True
        self._close()

    def finish(self, iterator: Iterator[Any]) -> None:
        """Stop the timer and close `iterator` (its cleanup releases the connection)."""
        if self._timer is not None:
            self._timer.cancel()
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
