"""Gap- and duplicate-free resume of Everruns streams: whatever the drops (after N
frames, after N bytes, mid-frame), stalls (no byte at all, so the read timeout fires)
and ``disconnecting`` cycles, a turn's stream delivers exactly the turn's events, once
each, in order, sync and async, over real loopback HTTP against the emulator.

The emulator plays the turn slowly enough (a few ms per delta) that it is still running
while the client reconnects, and cycles connections every 60 ms, so most examples also
cross several ``disconnecting`` frames.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentstream.providers.everruns import AsyncEverruns, Everruns
from agentstream.testing import EverrunsEmulator, Faults

KEY = "test-key"
#: Short enough that a stall is noticed fast; longer than the heartbeat interval.
READ_TIMEOUT = 0.25


@pytest.fixture(scope="module")
def emulator() -> Iterator[EverrunsEmulator]:
    with EverrunsEmulator(
        api_key=KEY, speed=0.002, cycle_interval=0.06, heartbeat_interval=0.05
    ) as emulator:
        yield emulator


def options(emulator: EverrunsEmulator) -> dict[str, Any]:
    return {
        "api_key": KEY,
        "base_url": emulator.base_url,
        "stream_read_timeout": READ_TIMEOUT,
        "reconnect_delay": 0.01,
        "max_stream_reconnects": 20,
    }


def run_sync(emulator: EverrunsEmulator, message: str) -> tuple[str, list[str], Any]:
    with Everruns(**options(emulator)) as client:
        session = client.sessions.create()
        with client.sessions.turn(session.id, message=message) as stream:
            ids = [event.id for event in stream]
        return session.id, ids, stream


def run_async(emulator: EverrunsEmulator, message: str) -> tuple[str, list[str], Any]:
    async def main() -> tuple[str, list[str], Any]:
        async with AsyncEverruns(**options(emulator)) as client:
            session = await client.sessions.create()
            async with client.sessions.turn(session.id, message=message) as stream:
                ids = [event.id async for event in stream]
            return session.id, ids, stream

    return asyncio.run(main())


RUN = {"sync": run_sync, "async": run_async}


def turn_events(emulator: EverrunsEmulator, session_id: str) -> list[dict[str, Any]]:
    """The turn as the emulator logged it: after ``session.started`` (the cursor the turn
    took), up to its ``turn.completed``."""
    logged = emulator.events(session_id)
    end = next(i for i, e in enumerate(logged) if e["type"] == "turn.completed")
    return logged[1 : end + 1]


faults = st.one_of(
    st.builds(
        lambda n, k: Faults(drop_after_events=n, times=k), st.integers(1, 30), st.integers(1, 3)
    ),
    st.builds(
        lambda b, k: Faults(drop_after_bytes=b, times=k), st.integers(1, 4000), st.integers(1, 3)
    ),
    st.builds(
        lambda n: Faults(stall_after_events=n, stall_seconds=0.6, times=1), st.integers(1, 30)
    ),
)


@pytest.mark.parametrize("mode", ["sync", "async"])
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(fault=faults)
def test_every_event_once_in_order(emulator: EverrunsEmulator, mode: str, fault: Faults) -> None:
    """Whatever the faults, the delivered events are exactly the turn's events."""
    emulator.faults = fault
    try:
        session_id, ids, stream = RUN[mode](emulator, "triage my inbox")
    finally:
        emulator.faults = None
    expected = turn_events(emulator, session_id)
    assert ids == [e["id"] for e in expected]
    assert stream.completed and stream.transcript.done
    deltas = [e["data"]["delta"] for e in expected if e["type"] == "output.message.delta"]
    assert stream.text == "".join(deltas)


def test_faults_really_cut_the_stream(emulator: EverrunsEmulator) -> None:
    """Drops and cycles do force reconnects: the policy connects many times, and the
    turn is still whole."""
    emulator.faults = Faults(drop_after_events=3, times=3)
    try:
        session_id, ids, stream = run_sync(emulator, "triage my inbox")
    finally:
        emulator.faults = None
    assert stream._policy.connections >= 4
    assert ids == [e["id"] for e in turn_events(emulator, session_id)]


def test_session_stream_across_cycles(emulator: EverrunsEmulator) -> None:
    """A session stream (no turn) read across several turns and many cycles sees the
    session's log exactly, from its first event."""
    with Everruns(**options(emulator)) as client:
        session = client.sessions.create()
        for _ in range(2):
            client.messages.create(session.id, text="triage my inbox")
            client.sessions.poll(session.id, timeout=10, interval=0.02)
        logged = emulator.events(session.id)
        with client.events.stream(session.id, replay=True) as stream:
            ids = [event.id for _, event in zip(range(len(logged)), stream, strict=False)]
        assert ids == [e["id"] for e in logged]
        assert stream.cursor == logged[-1]["id"]


def test_cycles_alone_reconnect_without_failures(emulator: EverrunsEmulator) -> None:
    """Without faults, the server's ``disconnecting`` cycles still reconnect the turn's
    stream (more than once), never counted as failures, and nothing is lost."""
    session_id, ids, stream = run_sync(emulator, "triage my inbox")
    assert stream._policy.connections >= 2
    assert stream._source._machine.attempts == 0
    assert ids == [e["id"] for e in turn_events(emulator, session_id)]
