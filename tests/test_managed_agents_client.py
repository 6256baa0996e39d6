"""The Managed Agents client against the emulator over loopback: configuration and
headers, typed errors, sessions, events (send, pages, filters), streams, turns with
their tool loop and outcomes, poll, and the async twin."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from agentstream import AuthenticationError, BadRequestError, NotFoundError
from agentstream.providers.managed_agents import (
    ActionNotHandledError,
    AsyncManagedAgents,
    ManagedAgents,
    custom_tool_result,
    system_message,
    user_message,
)
from agentstream.providers.managed_agents._common import ClientConfigError
from agentstream.testing import scenarios as sc
from agentstream.testing.managed_agents import ManagedAgentsEmulator
from agentstream.types import managed_agents as ma

LOOKUP = sc.Scenario(
    "lookup",
    [
        sc.say("Let me count. "),
        sc.client_tool("count_tickets", {"queue": "support"}),
        sc.say("Counted."),
        sc.usage(input_tokens=10, output_tokens=5),
    ],
)
STEPS = sc.Scenario(
    "steps",
    [sc.say(f"Step {i} is done and dusted. ") for i in range(6)],
)
FAILING = sc.Scenario("failing", [sc.say("Trying. "), sc.fail("the sandbox died")])


@pytest.fixture(scope="module")
def emulator() -> Iterator[ManagedAgentsEmulator]:
    with ManagedAgentsEmulator(
        scenarios=[LOOKUP, STEPS, FAILING], speed=0.001, keepalive_interval=0.2
    ) as emulator:
        yield emulator


@pytest.fixture
def client(emulator: ManagedAgentsEmulator) -> Iterator[ManagedAgents]:
    with ManagedAgents(api_key="test-key", base_url=emulator.base_url) as client:
        yield client


def new_session(client: ManagedAgents) -> ma.Session:
    return client.sessions.create(agent="agent_1", environment_id="env_1", title="t")


def messages(events: list[Any]) -> str:
    return "".join(block.text for e in events if e.type == "agent.message" for block in e.content)


# -- configuration and errors ----------------------------------------------------------


def test_environment_configures_the_client(emulator, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", emulator.base_url)
    with ManagedAgents() as client:
        assert client.base_url == emulator.base_url.rstrip("/")
        assert new_session(client).status == "idle"
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    with pytest.raises(ClientConfigError):
        ManagedAgents()


def test_headers_carry_key_version_beta_and_workspace(emulator):
    client = ManagedAgents(
        api_key="test-key", base_url=emulator.base_url, workspace_id="wrkspc_1", betas=["x-1"]
    )
    headers = client._http.headers
    assert headers["x-api-key"] == "test-key"
    assert headers["anthropic-version"] == "2023-06-01"
    assert headers["anthropic-beta"] == "x-1,managed-agents-2026-04-01"
    assert headers["anthropic-workspace-id"] == "wrkspc_1"
    assert "test-key" not in repr(client)
    client.close()


def test_errors_are_typed_with_code_and_request_id(emulator, client):
    with pytest.raises(AuthenticationError) as caught:
        ManagedAgents(api_key="wrong", base_url=emulator.base_url).sessions.list()
    assert caught.value.code == "authentication_error"
    assert caught.value.request_id
    with pytest.raises(NotFoundError) as missing:
        client.sessions.retrieve("sesn_nope")
    assert missing.value.code == "not_found_error"
    with pytest.raises(NotFoundError), client.sessions.events.stream("sesn_nope"):
        pass
    with pytest.raises(TypeError, match="colour"):
        client.sessions.create(agent="a", environment_id="e", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="kind"):
        client.sessions.events.list("sesn_x", kind="x")  # type: ignore[call-arg]


# -- sessions and events ---------------------------------------------------------------


def test_session_lifecycle(client):
    session = client.sessions.create(
        agent="agent_1",
        environment_id="env_1",
        title="triage",
        metadata={"team": "support"},
    )
    assert session.title == "triage" and session.agent is not None
    assert session.stats is not None and session.outcome_evaluations == []
    updated = client.sessions.update(session.id, title="renamed")
    assert updated.title == "renamed"
    assert client.sessions.retrieve(session.id).metadata == {"team": "support"}
    ids = [s.id for s in client.sessions.list(limit=1)]
    assert session.id in ids and len(ids) == len(set(ids))
    assert client.sessions.archive(session.id).archived_at is not None
    assert client.sessions.delete(session.id)["type"] == "session_deleted"
    with pytest.raises(BadRequestError):  # initial events are user messages or outcomes
        client.sessions.create(
            agent="a", environment_id="e", initial_events=[system_message("Be brief.")]
        )


def test_events_send_list_pages_and_filters(client):
    session = new_session(client)
    sent = client.sessions.events.send(session.id, events=[user_message("[scenario:steps]")])
    assert sent.data and sent.data[0].type == "user.message"
    client.sessions.poll(session.id, timeout=10, interval=0.02)
    page = client.sessions.events.list(session.id, limit=3)
    assert len(page.data) == 3 and page.has_next_page()
    assert len(page.get_next_page().data) == 3
    everything = list(page)
    assert next(e.type for e in everything) == "user.message"
    assert everything[-1].type == "session.status_idle"
    assert len({e.id for e in everything}) == len(everything)
    said = list(client.sessions.events.list(session.id, types=["agent.message"]))
    assert messages(said) == "".join(f"Step {i} is done and dusted. " for i in range(6))
    newest = client.sessions.events.list(session.id, order="desc", limit=1).data[0]
    assert newest.id == everything[-1].id
    after = list(client.sessions.events.list(session.id, created_at_gt=said[2].processed_at))
    assert after[0].id == everything[everything.index(said[2]) + 1].id


def test_stream_from_now_on_ends_when_the_session_is_deleted(client):
    session = new_session(client)
    client.sessions.events.send(session.id, events=[user_message("[scenario:steps]")])
    client.sessions.poll(session.id, timeout=10, interval=0.02)
    with client.sessions.events.stream(session.id) as stream:
        client.sessions.events.send(session.id, events=[user_message("[scenario:steps]")])
        seen = []
        for event in stream:
            seen.append(event)
            if event.type == "session.status_idle":
                client.sessions.delete(session.id)
    assert seen[0].type == "user.message"  # nothing from before the stream
    assert seen[-1].type == "session.deleted"
    assert stream.transcript.stop_reason == "deleted"


def test_thread_events_list_and_stream(client):
    session = new_session(client)
    client.sessions.events.send(session.id, events=[user_message("[scenario:steps]")])
    client.sessions.poll(session.id, timeout=10, interval=0.02)
    thread_id = client._http.request("GET", f"/v1/sessions/{session.id}/threads")["data"][0]["id"]
    listed = list(client.sessions.threads.events.list(thread_id, session_id=session.id, limit=4))
    assert listed[-1].type == "session.status_idle"
    with client.sessions.threads.events.stream(thread_id, session_id=session.id) as stream:
        client.sessions.events.send(session.id, events=[user_message("[scenario:steps]")])
        for event in stream:
            if event.type == "session.status_idle":
                break
    assert stream.delivered > 5 and stream.text.count("Step 0") == 1


# -- turns -------------------------------------------------------------------------------


def test_turn_streams_previews_without_repeating_text(client):
    session = new_session(client)
    with client.sessions.turn(session.id, message="[scenario:steps]") as stream:
        pieces = list(stream.iter_text())
    expected = "".join(f"Step {i} is done and dusted. " for i in range(6))
    assert "".join(pieces) == expected == stream.text
    assert stream.outcome is not None and stream.outcome.ok
    assert stream.transcript.stop_reason == "end_turn"


def test_turn_runs_custom_tools_and_confirmations(client):
    session = new_session(client)
    calls: list[dict[str, Any]] = []

    def count(args: dict[str, Any]) -> dict[str, int]:
        calls.append(args)
        return {"open": 42}

    with client.sessions.turn(
        session.id, message="[scenario:lookup]", tools={"count_tickets": count}
    ) as stream:
        stream.until_done()
    assert calls == [{"queue": "support"}]
    assert stream.text == "Let me count. Counted."
    assert stream.transcript.usage is not None
    (call,) = stream.transcript.tool_calls
    assert call.name == "count_tickets" and call.result == '{"open": 42}' and not call.is_error

    asked: list[str] = []
    with client.sessions.turn(
        session.id,
        message="[scenario:approval]",
        on_confirmation=lambda event: asked.append(event.name) or "Use staging instead",
    ) as stream:
        events = list(stream)
    assert asked == ["gmail_send"]
    denied = [e for e in events if e.type == "agent.tool_result"][-1]
    assert denied.is_error and "Use staging instead" in str(denied.content)
    assert [a.kind for a in stream.transcript.actions] == ["approval"]
    assert stream.outcome is not None and stream.outcome.ok


def test_a_raising_handler_sends_an_error_result(client):
    session = new_session(client)

    def broken(args: dict[str, Any]) -> str:
        raise RuntimeError("database down")

    with client.sessions.turn(
        session.id, message="[scenario:lookup]", tools={"count_tickets": broken}
    ) as stream:
        events = list(stream)
    result = next(e for e in events if e.type == "user.custom_tool_result")
    assert result.is_error and "database down" in str(result.content)


def test_a_pending_action_without_handler_names_it(client):
    session = new_session(client)
    stream = client.sessions.turn(session.id, message="[scenario:lookup]")
    with pytest.raises(ActionNotHandledError, match="count_tickets") as caught:
        stream.until_done()
    assert caught.value.event.name == "count_tickets"
    # The session still waits; the caller can answer it by hand.
    client.sessions.events.send(session.id, events=[custom_tool_result(caught.value.event.id, "7")])
    assert client.sessions.poll(session.id, timeout=10, interval=0.02).status == "idle"


def test_a_failing_turn_ends_terminated_with_the_error(client):
    session = new_session(client)
    with client.sessions.turn(session.id, message="[scenario:failing]") as stream:
        stream.until_done()
    assert stream.outcome is not None and stream.outcome.stop_reason == "terminated"
    assert not stream.outcome.ok
    errors = stream.transcript.errors
    assert errors and errors[0].message == "the sandbox died" and not errors[0].retryable
    again = client.sessions.turn(session.id, message="again")
    with pytest.raises(Exception, match="terminated"):
        again.until_done()


def test_a_send_rejected_by_the_platform_raises_typed(client):
    session = new_session(client)
    stream = client.sessions.turn(session.id, message="[scenario:no-such-scenario]")
    with pytest.raises(BadRequestError):
        stream.until_done()


def test_stream_text_and_poll(client):
    session = new_session(client)
    text = "".join(client.sessions.stream_text(session.id, message="[scenario:steps]"))
    assert text.startswith("Step 0") and text.count("Step 5") == 1
    client.sessions.events.send(session.id, events=[user_message("[scenario:steps]")])
    assert client.sessions.poll(session.id, timeout=10, interval=0.02).status == "idle"


def test_async_twin(emulator):
    async def main() -> None:
        async with AsyncManagedAgents(api_key="test-key", base_url=emulator.base_url) as client:
            session = await client.sessions.create(agent="a", environment_id="e")

            async def count(args: dict[str, Any]) -> str:
                return "42"

            async with client.sessions.turn(
                session.id, message="[scenario:lookup]", tools={"count_tickets": count}
            ) as stream:
                pieces = [text async for text in stream.iter_text()]
            assert "".join(pieces) == "Let me count. Counted."
            page = await client.sessions.events.list(session.id, limit=2)
            listed = [event async for event in page]
            assert listed[-1].type == "session.status_idle"
            chunks = [
                t async for t in client.sessions.stream_text(session.id, message="[scenario:steps]")
            ]
            assert "".join(chunks).count("Step 3") == 1

    asyncio.run(main())
