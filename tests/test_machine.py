"""StreamMachine unit tests: the transition table, HTTP rules, reconnect requests, the
policy seam, decoder integration and closing. No IO: a fake clock and a script.
Backoff and timers are in test_machine_timing.py."""

from __future__ import annotations

import itertools
import typing

import pytest

from agentstream import _exceptions as err
from agentstream._commands import (
    Close,
    Fail,
    Fetch,
    Fetched,
    Finish,
    Input,
    Opened,
    Received,
    Wait,
)
from agentstream._machine import MAX_RETRY_AFTER, TRANSITIONS, StreamConfig
from agentstream._machine import StreamState as S
from agentstream._policy import Request
from agentstream._sse import Comment, ServerSentEvent, encode
from tests.machine_helpers import (
    PATHS,
    SAMPLES,
    SSE_HEADERS,
    FakePolicy,
    Pair,
    Response,
    header,
    opened,
    pair_in,
    refused,
)

SECRETS = {"Set-Cookie": "session=SECRET-COOKIE", "Authorization": "Bearer SECRET-TOKEN"}
DATE, LATER = "Wed, 21 Oct 2015 07:27:30 GMT", "Wed, 21 Oct 2015 07:28:00 GMT"


# ---------------------------------------------------------------- the transition table


def test_samples_cover_every_input_type() -> None:
    """The table tests below exercise every input type and every state."""
    assert set(SAMPLES) == set(typing.get_args(Input))
    assert set(PATHS) == set(S) == set(TRANSITIONS)


@pytest.mark.parametrize(("state", "kind"), list(itertools.product(S, SAMPLES)))
def test_transition_table(state: S, kind: type) -> None:
    """An input in TRANSITIONS[state] is accepted and lands in an allowed state; any other
    raises LocalProtocolError naming the input and the state, and changes nothing."""
    pair = pair_in(state)
    allowed = TRANSITIONS[state].get(kind)
    if allowed is None:
        with pytest.raises(err.LocalProtocolError, match=rf"{kind.__name__}.*{state.name}"):
            pair.send(SAMPLES[kind])
        assert pair.machine.state is state
    else:
        pair.send(SAMPLES[kind])
        assert pair.machine.state in allowed


# ---------------------------------------------------------------- HTTP rules


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Content-Type", "text/event-stream"),
        ("content-type", "text/event-stream; charset=utf-8"),
        ("CONTENT-TYPE", " TEXT/Event-Stream ;charset=UTF-8"),
        ("Content-Type", "application/json"),
        ("X-Other", "no content type"),
    ],
)
def test_200_needs_event_stream(name: str, value: str) -> None:
    """A 200 with text/event-stream (any case, with parameters) opens; a wrong or missing
    content type fails with RemoteProtocolError naming it, and is not reconnected."""
    pair = Pair(Response(200, {name: value}, chunks=[encode("a")])).run()
    if "event-stream" in value.lower():
        assert pair.events == [ServerSentEvent(data="a")] and len(pair.requests) == 2
    else:
        assert isinstance(pair.error, err.RemoteProtocolError) and value in str(pair.error)
        assert pair.events == [] and len(pair.requests) == 1


def test_204_finishes_without_reconnecting() -> None:
    """204 No Content finishes the stream; it is never reconnected."""
    pair = Pair(Response(204), Response()).run()
    assert (pair.outcome, pair.machine.state, len(pair.requests)) == (Finish(), S.CLOSED, 1)


@pytest.mark.parametrize("status", [429, 500, 502, 503])
@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        pytest.param({"Retry-After": "7"}, 7.0, id="seconds"),
        pytest.param({"Retry-After": "0"}, 0.0, id="zero"),
        pytest.param({"Retry-After": LATER, "Date": DATE}, 30.0, id="date"),
        pytest.param({}, 0.5, id="absent-backoff"),
        pytest.param({"Retry-After": LATER}, 0.5, id="date-no-Date"),
        pytest.param({"Retry-After": "soon"}, 0.5, id="garbage"),
    ],
)
def test_retryable_status_waits_then_connects(
    status: int, headers: dict[str, str], wait: float
) -> None:
    """429 and 5xx wait Retry-After exactly (an HTTP-date measured against the Date
    header), else the jittered backoff; then connect again. send() never raises."""
    pair = Pair(Response(status, headers), Response(chunks=[encode("a")]), random=lambda: 0.5)
    pair.run()
    assert pair.waits[0] == wait
    assert len(pair.requests) >= 2
    assert pair.events == [ServerSentEvent(data="a")]


