"""The stream objects' callbacks and helpers (EventStream and AsyncEventStream, the base
of every platform's stream), over a loopback server, both twins: ``tool_call`` fires
once per call with its complete arguments, ``on(reconnect=...)`` and ``stats`` see the
reconnects, and each helper has one name plus the aliases readers of other SDKs expect.

The test adapter turns each SSE's JSON into one common-view event: ``{"type":
"tool_call_started", ...}`` becomes ``common.ToolCallStarted(...)``, so a script says
exactly which normalized events a platform would produce, in which order.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest

import agentstream
from agentstream import (
    AsyncEventSource,
    AsyncEventStream,
    EventSource,
    EventStream,
    ReconnectInfo,
    ToolCall,
)
from agentstream._sse import ServerSentEvent
from agentstream.types import common
from tests.m8tes_helpers import Driver
from tests.sse_server import Close, Drop, Reply, Send

pytestmark = pytest.mark.timeout(20)

KINDS = {
    "text": common.TextDelta,
    "start": common.ToolCallStarted,
    "args": common.ToolCallArgumentsDelta,
    "done_call": common.ToolCallFinished,
    "gate": common.ActionRequired,
    "end": common.TurnEnded,
}


class Adapter:
    """Each event's data is ``[kind, fields]``: one common event of that kind."""

    platform = "m8tes"

    def decode(self, sse: ServerSentEvent) -> Any:
        return sse.json()

    def normalize(self, event: Any) -> list[Any]:
        kind, fields = event
        return [KINDS[kind](platform="m8tes", raw_type=kind, **fields)]

    def is_terminal(self, event: Any) -> bool:
        return bool(event[0] == "end")


def sse(kind: str, /, **fields: Any) -> bytes:
    return f"data: {json.dumps([kind, fields])}\n\n".encode()


def started(call_id: str, name: str, **more: Any) -> bytes:
    return sse("start", call_id=call_id, name=name, **more)


def args(call_id: str, delta: str) -> bytes:
    return sse("args", call_id=call_id, delta=delta)


def finished(call_id: str) -> bytes:
    return sse("done_call", call_id=call_id, is_error=False, result="ok")


END = sse("end", stop_reason="end_turn")


def consume(mode: str, url: str, use: Callable[[Any], Any], **options: Any) -> Any:
    """``use(stream)`` on a fresh stream for `url` (awaited in async mode)."""
    if mode == "sync":
        with EventStream(EventSource(url, **options), Adapter()) as stream:
            return use(stream)

    async def main() -> Any:
        async with AsyncEventStream(AsyncEventSource(url, **options), Adapter()) as stream:
            result = use(stream)
            return await result if asyncio.iscoroutine(result) else result

    return asyncio.run(main())


def recorder() -> tuple[list[tuple[str, Any]], dict[str, Callable[[Any], None]]]:
    """A log of (handler, value) in call order, and the handlers that fill it."""
    log: list[tuple[str, Any]] = []

    def handler(name: str) -> Callable[[Any], None]:
        return lambda value: log.append((name, value))

    names = ("text", "tool_call", "tool_result", "reconnect")
    return log, {name: handler(name) for name in names}


def test_tool_call_fires_once_with_complete_arguments(mode, server, path):
    """Each rule in one stream: streamed JSON arguments fire when the object is whole
    (not at the start, with ``arguments == ''``); arguments given at the start fire at
    once; arguments that never parse fire at the finish, before ``tool_result``; a call
    asking for approval fires then; a call still open when the stream ends fires last."""
    body = [
        started("c1", "search"),
        args("c1", '{"query": "inv'),
        sse("text", text="thinking"),
        args("c1", 'oices"}'),
        started("c2", "lookup", arguments={"id": 7}),
        started("c3", "shell"),
        args("c3", "ls -la"),
        finished("c3"),
        started("c4", "send_mail"),
        sse("gate", kind="approval", request_id="r4", call_id="c4"),
        started("c5", "late"),
        args("c5", '{"partial": '),
        finished("c1"),
        END,
    ]
    server.script(path, Reply(body=[Send(b"".join(body)), Close()]))
    log, handlers = recorder()
    transcript = consume(mode, server.url(path), lambda s: s.on(**handlers), reconnect=False)
    order = [(name, v.call_id if isinstance(v, ToolCall) else v) for name, v in log]
    assert order == [
        ("text", "thinking"),
        ("tool_call", "c1"),
        ("tool_call", "c2"),
        ("tool_call", "c3"),
        ("tool_result", "c3"),
        ("tool_call", "c4"),
        ("tool_result", "c1"),
        ("tool_call", "c5"),
    ]
    calls = {v.call_id: v for name, v in log if name == "tool_call"}
    assert calls["c1"].arguments == '{"query": "invoices"}'
    assert calls["c1"].input == {"query": "invoices"} and calls["c1"].name == "search"
    assert calls["c2"].input == {"id": 7}
    assert calls["c3"].arguments == "ls -la" and calls["c3"].input is None
    assert calls["c4"].name == "send_mail"
    assert calls["c5"].arguments == '{"partial": '  # as whole as it got
    assert {c.call_id: c.arguments for c in transcript.tool_calls}["c1"] == calls["c1"].arguments


