"""EventStream / AsyncEventStream: the stream object every platform hands out.

A stream wraps an event source (which already reconnects and resumes through the
platform's ResumePolicy) and adds the typed layer: each wire event is decoded into its
generated class (or UnknownEvent), folded into the normalized transcript, and handed to
the caller. The helpers (``iter_text()``, ``text``, ``until_done()``, ``final()``,
``on(...)``, ``raw_events()``) all read from one underlying iterator, so they can be
mixed: iterate a few events, then ``iter_text()`` the rest, then read ``.text``.

What a platform provides is a StreamAdapter: how to decode a wire event, how to map it to
the common view, and which events end the stream. A stream that stops before its
terminal event raises StreamInterruptedError: it never just stops.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Generic, Protocol, TypeVar

import anyio

from ._accumulate import Accumulator, ToolCall, Transcript
from ._async import AsyncEventSource
from ._exceptions import AgentStreamError, StreamInterruptedError
from ._sse import ServerSentEvent
from ._sync import EventSource
from .types import common

__all__ = ["AsyncEventStream", "EventStream", "StreamAdapter"]

E = TypeVar("E")


class StreamAdapter(Protocol):
    """A platform's typed layer: decode, normalize, and recognize the end."""

    platform: str

    def decode(self, sse: ServerSentEvent) -> Any: ...

    def normalize(self, event: Any) -> list[Any]: ...

    def is_terminal(self, event: Any) -> bool: ...


class _StreamState(Generic[E]):
    """What both twins share: the adapter, the transcript, the per-event bookkeeping."""

    def __init__(self, adapter: StreamAdapter) -> None:
        self._adapter = adapter
        self._acc = Accumulator()
        self._last: list[Any] = []  # the common events of the last delivered event
        self._sse: ServerSentEvent | None = None
        self.completed = False  # the terminal event arrived
        self._closed_by_user = False
        #: Events delivered to the caller.
        self.delivered = 0

    def _handle(self, sse: ServerSentEvent) -> E:
        adapter = self._adapter
        event = adapter.decode(sse)
        self._sse = sse
        self._last = adapter.normalize(event)
        add = self._acc.add
        for item in self._last:
            add(item)
        self.delivered += 1
        if adapter.is_terminal(event):
            self.completed = True
        return event  # type: ignore[no-any-return]

    def _check_complete(self) -> None:
        if not self.completed and not self._closed_by_user:
            raise StreamInterruptedError(
                f"the {self._adapter.platform} stream ended before its terminal event",
                delivered=self.delivered,
            )

    def _text_of_last(self) -> Iterator[str]:
        for item in self._last:
            if type(item) is common.TextDelta:
                yield item.text

    @property
    def text(self) -> str:
        """All text delivered so far (text deltas joined)."""
        return self._acc.text

    output = text

    @property
    def reasoning(self) -> str:
        return self._acc.reasoning

    @property
    def transcript(self) -> Transcript:
        """The normalized view of everything delivered so far."""
        return self._acc.snapshot()

    def _callbacks(self, handlers: dict[str, Callable[..., Any] | None]) -> Callable[[Any], None]:
        """One function dispatching a delivered event to the user's ``on(...)`` handlers."""
        started: set[str] = set()

        def dispatch(event: Any) -> None:
            if handlers["event"] is not None:
                handlers["event"](event)
            for item in self._last:
                kind = type(item)
                if kind is common.TextDelta and handlers["text"] is not None:
                    handlers["text"](item.text)
                elif kind is common.ReasoningDelta and handlers["reasoning"] is not None:
                    handlers["reasoning"](item.text)
                elif kind is common.ToolCallStarted and item.call_id not in started:
                    started.add(item.call_id)
                    if handlers["tool_call"] is not None:
                        handlers["tool_call"](ToolCall(call_id=item.call_id, name=item.name))
                elif kind is common.ToolCallFinished and handlers["tool_result"] is not None:
                    handlers["tool_result"](self._finished_call(item.call_id))
                elif kind is common.StreamError and handlers["error"] is not None:
                    handlers["error"](item)

        return dispatch

    def _finished_call(self, call_id: str) -> ToolCall:
        for call in self._acc.snapshot().tool_calls:
            if call.call_id == call_id:
                return call
        return ToolCall(call_id=call_id)  # pragma: no cover - a finish always has a call


