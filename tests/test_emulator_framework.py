"""The emulator framework: lifecycle, restart on SQLite, concurrency, the scenario DSL,
the pytest plugin and ``serve()``."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import requests

from agentstream import ServerSentEvent, SSEDecoder
from agentstream.testing import (
    M8tesEmulator,
    Scenario,
    ask_question,
    emulator_class,
    fail,
    register_scenario,
    registered_scenarios,
    say,
    sleep,
    think,
)
from agentstream.testing.scenarios import ScenarioBook, UnknownScenario, text_pieces

pytestmark = pytest.mark.timeout(30)

AUTH = {"Authorization": "Bearer test-key"}


def emulator_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("agentstream-")]


def frames_of(body: bytes) -> list[dict[str, Any]]:
    decoder = SSEDecoder()
    items = decoder.feed(body) + decoder.feed_eof()
    return [json.loads(item.data) for item in items if type(item) is ServerSentEvent]


def iter_frames(response: requests.Response) -> Iterator[dict[str, Any]]:
    # One iter_content generator per response: closing an abandoned one closes the
    # connection, so a helper must never start a second.
    decoder = SSEDecoder()
    for chunk in response.iter_content(None):
        yield from (json.loads(item.data) for item in decoder.feed(chunk))


def until(frames: Iterator[dict[str, Any]], frame_type: str) -> list[dict[str, Any]]:
    seen = []
    for frame in frames:
        seen.append(frame)
        if frame["type"] == frame_type:
            return seen
    raise AssertionError(f"no {frame_type!r} frame")


def test_lifecycle_port_urls_and_no_threads_left():
    emulator = M8tesEmulator()
    with pytest.raises(RuntimeError):
        _ = emulator.port
    with emulator:
        assert emulator.port > 0 and emulator.base_url == f"http://127.0.0.1:{emulator.port}/api/v2"
        assert httpx.get(emulator.base_url + "/runs/", headers=AUTH).status_code == 200
        assert len(emulator_threads()) == 1
    assert emulator_threads() == []
    with pytest.raises(httpx.ConnectError):
        httpx.get(emulator.base_url + "/runs/", headers=AUTH)
    emulator.stop()  # idempotent


def test_stop_is_bounded_with_streams_open(emulator_factory):
    emulator = emulator_factory()  # keep-alives every 15 s: the streams stay quiet
    with requests.Session() as session:
        session.headers.update(AUTH)
        body = {"message": "[scenario:approval]"}
        responses = [
            session.post(emulator.base_url + "/runs/", json=body, stream=True) for _ in range(3)
        ]
        streams = [iter_frames(response) for response in responses]
        for frames in streams:
            until(frames, "awaiting_approval")
        started = time.monotonic()
        emulator.stop()
        assert time.monotonic() - started < 3 and emulator_threads() == []
        for response, frames in zip(responses, streams, strict=True):
            with response, pytest.raises(requests.exceptions.ChunkedEncodingError):
                list(frames)  # the rest of the body never comes: the stream was dropped


def test_async_context_manager():
    async def main() -> dict[str, Any]:
        async with M8tesEmulator() as emulator, httpx.AsyncClient(headers=AUTH) as client:
            response = await client.post(emulator.base_url + "/runs/", json={"message": "hi"})
            return {"status": response.status_code, "frames": frames_of(response.content)}

    outcome = asyncio.run(main())
    assert outcome["status"] == 200 and outcome["frames"][-1]["type"] == "done"
    assert emulator_threads() == []


SLOW = Scenario("slow", [say("Working."), sleep(30)])


def test_restart_on_the_same_database(tmp_path):
    database = tmp_path / "runs.sqlite3"
    with M8tesEmulator(database=database, scenarios=[SLOW]) as first, requests.Session() as session:
        session.headers.update(AUTH)
        runs = first.base_url + "/runs/"
        done = frames_of(session.post(runs, json={"message": "Triage my inbox"}).content)
        finished = session.get(f"{runs}1").json()
        with session.post(runs, json={"message": "[scenario:approval]"}, stream=True) as parked:
            before_restart = until(iter_frames(parked), "awaiting_approval")
        with session.post(runs, json={"message": "[scenario:slow]"}, stream=True) as busy:
            until(iter_frames(busy), "text-end")
    with (
        M8tesEmulator(database=database, scenarios=[SLOW]) as second,
        requests.Session() as session,
    ):
        session.headers.update(AUTH)
        runs = second.base_url + "/runs/"
        assert session.get(f"{runs}1").json() == finished and second.frames(1) == done
        # The parked run still waits on its gate: joining replays it, approving resumes it.
        with session.get(f"{runs}2/stream", stream=True) as joined:
            frames = iter_frames(joined)
            replay = until(frames, "replay_complete")
            assert replay == [*before_restart, {"type": "replay_complete"}]
            approve = {"request_id": "perm_1", "decision": "allow", "remember": False}
            assert session.post(f"{runs}2/approve", json=approve).status_code == 200
            rest = list(frames)
        assert rest[0]["type"] == "permission_resolved" and rest[-1]["type"] == "done"
        # The run that was mid-step lost its worker: it failed, with a last error frame.
        lost = session.get(f"{runs}3").json()
        assert (lost["status"], lost["error_code"]) == ("failed", "runner_restarted")
        assert second.frames(3)[-1]["type"] == "error"
        assert session.post(runs, json={"message": "hi", "stream": False}).json()["id"] == 4


def test_a_hundred_concurrent_streams(m8tes_emulator):
    async def one(client: httpx.AsyncClient) -> list[dict[str, Any]]:
        response = await client.post(m8tes_emulator.base_url + "/runs/", json={"message": "Triage"})
        return frames_of(response.content)

    async def main() -> list[list[dict[str, Any]]]:
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(headers=AUTH, limits=limits, timeout=20) as client:
            return await asyncio.gather(*(one(client) for _ in range(100)))

    started = time.monotonic()
    streams = asyncio.run(main())
    assert time.monotonic() - started < 20
    assert sorted(s[0]["payload"]["run_id"] for s in streams) == list(range(1, 101))
    assert all(s[-1]["type"] == "done" and len(s) == len(streams[0]) for s in streams)


def test_text_pieces_are_word_sized_and_lossless():
    text = "Here are your 3 unread threads: supercalifragilisticexpialidocious-and-more!\n\nDone."
    pieces = text_pieces(text)
    assert "".join(pieces) == text and all(1 <= len(p) <= 20 for p in pieces)
    assert pieces[0] == "Here are "


def test_scenario_validation_and_registry():
    with pytest.raises(ValueError, match="last step"):
        Scenario("broken", [fail("boom"), say("after")])
    with pytest.raises(ValueError):
        Scenario("bad name!", [say("x")])
    with pytest.raises(ValueError, match="already registered"):
        register_scenario(Scenario("demo", [say("x")]))
    assert {"demo", "approval", "question", "failure"} <= set(registered_scenarios())
    question = ask_question("Ship it?")
    assert question.questions[0]["options"] == [
        {"label": "Yes", "description": ""},
        {"label": "No", "description": ""},
    ]


def test_scenario_selection_by_tag_keyword_and_default():
    mine = Scenario("refund", [think("Look it up."), say("Refunded.")], keywords=["Refund"])
    book = ScenarioBook([mine])
    assert book.select("Where is my REFUND?").name == "refund"
    assert book.select("refund [scenario:failure]").name == "failure"  # the tag wins
    assert book.select("hello").name == "demo"
    assert book.select("please send the weekly report").name == "approval"
    with pytest.raises(UnknownScenario):
        book.select("[scenario:missing]")
    assert ScenarioBook([Scenario("demo", [say("Mine.")])]).select("hi").steps == (say("Mine."),)


def test_per_emulator_scenarios_drive_runs(emulator_factory):
    emulator = emulator_factory(scenarios=[Scenario("hello", [say("Hello there.")])])
    body = {"message": "[scenario:hello]"}
    frames = frames_of(httpx.post(emulator.base_url + "/runs/", json=body, headers=AUTH).content)
    assert "".join(f["delta"] for f in frames if f["type"] == "text-delta") == "Hello there."


def test_plugin_fixtures(m8tes_emulator, emulator_factory):
    assert m8tes_emulator.api_key == "test-key" and m8tes_emulator.speed == 0
    other = emulator_factory("m8tes", api_key="m8_other", speed=0.001)
    assert other.port != m8tes_emulator.port
    assert httpx.get(other.base_url + "/runs/", headers=AUTH).status_code == 401
    with pytest.raises(ValueError):
        emulator_class("nope")


def test_serve_runs_in_the_foreground_until_interrupted():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = f"from agentstream.testing import serve; serve('m8tes', port={port}, speed=0)"
    process = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/api/v2/runs/"
        deadline = time.monotonic() + 15
        while True:
            try:
                response = httpx.post(url, json={"message": "hi"}, headers=AUTH)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.05)
        assert frames_of(response.content)[-1]["type"] == "done"
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert f"m8tes emulator on http://127.0.0.1:{port}/api/v2" in errors
    assert process.returncode == 0 and "Traceback" not in errors
