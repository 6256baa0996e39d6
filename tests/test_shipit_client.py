"""Shipit / AsyncShipit against the real shipit-agent AgentServer (and, for resume, the
ResumingShipitServer built on shipit's streaming helpers), over loopback: one test body,
sync and async."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

pytest.importorskip("shipit_agent")

from agentstream import EventSource
from agentstream._accumulate import Transcript
from agentstream._exceptions import (
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    RunFailedError,
    StreamInterruptedError,
)
from agentstream.providers.shipit import (
    AsyncShipit,
    Shipit,
    ShipitResumePolicy,
    ShipitServerError,
    decode_event,
)
from agentstream.testing import FAULTS_HEADER, Faults, Scenario, fail, say, sleep, think, tool
from agentstream.testing import usage as usage_step
from agentstream.testing.shipit import ResumingShipitServer, ScriptedLLM, ShipitServer
from agentstream.types import shipit

LOOKUP = [
    think("Look the order up."),
    say("Let me look. "),
    tool("orders_lookup", {"order": "A-17"}, result={"status": "refunded"}),
    tool("crm_note", {"text": "asked"}, error="token expired"),
    say("Refunded on Monday."),
    usage_step(input_tokens=900, output_tokens=40),
]
FAILING = [say("Checking. "), fail("mailbox token expired")]
USER = [{"role": "user", "content": "Where is my refund?"}]


@attrs.define
class Streamed:
    events: list[Any]
    text: str
    transcript: Transcript
    stream: Any
    error: BaseException | None = None


class Driver:
    """The client's calls with sync signatures; async mode runs them on a private loop."""

    def __init__(self, mode: str, base_url: str, **options: Any) -> None:
        options = {"base_url": base_url, "reconnect_delay": 0.01, **options}
        self.loop = asyncio.new_event_loop() if mode == "async" else None
        self.client: Any = Shipit(**options) if self.loop is None else self.run(_make(options))

    def run(self, awaitable: Any) -> Any:
        assert self.loop is not None
        return self.loop.run_until_complete(awaitable)

    def call(self, get: Callable[[Any], Any]) -> Any:
        result = get(self.client)
        return self.run(result) if self.loop is not None else result

    def consume(
        self, get: Callable[[Any], Any], on_event: Callable[[Any], None] | None = None
    ) -> Streamed:
        """Open the stream `get(client)` returns and read it whole (or to its error)."""
        if self.loop is None:
            return _consume_sync(get(self.client), on_event)
        return self.run(_consume_async(get(self.client), on_event))  # type: ignore[no-any-return]

    def stream_text(self, prompt: str) -> list[str]:
        if self.loop is None:
            return list(self.client.stream_text(prompt=prompt))

        async def chunks() -> list[str]:
            return [chunk async for chunk in self.client.stream_text(prompt=prompt)]

        return self.run(chunks())  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.loop is None:
            self.client.close()
        else:
            self.run(self.client.aclose())
            self.loop.close()


async def _make(options: dict[str, Any]) -> AsyncShipit:
    return AsyncShipit(**options)


def _consume_sync(manager: Any, on_event: Callable[[Any], None] | None) -> Streamed:
    events: list[Any] = []
    error = None
    with manager as stream:
        try:
            for event in stream:
                events.append(event)
                if on_event is not None:
                    on_event(event)
        except Exception as exc:
            error = exc
    return Streamed(events, stream.text, stream.transcript, stream, error)


async def _consume_async(manager: Any, on_event: Callable[[Any], None] | None) -> Streamed:
    events: list[Any] = []
    error = None
    async with manager as stream:
        try:
            async for event in stream:
                events.append(event)
                if on_event is not None:
                    on_event(event)
        except Exception as exc:
            error = exc
    return Streamed(events, stream.text, stream.transcript, stream, error)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def lookup_server() -> Iterator[ShipitServer]:
    with ShipitServer(llm=ScriptedLLM(LOOKUP), api_key="sk-test") as server:
        yield server


@pytest.fixture
def driver(mode: str, lookup_server: ShipitServer) -> Iterator[Driver]:
    driver = Driver(mode, lookup_server.base_url, api_key="sk-test")
    yield driver
    driver.close()


