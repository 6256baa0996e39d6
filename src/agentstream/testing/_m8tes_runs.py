"""m8tes runs: their records, their event logs, and how a scenario moves them along.

Theory of operation. A run is a record (persisted as JSON after every change) plus the
log of its current turn's frames. A turn executes as one asyncio task on the server
loop, independent of any connection: a client that drops, or never reads, does not
slow or stop the run. The task renders the scenario's steps from ``record.step`` on;
at a gate (an approval or a question) it records the gate and *ends*, so a parked run
has no task at all. The approve and answer endpoints start a new task that renders the
decision and carries on from the step after the gate. Because the position in the
scenario is part of the persisted record, a run parked on a gate survives an emulator
restart; a run that was mid-step when the emulator stopped is failed on restart.

A stream is a reader of the log: it replays the current turn from its first frame,
then waits for more, sending a keep-alive after each `keepalive_interval` of silence,
and ends after the turn's terminal frame (``done``, ``error`` or ``cancelled``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncGenerator, Callable
from datetime import datetime, timezone
from typing import Any

import attrs

from .._converter import unstructure
from .._sse import encode
from ..types import m8tes
from ._store import Store
from ._stream import Frame, StreamAborted
from .scenarios import Scenario

__all__ = ["TERMINAL_STATUSES", "LiveRun", "RunRecord", "Runs", "now"]

log = logging.getLogger("agentstream.testing.m8tes")

#: Statuses after which a run no longer executes (as the platform's SDK defines them).
TERMINAL_STATUSES = frozenset({"completed", "failed", "cancelled", "closed"})
TERMINAL_FRAMES = frozenset({"done", "error", "cancelled"})
# Token prices used for `cost`: a Sonnet-class model, in USD per token.
INPUT_PRICE = 3e-6
OUTPUT_PRICE = 15e-6


def now() -> str:
    """The current time in ISO 8601, UTC, milliseconds, as the platform writes it."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def wire(event: Any) -> dict[str, Any]:
    """A generated event as its wire dict, ``type`` first as the platform sends it."""
    data: dict[str, Any] = unstructure(event)
    return {"type": data.pop("type"), **data}


def encode_frame(frame: dict[str, Any]) -> bytes:
    # json.dumps with its default separators: the platform's frames read
    # {"type": "text-delta", "delta": "Here are "}, with a space after each colon.
    return encode(json.dumps(frame))


KEEP_ALIVE = Frame(encode_frame(wire(m8tes.KeepAliveEvent())), heartbeat=True)
REPLAY_COMPLETE = Frame(encode_frame(wire(m8tes.ReplayCompleteEvent())))


@attrs.define(kw_only=True)
class RunRecord:
    """Everything known about a run: its public fields and the engine's position."""

    id: int
    message: str
    scenario: str
    created_at: str
    updated_at: str
    status: str = "running"
    teammate_id: int | None = None
    user_id: str | None = None
    metadata: dict[str, Any] | None = None
    permission_mode: str | None = None
    output: str | None = None
    error: str | None = None
    error_code: str | None = None
    stop_reason: str | None = None
    started_at: str | None = None
    turn_started_at: str | None = None
    last_activity_at: str | None = None
    #: Token totals of the finished turns.
    input_tokens: int = 0
    output_tokens: int = 0
    #: Where the engine is: the turn, the next step, the open gate.
    turn: int = 1
    step: int = 0
    gate: str | None = None
    gate_step: int | None = None
    counters: dict[str, int] = attrs.field(factory=dict)
    turn_text: str = ""
    turn_input_tokens: int = 0
    turn_output_tokens: int = 0
    turn_reported: bool = False

    def to_run(self) -> m8tes.Run:
        total = self.input_tokens + self.output_tokens
        usage = None
        if total:
            usage = m8tes.RunUsage(
                input_tokens=self.input_tokens,
                output_tokens=self.output_tokens,
                cache_read_tokens=0,
                cache_creation_tokens=0,
                total_tokens=total,
                cost_usd=f"{cost(self.input_tokens, self.output_tokens):.4f}",
            )
        return m8tes.Run(
            id=self.id,
            teammate_id=self.teammate_id,
            status=self.status,
            output=self.output,
            error=self.error,
            user_id=self.user_id,
            metadata=self.metadata,
            created_at=self.created_at,
            updated_at=self.updated_at,
            permission_mode=self.permission_mode,
            error_code=self.error_code,
            failure_kind="error" if self.status == "failed" else None,
            can_continue=self.status in {"failed", "cancelled"},
            usage=usage,
            stop_reason=self.stop_reason,
            started_at=self.started_at,
            turn_started_at=self.turn_started_at,
            last_activity_at=self.last_activity_at,
            files=[],
        )

    def begin_turn(self, message: str, scenario: Scenario) -> None:
        self.message, self.scenario, self.step = message, scenario.name, 0
        self.status, self.gate, self.gate_step = "running", None, None
        self.output = self.error = self.error_code = self.stop_reason = None
        self.turn_text, self.turn_reported = "", False
        self.turn_input_tokens = self.turn_output_tokens = 0
        self.turn_started_at = now()

    def end_turn(self, status: str) -> None:
        self.status = status
        self.input_tokens += self.turn_input_tokens
        self.output_tokens += self.turn_output_tokens
        self.turn_input_tokens = self.turn_output_tokens = 0

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}_{self.counters[prefix]}"


