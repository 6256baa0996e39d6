"""Tests of the scripted SSE test server, using raw sockets, requests and httpx directly."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
import requests

from tests.sse_server import (
    Close,
    Drop,
    Headers,
    Heartbeats,
    Reply,
    Send,
    Sleep,
    SSEServer,
    Stall,
    frame,
)

pytestmark = pytest.mark.timeout(10)


def server_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("sse-server-")]


@pytest.fixture
def server() -> Iterator[SSEServer]:
    with SSEServer() as srv:
        yield srv
    assert server_threads() == []


def raw_exchange(server: SSEServer, request: bytes) -> bytes:
    """Send ``request`` on a fresh socket and return everything received until EOF."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def split_response(data: bytes) -> tuple[str, Headers, bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    pairs = [(name, value) for name, _, value in (line.partition(": ") for line in lines)]
    return status_line, Headers(pairs), body


GET = b"GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n"


def test_chunked_framing_is_byte_exact(server: SSEServer) -> None:
    server.script(
        "/stream", Reply(body=[Send(b"id: 1\ndata: a\n\n"), Send(b"da"), Send(b"ta: x\n\n")])
    )
    status, headers, body = split_response(raw_exchange(server, GET))
    assert status == "HTTP/1.1 200 OK"
    assert headers["content-type"] == "text/event-stream; charset=utf-8"
    assert headers["Transfer-Encoding"] == "chunked"
    assert headers["Connection"] == "close"
    assert "Content-Length" not in headers
    assert body == b"f\r\nid: 1\ndata: a\n\n\r\n2\r\nda\r\n7\r\nta: x\n\n\r\n0\r\n\r\n"


def test_close_delimited_stream_and_close_action(server: SSEServer) -> None:
    server.script(
        "/stream", Reply(body=[Send(b"data: a\n"), Send(b"\n"), Close(), Send(b"x")], chunked=False)
    )
    _, headers, body = split_response(raw_exchange(server, GET))
    assert "Transfer-Encoding" not in headers
    assert "Content-Length" not in headers
    assert body == b"data: a\n\n"


def test_empty_send_writes_no_chunk_and_heartbeats(server: SSEServer) -> None:
    server.script("/stream", Reply(body=[Send(b""), Heartbeats(3, 0.01), Send(b"data: z\n\n")]))
    _, _, body = split_response(raw_exchange(server, GET))
    assert body == b"6\r\n: hb\n\n\r\n" * 3 + b"9\r\ndata: z\n\n\r\n0\r\n\r\n"


def test_drop_is_an_incomplete_body_for_requests(server: SSEServer) -> None:
    server.script("/stream", Reply(body=[Send(b"id: 1\ndata: a\n\n"), Send(b"data: par"), Drop()]))
    received = b""
    with (
        requests.get(server.url("/stream"), stream=True, timeout=2) as response,
        pytest.raises(requests.exceptions.ChunkedEncodingError),
    ):
        for chunk in response.iter_content(None):
            received += chunk
    assert received == b"id: 1\ndata: a\n\ndata: par"


def test_drop_is_an_incomplete_body_for_httpx(server: SSEServer) -> None:
    server.script("/stream", Reply(body=[Send(b"id: 1\ndata: a\n\n"), Drop()]))
    received = b""
    with (
        httpx.Client() as client,
        client.stream("GET", server.url("/stream")) as response,
        pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"),
    ):
        for chunk in response.iter_raw():
            received += chunk
    assert received == b"id: 1\ndata: a\n\n"


@pytest.mark.parametrize("chunked", [True, False])
def test_reset_drop_is_a_connection_reset(server: SSEServer, chunked: bool) -> None:
    # reset=None picks RST for close-delimited bodies, where a FIN would look clean.
    reset = True if chunked else None
    server.script("/stream", Reply(body=[Send(b"data: a\n\n"), Drop(reset=reset)], chunked=chunked))
    received = b""
    with (
        httpx.Client() as client,
        client.stream("GET", server.url("/stream")) as response,
        pytest.raises(httpx.ReadError, match="reset"),
    ):
        for chunk in response.iter_raw():
            received += chunk
    assert received == b"data: a\n\n"  # everything sent before the reset arrives
    with (
        requests.get(server.url("/stream"), stream=True, timeout=2) as resp,
        pytest.raises(requests.exceptions.ChunkedEncodingError, match="reset"),
    ):
        for _ in resp.iter_content(1):
            pass


def test_fin_drop_of_close_delimited_body_looks_clean(server: SSEServer) -> None:
    server.script("/stream", Reply(body=[Send(b"data: a\n\n"), Drop(reset=False)], chunked=False))
    with httpx.Client() as client:
        assert client.get(server.url("/stream")).content == b"data: a\n\n"


