"""Reconnects you can see: the reconnect callback, the counters and the log records of
EventSource and AsyncEventSource, against a real loopback server (both twins), and the
retry records of the JSON client.

Every secret a test sends (a query string, Authorization, X-Api-Key, Cookie) is checked
absent from the callback's value, the stats and every log record.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from typing import Any

import pytest

from agentstream import (
    AsyncEventSource,
    EventSource,
    InternalServerError,
    ReconnectExhausted,
    ReconnectInfo,
    StreamState,
    StreamStats,
)
from agentstream._async_http import AsyncHTTP
from agentstream._sync_http import SyncHTTP
from tests.sse_server import Close, Drop, Reply, Send, frame

pytestmark = pytest.mark.timeout(20)

QUERY_SECRET = "qs-secret-4b1d"
SECRETS = {
    "Authorization": "Bearer sk-auth-secret-77a1",
    "X-Api-Key": "xk-secret-19c3",
    "Cookie": "session=ck-secret-5e20",
}
ALL_SECRETS = [QUERY_SECRET, "sk-auth-secret-77a1", "xk-secret-19c3", "ck-secret-5e20"]


def run(
    mode: str, url: str, setup: Callable[[Any], Any] | None = None, **options: Any
) -> tuple[list[str], BaseException | None, Any]:
    """Iterate a fresh source (after ``setup(source)``) to its end or its error: the
    data delivered, the error, the source."""
    data: list[str] = []
    if mode == "sync":
        source: Any = EventSource(url, **options)
        if setup is not None:
            setup(source)
        try:
            with source:
                data.extend(event.data for event in source)
        except Exception as exc:
            return data, exc, source
        return data, None, source

    async def main() -> tuple[list[str], BaseException | None, Any]:
        source = AsyncEventSource(url, **options)
        if setup is not None:
            setup(source)
        try:
            async with source:
                async for event in source:
                    data.append(event.data)  # noqa: PERF401 (kept up to an error)
        except Exception as exc:
            return data, exc, source
        return data, None, source

    return asyncio.run(main())


def assert_no_secret(*texts: object) -> None:
    for text in texts:
        for secret in ALL_SECRETS:
            assert secret not in str(text), (secret, text)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_drop_is_told_once_with_its_reason_attempt_and_delay(mode, server, path):
    a, b = frame("a", id="1"), frame("b", id="2")
    server.script(path, [Reply(body=[Send(a), Drop()]), Reply(body=[Send(b), Close()])])
    seen: list[tuple[ReconnectInfo, int]] = []

    def setup(source: Any) -> None:
        source.on_reconnect(lambda info: seen.append((info, len(server.requests(path)))))

    data, error, source = run(mode, server.url(path), setup, retry=0.05, reconnect=False)
    assert error is None and data == ["a", "b"]
    [(info, requests_then)] = seen
    assert requests_then == 1  # told before the reconnect, not after
    assert info.attempt == 1 and 0 <= info.delay < 0.05
    assert info.error_type == "APIConnectionError" and info.status is None
    assert info.reason.startswith("APIConnectionError: ")
    stats = source.stats
    assert isinstance(stats, StreamStats)
    assert stats == StreamStats(
        connections=2,
        reconnects=1,
        bytes_received=len(a) + len(b),
        events_delivered=2,
        last_error=info.reason,
    )
    with pytest.raises(AttributeError):
        stats.reconnects = 0  # frozen


def test_a_503_with_retry_after_is_told_with_its_status_and_exact_delay(mode, server, path):
    busy = Reply(status=503, headers={"Retry-After": "0"}, body=b"busy")
    server.script(path, [busy, busy, Reply(body=[Send(frame("ok")), Close()])])
    seen: list[ReconnectInfo] = []
    data, error, source = run(
        mode, server.url(path), lambda s: s.on_reconnect(seen.append), reconnect=False, retry=5
    )
    assert error is None and data == ["ok"]
    assert [(i.attempt, i.delay, i.status) for i in seen] == [(1, 0.0, 503), (2, 0.0, 503)]
    assert all(i.error_type == "InternalServerError" for i in seen)
    assert source.stats.connections == 1 and source.stats.reconnects == 2


def test_the_log_tells_connect_reconnect_and_give_up_without_secrets(mode, caplog):
    caplog.set_level(logging.DEBUG, logger="agentstream")
    url = f"http://127.0.0.1:{closed_port()}/stream?token={QUERY_SECRET}"
    seen: list[ReconnectInfo] = []
    data, error, source = run(
        mode,
        url,
        lambda s: s.on_reconnect(seen.append),
        headers=SECRETS,
        retry=0.01,
        max_reconnect_attempts=1,
    )
    assert isinstance(error, ReconnectExhausted) and data == []
    records = [r for r in caplog.records if r.name == "agentstream"]
    kinds = [(r.levelname, r.getMessage().split(":", 1)[0]) for r in records]
    assert kinds == [
        ("DEBUG", "connecting"),
        ("INFO", "reconnecting"),
        ("DEBUG", "connecting"),
        ("WARNING", "gave up"),
    ]
    assert "/stream" in records[1].getMessage() and "attempt 1" in records[1].getMessage()
    assert "after 2 attempts" in records[3].getMessage()
    [info] = seen
    assert info.error_type == "APIConnectionError"
    assert source.stats.connections == 0 and source.stats.reconnects == 1
    assert source.stats.last_error is not None
    # never connected: the give-up is UnreachableError (a ReconnectExhausted)
    assert source.stats.last_error.startswith("UnreachableError: ")
    assert_no_secret(info, source.stats, *(r.getMessage() for r in records))


def test_an_exception_in_the_callback_propagates_and_closes_the_source(mode, server, path):
    server.script(path, [Reply(body=[Send(frame("a")), Drop()]), Reply(body=[Send(frame("b"))])])

    def boom(info: ReconnectInfo) -> None:
        raise ValueError(f"no reconnects here ({info.attempt})")

    data, error, source = run(mode, server.url(path), lambda s: s.on_reconnect(boom), retry=0.01)
    assert data == ["a"]
    assert isinstance(error, ValueError) and str(error) == "no reconnects here (1)"
    assert source.closed and source.state is StreamState.CLOSED
    assert len(server.requests(path)) == 1  # it did not reconnect
    if mode == "sync":
        assert list(source) == []  # iterating again ends at once
    else:

        async def again() -> list[Any]:
            return [event async for event in source]

        assert asyncio.run(again()) == []


def test_a_removed_callback_is_not_called(mode, server, path):
    server.script(path, [Reply(body=[Send(frame("a")), Drop()]), Reply(body=[Send(frame("b"))])])
    kept: list[ReconnectInfo] = []
    removed: list[ReconnectInfo] = []

    def setup(source: Any) -> None:
        @source.on_reconnect
        def keep(info: ReconnectInfo) -> None:
            kept.append(info)

        assert callable(keep)
        source.on_reconnect(removed.append)
        source.remove_reconnect_callback(removed.append)
        source.remove_reconnect_callback(removed.append)  # absent: not an error

    data, error, _ = run(mode, server.url(path), setup, retry=0.01, reconnect=False)
    assert error is None and data == ["a", "b"]
    assert len(kept) == 1 and removed == []


# -- JSON requests -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_json_retries_are_logged_and_the_give_up_too(mode, server, path, caplog):
    caplog.set_level(logging.DEBUG, logger="agentstream")
    server.script(path, Reply(status=503, headers={"Retry-After": "0"}, body=b"busy"))
    base = server.url("")
    target = f"{path}?token={QUERY_SECRET}"
    if mode == "sync":
        http: Any = SyncHTTP(base, SECRETS, timeout=2.0, max_retries=2)
        with pytest.raises(InternalServerError):
            http.request("GET", target)
        http.close()
    else:

        async def main() -> None:
            http = AsyncHTTP(base, SECRETS, timeout=2.0, max_retries=2)
            try:
                await http.request("GET", target)
            finally:
                await http.aclose()

        with pytest.raises(InternalServerError):
            asyncio.run(main())
    records = [r for r in caplog.records if r.name == "agentstream"]
    messages = [r.getMessage() for r in records]
    assert [r.levelname for r in records] == ["INFO", "INFO", "WARNING"]
    assert messages[0].startswith("retrying: GET ") and "(retry 1)" in messages[0]
    assert "InternalServerError: " in messages[0]
    assert messages[2].startswith("gave up: GET ") and "after 3 attempts" in messages[2]
    assert len(server.requests(path)) == 3
    assert_no_secret(*messages)
