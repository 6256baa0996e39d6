"""What EventStream and AsyncEventStream share: the typed layer of the stream object
every platform hands out. ``AsyncEventStream`` (``_async_stream.py``) is the source;
``EventStream`` (``_sync_stream.py``) is generated from it by ``codegen/unasync.py``.

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

from collections.abc import Callable, Iterator
from typing import Any, Generic, Protocol, TypeVar

from ._accumulate import Accumulator, ToolCall, Transcript
from ._exceptions import StreamInterruptedError
from ._sse import ServerSentEvent
from .types import common

__all__ = ["StreamAdapter", "StreamCore"]

E = TypeVar("E")


class StreamAdapter(Protocol):
    """A platform's typed layer: decode, normalize, and recognize the end."""

    platform: str

    def decode(self, sse: ServerSentEvent) -> Any: ...

    def normalize(self, event: Any) -> list[Any]: ...

    def is_terminal(self, event: Any) -> bool: ...


class StreamCore(Generic[E]):
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
        """All visible reasoning delivered so far (reasoning deltas joined)."""
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
                elif kind is common.TextReplaced and handlers["text_replaced"] is not None:
                    handlers["text_replaced"](item)

        return dispatch

    def _finished_call(self, call_id: str) -> ToolCall:
        for call in self._acc.snapshot().tool_calls:
            if call.call_id == call_id:
                return call
        return ToolCall(call_id=call_id)  # pragma: no cover - a finish always has a call
