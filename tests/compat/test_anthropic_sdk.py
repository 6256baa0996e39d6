"""The official anthropic SDK (2.10) drives the Managed Agents emulator: sessions,
sending, listing with auto-pagination and filters, streaming with previews, threads,
errors mapped to the SDK's exception classes, and the SDK's own session tool runner
completing a custom-tool turn."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import anthropic
import pytest
from anthropic.lib.sessions import accumulate_managed_agents_event
from anthropic.lib.tools import beta_async_tool

from agentstream.testing import FAULTS_HEADER, Scenario, client_tool, say, usage
from agentstream.testing.managed_agents import ManagedAgentsEmulator

pytestmark = pytest.mark.compat

LOOKUP = Scenario(
    "lookup",
    [
        say("Let me count them."),
        client_tool("count_tickets", {"queue": "support"}),
        say("There are 42 open tickets."),
        usage(input_tokens=300, output_tokens=20),
    ],
)


def message(text: str) -> dict[str, Any]:
    return {"type": "user.message", "content": [{"type": "text", "text": text}]}


@pytest.fixture
def emulator() -> Iterator[ManagedAgentsEmulator]:
    with ManagedAgentsEmulator(api_key="test-key", scenarios=[LOOKUP]) as emulator:
        yield emulator


@pytest.fixture
def client(emulator: ManagedAgentsEmulator) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(base_url=emulator.base_url, api_key="test-key", timeout=10) as c:
        yield c


def run_turn(client: anthropic.Anthropic, session_id: str, text: str, **stream: Any) -> list[Any]:
    """Open the stream, send `text`, and read until the session idles (or terminates)."""
    seen = []
    with client.beta.sessions.events.stream(session_id, **stream) as events:
        client.beta.sessions.events.send(session_id, events=[message(text)])
        for event in events:
            seen.append(event)
            if event.type in ("session.status_idle", "session.status_terminated"):
                return seen
    raise AssertionError("the stream ended before the turn")


def test_sessions_create_retrieve_update_list_archive_delete(client):
    session = client.beta.sessions.create(
        agent="agent_1", environment_id="env_1", title="Triage", metadata={"team": "support"}
    )
    assert session.id.startswith("sesn_") and session.status == "idle"
    assert session.agent.id == "agent_1" and session.agent.model.id
    assert isinstance(session.created_at, datetime) and session.stats.duration_seconds is not None
    assert client.beta.sessions.retrieve(session.id).title == "Triage"
    updated = client.beta.sessions.update(session.id, title="Renamed", metadata={"team": None})
    assert updated.title == "Renamed" and updated.metadata == {}
    others = [client.beta.sessions.create(agent="a", environment_id="e").id for _ in range(2)]
    listed = [s.id for s in client.beta.sessions.list(limit=1)]  # auto-pagination
    assert listed == [*others[::-1], session.id]
    assert client.beta.sessions.archive(session.id).archived_at is not None
    assert session.id not in [s.id for s in client.beta.sessions.list()]
    deleted = client.beta.sessions.delete(others[0])
    assert (deleted.id, deleted.type) == (others[0], "session_deleted")
    with pytest.raises(anthropic.NotFoundError):
        client.beta.sessions.retrieve(others[0])


def test_stream_send_and_list_with_auto_pagination_and_filters(client):
    session = client.beta.sessions.create(agent="agent_1", environment_id="env_1")
    streamed = run_turn(client, session.id, "Triage my inbox")
    assert [e.type for e in streamed][:2] == ["user.message", "session.status_running"]
    assert streamed[-1].stop_reason.type == "end_turn"
    events = client.beta.sessions.events
    listed = list(events.list(session.id, limit=3))  # several pages, followed by the SDK
    assert [e.id for e in listed] == [e.id for e in streamed]
    assert [e.id for e in events.list(session.id, order="desc")] == [e.id for e in listed][::-1]
    tools = events.list(session.id, types=["agent.tool_use", "agent.tool_result"]).data
    assert [e.type for e in tools] == ["agent.tool_use", "agent.tool_result"] * 2
    later = events.list(session.id, created_at_gt=listed[5].processed_at).data
    assert [e.id for e in later] == [e.id for e in listed[6:]]
    until = events.list(session.id, created_at_lte=listed[2].processed_at.isoformat()).data
    assert [e.id for e in until] == [e.id for e in listed[:3]]


def test_event_deltas_accumulate_into_the_message(client):
    session = client.beta.sessions.create(agent="agent_1", environment_id="env_1")
    streamed = run_turn(client, session.id, "Triage my inbox", event_deltas=["agent.message"])
    snapshot = None
    for event in streamed:
        if event.type in ("event_start", "event_delta"):
            snapshot = accumulate_managed_agents_event(snapshot, event)
        elif event.type == "agent.message":
            assert snapshot is not None and snapshot.id == event.id
            assert snapshot.content[0].text == event.content[0].text
            return
    raise AssertionError("no agent.message")


def test_confirmation_and_custom_tool_results_sent_through_the_sdk(client):
    session = client.beta.sessions.create(agent="agent_1", environment_id="env_1")
    paused = run_turn(client, session.id, "Send the weekly report")
    [tool_use] = [e for e in paused if e.type == "agent.tool_use"]
    assert tool_use.evaluated_permission == "ask"
    assert paused[-1].stop_reason.event_ids == [tool_use.id]
    with client.beta.sessions.events.stream(session.id) as stream:
        client.beta.sessions.events.send(
            session.id,
            events=[
                {"type": "user.tool_confirmation", "tool_use_id": tool_use.id, "result": "allow"}
            ],
        )
        rest = []
        for event in stream:
            rest.append(event)
            if event.type == "session.status_idle":
                break
    [result] = [e for e in rest if e.type == "agent.tool_result"]
    assert result.tool_use_id == tool_use.id and result.is_error is False


def test_threads_through_the_sdk(client):
    session = client.beta.sessions.create(agent="agent_1", environment_id="env_1")
    run_turn(client, session.id, "Triage my inbox")
    [thread] = list(client.beta.sessions.threads.list(session.id))
    assert thread.session_id == session.id and thread.status == "idle"
    assert client.beta.sessions.threads.retrieve(thread.id, session_id=session.id).id == thread.id
    listed = list(client.beta.sessions.threads.events.list(thread.id, session_id=session.id))
    assert [e.id for e in listed] == [e.id for e in client.beta.sessions.events.list(session.id)]
    with client.beta.sessions.threads.events.stream(thread.id, session_id=session.id) as stream:
        client.beta.sessions.events.send(session.id, events=[message("Triage again")])
        assert next(iter(stream)).type == "user.message"


def test_errors_map_to_the_sdks_exception_classes(emulator, client):
    with pytest.raises(anthropic.NotFoundError) as missing:
        client.beta.sessions.events.list("sesn_missing")
    assert missing.value.body["error"]["type"] == "not_found_error"
    assert missing.value.request_id and missing.value.request_id.startswith("req_")
    with pytest.raises(anthropic.BadRequestError, match="managed-agents-2026-04-01"):
        client.beta.sessions.list(extra_headers={"anthropic-beta": "files-api-2025-04-14"})
    other = anthropic.Anthropic(base_url=emulator.base_url, api_key="nope", max_retries=0)
    with other, pytest.raises(anthropic.AuthenticationError):
        other.beta.sessions.list()
    session = client.beta.sessions.create(agent="agent_1", environment_id="env_1")
    with pytest.raises(anthropic.BadRequestError):
        client.beta.sessions.events.send(
            session.id,
            events=[{"type": "user.custom_tool_result", "custom_tool_use_id": "sevt_nothing"}],
        )
    # An injected 429 with Retry-After is retried by the SDK, which then succeeds.
    flaky = {FAULTS_HEADER: "status=429,retry_after=0,times=1"}
    assert client.beta.sessions.retrieve(session.id, extra_headers=flaky).id == session.id
    with pytest.raises(anthropic.RateLimitError):
        client.with_options(max_retries=0).beta.sessions.retrieve(
            session.id, extra_headers={FAULTS_HEADER: "status=429"}
        )


def test_the_sdks_session_tool_runner_completes_a_custom_tool_turn(emulator):
    calls: list[str] = []

    @beta_async_tool
    async def count_tickets(queue: str) -> str:
        """Count the open tickets of a queue.

        Args:
            queue: the queue's name.
        """
        calls.append(queue)
        return f"42 open tickets in {queue}"

    async def main() -> list[Any]:
        async with anthropic.AsyncAnthropic(
            base_url=emulator.base_url, api_key="test-key", timeout=10
        ) as client:
            session = await client.beta.sessions.create(agent="agent_1", environment_id="env_1")
            await client.beta.sessions.events.send(
                session.id, events=[message("[scenario:lookup] how many tickets?")]
            )
            runner = client.beta.sessions.events.tool_runner(
                session.id, tools=[count_tickets], max_idle=0.3
            )
            dispatched = [call async for call in runner]
            events = [e async for e in client.beta.sessions.events.list(session.id)]
            return [dispatched, events]

    dispatched, events = asyncio.run(asyncio.wait_for(main(), 20))
    [call] = dispatched
    assert call.name == "count_tickets" and call.posted and not call.is_error
    assert calls == ["support"]
    kinds = [e.type for e in events]
    assert kinds.count("session.status_idle") == 2 and events[-1].stop_reason.type == "end_turn"
    [result] = [e for e in events if e.type == "user.custom_tool_result"]
    assert result.custom_tool_use_id == call.tool_use_id
    assert result.content[0].text == "42 open tickets in support"
    assert [e.content[0].text for e in events if e.type == "agent.message"][-1].startswith("There")
