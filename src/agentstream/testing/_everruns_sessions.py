"""Everruns sessions: their records, their event logs, and the ids and clocks they use.

Theory of operation. A session is a record (persisted as JSON after every change)
plus its event log: every event of every turn, in ``sequence`` order, written through
to SQLite as it is emitted. Nothing is ever removed from the log, which is what makes
``since_id`` resumption gap-free and duplicate-free: a reader only ever needs the
position of the last event it saw.

Event ids are UUIDv7s (``event_`` + 32 lowercase hex), time-ordered and strictly
increasing across the whole process; after a restart the generator is moved past the
newest id in the log, so ids keep increasing even if the clock did not. A reader can
therefore resume from any well-formed id by comparing ids, without looking it up.

A turn executes as one asyncio task on the server loop, independent of any
connection (see ``_everruns_player``); everything here runs on that loop too.
"""

from __future__ import annotations

import asyncio
import bisect
import logging
import secrets
import threading
import time
from collections.abc import Callable, Coroutine
from datetime import datetime, timezone
from typing import Any

import attrs

from .._converter import unstructure
from ..types import everruns
from ._store import Store

__all__ = [
    "ACTIVE",
    "IDLE",
    "STARTED",
    "WAITING",
    "LiveSession",
    "SessionRecord",
    "Sessions",
    "TurnClosed",
    "new_id",
    "now",
]

log = logging.getLogger("agentstream.testing.everruns")

#: Session statuses, as the platform's SDK spells them.
STARTED, ACTIVE, IDLE, WAITING = "started", "active", "idle", "waitingfortoolresults"
#: The envelope's keys in the order the platform writes them.
_ENVELOPE_ORDER = ("id", "type", "ts", "session_id", "sequence", "context", "data")

_id_lock = threading.Lock()
_last_ms = 0
_counter = 0


def new_id(prefix: str) -> str:
    """``prefix_`` + a UUIDv7 in 32 lowercase hex digits, greater than any made before.

    Within one millisecond the 12-bit ``rand_a`` field counts up (as RFC 9562's
    "monotonic random" method allows), so ids made in a burst still sort in order.
    """
    global _last_ms, _counter
    with _id_lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms, _counter = ms, secrets.randbelow(0x400)
        else:
            _counter += 1
            if _counter > 0xFFF:
                _last_ms, _counter = _last_ms + 1, 0
        value = (_last_ms << 80) | (0x7 << 76) | (_counter << 64) | (0b10 << 62)
        value |= secrets.randbits(62)
    return f"{prefix}_{value:032x}"


def observe_id(existing: str) -> None:
    """Move the id clock past `existing` (an id read back from the log)."""
    global _last_ms, _counter
    value = int(existing.rpartition("_")[2], 16)
    with _id_lock:
        ms, counter = value >> 80, (value >> 64) & 0xFFF
        if (ms, counter) > (_last_ms, _counter):
            _last_ms, _counter = ms, counter