def test_declared_length_makes_a_fin_drop_visible(server: SSEServer) -> None:
    reply = Reply(headers={"Content-Length": "100"}, body=[Send(b"data: a\n\n"), Drop()])
    server.script("/stream", reply)
    with httpx.Client() as client, pytest.raises(httpx.RemoteProtocolError):
        client.get(server.url("/stream"))


def test_successive_replies_then_last_repeats(server: SSEServer) -> None:
    server.script(
        "/stream",
        [
            Reply(status=503, headers={"Retry-After": "1"}),
            Reply(body=[Send(frame("a", id="1"))]),
            Reply(body=[Send(frame("b", id="2"))]),
        ],
    )
    with requests.Session() as session:
        results = [session.get(server.url("/stream"), timeout=2) for _ in range(4)]
    assert [r.status_code for r in results] == [503, 200, 200, 200]
    assert [r.content for r in results[1:]] == [
        b"id: 1\ndata: a\n\n",
        b"id: 2\ndata: b\n\n",
        b"id: 2\ndata: b\n\n",
    ]
    server.script("/stream", Reply(status=500, body=b"boom"))  # replacing restarts the count
    with httpx.Client() as client:
        assert client.get(server.url("/stream")).status_code == 500
    assert len(server.requests("/stream")) == 5


def test_records_headers_query_and_post_body(server: SSEServer) -> None:
    server.script("/runs/7/events", Reply(body=[Send(b"data: ok\n\n")]))
    with httpx.Client() as client:
        response = client.post(
            server.url("/runs/7/events?follow=1&x=%20"),
            json={"since": 3},
            headers={"Last-Event-ID": "42", "X-Multi": "a"},
        )
    assert response.text == "data: ok\n\n"
    with requests.request("REPORT", server.url("/runs/7/events"), data=b"raw", timeout=2) as r:
        assert r.status_code == 200
    first, second = server.wait_for_requests("/runs/7/events", 2, timeout=1)
    assert (first.method, first.path, first.query) == ("POST", "/runs/7/events", "follow=1&x=%20")
    assert first.target == "/runs/7/events?follow=1&x=%20"
    assert first.headers["last-event-id"] == first.headers["LAST-EVENT-ID"] == "42"
    assert "Last-Event-Id" in first.headers
    assert first.headers["content-type"] == "application/json"
    assert first.json() == {"since": 3}
    assert (second.method, second.body, second.query) == ("REPORT", b"raw", "")
    assert server.requests() == [first, second]


def test_raw_post_body_and_unsupported_chunked_request(server: SSEServer) -> None:
    server.script("/up", Reply(status=204))
    request = b"POST /up?a=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde"
    assert raw_exchange(server, request).startswith(b"HTTP/1.1 204 No Content\r\n")
    assert server.requests("/up")[0].body == b"abcde"
    request = b"POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    assert raw_exchange(server, request).startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert len(server.requests("/up")) == 1


def test_relative_and_absolute_redirects(server: SSEServer) -> None:
    server.script("/old", Reply(status=307, headers={"Location": "/new"}))
    server.script("/older", Reply(status=308, headers={"Location": server.url("/old")}))
    server.script("/new", Reply(body=[Send(b"data: moved\n\n")]))
    with requests.post(server.url("/older"), json={"a": 1}, timeout=2) as response:
        assert response.content == b"data: moved\n\n"
        assert [r.status_code for r in response.history] == [308, 307]
    with httpx.Client(follow_redirects=True) as client:
        assert client.get(server.url("/old")).text == "data: moved\n\n"
    posted = server.requests("/new")[0]
    assert (posted.method, posted.json()) == ("POST", {"a": 1})


def test_204_has_no_body_and_no_length(server: SSEServer) -> None:
    server.script("/stream", Reply(status=204))
    status, headers, body = split_response(raw_exchange(server, GET))
    assert status == "HTTP/1.1 204 No Content"
    assert "Content-Length" not in headers
    assert "Content-Type" not in headers
    assert body == b""
    with httpx.Client() as client:
        response = client.get(server.url("/stream"))
    assert (response.status_code, response.content) == (204, b"")


def test_error_replies_have_length_and_headers(server: SSEServer) -> None:
    server.script("/limited", Reply(status=429, headers={"Retry-After": "3"}, body=b"slow down"))
    server.script(
        "/auth",
        Reply(status=401, headers={"Content-Type": "application/json"}, body=b'{"error":"no"}'),
    )
    server.script("/json", Reply(headers={"Content-Type": "application/json"}, body=b"{}"))
    with requests.get(server.url("/limited"), timeout=2) as response:
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "3"
        assert response.headers["Content-Length"] == "9"
        assert response.text == "slow down"
    with httpx.Client() as client:
        auth = client.get(server.url("/auth"))
        wrong_type = client.get(server.url("/json"))
        missing = client.get(server.url("/nowhere"))
    assert (auth.status_code, auth.json()) == (401, {"error": "no"})
    assert wrong_type.headers["content-type"] == "application/json"
    assert wrong_type.headers["content-length"] == "2"
    assert (missing.status_code, missing.text) == (404, "no script for /nowhere\n")