def test_on_reconnect_and_stats_see_a_drop(mode, server, path):
    first = sse("text", text="a")
    second = sse("text", text="b") + END
    server.script(path, [Reply(body=[Send(first), Drop()]), Reply(body=[Send(second), Close()])])
    log, handlers = recorder()

    def use(stream: Any) -> Any:
        if mode == "sync":
            return stream.on(text=handlers["text"], reconnect=handlers["reconnect"]), stream.stats

        async def run() -> Any:
            return await stream.on(text=handlers["text"], reconnect=handlers["reconnect"]), (
                stream.stats
            )

        return run()

    transcript, stats = consume(mode, server.url(path), use, retry=0.01, reconnect=False)
    assert transcript.text == "ab"
    assert [name for name, _ in log] == ["text", "reconnect", "text"]
    info = log[1][1]
    assert isinstance(info, ReconnectInfo) and info.attempt == 1
    assert stats.connections == 2 and stats.reconnects == 1 and stats.events_delivered == 3
    assert stats.bytes_received == len(first) + len(second)


def test_on_reconnect_of_a_stream_sees_a_drop_while_iterating(mode, server, path):
    server.script(
        path,
        [Reply(body=[Send(sse("text", text="a")), Drop()]), Reply(body=[Send(END), Close()])],
    )
    seen: list[ReconnectInfo] = []

    def use(stream: Any) -> Any:
        stream.on_reconnect(seen.append)
        if mode == "sync":
            return [event[0] for event in stream]

        async def run() -> list[str]:
            return [event[0] async for event in stream]

        return run()

    got = consume(mode, server.url(path), use, retry=0.01, reconnect=False)
    assert got == ["text", "end"]
    assert [info.attempt for info in seen] == [1]


def test_each_helper_has_one_name_and_the_aliases_are_documented(mode, server, path):
    body = sse("text", text="Hel") + sse("text", text="lo") + END
    server.script(path, Reply(body=[Send(body), Close()]))
    url = server.url(path)

    def text_stream(stream: Any) -> Any:
        if mode == "sync":
            return list(stream.text_stream), stream.output

        async def run() -> Any:
            return [t async for t in stream.text_stream], stream.output

        return run()

    assert consume(mode, url, text_stream, reconnect=False) == (["Hel", "lo"], "Hello")
    assert consume(mode, url, lambda s: s.get_final_text(), reconnect=False) == "Hello"
    for cls in (agentstream.EventStream, agentstream.AsyncEventStream):
        assert not hasattr(cls, "final")  # until_done() is the one name
        for alias in ("output", "text_stream", "get_final_text"):
            assert "alias" in (getattr(cls, alias).__doc__ or "").lower(), (cls, alias)


def test_m8tes_tool_call_gets_the_arguments_the_transcript_ends_with(mode, m8tes_emulator):
    """On the m8tes emulator the arguments stream as deltas after the start: tool_call
    gets them whole, equal to the transcript's."""
    driver = Driver(mode, m8tes_emulator.base_url)
    seen: list[ToolCall] = []
    try:
        if mode == "sync":
            with driver.client.runs.create(message="Triage my support inbox") as stream:
                transcript = stream.on(tool_call=seen.append)
        else:

            async def run() -> Any:
                async with driver.client.runs.create(message="Triage my support inbox") as s:
                    return await s.on(tool_call=seen.append)

            transcript = driver._run(run())
    finally:
        driver.close()
    final = {call.call_id: call for call in transcript.tool_calls}
    assert seen and all(call.input for call in seen)
    for call in seen:
        assert call.arguments == final[call.call_id].arguments
        assert call.input == final[call.call_id].input
