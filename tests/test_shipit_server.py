"""The real shipit-agent AgentServer, run by ShipitServer, over HTTP on 127.0.0.1.

There is no shipit client yet, so these tests read the wire itself (httpx and
agentstream's SSEDecoder): what AgentServer serves, how shipit frames a transcript, and
which events its runtime emits when ScriptedLLM plays a scenario through it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from typing import Any

import httpx
import pytest

pytest.importorskip("shipit_agent")

from shipit_agent.models import AgentEvent  # type: ignore[import-untyped]
from shipit_agent.packets import sse_event_packet  # type: ignore[import-untyped]
from shipit_agent.streaming import classify  # type: ignore[import-untyped]

from agentstream import ServerSentEvent, SSEDecoder
from agentstream.testing import Scenario, fail, say, sleep, think, tool, usage
from agentstream.testing.scenarios import Step
from agentstream.testing.shipit import ScriptedLLM, ShipitServer
from agentstream.types.shipit import EVENT_TYPES

TIMEOUT = httpx.Timeout(10.0)

LOOKUP = Scenario(
    "lookup",
    [
        think("The user wants order A-17; look it up."),
        say("Let me look. "),
        tool("orders_lookup", {"order": "A-17"}, result={"status": "refunded"}),
        tool("crm_note", {"text": "asked about A-17"}, error="token expired"),
        tool("bash", {"command": "grep -r A-17 ledger/"}, result="ledger/2026.csv: A-17"),
        say("Your refund for A-17 went out on Monday."),
        usage(input_tokens=900, output_tokens=40),
    ],
)
FAILING = Scenario("failing", [say("Checking the mailbox. "), fail("mailbox token expired")])

#: Event types the census below found with no generated class in types/shipit.py.
#: Empty: every type these runs put on the wire has one (``done`` is the end frame).
UNTYPED_ON_THE_WIRE: set[str] = set()


def read_sse(response: httpx.Response) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events = [e for chunk in response.iter_bytes() for e in decoder.feed(chunk)]
    return [e for e in [*events, *decoder.feed_eof()] if isinstance(e, ServerSentEvent)]


def transcript(
    server: ShipitServer, prompt: str, path: str = "/v1/stream"
) -> list[ServerSentEvent]:
    body = {"prompt": prompt}
    with httpx.stream(
        "POST", server.base_url + path, json=body, headers=server.headers(), timeout=TIMEOUT
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream"
        return read_sse(response)


def bodies(frames: list[ServerSentEvent]) -> list[dict[str, Any]]:
    """The JSON bodies of the event frames (not hello, not done)."""
    return [f.json() for f in frames[1:-1]]


def of_type(frames: list[ServerSentEvent], kind: str) -> list[dict[str, Any]]:
    return [body for body in bodies(frames) if body["type"] == kind]


class TestEchoServer:
    """ShipitServer() with no arguments: shipit's SimpleEchoLLM behind AgentServer."""

    def test_health_names_the_model_and_the_stream_generation(self, shipit_server):
        health = httpx.get(shipit_server.base_url + "/health", timeout=TIMEOUT).json()
        hello = transcript(shipit_server, "hi")[0].json()
        assert health == {
            "status": "ok",
            "model": "shipit",
            "stream_generation": hello["generation"],
        }

    def test_models_lists_the_model_name(self):
        with ShipitServer(model_name="echo-1") as server:
            models = httpx.get(server.base_url + "/v1/models", timeout=TIMEOUT).json()
        assert models["data"] == [{"id": "echo-1", "object": "model", "owned_by": "shipit-agent"}]

    def test_the_transcript_is_hello_then_one_frame_per_event_then_done(self, shipit_server):
        frames = transcript(shipit_server, "hello there")
        hello, done = frames[0], frames[-1]
        assert (hello.event, hello.id) == ("stream_hello", "0")
        assert hello.json()["durability"] == "control"
        assert hello.json()["sequence"] == 0
        assert hello.json()["payload"]["discard_provisional"] is True
        generation = hello.json()["payload"]["generation"]
        for number, frame in enumerate(frames[1:-1], start=1):
            body = frame.json()
            assert set(body) == {
                "type",
                "durability",
                "generation",
                "sequence",
                "message",
                "payload",
                "timestamp",
            }
            assert frame.id == str(number) == str(body["sequence"])
            assert frame.event == body["type"]
            assert body["durability"] == classify(body["type"]).value
            assert body["generation"] == generation
        assert (done.event, done.data) == ("done", "[DONE]")
        types = [frame.event for frame in frames[1:-1]]
        assert types == [
            "run_started",
            "step_started",
            "usage_tick",
            "final_answer",
            "run_summary",
            "run_completed",
        ]

    def test_the_echo_llm_answers_the_message(self, shipit_server):
        frames = transcript(shipit_server, "echo me")
        assert of_type(frames, "final_answer")[0]["payload"]["content"] == "echo me"
        assert of_type(frames, "run_completed")[0]["payload"]["output"] == "echo me"
        assert of_type(frames, "run_started")[0]["payload"]["prompt"] == "echo me"

    def test_stream_alias_and_input_key(self, shipit_server):
        assert transcript(shipit_server, "x", path="/stream")[-1].data == "[DONE]"
        response = httpx.post(
            shipit_server.base_url + "/v1/stream", json={"input": "via input"}, timeout=TIMEOUT
        )
        assert "via input" in response.text

    def test_bad_requests_get_json_errors(self, shipit_server):
        url = shipit_server.base_url
        missing = httpx.post(url + "/v1/stream", json={}, timeout=TIMEOUT)
        assert (missing.status_code, missing.json()) == (
            400,
            {"error": {"message": "`prompt` is required"}},
        )
        nowhere = httpx.get(url + "/v2/nothing", timeout=TIMEOUT)
        assert nowhere.status_code == 404
        no_messages = httpx.post(url + "/v1/chat/completions", json={}, timeout=TIMEOUT)
        assert no_messages.status_code == 400

    def test_an_api_key_guards_everything_but_health(self):
        with ShipitServer(api_key="sk-test") as server:
            assert server.api_key == "sk-test"
            url = server.base_url
            assert httpx.get(url + "/health", timeout=TIMEOUT).status_code == 200
            refused = httpx.post(url + "/v1/stream", json={"prompt": "x"}, timeout=TIMEOUT)
            assert (refused.status_code, refused.json()["error"]["message"]) == (
                401,
                "invalid api key",
            )
            assert httpx.get(url + "/v1/models", timeout=TIMEOUT).status_code == 401
            assert transcript(server, "with key")[-1].data == "[DONE]"
            server.api_key = None
            assert httpx.get(url + "/v1/models", timeout=TIMEOUT).status_code == 200


