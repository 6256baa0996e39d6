"""EventSource and AsyncEventSource against a real loopback server: status codes and
their errors, and giving up (attempts exhausted, limits, connection refused).

Every test runs once per twin (the ``mode`` fixture); see conftest.collect.
"""

from __future__ import annotations

import socket

import pytest

from agentstream import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ReconnectExhausted,
    RemoteProtocolError,
    StreamState,
)
from tests.conftest import collect
from tests.eventsource_helpers import FAST
from tests.sse_server import Close, Reply, Send, Sleep, frame

pytestmark = pytest.mark.timeout(20)


# -- status codes ------------------------------------------------------------------------

HTTP_DATE = "Wed, 21 Oct 2015 07:28:00 GMT"


@pytest.mark.parametrize(
    ("errors", "retry"),
    [
        ([Reply(status=500, body=b"boom"), Reply(status=503, body=b"busy")], 0.01),
        ([Reply(status=429, headers={"Retry-After": "0"}, body=b"slow down")], 60.0),
        ([Reply(status=503, headers={"Retry-After": HTTP_DATE, "Date": HTTP_DATE})], 60.0),
    ],
    ids=["500-503", "429-retry-after-0", "503-retry-after-date"],
)
def test_transient_errors_then_200_recover(mode, server, path, errors, retry):
    # With retry=60, only the Retry-After of 0 s makes the recovery quick.
    server.script(path, [*errors, Reply(body=[Send(frame("ok", id="1")), Close()])])
    out = collect(mode, server.url(path), reconnect=False, **{**FAST, "retry": retry})
    assert out.error is None
    assert out.data == ["ok"]
    assert len(server.requests(path)) == len(errors) + 1
    assert out.elapsed < 2.0


@pytest.mark.parametrize(
    ("status", "kind"), [(429, RateLimitError), (503, InternalServerError)], ids=["429", "503"]
)
def test_huge_retry_after_raises_at_once(mode, server, path, status, kind):
    server.script(path, Reply(status=status, headers={"Retry-After": "3600"}, body=b"later"))
    out = collect(mode, server.url(path), **FAST)
    assert type(out.error) is kind
    assert out.error.status_code == status
    assert out.error.body == "later"
    if status == 429:
        assert out.error.retry_after == 3600
    assert len(server.requests(path)) == 1
    assert out.source.state is StreamState.FAILED


SECRET = "sk-very-secret-0123456789"


@pytest.mark.parametrize(
    ("status", "kind"), [(401, AuthenticationError), (404, NotFoundError)], ids=["401", "404"]
)
def test_client_errors_carry_status_and_json_body_without_secrets(mode, server, path, status, kind):
    headers = {
        "Content-Type": "application/json",
        "Set-Cookie": f"session={SECRET}",
        "X-Request-Id": "req_1",
    }
    body = b'{"error": {"type": "denied", "message": "no"}}'
    server.script(path, Reply(status=status, headers=headers, body=body))
    sent = {"Authorization": f"Bearer {SECRET}", "X-Api-Key": SECRET}
    out = collect(mode, server.url(path), headers=sent, **FAST)
    error = out.error
    assert type(error) is kind
    assert error.status_code == status
    assert error.body == {"error": {"type": "denied", "message": "no"}}
    assert error.headers.get("x-request-id") == "req_1"
    assert len(server.requests(path)) == 1  # not retried
    assert server.requests(path)[0].headers["Authorization"] == f"Bearer {SECRET}"
    for text in (repr(error), str(error), repr(error.headers), repr(out.source)):
        assert SECRET not in text
    assert all(SECRET not in value for value in error.headers.values())


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/json", ""])
def test_wrong_content_type_raises(mode, server, path, content_type):
    reply = Reply(headers=[("Content-Type", content_type)], body=[Send(frame("x")), Close()])
    server.script(path, reply)
    out = collect(mode, server.url(path), **FAST)
    assert isinstance(out.error, RemoteProtocolError)
    assert out.events == []
    assert len(server.requests(path)) == 1


# -- giving up ----------------------------------------------------------------------------------


def test_reconnect_attempts_exhausted_on_503(mode, server, path):
    server.script(path, Reply(status=503, body=b'{"error": "overloaded"}'))
    out = collect(mode, server.url(path), max_reconnect_attempts=2, **FAST)
    error = out.error
    assert isinstance(error, ReconnectExhausted)
    assert isinstance(error.last_cause, InternalServerError)
    assert error.last_cause.status_code == 503
    assert error.last_cause.body == {"error": "overloaded"}
    assert error.__cause__ is error.last_cause
    assert len(server.requests(path)) == 3  # the first try and two reconnects
    assert out.source.state is StreamState.FAILED


def test_zero_attempts_and_a_big_error_body(mode, server, path):
    server.script(path, Reply(status=500, body=b"x" * 200_000))
    out = collect(mode, server.url(path), max_reconnect_attempts=0, **FAST)
    assert isinstance(out.error, ReconnectExhausted)
    assert isinstance(out.error.last_cause, APIStatusError)
    assert out.error.last_cause.body == "x" * 64 * 1024  # kept up to 64 KiB
    assert len(server.requests(path)) == 1


@pytest.mark.parametrize("same_read", [False, True], ids=["later-read", "same-read"])
def test_oversized_event_raises_after_earlier_events(mode, server, path, same_read):
    good, big = frame("small", id="1") + frame("tiny", id="2"), frame("x" * 500)
    sends = [Send(good + big)] if same_read else [Send(good), Sleep(0.02), Send(big)]
    server.script(path, Reply(body=[*sends, Send(frame("never")), Close()]))
    out = collect(mode, server.url(path), max_event_bytes=64, **FAST)
    assert out.data == ["small", "tiny"]
    assert isinstance(out.error, RemoteProtocolError)
    assert len(server.requests(path)) == 1  # not retried
    assert out.source.state is StreamState.FAILED


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_exhausts_with_connection_error(mode):
    url = f"http://127.0.0.1:{closed_port()}/stream"
    out = collect(mode, url, max_reconnect_attempts=2, **FAST)
    error = out.error
    assert isinstance(error, ReconnectExhausted)
    assert isinstance(error.last_cause, APIConnectionError)
    assert not isinstance(error.last_cause, APITimeoutError)
    assert error.attempts == 3
    assert out.events == []
