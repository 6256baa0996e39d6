"""The Everruns client against the emulator over loopback: both APIs' auth and paths,
sessions, messages, event pages and summary, turns (text, replaced text, failures,
client-side tools, approvals, questions), polling, and the checks made before any
request. The turn flows run sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agentstream import RunFailedError
from agentstream.providers.everruns import (
    AsyncEverruns,
    EventTypeError,
    Everruns,
    EverrunsConfigError,
)
from agentstream.testing import EverrunsEmulator
from agentstream.types import common, everruns

KEY = "test-key"


@pytest.fixture(scope="module")
def emulator() -> Iterator[EverrunsEmulator]:
    with EverrunsEmulator(api_key=KEY, speed=0) as emulator:
        yield emulator


@pytest.fixture
def client(emulator: EverrunsEmulator) -> Iterator[Everruns]:
    with Everruns(api_key=KEY, base_url=emulator.base_url) as client:
        yield client


def turn_sync(emulator: EverrunsEmulator, message: str, **options: Any) -> Any:
    with Everruns(api_key=KEY, base_url=emulator.base_url) as client:
        session = client.sessions.create(title="t")
        with client.sessions.turn(session.id, message=message, **options) as stream:
            events = list(stream)
        return stream, events


def turn_async(emulator: EverrunsEmulator, message: str, **options: Any) -> Any:
    async def main() -> Any:
        async with AsyncEverruns(api_key=KEY, base_url=emulator.base_url) as client:
            session = await client.sessions.create(title="t")
            async with client.sessions.turn(session.id, message=message, **options) as stream:
                events = [event async for event in stream]
            return stream, events

    return asyncio.run(main())


TURN = {"sync": turn_sync, "async": turn_async}
modes = pytest.mark.parametrize("mode", ["sync", "async"])


@modes
def test_turn_streams_to_its_end(emulator: EverrunsEmulator, mode: str) -> None:
    """A turn sends the message and ends at ``turn.completed`` with text and usage; it
    starts at the cursor taken before the send, so ``input.message`` is its first event."""
    stream, events = TURN[mode](emulator, "triage my inbox")
    types = [e.type for e in events]
    assert types[0] == "input.message" and types[-1] == "turn.completed"
    assert stream.completed and stream.transcript.done
    deltas = [e.data.delta for e in events if e.type == "output.message.delta"]
    assert stream.text == "".join(deltas) and stream.text.startswith("Here are")
    assert stream.transcript.usage is not None and stream.transcript.usage.output_tokens > 0
    assert stream.message.id == events[0].data.message.id
    assert stream.cursor == events[-1].id and stream.turn_id == events[-1].data.turn_id


@modes
def test_replaced_text(emulator: EverrunsEmulator, mode: str) -> None:
    """A guardrail's replacement is what ``.text`` and the transcript show; on(...)
    users are told with a TextReplaced."""
    stream, events = TURN[mode](emulator, "[scenario:guardrail] the staging password?")
    replaced = next(e for e in events if e.type == "output.message.replaced")
    assert stream.text == replaced.data.replacement
    streamed = "".join(e.data.delta for e in events if e.type == "output.message.delta")
    assert streamed != stream.text


def test_on_text_replaced(client: Everruns) -> None:
    """on(text=..., text_replaced=...) hands out the deltas, then the replacement."""
    session = client.sessions.create()
    seen: list[common.TextReplaced] = []
    pieces: list[str] = []
    with client.sessions.turn(session.id, message="[scenario:guardrail] hi") as stream:
        transcript = stream.on(text=pieces.append, text_replaced=seen.append)
    assert len(seen) == 1 and seen[0].text == transcript.text != "".join(pieces)


@modes
def test_client_tools(emulator: EverrunsEmulator, mode: str) -> None:
    """A ``tools`` handler answers ``tool.call_requested``; the turn goes on to its end."""
    calls: list[dict[str, Any]] = []

    def lookup(arguments: dict[str, Any]) -> Any:
        calls.append(arguments)
        return {"events": ["09:00 standup"]}

    stream, events = TURN[mode](
        emulator, "[scenario:client-tool] my day?", tools={"calendar_lookup": lookup}
    )
    assert len(calls) == 1 and events[-1].type == "turn.completed"
    done = next(e for e in events if e.type == "tool.completed")
    assert done.data.success and "09:00" in done.data.result[0].text
    (call,) = stream.transcript.tool_calls
    assert call.name == "calendar_lookup" and not call.is_error


def test_async_tool_handler_and_raising_handler(emulator: EverrunsEmulator) -> None:
    """The async client awaits a coroutine handler; a handler that raises sends an error
    result and the turn still ends."""

    async def failing(arguments: dict[str, Any]) -> Any:
        raise LookupError("calendar offline")

    _, events = turn_async(
        emulator, "[scenario:client-tool] my day?", tools={"calendar_lookup": failing}
    )
    done = next(e for e in events if e.type == "tool.completed")
    assert not done.data.success and "calendar offline" in (done.data.error or "")
    assert events[-1].type == "turn.completed"


def test_action_required_without_handler(client: Everruns) -> None:
    """Without a handler the call is an ActionRequired; tool_results.submit answers it."""
    session = client.sessions.create()
    stream = client.sessions.turn(session.id, message="[scenario:client-tool] my day?")
    with stream:
        for event in stream:
            if event.type == "tool.call_requested":
                break
        (action,) = [a for a in stream._last if type(a) is common.ActionRequired]
        assert action.kind == "custom_tool_result" and action.tool_name == "calendar_lookup"
        client.tool_results.submit(session.id, [{"tool_call_id": action.call_id, "result": "free"}])
        rest = [event.type for event in stream]
    assert rest[-1] == "turn.completed"


def test_tool_results_retry_not_waiting(client: Everruns, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 409 "not waiting for tool results" is retried a bounded number of times."""
    monkeypatch.setattr("agentstream.providers.everruns._sync_resources.TOOL_RESULT_DELAY", 0.001)
    session = client.sessions.create()
    from agentstream import ConflictError

    with pytest.raises(ConflictError, match="not waiting for tool results"):
        client.tool_results.submit(session.id, [{"tool_call_id": "call_x", "result": 1}])