class TestChatCompletions:
    """The OpenAI-compatible endpoint, with its ``shipit`` side-band when streamed."""

    def test_not_streamed_is_one_chat_completion(self, shipit_server):
        body = {"model": "x", "messages": [{"role": "user", "content": "hi there"}]}
        reply = httpx.post(
            shipit_server.openai_base_url + "/chat/completions", json=body, timeout=TIMEOUT
        ).json()
        assert reply["object"] == "chat.completion"
        assert reply["model"] == "shipit"
        assert reply["choices"] == [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "hi there"},
                "finish_reason": "stop",
            }
        ]
        assert reply["usage"] == {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}

    def test_streamed_echo_sends_the_answer_whole(self, shipit_server):
        chunks = _chat_stream(shipit_server, "hi there")
        assert chunks[-1] == "[DONE]"
        parsed = [json.loads(c) for c in chunks[:-1]]
        assert parsed[0]["choices"][0]["delta"] == {"role": "assistant"}
        prose = [p["choices"][0]["delta"].get("content") for p in parsed if "shipit" not in p]
        assert prose == [None, "hi there", None]  # role, the whole answer, finish
        assert [p["shipit"]["type"] for p in parsed if "shipit" in p] == ["usage_tick"]
        assert parsed[-1]["choices"][0]["finish_reason"] == "stop"
        assert {p["object"] for p in parsed} == {"chat.completion.chunk"}

    def test_streamed_side_band_carries_tool_and_usage_events(self):
        with ShipitServer(llm=ScriptedLLM(LOOKUP)) as server:
            parsed = [json.loads(c) for c in _chat_stream(server, "where is A-17")[:-1]]
        text = "".join(p["choices"][0]["delta"].get("content", "") for p in parsed)
        assert text == "Let me look. Your refund for A-17 went out on Monday."
        side = [p["shipit"] for p in parsed if "shipit" in p]
        assert all(p["choices"][0]["delta"] == {} for p in parsed if "shipit" in p)
        assert [s["type"] for s in side] == [
            "usage_tick",
            "tool_called",
            "tool_completed",
            "tool_called",
            "tool_failed",
            "tool_called",
            "tool_completed",
            "usage_tick",
        ]
        # The side-band is the event's payload flattened next to its type.
        assert side[1]["tool"] == "orders_lookup"
        assert side[1]["arguments"] == {"order": "A-17"}
        assert side[1]["call_id"] == side[1]["tool_call_id"]
        assert side[-1]["usage"]["prompt_tokens"] == 900

    def test_a_failed_run_is_a_500_unstreamed_and_invisible_streamed(self):
        with ShipitServer(llm=ScriptedLLM(FAILING)) as server:
            body = {"messages": [{"role": "user", "content": "go"}]}
            url = server.base_url + "/v1/chat/completions"
            failed = httpx.post(url, json=body, timeout=TIMEOUT)
            streamed = [json.loads(c) for c in _chat_stream(server, "go")[:-1]]
        assert (failed.status_code, failed.json()) == (
            500,
            {"error": {"message": "mailbox token expired"}},
        )
        # run_failed is not in AgentServer's side-band allow-list: the stream just stops.
        assert not any("shipit" in p and p["shipit"]["type"] == "run_failed" for p in streamed)
        assert streamed[-1]["choices"][0]["finish_reason"] == "stop"


