"""The Everruns resume policy, without sockets: the cursor it sends back, what each frame
means, the end of a turn; and the checks made before any request."""

from __future__ import annotations

import itertools
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentstream import ServerSentEvent
from agentstream._machine import StreamConfig, StreamMachine
from agentstream._policy import Request, Verdict
from agentstream.providers.everruns import EventTypeError, SessionResumePolicy
from agentstream.providers.everruns._common import check_types, list_params, management

URL = "http://127.0.0.1:1/api/v1/sessions/session_1/sse"


def event_id(n: int) -> str:
    return f"event_{n:032x}"


def sse(kind: str, n: int, data: dict[str, Any] | None = None, **context: str) -> ServerSentEvent:
    body = {"id": event_id(n), "type": kind, "sequence": n, "context": context, "data": data or {}}
    return ServerSentEvent(data=orjson.dumps(body).decode(), event=kind, id=event_id(n))


def test_first_request_is_live_then_since_id() -> None:
    """No cursor: the URL as given (a live start); after an event, ``since_id``."""
    policy = SessionResumePolicy()
    original = Request(url=URL)
    assert policy.request(original, "").url == URL
    assert policy.classify(sse("turn.started", 7)) is Verdict.DELIVER
    assert policy.request(original, "").url == f"{URL}?since_id={event_id(7)}"
    assert policy.cursor == event_id(7)


def test_replay_starts_at_sequence_zero_until_a_cursor_exists() -> None:
    """``replay`` asks for the whole session; once an event came, since_id replaces it."""
    policy = SessionResumePolicy(replay=True)
    assert policy.request(Request(url=URL), "").url.endswith("?after_sequence=0")
    policy.classify(sse("session.started", 1))
    url = policy.request(Request(url=URL + "?after_sequence=0"), "").url
    assert "after_sequence" not in url and url.endswith(f"since_id={event_id(1)}")


def test_filters_are_repeated_keys() -> None:
    """``types`` and ``exclude`` are sent as repeated query keys on every connection."""
    policy = SessionResumePolicy(
        types=["output.message.delta", "turn.completed"], exclude=["turn.completed"]
    )
    url = policy.request(Request(url=URL), "").url
    assert url.endswith("?types=output.message.delta&types=turn.completed&exclude=turn.completed")


def test_lifecycle_frames() -> None:
    """``connected`` is CONTROL; ``disconnecting`` RECONNECT after its ``retry_ms``."""
    policy = SessionResumePolicy()
    assert policy.classify(ServerSentEvent(data='{"status":"connected"}', event="connected")) is (
        Verdict.CONTROL
    )
    frame = '{"reason":"connection_cycle","retry_ms":250}'
    assert policy.classify(ServerSentEvent(data=frame, event="disconnecting")) is Verdict.RECONNECT
    assert policy.reconnect_delay == 0.25
    policy.classify(ServerSentEvent(data="{}", event="disconnecting"))
    assert policy.reconnect_delay == 0.1
    assert policy.cursor is None and not policy.ended()


def test_repeats_are_skipped() -> None:
    """An event at or before the cursor (by sequence, else by id) is SKIP."""
    policy = SessionResumePolicy()
    assert policy.classify(sse("turn.started", 5)) is Verdict.DELIVER
    assert policy.classify(sse("turn.started", 5)) is Verdict.SKIP
    assert policy.classify(sse("turn.started", 3)) is Verdict.SKIP
    assert policy.classify(sse("turn.started", 6)) is Verdict.DELIVER
    resumed = SessionResumePolicy(since_id=event_id(9))
    bare = ServerSentEvent(data=orjson.dumps({"id": event_id(8), "type": "x"}).decode())
    assert resumed.classify(bare) is Verdict.SKIP


def test_malformed_data_is_delivered_without_moving_the_cursor() -> None:
    """A frame that is not JSON reaches the typed layer (as an UnknownEvent)."""
    policy = SessionResumePolicy(since_id=event_id(1))
    assert policy.classify(ServerSentEvent(data="not json", event="x")) is Verdict.DELIVER
    assert policy.cursor == event_id(1)


