"""Managed Agents sessions: their records, their event log, and the streams that watch them.

Theory of operation. A session is a record (persisted as JSON after every change) plus
an append-only event log in SQLite. Everything that happens to a session happens on
the server loop: a sent event is echoed into the log, a turn runs as one asyncio task
that appends agent events, and each append is handed at once to every stream open on
that session. A stream is only a subscriber: it is registered when the request
arrives and sees what is emitted after that, never the history (the platform does
not replay; history is ``GET .../events``). When nothing is emitted for
`keepalive_interval` seconds, a stream gets an ``event: ping`` heartbeat.

Previews (``event_start``/``event_delta``) are not events: they go only to streams
opened with ``event_deltas[]`` naming the previewed type, and are never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncGenerator, Callable, Coroutine
from datetime import datetime, timezone
from typing import Any

import attrs
import orjson

from .._sse import encode
from ._managed_agents_log import Clock, SessionLog
from ._stream import Frame, StreamAborted

__all__ = ["LiveSession", "SessionRecord", "Sessions"]

log = logging.getLogger("agentstream.testing.managed_agents")

PING = Frame(encode('{"type": "ping"}', event="ping"), heartbeat=True)
_END = "end"
_ABORT = "abort"


def encode_event(event: dict[str, Any]) -> bytes:
    """One event as an SSE block: ``event: <type>`` and its JSON on one data line."""
    return encode(orjson.dumps(event).decode(), event=event["type"])


@attrs.define(kw_only=True)
class SessionRecord:
    """Everything known about a session: its public fields and the engine's position."""

    id: str
    thread_id: str
    created_at: str
    updated_at: str
    environment_id: str
    agent: dict[str, Any]
    title: str | None = None
    metadata: dict[str, str] = attrs.field(factory=dict)
    budget: dict[str, Any] | None = None
    resources: list[dict[str, Any]] = attrs.field(factory=list)
    vault_ids: list[str] = attrs.field(factory=list)
    archived_at: str | None = None
    status: str = "idle"
    #: Cumulative usage and running time.
    input_tokens: int = 0
    output_tokens: int = 0
    active_seconds: float = 0.0
    running_since: int | None = None
    #: The engine: the scenario, the next step, what the session waits for.
    scenario: str | None = None
    step: int = 0
    #: event id -> {"kind": "custom" | "confirm", "step": index} while requires_action.
    pending: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    queued: list[str] = attrs.field(factory=list)
    span_id: str | None = None
    reported: bool = False


@attrs.define(eq=False)
class Subscriber:
    """One open stream: its frames queue and the types it wants previews of."""

    queue: asyncio.Queue[Frame | str]
    deltas: frozenset[str]


@attrs.define(eq=False)
class LiveSession:
    """A session in memory: its record, its open streams, its running turn."""

    record: SessionRecord
    subscribers: set[Subscriber] = attrs.field(factory=set)
    task: asyncio.Task[None] | None = None