def test_health_reports_the_model_and_generation(driver: Driver) -> None:
    health = driver.call(lambda c: c.health())
    assert isinstance(health, shipit.Health)
    assert health.status == "ok" and health.model == "shipit" and health.stream_generation


def test_a_streamed_run_is_typed_and_complete(driver: Driver) -> None:
    got = driver.consume(lambda c: c.stream(prompt="Where is my refund?"))
    assert got.error is None
    types = [type(e) for e in got.events]
    assert types[0] is shipit.RunStartedEvent and types[-1] is shipit.DoneEvent
    assert shipit.StreamHelloEvent not in types  # control: read, not yielded
    assert shipit.ToolCalledEvent in types and shipit.ToolFailedEvent in types
    assert not any(type(e).__name__ == "UnknownEvent" for e in got.events)
    assert got.text == "Let me look. Refunded on Monday."
    assert got.stream.final_output == "Refunded on Monday."
    health = driver.call(lambda c: c.health())
    assert got.stream.generation == health.stream_generation
    assert got.stream.last_sequence == len(got.events) - 1  # every frame but done
    canonical = got.stream.canonical_events
    assert canonical[0].type == "run_started"
    assert all(e.raw["durability"] == "canonical" for e in canonical)


def test_the_normalized_view(driver: Driver) -> None:
    t = driver.consume(lambda c: c.stream(prompt="go")).transcript
    assert t.reasoning == "Look the order up."
    calls = {call.name: call for call in t.tool_calls}
    assert calls["orders_lookup"].status == "completed"
    assert calls["orders_lookup"].input == {"order": "A-17"}
    assert calls["crm_note"].is_error and calls["crm_note"].result == "token expired"
    assert t.usage is not None and (t.usage.input_tokens, t.usage.output_tokens) == (900, 40)
    assert t.done and t.stop_reason == "end_turn" and not t.errors


def test_on_handlers_and_stream_text(driver: Driver, mode: str) -> None:
    seen: dict[str, list[Any]] = {"text": [], "tool_call": [], "tool_result": []}

    def on(stream: Any) -> Any:
        return stream.on(
            text=seen["text"].append,
            tool_call=seen["tool_call"].append,
            tool_result=seen["tool_result"].append,
        )

    if mode == "sync":
        with driver.client.stream(prompt="go") as stream:
            on(stream)
    else:

        async def run() -> None:
            async with driver.client.stream(prompt="go") as stream:
                await on(stream)

        driver.run(run())
    assert "".join(seen["text"]) == "Let me look. Refunded on Monday."
    assert [c.name for c in seen["tool_call"]] == ["orders_lookup", "crm_note"]
    assert [c.status for c in seen["tool_result"]] == ["completed", "failed"]
    assert "".join(driver.stream_text("go")) == "Let me look. Refunded on Monday."


def test_run_returns_the_final_output(driver: Driver) -> None:
    assert driver.call(lambda c: c.run(prompt="go")) == "Refunded on Monday."


def test_chat_completions_not_streamed(driver: Driver) -> None:
    completion = driver.call(lambda c: c.chat.completions.create(messages=USER))
    assert isinstance(completion, shipit.ChatCompletion)
    assert completion.choices[0].message.content == "Refunded on Monday."


def test_chat_completions_streamed_with_the_side_band_typed(driver: Driver) -> None:
    got = driver.consume(lambda c: c.chat.completions.create(messages=USER, stream=True))
    assert got.error is None
    kinds = [type(e) for e in got.events]
    assert kinds[0] is shipit.ChatCompletionChunk and kinds[-1] is shipit.DoneEvent
    assert shipit.ToolCalledEvent in kinds and shipit.ToolFailedEvent in kinds
    assert shipit.UsageTickEvent in kinds
    called = next(e for e in got.events if isinstance(e, shipit.ToolCalledEvent))
    assert called.payload.tool == "orders_lookup" and called.payload.arguments == {"order": "A-17"}
    assert got.text == "Let me look. Refunded on Monday."
    assert [c.name for c in got.transcript.tool_calls] == ["orders_lookup", "crm_note"]
    assert got.transcript.usage is not None and got.transcript.usage.input_tokens == 900
    assert got.transcript.stop_reason == "stop"