def _chat_stream(server: ShipitServer, message: str) -> list[str]:
    body = {"stream": True, "messages": [{"role": "user", "content": message}]}
    url = server.base_url + "/v1/chat/completions"
    with httpx.stream("POST", url, json=body, timeout=TIMEOUT) as response:
        frames = read_sse(response)
    assert {f.event for f in frames} == {"message"}  # data-only frames
    return [f.data for f in frames]


class TestScriptedLLM:
    """A scenario played through the real runtime."""

    def test_text_reasoning_tools_and_usage_flow(self):
        with ShipitServer(llm=ScriptedLLM(LOOKUP)) as server:
            frames = transcript(server, "where is A-17")
        text = "".join(b["payload"]["chunk"] for b in of_type(frames, "text_delta"))
        assert text == "Let me look. Your refund for A-17 went out on Monday."
        reasoning = of_type(frames, "reasoning_completed")[0]["payload"]
        assert reasoning["content"] == "The user wants order A-17; look it up."
        called = [b["payload"] for b in of_type(frames, "tool_called")]
        assert [(c["tool"], c["arguments"]) for c in called] == [
            ("orders_lookup", {"order": "A-17"}),
            ("crm_note", {"text": "asked about A-17"}),
            ("bash", {"command": "grep -r A-17 ledger/"}),
        ]
        completed = [b["payload"] for b in of_type(frames, "tool_completed")]
        assert [(c["tool"], c["output"], c["error"]) for c in completed] == [
            ("orders_lookup", '{"status": "refunded"}', ""),
            ("bash", "ledger/2026.csv: A-17", ""),
        ]
        assert completed[0]["call_id"] == called[0]["call_id"]
        failed = of_type(frames, "tool_failed")[0]["payload"]
        assert (failed["tool"], failed["error"]) == ("crm_note", "token expired")
        # bash is one of the tools whose input shipit streams (its `command`).
        deltas = of_type(frames, "tool_input_delta")
        assert "".join(b["payload"]["delta"] for b in deltas) == "grep -r A-17 ledger/"
        usage_totals = of_type(frames, "usage_tick")[-1]["payload"]["usage"]
        assert (usage_totals["prompt_tokens"], usage_totals["completion_tokens"]) == (900, 40)
        done = of_type(frames, "run_completed")[0]["payload"]
        assert done["output"] == "Your refund for A-17 went out on Monday."

    def test_a_failure_ends_the_run_with_run_failed(self):
        script: list[Step] = [
            say("Checking. "),
            fail("mailbox token expired", code="token_expired"),
        ]
        with ShipitServer(llm=ScriptedLLM(script)) as server:
            frames = transcript(server, "go")
        assert [f.event for f in frames[-3:]] == ["text_delta", "run_failed", "done"]
        failed = frames[-2].json()
        assert failed["payload"] == {
            "error_type": "token_expired",
            "error": "mailbox token expired",
            "retryable": False,
        }
        # shipit classifies run_failed as provisional: a resume would not replay it.
        assert failed["durability"] == "provisional"
        assert not of_type(frames, "run_completed")

    def test_the_prompt_picks_a_scenario_when_there_is_no_script(self):
        llm = ScriptedLLM(scenarios=[LOOKUP, FAILING], default_scenario="lookup")
        with ShipitServer(llm=llm) as server:
            failing = transcript(server, "please [scenario:failing]")
            default = transcript(server, "anything")
            builtin = transcript(server, "triage my inbox [scenario:demo]")
        assert of_type(failing, "run_failed")
        assert of_type(default, "run_completed")[0]["payload"]["output"].startswith("Your refund")
        assert [b["payload"]["tool"] for b in of_type(builtin, "tool_called")] == [
            "gmail_search",
            "zendesk_get_ticket",
        ]

    def test_every_run_replays_the_script(self, shipit_server):
        with ShipitServer(llm=ScriptedLLM(LOOKUP)) as server:
            first, second = transcript(server, "one"), transcript(server, "two")
        assert [f.event for f in first] == [f.event for f in second]


