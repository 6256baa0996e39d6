"""Hostile servers and careless callers: every bad input ends in a typed error or a typed
event, never a crash from deep inside, over real loopback HTTP where a server is involved."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import agentstream
from agentstream import UnknownEvent
from agentstream.types import structure_event
from tests.m8tes_helpers import Driver
from tests.sse_server import Reply, Send, SSEServer, frame


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def server() -> Iterator[SSEServer]:
    with SSEServer() as srv:
        yield srv


def _m8tes_frames(*frames: dict[str, Any]) -> Reply:
    body = b"".join(frame(json.dumps(f)) for f in frames)
    return Reply(headers={"X-Run-Id": "7"}, body=[Send(body)])


def test_a_frame_with_a_non_string_type_is_an_unknown_event(mode: str, server: SSEServer) -> None:
    """`{"type": []}` in an m8tes stream arrives as UnknownEvent; the stream goes on."""
    server.script(
        "/api/v2/runs/",
        _m8tes_frames(
            {"type": "text-delta", "id": "t", "delta": "hi"},
            {"type": []},
            {"type": "done", "stop_reason": "end_turn"},
        ),
    )
    driver = Driver(mode, server.url("/api/v2"))
    try:
        run = driver.collect("create", message="x")
    finally:
        driver.close()
    assert run.error is None
    odd = [e for e in run.events if isinstance(e, UnknownEvent)]
    assert len(odd) == 1 and odd[0].type is None and odd[0].data == {"type": []}
    assert odd[0].error is not None and run.text == "hi"


def test_a_non_string_type_is_a_decode_error_when_strict() -> None:
    with pytest.raises(agentstream.EventDecodeError, match="type must be a string"):
        structure_event("m8tes", {"type": {"a": 1}}, strict=True)


def test_ids_are_checked_before_they_reach_a_path(mode: str, server: SSEServer) -> None:
    """`runs.get("../../admin/keys")` sends nothing: the key never travels elsewhere."""
    driver = Driver(mode, server.url("/api/v2"))
    try:
        for bad in ("../../admin/keys", "7", 0, True, 1.5):
            with pytest.raises(agentstream.LocalProtocolError, match="positive int"):
                driver.call("get", bad)
    finally:
        driver.close()
    assert server.requests() == []


@pytest.mark.parametrize(
    "options",
    [{"message": b"x"}, {"message": "\ud800"}, {"message": "x", "metadata": {1: 2}}],
    ids=["bytes", "lone-surrogate", "int-key"],
)
def test_a_body_that_cannot_be_json_is_a_typed_error(
    mode: str, server: SSEServer, options: dict[str, Any]
) -> None:
    driver = Driver(mode, server.url("/api/v2"))
    try:
        with pytest.raises(agentstream.LocalProtocolError, match="cannot be sent as JSON"):
            driver.call("create", stream=False, **options)
    finally:
        driver.close()
    assert server.requests() == []


def test_a_key_no_header_can_carry_is_a_configuration_error() -> None:
    from agentstream.providers.m8tes._common import ClientConfigError

    for key in ("m8_clé", "m8_a\nb", " m8_a"):
        with pytest.raises(ClientConfigError, match="API key") as caught:
            agentstream.M8tes(api_key=key, base_url="http://127.0.0.1:9/api/v2")
        assert key not in str(caught.value)


def test_event_source_refuses_a_header_value_http_cannot_carry() -> None:
    for source in (agentstream.EventSource, agentstream.AsyncEventSource):
        with pytest.raises(agentstream.LocalProtocolError, match="X-Api-Key") as caught:
            source("http://127.0.0.1:9/s", headers={"X-Api-Key": "ключ"})
        assert "ключ" not in str(caught.value)


def test_a_run_list_that_repeats_its_cursor_stops(mode: str, server: SSEServer) -> None:
    """A server that hands back the same cursor forever gets a typed error, not a loop."""
    run = {
        "id": 1, "status": "completed", "teammate_id": None, "output": "", "error": None,
        "user_id": None, "metadata": {}, "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }  # fmt: skip
    page = json.dumps({"data": [run], "has_more": True, "next_starting_after": 1}).encode()
    reply = Reply(headers={"Content-Type": "application/json"}, body=page)
    server.script("/api/v2/runs/", [reply] * 3)
    driver = Driver(mode, server.url("/api/v2"))
    try:
        with pytest.raises(agentstream.RemoteProtocolError, match="repeated its page cursor"):
            driver.list_runs()
    finally:
        driver.close()
    assert len(server.requests("/api/v2/runs/")) == 2


@pytest.mark.parametrize("raw_id", ["  5", "\t5", "5 ", " 5\t"], ids=repr)
def test_an_id_with_surrounding_whitespace_still_resumes(
    mode: str, server: SSEServer, raw_id: str
) -> None:
    """`id:  5` used to make every reconnect fail locally (no HTTP library sends a
    header value with surrounding whitespace): the id goes trimmed, the stream goes on."""
    from tests.conftest import collect
    from tests.sse_server import Drop

    first = f"id:{raw_id}\ndata: a\n\n".encode()
    server.script("/ws", [Reply(body=[Send(first), Drop()]), Reply(body=[Send(frame("b"))])])
    outcome = collect(mode, server.url("/ws"), limit=2, retry=0.01)
    assert [e.data for e in outcome.events] == ["a", "b"]
    headers = [r.headers.get("Last-Event-ID") for r in server.requests("/ws")]
    assert headers == [None, "5"]


def test_an_id_with_a_control_character_is_not_sent() -> None:
    from agentstream._policy import header_value

    assert header_value("a\x01b") == "" and header_value("a\x7f") == ""
    assert header_value("\t a b \t") == "a b" and header_value("é-7") == "é-7"


def test_close_from_another_thread_just_ends_the_iteration(server: SSEServer) -> None:
    """close() from another thread while the reader is between two events ends the
    reader's iteration. It used to close the generator from the closing thread, and a
    reader stepping it meanwhile raised `ValueError: generator already executing` (about
    1 in 150 on a fast stream). The interleaving is forced here: the connection's
    release is slowed, and the reader steps while it runs."""
    import threading

    server.script("/fast", Reply(body=[Send(b"".join(frame(str(n)) for n in range(50)))]))
    source = agentstream.EventSource(server.url("/fast"), reconnect=False)
    got_one, go_on, releasing = threading.Event(), threading.Event(), threading.Event()
    release = source._drop

    def slow_release() -> None:
        releasing.set()
        threading.Event().wait(0.2)
        release()

    source._drop = slow_release  # type: ignore[method-assign]
    errors: list[BaseException] = []
    seen: list[str] = []

    def read() -> None:
        try:
            for event in source:
                seen.append(event.data)
                got_one.set()
                go_on.wait(5)
        except BaseException as exc:  # everything the reader sees is the finding
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    assert got_one.wait(5)
    closer = threading.Thread(target=source.close)
    closer.start()
    releasing.wait(1)  # the closer is releasing the connection (before: inside the generator)
    go_on.set()  # the reader steps now
    closer.join(5)
    reader.join(5)
    assert not reader.is_alive() and errors == [] and seen[:1] == ["0"]


def test_aclose_from_another_task_just_ends_the_iteration(server: SSEServer) -> None:
    """The async twin: aclose() from another task while the reader is between events
    (the connection's release awaits) ends the reader's iteration, never an error."""
    import asyncio

    server.script("/fast", Reply(body=[Send(b"".join(frame(str(n)) for n in range(50)))]))
    errors: list[BaseException] = []

    async def main() -> None:
        source = agentstream.AsyncEventSource(server.url("/fast"), reconnect=False)
        got_one, go_on, releasing = asyncio.Event(), asyncio.Event(), asyncio.Event()
        release = source._drop

        async def slow_release() -> None:
            releasing.set()
            await asyncio.sleep(0.2)
            await release()

        source._drop = slow_release  # type: ignore[method-assign]

        async def read() -> None:
            try:
                async for _ in source:
                    got_one.set()
                    await go_on.wait()
            except BaseException as exc:
                errors.append(exc)

        reader = asyncio.create_task(read())
        await asyncio.wait_for(got_one.wait(), 5)
        closer = asyncio.create_task(source.aclose())
        await asyncio.wait_for(releasing.wait(), 1)
        go_on.set()
        await asyncio.wait_for(asyncio.gather(closer, reader), 5)

    asyncio.run(main())
    assert errors == []


def _http(mode: str, base_url: str, **options: Any) -> Any:
    from agentstream._async_http import AsyncHTTP
    from agentstream._sync_http import SyncHTTP

    cls = SyncHTTP if mode == "sync" else AsyncHTTP
    return cls(base_url, {}, timeout=5, max_retries=0, **options)


def _call(mode: str, http: Any, path: str) -> Any:
    import asyncio

    if mode == "sync":
        return http.request("GET", path)

    async def go() -> Any:
        try:
            return await http.request("GET", path)
        finally:
            await http.aclose()

    return asyncio.run(go())


def test_json_answers_are_read_no_further_than_the_cap(mode: str, server: SSEServer) -> None:
    """An error body keeps a bounded prefix on the exception; a success answer larger than
    the cap is a RemoteProtocolError naming the URL without its query."""
    from agentstream._config import MAX_ERROR_BODY

    huge = b'{"error": {"message": "' + b"x" * (4 * 1024 * 1024) + b'"}}'
    server.script(
        "/err", Reply(status=400, headers={"Content-Type": "application/json"}, body=huge)
    )
    with pytest.raises(agentstream.BadRequestError) as caught:
        _call(mode, _http(mode, server.base_url), "/err")
    assert len(caught.value.body if isinstance(caught.value.body, bytes) else
               str(caught.value.body)) <= MAX_ERROR_BODY + 100  # fmt: skip
    big = b'{"data": "' + b"y" * 5000 + b'"}'
    server.script("/big", Reply(headers={"Content-Type": "application/json"}, body=big))
    http = _http(mode, server.base_url, max_response_bytes=1000)
    with pytest.raises(agentstream.RemoteProtocolError, match=r"GET http://\S+/big is larger"):
        _call(mode, http, "/big?secret=1")


@pytest.mark.parametrize("platform", ["everruns", "managed-agents"])
def test_session_ids_stay_one_path_segment(platform: str, server: SSEServer) -> None:
    """Every platform: a dot segment or a non-string id is refused before any request;
    anything else is percent-quoted, so `a/b?c` stays one segment of the session path."""
    if platform == "everruns":
        client: Any = agentstream.Everruns(api_key="k", base_url=server.url("/api"))
    else:
        client = agentstream.ManagedAgents(api_key="k", base_url=server.base_url)
    with client:
        for bad in ("..", ".", "", 7, None):
            with pytest.raises(agentstream.LocalProtocolError, match="session id"):
                client.sessions.get(bad) if platform == "everruns" else client.sessions.retrieve(
                    bad
                )
        assert server.requests() == []
        with pytest.raises(agentstream.APIStatusError):
            if platform == "everruns":
                client.sessions.get("a/b?c")
            else:
                client.sessions.retrieve("a/b?c")
    (request,) = server.requests()
    assert request.path.endswith("/sessions/a%2Fb%3Fc") and request.query == ""


def test_no_query_string_travels_in_a_connection_error(mode: str) -> None:
    """requests and httpx name the URL, query included, in their own errors (`Max retries
    exceeded with url: /s?token=...`): ours carry it without the query."""
    import socket

    from tests.conftest import collect

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/s?token=s3cret-value"
    error = collect(mode, url, max_reconnect_attempts=0, retry=0.01).error
    assert error is not None
    assert "s3cret" not in str(error) and "s3cret" not in str(getattr(error, "last_cause", ""))
    with pytest.raises(agentstream.APIConnectionError) as caught:
        _call(mode, _http(mode, f"http://127.0.0.1:{port}"), "/runs/?token=s3cret-value")
    assert "s3cret" not in str(caught.value)
