"""``extra_headers=`` / ``extra_query=`` / ``extra_body=`` on every JSON method of every
platform client: each call arrives at the server with all three, sync and async, over
real loopback (the emulators, with a recorder in front of their app; shipit's answers
replayed by a raw server). Unknown keywords stay a TypeError naming the valid ones, and
an extra header follows the client's secret rules on a redirect."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
import requests

import agentstream
from agentstream.providers.everruns import AsyncEverruns, Everruns
from agentstream.testing import EverrunsEmulator, M8tesEmulator, ManagedAgentsEmulator
from tests.sse_server import Reply, SSEServer

KEY = "test-key"
EXTRA_HEADERS = {"X-Trace": "t-1"}
EXTRA_QUERY = {"trace": "q-1"}


@attrs.frozen
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def carries(self, body_field: str | None) -> bool:
        """The request has the extra header and query (and `body_field` in its body)."""
        if self.headers.get("x-trace") != "t-1" or "trace=q-1" not in self.query.split("&"):
            return False
        return body_field is None or body_field in json.loads(self.body or b"{}")


class Recorder:
    """ASGI middleware: every request the emulator receives, body included."""

    def __init__(self, app: Any, log: list[Seen]) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        query = scope["query_string"].decode()
        self.log.append(Seen(scope["method"], scope["path"], query, headers, body))
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def recorded(emulator_class: Any) -> tuple[Any, list[Seen]]:
    log: list[Seen] = []
    emulator = emulator_class(api_key=KEY, speed=0)
    emulator.app.add_middleware(Recorder, log=log)
    return emulator, log


async def done(value: Any) -> Any:
    """The value of a call, sync or async (an iterator: its items)."""
    if inspect.isawaitable(value):
        value = await value
    if hasattr(value, "__aiter__"):
        return [item async for item in value]
    if inspect.isgenerator(value):
        return list(value)
    return value


class Checker:
    """Each call with the extras: every request it made carries them."""

    def __init__(self, log: list[Seen], body: dict[str, Any]) -> None:
        self.log = log
        self.extras = {
            "extra_headers": EXTRA_HEADERS,
            "extra_query": EXTRA_QUERY,
            "extra_body": body,
        }
        self.field = next(iter(body))
        self.checked: list[str] = []

    async def __call__(self, name: str, method: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        mark = len(self.log)
        try:
            result = await done(method(*args, **kw, **self.extras))
        except agentstream.APIStatusError as error:  # it arrived; the answer is beside the point
            result = error
        made = self.log[mark:]
        assert made, f"{name} made no request"
        first, *rest = made
        assert first.carries(self.field), f"{name}: {first}"
        assert all(seen.carries(None) for seen in rest), f"{name}: {rest}"
        self.checked.append(name)
        return result


def run(mode: str, scenario: Callable[..., Any], *args: Any) -> Any:
    return asyncio.run(scenario(*args))


async def m8tes_calls(client: Any, check: Checker) -> None:
    runs = client.runs
    waiting = []
    for message in ("[scenario:approval] a", "[scenario:question] b", "[scenario:approval] c"):
        run_ = await done(runs.create(message=message, stream=False))
        waiting.append(await done(runs.wait(run_.id, interval=0.02, timeout=10)))
    approval, question, to_cancel = waiting
    await check("runs.get", runs.get, approval.id)
    await check("runs.list", runs.list, limit=2, status="awaiting_approval")
    pending = await check("runs.permissions", runs.permissions, approval.id)
    await check("runs.approve", runs.approve, approval.id, request_id=pending[0].request_id)
    asked = (await done(runs.permissions(question.id)))[0]
    text = asked.tool_input["questions"][0]["question"]
    await check("runs.answer", runs.answer, question.id, answers={text: "SMB"})
    await check("runs.cancel", runs.cancel, to_cancel.id)
    await check("runs.create", runs.create, message="hi", stream=False)
    await check("runs.reply", runs.reply, approval.id, message="more", stream=False)


async def everruns_calls(client: Any, check: Checker) -> None:
    sessions = client.sessions
    session = await check("sessions.create", sessions.create, title="t")
    await check("sessions.get", sessions.get, session.id)
    await check("sessions.list", sessions.list)
    await check("messages.create", client.messages.create, session.id, text="hi")
    await done(sessions.poll(session.id, timeout=10, interval=0.02))
    await check("events.list", client.events.list, session.id, limit=5)
    await check("events.iter", client.events.iter, session.id)
    await check("events.last_id", client.events.last_id, session.id)
    await check("events.summary", client.events.summary, session.id)
    await check("sessions.cancel", sessions.cancel, session.id)
    decisions = {"call_1": "allow"}
    await check("tool_approvals.submit", client.tool_approvals.submit, session.id, decisions)
    await check(
        "question_answers.submit", client.question_answers.submit, session.id, status="declined"
    )
    results = [{"tool_call_id": "call_1", "result": "ok"}]
    await check("tool_results.submit", client.tool_results.submit, session.id, results)


async def managed_agents_calls(client: Any, check: Checker) -> None:
    sessions = client.sessions
    create = sessions.create
    session = await check("sessions.create", create, agent="agent_1", environment_id="env_1")
    assert session.title == "from extra_body"  # the extra wins over (or joins) the SDK's body
    await check("sessions.retrieve", sessions.retrieve, session.id)
    await check("sessions.update", sessions.update, session.id, metadata={"k": "v"})
    await check("sessions.list", sessions.list, limit=5)
    events = [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}]
    await check("events.send", sessions.events.send, session.id, events=events)
    await check("events.list", sessions.events.list, session.id, limit=5)
    threads = sessions.threads.events
    await check("threads.events.list", threads.list, "thread_1", session_id=session.id)
    await done(sessions.poll(session.id, timeout=10, interval=0.02))
    await check("sessions.archive", sessions.archive, session.id)
    await check("sessions.delete", sessions.delete, session.id)


PLATFORMS: dict[str, tuple[Any, Any, Any, Any, dict[str, Any]]] = {
    "m8tes": (
        M8tesEmulator,
        agentstream.M8tes,
        agentstream.AsyncM8tes,
        m8tes_calls,
        {"metadata_note": "x"},
    ),
    "everruns": (EverrunsEmulator, Everruns, AsyncEverruns, everruns_calls, {"extra_note": 1}),
    "managed-agents": (
        ManagedAgentsEmulator,
        agentstream.ManagedAgents,
        agentstream.AsyncManagedAgents,
        managed_agents_calls,
        {"title": "from extra_body"},
    ),
}
EXPECTED = {
    "m8tes": 8,
    "everruns": 12,
    "managed-agents": 9,
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_json_method_sends_the_extras(
    platform: str, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for twin in ("_sync_resources", "_async_resources"):  # one try at a tool result is enough
        monkeypatch.setattr(f"agentstream.providers.everruns.{twin}.TOOL_RESULT_RETRIES", 0)
    emulator_class, sync_class, async_class, calls, body = PLATFORMS[platform]
    emulator, log = recorded(emulator_class)
    with emulator:
        client_class = sync_class if mode == "sync" else async_class
        client = client_class(api_key=KEY, base_url=emulator.base_url)
        check = Checker(log, body)

        async def scenario() -> None:
            try:
                await calls(client, check)
            finally:
                closing = client.close() if mode == "sync" else client.aclose()
                await done(closing)

        asyncio.run(scenario())
    assert len(check.checked) == EXPECTED[platform], check.checked


@pytest.fixture(scope="module")
def shipit_answers() -> Iterator[dict[str, bytes]]:
    """What a real shipit AgentServer answers to /health and an unstreamed completion."""
    from agentstream.testing import say
    from agentstream.testing.shipit import ScriptedLLM, ShipitServer

    with ShipitServer(llm=ScriptedLLM([say("Hello.")])) as server:
        health = requests.get(server.base_url + "/health", timeout=10).content
        body = {"messages": [{"role": "user", "content": "hi"}]}
        chat = requests.post(server.base_url + "/v1/chat/completions", json=body, timeout=30)
        yield {"/health": health, "/v1/chat/completions": chat.content}


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_every_shipit_json_method_sends_the_extras(
    mode: str, shipit_answers: dict[str, bytes]
) -> None:
    with SSEServer() as server:
        for path, answer in shipit_answers.items():
            server.script(path, Reply(headers={"Content-Type": "application/json"}, body=answer))
        client_class = agentstream.Shipit if mode == "sync" else agentstream.AsyncShipit
        client = client_class(base_url=server.base_url)
        extras: dict[str, Any] = {
            "extra_headers": EXTRA_HEADERS,
            "extra_query": EXTRA_QUERY,
            "extra_body": {"temperature": 0},
        }
        messages = [{"role": "user", "content": "hi"}]

        async def scenario() -> None:
            assert (await done(client.health(**extras))).status
            await done(client.chat.completions.create(messages=messages, **extras))
            assert await done(client.run(prompt="hi", **extras)) == "Hello."
            await done(client.close() if mode == "sync" else client.aclose())

        asyncio.run(scenario())
        made = server.requests()
    assert [r.path for r in made] == ["/health", "/v1/chat/completions", "/v1/chat/completions"]
    for request in made:
        assert request.headers["X-Trace"] == "t-1" and request.query == "trace=q-1"
        assert json.loads(request.body)["temperature"] == 0


def test_an_unknown_keyword_names_the_valid_ones() -> None:
    client = agentstream.M8tes(api_key=KEY, base_url="http://127.0.0.1:9/api/v2")
    with pytest.raises(TypeError, match=r"runs\.get\(\) got unexpected .*: extra_header;") as e:
        client.runs.get(1, extra_header={"X": "1"})  # type: ignore[call-arg]
    assert "valid: extra_body, extra_headers, extra_query" in str(e.value)
    with pytest.raises(TypeError, match=r"runs\.list\(\) got unexpected .*: stauts;") as e:
        next(iter(client.runs.list(stauts="completed")))
    assert "status" in str(e.value) and "extra_query" in str(e.value)
    everruns = Everruns(api_key=KEY, base_url="http://127.0.0.1:9/api")
    with pytest.raises(TypeError, match=r"no option\(s\): titel; valid: .*extra_body.*title"):
        everruns.sessions.create(titel="x")
    with pytest.raises(TypeError, match=r"for events\.list: lmit; valid: .*extra_query.*limit"):
        everruns.events.list("s", lmit=3)
    managed = agentstream.ManagedAgents(api_key=KEY, base_url="http://127.0.0.1:9")
    with pytest.raises(TypeError, match=r"create\(\) got unexpected .*: titel; valid: .*title"):
        managed.sessions.create(agent="a", environment_id="e", titel="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"unexpected keyword .*: lmit; valid: .*extra_body"):
        managed.sessions.list(lmit=3)  # type: ignore[call-arg]
    shipit = agentstream.Shipit(base_url="http://127.0.0.1:9")
    with pytest.raises(TypeError, match=r"health\(\) got unexpected .*: extra_json"):
        shipit.health(extra_json={})  # type: ignore[call-arg]


def test_an_extra_header_marked_secret_does_not_follow_a_redirect_elsewhere() -> None:
    """extra_headers go through the client's secret rules as its own headers do."""
    with SSEServer() as home, SSEServer() as elsewhere:
        health = b'{"status": "ok", "model": "m", "stream_generation": "g"}'
        elsewhere.script(
            "/health", Reply(headers={"Content-Type": "application/json"}, body=health)
        )
        target = elsewhere.url("/health")
        home.script("/health", Reply(status=307, headers={"Location": target}, body=b""))
        for secret in ([], ["X-Tenant"]):
            client = agentstream.Shipit(base_url=home.base_url, secret_headers=secret)
            client.health(extra_headers={"X-Tenant": "acme", "Authorization": "Bearer k"})
            client.close()
        plain, marked = elsewhere.requests("/health")
    assert plain.headers.get("X-Tenant") == "acme"
    assert marked.headers.get("X-Tenant") is None
    assert plain.headers.get("Authorization") is None  # a default secret, always
