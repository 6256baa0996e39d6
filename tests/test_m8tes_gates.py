"""m8tes run streams never hang on a human: gates are answered by on_approval /
on_question while streaming, or end the stream with ActionRequiredError saying what
waits and how to answer it; ``timeout=`` bounds a whole stream. Unknown keyword options
are refused before anything is sent; ``extra_body``/``extra_headers``/``extra_query``
send what the SDK does not know. Real loopback HTTP, sync and async."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

import agentstream
from agentstream.testing import M8tesEmulator
from agentstream.types import m8tes
from tests.m8tes_helpers import Driver


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def driver(mode: str, m8tes_emulator: Any) -> Iterator[Driver]:
    driver = Driver(mode, m8tes_emulator.base_url)
    yield driver
    driver.close()


def first_question(request: m8tes.PermissionRequest) -> str:
    return str(request.tool_input["questions"][0]["question"])  # type: ignore[index]


def test_a_question_without_a_callback_ends_the_stream(driver: Driver) -> None:
    """stream_text on a run that asks a question ends at once with ActionRequiredError,
    naming the question and the ways to answer it; the run still waits."""
    started = time.monotonic()
    with pytest.raises(agentstream.ActionRequiredError) as caught:
        driver.stream_text(message="[scenario:question] hi")
    assert time.monotonic() - started < 5
    error = caught.value
    run_id = error.run_id
    assert isinstance(run_id, int) and error.request.request_id == "perm_1"
    message = str(error)
    assert message.startswith(f"run {run_id} waits for an answer to 'Which customer segment")
    assert "on_question=" in message and f"runs.answer({run_id}," in message
    assert f"runs.wait({run_id}, on_question=...)" in message
    assert driver.call("get", run_id).status == "awaiting_approval"
    answer = {first_question(error.request): "SMB"}
    driver.call("answer", run_id, answers=answer, request_id="perm_1")
    assert driver.call("wait", run_id, interval=0.02, timeout=10).status == "completed"


def test_an_approval_without_a_callback_ends_the_stream(driver: Driver) -> None:
    got = driver.collect("create", message="[scenario:approval] hi")
    assert isinstance(got.error, agentstream.ActionRequiredError)
    message = str(got.error)
    assert "waits for approval of the tool call 'gmail_send' (request perm_1)" in message
    assert f"runs.approve({got.run_id}, request_id='perm_1'" in message
    assert isinstance(got.events[-1], m8tes.AwaitingApprovalEvent)
    assert got.text.startswith("I've drafted the weekly report.")


def test_callbacks_answer_gates_while_streaming(driver: Driver) -> None:
    """on_question / on_approval answer the gates, and the stream goes on to its end."""
    asked: list[str] = []

    def on_question(request: m8tes.PermissionRequest) -> dict[str, str]:
        asked.append(first_question(request))
        return {asked[-1]: "SMB"}

    text = "".join(driver.stream_text(message="[scenario:question] hi", on_question=on_question))
    assert asked == ["Which customer segment should the report cover?"]
    assert text == "Thanks, building the report for that segment now."
    tools: list[str] = []

    def on_approval(request: m8tes.PermissionRequest) -> str:
        tools.append(request.tool_name)
        return "deny"

    got = driver.collect("create", message="[scenario:approval] hi", on_approval=on_approval)
    assert got.error is None and tools == ["gmail_send"]
    assert got.transcript.done and isinstance(got.events[-1], m8tes.DoneEvent)
    assert [p.status for p in driver.call("permissions", got.run_id)] != ["pending"]


def test_timeout_bounds_a_whole_stream(mode: str) -> None:
    """A slow run past `timeout`: APITimeoutError at the deadline, the run left running;
    with cancel_on_timeout the run is cancelled first."""
    with M8tesEmulator(api_key="test-key", speed=0.2) as emulator:
        driver = Driver(mode, emulator.base_url)
        try:
            started = time.monotonic()
            got = driver.collect("create", message="Triage my inbox", timeout=0.4)
            assert 0.3 < time.monotonic() - started < 3
            assert isinstance(got.error, agentstream.APITimeoutError)
            assert str(got.error).startswith(f"run {got.run_id} did not finish within 0.4 s")
            assert driver.call("get", got.run_id).status == "running"
            got = driver.collect(
                "create", message="Triage my inbox", timeout=0.3, cancel_on_timeout=True
            )
            assert isinstance(got.error, agentstream.APITimeoutError)
            assert "cancelled (cancel_on_timeout)" in str(got.error)
            assert driver.call("get", got.run_id).status == "cancelled"
        finally:
            driver.close()


def test_unknown_options_are_refused(driver: Driver, m8tes_emulator: Any) -> None:
    """A misspelt option raises TypeError naming it and the valid ones; nothing is sent."""
    before = len(driver.list_runs())
    with pytest.raises(TypeError) as caught:
        driver.call("create", message="hi", stream=False, modle="x")
    message = str(caught.value)
    assert message.startswith("runs.create() got unexpected keyword argument(s): modle;")
    assert "model" in message and "extra_body" in message
    with pytest.raises(TypeError, match="on_question"):
        driver.call("create", message="hi", stream=False, on_question=print)
    with pytest.raises(TypeError, match=r"runs\.reply\(\) got unexpected .*: teammate_id"):
        driver.call("reply", 1, message="hi", stream=False, teammate_id=3)
    with pytest.raises(TypeError, match=r"runs\.stream\(\) got unexpected .*: model"):
        driver.call("stream", 1, model="x")
    with pytest.raises(TypeError, match="modle"):
        driver.stream_text(message="hi", modle="x")
    assert len(driver.list_runs()) == before


def test_extras_are_sent_on_purpose(mode: str, m8tes_emulator: Any) -> None:
    """extra_body fields join the JSON body (and win), extra_headers and extra_query
    reach the request, streaming or not."""
    import json

    import requests

    from tests.sse_server import Reply, Send, SSEServer, frame

    done = frame(json.dumps({"type": "done"}))
    run = requests.post(
        m8tes_emulator.base_url + "/runs/",
        json={"message": "hi", "stream": False},
        headers={"Authorization": "Bearer test-key"},
        timeout=10,
    ).content
    answer = Reply(headers={"Content-Type": "application/json"}, body=run)
    with SSEServer() as server:
        server.script("/api/v2/runs/", [Reply(body=[Send(done)]), answer])
        driver = Driver(mode, server.url("/api/v2"))
        try:
            extras: dict[str, Any] = {
                "extra_body": {"brand_new": 1, "model": "m2"},
                "extra_headers": {"X-Trace": "t-1"},
                "extra_query": {"debug": "1"},
            }
            got = driver.collect("create", message="hi", model="m1", **extras)
            assert got.error is None
            driver.call("create", message="hi", stream=False, **extras)
        finally:
            driver.close()
        for request in server.requests("/api/v2/runs/"):
            sent = json.loads(request.body)
            assert sent["brand_new"] == 1 and sent["model"] == "m2" and sent["message"] == "hi"
            assert request.headers["X-Trace"] == "t-1" and request.query == "debug=1"


def test_every_platform_names_a_waiting_run_the_same_way() -> None:
    """Managed Agents' unanswered action is an ActionRequiredError too."""
    from agentstream.providers.managed_agents._common import ActionNotHandledError

    error = ActionNotHandledError("waits", event="evt")
    assert isinstance(error, agentstream.ActionRequiredError) and error.request == "evt"