def test_turn_end_is_terminal_only_for_the_awaited_turn() -> None:
    """The end of an earlier turn (a parked turn the message abandoned) is delivered; the
    end of the turn the message started is TERMINAL."""
    policy = SessionResumePolicy(message_id="message_mine")
    assert policy.classify(sse("turn.cancelled", 1, {"turn_id": "turn_old"})) is Verdict.DELIVER
    message = {"message": {"id": "message_mine"}}
    assert policy.classify(sse("input.message", 2, message, turn_id="turn_new")) is Verdict.DELIVER
    started = {"turn_id": "turn_new", "input_message_id": "message_mine"}
    assert policy.classify(sse("turn.started", 3, started)) is Verdict.DELIVER
    assert policy.turn_id == "turn_new"
    assert policy.classify(sse("turn.failed", 4, {"turn_id": "turn_new"})) is Verdict.TERMINAL
    assert policy.finished_id == event_id(4)


@pytest.mark.parametrize("end", ["turn.completed", "turn.failed", "turn.cancelled", "turn.sealed"])
def test_every_turn_end_ends_a_turn(end: str) -> None:
    """Each of the four turn ends is TERMINAL in a turn, and plain DELIVER in a session."""
    turn = SessionResumePolicy(message_id="m")
    turn.classify(sse("turn.started", 1, {"turn_id": "t", "input_message_id": "m"}))
    assert turn.classify(sse(end, 2, {"turn_id": "t"})) is Verdict.TERMINAL
    session = SessionResumePolicy()
    assert session.classify(sse(end, 2, {"turn_id": "t"})) is Verdict.DELIVER


@given(st.lists(st.integers(1, 40), min_size=1, max_size=60))
def test_delivered_sequence_is_strictly_increasing(sequences: list[int]) -> None:
    """Whatever the server repeats or reorders, what is delivered only moves forward."""
    policy = SessionResumePolicy()
    delivered = [
        n for n in sequences if policy.classify(sse("tool.progress", n)) is Verdict.DELIVER
    ]
    assert delivered == sorted(set(delivered))
    assert all(b > a for a, b in itertools.pairwise(delivered))


def test_machine_honours_disconnecting_and_retry() -> None:
    """In the machine: ``disconnecting`` waits its retry_ms without counting a failure;
    the reconnect carries since_id; ``retry:`` becomes the backoff's base."""
    policy = SessionResumePolicy()
    machine = StreamMachine(Request(url=URL), StreamConfig(), policy=policy, random=lambda: 1.0)
    from agentstream._commands import Opened, Start

    machine.send(Start())
    machine.send(Opened(200, {"content-type": "text/event-stream"}))
    body = (
        b'event: connected\ndata: {"status":"connected"}\n\n'
        + b"event: turn.started\nid: "
        + event_id(3).encode()
        + b"\nretry: 100\ndata: "
        + sse("turn.started", 3).data.encode()
        + b"\n\n"
    )
    assert [type(c).__name__ for c in machine.receive(body)] == ["ServerSentEvent"]
    cycle = b'event: disconnecting\ndata: {"reason":"connection_cycle","retry_ms":100}\n\n'
    commands = machine.receive(cycle)
    assert [type(c).__name__ for c in commands] == ["Wait"]
    assert commands[-1].seconds == 0.1  # type: ignore[union-attr]
    assert machine.attempts == 0 and machine.retry_ms == 100
    from agentstream._commands import Waited

    (connect,) = machine.send(Waited())
    assert connect.request.url.endswith(f"since_id={event_id(3)}")  # type: ignore[union-attr]
    assert machine.backoff(0) == 0.1


def test_unknown_types_are_refused_locally() -> None:
    """Unknown names, lifecycle frames and more than 25 values raise before a request."""
    assert check_types(["turn.completed"], "types") == ["turn.completed"]
    with pytest.raises(EventTypeError, match=r"turn\.exploded"):
        check_types(["turn.completed", "turn.exploded"], "types")
    with pytest.raises(EventTypeError, match="connected"):
        check_types(["connected"], "exclude")
    from agentstream.types import everruns

    many = [t for t in everruns.EVENT_TYPES if t not in ("connected", "disconnecting")][:26]
    with pytest.raises(EventTypeError, match="at most 25"):
        check_types(many, "types")


def test_list_options_are_checked() -> None:
    """The event list takes its documented filters only; booleans are sent as text."""
    endpoint = management("k", "http://x/api", None)
    params = list_params(endpoint, {"order_desc": True, "limit": 5, "q": None})
    assert params == {"order_desc": "true", "limit": 5}
    with pytest.raises(TypeError, match="sinceid"):
        list_params(endpoint, {"sinceid": "x"})
