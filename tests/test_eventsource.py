"""EventSource and AsyncEventSource against a real loopback server: decoding over the
wire, reconnect and resume, requests re-sent identically. Status codes and giving up
are in test_eventsource_errors.py.

Every test runs once per twin (the ``mode`` fixture); see conftest.collect.
"""

from __future__ import annotations

import zlib

import pytest

from agentstream import LastEventIdPolicy, ServerSentEvent, StreamState
from tests.conftest import Arrivals, collect
from tests.eventsource_helpers import FAST
from tests.sse_server import Close, Drop, Reply, Send, Sleep, Stall, frame

pytestmark = pytest.mark.timeout(20)


def pieces(data: bytes, sizes: tuple[int, ...] = (1, 2, 3, 5, 7, 11)) -> list[Send | Sleep]:
    """`data` as Send actions of odd sizes, each followed by a tiny pause so that the
    client sees the pieces as separate reads."""
    out: list[Send | Sleep] = []
    i = k = 0
    while i < len(data):
        n = sizes[k % len(sizes)]
        out += [Send(data[i : i + n]), Sleep(0.001)]
        i, k = i + n, k + 1
    return out


def lei(request) -> str | None:
    return request.headers.get("Last-Event-ID")


def drop_then(first: bytes, then: bytes) -> list[Reply]:
    """Send `first` and break the connection; on the next connection send `then`, end."""
    return [Reply(body=[Send(first), Drop()]), Reply(body=[Send(then), Close()])]


# -- decoding over the wire ------------------------------------------------------------


def test_events_in_order_across_odd_chunk_splits(mode, server, path):
    payload = (
        frame("héllo wörld", id="1", event="greet")
        + frame("line one\nline two", id="2")
        + b": a comment\n"
        + frame('{"k": "☃ 🎉"}', id="3", event="json")
        + b"data\n\n"  # a field with no colon: an event with empty data
        + frame("last", id="4")
    )
    server.script(path, Reply(body=[*pieces(payload), Close()]))
    out = collect(mode, server.url(path), reconnect=False, **FAST)
    assert out.error is None
    assert out.events == [
        ServerSentEvent("greet", "héllo wörld", "1"),
        ServerSentEvent("message", "line one\nline two", "2"),
        ServerSentEvent("json", '{"k": "☃ 🎉"}', "3"),
        ServerSentEvent("message", "", "3"),
        ServerSentEvent("message", "last", "4"),
    ]
    assert out.events[2].json() == {"k": "☃ 🎉"}
    assert out.source.last_event_id == "4"
    assert out.source.state is StreamState.CLOSED and out.source.closed


@pytest.mark.parametrize("split", [1, 2, 3], ids=lambda n: f"bom-split-after-{n}")
def test_bom_split_across_reads_and_crlf_line_endings(mode, server, path, split):
    payload = b"\xef\xbb\xbfid: 7\r\ndata: first\r\n\r\ndata: second\rdata: more\r\r"
    body = [Send(payload[:split]), Sleep(0.01), Send(payload[split:]), Close()]
    server.script(path, Reply(body=body))
    out = collect(mode, server.url(path), reconnect=False, **FAST)
    assert out.error is None
    assert out.data == ["first", "second\nmore"]
    assert [ev.id for ev in out.events] == ["7", "7"]


def test_initial_last_event_id_is_sent(mode, server, path):
    server.script(path, Reply(body=[Send(frame("x")), Close()]))
    out = collect(mode, server.url(path), reconnect=False, last_event_id="41", **FAST)
    assert out.data == ["x"]
    assert [lei(r) for r in server.requests(path)] == ["41"]
    assert out.source.last_event_id == "41"  # inherited by events without an id line


def gzip_parts(*parts: bytes) -> list[bytes]:
    """`parts` as one gzip stream, each part flushed so it can be decoded on arrival."""
    z = zlib.compressobj(wbits=31)
    out = [z.compress(p) + z.flush(zlib.Z_SYNC_FLUSH) for p in parts]
    return [*out[:-1], out[-1] + z.flush()]


FRAMINGS = ["chunked", "close-delimited", "gzip"]