def test_errors_are_typed(driver: Driver, lookup_server: ShipitServer, mode: str) -> None:
    anonymous = Driver(mode, lookup_server.base_url)
    try:
        with pytest.raises(AuthenticationError, match="invalid api key"):
            anonymous.call(lambda c: c.run(prompt="go"))
        got = anonymous.consume(lambda c: c.stream(prompt="go"))
        assert isinstance(got.error, AuthenticationError)
        assert anonymous.call(lambda c: c.health()).status == "ok"  # no key needed
    finally:
        anonymous.close()
    with pytest.raises(BadRequestError, match="no user message"):
        driver.call(lambda c: c.chat.completions.create(messages=[{"role": "system"}]))
    with pytest.raises(ValueError):
        driver.call(lambda c: c.stream(prompt=""))
    with pytest.raises(TypeError):
        driver.call(lambda c: c.stream(prompt="go", temperature=0))


def test_a_failed_run(mode: str) -> None:
    with ShipitServer(llm=ScriptedLLM(FAILING)) as server:
        driver = Driver(mode, server.base_url)
        try:
            got = driver.consume(lambda c: c.stream(prompt="go"))
            assert got.error is None and type(got.events[-2]) is shipit.RunFailedEvent
            assert [e.message for e in got.transcript.errors] == ["mailbox token expired"]
            strict = driver.consume(lambda c: c.stream(prompt="go", raise_on_error=True))
            assert isinstance(strict.error, RunFailedError)
            with pytest.raises(InternalServerError, match="mailbox token expired"):
                driver.call(lambda c: c.run(prompt="go"))
        finally:
            driver.close()


def test_the_echo_llm(mode: str, shipit_server: ShipitServer) -> None:
    driver = Driver(mode, shipit_server.base_url)
    try:
        assert "".join(driver.stream_text("hello there")) == "hello there"
    finally:
        driver.close()


def test_a_drop_is_an_interruption_carrying_the_record(mode: str) -> None:
    """AgentServer does not re-join: a cut stream is never re-sent (it would run again);
    the canonical events delivered and the generation travel on the error."""
    script = [say("Let me look. "), tool("lookup", {"id": 7}, result="ok"), sleep(5), say("x")]
    with ShipitServer(llm=ScriptedLLM(script)) as server:
        driver = Driver(mode, server.base_url)

        def cut_after_the_tool(event: Any) -> None:
            if isinstance(event, shipit.ToolCompletedEvent):
                assert server._httpd is not None
                threading.Timer(0.1, server._httpd.cut_connections).start()

        try:
            got = driver.consume(lambda c: c.stream(prompt="go"), cut_after_the_tool)
        finally:
            driver.close()
    error = got.error
    assert isinstance(error, StreamInterruptedError)
    kinds = [e.type for e in error.context["events"]]
    assert kinds[0] == "run_started" and "tool_completed" in kinds
    assert "text_delta" not in kinds  # provisional: not part of the record
    assert error.context["generation"] == got.stream.generation is not None
    assert got.text == "Let me look. "  # what was delivered stays on the stream


# -- a server that resumes ---------------------------------------------------------

RESUMABLE = Scenario(
    "resumable",
    [say("Looking. "), tool("lookup", {"id": 7}, result={"ok": True}), say("Found it.")],
)


@pytest.fixture
def resuming() -> Iterator[ResumingShipitServer]:
    with ResumingShipitServer(scenarios=[RESUMABLE], default_scenario="resumable") as server:
        yield server


def test_a_resuming_server_is_resumed_from_our_own_mark(
    mode: str, resuming: ResumingShipitServer
) -> None:
    resuming.faults = Faults(drop_after_events=4, times=1)  # hello + 3 frames
    driver = Driver(mode, resuming.base_url)
    try:
        got = driver.consume(lambda c: c.stream(prompt="go", resume=True))
    finally:
        driver.close()
    assert got.error is None
    assert resuming.last_event_ids == [None, "3"]
    sequences = [e.raw["sequence"] for e in got.events[:-1]]
    assert sequences == sorted(set(sequences)) and sequences[:3] == [1, 2, 3]
    after = got.events[3:-1]
    assert all(e.raw["durability"] == "canonical" for e in after)
    assert got.stream.final_output == "Found it."


