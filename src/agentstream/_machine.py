"""The stream machine: every decision about a stream's life, with no IO.

Theory of operation
-------------------
Rule 1 (borrowed from h11): everything that decides when to connect, what to send, how
long to wait, what to deliver and when to stop lives here and in the ResumePolicy. The
drivers (``_sync.py``, ``_async.py``) only do what they are told: open a connection, read
bytes, sleep. That is what keeps the requests driver and the httpx driver identical in
behaviour, and what lets the tests cover every reconnect path without a socket.

A driver feeds *inputs* (Start, Opened, Received, Ended, Lost, TimedOut, Waited,
Fetched, Close, Restart) to ``send()`` and gets back *commands*: Connect, Wait, Fetch,
Finish, Fail, and the items to deliver. Items (ServerSentEvent, and Comment when asked)
are returned bare rather than wrapped in a Deliver command, because they are by far the
most frequent command and a wrapper per event is measurable. Whenever the driver gets
Connect, Wait, Finish or Fail, it first closes the connection it has open, if any.

States and the inputs each accepts: StreamState and TRANSITIONS, in ``_states.py``.

Timers. The machine never waits: the driver reads with a timeout of ``read_timeout``
(the smaller of the liveness and progress timers) and sends TimedOut when it fires.
- Liveness: no bytes at all for ``read_timeout`` (comments and heartbeats count) means
  the connection is dead: reconnect.
- Progress (optional): no real event for ``idle_timeout`` although bytes arrive means
  the stream is stuck: fail with StreamIdleTimeout, which ``restart()`` can resume.

Backoff and giving up (failing fast on a server that is not there): ``_schedule.py``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from ._commands import (
    Close,
    Command,
    Connect,
    Ended,
    Fail,
    Fetch,
    Fetched,
    Finish,
    Input,
    Lost,
    Opened,
    Received,
    Restart,
    Start,
    TimedOut,
    Wait,
    Waited,
)
from ._config import (
    BACKOFF_CAP,
    INITIAL_RETRY,
    MAX_ERROR_BODY,
    MAX_RETRY_AFTER,
    StreamConfig,
    is_event_stream,
)
from ._config import (
    retry_after as parse_retry_after,
)
from ._exceptions import (
    LocalProtocolError,
    RemoteProtocolError,
    StreamIdleTimeout,
    error_from_response,
    timeout_error,
)
from ._observe import ReconnectInfo, asked
from ._policy import _DELIVER, _SKIP, LastEventIdPolicy, Request, ResumePolicy, Verdict
from ._schedule import ReconnectSchedule
from ._sse import Comment, ServerSentEvent, SSEDecoder
from ._states import TRANSITIONS, StreamState

# An enum member lookup costs ~80 ns on Python 3.11 (see _policy._DELIVER).
_OPEN = StreamState.OPEN

__all__ = [
    "BACKOFF_CAP",
    "INITIAL_RETRY",
    "MAX_ERROR_BODY",
    "MAX_RETRY_AFTER",
    "TRANSITIONS",
    "StreamConfig",
    "StreamMachine",
    "StreamState",
]


class StreamMachine(ReconnectSchedule):
    """One stream's life, from the first connect to its end, across reconnects.

    Args:
        request: the original request; reconnects re-send it through the policy.
        config: timers, backoff and decoder knobs.
        policy: the platform's resume rules (default: Last-Event-ID).
        last_event_id: a cursor to resume from on the first connection.
        clock: monotonic seconds (injectable for tests).
        random: uniform in [0, 1) for jitter (injectable for tests).
    """

    def __init__(
        self,
        request: Request,
        config: StreamConfig | None = None,
        *,
        policy: ResumePolicy | None = None,
        last_event_id: str = "",
        clock: Callable[[], float] = time.monotonic,
        random: Callable[[], float] = random.random,
    ) -> None:
        self.request = request
        self.config = config or StreamConfig()
        self.policy: ResumePolicy = policy or LastEventIdPolicy()
        self.state = StreamState.IDLE
        # A Last-Event-ID given as a header is the starting cursor: the machine owns it
        # from here on (and drops it when the server resets the id).
        given = {k.lower(): v for k, v in request.headers.items()}.get("last-event-id")
        #: The last SSE event id seen; sent back on reconnect.
        self.last_event_id = last_event_id or given or ""
        #: The server's ``retry:`` in milliseconds, once it sent one.
        self.retry_ms: int | None = None
        #: Failed connections in a row (reset when a connection delivers something).
        self.attempts = 0
        self.last_cause: BaseException | None = None
        self.error: BaseException | None = None
        #: Counters for StreamStats (``_observe.py``): a few additions per chunk.
        self.connections = self.reconnects = self.bytes_received = self.events_delivered = 0
        #: The last reconnect scheduled, until the driver announces it (and clears it).
        self.reconnect: ReconnectInfo | None = None
        #: The headers of the response of the connection open now (or last open),
        #: names lowercased: a stream's ``response_headers`` and ``request_id``.
        self.response_headers: Mapping[str, str] = {}
        self._clock = clock
        self._random = random
        self._decoder: SSEDecoder[ServerSentEvent | Comment] | None = None
        self._streak_start: float | None = None
        self._started = 0.0  # when the first connection (or a restart) was asked for
        self._last_byte = 0.0
        self._last_event = 0.0

    @property
    def read_timeout(self) -> float | None:
        """The timeout the driver reads with: the earlier of the two timers."""
        timers = [t for t in (self.config.read_timeout, self.config.idle_timeout) if t]
        return min(timers) if timers else None

    def send(self, event: Input) -> list[Command]:
        """Feed one input; return the commands to carry out, in order.

        Raises:
            LocalProtocolError: the input is not allowed in the current state.
        """
        allowed = TRANSITIONS[self.state].get(type(event))
        if allowed is None:
            raise LocalProtocolError(
                f"can't handle {type(event).__name__} in state {self.state.name}"
            )
        commands = self._handlers[type(event)](self, event)
        assert self.state in allowed, (type(event), self.state)
        return commands

    def receive(self, data: bytes) -> list[Command]:
        """``send(Received(data))``, for the hot path: a driver calls it once per body
        chunk, and with one small event per chunk the input object and the table lookup
        cost as much as the decoding. Received is allowed only when OPEN; in any other
        state this is ``send(Received(data))``, which refuses it.

        Raises:
            LocalProtocolError: the stream is not OPEN.
        """
        if self.state is not _OPEN:
            return self.send(Received(data))
        return self._received(data)

    # -- handlers: one per input ----------------------------------------------------

    def _on_start(self, _: Start) -> list[Command]:
        self._started = self._clock()
        return self._connect()

    def _on_opened(self, event: Opened) -> list[Command]:
        status, headers = event.status, {k.lower(): v for k, v in event.headers.items()}
        if status == 204:
            # "Clients will reconnect if the connection is closed; a client can be told
            # to stop reconnecting using the HTTP 204 No Content response code."
            return self._finish()
        if 200 <= status < 300:
            if not is_event_stream(headers):
                target = self.policy.follow(status, headers, event.body)
                if target is not None:  # not the stream, but where it is
                    self.state = StreamState.CONNECTING
                    return [Connect(target)]
                got = headers.get("content-type", "no content type")
                return self._fail(RemoteProtocolError(f"expected text/event-stream, got {got}"))
            return self._open(status, headers)
        error = error_from_response(
            self.request.method,
            self.request.url,
            status,
            headers,
            event.body[:MAX_ERROR_BODY],
            retry_after=parse_retry_after(headers),
        )
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(headers)
            if retry_after is not None and retry_after > MAX_RETRY_AFTER:
                return self._fail(error)
            return self._reconnect(error, retry_after)
        return self._fail(error)

    def _open(self, status: int, headers: Mapping[str, str]) -> list[Command]:
        self.state = StreamState.OPEN
        self.connections += 1
        self.response_headers = headers
        self._decoder = SSEDecoder(
            max_event_bytes=self.config.max_event_bytes,
            comments=self.config.comments,
            last_event_id=self.last_event_id,
        )
        self._last_byte = self._last_event = self._clock()
        backfill = self.policy.opened(status, headers)
        return [Fetch(backfill)] if backfill is not None else []

    def _on_received(self, event: Received) -> list[Command]:
        return self._received(event.data)

    def _received(self, data: bytes) -> list[Command]:
        decoder = self._decoder
        assert decoder is not None
        now = self._last_byte = self._clock()
        self.bytes_received += len(data)
        try:
            items = decoder.feed(data)
        except RemoteProtocolError as exc:
            self.last_event_id = decoder.last_event_id  # ids before the bad event count
            return self._fail(exc)
        commands = self._classify(items, now)
        if self.state is not _OPEN:
            return commands
        if decoder.error is not None:
            # The events before an oversized one were delivered above; now the error.
            return commands + self._fail(decoder.error)
        idle = self.config.idle_timeout
        if idle is not None and now - self._last_event >= idle:
            commands.extend(self._fail(StreamIdleTimeout(idle, self.request.url)))
        return commands

    def _classify(self, items: list[ServerSentEvent | Comment], now: float) -> list[Command]:
        """Deliver, skip or act on each decoded item, as the policy says.

        The cursor and the server's retry follow the items: when an event ends this
        connection (TERMINAL, RECONNECT), later events in the same chunk were never
        delivered, so the cursor must stop at that event, not at the chunk's end.
        """
        out: list[Command] = []
        classify = self.policy.classify
        progressed = False  # progress is marked once per chunk: `now` is the same
        comments = 0  # events delivered = len(out) - comments, counted once per chunk
        for item in items:
            if isinstance(item, Comment):
                out.append(item)
                comments += 1
                continue
            verdict = classify(item)
            if verdict is _DELIVER:
                out.append(item)
                progressed = True
            elif verdict is _SKIP:
                progressed = True
            elif verdict is Verdict.TERMINAL:
                if progressed:
                    self._progress(now)
                self._follow(item, items)
                out.append(item)
                self.events_delivered += len(out) - comments
                out.extend(self._finish())
                return out
            elif verdict is Verdict.RECONNECT:
                self._follow(item, items)
                self._progress(now)
                self.state = StreamState.WAITING
                self.events_delivered += len(out) - comments
                self.reconnects += 1
                self.reconnect = asked(item.event, self.policy.reconnect_delay)
                out.append(Wait(self.policy.reconnect_delay))
                return out
            # CONTROL: neither delivered nor progress.
        if progressed:
            self._progress(now)
        self.events_delivered += len(out) - comments
        decoder = self._decoder
        assert decoder is not None
        if decoder.retry is not None:
            self.retry_ms = decoder.retry
        self.last_event_id = decoder.last_event_id
        return out

    def _follow(self, event: ServerSentEvent, items: list[ServerSentEvent | Comment]) -> None:
        """Move the cursor and retry to where `event`, which ends this connection, left
        them: a ``retry:`` of an earlier event in the same chunk counts too (the chunk's
        end, where the retry is otherwise taken, is not reached)."""
        self.last_event_id = event.id
        for earlier in items:
            if earlier is event:
                break
            if type(earlier) is ServerSentEvent and earlier.retry is not None:
                self.retry_ms = earlier.retry
        if event.retry is not None:
            self.retry_ms = event.retry

    def _progress(self, now: float) -> None:
        self._last_event = now
        self.attempts = 0
        self._streak_start = None

    def _on_ended(self, _: Ended) -> list[Command]:
        assert self._decoder is not None
        try:
            commands = self._classify(self._decoder.feed_eof(), self._clock())
        except RemoteProtocolError as exc:
            return self._fail(exc)
        if self.state is not StreamState.OPEN:
            return commands
        if self.policy.ended():
            return commands + self._finish()
        return commands + self._reconnect(RemoteProtocolError("the server ended the stream"))

    def _on_lost(self, event: Lost) -> list[Command]:
        if isinstance(event.cause, RemoteProtocolError):  # a broken redirect: no retry helps
            return self._fail(event.cause)
        return self._reconnect(event.cause)

    def _on_timed_out(self, _: TimedOut) -> list[Command]:
        now = self._clock()
        idle = self.config.idle_timeout
        # The driver's timeout is the earlier timer, so if the progress timer has (all
        # but) run out, that is what fired; a small tolerance absorbs clock skew.
        if idle is not None and now - self._last_event >= idle - 0.05:
            return self._fail(StreamIdleTimeout(idle, self.request.url))
        cause = timeout_error(
            "no data from", self.request.url, "read_timeout", self.read_timeout or 0
        )
        return self._reconnect(cause)

    def _on_waited(self, _: Waited) -> list[Command]:
        return self._connect()

    def _on_fetched(self, event: Fetched) -> list[Command]:
        items = self.policy.backfill(event.status, event.body)
        # A Request among the items is the next page of history: fetched once the events
        # before it are delivered.
        commands: list[Command] = [Fetch(i) if isinstance(i, Request) else i for i in items]
        if any(not isinstance(command, Fetch) for command in commands):
            self._progress(self._clock())
            self.events_delivered += sum(type(c) is ServerSentEvent for c in commands)
        return commands

    def _on_close(self, _: Close) -> list[Command]:
        if self.state is not StreamState.FAILED:
            self.state = StreamState.CLOSED
        return []

    def _on_restart(self, _: Restart) -> list[Command]:
        self._started = self._clock()
        self.attempts = 0
        self._streak_start = None
        self.error = None
        return self._connect()

    # -- shared steps ---------------------------------------------------------------

    def _connect(self) -> list[Command]:
        self.state = StreamState.CONNECTING
        self._decoder = None
        return [Connect(self.policy.request(self.request, self.last_event_id))]

    def _finish(self) -> list[Command]:
        self.state = StreamState.CLOSED
        self._decoder = None
        return [Finish()]

    def _fail(self, error: BaseException) -> list[Command]:
        self.state = StreamState.FAILED
        self.error = error
        self._decoder = None
        return [Fail(error)]

    _handlers: ClassVar[dict[type, Callable[[StreamMachine, Any], list[Command]]]] = {
        Start: _on_start,
        Opened: _on_opened,
        Received: _on_received,
        Ended: _on_ended,
        Lost: _on_lost,
        TimedOut: _on_timed_out,
        Waited: _on_waited,
        Fetched: _on_fetched,
        Close: _on_close,
        Restart: _on_restart,
    }