def framed_reply(framing: str, *parts: bytes, end: object) -> Reply:
    """A 200 reply sending `parts` as separate writes, then `end`."""
    headers = {"Content-Encoding": "gzip"} if framing == "gzip" else {}
    if framing == "gzip":
        parts = tuple(gzip_parts(*parts))
    body = [a for p in parts for a in (Send(p), Sleep(0.01))]
    return Reply(headers=headers, body=[*body, end], chunked=framing != "close-delimited")


@pytest.mark.parametrize("framing", [*FRAMINGS, "content-length"])
def test_every_body_framing_delivers_all_events(mode, server, path, framing):
    a, b = frame("a", id="1"), frame("b", id="2")
    if framing == "content-length":
        server.script(path, Reply(body=a + b))
    else:
        server.script(path, framed_reply(framing, a, b, end=Close()))
    out = collect(mode, server.url(path), reconnect=False, **FAST)
    assert out.error is None
    assert out.data == ["a", "b"]
    assert len(server.requests(path)) == 1


@pytest.mark.parametrize("framing", FRAMINGS)
def test_events_are_delivered_as_they_arrive(mode, server, path, framing):
    # Nothing follows the first event for 3 s: a reader that waits to fill a buffer
    # (or for the end of the body) would not deliver it in time.
    server.script(path, framed_reply(framing, frame("a", id="1"), end=Stall(3.0)))
    out = collect(mode, server.url(path), limit=1, **FAST)
    assert out.data == ["a"]
    assert out.elapsed < 2.0


@pytest.mark.parametrize("event_id", ["ü-1", "☃-2"], ids=["latin-1", "non-latin-1"])
def test_non_ascii_last_event_id_is_sent_as_utf8(mode, server, path, event_id):
    # WHATWG: set `Last-Event-ID` to the last event ID string, encoded as UTF-8.
    server.script(path, drop_then(frame("a", id=event_id), frame("b")))
    out = collect(mode, server.url(path), reconnect=False, max_reconnect_attempts=1, **FAST)
    assert out.error is None, repr(out.error)
    assert out.data == ["a", "b"]
    sent = lei(server.requests(path)[1])  # the server decodes header bytes as latin-1
    assert sent.encode("latin-1") == event_id.encode("utf-8")


# -- reconnect and resume --------------------------------------------------------------


@pytest.mark.parametrize(
    ("chunked", "reset"),
    [(True, False), (True, True), (False, True)],
    ids=["fin", "rst", "close-delimited-rst"],
)
@pytest.mark.parametrize("reconnect", [True, False], ids=["reconnect", "no-reconnect"])
def test_drop_mid_event_resumes_with_last_event_id(mode, server, path, chunked, reset, reconnect):
    # A broken body is not a clean end: it is resumed even with reconnect=False. Each
    # connection delivers something, so one attempt is enough each time.
    def dropped(data: bytes) -> Reply:
        return Reply(body=[Send(data), Drop(reset=reset)], chunked=chunked)

    server.script(
        path,
        [
            dropped(frame("a", id="1") + b"id: 2\ndata: par"),
            dropped(frame("b", id="2") + b"data: half"),
            Reply(body=[Send(frame("c", id="3")), Close()]),
            Reply(status=204),
        ],
    )
    out = collect(mode, server.url(path), reconnect=reconnect, max_reconnect_attempts=1, **FAST)
    assert out.error is None
    assert out.data == ["a", "b", "c"]  # the partial events were discarded, none repeated
    expected = [None, "1", "2", "3"] if reconnect else [None, "1", "2"]
    assert [lei(r) for r in server.requests(path)] == expected
    assert out.source.state is StreamState.CLOSED


def test_retry_field_is_honoured(mode, server, path):
    # The initial delay is huge; only the server's `retry: 20` (ms) makes this quick.
    server.script(path, drop_then(frame("a", id="1", retry=20), frame("b", id="2")))
    arrivals = Arrivals(server, path, 2)
    out = collect(mode, server.url(path), reconnect=False, **{**FAST, "retry": 60.0})
    times = arrivals.join()
    assert out.error is None
    assert out.data == ["a", "b"]
    assert out.events[0].retry == 20
    assert out.source.retry == pytest.approx(0.02)
    assert len(times) == 2
    assert times[1] - times[0] < 1.5  # a 60 s base would almost surely wait far longer


