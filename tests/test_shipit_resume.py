"""ResumingShipitServer: shipit's transcript over HTTP, resumed with Last-Event-ID."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

pytest.importorskip("shipit_agent")

from shipit_agent.streaming import classify, sse_stream  # type: ignore[import-untyped]

from agentstream import ServerSentEvent, SSEDecoder
from agentstream.testing import FAULTS_HEADER, Faults, Scenario, say, sleep, tool
from agentstream.testing.shipit import ResumingShipitServer

TIMEOUT = httpx.Timeout(10.0)
SHORT = Scenario(
    "short",
    [say("Looking. "), tool("lookup", {"id": 7}, result={"ok": True}), say("Found it.")],
)


def read(
    server: ResumingShipitServer,
    *,
    method: str = "GET",
    last_id: str | None = None,
    prompt: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[list[ServerSentEvent], Exception | None]:
    """The frames of one stream request, and the error that ended it early, if any."""
    sent = dict(headers or {})
    if last_id is not None:
        sent["Last-Event-ID"] = last_id
    body = {"prompt": prompt} if prompt is not None else None
    decoder, frames = SSEDecoder(), []
    url = server.base_url + "/v1/stream"
    error: Exception | None = None
    try:
        with httpx.stream(method, url, json=body, headers=sent, timeout=TIMEOUT) as response:
            assert response.status_code == 200, response.read()
            for chunk in response.iter_bytes():
                frames += decoder.feed(chunk)
    except httpx.RemoteProtocolError as exc:
        error = exc
    return [f for f in frames if isinstance(f, ServerSentEvent)], error


def body_of(frame: ServerSentEvent) -> dict[str, Any]:
    data: dict[str, Any] = frame.json()
    return data


@pytest.fixture
def server():
    with ResumingShipitServer(scenarios=[SHORT], default_scenario="short") as running:
        running.play("go")
        yield running


def test_a_first_stream_is_framed_as_agentserver_frames_it(server):
    frames, error = read(server)
    assert error is None
    encoded = "".join(sse_stream(server.events)).encode()
    expected = [f for f in SSEDecoder().feed(encoded) if isinstance(f, ServerSentEvent)]
    assert [(f.event, f.id) for f in frames] == [(f.event, f.id) for f in expected]
    assert [f.event for f in frames[:2]] == ["stream_hello", "run_started"]
    assert (frames[-1].event, frames[-1].data) == ("done", "[DONE]")
    assert {body_of(f)["generation"] for f in frames[:-1]} == {server.generation}


def test_a_post_with_a_prompt_plays_a_new_run(server):
    frames, _ = read(server, method="POST", prompt="again")
    run_started = body_of(frames[1])
    assert run_started["payload"]["prompt"] == "again"
    assert len(frames) == len(server.events) + 2


def test_last_event_id_replays_only_canonical_events_above_it(server):
    full, _ = read(server)
    resumed, error = read(server, last_id="5")
    assert error is None
    assert resumed[0].event == "stream_hello"
    replayed = [body_of(f) for f in resumed[1:-1]]
    expected = [
        body_of(f) for f in full[1:-1] if int(f.id) > 5 and classify(f.event).value == "canonical"
    ]
    assert replayed == expected
    assert {b["durability"] for b in replayed} == {"canonical"}
    assert [f.id for f in resumed[1:-1]] == [str(b["sequence"]) for b in replayed]
    assert "text_delta" not in {f.event for f in resumed}  # provisional: never replayed
    assert resumed[-1].data == "[DONE]"
    assert server.last_event_ids == [None, "5"]


def test_a_post_with_last_event_id_resumes_instead_of_running(server):
    events = server.events
    resumed, _ = read(server, method="POST", prompt="ignored", last_id="0")
    assert server.events == events
    assert [f.event for f in resumed][-2:] == ["run_completed", "done"]


def test_the_fault_knob_drops_the_connection_and_a_resume_finishes(server):
    server.faults = Faults(drop_after_events=4, times=1)
    first, error = read(server)
    assert isinstance(error, httpx.RemoteProtocolError)
    assert len(first) == 4  # hello and three events
    rest, error = read(server, last_id=first[-1].id)
    assert error is None
    canonical_seen = [f.id for f in first[1:] if classify(f.event).value == "canonical"]
    resumed_ids = [int(f.id) for f in rest[1:-1]]
    assert not set(canonical_seen) & {str(i) for i in resumed_ids}
    assert min(resumed_ids) > int(first[-1].id)
    assert rest[-2].event == "run_completed"


def test_faults_per_request_by_header(server):
    header = {FAULTS_HEADER: Faults(drop_after_events=2).to_header()}
    frames, error = read(server, headers=header)
    assert (len(frames), type(error)) == (2, httpx.RemoteProtocolError)


def test_a_new_generation_shows_in_hello_frames_and_health(server):
    old = server.generation
    new = server.new_generation()
    assert new != old
    frames, _ = read(server, last_id="3")
    hello = body_of(frames[0])
    assert hello["payload"] == {"generation": new, "discard_provisional": True}
    assert {body_of(f)["generation"] for f in frames[:-1]} == {new}
    health = httpx.get(server.base_url + "/health", timeout=TIMEOUT).json()
    assert health == {"status": "ok", "model": "shipit", "stream_generation": new}


def test_a_new_generation_can_bring_a_new_transcript(server):
    replacement = server.events[:3]
    server.new_generation(events=replacement)
    frames, _ = read(server)
    assert len(frames) == 3 + 2


def test_bad_requests():
    with ResumingShipitServer(api_key="k") as server:
        url = server.base_url + "/v1/stream"
        assert httpx.get(url, timeout=TIMEOUT).status_code == 401
        auth = {"Authorization": "Bearer k"}
        nothing_yet = httpx.get(url, headers=auth, timeout=TIMEOUT)
        assert nothing_yet.status_code == 404
        no_prompt = httpx.post(url, json={}, headers=auth, timeout=TIMEOUT)
        assert no_prompt.status_code == 400
        bad_id = httpx.get(url, headers={**auth, "Last-Event-ID": "abc"}, timeout=TIMEOUT)
        assert bad_id.json()["error"]["code"] == "invalid_last_event_id"


def test_stop_is_bounded_with_a_stream_open_and_leaves_no_thread():
    before = set(threading.enumerate())
    slow = Scenario("slow", [say("One moment. "), sleep(30), say("Done.")])
    server = ResumingShipitServer(scenarios=[slow], default_scenario="slow", speed=0.5)
    server.start()
    outcome: list[Any] = []

    def reader() -> None:
        try:
            outcome.append(read(server, method="POST", prompt="go"))
        except (httpx.HTTPError, AssertionError) as exc:  # cut before or after the headers
            outcome.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(0.3)  # the run is sleeping inside the scripted LLM
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 4
    thread.join(5)
    assert not thread.is_alive()
    assert outcome
    assert set(threading.enumerate()) <= before