def test_a_new_generation_rereads_the_record(mode: str, resuming: ResumingShipitServer) -> None:
    driver = Driver(mode, resuming.base_url)
    try:
        first = driver.consume(lambda c: c.stream(prompt="go", resume=True))
        resuming.new_generation()
        got = driver.consume(
            lambda c: c.subscribe(
                "/v1/stream",
                last_sequence=first.stream.last_sequence,
                generation=first.stream.generation,
            )
        )
    finally:
        driver.close()
    assert got.error is None and got.stream.generation == resuming.generation
    assert resuming.last_event_ids[-2:] == [str(first.stream.last_sequence), "0"]
    canonical = [e.type for e in first.stream.canonical_events]
    assert [e.type for e in got.events[:-1]] == canonical


def test_the_plain_packet_format_is_typed_the_same_way(
    mode: str, resuming: ResumingShipitServer
) -> None:
    resuming.play("go")
    driver = Driver(mode, resuming.base_url)
    try:
        got = driver.consume(lambda c: c.subscribe("/v1/packets"))
    finally:
        driver.close()
    assert got.error is None
    assert type(got.events[0]) is shipit.RunStartedEvent
    assert type(got.events[-1]) is shipit.AgentResultEvent
    assert got.text == "Looking. Found it." and got.stream.final_output == "Found it."


def test_event_source_users_get_the_policy_and_typed_events(
    resuming: ResumingShipitServer,
) -> None:
    resuming.play("go")
    policy = ShipitResumePolicy()
    url = resuming.base_url + "/v1/stream"
    headers = {FAULTS_HEADER: "drop_after_events=3"}
    with EventSource(url, policy=policy, headers=headers, retry=0.01) as source:
        events = [decode_event(sse) for sse in source]
    # Every request carries the fault header, so each connection is cut after 3 frames
    # (hello + 2): resumes advance two canonical events at a time until done.
    assert type(events[-1]) is shipit.DoneEvent
    assert resuming.last_event_ids[0] is None and "2" in resuming.last_event_ids
    sequences = [e.raw["sequence"] for e in events[:-1]]
    assert sequences == sorted(set(sequences))


def test_an_error_frame_raises(mode: str) -> None:
    """AgentServer writes ``event: error`` when the agent's stream itself raises."""

    class Exploding:
        def stream(self, prompt: str) -> Iterator[Any]:
            raise RuntimeError("agent exploded")
            yield  # pragma: no cover

    with ShipitServer(llm=ScriptedLLM([say("hi")])) as server:
        server.agent_server.agent = Exploding()
        driver = Driver(mode, server.base_url)
        try:
            got = driver.consume(lambda c: c.stream(prompt="go"))
        finally:
            driver.close()
    assert isinstance(got.error, ShipitServerError) and got.error.message == "agent exploded"
    assert [e.message for e in got.transcript.errors] == ["agent exploded"]


def test_unknown_event_types_arrive_as_unknown_events(mode: str) -> None:
    from agentstream.testing import _shipit_compat as compat

    novel = compat.AgentEvent(type="brand_new_kind", message="hi", payload={"x": 1})
    done = compat.AgentEvent(type="run_completed", message="", payload={"output": "ok"})

    class Novel:
        def stream(self, prompt: str) -> Iterator[Any]:
            yield novel
            yield done

    with ShipitServer(llm=ScriptedLLM([say("hi")])) as server:
        server.agent_server.agent = Novel()
        driver = Driver(mode, server.base_url)
        try:
            got = driver.consume(lambda c: c.stream(prompt="go"))
        finally:
            driver.close()
    assert got.error is None
    assert type(got.events[0]).__name__ == "UnknownEvent" and got.events[0].type == "brand_new_kind"
    assert got.stream.final_output == "ok"


def test_importing_a_client_loads_neither_the_types_nor_the_other_twin() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from agentstream.providers.shipit import Shipit\n"
        "bad = [m for m in ('httpx', 'agentstream.types.shipit', 'cattrs') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
