"""EventSource and AsyncEventSource: timers (liveness and progress), comments, close,
restart, and who owns the HTTP session. Every test runs once per twin."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest
import requests

from agentstream import (
    AsyncEventSource,
    Comment,
    EventSource,
    NotFoundError,
    ServerSentEvent,
    StreamIdleTimeout,
    StreamState,
)
from tests.conftest import CallerSession, close_source, collect, server_conn_threads
from tests.sse_server import Close, Heartbeats, Reply, Send, Sleep, SSEServer, Stall, frame

pytestmark = pytest.mark.timeout(20)

FAST = {"retry": 0.01, "connect_timeout": 2.0}


def lei(request) -> str | None:
    return request.headers.get("Last-Event-ID")


# -- liveness and progress -----------------------------------------------------------------


def test_stall_longer_than_read_timeout_reconnects_and_resumes(mode, server, path):
    server.script(
        path,
        [
            Reply(body=[Send(frame("a", id="1")), Stall(5.0)]),
            Reply(body=[Send(frame("b", id="2")), Close()]),
        ],
    )
    out = collect(mode, server.url(path), read_timeout=0.2, reconnect=False, **FAST)
    assert out.error is None
    assert out.data == ["a", "b"]
    assert [lei(r) for r in server.requests(path)] == [None, "1"]
    assert out.elapsed < 3.0  # far less than the stall


def test_heartbeats_only_raise_idle_timeout_then_restart_resumes(mode, server, path):
    server.script(
        path,
        [
            Reply(body=[Send(frame("a", id="1")), Heartbeats(100, 0.02)]),
            Reply(body=[Send(frame("b", id="2")), Close()]),
        ],
    )
    out = collect(
        mode,
        server.url(path),
        read_timeout=1.0,
        idle_timeout=0.25,
        reconnect=False,
        restarts=1,
        **FAST,
    )
    assert len(out.errors) == 1
    assert isinstance(out.errors[0], StreamIdleTimeout)
    assert out.errors[0].idle_timeout == 0.25
    assert out.error is None  # the second round, after restart(), ended cleanly
    assert out.data == ["a", "b"]
    assert [lei(r) for r in server.requests(path)] == [None, "1"]
    assert out.elapsed < 2.0


def test_silence_with_idle_timeout_shorter_than_read_timeout(mode, server, path):
    # No bytes at all: the earlier timer (progress) fires, not the liveness one.
    server.script(path, Reply(body=[Send(frame("a", id="1")), Stall(3.0)]))
    out = collect(mode, server.url(path), read_timeout=5.0, idle_timeout=0.2, **FAST)
    assert isinstance(out.error, StreamIdleTimeout)
    assert out.data == ["a"]
    assert len(server.requests(path)) == 1
    assert out.source.state is StreamState.FAILED


def test_heartbeats_keep_the_connection_alive_past_read_timeout(mode, server, path):
    body = [Send(frame("a", id="1")), Heartbeats(16, 0.05), Send(frame("b", id="2")), Close()]
    server.script(path, Reply(body=body))
    out = collect(mode, server.url(path), read_timeout=0.5, reconnect=False, **FAST)
    assert out.error is None
    assert out.data == ["a", "b"]
    assert len(server.requests(path)) == 1  # 0.8 s of heartbeats, never a reconnect


def test_iter_with_comments_yields_comments_in_order(mode, server, path):
    body = [
        Send(b": hello\n\n" + frame("a", id="1")),
        Heartbeats(2, 0.01, b":hb\n\n"),
        Send(frame("b", id="2") + b":  two spaces\n\n"),
        Close(),
    ]
    server.script(path, Reply(body=body))
    out = collect(mode, server.url(path), comments=True, reconnect=False, **FAST)
    assert out.error is None
    assert out.items == [
        Comment("hello"),
        ServerSentEvent("message", "a", "1"),
        Comment("hb"),
        Comment("hb"),
        ServerSentEvent("message", "b", "2"),
        Comment(" two spaces"),
    ]


def test_plain_iteration_skips_comments(mode, server, path):
    server.script(path, Reply(body=[Send(b": c\n\n" + frame("a") + b": d\n\n"), Close()]))
    out = collect(mode, server.url(path), reconnect=False, **FAST)
    assert out.items == [ServerSentEvent("message", "a")]


# -- close ---------------------------------------------------------------------------------


def test_close_from_elsewhere_unblocks_a_stalled_reader(mode, server, path):
    server.script(path, Reply(body=[Send(frame("a", id="1")), Stall(5.0)]))
    out = collect(mode, server.url(path), read_timeout=10.0, background=(0.3, close_source), **FAST)
    assert out.error is None  # the iteration just ends
    assert out.data == ["a"]
    assert out.reaction < 0.5  # the stall lasts 5 s
    assert out.source.closed
    assert len(server.requests(path)) == 1


def test_close_during_reconnect_wait_ends_at_once(mode, server, path):
    server.script(path, Reply(status=503))
    options = {**FAST, "retry": 30.0}
    out = collect(mode, server.url(path), background=(0.3, close_source), **options)
    assert out.error is None
    assert out.reaction < 0.5  # the wait would last up to 30 s
    assert out.source.closed


def test_close_twice_is_fine(mode, server, path):
    server.script(path, Reply(body=[Send(frame("a")), Close()]))

    def twice(source, item):
        first = close_source(source)
        second = close_source(source)
        if asyncio.iscoroutine(first):
            return _await_both(first, second)
        return None

    out = collect(mode, server.url(path), on_item=twice, reconnect=False, **FAST)
    assert out.error is None
    assert out.data == ["a"]
    assert out.source.closed


async def _await_both(first, second):
    await first
    await second


def test_close_before_iterating_yields_nothing(mode, server, path):
    server.script(path, Reply(body=[Send(frame("a")), Close()]))
    if mode == "sync":
        es = EventSource(server.url(path), **FAST)
        es.close()
        data = [ev.data for ev in es]
    else:

        async def main() -> list[str]:
            es = AsyncEventSource(server.url(path), **FAST)
            await es.aclose()
            return [ev.data async for ev in es]

        data = asyncio.run(main())
    assert data == []
    assert server.requests(path) == []


def test_break_inside_with_closes_the_connection(mode):
    with SSEServer() as srv:
        body = [Send(frame("a", id="1") + frame("b", id="2")), Heartbeats(300, 0.01)]
        srv.script("/s", Reply(body=body))
        out = collect(mode, srv.url("/s"), limit=1, **FAST)
        assert out.data == ["a"]
        assert out.source.closed
        # The server writes a heartbeat every 10 ms: once the client's socket is gone, a
        # write fails and the server's connection thread ends, long before its 3 s script.
        deadline = time.monotonic() + 1.5
        while server_conn_threads(srv) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server_conn_threads(srv) == []
        assert len(srv.requests("/s")) == 1


@pytest.mark.parametrize("caller_http", [None, {}], ids=["owned-http", "caller-http"])
def test_close_unblocks_a_reader_waiting_for_the_response_head(mode, caller_http):
    # The server accepts the connection (the kernel's backlog) but never answers: the
    # reader is blocked before any response exists. close() must still wake it.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/silent"
        out = collect(
            mode,
            url,
            caller_http=caller_http,
            background=(0.2, close_source),
            read_timeout=1.5,
            max_reconnect_attempts=0,
            **FAST,
        )
    assert out.error is None  # the iteration just ends
    assert out.reaction < 0.5  # a reader left blocked waits for read_timeout (1.5 s)


def test_a_failed_source_reports_closed_once_closed(mode, server, path):
    server.script(path, Reply(status=404))
    out = collect(mode, server.url(path), **FAST)  # the context manager closed it
    assert isinstance(out.error, NotFoundError)
    assert out.source.state is StreamState.FAILED  # the failure stays visible...
    assert out.source.closed  # ...but close() was called: the source is closed


def test_iterating_a_failed_source_again_reraises_lazily(mode, server, path):
    server.script(path, Reply(status=404))
    out = collect(mode, server.url(path), **FAST)
    es = out.source
    # Getting the iterator never raises; the first step raises the same error again,
    # for plain iteration and for the with-comments iterator alike.
    if mode == "sync":
        iterators = [lambda: iter(es), es.iter_with_comments]
        step = next
    else:
        iterators = [es.__aiter__, es.aiter_with_comments]

        def step(iterator):
            return asyncio.run(anext(iterator))

    for make in iterators:
        try:
            iterator = make()
        except NotFoundError:
            pytest.fail(f"{make} raised when called, before the first step")
        with pytest.raises(NotFoundError) as info:
            step(iterator)
        assert info.value is out.error
    assert len(server.requests(path)) == 1


# -- restart -------------------------------------------------------------------------------


def test_restart_while_reading_reconnects_with_last_event_id(mode, server, path):
    server.script(
        path,
        [
            Reply(body=[Send(frame("a", id="1") + frame("b", id="2")), Stall(3.0)]),
            Reply(body=[Send(frame("c", id="3")), Close()]),
        ],
    )

    def restart_at_b(source, item):
        return source.restart() if item.data == "b" else None

    out = collect(
        mode, server.url(path), on_item=restart_at_b, read_timeout=10.0, reconnect=False, **FAST
    )
    assert out.error is None
    assert out.data == ["a", "b", "c"]
    assert [lei(r) for r in server.requests(path)] == [None, "2"]
    assert out.elapsed < 2.0


def test_restart_from_elsewhere_while_blocked(mode, server, path):
    server.script(
        path,
        [
            Reply(body=[Send(frame("a", id="1")), Stall(5.0)]),
            Reply(body=[Send(frame("b", id="2")), Close()]),
        ],
    )
    out = collect(
        mode,
        server.url(path),
        background=(0.3, lambda source: source.restart()),
        read_timeout=10.0,
        reconnect=False,
        **FAST,
    )
    assert out.error is None
    assert out.data == ["a", "b"]
    assert [lei(r) for r in server.requests(path)] == [None, "1"]
    assert out.reaction < 1.0  # the stall lasts 5 s


# -- session / client ownership ------------------------------------------------------------


def test_caller_session_or_client_is_used_and_not_closed(mode, server, path):
    server.script(path, Reply(body=[Send(frame("a")), Close()]))
    headers = {"X-From-Caller": "yes"}
    out = collect(mode, server.url(path), caller_http=headers, reconnect=False, **FAST)
    assert out.data == ["a"]
    assert server.requests(path)[0].headers["X-From-Caller"] == "yes"
    assert out.http_closed is False


def test_owned_session_or_client_is_closed(mode, server, path, monkeypatch):
    # Record the session/client the source makes for itself (a subclass that notes
    # close(); nothing of agentstream is replaced).
    made: list = []
    if mode == "sync":
        original = requests.Session
        monkeypatch.setattr(requests, "Session", lambda: made.append(CallerSession()) or made[-1])
    else:
        original = httpx.AsyncClient
        monkeypatch.setattr(httpx, "AsyncClient", lambda: made.append(original()) or made[-1])
    server.script(path, Reply(body=[Send(frame("a")), Close()]))
    out = collect(mode, server.url(path), reconnect=False, **FAST)
    assert out.data == ["a"]
    (http,) = made
    assert isinstance(http, original)
    assert http.closed if mode == "sync" else http.is_closed


def test_state_moves_through_the_lifecycle(mode, server, path):
    server.script(path, Reply(body=[Send(frame("a", id="1")), Sleep(0.05), Close()]))
    seen = []
    out = collect(
        mode,
        server.url(path),
        on_item=lambda source, item: seen.append(source.state),
        reconnect=False,
        **FAST,
    )
    assert seen == [StreamState.OPEN]
    assert out.source.state is StreamState.CLOSED
    assert repr(out.source).endswith("state=CLOSED>")
