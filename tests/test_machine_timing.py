"""StreamMachine unit tests for time: the server's retry, backoff, the reconnect limits,
and the liveness and progress timers. No IO: a fake clock and a script."""

from __future__ import annotations

import pytest

from agentstream import _exceptions as err
from agentstream._commands import Fail, Input, Received, Restart, TimedOut, Wait
from agentstream._machine import BACKOFF_CAP, StreamConfig
from agentstream._machine import StreamState as S
from agentstream._sse import Comment, ServerSentEvent, encode
from tests.machine_helpers import FakePolicy, Pair, Response, opened, refused

# ---------------------------------------------------------------- retry and backoff


@pytest.mark.parametrize("retry", [0, 4000, 45000])
def test_server_retry_replaces_base_delay(retry: int) -> None:
    """The server's retry: replaces the base delay (one above BACKOFF_CAP is honoured)."""
    chunk = f"retry: {retry}\n".encode() + encode("a")
    pair = Pair(Response(chunks=[chunk]), refused(), random=lambda: 1.0).run()
    assert pair.machine.retry_ms == retry
    assert pair.waits == [retry / 1000, min(max(BACKOFF_CAP, retry / 1000), retry / 500)]


@pytest.mark.parametrize(("jitter", "scale"), [(1.0, 1.0), (0.5, 0.5), (0.0, 0.0)])
def test_backoff_doubles_to_cap(jitter: float, scale: float) -> None:
    """Failures in a row double the ceiling from the base up to BACKOFF_CAP; jitter scales."""
    config = StreamConfig(max_reconnect_attempts=None, first_connect_timeout=None)
    pair = Pair(*[refused()] * 8, config=config, random=lambda: jitter).run()
    ceilings = [1.0, 2.0, 4.0, 8.0, 16.0, BACKOFF_CAP, BACKOFF_CAP, BACKOFF_CAP]
    assert pair.waits == [c * scale for c in ceilings]


@pytest.mark.parametrize(
    ("kind", "waits"),
    [("message", [1, 2, 1, 2]), ("skip", [1, 2, 1, 2]), ("control", [1, 2, 4, 8])],
)
def test_backoff_resets_on_progress(kind: str, waits: list[float]) -> None:
    """A connection that delivers (or skips) an event resets the backoff; CONTROL doesn't."""
    script: list[Input | Response] = [
        refused(),
        refused(),
        Response(chunks=[encode("x", event=kind)]),
    ]
    script.append(refused())
    pair = Pair(*script, policy=FakePolicy(), random=lambda: 1.0).run()
    assert pair.waits == waits


def test_max_reconnect_attempts() -> None:
    """After max_reconnect_attempts failures in a row: Fail(ReconnectExhausted)."""
    last = refused("the fourth")
    script: list[Input | Response] = [refused(), refused(), refused(), last, Response()]
    pair = Pair(*script, config=StreamConfig(max_reconnect_attempts=3)).run()
    error = pair.error
    assert isinstance(error, err.ReconnectExhausted)
    assert (error.attempts, error.last_cause, error.__cause__) == (4, last.cause, last.cause)
    assert len(pair.waits) == 3 and len(pair.requests) == 4
    assert pair.machine.state is S.FAILED


def test_max_reconnect_time() -> None:
    """When the next wait would pass max_reconnect_time since the first failure: give up."""
    config = StreamConfig(
        max_reconnect_attempts=None, max_reconnect_time=10.0, first_connect_timeout=None
    )
    pair = Pair(*[refused()] * 10, config=config, random=lambda: 1.0).run()
    assert pair.waits == [1.0, 2.0, 4.0]
    assert pair.clock.now == 7.0
    assert isinstance(pair.error, err.ReconnectExhausted)
    assert pair.error.attempts == 4
    assert isinstance(pair.error.__cause__, err.APIConnectionError)


# ---------------------------------------------------------------- timers


@pytest.mark.parametrize(
    ("read", "idle", "expected"),
    [(60.0, None, 60.0), (60.0, 10.0, 10.0), (5, 10, 5), (None, 7.0, 7.0), (None, None, None)],
)
def test_read_timeout_is_the_earlier_timer(
    read: float | None, idle: float | None, expected: float | None
) -> None:
    """The driver's read timeout is the smaller of read_timeout and idle_timeout."""
    config = StreamConfig(read_timeout=read, idle_timeout=idle)
    assert Pair(config=config).machine.read_timeout == expected


@pytest.mark.parametrize(
    ("read", "idle"),
    [pytest.param(5.0, None, id="read-only"), pytest.param(None, 10.0, id="idle-early")],
)
def test_timed_out_reconnects(read: float | None, idle: float | None) -> None:
    """TimedOut before any idle_timeout ran out reconnects with an APITimeoutError cause and
    Last-Event-ID (with read_timeout None too: the cause's message must not crash on it)."""
    pair = opened(config=StreamConfig(read_timeout=read, idle_timeout=idle))
    pair.send(Received(encode("a", id="3")))
    pair.clock.advance(5.0)
    assert pair.send(TimedOut()) == [Wait(0.5)]
    assert isinstance(pair.machine.last_cause, err.APITimeoutError)
    assert pair.reconnect_id() == "3"


def test_heartbeats_without_events_hit_idle_timeout() -> None:
    """Comments keep arriving but no event for idle_timeout (an event restarts it): the
    Received that crosses it fails with StreamIdleTimeout, after delivering its comments."""
    pair = opened(config=StreamConfig(idle_timeout=10.0, comments=True))
    pair.clock.advance(9.0)
    assert pair.send(Received(encode("a"))) == [ServerSentEvent(data="a")]
    for _ in range(4):
        pair.clock.advance(2.0)
        assert pair.send(Received(b": ping\n\n")) == [Comment("ping")]
    pair.clock.advance(2.0)
    comment, fail = pair.send(Received(b": ping\n\n"))
    assert comment == Comment("ping") and isinstance(fail, Fail)
    assert isinstance(fail.error, err.StreamIdleTimeout) and fail.error.idle_timeout == 10.0
    assert pair.machine.state is S.FAILED


def test_timed_out_after_idle_timeout_then_restart() -> None:
    """TimedOut once idle_timeout ran out fails with StreamIdleTimeout; Restart from FAILED
    then connects at once, with Last-Event-ID and a fresh attempt count."""
    pair = opened(config=StreamConfig(idle_timeout=10.0))
    pair.send(Received(encode("a", id="5")))
    pair.clock.advance(10.0)
    [fail] = pair.send(TimedOut())
    assert isinstance(fail, Fail) and isinstance(fail.error, err.StreamIdleTimeout)
    assert pair.reconnect_id(Restart()) == "5"
    machine = pair.machine
    assert (machine.state, machine.attempts, machine.error) == (S.CONNECTING, 0, None)