def test_custom_reason_and_malformed_request(server: SSEServer) -> None:
    server.script("/stream", Reply(status=599, reason="Weird"))
    assert raw_exchange(server, GET).startswith(b"HTTP/1.1 599 Weird\r\n")
    assert raw_exchange(server, b"NONSENSE\r\n\r\n").startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert len(server.requests()) == 1


def test_sleep_delays_and_stall_goes_silent(server: SSEServer) -> None:
    server.script("/slow", Reply(body=[Send(b"data: 1\n\n"), Sleep(0.2), Send(b"data: 2\n\n")]))
    server.script("/stall", Reply(body=[Send(b"data: 1\n\n"), Stall(0.3)]))
    arrivals = []
    started = time.monotonic()
    with httpx.Client() as client:
        with client.stream("GET", server.url("/slow")) as response:
            arrivals = [time.monotonic() - started for _ in response.iter_raw()]
        assert len(arrivals) == 2
        assert arrivals[1] - arrivals[0] >= 0.18
        with client.stream("GET", server.url("/stall"), timeout=httpx.Timeout(2, read=0.1)) as r:
            chunks = r.iter_raw()
            assert next(chunks) == b"data: 1\n\n"
            with pytest.raises(httpx.ReadTimeout):
                next(chunks)
        started = time.monotonic()
        with (
            client.stream("GET", server.url("/stall")) as response,
            pytest.raises(httpx.RemoteProtocolError),
        ):
            for _ in response.iter_raw():
                pass
        assert 0.25 <= time.monotonic() - started < 1.5


def test_concurrent_connections(server: SSEServer) -> None:
    server.script("/hang", Reply(body=[Send(b"data: 1\n\n"), Sleep(5)]))
    server.script("/quick", Reply(body=b"ok", headers={"Content-Type": "text/plain"}))
    with httpx.Client() as client, ExitStack() as stack:
        for _ in range(3):
            response = stack.enter_context(client.stream("GET", server.url("/hang")))
            assert next(response.iter_raw()) == b"data: 1\n\n"
        assert client.get(server.url("/quick")).text == "ok"
        assert len(server.requests("/hang")) == 3


def test_stop_unblocks_client_mid_stream() -> None:
    errors: list[BaseException] = []
    received = threading.Event()

    def consume(url: str) -> None:
        try:
            with requests.get(url, stream=True, timeout=10) as response:
                for _ in response.iter_content(None):
                    received.set()
        except requests.RequestException as exc:
            errors.append(exc)

    server = SSEServer().start()
    server.script("/stream", Reply(body=[Send(b"data: 1\n\n"), Stall(30)]))
    client = threading.Thread(target=consume, args=(server.url("/stream"),))
    client.start()
    assert received.wait(2)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 0.5
    client.join(2)
    assert not client.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], requests.exceptions.ChunkedEncodingError)
    assert server_threads() == []


def test_stop_with_idle_and_silent_connections() -> None:
    with SSEServer() as server, socket.create_connection(("127.0.0.1", server.port)) as idle:
        idle.sendall(b"GET /str")  # an incomplete request head
        while len(server_threads()) < 2:  # wait until the connection is being served
            time.sleep(0.005)
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 0.5
        idle.settimeout(1)
        assert idle.recv(100) == b""
    assert server_threads() == []


def test_wait_for_requests_times_out(server: SSEServer) -> None:
    server.script("/stream", Reply(status=204))
    with pytest.raises(TimeoutError, match="0 of 1"):
        server.wait_for_requests("/stream", 1, timeout=0.05)
    client = threading.Thread(target=raw_exchange, args=(server, GET))
    client.start()
    assert server.wait_for_requests("/stream", 1, timeout=2)[0].method == "GET"
    client.join(2)


def test_helpers() -> None:
    assert frame("a\nb", id="1", event="tick", retry=50) == (
        b"id: 1\nevent: tick\nretry: 50\ndata: a\ndata: b\n\n"
    )
    assert frame() == b"\n\n"
    headers = Headers([("X-A", "1"), ("x-a", "2"), ("B", "3")])
    assert dict(headers) == {"X-A": "1, 2", "B": "3"}
    assert headers.get("b") == "3"
    with pytest.raises(RuntimeError):
        SSEServer().url("/")
    with pytest.raises(ValueError):
        SSEServer().script("/", [])
