"""Everruns turns never hang on a human: `on_approval` / `on_question` answer the turn's
approval and question requests through the platform's endpoints while it streams;
without the callback (and without the caller answering while iterating), the request
ends the stream with ActionRequiredError saying what waits and how to answer. Against
the emulator over loopback, sync and async."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

import agentstream
from agentstream.providers.everruns import AsyncEverruns, Everruns
from agentstream.testing import EverrunsEmulator
from agentstream.types import everruns

KEY = "test-key"
APPROVAL = "[scenario:approval] Send the weekly report"
QUESTION = "[scenario:question] Which segment?"
SEGMENT = "Which customer segment should the report cover?"


@pytest.fixture(scope="module")
def emulator() -> Iterator[EverrunsEmulator]:
    with EverrunsEmulator(api_key=KEY, speed=0) as emulator:
        yield emulator


def text_of(mode: str, emulator: EverrunsEmulator, message: str, **options: Any) -> Any:
    """`sessions.stream_text(...)` joined, and the session id: sync or async."""
    if mode == "sync":
        with Everruns(api_key=KEY, base_url=emulator.base_url) as client:
            session = client.sessions.create()
            try:
                return "".join(client.sessions.stream_text(session.id, message=message, **options))
            finally:
                text_of.session = session.id  # type: ignore[attr-defined]

    async def main() -> str:
        async with AsyncEverruns(api_key=KEY, base_url=emulator.base_url) as client:
            session = await client.sessions.create()
            text_of.session = session.id  # type: ignore[attr-defined]
            chunks = client.sessions.stream_text(session.id, message=message, **options)
            return "".join([chunk async for chunk in chunks])

    return asyncio.run(main())


modes = pytest.mark.parametrize("mode", ["sync", "async"])


@modes
def test_an_approval_without_a_callback_ends_the_stream_saying_how_to_answer(
    mode: str, emulator: EverrunsEmulator
) -> None:
    start = time.monotonic()
    with pytest.raises(agentstream.ActionRequiredError) as caught:
        text_of(mode, emulator, APPROVAL)
    assert time.monotonic() - start < 5
    error = caught.value
    session_id = text_of.session  # type: ignore[attr-defined]
    assert error.session_id == session_id
    assert isinstance(error.request, everruns.ToolCall)
    assert error.request.name == "approve_tool_call"
    message = str(error)
    assert "approval of the tool call 'gmail_send'" in message
    assert f"client.tool_approvals.submit({session_id!r}, {{{error.request.id!r}:" in message
    assert "on_approval=" in message


@modes
def test_a_question_without_a_callback_ends_the_stream_saying_how_to_answer(
    mode: str, emulator: EverrunsEmulator
) -> None:
    with pytest.raises(agentstream.ActionRequiredError) as caught:
        text_of(mode, emulator, QUESTION)
    message = str(caught.value)
    assert f"an answer to {SEGMENT!r}" in message
    assert "client.question_answers.submit(" in message and "on_question=" in message


@modes
@pytest.mark.parametrize(("verdict", "said"), [(True, "Message sent"), ("reject", "rejected")])
def test_on_approval_answers_while_streaming(
    mode: str, emulator: EverrunsEmulator, verdict: Any, said: str
) -> None:
    seen: list[everruns.ToolCall] = []

    def approve(call: everruns.ToolCall) -> Any:
        seen.append(call)
        return verdict

    text = text_of(mode, emulator, APPROVAL, on_approval=approve)
    assert "The send step is settled" in text
    [call] = seen
    assert call.arguments["tool"] == "gmail_send"
    with Everruns(api_key=KEY, base_url=emulator.base_url) as client:
        session_id = text_of.session  # type: ignore[attr-defined]
        outputs = [
            event.data
            for event in client.events.iter(session_id)
            if event.type == "tool.completed" and event.data.tool_name == "gmail_send"
        ]
    assert said in str(outputs[-1])


@modes
def test_on_question_answers_by_question_text(mode: str, emulator: EverrunsEmulator) -> None:
    asked: list[everruns.ToolCall] = []

    def answer(call: everruns.ToolCall) -> dict[str, str]:
        asked.append(call)
        return {SEGMENT: "SMB"}

    text = text_of(mode, emulator, QUESTION, on_question=answer)
    assert "building the report for that segment" in text
    assert asked[0].name == "ask_user"


def test_an_async_callback_is_awaited(emulator: EverrunsEmulator) -> None:
    async def approve(call: everruns.ToolCall) -> str:
        await asyncio.sleep(0)
        return "allow"

    assert "settled" in text_of("async", emulator, APPROVAL, on_approval=approve)


def test_a_caller_who_answers_while_iterating_is_not_interrupted(
    emulator: EverrunsEmulator,
) -> None:
    with Everruns(api_key=KEY, base_url=emulator.base_url) as client:
        session = client.sessions.create()
        with client.sessions.turn(session.id, message=APPROVAL) as stream:
            for event in stream:
                if event.type == "tool.call_requested":
                    [call] = event.data.tool_calls
                    client.tool_approvals.submit(session.id, {call.id: "allow"})
        assert stream.completed


def test_an_unhandled_client_tool_ends_the_stream_too(emulator: EverrunsEmulator) -> None:
    with Everruns(api_key=KEY, base_url=emulator.base_url) as client:
        session = client.sessions.create()
        with (
            pytest.raises(agentstream.ActionRequiredError, match="client-side tool"),
            client.sessions.turn(session.id, message="[scenario:client-tool] calendar?") as s,
        ):
            s.until_done()


def test_a_bad_question_answer_is_a_type_error(emulator: EverrunsEmulator) -> None:
    with pytest.raises(TypeError, match="on_question must return"):
        text_of("sync", emulator, QUESTION, on_question=lambda call: 42)
