"""Attach-list-dedupe resume over real loopback with random drops: every stored event of
the turn delivered exactly once and in order, text never repeated, whatever the drop
points (including a drop right after the stream opens, before the history arrives)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentstream.providers.managed_agents import AsyncManagedAgents, ManagedAgents
from agentstream.providers.managed_agents._policy import SessionResumePolicy
from agentstream.testing import Faults
from agentstream.testing import scenarios as sc
from agentstream.testing.managed_agents import ManagedAgentsEmulator

LONG = sc.Scenario(
    "long",
    [
        sc.think("Planning the work."),
        *[sc.say(f"Part {i} of the answer, with a few more words. ") for i in range(4)],
        sc.tool("search", {"q": "x"}, result="found"),
        sc.client_tool("lookup", {"id": 1}),
        *[sc.say(f"Closing part {i}. ") for i in range(3)],
        sc.usage(input_tokens=100, output_tokens=40),
    ],
)
EXPECTED_TEXT = "".join(f"Part {i} of the answer, with a few more words. " for i in range(4)) + (
    "".join(f"Closing part {i}. " for i in range(3))
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[ManagedAgentsEmulator]:
    with ManagedAgentsEmulator(scenarios=[LONG], speed=0.0005, keepalive_interval=0.2) as emu:
        yield emu


def make_client(emulator: ManagedAgentsEmulator) -> ManagedAgents:
    return ManagedAgents(
        api_key="test-key",
        base_url=emulator.base_url,
        reconnect_delay=0.01,
        max_stream_reconnects=20,
        stream_read_timeout=5,
    )


def check_exactly_once(emulator: ManagedAgentsEmulator, session_id: str, events: list[Any]):
    stored = [e for e in events if getattr(e, "id", None)]
    ids = [e.id for e in stored]
    logged = [e["id"] for e in emulator.events(session_id)]
    assert len(ids) == len(set(ids)), "an event was delivered twice"
    assert ids == logged[: len(ids)], "an event was lost or reordered"
    assert stored[-1].type == "session.status_idle"
    assert logged[len(ids) - 1] == stored[-1].id


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    drop_after=st.integers(min_value=0, max_value=12),
    times=st.integers(min_value=1, max_value=4),
    mid_frame=st.booleans(),
    deltas=st.booleans(),
)
def test_a_turn_survives_random_drops(emulator, drop_after, times, mid_frame, deltas):
    if mid_frame:
        emulator.faults = Faults(drop_after_bytes=drop_after * 97 + 1, times=times)
    else:
        emulator.faults = Faults(drop_after_events=drop_after, times=times)
    try:
        with make_client(emulator) as client:
            session = client.sessions.create(agent="a", environment_id="e")
            with client.sessions.turn(
                session.id,
                message="[scenario:long]",
                tools={"lookup": lambda args: "record 1"},
                event_deltas=["agent.message"] if deltas else None,
            ) as stream:
                events = list(stream)
    finally:
        emulator.faults = None
    check_exactly_once(emulator, session.id, events)
    assert stream.text == EXPECTED_TEXT
    assert stream.outcome is not None and stream.outcome.ok


def test_events_stream_resumes_after_drops(emulator):
    """A plain stream, opened before the send, dropped after every few events."""
    emulator.faults = Faults(drop_after_events=3)
    try:
        with make_client(emulator) as client:
            session = client.sessions.create(agent="a", environment_id="e")
            with client.sessions.events.stream(session.id) as stream:
                client.sessions.events.send(
                    session.id,
                    events=[
                        {
                            "type": "user.message",
                            "content": [{"type": "text", "text": "[scenario:long]"}],
                        }
                    ],
                )
                events = []
                for event in stream:
                    events.append(event)
                    if event.type == "agent.custom_tool_use":
                        client.sessions.events.send(
                            session.id,
                            events=[
                                {"type": "user.custom_tool_result", "custom_tool_use_id": event.id}
                            ],
                        )
                    if event.type == "session.status_idle" and event.stop_reason.type == "end_turn":
                        break
    finally:
        emulator.faults = None
    check_exactly_once(emulator, session.id, events)


def test_async_turn_survives_drops(emulator):
    async def main() -> tuple[str, list[Any], str]:
        async with AsyncManagedAgents(
            api_key="test-key", base_url=emulator.base_url, reconnect_delay=0.01
        ) as client:
            session = await client.sessions.create(agent="a", environment_id="e")
            async with client.sessions.turn(
                session.id, message="[scenario:long]", tools={"lookup": lambda a: "1"}
            ) as stream:
                events = [event async for event in stream]
            return session.id, events, stream.text

    emulator.faults = Faults(drop_after_events=4, times=3)
    try:
        session_id, events, text = asyncio.run(main())
    finally:
        emulator.faults = None
    check_exactly_once(emulator, session_id, events)
    assert text == EXPECTED_TEXT


def test_ping_and_frames_without_event_are_control():
    from agentstream._policy import Verdict
    from agentstream._sse import ServerSentEvent

    policy = SessionResumePolicy("http://x/v1/sessions/s/events", baseline=(None, ()))
    assert policy.classify(ServerSentEvent("ping", "{}")) is Verdict.CONTROL
    assert policy.classify(ServerSentEvent("message", "{}")) is Verdict.CONTROL
    frame = ServerSentEvent("agent.message", '{"type":"agent.message","id":"sevt_1"}')
    assert policy.classify(frame) is Verdict.DELIVER
    assert policy.classify(frame) is Verdict.SKIP
    end = ServerSentEvent("session.deleted", '{"type":"session.deleted","id":"sevt_2"}')
    assert policy.classify(end) is Verdict.TERMINAL


def test_in_stream_error_is_a_typed_status_error():
    from agentstream import InternalServerError, RateLimitError
    from agentstream._sse import ServerSentEvent
    from agentstream.providers.managed_agents._adapter import ManagedAgentsAdapter

    adapter = ManagedAgentsAdapter(SessionResumePolicy("http://x/e", baseline=(None, ())))
    body = (
        '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"},'
        '"request_id":"req_1"}'
    )
    with pytest.raises(RateLimitError) as caught:
        adapter.decode(ServerSentEvent("error", body))
    assert caught.value.code == "rate_limit_error" and caught.value.request_id == "req_1"
    with pytest.raises(InternalServerError):
        adapter.decode(ServerSentEvent("error", '{"type":"error","error":{"type":"api_error"}}'))


def test_a_stored_message_that_differs_from_its_previews_replaces_them():
    from agentstream.providers.managed_agents._normalize import Normalizer
    from agentstream.types import common, structure_event

    def ev(data: dict[str, Any]) -> Any:
        return structure_event("managed_agents", data)

    n = Normalizer()
    n(ev({"type": "event_start", "event": {"type": "agent.message", "id": "m1"}}))
    delta = {"type": "content_delta", "content": {"type": "text", "text": "Hello wor"}}
    assert n(ev({"type": "event_delta", "event_id": "m1", "delta": delta}))[0].text == "Hello wor"
    done = {"type": "agent.message", "id": "m1", "processed_at": "t"}
    (rest,) = n(ev({**done, "content": [{"type": "text", "text": "Hello world"}]}))
    assert isinstance(rest, common.TextDelta) and rest.text == "ld"
    n(ev({"type": "event_delta", "event_id": "m2", "delta": delta}))
    (replaced,) = n(ev({**done, "id": "m2", "content": [{"type": "text", "text": "Redacted"}]}))
    assert isinstance(replaced, common.TextReplaced) and replaced.text == "Redacted"