class Sessions:
    """The sessions of one emulator: lookup, logging, fan-out to streams, turn tasks."""

    def __init__(
        self, log_: SessionLog, clock: Clock, closing: asyncio.Event, keepalive: float
    ) -> None:
        self.log = log_
        self.clock = clock
        self.closing = closing
        self.keepalive = keepalive
        self._live: dict[str, LiveSession] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    # Records -----------------------------------------------------------------------

    def get(self, session_id: str) -> LiveSession | None:
        """The session, loaded from the log on first use (after a restart, say)."""
        live = self._live.get(session_id)
        if live is None:
            data = self.log.load_session(session_id)
            if data is None:
                return None
            live = self._live[session_id] = LiveSession(SessionRecord(**data))
        return live

    def add(self, record: SessionRecord) -> LiveSession:
        live = self._live[record.id] = LiveSession(record)
        self.save(live)
        return live

    def save(self, live: LiveSession) -> None:
        live.record.updated_at = self.clock.stamp()
        self.log.save_session(attrs.asdict(live.record))

    def remove(self, live: LiveSession) -> None:
        """Delete the session: its streams get ``session.deleted`` and end."""
        if live.task is not None:
            live.task.cancel()
        stamp = self.clock.stamp()
        event = {"type": "session.deleted", "id": self.clock.new_id("sevt"), "processed_at": stamp}
        self._fan_out(live, Frame(encode_event(event)))
        for sub in live.subscribers:
            sub.queue.put_nowait(_END)
        self.log.delete_session(live.record.id)
        self._live.pop(live.record.id, None)

    # Events ------------------------------------------------------------------------

    def emit(
        self, live: LiveSession, event: dict[str, Any], event_id: str | None = None
    ) -> dict[str, Any]:
        """Log one event (given without id and processed_at) and stream it; returns it
        as stored."""
        event_id = event_id or self.clock.new_id("sevt")
        stored = {
            "type": event["type"],
            "id": event_id,
            **event,
            "processed_at": self.clock.stamp(),
        }
        self.log.add_event(live.record.id, stored)
        self._fan_out(live, Frame(encode_event(stored)))
        return stored

    def preview(self, live: LiveSession, kind: str, frame: dict[str, Any]) -> list[Subscriber]:
        """Send an ``event_start`` to the streams that asked for previews of `kind`;
        returns them, the streams its deltas go to."""
        watchers = [sub for sub in live.subscribers if kind in sub.deltas]
        self.preview_to(watchers, frame)
        return watchers

    def preview_to(self, watchers: list[Subscriber], frame: dict[str, Any]) -> None:
        data = Frame(encode_event(frame))
        for sub in watchers:
            sub.queue.put_nowait(data)

    def _fan_out(self, live: LiveSession, frame: Frame) -> None:
        for sub in live.subscribers:
            sub.queue.put_nowait(frame)

    def events(self, session_id: str) -> list[dict[str, Any]]:
        return [event for _, event in self.log.events(session_id)]

    # Streams -----------------------------------------------------------------------

    def subscribe(self, live: LiveSession, deltas: frozenset[str]) -> AsyncGenerator[Frame, None]:
        """A stream of what `live` emits from now on (registered before this returns).

        The subscriber leaves when the stream ends, or, for a stream whose body never
        started (a fault dropped it at once), when its generator is collected.
        """
        sub = Subscriber(asyncio.Queue(), deltas)
        live.subscribers.add(sub)
        frames = self._frames(sub)
        weakref.finalize(frames, live.subscribers.discard, sub)
        return frames

    async def _frames(self, sub: Subscriber) -> AsyncGenerator[Frame, None]:
        while True:
            if self.closing.is_set():
                raise StreamAborted
            try:
                item = await asyncio.wait_for(sub.queue.get(), self.keepalive)
            except asyncio.TimeoutError:
                yield PING
                continue
            if item == _ABORT:
                raise StreamAborted
            if item == _END:
                return
            assert isinstance(item, Frame)
            yield item

    def wake_all(self) -> None:
        """End every stream now: the emulator is stopping."""
        for live in self._live.values():
            for sub in live.subscribers:
                sub.queue.put_nowait(_ABORT)

    # Turn tasks --------------------------------------------------------------------

    def start(self, live: LiveSession, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run `work()` as the session's turn task; an escaping bug is logged, not lost."""
        task = asyncio.get_running_loop().create_task(self._guard(live, work))
        live.task = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(
        self, live: LiveSession, work: Callable[[], Coroutine[Any, Any, None]]
    ) -> None:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("session %s failed inside the emulator", live.record.id)

    async def shutdown(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*tasks, return_exceptions=True)

    # Rendering ---------------------------------------------------------------------

    def session_json(self, record: SessionRecord) -> dict[str, Any]:
        """The session as ``GET /v1/sessions/{id}`` answers it."""
        return {
            "type": "session",
            "id": record.id,
            "agent": record.agent,
            "environment_id": record.environment_id,
            "status": record.status,
            "title": record.title,
            "metadata": record.metadata,
            "budget": record.budget,
            "resources": record.resources,
            "vault_ids": record.vault_ids,
            "usage": usage_json(record),
            "stats": {
                "active_seconds": round(self.active_seconds(record), 6),
                "duration_seconds": round(self._age(record), 6),
            },
            "outcome_evaluations": [],
            "deployment_id": None,
            "created_at": record.created_at,
            "updated_at": record.updated_at,
            "archived_at": record.archived_at,
        }

    def active_seconds(self, record: SessionRecord) -> float:
        running = 0.0
        if record.running_since is not None:
            running = (self.clock.tick() - record.running_since) / 1e6
        return record.active_seconds + running

    def _age(self, record: SessionRecord) -> float:
        created = _micros(record.created_at)
        return max(0.0, (self.clock.tick() - created) / 1e6)


def usage_json(record: SessionRecord) -> dict[str, Any]:
    """Cumulative usage in the platform's shape (its ``session.usage`` and session)."""
    return {
        "input_tokens": record.input_tokens,
        "output_tokens": record.output_tokens,
        "cache_read_input_tokens": 0,
        "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0},
        "active_seconds": round(record.active_seconds, 6),
    }


def _micros(stamp: str) -> int:
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1_000_000)