class EventStream(_StreamState[E]):
    """A typed, resumable stream (requests). Iterate it; use it as a context manager."""

    def __init__(self, source: EventSource, adapter: StreamAdapter) -> None:
        super().__init__(adapter)
        self._source = source
        self._iterator: Iterator[E] | None = None

    def __enter__(self) -> EventStream[E]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[E]:
        if self._iterator is None:
            self._iterator = self._events()
        return self._iterator

    def _events(self) -> Iterator[E]:
        try:
            for sse in self._source:
                yield self._handle(sse)
        except AgentStreamError as exc:
            error = self._interrupted(exc)
            if error is exc:
                raise
            raise error from exc
        finally:
            self._source.close()
        self._check_complete()

    def _interrupted(self, exc: AgentStreamError) -> AgentStreamError:
        """The error to raise for `exc`; platforms refine it (m8tes fetches the run)."""
        return exc

    def close(self) -> None:
        """Close the connection. Safe to call from any thread, any number of times."""
        self._closed_by_user = True
        self._source.close()

    def iter_text(self) -> Iterator[str]:
        """Iterate the text deltas only; ``.text`` and the transcript stay up to date."""
        for _ in self:
            yield from self._text_of_last()

    def raw_events(self) -> Iterator[ServerSentEvent]:
        """Iterate the wire-level events (the typed layer still runs underneath)."""
        for _ in self:
            assert self._sse is not None
            yield self._sse

    def until_done(self) -> Transcript:
        """Consume the stream to its end; return the transcript."""
        for _ in self:
            pass
        return self.transcript

    final = until_done

    def on(
        self,
        *,
        text: Callable[[str], Any] | None = None,
        reasoning: Callable[[str], Any] | None = None,
        tool_call: Callable[[ToolCall], Any] | None = None,
        tool_result: Callable[[ToolCall], Any] | None = None,
        event: Callable[[E], Any] | None = None,
        error: Callable[[common.StreamError], Any] | None = None,
        done: Callable[[Transcript], Any] | None = None,
    ) -> Transcript:
        """Consume the stream with callbacks; return the transcript."""
        dispatch = self._callbacks(locals())
        for item in self:
            dispatch(item)
        transcript = self.transcript
        if done is not None:
            done(transcript)
        return transcript


class AsyncEventStream(_StreamState[E]):
    """A typed, resumable stream (httpx). ``async for`` it; ``async with`` it."""

    def __init__(self, source: AsyncEventSource, adapter: StreamAdapter) -> None:
        super().__init__(adapter)
        self._source = source
        self._iterator: AsyncIterator[E] | None = None

    async def __aenter__(self) -> AsyncEventStream[E]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __aiter__(self) -> AsyncIterator[E]:
        if self._iterator is None:
            self._iterator = self._events()
        return self._iterator

    async def _events(self) -> AsyncIterator[E]:
        try:
            async for sse in self._source:
                yield self._handle(sse)
        except AgentStreamError as exc:
            error = await self._interrupted(exc)
            if error is exc:
                raise
            raise error from exc
        finally:
            with anyio.CancelScope(shield=True):
                await self._source.aclose()
        self._check_complete()

    async def _interrupted(self, exc: AgentStreamError) -> AgentStreamError:
        """The error to raise for `exc`; platforms refine it (m8tes fetches the run)."""
        return exc

    async def aclose(self) -> None:
        """Close the connection; shielded from cancellation so it always completes."""
        self._closed_by_user = True
        with anyio.CancelScope(shield=True):
            await self._source.aclose()

    async def iter_text(self) -> AsyncIterator[str]:
        """Iterate the text deltas only; ``.text`` and the transcript stay up to date."""
        async for _ in self:
            for text in self._text_of_last():
                yield text

    async def raw_events(self) -> AsyncIterator[ServerSentEvent]:
        """Iterate the wire-level events (the typed layer still runs underneath)."""
        async for _ in self:
            assert self._sse is not None
            yield self._sse

    async def until_done(self) -> Transcript:
        """Consume the stream to its end; return the transcript."""
        async for _ in self:
            pass
        return self.transcript

    final = until_done

    async def on(
        self,
        *,
        text: Callable[[str], Any] | None = None,
        reasoning: Callable[[str], Any] | None = None,
        tool_call: Callable[[ToolCall], Any] | None = None,
        tool_result: Callable[[ToolCall], Any] | None = None,
        event: Callable[[E], Any] | None = None,
        error: Callable[[common.StreamError], Any] | None = None,
        done: Callable[[Transcript], Any] | None = None,
    ) -> Transcript:
        """Consume the stream with callbacks; return the transcript."""
        dispatch = self._callbacks(locals())
        async for item in self:
            dispatch(item)
        transcript = self.transcript
        if done is not None:
            done(transcript)
        return transcript
