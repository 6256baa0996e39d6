"""Transparent resume of m8tes runs: drops anywhere, any number of times, and the caller
still sees every event exactly once, in order, with the same text as an undropped run.

The emulator runs a short scenario slowly enough (a few ms per delta) that the run is
still executing when the client re-joins it; hypothesis picks where the connection dies
(after N frames, or after N bytes, mid-frame) and how many times.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentstream.testing import Faults, M8tesEmulator, Scenario, say, tool, usage
from tests.m8tes_helpers import API_KEY, Driver, real_frames

SHORT = Scenario(
    "short",
    [
        say("Looking through the inbox for anything urgent before the weekly sync."),
        tool("gmail_search", {"query": "is:unread"}, result="2 threads found"),
        say("Two threads need you today: the refund and the login loop. The rest can wait."),
        usage(input_tokens=300, output_tokens=40),
    ],
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[M8tesEmulator]:
    with M8tesEmulator(
        api_key=API_KEY, scenarios=[SHORT], default_scenario="short", speed=0.006
    ) as emulator:
        yield emulator


drops = st.one_of(
    st.builds(
        lambda n, k: Faults(drop_after_events=n, times=k), st.integers(1, 20), st.integers(1, 3)
    ),
    st.builds(
        lambda b, k: Faults(drop_after_bytes=b, times=k), st.integers(1, 1500), st.integers(1, 3)
    ),
)


@pytest.mark.parametrize("mode", ["sync", "async"])
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(faults=drops)
def test_every_event_once_in_order(emulator: M8tesEmulator, mode: str, faults: Faults) -> None:
    """Whatever the drops, the delivered frames are exactly the run's frames."""
    driver = Driver(mode, emulator.base_url)
    try:
        emulator.faults = faults
        run = driver.collect("create", message="check the inbox")
        emulator.faults = None
    finally:
        driver.close()
    assert run.error is None, run.error
    expected = real_frames(emulator.frames(run.run_id))
    assert run.wire == expected
    assert run.transcript.done
    assert run.text == "".join(f["delta"] for f in expected if f["type"] == "text-delta")


def test_drops_really_happened(emulator: M8tesEmulator) -> None:
    """The faults do cut the connection: with three drops the client connects four times
    (one create, three re-joins), and still gets the undropped run's text."""
    plain = Driver("sync", emulator.base_url)
    undropped = plain.collect("create", message="check the inbox")
    plain.close()
    emulator.faults = Faults(drop_after_events=4, times=3)
    seen: list[Any] = []
    driver = Driver("sync", emulator.base_url)
    try:
        stream = driver.client.runs.create(message="check the inbox")
        with stream:
            seen.extend(stream)
        policy = stream._policy
    finally:
        emulator.faults = None
        driver.close()
    assert policy._connections == 4
    assert stream.text == undropped.text and len(seen) == len(undropped.events)
