"""Every wait is bounded, however slowly a server trickles: the response headers of a
stream (``headers_timeout``), a stream's events (``idle_timeout``: trickled bytes are
liveness, never progress) and a JSON call as a whole (the clients' ``timeout``). Each
ends in a typed timeout error naming the URL without its query and the limit that
fired; both twins, over loopback against a server that sends one byte at a time."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from agentstream import (
    APITimeoutError,
    AsyncEventSource,
    EventSource,
    ReconnectExhausted,
    StreamIdleTimeout,
)
from tests.conftest import collect
from tests.m8tes_helpers import Driver
from tests.trickle_server import SLOW_HEADER, STATUS_LINE, Trickler, json_head, sse_head

pytestmark = pytest.mark.timeout(10)

TOKEN = "hunter2"


def causes(error: BaseException | None) -> Iterator[BaseException]:
    """`error` and everything behind it: last_cause, __cause__ and __context__."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = getattr(error, "last_cause", None) or error.__cause__ or error.__context__


def timeout_in(error: BaseException | None) -> APITimeoutError:
    found = [e for e in causes(error) if isinstance(e, APITimeoutError)]
    assert found, f"no APITimeoutError behind {error!r}"
    return found[0]


def test_an_event_source_waits_30_s_for_headers_by_default() -> None:
    assert EventSource("http://127.0.0.1:9/").headers_timeout == 30.0
    assert AsyncEventSource("http://127.0.0.1:9/").headers_timeout == 30.0


def test_headers_trickled_a_byte_at_a_time_end_at_headers_timeout(mode: str) -> None:
    """Status line, then a header byte every 0.1 s: per-read timeouts never fire; the
    headers deadline does, and the stream ends as the caller's retry budget says."""
    with Trickler(STATUS_LINE, SLOW_HEADER) as server:
        url = server.url(f"/stream?token={TOKEN}")
        out = collect(
            mode,
            url,
            read_timeout=2,
            idle_timeout=3,
            headers_timeout=1,
            max_reconnect_attempts=0,
        )
        assert isinstance(out.error, ReconnectExhausted), out.error
        assert 0.9 < out.elapsed < 2.5
        message = str(timeout_in(out.error))
        assert message == (
            f"no response headers from {url.split('?')[0]} within 1 s (headers_timeout)"
        )
        assert TOKEN not in str(out.error)
        if mode == "async":  # cancelled: httpx lets go of the connection at once
            lingered = server.lingered()
            assert lingered is not None and lingered < 1.5


def test_a_body_trickled_without_an_event_ends_at_idle_timeout(mode: str) -> None:
    """`data: x` and then a byte every 0.1 s, never a blank line: bytes keep the
    connection alive (read_timeout never fires) but are no event, so idle_timeout does."""
    with Trickler(sse_head() + b"data: x", b"y" * 4000) as server:
        url = server.url(f"/stream?token={TOKEN}")
        out = collect(mode, url, read_timeout=2, idle_timeout=1)
    assert isinstance(out.error, StreamIdleTimeout), out.error
    assert out.events == [] and 0.9 < out.elapsed < 2.5
    assert str(out.error) == (f"no event received from {url.split('?')[0]} for 1 s (idle_timeout)")


@pytest.mark.parametrize(
    ("first", "drip"),
    [(STATUS_LINE, SLOW_HEADER), (json_head(4000), b" " * 4000)],
    ids=["headers", "body"],
)
@pytest.mark.parametrize("call", ["get", "create"])
def test_a_json_call_is_bounded_as_a_whole(mode: str, first: bytes, drip: bytes, call: str) -> None:
    """`M8tes(timeout=1).runs.get(7)` / `runs.create(stream=False)` against a server
    that trickles its headers or its body: APITimeoutError after 1 s, not never."""
    with Trickler(first, drip) as server:
        driver = Driver(mode, server.url("/api/v2"), timeout=1, max_retries=0)
        start = time.monotonic()
        try:
            with pytest.raises(APITimeoutError) as caught:
                if call == "get":
                    driver.call("get", 7)
                else:
                    driver.call("create", message="x", stream=False)
        finally:
            driver.close()
        elapsed = time.monotonic() - start
        method, path = ("GET", "/api/v2/runs/7") if call == "get" else ("POST", "/api/v2/runs/")
        assert str(caught.value) == (
            f"no complete answer to {method} {server.url(path)} within 1 s (timeout)"
        )
        assert 0.9 < elapsed < 2.0
        if first != STATUS_LINE or mode == "async":  # the client let go of the socket
            lingered = server.lingered()
            assert lingered is not None and lingered < 1.5


def test_a_platform_stream_waits_for_headers_no_longer_than_timeout(mode: str) -> None:
    """`M8tes(timeout=1).runs.create(...)` streaming: the headers deadline is `timeout`."""
    with Trickler(STATUS_LINE, SLOW_HEADER) as server:
        driver = Driver(mode, server.url("/api/v2"), timeout=1, max_stream_reconnects=0)
        start = time.monotonic()
        try:
            run = driver.collect("create", message="x")
        finally:
            driver.close()
        assert time.monotonic() - start < 2.5
        assert "(headers_timeout)" in str(timeout_in(run.error))