def test_approvals_and_questions(client: Everruns) -> None:
    """An approval request and a question are ActionRequired; their endpoints answer."""
    session = client.sessions.create()
    with client.sessions.turn(session.id, message="[scenario:approval] clean up") as stream:
        for event in stream:
            if event.type == "tool.call_requested":
                (action,) = [a for a in stream._last if type(a) is common.ActionRequired]
                assert action.kind == "approval"
                client.tool_approvals.submit(session.id, {action.request_id: "allow"})
    assert stream.completed
    with client.sessions.turn(session.id, message="[scenario:question] pick") as stream:
        for event in stream:
            if event.type == "tool.call_requested":
                (action,) = [a for a in stream._last if type(a) is common.ActionRequired]
                assert action.kind == "question" and action.prompt
                question = action.arguments["questions"][0]  # type: ignore[index]
                label = question["options"][0]["label"]
                client.question_answers.submit(
                    session.id, answers=[{"id": question["id"], "selected": [label]}]
                )
    assert stream.completed


def test_failed_turn(client: Everruns) -> None:
    """``turn.failed`` is a StreamError and the end of the turn; raise_on_error raises."""
    session = client.sessions.create()
    with client.sessions.turn(session.id, message="[scenario:failure] go") as stream:
        stream.until_done()
    assert stream.transcript.errors and stream.transcript.stop_reason == "error"
    with (
        pytest.raises(RunFailedError),
        client.sessions.turn(session.id, message="[scenario:failure] go", raise_on_error=True) as s,
    ):
        s.until_done()


def test_stream_text_and_poll(client: Everruns) -> None:
    """stream_text is the one-liner; messages.create then poll waits for idle."""
    session = client.sessions.create()
    text = "".join(client.sessions.stream_text(session.id, message="triage"))
    assert text.startswith("Here are")
    message = client.messages.create(session.id, content=[{"type": "text", "text": "again"}])
    assert message.role == "user" and message.content[0].text == "again"
    assert client.sessions.poll(session.id, timeout=10, interval=0.02).status == "idle"


def test_sessions_and_event_pages(client: Everruns) -> None:
    """create/get/list/cancel, events.list filters, events.iter paging, summary."""
    session = client.sessions.create(title="pages", tags=["a"])
    assert client.sessions.get(session.id).title == "pages"
    assert any(s.id == session.id for s in client.sessions.list(page_size=1))
    with client.sessions.turn(session.id, message="triage") as stream:
        stream.until_done()
    every = list(client.events.iter(session.id, page_size=7))
    assert [e.sequence for e in every] == list(range(1, len(every) + 1))
    deltas = client.events.list(session.id, types=["output.message.delta"])
    assert deltas and all(isinstance(e, everruns.OutputMessageDeltaEvent) for e in deltas)
    newest = client.events.list(session.id, limit=2, order_desc=True)
    assert [e.id for e in newest] == [every[-1].id, every[-2].id]
    summary = client.events.summary(session.id)
    assert summary.total == len(every) and summary.turn_count == 1
    from agentstream import ConflictError

    with pytest.raises(ConflictError):
        client.sessions.cancel(session.id)  # nothing is running


