"""The Everruns SSE stream: its query (cursor and filters) and its frames.

Framing, as the platform documents it: ``event: connected`` first (a lifecycle frame
with no id); then each event as ``event: <type>``, ``id: event_...``, ``retry: <ms>``
and its JSON envelope on one ``data:`` line; a ``: heartbeat`` comment after each
`heartbeat_interval` of silence; and, once the connection is `cycle_interval` old,
``event: disconnecting`` with ``{"reason": "connection_cycle", "retry_ms": 100}``
before the body ends cleanly. ``retry:`` is 100 ms while the session is active and
500 ms otherwise.

Without a cursor the stream starts live: only events written after the subscription
arrive. ``since_id`` (exclusive) resumes after an event, ``after_sequence`` (also
exclusive; 0 replays the whole session) after a sequence number; the two exclude each
other. ``types`` keeps only the listed types, ``exclude`` then drops some; both are
repeated query keys of at most 25 known types each.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncGenerator, Mapping, Sequence

import attrs
import orjson
from starlette.datastructures import QueryParams

from .._sse import encode, encode_comment
from ..types import everruns
from ._everruns_sessions import ACTIVE, LiveSession
from ._http import ApiError
from ._stream import Frame, StreamAborted

__all__ = ["EVENT_ID", "MAX_FILTER_VALUES", "StreamQuery", "event_frames"]

#: Event ids as the platform writes them (a UUIDv7 in lowercase hex).
EVENT_ID = re.compile(r"event_[0-9a-f]{32}")
MAX_FILTER_VALUES = 25
#: The event types a filter may name: every ``Event`` type (not the lifecycle frames).
KNOWN_TYPES = frozenset(everruns.EVENT_TYPES) - {"connected", "disconnecting"}
ACTIVE_RETRY_MS, IDLE_RETRY_MS, CYCLE_RETRY_MS = 100, 500, 100

CONNECTED = Frame(encode(orjson.dumps({"status": "connected"}).decode(), event="connected"))
DISCONNECTING = Frame(
    encode(
        orjson.dumps({"reason": "connection_cycle", "retry_ms": CYCLE_RETRY_MS}).decode(),
        event="disconnecting",
    )
)
HEARTBEAT = Frame(encode_comment("heartbeat"), heartbeat=True)


def bad_request(message: str, code: str = "invalid_request") -> ApiError:
    return ApiError(400, code, message)


@attrs.frozen(kw_only=True)
class StreamQuery:
    """Where a reader starts and which events it wants."""

    since_id: str | None = None
    after_sequence: int | None = None
    types: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, query: QueryParams) -> StreamQuery:
        """Read ``since_id``, ``after_sequence``, ``types`` and ``exclude``.

        Raises:
            ApiError: 400 for a malformed cursor, both cursors, or a bad filter.
        """
        since_id = query.get("since_id")
        if since_id is not None and not EVENT_ID.fullmatch(since_id):
            raise bad_request(f"since_id must be an event id (event_<32 hex>), not {since_id!r}")
        after = int_param(query, "after_sequence", minimum=0)
        if since_id is not None and after is not None:
            raise bad_request("since_id and after_sequence are mutually exclusive")
        return cls(
            since_id=since_id,
            after_sequence=after,
            types=type_filter(query.getlist("types"), "types"),
            exclude=type_filter(query.getlist("exclude"), "exclude"),
        )

    def start(self, live: LiveSession) -> int:
        """The index in the session's log of the first event to send."""
        if self.since_id is not None:
            return live.position_after(self.since_id)
        if self.after_sequence is not None:
            return min(self.after_sequence, len(live.events))
        return len(live.events)

    def wants(self, event: Mapping[str, object]) -> bool:
        kind = event["type"]
        return (not self.types or kind in self.types) and kind not in self.exclude


def type_filter(values: Sequence[str], name: str) -> frozenset[str]:
    """A ``types``/``exclude`` filter: at most 25 values, every one a known type.

    Raises:
        ApiError: 400 naming the problem.
    """
    if len(values) > MAX_FILTER_VALUES:
        raise bad_request(f"{name} accepts at most {MAX_FILTER_VALUES} values, got {len(values)}")
    unknown = sorted(set(values) - KNOWN_TYPES)
    if unknown:
        raise bad_request(f"unknown event type(s) in {name}: {', '.join(unknown)}")
    return frozenset(values)


def int_param(query: QueryParams, name: str, *, minimum: int = 0) -> int | None:
    """An integer query parameter, or None when absent.

    Raises:
        ApiError: 400 when it is not an integer >= `minimum`.
    """
    raw = query.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"{name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise bad_request(f"{name} must be >= {minimum}")
    return value


def event_frame(event: Mapping[str, object], retry: int) -> Frame:
    data = orjson.dumps(event).decode()
    return Frame(encode(data, event=str(event["type"]), id=str(event["id"]), retry=retry))


async def event_frames(
    live: LiveSession,
    query: StreamQuery,
    *,
    closing: asyncio.Event,
    heartbeat_interval: float,
    cycle_interval: float,
) -> AsyncGenerator[Frame, None]:
    """The frames of one connection: ``connected``, the events from the query's cursor
    on (replayed, then live), heartbeats, and ``disconnecting`` when it is time to cycle.

    Raises:
        StreamAborted: the emulator is stopping.
    """
    index = query.start(live)  # fixed before the first await: nothing is missed
    yield CONNECTED
    cycle_at = time.monotonic() + cycle_interval
    quiet_since = time.monotonic()
    while True:
        if time.monotonic() >= cycle_at:
            yield DISCONNECTING
            return
        if index < len(live.events):
            event = live.events[index]
            index += 1
            if query.wants(event):
                active = live.record.status == ACTIVE
                yield event_frame(event, ACTIVE_RETRY_MS if active else IDLE_RETRY_MS)
                quiet_since = time.monotonic()
            continue
        if closing.is_set():
            raise StreamAborted
        heartbeat_at = quiet_since + heartbeat_interval
        wait = max(0.0, min(heartbeat_at, cycle_at) - time.monotonic())
        try:
            await asyncio.wait_for(live.changed.wait(), wait)
        except asyncio.TimeoutError:
            if time.monotonic() >= heartbeat_at:
                yield HEARTBEAT
                quiet_since = time.monotonic()
