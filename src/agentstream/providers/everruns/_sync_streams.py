# Generated from _async_streams.py by codegen/unasync.py (`make codegen`): do not edit.
"""SessionStream and TurnStream: the streams of an Everruns session.

This file is generated from the async source; edit that one.

A session stream reads ``GET .../sse`` from its cursor on and never ends by itself (a
session outlives its turns). A turn stream is the stream of one turn: it takes the
session's cursor, sends the message, then reads from that cursor until the turn the
message started ends, answering client-side tool calls with the handlers it was given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..._sync import EventSource
from ..._sync_stream import EventStream
from ._common import tool_outcome
from ._policy import SessionResumePolicy
from ._stream_parts import EverrunsEvent, SessionStreamParts

if TYPE_CHECKING:
    from ._sync_resources import Events, Messages, ToolResults

__all__ = ["SessionStream", "TurnStream"]

#: A client-side tool: called with the call's arguments; its return value (any JSON) is
#: the result. An exception it raises is sent back as the call's error.
ToolHandler = Callable[[dict[str, Any]], Any]


class SessionStream(SessionStreamParts, EventStream[EverrunsEvent]):
    """The events of one Everruns session: typed, resumed with ``since_id`` across
    drops, stalls and the server's connection cycling.

    Iterating it yields ``everruns.AnyEvent | UnknownEvent``. ``cursor`` is the id of the
    last event delivered: a later ``events.stream(session_id, since_id=cursor)`` goes on
    from there. A session stream has no last event: stop reading (or close it) when you
    have what you need.
    """

    def __init__(
        self,
        source: EventSource,
        policy: SessionResumePolicy,
        session_id: str,
        *,
        raise_on_error: bool = False,
    ) -> None:
        from ._adapter import EverrunsAdapter  # with the generated types, on first use

        super().__init__(source, EverrunsAdapter(policy))
        self._policy = policy
        self._session_id = session_id
        self.raise_on_error = raise_on_error


class TurnStream(SessionStream):
    """One turn of a session, from the message that starts it to its end.

    The message is sent when the stream is first read (so a ``with`` block that never
    reads sends nothing). Before sending, the session's cursor is taken, and the stream
    reads from it: no event of the turn can be missed, however fast the agent answers.
    The stream ends after ``turn.completed``, ``turn.failed``, ``turn.cancelled`` or
    ``turn.sealed`` of that turn. With ``raise_on_error``, a failed turn raises
    RunFailedError at its end.
    """

    def __init__(
        self,
        source: EventSource,
        policy: SessionResumePolicy,
        session_id: str,
        *,
        send: Mapping[str, Any],
        messages: Messages,
        events: Events,
        tool_results: ToolResults,
        tools: Mapping[str, ToolHandler] | None,
        raise_on_error: bool,
    ) -> None:
        super().__init__(source, policy, session_id, raise_on_error=raise_on_error)
        self._send = dict(send)
        self._messages = messages
        self._events_api = events
        self._tool_results = tool_results
        self._tools = dict(tools or {})
        self._begun = False
        #: The message that started the turn, once sent.
        self.message: Any = None

    def _events(self) -> Iterator[EverrunsEvent]:
        if not self._begun:
            self._begin()
        for event in super()._events():
            if self._tools and getattr(event, "type", None) == "tool.call_requested":
                self._answer(event)
            yield event

    def _begin(self) -> None:
        """Take the cursor, then send the message (in that order: see the class)."""
        self._begun = True
        policy = self._policy
        if policy.cursor is None:
            policy.cursor = self._events_api.last_id(self._session_id)
            policy.replay = policy.cursor is None  # an empty session: from its start
        self.message = self._messages.create(self._session_id, **self._send)
        policy.message_id = self.message.id

    def _answer(self, event: Any) -> None:
        """Run the handlers of the calls this event requests; send their results."""
        from ._common import requested_calls

        if not hasattr(event, "id"):  # an UnknownEvent: nothing reliable to answer
            return
        results = []
        for call in requested_calls(event):
            handler = self._tools.get(call.name)
            if handler is None:
                continue  # not ours: an ActionRequired for the caller to handle
            try:
                outcome = _call(handler, call.arguments)
            except Exception as exc:  # the agent is told, the turn goes on
                results.append(tool_outcome(call.id, None, exc))
            else:
                results.append(tool_outcome(call.id, outcome, None))
        if results:
            self._tool_results.submit(self._session_id, results)


def _call(handler: ToolHandler, arguments: dict[str, Any]) -> Any:
    """Call a handler; a coroutine function's result is awaited (the async client)."""
    outcome = handler(arguments)
    return outcome