def test_the_plain_packet_format_is_event_and_sorted_json_without_id():
    """AgentServer does not serve ``packets.sse_event_packet``; this is what it writes."""
    event = AgentEvent(type="text_delta", message="", payload={"chunk": "Hi", "sequence": 3})
    packet = sse_event_packet(event)
    frames = [f for f in SSEDecoder().feed(packet.encode()) if isinstance(f, ServerSentEvent)]
    assert packet.startswith("event: text_delta\ndata: {")
    assert frames == [ServerSentEvent(event="text_delta", data=frames[0].data)]
    body = frames[0].json()
    assert list(body) == sorted(body) == ["message", "payload", "timestamp", "type"]
    assert body["payload"] == {"chunk": "Hi", "sequence": 3}


def test_every_event_type_on_the_wire_has_a_generated_class():
    """The census: the types the scripted runs put on the wire, against EVENT_TYPES."""
    seen: set[str] = set()
    scripts = [LOOKUP, FAILING, Scenario("echo", [say("Hello.")])]
    with ShipitServer(llm=ScriptedLLM(scenarios=scripts)) as server:
        for name in ["lookup", "failing", "echo", "demo", "approval", "question", "failure"]:
            seen |= {f.event for f in transcript(server, f"[scenario:{name}]")}
    seen -= {"done"}
    assert {
        "stream_hello",
        "text_delta",
        "reasoning_completed",
        "tool_called",
        "tool_completed",
        "tool_failed",
        "tool_input_delta",
        "usage_tick",
        "run_completed",
        "run_failed",
    } <= seen
    assert seen - set(EVENT_TYPES) == UNTYPED_ON_THE_WIRE


class TestLifecycle:
    def test_stop_cuts_an_open_stream_and_leaves_no_thread(self):
        before = set(threading.enumerate())
        server = ShipitServer(llm=ScriptedLLM([say("Working on it. "), sleep(30), say("Done.")]))
        server.start()
        frames: list[str] = []
        working = threading.Event()

        def read() -> None:
            decoder = SSEDecoder()
            url = server.base_url + "/v1/stream"
            try:
                with httpx.stream("POST", url, json={"prompt": "x"}, timeout=TIMEOUT) as response:
                    for chunk in response.iter_bytes():
                        frames.extend(getattr(f, "event", "") for f in decoder.feed(chunk))
                        if "text_delta" in frames:
                            working.set()  # the run is now asleep inside the scripted LLM
            except httpx.HTTPError:
                frames.append("<error>")

        reader = threading.Thread(target=read)
        reader.start()
        assert working.wait(5)
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 3
        reader.join(5)
        assert not reader.is_alive()
        assert "run_started" in frames
        assert "run_completed" not in frames
        assert set(threading.enumerate()) <= before
        server.stop()  # idempotent

    def test_port_is_known_at_once_and_start_twice_is_an_error(self):
        server = ShipitServer()
        with pytest.raises(RuntimeError):
            _ = server.port
        with server:
            assert server.base_url == f"http://127.0.0.1:{server.port}"
            with pytest.raises(RuntimeError):
                server.start()

    def test_async_context_manager(self):
        async def main() -> int:
            async with ShipitServer() as server, httpx.AsyncClient(timeout=TIMEOUT) as client:
                return (await client.get(server.base_url + "/health")).status_code

        assert asyncio.run(main()) == 200

    def test_an_agent_is_served_as_given(self):
        from agentstream.testing._shipit_compat import build_agent

        llm = ScriptedLLM([say("From a ready agent.")])
        agent = build_agent(llm, [], "", {})
        with ShipitServer(agent=agent) as server:
            frames = transcript(server, "x")
        assert of_type(frames, "run_completed")[0]["payload"]["output"] == "From a ready agent."
        with pytest.raises(ValueError):
            ShipitServer(agent=agent, llm=llm)


def test_without_shipit_the_error_says_what_to_install(monkeypatch):
    names = [n for n in sys.modules if n.startswith("agentstream.testing.") and "shipit" in n]
    for name in names:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "shipit_agent", None)
    with pytest.raises(ModuleNotFoundError, match="pip install shipit-agent") as caught:
        import agentstream.testing.shipit  # noqa: F401
    assert type(caught.value).__name__ == "ShipitNotInstalled"
