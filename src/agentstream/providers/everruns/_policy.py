"""How an Everruns session stream resumes: ``since_id``, the JSON id of the last event
delivered, sent back as a query parameter.

The platform numbers each session's events (``sequence``) and resumes after the event
named by ``since_id``, with no gap and no duplicate. What the policy adds:

- ``connected`` (the first frame of each connection) is CONTROL: framing, not an event.
- ``disconnecting`` (the server cycles connections every few minutes) is RECONNECT after
  its ``retry_ms``: not a failure, so it never counts against the reconnect budget.
- A clean end of the body reconnects: a session stream has no end of its own.
- An event at or before the cursor is SKIP (the server promises none; a proxy or a
  replay might still send one). Order is the ``sequence`` when the event has one, else
  the id, which is time-ordered (``event_`` + a UUIDv7 in lowercase hex).
- In a turn (``message_id`` given), the policy learns the turn the message started (from
  ``turn.started``, or the ``input.message`` that carried it) and that turn's end
  (``turn.completed``/``failed``/``cancelled``/``sealed``) is TERMINAL. An earlier turn
  ending after the cursor (a parked turn the message abandoned) is not.

The backoff itself (full jitter, ``retry:`` as its base) is the stream machine's.
``connected`` does not reset it: the first event delivered or skipped does, so a server
that accepts and drops at once is not hammered at the base delay forever.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from ..._policy import Request, Verdict
from ..._sse import ServerSentEvent
from ._common import TURN_END_TYPES

__all__ = ["SessionResumePolicy"]

_DELIVER, _SKIP, _CONTROL = Verdict.DELIVER, Verdict.SKIP, Verdict.CONTROL
_TERMINAL, _RECONNECT = Verdict.TERMINAL, Verdict.RECONNECT
#: The wait a ``disconnecting`` frame without ``retry_ms`` asks for (the platform's).
DEFAULT_CYCLE_MS = 100


class SessionResumePolicy:
    """Resume an Everruns session stream with ``since_id`` (see the module docstring).

    Args:
        since_id: start after this event (exclusive); None starts live, or at the
            session's first event with `replay`.
        replay: with no `since_id`, replay the whole session (``after_sequence=0``).
        types: keep only these event types (repeated ``types`` keys).
        exclude: then drop these (repeated ``exclude`` keys).
        message_id: the message a turn was started with: the stream ends at that
            turn's end. None: the session stream, which never ends by itself.
    """

    def __init__(
        self,
        *,
        since_id: str | None = None,
        replay: bool = False,
        types: Sequence[str] | None = None,
        exclude: Sequence[str] | None = None,
        message_id: str | None = None,
    ) -> None:
        #: Seconds to wait before the reconnect a ``disconnecting`` frame asked for.
        self.reconnect_delay = DEFAULT_CYCLE_MS / 1000
        #: The JSON id of the last event delivered: the next connection's ``since_id``.
        self.cursor = since_id
        #: The ``sequence`` of that event, when it had one.
        self.sequence: int | None = None
        self.replay = replay
        self.types = list(types) if types else None
        self.exclude = list(exclude) if exclude else None
        self.message_id = message_id
        #: The turn the message started, once seen.
        self.turn_id: str | None = None
        #: The id of the event that ended the turn, once it came.
        self.finished_id: str | None = None
        #: Parsed JSON of delivered events, by ``id()`` of their ServerSentEvent, so the
        #: typed layer need not parse them again. Entries are popped as they are used.
        self.parsed: dict[int, Any] = {}
        #: Connections made (each ``request`` call is one).
        self.connections = 0
        self._seen_input = False

    def request(self, original: Request, last_event_id: str) -> Request:
        """The stream's URL with the cursor (``since_id``) and the filters."""
        self.connections += 1
        query: dict[str, str | Sequence[str] | None] = {"types": self.types}
        query["exclude"] = self.exclude
        if self.cursor is not None:
            query["since_id"], query["after_sequence"] = self.cursor, None
        elif self.replay:
            query["after_sequence"] = "0"
        return original.with_query(**query)

    def opened(self, status: int, headers: Mapping[str, str]) -> Request | None:
        """No backfill: ``since_id`` makes the server replay what was missed."""
        return None

    def backfill(self, status: int, body: bytes) -> list[ServerSentEvent]:
        """Nothing to reconcile (there is no backfill request)."""
        return []

    def classify(self, event: ServerSentEvent) -> Verdict:
        """``connected`` CONTROL, ``disconnecting`` RECONNECT, a repeat SKIP, the end of
        the awaited turn TERMINAL, anything else DELIVER (moving the cursor)."""
        kind = event.event
        if kind == "connected":
            return _CONTROL
        if kind == "disconnecting":
            self.reconnect_delay = _cycle_delay(event.data)
            return _RECONNECT
        try:
            parsed = orjson.loads(event.data)
        except orjson.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, dict):
            # Delivered as it is (the typed layer makes it an UnknownEvent with the
            # error); it names no event, so the cursor stays where it was.
            return _DELIVER
        event_id = parsed.get("id")
        sequence = parsed.get("sequence")
        if self._repeated(event_id, sequence):
            return _SKIP
        if isinstance(event_id, str):
            self.cursor = event_id
        if isinstance(sequence, int):
            self.sequence = sequence
        self.parsed[id(event)] = parsed
        if self.message_id is not None and self._ends_turn(parsed):
            self.finished_id = event_id if isinstance(event_id, str) else ""
            return _TERMINAL
        return _DELIVER

    def _repeated(self, event_id: Any, sequence: Any) -> bool:
        if isinstance(sequence, int) and self.sequence is not None:
            return sequence <= self.sequence
        cursor = self.cursor
        return isinstance(event_id, str) and cursor is not None and event_id <= cursor

    def _ends_turn(self, parsed: dict[str, Any]) -> bool:
        """Track the turn our message started; True at that turn's end."""
        kind = parsed.get("type")
        data = parsed.get("data")
        if not isinstance(data, dict):
            return False
        if kind == "input.message":
            message = data.get("message")
            if isinstance(message, dict) and message.get("id") == self.message_id:
                self._seen_input = True
                context = parsed.get("context")
                if isinstance(context, dict) and context.get("turn_id"):
                    self.turn_id = context["turn_id"]
        elif kind == "turn.started" and data.get("input_message_id") == self.message_id:
            self._seen_input, self.turn_id = True, data.get("turn_id")
        elif kind in TURN_END_TYPES and self._seen_input:
            return self.turn_id is None or data.get("turn_id") == self.turn_id
        return False

    def ended(self) -> bool:
        """A clean end reconnects: a session stream has no end of its own."""
        return False

    def follow(self, status: int, headers: Mapping[str, str], body: bytes) -> Request | None:
        """A non-stream answer is an error: nothing leads on to a stream."""
        return None


def _cycle_delay(data: str) -> float:
    try:
        payload = orjson.loads(data)
    except orjson.JSONDecodeError:
        payload = None
    retry_ms = payload.get("retry_ms") if isinstance(payload, dict) else None
    if not isinstance(retry_ms, int) or isinstance(retry_ms, bool) or retry_ms < 0:
        retry_ms = DEFAULT_CYCLE_MS
    return retry_ms / 1000