def test_retry_after_date_with_mixed_zones() -> None:
    """A Retry-After date in "-0000" (parsed naive) against a GMT Date (parsed aware) is
    ignored like any unusable Retry-After: the backoff applies, send() does not raise."""
    headers = {"Retry-After": "Wed, 21 Oct 2015 07:28:00 -0000", "Date": DATE}
    assert pair_in(S.CONNECTING).send(Opened(503, headers)) == [Wait(0.5)]


@pytest.mark.parametrize(
    ("status", "kind"), [(429, err.RateLimitError), (503, err.InternalServerError)]
)
def test_retry_after_above_max_fails(status: int, kind: type[err.APIStatusError]) -> None:
    """A Retry-After above MAX_RETRY_AFTER is not waited for: the status error is raised."""
    pair = Pair(Response(status, {"Retry-After": str(int(MAX_RETRY_AFTER) + 1)})).run()
    assert type(pair.error) is kind and pair.error.status_code == status
    assert (pair.waits, pair.machine.state) == ([], S.FAILED)
    assert getattr(pair.error, "retry_after", MAX_RETRY_AFTER + 1) == MAX_RETRY_AFTER + 1


CLIENT_ERRORS = {
    400: err.BadRequestError,
    401: err.AuthenticationError,
    403: err.PermissionDeniedError,
    404: err.NotFoundError,
    409: err.ConflictError,
    422: err.UnprocessableEntityError,
    410: err.APIStatusError,
    418: err.APIStatusError,
}


@pytest.mark.parametrize(("status", "kind"), list(CLIENT_ERRORS.items()))
def test_client_error_fails(status: int, kind: type[err.APIStatusError]) -> None:
    """Other 4xx fail with the most specific APIStatusError, secrets redacted."""
    headers = {"X-Request-Id": "req-1", **SECRETS}
    pair = Pair(Response(status, headers, body=b'{"error": {"code": "nope"}}')).run()
    error = pair.error
    assert type(error) is kind and error.status_code == status
    assert error.body == {"error": {"code": "nope"}}
    assert {k.lower(): v for k, v in error.headers.items()}["x-request-id"] == "req-1"
    assert "SECRET" not in f"{error} {error!r} {error.headers} {error.args}"
    assert len(pair.requests) == 1 and pair.machine.state is S.FAILED


@pytest.mark.parametrize(
    ("body", "expected"),
    [(b"not json", "not json"), (b"", ""), (b"[1, 2]", [1, 2]), (b"\xff", "\ufffd")],
)
def test_error_body_json_or_text(body: bytes, expected: object) -> None:
    """An error body is parsed as JSON when it is JSON, else kept as text."""
    assert Pair(Response(400, {}, body=body)).run().error.body == expected


# ---------------------------------------------------------------- reconnect requests


def test_reconnect_resends_request_with_last_event_id() -> None:
    """A reconnect re-sends method, headers and body, plus Last-Event-ID = the last id seen."""
    original = Request(method="POST", url="https://x/runs", headers={"X-A": "1"}, body=b"{}")
    stream = encode("a", id="1") + encode("b") + encode("c", id="7") + encode("d")
    pair = Pair(Response(chunks=[stream]), request=original).run()
    first, second = pair.requests
    assert first == original
    assert (second.method, second.url, second.body) == ("POST", "https://x/runs", b"{}")
    assert dict(second.headers) == {"X-A": "1", "Last-Event-ID": "7"}
    assert [e.id for e in pair.events] == ["1", "1", "7", "7"]


@pytest.mark.parametrize(("initial", "sent"), [("", None), ("41", "41")])
def test_last_event_id_before_any_id(initial: str, sent: str | None) -> None:
    """Until an id is seen, every request carries last_event_id= (no header when empty)."""
    pair = Pair(Response(chunks=[encode("a")]), refused(), last_event_id=initial).run()
    assert pair.last_event_ids == [sent] * 3
    assert pair.events[0].id == initial


@pytest.mark.parametrize("name", ["Last-Event-ID", "last-event-id", "LAST-EVENT-ID"])
def test_caller_last_event_id_header_replaced(name: str) -> None:
    """A caller-supplied Last-Event-ID header, in any case, is replaced, not duplicated."""
    original = Request(url="https://x/s", headers={name: "stale", "Accept": "text/event-stream"})
    pair = Pair(Response(chunks=[encode("a", id="9")]), Response(), request=original).run()
    assert header(pair.requests[1], "last-event-id") == ["9"]
    assert header(pair.requests[1], "accept") == ["text/event-stream"]


