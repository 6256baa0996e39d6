"""The m8tes client against the m8tes emulator over loopback: one body, sync and async."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

import agentstream
from agentstream.testing import Faults
from agentstream.types import m8tes
from tests.m8tes_helpers import API_KEY, Driver, real_frames


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def driver(mode: str, m8tes_emulator: Any) -> Iterator[Driver]:
    driver = Driver(mode, m8tes_emulator.base_url)
    yield driver
    driver.close()


def test_streamed_run_is_typed_and_complete(driver: Driver, m8tes_emulator: Any) -> None:
    """A streamed run delivers every frame as its generated class, in order, and folds
    them into the transcript: text, tool calls with arguments and results, usage."""
    run = driver.collect("create", message="Triage my support inbox")
    assert run.error is None and run.run_id is not None
    assert run.wire == real_frames(m8tes_emulator.frames(run.run_id))
    assert isinstance(run.events[0], m8tes.MetadataEvent)
    assert isinstance(run.events[-1], m8tes.DoneEvent)
    assert not any(isinstance(event, agentstream.UnknownEvent) for event in run.events)
    deltas = [e.delta for e in run.events if isinstance(e, m8tes.TextDeltaEvent)]
    assert run.text == "".join(deltas) and run.text
    transcript = run.transcript
    assert transcript.done and transcript.stop_reason == "end_turn"
    assert [call.name for call in transcript.tool_calls] == ["gmail_search", "zendesk_get_ticket"]
    assert all(call.status == "completed" and call.input for call in transcript.tool_calls)
    assert transcript.usage is not None and transcript.usage.output_tokens > 0
    assert transcript.reasoning


def test_iter_text_and_stream_text(driver: Driver) -> None:
    """iter_text() yields the text deltas and keeps .text; stream_text is the one-liner."""
    run = driver.collect("create", message="Triage my support inbox", text_only=True)
    assert run.chunks and "".join(run.chunks) == run.text
    assert "".join(driver.stream_text(message="Triage my support inbox")) == run.text


def test_stream_false_then_poll(driver: Driver) -> None:
    """stream=False returns the Run at once; poll() waits for its terminal status."""
    run = driver.call("create", message="Triage my support inbox", stream=False)
    assert isinstance(run, m8tes.Run) and run.status == "running"
    done = driver.call("poll", run.id, interval=0.02, timeout=10)
    assert done.status == "completed" and done.output


def test_poll_has_a_real_deadline(driver: Driver) -> None:
    """A run parked on an approval never finishes: poll raises at its deadline and,
    when asked, cancels the run first."""
    run = driver.call("create", message="[scenario:approval]", stream=False)
    started = time.monotonic()
    with pytest.raises(agentstream.APITimeoutError):
        driver.call("poll", run.id, interval=0.02, timeout=0.3, cancel_on_timeout=True)
    assert time.monotonic() - started < 3
    assert driver.call("get", run.id).status == "cancelled"


def test_wait_answers_approvals(driver: Driver) -> None:
    """wait() answers a pending approval through the callback, and the run finishes."""
    seen: list[str] = []

    def approve(request: m8tes.PermissionRequest) -> bool:
        seen.append(request.tool_name)
        return True

    run = driver.call("create", message="[scenario:approval]", stream=False)
    done = driver.call("wait", run.id, on_approval=approve, interval=0.02, timeout=10)
    assert seen == ["gmail_send"] and done.status == "completed"


def test_wait_answers_questions(driver: Driver) -> None:
    """wait() answers a question through on_question, and the run finishes."""
    asked: list[Any] = []

    def answer(request: m8tes.PermissionRequest) -> dict[str, str]:
        asked.append(request)
        question = request.tool_input["questions"][0]["question"]  # type: ignore[index]
        return {question: "SMB"}

    run = driver.call("create", message="[scenario:question]", stream=False)
    done = driver.call("wait", run.id, on_question=answer, interval=0.02, timeout=10)
    assert asked and done.status == "completed"


def test_wait_without_callback_returns_the_waiting_run(driver: Driver) -> None:
    """Without a callback for its gate, wait() hands the waiting run back."""
    run = driver.call("create", message="[scenario:approval]", stream=False)
    waiting = driver.call("wait", run.id, interval=0.02, timeout=10)
    assert waiting.status == "awaiting_approval"
    pending = driver.call("permissions", run.id)
    assert [p.status for p in pending] == ["pending"]
    resolved = driver.call("approve", run.id, request_id=pending[0].request_id, decision="deny")
    assert resolved.request_id == pending[0].request_id


def test_cancel(driver: Driver) -> None:
    """cancel() ends a waiting run with status cancelled."""
    run = driver.call("create", message="[scenario:approval]", stream=False)
    driver.call("wait", run.id, interval=0.02, timeout=10)
    assert driver.call("cancel", run.id).status == "cancelled"


def test_failed_run_raises_on_error(driver: Driver) -> None:
    """A failing run's error frame is a typed event; raise_on_error raises RunFailedError
    once the stream ended, with everything delivered still on the stream."""
    quiet = driver.collect("create", message="[scenario:failure]")
    assert quiet.error is None and quiet.transcript.errors
    assert any(isinstance(event, m8tes.ErrorEvent) for event in quiet.events)
    loud = driver.collect("create", message="[scenario:failure]", raise_on_error=True)
    assert isinstance(loud.error, agentstream.RunFailedError)
    assert "Gmail token expired" in str(loud.error) and loud.text == quiet.text


def test_join_a_finished_run_is_a_conflict(driver: Driver) -> None:
    """Joining a run that no longer executes is a 409, raised as ConflictError."""
    run = driver.collect("create", message="Triage my support inbox")
    joined = driver.collect("stream", run.run_id)
    assert isinstance(joined.error, agentstream.ConflictError)
    assert joined.error.status_code == 409 and not joined.events


def test_resume_into_a_finished_run_is_interrupted(driver: Driver, m8tes_emulator: Any) -> None:
    """The connection stalls after three events and then drops; by the re-join the run
    has long finished (the emulator runs at full speed): the stream raises
    StreamInterruptedError carrying the run and the count of events delivered, which
    all stay available."""
    m8tes_emulator.faults = Faults(stall_after_events=3, stall_seconds=0.3, times=1)
    run = driver.collect("create", message="Triage my support inbox")
    error = run.error
    assert isinstance(error, agentstream.StreamInterruptedError)
    assert error.delivered == 3 == len(run.events)
    assert error.context["run_id"] == run.run_id
    assert error.context["run"].status == "completed"


def test_create_is_retried_idempotently_after_503(driver: Driver, m8tes_emulator: Any) -> None:
    """A 503 on create is retried with the same Idempotency-Key: one run, full stream."""
    m8tes_emulator.faults = Faults(status=503, retry_after=0, times=1)
    run = driver.collect("create", message="Triage my support inbox")
    assert run.error is None and run.transcript.done
    assert run.wire == real_frames(m8tes_emulator.frames(run.run_id))
    listed = driver.list_runs(limit=5)
    assert len(listed) == 1


@pytest.mark.parametrize("status", [401, 404])
def test_errors_carry_the_envelope(mode: str, m8tes_emulator: Any, status: int) -> None:
    """401 and 404 raise their typed errors with the platform's message and request id;
    the API key never shows in them."""
    key = "wrong-key" if status == 401 else API_KEY
    driver = Driver(mode, m8tes_emulator.base_url, api_key=key)
    try:
        kind = agentstream.AuthenticationError if status == 401 else agentstream.NotFoundError
        with pytest.raises(kind) as caught:
            driver.call("get", 999_999)
        error = caught.value
        assert error.status_code == status and error.request_id
        assert key not in repr(error) + str(error) + str(error.headers)
    finally:
        driver.close()


def test_reply_continues_a_run(driver: Driver) -> None:
    """reply() streams a new turn of a finished run."""
    first = driver.collect("create", message="Triage my support inbox")
    second = driver.collect("reply", first.run_id, message="Thanks, now the refund one")
    assert second.error is None and second.transcript.done and second.text


def test_list_pages_through_every_run(driver: Driver) -> None:
    """list() pages through every run, newest first."""
    ids = [driver.call("create", message=f"run {n}", stream=False).id for n in range(5)]
    listed = [run.id for run in driver.list_runs(limit=2)]
    assert sorted(listed) == sorted(ids) and len(listed) == 5


def test_on_callbacks_and_raw_events(driver: Driver, m8tes_emulator: Any) -> None:
    """on(...) hands text, reasoning, tool calls and results to the callbacks and returns
    the transcript; raw_events() gives the wire events of another run."""
    seen: dict[str, list[Any]] = {"text": [], "reasoning": [], "tool": [], "result": [], "done": []}
    if driver.mode == "sync":
        with driver.client.runs.create(message="Triage my support inbox") as stream:
            transcript = stream.on(
                text=seen["text"].append,
                reasoning=seen["reasoning"].append,
                tool_call=seen["tool"].append,
                tool_result=seen["result"].append,
                done=seen["done"].append,
            )
        with driver.client.runs.create(message="Triage my support inbox") as raw_stream:
            raw = list(raw_stream.raw_events())
    else:

        async def consume() -> tuple[Any, list[Any]]:
            async with driver.client.runs.create(message="Triage my support inbox") as stream:
                result = await stream.on(
                    text=seen["text"].append,
                    reasoning=seen["reasoning"].append,
                    tool_call=seen["tool"].append,
                    tool_result=seen["result"].append,
                    done=seen["done"].append,
                )
            async with driver.client.runs.create(message="Triage my support inbox") as again:
                wire = [sse async for sse in again.raw_events()]
            return result, wire

        transcript, raw = driver._run(consume())
    assert "".join(seen["text"]) == transcript.text and "".join(seen["reasoning"])
    assert [call.name for call in seen["tool"]] == ["gmail_search", "zendesk_get_ticket"]
    assert [call.status for call in seen["result"]] == ["completed", "completed"]
    assert seen["done"] == [transcript] and transcript.done
    assert all(isinstance(sse, agentstream.ServerSentEvent) for sse in raw)
    assert raw[-1].json()["type"] == "done"


def test_an_abandoned_stream_closes_its_connection(m8tes_emulator: Any) -> None:
    """Breaking out of a stream without `with`, then dropping it, closes the connection
    (the generator's cleanup runs when it is collected)."""
    import gc

    client = agentstream.M8tes(api_key=API_KEY, base_url=m8tes_emulator.base_url)
    stream = client.runs.create(message="[scenario:approval]")
    for _ in stream:
        break
    source = stream._source
    assert not source.closed
    del stream
    gc.collect()
    assert source.closed
    client.close()


def test_a_repeated_create_joins_the_run(driver: Driver, m8tes_emulator: Any) -> None:
    """A create repeated with the same Idempotency-Key (as after a connection lost before
    its answer) gets the run's JSON with Idempotent-Replay; the stream follows it, joins
    the run from its first frame, and goes on live to the end."""
    key = f"agentstream-test-{driver.mode}"
    runs = driver.client.runs

    def approve(run_id: int) -> None:
        pending = driver.call("permissions", run_id)
        driver.call("approve", run_id, request_id=pending[0].request_id)

    if driver.mode == "sync":
        with runs.create(message="[scenario:approval]", idempotency_key=key) as first:
            head = next(iter(first))
        events = []
        with runs.create(message="[scenario:approval]", idempotency_key=key) as again:
            for event in again:
                events.append(event)
                if isinstance(event, m8tes.AwaitingApprovalEvent):
                    approve(head.payload.run_id)
    else:

        async def scenario() -> tuple[Any, list[Any]]:
            async with runs.create(message="[scenario:approval]", idempotency_key=key) as first:
                head = await first.__aiter__().__anext__()
            seen = []
            async with runs.create(message="[scenario:approval]", idempotency_key=key) as again:
                async for event in again:
                    seen.append(event)
                    if isinstance(event, m8tes.AwaitingApprovalEvent):
                        pending = await runs.permissions(head.payload.run_id)
                        await runs.approve(head.payload.run_id, request_id=pending[0].request_id)
            return head, seen

        head, events = driver._run(scenario())
    assert isinstance(head, m8tes.MetadataEvent)
    assert events[0] == head and isinstance(events[-1], m8tes.DoneEvent)
    assert [e.raw for e in events] == real_frames(m8tes_emulator.frames(head.payload.run_id))
