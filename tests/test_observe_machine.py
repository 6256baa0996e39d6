"""What the stream machine tells about itself, with no IO: the ReconnectInfo it records
when it schedules a reconnect (reason, attempt, delay), its counters, and the redaction
of what it shows (``_observe.py``)."""

from __future__ import annotations

from agentstream._commands import Command, Lost, TimedOut, Wait
from agentstream._exceptions import APIConnectionError, ReconnectExhausted
from agentstream._exceptions import public_url as safe_url
from agentstream._machine import StreamConfig
from agentstream._observe import ReconnectInfo, describe, reconnect_info, safe_text
from agentstream._policy import Request
from agentstream._sse import ServerSentEvent, encode, encode_comment
from tests.machine_helpers import FakePolicy, Pair, Response, refused


class Watching(Pair):
    """A Pair that takes the machine's ReconnectInfo at each Wait, as the drivers do."""

    def __init__(self, *script: Response | object, **kwargs: object) -> None:
        super().__init__(*script, **kwargs)  # type: ignore[arg-type]
        self.told: list[ReconnectInfo] = []

    def send(self, event: object) -> list[Command]:
        commands = super().send(event)  # type: ignore[arg-type]
        if any(isinstance(c, Wait) for c in commands):
            info, self.machine.reconnect = self.machine.reconnect, None
            assert info is not None, commands
            self.told.append(info)
        return commands


def stream(*events: bytes) -> Response:
    return Response(chunks=list(events))


def test_each_failure_is_told_with_its_reason_attempt_and_the_wait_it_gets() -> None:
    pair = Watching(
        refused("refused once"),
        Response(status=503, headers={"Retry-After": "2"}, body=b"busy"),
        Response(end=TimedOut()),
        stream(encode(data="a", id="1")),  # progress, then a clean end: the count restarts
        config=StreamConfig(read_timeout=7.0, max_reconnect_attempts=None),
    ).run()
    reasons = [(i.attempt, i.error_type, i.status) for i in pair.told]
    assert reasons == [
        (1, "APIConnectionError", None),
        (2, "InternalServerError", 503),
        (3, "APITimeoutError", None),
        (1, "RemoteProtocolError", None),
    ]
    assert [i.delay for i in pair.told] == pair.waits  # the very wait the driver gets
    assert pair.told[1].delay == 2.0
    assert pair.told[0].reason == "APIConnectionError: refused once"
    assert pair.told[2].reason.startswith("APITimeoutError: ") and "7 s" in pair.told[2].reason
    assert pair.told[3].reason == "RemoteProtocolError: the server ended the stream"
    assert pair.machine.reconnects == 4 and pair.machine.connections == 2


def test_a_give_up_is_not_a_reconnect() -> None:
    pair = Watching(refused(), refused(), config=StreamConfig(max_reconnect_attempts=1)).run()
    assert isinstance(pair.error, ReconnectExhausted)
    assert [i.attempt for i in pair.told] == [1]
    assert pair.machine.reconnects == 1 and pair.machine.reconnect is None


def test_a_reconnect_the_server_asks_for_is_attempt_zero_without_an_error() -> None:
    asked = encode(data="bye", event="reconnect")
    pair = Watching(stream(encode(data="a"), asked), policy=FakePolicy(reconnect_delay=2.5)).run()
    [info] = pair.told
    assert info == ReconnectInfo(
        attempt=0, delay=2.5, reason="the server asked to reconnect ('reconnect')"
    )
    assert pair.machine.reconnects == 1 and pair.machine.attempts == 0


def test_the_counters_count_bytes_per_chunk_and_only_delivered_events() -> None:
    chunks = [
        encode(data="a") + encode_comment("keep-alive"),
        encode(data="dup", event="skip") + encode(data="hb", event="control"),
        encode(data="b") + encode(data="end", event="terminal") + encode(data="after"),
    ]
    pair = Pair(stream(*chunks), policy=FakePolicy()).run()
    machine = pair.machine
    assert [e.data for e in pair.events] == ["a", "b", "end"]
    assert machine.events_delivered == 3
    assert machine.bytes_received == sum(map(len, chunks))
    assert machine.connections == 1 and machine.reconnects == 0


def test_events_from_a_backfill_are_counted() -> None:
    backfilled = [ServerSentEvent(data="h1"), ServerSentEvent(data="h2")]
    policy = FakePolicy(backfill_request=Request(url="https://api.example.com/history"))
    policy.backfill_items = list(backfilled)
    pair = Pair(stream(encode(data="live")), policy=policy).run()
    assert [e.data for e in pair.events] == ["h1", "h2", "live"]
    assert pair.machine.events_delivered == 3


def test_nothing_secret_is_shown() -> None:
    headers = {"authorization": "Bearer tok-123456", "X-Api-Key": "key-98765", "Accept": "x/y"}
    text = (
        "failed GET https://user:pw@host.example/a/b?token=abc&x=1 with Bearer tok-123456,"
        " key-98765 and /rel?cursor=zzz; is it down? (yes)"
    )
    shown = safe_text(text, headers)
    for secret in ("tok-123456", "key-98765", "token=abc", "cursor=zzz", "user:pw"):
        assert secret not in shown
    assert "https://host.example/a/b?<redacted>" in shown and "is it down? (yes)" in shown
    assert len(safe_text("x" * 5000)) == 300
    assert safe_url("https://u:p@h.example:8443/s/t?k=v#f") == "https://h.example:8443/s/t"
    assert describe(None) is None
    info = reconnect_info(APIConnectionError("reset at /s?sig=S3CR3T"), 2, 0.5, headers)
    assert info.reason == "APIConnectionError: reset at /s?<redacted>" and info.attempt == 2


def test_a_lost_connection_mid_stream_counts_what_came_before() -> None:
    pair = Watching(
        Response(chunks=[encode(data="a", id="1")], end=Lost(APIConnectionError("reset"))),
        stream(encode(data="b", id="2")),
        policy=FakePolicy(ended=True),
    ).run()
    assert [e.data for e in pair.events] == ["a", "b"]
    assert [(i.attempt, i.reason) for i in pair.told] == [(1, "APIConnectionError: reset")]
    assert pair.machine.events_delivered == 2 and pair.machine.connections == 2