def test_id_reset_drops_caller_last_event_id_header() -> None:
    """Once the server resets the id (an empty `id` field), reconnects carry no
    Last-Event-ID at all: not the caller's original header again."""
    original = Request(url="https://x/s", headers={"Last-Event-ID": "caller-5"})
    chunks = [encode("a", id="7"), b"id\n\n", encode("b")]
    pair = Pair(Response(chunks=chunks), request=original).run()
    assert pair.machine.last_event_id == ""
    assert pair.last_event_ids == ["caller-5", None]


# ---------------------------------------------------------------- the policy seam


def test_terminal_delivers_then_finishes() -> None:
    """TERMINAL delivers the event, then Finish; later events in the chunk are dropped."""
    pair = opened(policy=FakePolicy())
    chunk = encode("a") + encode("done", event="terminal") + encode("after")
    commands = pair.send(Received(chunk))
    assert commands == [
        ServerSentEvent(data="a"),
        ServerSentEvent(event="terminal", data="done"),
        Finish(),
    ]
    assert pair.machine.state is S.CLOSED


def test_reconnect_verdict_waits_policy_delay() -> None:
    """RECONNECT waits the policy's delay, without counting a failure, then connects."""
    pair = opened(policy=FakePolicy(reconnect_delay=2.5))
    assert pair.send(Received(encode("bye", event="reconnect", id="1"))) == [Wait(2.5)]
    assert (pair.machine.state, pair.machine.attempts) == (S.WAITING, 0)
    assert pair.reconnect_id() == "1"


@pytest.mark.parametrize("verdict", ["reconnect", "terminal"])
def test_cursor_stops_at_the_event_that_ends_the_connection(verdict: str) -> None:
    """Events after a RECONNECT or TERMINAL event in the same chunk are not delivered, so
    last_event_id (and the reconnect's Last-Event-ID) stay at that event's id."""
    pair = opened(policy=FakePolicy())
    pair.send(Received(encode("end", event=verdict, id="1") + encode("b", id="2", retry=9000)))
    assert pair.events == ([ServerSentEvent(verdict, "end", "1")] if verdict == "terminal" else [])
    assert (pair.machine.last_event_id, pair.machine.retry_ms) == ("1", None)
    if verdict == "reconnect":
        assert pair.reconnect_id() == "1"


@pytest.mark.parametrize("verdict", ["reconnect", "terminal"])
def test_a_retry_before_the_ending_event_in_its_chunk_counts(verdict: str) -> None:
    """A `retry:` on an event earlier in the chunk than the event that ends the
    connection is kept (it used to be taken only at the chunk's end, never reached)."""
    pair = opened(policy=FakePolicy())
    chunk = encode("a", id="1", retry=2500) + encode("end", event=verdict, id="2")
    pair.send(Received(chunk + encode("b", id="3", retry=9000)))
    assert (pair.machine.last_event_id, pair.machine.retry_ms) == ("2", 2500)


@pytest.mark.parametrize("kind", ["skip", "control"])
def test_skip_and_control_not_delivered(kind: str) -> None:
    """SKIP and CONTROL events are not delivered."""
    pair = opened(policy=FakePolicy())
    assert pair.send(Received(encode("x", event=kind) + encode("y"))) == [ServerSentEvent(data="y")]


def test_backfill_fetch() -> None:
    """opened() returning a Request gives a Fetch; Fetched delivers the policy's items."""
    backfill = Request(url="https://x/events")
    items = [ServerSentEvent(data="old-1", id="1"), ServerSentEvent(data="old-2", id="2")]
    policy = FakePolicy(backfill_request=backfill, backfill_items=items)
    pair = pair_in(S.CONNECTING, policy=policy)
    assert pair.send(Opened(200, SSE_HEADERS)) == [Fetch(backfill)]
    assert pair.send(Fetched(200, b"[...]")) == items
    assert policy.fetched == [(200, b"[...]")]
    assert pair.send(Received(encode("new"))) == [ServerSentEvent(data="new")]


