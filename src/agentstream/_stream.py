"""What EventStream and AsyncEventStream share: the typed layer of the stream object
every platform hands out. ``AsyncEventStream`` (``_async_stream.py``) is the source;
``EventStream`` (``_sync_stream.py``) is generated from it by ``codegen/unasync.py``.

A stream wraps an event source (which already reconnects and resumes through the
platform's ResumePolicy) and adds the typed layer: each wire event is decoded into its
generated class (or UnknownEvent), folded into the normalized transcript, and handed to
the caller. The helpers (``iter_text()``, ``text``, ``until_done()``, ``on(...)``,
``raw_events()``, ``stats``) all read from one underlying iterator, so they can be mixed:
iterate a few events, then ``iter_text()`` the rest, then read ``.text``. One name each;
the only aliases are the names readers of other SDKs look for: ``output`` (the m8tes
SDK's), ``text_stream`` and ``get_final_text()`` (the openai and anthropic SDKs').

What a platform provides is a StreamAdapter: how to decode a wire event, how to map it to
the common view, and which events end the stream. A stream that stops before its
terminal event raises StreamInterruptedError: it never just stops.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, Protocol, TypeVar

from ._accumulate import Accumulator, Transcript
from ._exceptions import StreamInterruptedError
from ._sse import ServerSentEvent
from .types import common
from .types._unknown import UnknownEvent

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
        # An event that did not decode (its JSON cut, a field of the wrong type) is
        # delivered as it is but adds nothing to the common view: the platform's
        # normalizer reads fields that an UnknownEvent of the same type does not have.
        self._last = [] if type(event) is UnknownEvent else adapter.normalize(event)
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

    @property
    def output(self) -> str:
        """Alias of ``text``, under the m8tes SDK's name for a run's output."""
        return self._acc.text

    @property
    def reasoning(self) -> str:
        """All visible reasoning delivered so far (reasoning deltas joined)."""
        return self._acc.reasoning

    @property
    def transcript(self) -> Transcript:
        """The normalized view of everything delivered so far."""
        return self._acc.snapshot()

    def _callbacks(
        self, handlers: dict[str, Callable[..., Any] | None]
    ) -> tuple[Callable[[Any], None], Callable[[], None]]:
        """Two functions for ``on(...)``: one dispatching a delivered event to the user's
        handlers, one to call when the stream has ended (the tool calls still waiting for
        their ``tool_call``, whose arguments are then as whole as they will get).

        ``tool_call`` fires once per call, with the call's complete arguments: at its
        start when the start carries them; else as soon as the streamed arguments form a
        JSON object (checked when a piece ends with ``}``); at the latest when the call
        asks for approval, finishes (then just before ``tool_result``) or the stream ends.
        """
        acc = self._acc
        waiting: dict[str, None] = {}  # started calls whose tool_call has not fired
        fired: set[str] = set()
        on_call = handlers["tool_call"]

        def fire(call_id: str) -> None:
            del waiting[call_id]
            fired.add(call_id)
            if on_call is not None:
                on_call(acc.tool_call(call_id))

        def dispatch(event: Any) -> None:
            if handlers["event"] is not None:
                handlers["event"](event)
            for item in self._last:
                kind = type(item)
                if kind is common.TextDelta:
                    if handlers["text"] is not None:
                        handlers["text"](item.text)
                elif kind is common.ReasoningDelta:
                    if handlers["reasoning"] is not None:
                        handlers["reasoning"](item.text)
                elif kind is common.ToolCallArgumentsDelta:
                    call_id = item.call_id
                    if (
                        call_id in waiting
                        and item.delta.rstrip().endswith("}")
                        and acc.arguments_complete(call_id)
                    ):
                        fire(call_id)
                elif kind is common.ToolCallStarted:
                    call_id = item.call_id
                    if call_id not in fired:
                        waiting[call_id] = None
                        if item.arguments is not None:
                            fire(call_id)
                elif kind is common.ToolCallFinished:
                    if item.call_id in waiting:
                        fire(item.call_id)
                    if handlers["tool_result"] is not None:
                        handlers["tool_result"](acc.tool_call(item.call_id))
                elif kind is common.ActionRequired:
                    if item.call_id in waiting:
                        fire(item.call_id)
                elif kind is common.StreamError and handlers["error"] is not None:
                    handlers["error"](item)
                elif kind is common.TextReplaced and handlers["text_replaced"] is not None:
                    handlers["text_replaced"](item)

        def flush() -> None:
            for call_id in list(waiting):
                fire(call_id)

        return dispatch, flush
