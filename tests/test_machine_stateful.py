"""A stateful property test: random server behaviours against one StreamMachine.

The server side is modelled simply: the events whose blank line reached the machine on an
open connection must come out, in order, exactly once; the Last-Event-ID of every
Connect is the id of the last of them; waits stay within the backoff cap (or a larger
``retry:`` base or Retry-After); nothing comes out after Finish or Fail.
"""

from __future__ import annotations

import random

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from agentstream._commands import (
    Close,
    Command,
    Connect,
    Ended,
    Fail,
    Finish,
    Input,
    Opened,
    Received,
    Restart,
    Start,
    TimedOut,
    Wait,
    Waited,
)
from agentstream._exceptions import APIStatusError, NotFoundError, ReconnectExhausted
from agentstream._machine import BACKOFF_CAP, MAX_RETRY_AFTER, StreamConfig, StreamMachine
from agentstream._machine import StreamState as S
from agentstream._sse import ServerSentEvent, encode
from tests.machine_helpers import REQUEST, SSE_HEADERS, FakeClock, last_id_header, refused

DATE = "Wed, 21 Oct 2015 07:27:30 GMT"
#: Retry-After headers a 429/5xx may carry, with the wait each one means.
RETRY_AFTERS: list[tuple[dict[str, str], float | None]] = [
    ({}, None),
    ({"Retry-After": "0"}, 0.0),
    ({"Retry-After": "3"}, 3.0),
    ({"Retry-After": "45"}, 45.0),
    ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT", "Date": DATE}, 30.0),
    ({"Retry-After": str(int(MAX_RETRY_AFTER) + 100)}, MAX_RETRY_AFTER + 100),
]
#: How a connection attempt is answered (0: refused); 200 is the common case.
STATUSES = [200] * 6 + [204, 404, 429, 500, 0]
#: One event to serve: does it carry an id, its retry field, a heartbeat before it.
blocks = st.tuples(st.booleans(), st.sampled_from([None, None, 0, 250, 4000, 45000]), st.booleans())