def test_backfill_pages():
    """A Request last among the backfill items is the next page: a Fetch after the events;
    a page with no events is no progress."""
    first, second = Request(url="https://x/events"), Request(url="https://x/events?page=2")
    page = [ServerSentEvent(data="old-1", id="1"), second]
    policy = FakePolicy(backfill_request=first, backfill_items=page)
    pair = pair_in(S.CONNECTING, policy=policy)
    assert pair.send(Opened(200, SSE_HEADERS)) == [Fetch(first)]
    assert pair.send(Fetched(200, b"page 1")) == [
        ServerSentEvent(data="old-1", id="1"),
        Fetch(second),
    ]
    policy.backfill_items = [ServerSentEvent(data="old-2", id="2")]
    assert pair.send(Fetched(200, b"page 2")) == [ServerSentEvent(data="old-2", id="2")]
    assert policy.fetched == [(200, b"page 1"), (200, b"page 2")]


@pytest.mark.parametrize("finishes", [True, False])
def test_policy_ended(finishes: bool) -> None:
    """ended() True makes a clean end Finish; False reconnects."""
    pair = Pair(Response(chunks=[encode("a")]), Response(), policy=FakePolicy(ended=finishes))
    pair.run()
    if finishes:
        assert pair.outcome == Finish() and len(pair.requests) == 1
    else:
        assert pair.outcome is None and len(pair.requests) == 3 and pair.waits


# ---------------------------------------------------------------- decoder integration


def test_oversized_event_fails_after_earlier_events() -> None:
    """An oversized event fails the stream after the earlier events were delivered."""
    pair = opened(config=StreamConfig(max_event_bytes=32))
    assert pair.send(Received(encode("a"))) == [ServerSentEvent(data="a")]
    [fail] = pair.send(Received(b"data: " + b"x" * 64))
    assert isinstance(fail, Fail) and isinstance(fail.error, err.RemoteProtocolError)
    assert pair.machine.state is S.FAILED


def test_oversized_event_in_same_chunk_fails_at_once() -> None:
    """When one chunk completes an event and then overflows the next, the event is
    delivered and the Fail comes from the same send (not deferred to a later input,
    where a TimedOut or Lost would turn it into a reconnect)."""
    pair = opened(config=StreamConfig(max_event_bytes=32))
    commands = pair.send(Received(encode("a") + b"data: " + b"x" * 64))
    assert commands[0] == ServerSentEvent(data="a")
    assert len(commands) == 2 and isinstance(commands[1], Fail)
    assert isinstance(commands[1].error, err.RemoteProtocolError)


def test_oversized_event_keeps_id_of_earlier_block() -> None:
    """An id-only block before an oversized event still moves last_event_id, so a restart
    resumes after it."""
    pair = opened(config=StreamConfig(max_event_bytes=32))
    [fail] = pair.send(Received(b"id: 5\n\ndata: " + b"x" * 64))
    assert isinstance(fail, Fail)
    assert pair.machine.last_event_id == "5"


def test_incomplete_event_at_clean_end_is_discarded() -> None:
    """A clean end discards an incomplete event (and its id) and reconnects."""
    chunk = encode("a", id="1") + b"id: 2\ndata: partial\n"
    pair = Pair(Response(chunks=[chunk]), Response()).run()
    assert pair.events == [ServerSentEvent(data="a", id="1")]
    assert pair.last_event_ids == [None, "1", "1"]


@pytest.mark.parametrize("comments", [True, False])
def test_comments_only_when_asked(comments: bool) -> None:
    """Comment lines are delivered as Comment items only with comments=True."""
    pair = opened(config=StreamConfig(comments=comments))
    commands = pair.send(Received(b": hi\n" + encode("a")))
    assert commands == [Comment("hi")] * comments + [ServerSentEvent(data="a")]


# ---------------------------------------------------------------- closing


@pytest.mark.parametrize("state", list(S))
def test_close_from_every_state(state: S) -> None:
    """Close ends in CLOSED from every state, except FAILED, which stays FAILED."""
    pair = pair_in(state)
    assert pair.send(Close()) == []
    assert pair.machine.state is (S.FAILED if state is S.FAILED else S.CLOSED)


@pytest.mark.parametrize("how", ["finish", "close"])
@pytest.mark.parametrize("kind", [k for k in SAMPLES if k is not Close])
def test_nothing_after_finish_or_close(how: str, kind: type) -> None:
    """After Finish or Close, any input but Close raises LocalProtocolError."""
    pair = opened(policy=FakePolicy())
    pair.send(Received(encode("a")))
    if how == "finish":
        assert pair.send(Received(encode("z", event="terminal")))[-1] == Finish()
    else:
        pair.send(Close())
    with pytest.raises(err.LocalProtocolError):
        pair.send(SAMPLES[kind])
    assert pair.machine.state is S.CLOSED
    assert pair.send(Close()) == []
