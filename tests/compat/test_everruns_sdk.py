"""The official everruns-sdk (0.3.1) drives the Everruns emulator: its management client
(``Everruns``) and its agent client (``AgentClient``), over loopback.

What the SDK does that the tests pin down:
- it resumes with the JSON ``id`` of the last event it yielded as ``since_id`` and sends
  ``after_sequence`` only on its first connection;
- a ``disconnecting`` frame makes it reconnect after ``retry_ms`` without counting a
  retry; a dropped connection costs it a 1 s backoff (no jitter in 0.3.1);
- ``sessions.create`` and ``messages.create`` warn that the management client is
  deprecated for calling an agent (hence the filter below).
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import httpx
import pytest
from everruns_sdk import AgentClient, AuthenticationError, Everruns, EverrunsError, NotFoundError
from everruns_sdk.models import ContentPart

from agentstream.testing import Faults

pytestmark = [
    pytest.mark.compat,
    pytest.mark.timeout(30),
    pytest.mark.filterwarnings("ignore:Everruns.*is deprecated:DeprecationWarning"),
]

KEY = "test-key"
DEMO_ANSWER_START = "Here are your 3 unread support threads, triaged:"


def counted(stream: Any) -> list[str]:
    """Give an SDK EventStream an HTTP client (with the SDK's own timeouts) that notes
    each URL it requests, so a test can count the connections."""
    urls: list[str] = []

    async def note(request: httpx.Request) -> None:
        urls.append(str(request.url))

    timeout = httpx.Timeout(connect=30.0, read=45.0, write=30.0, pool=30.0)
    stream._http = httpx.AsyncClient(timeout=timeout, event_hooks={"request": [note]})
    return urls


async def until(stream: Any, kinds: tuple[str, ...]) -> list[Any]:
    """The stream's events up to the first of `kinds`. The iterator is closed here, in
    the task that opened it (left to the garbage collector, httpx's connection would be
    closed from another task)."""
    events = []
    iterator = aiter(stream)
    try:
        async for event in iterator:
            events.append(event)
            if event.type in kinds:
                break
    finally:
        await iterator.aclose()
    return events


async def until_turn_ends(stream: Any) -> list[Any]:
    events = await until(stream, ("turn.completed", "turn.failed"))
    stream.stop()
    await stream.aclose()
    return events


# AgentClient.run() returns from inside ``async for`` over its EventStream and never
# closes that async generator; the garbage collector closes it later, outside its task,
# and httpx's cancel scope complains. Collected here, so the noise stays in this test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_agent_client_run_returns_the_final_answer(everruns_emulator):
    async def main() -> tuple[str, str, int]:
        async with AgentClient(agent_url=everruns_emulator.agent_url, credential=KEY) as agent:
            reply = await agent.run("Triage my inbox")
            session = (await agent.list_sessions())["data"][0]["id"]
            # On an existing session run() skips the history by paging list_events.
            again = await agent.run("[scenario:guardrail]", session_id=session)
            return reply, again, len(await agent.list_events(session, limit=500))

    reply, again, total = asyncio.run(main())
    gc.collect()
    assert reply.startswith(DEMO_ANSWER_START)
    # run() keeps the streamed message's text: it ignores output.message.replaced.
    assert again.startswith("Sure. The staging database password")
    assert total > 100


async def _run_once(url: str, text: str) -> str:
    async with AgentClient(agent_url=url, credential=KEY) as agent:
        return await agent.run(text)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_agent_client_run_raises_on_a_failed_turn(everruns_emulator):
    with pytest.raises(EverrunsError, match="integration_auth_failed: Gmail token expired"):
        asyncio.run(_run_once(everruns_emulator.agent_url, "[scenario:failure]"))
    gc.collect()


def test_agent_client_sessions_messages_idempotency_and_events(everruns_emulator):
    async def main() -> None:
        async with AgentClient(agent_url=everruns_emulator.agent_url, credential=KEY) as agent:
            alice = agent.for_end_user("alice")
            session = (await alice.create_session("support"))["id"]
            first = await alice.send_message(session, "Triage", idempotency_key="k1")
            again = await alice.send_message(session, "Triage", idempotency_key="k1")
            assert first == again
            with pytest.raises(NotFoundError):
                await agent.get_session(session)  # another caller's session
            stream = alice.stream_events(session, after_sequence=0)
            events = await until_turn_ends(stream)
            listed = await alice.list_events(session, limit=500)
            assert [e.id for e in events] == [e.id for e in listed[: len(events)]]
            assert sum(e.type == "turn.started" for e in listed) == 1

    asyncio.run(main())


def test_management_stream_resumes_across_disconnecting_cycles(emulator_factory):
    emulator = emulator_factory("everruns", speed=0.01, cycle_interval=0.1)

    async def main() -> tuple[list[Any], list[Any], list[str], int]:
        async with Everruns(api_key=KEY, base_url=emulator.base_url, org_id="org_1") as client:
            session = await client.sessions.create(title="cycling")
            assert session.status == "started"
            start = (await client.events.list(session.id))[0]
            await client.messages.create(session.id, "Triage my inbox")
            stream = client.events.stream(session.id, since_id=start.id)
            urls = counted(stream)
            events = await until_turn_ends(stream)
            listed = await client.events.list(session.id, since_id=start.id, limit=1000)
            return events, listed, urls, stream.retry_count

    events, listed, urls, retries = asyncio.run(main())
    assert [e.id for e in events] == [e.id for e in listed][: len(events)]
    assert events[-1].type == "turn.completed" and retries == 0
    assert len(urls) >= 3  # cycled at least twice, each time resumed from the last id
    assert all("since_id=event_" in url for url in urls)
    delivered = {e.id for e in events}
    assert {url.split("since_id=")[1].split("&")[0] for url in urls[1:]} <= delivered


def test_management_stream_survives_a_dropped_connection(everruns_emulator):
    everruns_emulator.faults = Faults(drop_after_events=12, times=1)

    async def main() -> tuple[list[Any], list[Any], list[str]]:
        async with Everruns(api_key=KEY, base_url=everruns_emulator.base_url) as client:
            session = await client.sessions.create()
            start = (await client.events.list(session.id))[0]
            await client.messages.create(session.id, "Triage my inbox")
            stream = client.events.stream(
                session.id, since_id=start.id, exclude=["output.message.delta"]
            )
            urls = counted(stream)
            events = await until_turn_ends(stream)
            listed = await client.events.list(
                session.id, since_id=start.id, exclude=["output.message.delta"], limit=1000
            )
            return events, listed, urls

    events, listed, urls = asyncio.run(main())
    assert len(urls) == 2 and "since_id=" + events[10].id in urls[1]
    assert [e.id for e in events] == [e.id for e in listed][: len(events)]
    assert "output.message.delta" not in {e.type for e in events}


def test_management_client_tool_results_and_errors(everruns_emulator):
    async def main() -> None:
        async with Everruns(api_key=KEY, base_url=everruns_emulator.base_url) as client:
            session = await client.sessions.create()
            await client.messages.create(session.id, "[scenario:client-tool]")
            start = (await client.events.list(session.id))[0]
            stream = client.events.stream(session.id, since_id=start.id)
            requested = await until(stream, ("tool.call_requested",))
            call = requested[-1].tool_calls()[0]
            assert call.name == "calendar_lookup"
            part = ContentPart(type="tool_result", tool_call_id=call.id, result=["09:00 standup"])
            accepted = await client.messages.create_tool_results(session.id, [part])
            assert (accepted.accepted, accepted.status) == (1, "active")
            rest = await until_turn_ends(stream)
            assert rest[-1].type == "turn.completed"
            fetched = await client.sessions.get(session.id)
            assert fetched.status == "idle" and fetched.usage is not None
            summary = [s.id for s in await client.sessions.list()]
            assert summary == [session.id]
            with pytest.raises(NotFoundError):
                await client.sessions.get("session_" + "0" * 32)
        async with Everruns(api_key="wrong", base_url=everruns_emulator.base_url) as bad:
            with pytest.raises(AuthenticationError):
                await bad.sessions.list()

    asyncio.run(main())