def cost(input_tokens: int, output_tokens: int) -> float:
    return input_tokens * INPUT_PRICE + output_tokens * OUTPUT_PRICE


class TurnClosed(Exception):
    """The turn ended (it was cancelled, say) while its task still had frames to write."""


@attrs.define(eq=False)
class LiveRun:
    """A run in memory: its record, its current turn's frames, and who waits for more."""

    record: RunRecord
    frames: list[dict[str, Any]]
    open: bool
    changed: asyncio.Event = attrs.field(factory=asyncio.Event)
    task: asyncio.Task[None] | None = None


class Runs:
    """The runs of one emulator: lookup, logging, tasks, and streaming."""

    def __init__(self, store: Store, closing: asyncio.Event, keepalive_interval: float) -> None:
        self.store = store
        self.closing = closing
        self.keepalive_interval = keepalive_interval
        self._live: dict[int, LiveRun] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def get(self, run_id: int) -> LiveRun | None:
        """The run, loaded from the store on first use (after a restart, say)."""
        live = self._live.get(run_id)
        if live is None:
            data = self.store.load_run(run_id)
            if data is None:
                return None
            record = RunRecord(**data)
            frames = self.store.frames(run_id, record.turn)
            live = LiveRun(record, frames, record.status not in TERMINAL_STATUSES)
            self._live[run_id] = live
        return live

    def add(self, record: RunRecord) -> LiveRun:
        live = self._live[record.id] = LiveRun(record, [], True)
        return live

    def new_turn(self, live: LiveRun) -> None:
        live.frames, live.open, live.changed = [], True, asyncio.Event()

    def save(self, live: LiveRun) -> None:
        record = live.record
        record.updated_at = record.last_activity_at = now()
        self.store.save_run(record.id, attrs.asdict(record))

    def emit(self, live: LiveRun, event: Any) -> None:
        """Append one frame to the run's log and wake its readers.

        Raises:
            TurnClosed: the turn already ended; nothing may follow its terminal frame.
        """
        if not live.open:
            raise TurnClosed
        frame = wire(event)
        self.store.add_frame(live.record.id, live.record.turn, len(live.frames), frame)
        live.frames.append(frame)
        live.changed.set()
        live.changed = asyncio.Event()

    def close_turn(self, live: LiveRun) -> None:
        live.open = False

    def start(self, live: LiveRun, work: Callable[[], Any]) -> None:
        """Run `work()` (a coroutine function) as the turn's task."""
        task = asyncio.get_running_loop().create_task(self._guard(live, work))
        live.task = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(self, live: LiveRun, work: Callable[[], Any]) -> None:
        try:
            await work()
        except TurnClosed:
            pass  # cancelled under its feet: the cancel already wrote the last frame
        except Exception as exc:
            # A bug in a scenario or in the engine: the run fails visibly, with the
            # reason, instead of hanging its readers.
            log.exception("run %s failed inside the emulator", live.record.id)
            if live.open:
                self.fail(live, f"emulator error: {exc!r}", "emulator_error")

    def fail(self, live: LiveRun, message: str, code: str | None) -> None:
        """Fail the run: status ``failed``, and an ``error`` frame as the last one."""
        record = live.record
        record.end_turn("failed")
        record.error, record.error_code = message, code
        record.output = record.turn_text or None
        self.save(live)
        self.emit(live, m8tes.ErrorEvent(error=message))
        self.close_turn(live)

    def wake_all(self) -> None:
        """Wake every reader, so that they notice the emulator is closing."""
        for live in self._live.values():
            live.changed.set()

    async def shutdown(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def subscribe(self, live: LiveRun, *, join: bool) -> AsyncGenerator[Frame, None]:
        """The current turn's frames from the first, then live ones, until its end.

        A join marks the end of what was replayed with a ``replay_complete`` frame.

        Raises:
            StreamAborted: the emulator is stopping.
        """
        frames, index = live.frames, 0
        replayed = len(frames) if join else None
        while True:
            if index == replayed:
                replayed = None
                yield REPLAY_COMPLETE
            if index < len(frames):
                frame = frames[index]
                index += 1
                yield Frame(encode_frame(frame))
                if frame["type"] in TERMINAL_FRAMES:
                    return
                continue
            if self.closing.is_set():
                raise StreamAborted
            try:
                await asyncio.wait_for(live.changed.wait(), self.keepalive_interval)
            except asyncio.TimeoutError:
                yield KEEP_ALIVE
