"""Test helpers for the stream machine: a fake clock, a fake policy, and a scripted server.

``Pair`` plays the driver and the server at once (h11's ConnectionPair idea): it answers
each command the machine gives from a script of responses and records what came out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from agentstream._commands import (
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
from agentstream._exceptions import APIConnectionError
from agentstream._machine import StreamConfig, StreamMachine, StreamState
from agentstream._policy import LastEventIdPolicy, Request, Verdict
from agentstream._sse import Comment, ServerSentEvent

SSE_HEADERS: Mapping[str, str] = {"Content-Type": "text/event-stream"}
REQUEST = Request(url="https://api.example.com/stream")


class FakeClock:
    """A monotonic clock that only moves when told to."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def refused(message: str = "connection refused") -> Lost:
    """A connection that fails before any response."""
    return Lost(APIConnectionError(message))


def header(request: Request, name: str) -> list[str]:
    """Every value of header `name` in `request`, matching the name in any case."""
    return [v for k, v in request.headers.items() if k.lower() == name.lower()]


def last_id_header(request: Request) -> str | None:
    """The request's single Last-Event-ID header, or None when it has none."""
    values = header(request, "Last-Event-ID")
    assert len(values) <= 1, request.headers
    return values[0] if values else None


@attrs.frozen
class Response:
    """One scripted response: the status and headers, the body chunks, how it ends."""

    status: int = 200
    headers: Mapping[str, str] = SSE_HEADERS
    chunks: Sequence[bytes] = ()
    end: Input = attrs.field(factory=Ended)
    body: bytes = b""

    def inputs(self) -> list[Input]:
        return [
            Opened(self.status, self.headers, self.body),
            *(Received(c) for c in self.chunks),
            self.end,
        ]


class FakePolicy(LastEventIdPolicy):
    """A policy whose verdict is the event's type when that names a Verdict ("skip", ...)."""

    def __init__(
        self,
        *,
        reconnect_delay: float = 2.5,
        backfill_request: Request | None = None,
        backfill_items: Sequence[ServerSentEvent | Request] = (),
        ended: bool = False,
    ) -> None:
        super().__init__(reconnect=not ended)
        self.reconnect_delay = reconnect_delay
        self.backfill_request = backfill_request
        self.backfill_items = list(backfill_items)
        self.fetched: list[tuple[int, bytes]] = []

    def opened(self, status: int, headers: Mapping[str, str]) -> Request | None:
        return self.backfill_request

    def backfill(self, status: int, body: bytes) -> list[ServerSentEvent | Request]:
        self.fetched.append((status, body))
        return self.backfill_items

    def classify(self, event: ServerSentEvent) -> Verdict:
        try:
            return Verdict(event.event)
        except ValueError:
            return Verdict.DELIVER


class Pair:
    """A machine plus a scripted server. Script items are Responses, or an Input (such as
    ``refused()``) to feed in place of a response. ``run()`` stops at Finish, Fail, or a
    Connect when the script is exhausted."""

    def __init__(
        self,
        *script: Response | Input,
        request: Request = REQUEST,
        config: StreamConfig | None = None,
        random: Callable[[], float] = lambda: 0.5,
        fetched: tuple[int, bytes] = (200, b"[]"),
        **kwargs: Any,
    ) -> None:
        self.clock = FakeClock()
        self.machine = StreamMachine(
            request,
            config,
            clock=self.clock,
            random=random,
            **kwargs,
        )
        self.script = list(script)
        self.fetched = fetched
        self.commands: list[Command] = []
        self.requests: list[Request] = []
        self.waits: list[float] = []

    @property
    def delivered(self) -> list[ServerSentEvent | Comment]:
        return [c for c in self.commands if isinstance(c, (ServerSentEvent, Comment))]

    @property
    def events(self) -> list[ServerSentEvent]:
        return [c for c in self.commands if type(c) is ServerSentEvent]

    @property
    def last_event_ids(self) -> list[str | None]:
        return [last_id_header(r) for r in self.requests]

    @property
    def outcome(self) -> Command | None:
        ends = [c for c in self.commands if isinstance(c, (Finish, Fail))]
        return ends[-1] if ends else None

    @property
    def error(self) -> Any:
        """The error of the Fail that ended the run (typed Any: tests read its fields)."""
        outcome = self.outcome
        assert isinstance(outcome, Fail), self.commands
        return outcome.error

    def send(self, event: Input) -> list[Command]:
        """Feed one input; record and return the commands."""
        commands = self.machine.send(event)
        self.commands += commands
        for command in commands:
            if isinstance(command, Connect):
                self.requests.append(command.request)
            elif isinstance(command, Wait):
                self.waits.append(command.seconds)
        return commands

    def reconnect_id(self, event: Input | None = None) -> str | None:
        """Feed `event` (Waited by default), which must give one Connect; its Last-Event-ID."""
        [connect] = self.send(event or Waited())
        assert isinstance(connect, Connect), connect
        return last_id_header(connect.request)

    def run(self, first: Input | None = None) -> Pair:
        """Feed `first` (Start by default), then answer every command from the script."""
        queue: deque[Input] = deque([first or Start()])
        while queue:
            for command in self.send(queue.popleft()):
                if isinstance(command, (Connect, Wait, Finish, Fail)):
                    queue.clear()  # the driver drops the open connection first
                if isinstance(command, Connect):
                    if not self.script:
                        return self
                    item = self.script.pop(0)
                    queue.extend(item.inputs() if isinstance(item, Response) else [item])
                elif isinstance(command, Wait):
                    self.clock.advance(command.seconds)
                    queue.append(Waited())
                elif isinstance(command, Fetch):
                    queue.appendleft(Fetched(*self.fetched))
        return self


S = StreamState
#: One instance of every input type.
SAMPLES: dict[type, Input] = {
    Start: Start(),
    Opened: Opened(200, SSE_HEADERS),
    Received: Received(b"data: x\n\n"),
    Ended: Ended(),
    Lost: refused(),
    TimedOut: TimedOut(),
    Waited: Waited(),
    Fetched: Fetched(200, b"[]"),
    Close: Close(),
    Restart: Restart(),
}
#: The shortest inputs that take a fresh machine to each state.
PATHS: dict[StreamState, list[Input]] = {
    S.IDLE: [],
    S.CONNECTING: [Start()],
    S.OPEN: [Start(), Opened(200, SSE_HEADERS)],
    S.WAITING: [Start(), refused()],
    S.CLOSED: [Close()],
    S.FAILED: [Start(), Opened(404, {})],
}


def pair_in(state: StreamState, **kwargs: Any) -> Pair:
    """A Pair whose machine was taken to `state` by hand."""
    pair = Pair(**kwargs)
    for event in PATHS[state]:
        pair.send(event)
    assert pair.machine.state is state
    return pair


def opened(**kwargs: Any) -> Pair:
    """A Pair whose machine is OPEN on its first connection."""
    return pair_in(S.OPEN, **kwargs)