def test_events_stream_resumes_from_a_cursor(client: Everruns) -> None:
    """events.stream(since_id=...) goes on after that event; replay starts at the first."""
    session = client.sessions.create()
    with client.sessions.turn(session.id, message="triage") as turn:
        turn.until_done()
    every = list(client.events.iter(session.id))
    with client.events.stream(session.id, replay=True) as stream:
        first = [event.id for _, event in zip(range(3), stream, strict=False)]
    assert first == [e.id for e in every[:3]]
    with client.events.stream(session.id, since_id=first[-1], exclude=["reason.started"]) as stream:
        nxt = next(iter(stream))
    assert nxt.id == next(e.id for e in every[3:] if e.type != "reason.started")


def test_checks_before_any_request(emulator: EverrunsEmulator) -> None:
    """Unknown options and types, and management-only endpoints on the agent API, raise
    without a request being made."""
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500))

    async def main() -> None:
        async with httpx.AsyncClient(transport=transport) as http:
            client = AsyncEverruns(api_key=KEY, base_url=emulator.base_url, client=http)
            with pytest.raises(EventTypeError):
                client.events.stream("session_1", types=["nope"])
            with pytest.raises(TypeError, match="colour"):
                await client.sessions.create(colour="red")
            with pytest.raises(TypeError, match="since"):
                await client.events.list("session_1", since="x")
            with pytest.raises(TypeError):
                await client.messages.create("session_1")
            agent = AsyncEverruns.agent(agent_url=emulator.agent_url, credential=KEY, client=http)
            with pytest.raises(EverrunsConfigError):
                await agent.events.summary("session_1")
            with pytest.raises(EverrunsConfigError):
                agent.sessions.turn("session_1", message="x", tools={"t": lambda a: 1})

    asyncio.run(main())
    assert sent == []


def test_agent_api(emulator: EverrunsEmulator) -> None:
    """The agent execution API: Bearer credential, End-User scoping, the same turns."""
    alice = Everruns.agent(agent_url=emulator.agent_url, credential=KEY, end_user="alice")
    bob = Everruns.agent(agent_url=emulator.agent_url, credential=KEY, end_user="bob")
    session = alice.sessions.create(title="mine")
    with alice.sessions.turn(session.id, message="triage") as stream:
        stream.until_done()
    assert stream.text.startswith("Here are") and alice.is_agent
    assert [s.id for s in alice.sessions.list()] == [session.id]
    assert list(bob.sessions.list()) == []
    from agentstream import NotFoundError

    with pytest.raises(NotFoundError):
        bob.sessions.get(session.id)
    assert alice.events.list(session.id, after_sequence=0, limit=3)[0].type == "session.started"


def test_environment_and_headers(
    emulator: EverrunsEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EVERRUNS_API_KEY / _API_URL / _ORG_ID and EVERRUNS_AGENT_URL / _AGENT_KEY; the
    management token goes bare, as the official SDK sends it; a bad key is a typed error."""
    monkeypatch.setenv("EVERRUNS_API_KEY", KEY)
    monkeypatch.setenv("EVERRUNS_API_URL", emulator.base_url)
    monkeypatch.setenv("EVERRUNS_ORG_ID", "org_1")
    monkeypatch.setenv("EVERRUNS_AGENT_URL", emulator.agent_url)
    monkeypatch.setenv("EVERRUNS_AGENT_KEY", KEY)
    client = Everruns()
    assert client._http.headers["Authorization"] == KEY
    assert client._http.headers["X-Org-Id"] == "org_1"
    assert client.sessions.create().organization_id == "org_1"
    agent = Everruns.agent()
    assert agent._http.headers["Authorization"] == f"Bearer {KEY}"
    assert agent.sessions.create().status == "started"
    from agentstream import AuthenticationError

    with pytest.raises(AuthenticationError):
        Everruns(api_key="wrong").sessions.create()
    monkeypatch.delenv("EVERRUNS_API_KEY")
    with pytest.raises(EverrunsConfigError):
        Everruns()