class StreamMachineModel(RuleBasedStateMachine):
    @initialize(
        seed=st.integers(0, 2**32 - 1),
        attempts=st.sampled_from([None, 0, 1, 3, 10]),
        budget=st.sampled_from([None, 20.0, 300.0]),
        initial_id=st.sampled_from(["", "from-caller"]),
        initial_retry=st.sampled_from([0.0, 0.5, 1.0, 40.0]),
    )
    def setup(
        self,
        seed: int,
        attempts: int | None,
        budget: float | None,
        initial_id: str,
        initial_retry: float,
    ) -> None:
        self.clock = FakeClock()
        self.random = random.Random(seed).random
        self.initial_id = initial_id
        self.config = StreamConfig(
            read_timeout=5.0,
            initial_retry=initial_retry,
            max_reconnect_attempts=attempts,
            max_reconnect_time=budget,
        )
        self.served = 0
        self.new_stream()

    @precondition(lambda self: self.machine.state is S.CLOSED)
    @rule()
    def new_stream(self) -> None:
        """A fresh machine (and model) once the previous stream is closed; it is started."""
        self.machine = StreamMachine(
            REQUEST,
            self.config,
            last_event_id=self.initial_id,
            clock=self.clock,
            random=self.random,
        )
        self.last_id = self.initial_id  # the id of the last event the model expects
        self.expected: list[ServerSentEvent] = []
        self.delivered: list[ServerSentEvent] = []
        self.over = False  # a Finish or Fail came out, and no Restart since
        #: Waits stay under the cap, or under a larger base delay or Retry-After used.
        self.wait_cap = max(BACKOFF_CAP, self.config.initial_retry)
        self.last_wait = 0.0
        self.drop_connection()
        self.start()

    def drop_connection(self) -> None:
        """Forget the server side of the current connection (its unsent bytes too)."""
        self.stream = b""
        self.sent = 0
        #: (end offset, data, own id or None, retry) of each event not yet complete.
        self.pending: list[tuple[int, str, str | None, int | None]] = []

    def send(self, event: Input) -> list[Command]:
        """Feed the machine and check every command it returns."""
        commands = self.machine.send(event)
        for i, command in enumerate(commands):
            assert not self.over, f"{command!r} after Finish or Fail"
            if type(command) is ServerSentEvent:
                self.delivered.append(command)
            elif isinstance(command, Connect):
                assert i == len(commands) - 1
                assert self.machine.state is S.CONNECTING
                assert last_id_header(command.request) == (self.last_id or None)
            elif isinstance(command, Wait):
                assert i == len(commands) - 1
                assert self.machine.state is S.WAITING
                assert 0.0 <= command.seconds <= self.wait_cap, command
                self.last_wait = command.seconds
            elif isinstance(command, (Finish, Fail)):
                assert self.machine.state is (S.CLOSED if type(command) is Finish else S.FAILED)
                self.over = True
            else:
                raise AssertionError(f"unexpected command {command!r}")
        if ServerSentEvent in map(type, commands):
            assert self.machine.attempts == 0  # progress resets the backoff
        if self.machine.state is not S.OPEN:
            self.drop_connection()
        return commands

    def reconnect_or_give_up(self, event: Input) -> None:
        """A failure: one Wait, or one Fail(ReconnectExhausted) once a limit is reached."""
        [command] = self.send(event)
        if isinstance(command, Fail):
            error = command.error
            assert isinstance(error, ReconnectExhausted), error
            assert error.__cause__ is error.last_cause is not None
        else:
            assert isinstance(command, Wait)

    # -- the user and the clock -------------------------------------------------------

    def start(self) -> None:
        [command] = self.send(Start())
        assert isinstance(command, Connect)

    @precondition(lambda self: self.machine.state in (S.OPEN, S.WAITING, S.FAILED))
    @rule(close=st.booleans())
    def interrupt(self, close: bool) -> None:
        """The user closes the stream, or restarts it."""
        before = self.machine.state
        if close:
            assert self.send(Close()) == []
            assert self.machine.state is (S.FAILED if before is S.FAILED else S.CLOSED)
            self.over = True
        else:
            self.over = False
            [command] = self.send(Restart())
            assert isinstance(command, Connect) and self.machine.attempts == 0

    @precondition(lambda self: self.machine.state is S.WAITING)
    @rule()
    def wait_elapses(self) -> None:
        self.clock.advance(self.last_wait)
        [command] = self.send(Waited())
        assert isinstance(command, Connect)

    # -- the server -------------------------------------------------------------------

    @precondition(lambda self: self.machine.state is S.CONNECTING)
    @rule(status=st.sampled_from(STATUSES), retry_after=st.sampled_from(RETRY_AFTERS))
    def respond(self, status: int, retry_after: tuple[dict[str, str], float | None]) -> None:
        headers, seconds = retry_after
        if status == 0:
            self.reconnect_or_give_up(refused())
        elif status == 200:
            assert self.send(Opened(200, SSE_HEADERS)) == []
            assert self.machine.state is S.OPEN
        elif status == 204:
            assert self.send(Opened(204, headers)) == [Finish()]
        elif status == 404:
            [command] = self.send(Opened(404, headers, b'{"error": "gone"}'))
            assert isinstance(command, Fail) and isinstance(command.error, NotFoundError)
            assert command.error.body == {"error": "gone"}
        elif seconds is not None and seconds > MAX_RETRY_AFTER:
            [command] = self.send(Opened(status, headers))
            assert isinstance(command, Fail) and isinstance(command.error, APIStatusError)
            assert command.error.status_code == status
        else:
            self.wait_cap = max(self.wait_cap, seconds or 0.0)
            self.reconnect_or_give_up(Opened(status, headers))
            if seconds is not None and self.machine.state is S.WAITING:
                assert self.last_wait == seconds

    @precondition(lambda self: self.machine.state is S.OPEN)
    @rule(
        events=st.lists(blocks, max_size=4),
        sizes=st.lists(st.integers(1, 48), min_size=1, max_size=6),
        gap=st.floats(0, 10),
    )
    def server_sends(
        self, events: list[tuple[bool, int | None, bool]], sizes: list[int], gap: float
    ) -> None:
        """After `gap` seconds, queue events on the server side, then feed the machine chunks
        of the given sizes; the events whose blank line a chunk carries are expected then."""
        self.clock.advance(gap)
        for with_id, retry, heartbeat in events:
            self.served += 1
            data = f"e{self.served}" + ("é€" if self.served % 3 == 0 else "")
            own_id = f"id-{self.served}" if with_id else None
            block = encode(data, id=own_id, retry=retry)
            self.stream += (b": hb\n\n" if heartbeat else b"") + block
            self.pending.append((len(self.stream), data, own_id, retry))
            if retry is not None:  # a retry above the cap is honoured, not capped
                self.wait_cap = max(self.wait_cap, retry / 1000)
        for size in sizes:
            chunk = self.stream[self.sent : self.sent + size]
            if not chunk:
                return
            self.sent += len(chunk)
            while self.pending and self.pending[0][0] <= self.sent:
                _, data, own_id, retry = self.pending.pop(0)
                self.last_id = own_id if own_id is not None else self.last_id
                self.expected.append(ServerSentEvent("message", data, self.last_id, retry))
            self.send(Received(chunk))

    @precondition(lambda self: self.machine.state is S.OPEN)
    @rule(how=st.sampled_from(["ended", "lost", "timed out"]))
    def connection_breaks(self, how: str) -> None:
        """The body ends cleanly, the connection breaks, or it goes silent."""
        if how == "timed out":
            assert self.config.read_timeout is not None
            self.clock.advance(self.config.read_timeout)
        events: dict[str, Input] = {
            "ended": Ended(),
            "lost": refused("reset"),
            "timed out": TimedOut(),
        }
        self.reconnect_or_give_up(events[how])

    # -- invariants -------------------------------------------------------------------

    @invariant()
    def delivered_exactly_the_expected_events(self) -> None:
        assert self.delivered == self.expected
        assert len({e.data for e in self.delivered}) == len(self.delivered)

    @invariant()
    def attempts_bounded(self) -> None:
        limit = self.config.max_reconnect_attempts
        assert limit is None or self.machine.attempts <= limit + 1

    @invariant()
    def machine_agrees_with_model(self) -> None:
        assert self.machine.last_event_id == self.last_id
        assert (self.machine.state is S.FAILED) == (self.machine.error is not None)


StreamMachineModel.TestCase.settings = settings(
    max_examples=200, stateful_step_count=40, deadline=None, database=None
)
TestStreamMachine = StreamMachineModel.TestCase