@pytest.mark.parametrize("reconnect", [True, False], ids=["default", "reconnect-false"])
def test_clean_end(mode, server, path, reconnect):
    server.script(
        path,
        [
            Reply(body=[Send(frame("a", id="1")), Close()]),
            Reply(body=[Send(frame("b", id="2")), Close()]),
            Reply(status=204),
        ],
    )
    out = collect(mode, server.url(path), reconnect=reconnect, **FAST)
    assert out.error is None
    assert out.source.state is StreamState.CLOSED
    if reconnect:  # the WHATWG default: a clean end is reconnected; 204 stops it
        assert out.data == ["a", "b"]
        assert [lei(r) for r in server.requests(path)] == [None, "1", "2"]
    else:
        assert out.data == ["a"]
        assert len(server.requests(path)) == 1


def test_204_finishes_without_reconnecting(mode, server, path):
    server.script(path, Reply(status=204))
    out = collect(mode, server.url(path), **FAST)
    assert out.error is None and out.events == []
    assert len(server.requests(path)) == 1
    assert out.source.closed


def test_terminal_event_policy_finishes(mode, server, path):
    server.script(path, Reply(body=[Send(frame("a") + frame("[DONE]") + frame("z")), Stall(3)]))
    policy = LastEventIdPolicy(is_terminal=lambda ev: ev.data == "[DONE]")
    out = collect(mode, server.url(path), policy=policy, **FAST)
    assert out.error is None
    assert out.data == ["a", "[DONE]"]
    assert out.elapsed < 2.0  # the server stalls for 3 s after it
    assert len(server.requests(path)) == 1


# -- requests: redirects, methods, bodies, headers --------------------------------------------


def test_307_redirect_is_followed_with_method_and_body(mode, server, path):
    target = path + "-target"
    server.script(path, Reply(status=307, headers={"Location": target}))
    server.script(target, Reply(body=[Send(frame("moved", id="1")), Close()]))
    out = collect(mode, server.url(path), method="POST", body=b"payload=1", reconnect=False, **FAST)
    assert out.error is None
    assert out.data == ["moved"]
    for request in (*server.requests(path), *server.requests(target)):
        assert (request.method, request.body) == ("POST", b"payload=1")
    assert len(server.requests(target)) == 1


@pytest.mark.parametrize(
    ("method", "options", "sent"),
    [
        ("POST", {"body": b"\x00raw\xff"}, b"\x00raw\xff"),
        ("report", {"body": "<q>☃</q>"}, "<q>☃</q>".encode()),
        ("POST", {"json": {"prompt": "hi ☃", "n": [1, 2]}}, None),
    ],
    ids=["post-bytes", "report-text", "post-json"],
)
def test_method_and_body_resent_identically_on_reconnect(mode, server, path, method, options, sent):
    server.script(path, drop_then(frame("a", id="1"), frame("b", id="2")))
    headers = {"X-Trace": "t-1"}
    out = collect(
        mode, server.url(path), method=method, headers=headers, reconnect=False, **options, **FAST
    )
    assert out.error is None
    assert out.data == ["a", "b"]
    first, second = server.requests(path)
    assert first.method == second.method == method.upper()
    assert first.body == second.body
    assert first.headers["X-Trace"] == second.headers["X-Trace"] == "t-1"
    assert (lei(first), lei(second)) == (None, "1")
    if sent is None:
        assert first.json() == second.json() == options["json"]
        assert first.headers["Content-Type"] == second.headers["Content-Type"]
        assert first.headers["Content-Type"].startswith("application/json")
    else:
        assert first.body == sent


@pytest.mark.parametrize(
    ("headers", "accept", "cache_control"),
    [
        ({}, "text/event-stream", "no-cache"),
        ({"accept": "text/event-stream, text/plain", "CACHE-CONTROL": "max-age=0"}, None, None),
    ],
    ids=["defaults", "overridden"],
)
def test_default_headers_and_caller_overrides(mode, server, path, headers, accept, cache_control):
    server.script(path, Reply(body=[Close()]))
    collect(mode, server.url(path), headers=headers, reconnect=False, **FAST)
    (request,) = server.requests(path)
    # The server joins repeated fields with ", ": an exact match means sent exactly once.
    assert request.headers["Accept"] == (accept or headers["accept"])
    assert request.headers["Cache-Control"] == (cache_control or headers["CACHE-CONTROL"])
    assert "Last-Event-ID" not in request.headers
