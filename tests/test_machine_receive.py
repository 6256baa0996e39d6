"""``StreamMachine.receive(data)``, the drivers' per-chunk path, is ``send(Received(data))``:
the same commands, the same state and cursor after every chunk, whatever the events and
however the bytes are cut, and the same refusal outside OPEN."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentstream import _exceptions as err
from agentstream._commands import Command, Fail, Opened, Received, Start, Waited
from agentstream._machine import StreamConfig, StreamMachine
from agentstream._sse import ServerSentEvent, encode
from agentstream._states import TRANSITIONS
from tests.machine_helpers import PATHS, REQUEST, SSE_HEADERS, FakeClock, FakePolicy, S, refused

#: Event types FakePolicy turns into each verdict, plus plain events.
KINDS = ["message", "message", "message", "skip", "control", "terminal", "reconnect"]
blocks = st.tuples(
    st.sampled_from(KINDS),
    st.text(max_size=30),  # data
    st.one_of(st.none(), st.sampled_from(["1", "2", "é", ""])),  # id
    st.one_of(st.none(), st.integers(0, 5000)),  # retry
    st.booleans(),  # a heartbeat comment before it
)


def _body(items: list[tuple[str, str, str | None, int | None, bool]]) -> bytes:
    out = []
    for kind, data, id_, retry, heartbeat in items:
        if heartbeat:
            out.append(b": ping\n\n")
        out.append(encode(data, event=kind, id=id_, retry=retry))
    return b"".join(out)


def _cut(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(body) + 1) for c in cuts} | {0, len(body)})
    return [body[a:b] for a, b in itertools.pairwise(points)]


def _machine(max_event_bytes: int | None) -> StreamMachine:
    """A machine OPEN on its second connection (so a delivered event resets `attempts`)."""
    config = StreamConfig(max_event_bytes=max_event_bytes, comments=True)
    machine = StreamMachine(REQUEST, config, policy=FakePolicy(), clock=FakeClock())
    for event in [Start(), refused(), Waited(), Opened(200, SSE_HEADERS)]:
        machine.send(event)
    assert machine.state is S.OPEN and machine.attempts == 1
    return machine


def _shown(commands: list[Command]) -> list[object]:
    """Commands, comparable: an error by its type and message (exceptions lack ==)."""
    return [(type(c.error), str(c.error)) if isinstance(c, Fail) else c for c in commands]


def _snapshot(machine: StreamMachine) -> tuple[object, ...]:
    return (machine.state, machine.last_event_id, machine.retry_ms, machine.attempts)


@given(
    items=st.lists(blocks, max_size=8),
    cuts=st.lists(st.integers(0, 10_000), max_size=12),
    cap=st.sampled_from([None, 16, 64]),
)
def test_receive_equals_send_received(
    items: list[tuple[str, str, str | None, int | None, bool]], cuts: list[int], cap: int | None
) -> None:
    by_send, by_receive = _machine(cap), _machine(cap)
    delivered = False
    for chunk in _cut(_body(items), cuts):
        expected = _shown(by_send.send(Received(chunk)))
        assert _shown(by_receive.receive(chunk)) == expected
        assert _snapshot(by_receive) == _snapshot(by_send)
        # A delivered event is progress (even when a terminal one follows in the chunk).
        delivered |= any(type(c) is ServerSentEvent and c.event == "message" for c in expected)
        if delivered:
            assert by_receive.attempts == 0
        if by_send.state is not S.OPEN:
            break


@pytest.mark.parametrize("state", list(S))
def test_receive_only_when_open(state: S) -> None:
    """Outside OPEN, receive refuses as send(Received) does and changes nothing."""
    machine = StreamMachine(REQUEST, clock=FakeClock())
    for event in PATHS[state]:
        machine.send(event)
    if Received in TRANSITIONS[state]:
        machine.receive(b"data: x\n\n")
        assert machine.state in TRANSITIONS[state][Received]
    else:
        with pytest.raises(err.LocalProtocolError, match=rf"Received.*{state.name}"):
            machine.receive(b"data: x\n\n")
        assert machine.state is state