def now() -> str:
    """The current time in ISO 8601, UTC, milliseconds, as the platform writes it."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@attrs.define(kw_only=True)
class SessionRecord:
    """Everything known about a session: its public fields and where its turn is."""

    id: str
    key: int
    organization_id: str
    harness_id: str
    agent_id: str
    created_at: str
    updated_at: str
    status: str = STARTED
    title: str | None = None
    model_id: str | None = None
    tags: list[str] = attrs.field(factory=list)
    end_user: str | None = None
    started_at: str | None = None
    preview: str | None = None
    output_preview: str | None = None
    #: Token totals of the finished turns.
    input_tokens: int = 0
    output_tokens: int = 0
    #: Tools the user answered "always" for in this session: tool -> allowed.
    always: dict[str, bool] = attrs.field(factory=dict)
    #: The current (or last) turn and the engine's position in its scenario.
    turn_id: str | None = None
    input_message_id: str | None = None
    input_text: str = ""
    scenario: str = ""
    step: int = 0
    turn_started_at: str | None = None
    in_reason: bool = False
    reason_text: str = ""
    iterations: int = 0
    tool_calls: int = 0
    turn_input_tokens: int = 0
    turn_output_tokens: int = 0
    turn_reported: bool = False
    final_message_id: str | None = None
    final_text: str = ""
    #: What a parked turn waits for: {"kind", "calls", "step", "gated"?}.
    pending: dict[str, Any] | None = None

    def to_session(self) -> everruns.Session:
        usage = None
        if self.input_tokens or self.output_tokens:
            usage = everruns.TokenUsage(
                input_tokens=self.input_tokens, output_tokens=self.output_tokens
            )
        return everruns.Session(
            id=self.id,
            organization_id=self.organization_id,
            harness_id=self.harness_id,
            status=self.status,
            created_at=self.created_at,
            updated_at=self.updated_at,
            agent_id=self.agent_id,
            title=self.title,
            model_id=self.model_id,
            tags=list(self.tags),
            started_at=self.started_at,
            usage=usage,
            preview=self.preview,
            output_preview=self.output_preview,
        )

    def begin_turn(self, turn_id: str, message_id: str, text: str, scenario: str) -> None:
        self.turn_id, self.input_message_id, self.input_text = turn_id, message_id, text
        self.scenario, self.step, self.status, self.pending = scenario, 0, ACTIVE, None
        self.turn_started_at = now()
        self.started_at = self.started_at or self.turn_started_at
        self.preview = self.preview or text[:200]
        self.in_reason, self.reason_text, self.iterations, self.tool_calls = False, "", 0, 0
        self.turn_input_tokens = self.turn_output_tokens = 0
        self.turn_reported, self.final_message_id, self.final_text = False, None, ""

    def end_turn(self) -> None:
        self.status, self.pending, self.in_reason = IDLE, None, False
        self.input_tokens += self.turn_input_tokens
        self.output_tokens += self.turn_output_tokens
        if self.final_text:
            self.output_preview = self.final_text[:200]


class TurnClosed(Exception):
    """The turn ended (it was cancelled, say) while its task still had events to write."""


@attrs.define(eq=False)
class LiveSession:
    """A session in memory: its record, its whole event log, and who waits for more."""

    record: SessionRecord
    events: list[dict[str, Any]]
    #: The events' ids, in order (they increase), for bisecting a ``since_id``.
    ids: list[str]
    changed: asyncio.Event = attrs.field(factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    def position_after(self, event_id: str) -> int:
        """Index of the first event after `event_id` (which need not be in the log)."""
        return bisect.bisect_right(self.ids, event_id)


class Sessions:
    """The sessions of one emulator: lookup, the event log, and turn tasks."""

    def __init__(self, store: Store, closing: asyncio.Event) -> None:
        self.store = store
        self.closing = closing
        self._live: dict[str, LiveSession] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def get(self, session_id: str) -> LiveSession | None:
        """The session, loaded from the store on first use (after a restart, say)."""
        live = self._live.get(session_id)
        if live is None:
            found = self.store.list_runs(limit=1, where={"id": session_id})
            if not found:
                return None
            record = SessionRecord(**found[0])
            events = self.store.frames(record.key)
            ids = [event["id"] for event in events]
            if ids:
                observe_id(ids[-1])
            live = self._live[session_id] = LiveSession(record, events, ids)
        return live

    def create(self, **fields: Any) -> LiveSession:
        stamp = now()
        record = SessionRecord(
            id=new_id("session"),
            key=self.store.new_run_id(),
            created_at=stamp,
            updated_at=stamp,
            **fields,
        )
        live = self._live[record.id] = LiveSession(record, [], [])
        self.save(live)
        return live

    def records(self) -> list[SessionRecord]:
        """Every session, newest first."""
        return [SessionRecord(**data) for data in self.store.list_runs(limit=1 << 30)]

    def unfinished(self) -> list[LiveSession]:
        """Sessions whose turn was executing (not parked) when the emulator stopped."""
        found = (self.get(data["id"]) for data in self.store.unfinished_runs((ACTIVE,)))
        return [live for live in found if live is not None]

    def save(self, live: LiveSession) -> None:
        live.record.updated_at = now()
        self.store.save_run(live.record.key, attrs.asdict(live.record))

    def emit(self, live: LiveSession, kind: str, data: Any, *, turn: str | None = None) -> None:
        """Append one event to the session's log and wake its readers.

        `turn` ties the event to that turn: its context carries the turn's ids, and
        if the session has moved on (the turn was cancelled), nothing is written.

        Raises:
            TurnClosed: `turn` is no longer the session's running turn.
        """
        record = live.record
        context = everruns.EventContext()
        if turn is not None:
            if record.turn_id != turn or record.status not in (ACTIVE, WAITING):
                raise TurnClosed
            context = everruns.EventContext(turn_id=turn, input_message_id=record.input_message_id)
        event = everruns.EVENT_TYPES[kind](
            id=new_id("event"),
            ts=now(),
            session_id=record.id,
            sequence=len(live.events) + 1,
            context=context,
            data=data,
            tags=[],
        )
        wire = _in_order(unstructure(event))
        self.store.add_frame(record.key, 0, wire["sequence"], wire)
        live.events.append(wire)
        live.ids.append(wire["id"])
        live.changed.set()
        live.changed = asyncio.Event()

    def start(self, live: LiveSession, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run `work()` as the session's turn task."""
        task = asyncio.get_running_loop().create_task(self._guard(live, work))
        live.task = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(
        self, live: LiveSession, work: Callable[[], Coroutine[Any, Any, None]]
    ) -> None:
        try:
            await work()
        except TurnClosed:
            pass  # cancelled under its feet: the cancel already wrote the turn's end
        except Exception as exc:
            # A bug in a scenario or in the engine: the turn fails visibly, with the
            # reason, instead of leaving the session active for ever.
            log.exception("session %s failed inside the emulator", live.record.id)
            self.fail(live, f"emulator error: {exc!r}", "emulator_error")

    def fail(self, live: LiveSession, error: str, code: str | None) -> None:
        """End the running turn as failed: ``turn.failed`` then ``session.idled``."""
        record = live.record
        turn = record.turn_id
        if turn is None or record.status not in (ACTIVE, WAITING):
            return
        data = everruns.TurnFailedData(turn_id=turn, error=error, error_code=code)
        self.emit(live, "turn.failed", data, turn=turn)
        self.idle(live)

    def idle(self, live: LiveSession) -> None:
        """Close the turn's books and say so with ``session.idled``."""
        record = live.record
        turn = record.turn_id or ""
        record.end_turn()
        self.save(live)
        usage = everruns.TokenUsage(
            input_tokens=record.input_tokens, output_tokens=record.output_tokens
        )
        idled = everruns.SessionIdledData(turn_id=turn, iterations=record.iterations, usage=usage)
        self.emit(live, "session.idled", idled)

    def wake_all(self) -> None:
        """Wake every reader, so that they notice the emulator is closing."""
        for live in self._live.values():
            live.changed.set()

    async def shutdown(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _in_order(data: dict[str, Any]) -> dict[str, Any]:
    ordered = {key: data.pop(key) for key in _ENVELOPE_ORDER if key in data}
    return {**ordered, **data}
