"""SSEDecoder against the named cases in data/sse_cases.json, plus unit tests.

Every case is fed whole, byte by byte, split at every cut point, and with a trailing
incomplete event appended; each run is checked with and without comments.  The oracle in
sse_oracle.py must agree with every case too, so the case data is checked as well.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from agentstream._exceptions import LocalProtocolError, RemoteProtocolError
from agentstream._sse import Comment, ServerSentEvent, SSEDecoder, encode, encode_comment
from tests.sse_oracle import oracle

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "sse_cases.json").read_text(encoding="utf-8")
)
MiB = 1024 * 1024


# ---------------------------------------------------------------- helpers (h11 style)


def collect(chunks: Iterable[bytes], **kwargs: Any) -> tuple[list[Any], SSEDecoder]:
    """Feed every chunk, then EOF; return everything the decoder produced, and it."""
    decoder = SSEDecoder(**kwargs)
    items: list[Any] = []
    for chunk in chunks:
        items += decoder.feed(chunk)
    items += decoder.feed_eof()
    return items, decoder


def events_of(data: bytes, **kwargs: Any) -> list[ServerSentEvent]:
    return collect([data], **kwargs)[0]


def as_tuple(item: ServerSentEvent | Comment) -> tuple[object, ...]:
    """The oracle's representation of an item."""
    if isinstance(item, Comment):
        return ("comment", item.text)
    assert isinstance(item, ServerSentEvent), item
    return ("event", item.event, item.data, item.id, item.retry)


def raw_input(case: dict[str, Any]) -> bytes:
    if "input_hex" in case:
        return bytes.fromhex(case["input_hex"])
    return case["input"].encode("utf-8")


def expected_events(case: dict[str, Any]) -> list[ServerSentEvent]:
    return [
        ServerSentEvent(event=e["event"], data=e["data"], id=e["id"], retry=e.get("retry"))
        for e in case["events"]
    ]


def check(case: dict[str, Any], chunks: list[bytes]) -> None:
    """The decoder's output for these chunks is the case's expectation, in both modes."""
    events, decoder = collect(chunks)
    assert events == expected_events(case)
    assert all(type(event) is ServerSentEvent for event in events)
    assert decoder.last_event_id == case["last_event_id"]
    assert decoder.retry == case.get("retry")

    items, decoder = collect(chunks, comments=True)
    assert [as_tuple(item) for item in items] == oracle(raw_input(case)).items
    assert [i.text for i in items if isinstance(i, Comment)] == case.get("comments", [])
    assert [i for i in items if isinstance(i, ServerSentEvent)] == expected_events(case)


def by_name(cases: list[dict[str, Any]]) -> Any:
    return pytest.mark.parametrize("case", cases, ids=[case["name"] for case in cases])


# ---------------------------------------------------------------- the named cases


def test_case_data_is_well_formed() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)) >= 40
    allowed = {"name", "input", "input_hex", "events", "last_event_id", "retry", "comments"}
    for case in CASES:
        assert set(case) <= allowed, case["name"]
        assert ("input" in case) != ("input_hex" in case), case["name"]


@by_name(CASES)
def test_oracle_agrees_with_case(case: dict[str, Any]) -> None:
    result = oracle(raw_input(case))
    assert result.events == [as_tuple(event) for event in expected_events(case)]
    assert result.last_event_id == case["last_event_id"]
    assert result.retry == case.get("retry")
    assert result.comments == case.get("comments", [])


@by_name(CASES)
def test_case_whole(case: dict[str, Any]) -> None:
    check(case, [raw_input(case)])
    # Events are returned by the feed() that completes them, not held back until EOF.
    decoder = SSEDecoder()
    assert decoder.feed(raw_input(case)) == expected_events(case)
    assert decoder.feed_eof() == []


@by_name(CASES)
def test_case_byte_by_byte(case: dict[str, Any]) -> None:
    data = raw_input(case)
    check(case, [data[i : i + 1] for i in range(len(data))])


@by_name(CASES)
def test_case_every_cut_point(case: dict[str, Any]) -> None:
    data = raw_input(case)
    for cut in range(len(data) + 1):
        check(case, [data[:cut], data[cut:]])
        # After the first chunk, the decoder has produced exactly what that prefix completes.
        decoder = SSEDecoder(comments=True)
        prefix = oracle(data[:cut])
        assert [as_tuple(item) for item in decoder.feed(data[:cut])] == prefix.items
        assert (decoder.last_event_id, decoder.retry) == (prefix.last_event_id, prefix.retry)


@by_name(CASES)
def test_case_with_trailing_incomplete_event(case: dict[str, Any]) -> None:
    data = raw_input(case)
    tails = [b"data: tail", b": unterminated comment"]
    if data == b"" or data.endswith((b"\n", b"\r")):
        # Complete lines, but no blank line: they change neither events nor the last id.
        tails.append(b"event: tail\nid: tail\ndata: tail\ndata\n")
    for tail in tails:
        check(case, [data + tail])
        check(case, [data, tail])


# ---------------------------------------------------------------- chunk boundaries


def test_cr_at_chunk_end_then_lf_is_one_line_ending() -> None:
    chunks = [b"data: Hello\r", b"\ndata: World\r", b"\n\r\ndata: OK\r", b"\n", b"\r", b"\n"]
    events, _ = collect(chunks)
    assert events == [ServerSentEvent(data="Hello\nWorld"), ServerSentEvent(data="OK")]


def test_cr_dispatches_without_waiting_for_the_next_chunk() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r\r") == [ServerSentEvent(data="a")]
    assert decoder.feed(b"\ndata: b\r\n\r") == [ServerSentEvent(data="b")]
    assert decoder.feed(b"\n") == []


def test_bom_split_one_byte_per_chunk() -> None:
    events, _ = collect([b"\xef", b"\xbb", b"\xbf", b"data: Hello\n\n"])
    assert events == [ServerSentEvent(data="Hello")]
    # A second BOM, also split, is not stripped: it becomes part of the field name.
    events, _ = collect([b"\xef", b"\xbb", b"\xbf", b"\xef", b"\xbb", b"\xbfdata: x\n\n"])
    assert events == []
    # A BOM in the first chunk, then a BOM in the data.
    events, _ = collect([b"\xef\xbb\xbfdata: \xef", b"\xbb", b"\xbfy\n\n"])
    assert events == [ServerSentEvent(data="\ufeffy")]


def test_multibyte_character_split_across_chunks() -> None:
    data = "data: €豆腐😀\n\n".encode()
    for cut in range(len(data) + 1):
        assert cut == len(data) or events_of(data[:cut]) == []
        assert collect([data[:cut], data[cut:]])[0] == [ServerSentEvent(data="€豆腐😀")]


# ---------------------------------------------------------------- max_event_bytes


def test_oversized_event_error_names_the_limit() -> None:
    decoder = SSEDecoder(max_event_bytes=1234)
    with pytest.raises(RemoteProtocolError, match="1234"):
        decoder.feed(b"data: " + b"x" * 5000 + b"\n\n")


def test_events_completed_in_the_same_call_are_returned_first() -> None:
    decoder = SSEDecoder(max_event_bytes=100)
    first = b"data: one\n\nid: 2\ndata: two\n\n"
    assert decoder.feed(first + b"data: " + b"x" * 1000 + b"\n\n") == [
        ServerSentEvent(data="one"),
        ServerSentEvent(data="two", id="2"),
    ]
    with pytest.raises(RemoteProtocolError, match="100"):
        decoder.feed(b"data: more\n\n")
    with pytest.raises(RemoteProtocolError):
        decoder.feed(b"")
    with pytest.raises(RemoteProtocolError):
        decoder.feed_eof()


def test_events_completed_earlier_then_error_then_every_call_raises() -> None:
    decoder = SSEDecoder(max_event_bytes=100)
    assert decoder.feed(b"data: ok\n\n") == [ServerSentEvent(data="ok")]
    with pytest.raises(RemoteProtocolError, match="100"):
        decoder.feed(b"data: " + b"x" * 1000)  # still incomplete: the line counts already
    for call in (lambda: decoder.feed(b"\n\n"), decoder.feed_eof, lambda: decoder.feed(b"")):
        with pytest.raises(RemoteProtocolError):
            call()


@pytest.mark.parametrize("prefix", [b"data: ", b"data:", b"id: ", b"foo: "])
def test_a_single_huge_line_counts_while_incomplete(prefix: bytes) -> None:
    decoder = SSEDecoder(max_event_bytes=1000)
    decoder.feed(prefix)
    with pytest.raises(RemoteProtocolError):
        for _ in range(30):
            decoder.feed(b"x" * 100)  # 3000 bytes, no line ending


def test_a_many_line_event_counts_all_its_data_lines() -> None:
    line = b"data: " + b"x" * 100 + b"\n"
    decoder = SSEDecoder(max_event_bytes=1000)
    with pytest.raises(RemoteProtocolError):
        for _ in range(30):
            decoder.feed(line)  # each line is small, the event is not
    with pytest.raises(RemoteProtocolError):
        events_of(line * 30 + b"\n", max_event_bytes=1000)


@pytest.mark.parametrize(
    "chunks",
    [
        [b"data: 1234\ndata: 123456789\n\n"],  # the general loop
        [b"data: 1234\n", b"data: 123456789\n\n"],  # a data line and the blank line
        [b"data: 1234\n", b"data: 123456789\n", b"\n"],  # one line per call
    ],
)
def test_the_cap_is_the_same_on_every_path(chunks: list[bytes]) -> None:
    # Data lines count their value plus one: 5 + 10 = 15 bytes. At a cap of 15 the event
    # passes, at 14 it fails, however the lines arrive.
    events, _ = collect(chunks, max_event_bytes=15)
    assert events == [ServerSentEvent(data="1234\n123456789")]
    with pytest.raises(RemoteProtocolError, match="14"):
        collect(chunks, max_event_bytes=14)


def test_data_lines_without_colon_count_too() -> None:
    # `data` alone appends "\n" to the data buffer: 1000 of them make a 999-byte event.
    with pytest.raises(RemoteProtocolError, match="100"):
        events_of(b"data\n" * 1000 + b"\n", max_event_bytes=100)


def test_the_cap_counts_bytes_not_characters() -> None:
    with pytest.raises(RemoteProtocolError):
        events_of(("data: " + "€" * 400 + "\n\n").encode(), max_event_bytes=1000)  # 1200 B


def test_the_cap_is_per_event() -> None:
    stream = b"".join(b"data: " + b"%03d" % i + b"x" * 60 + b"\n\n" for i in range(100))
    assert len(events_of(stream, max_event_bytes=100)) == 100
    chunks = [stream[i : i + 7] for i in range(0, len(stream), 7)]
    assert len(collect(chunks, max_event_bytes=100)[0]) == 100
    # Comments and data-less blocks never accumulate towards the cap.
    stream = (b": " + b"k" * 60 + b"\n") * 50 + (b"event: " + b"e" * 60 + b"\n\n") * 50
    assert events_of(stream + b"data: ok\n\n", max_event_bytes=100) == [ServerSentEvent(data="ok")]


def test_none_disables_the_cap_and_the_default_is_16_mib() -> None:
    payload = b"x" * MiB
    chunks = [b"data: ", *([payload] * 17), b"\n\n"]
    events, _ = collect(chunks, max_event_bytes=None)
    assert len(events) == 1 and len(events[0].data) == 17 * MiB
    with pytest.raises(RemoteProtocolError, match=str(16 * MiB)):
        collect(chunks)
    assert len(events_of(b"data: " + payload + b"\n\n")[0].data) == MiB


def test_absurdly_long_retry_value_does_not_crash() -> None:
    # int() refuses more than 4300 digits; a hostile server must not crash the decoder
    # with a ValueError. (Ignoring the field or accepting the integer are both fine.)
    events, decoder = collect([b"retry: " + b"1" * 5000 + b"\ndata: x\n\n"])
    assert [event.data for event in events] == ["x"]
    assert decoder.retry is None or decoder.retry > 0


# ---------------------------------------------------------------- encoding


def test_encode_outputs() -> None:
    assert encode("hello") == b"data: hello\n\n"
    assert encode("a\nb\r\nc\rd") == b"data: a\ndata: b\ndata: c\ndata: d\n\n"
    assert encode("a\u2028b") == "data: a\u2028b\n\n".encode()
    assert encode("€") == "data: €\n\n".encode()
    assert encode_comment("hb") == b": hb\n\n"
    assert encode_comment("a\nb\r\nc") == b": a\n: b\n: c\n\n"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "x", "event": "delta", "id": "42", "retry": 3000},
        {"data": "", "event": "ping"},
        {"data": " leading space, trailing space ", "event": " spaced"},
        {"data": "line 1\r\nline 2\rline 3\n", "id": "a:b"},
        {"data": "\n\n", "id": ""},
        {"data": "data: nested\n\nevent: no\n", "event": "a:b"},
        {"data": ": not a comment"},
        {"data": "\ufeffbom\x00nul\u2029end"},
    ],
)
def test_encode_round_trips(kwargs: dict[str, Any]) -> None:
    [event] = events_of(encode(**kwargs))
    data = kwargs["data"].replace("\r\n", "\n").replace("\r", "\n")
    assert event == ServerSentEvent(
        event=kwargs.get("event") or "message",
        data=data,
        id=kwargs.get("id") or "",
        retry=kwargs.get("retry"),
    )


def test_encode_without_data_sets_id_and_retry_only() -> None:
    events, decoder = collect([encode(id="7", retry=50), encode(event="ignored")])
    assert events == []
    assert (decoder.last_event_id, decoder.retry) == ("7", 50)


def test_encode_comment_round_trips() -> None:
    stream = encode_comment("one\n two\r\n") + encode_comment("")
    items, _ = collect([stream], comments=True)
    assert items == [Comment("one"), Comment(" two"), Comment(""), Comment("")]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"event": "a\nb"},
        {"event": "a\rb"},
        {"event": "a\r\n"},
        {"id": "1\n2"},
        {"id": "\r"},
        {"id": "a\x00b"},
    ],
)
def test_encode_rejects_fields_that_would_not_round_trip(kwargs: dict[str, Any]) -> None:
    with pytest.raises(LocalProtocolError):
        encode("x", **kwargs)


# ---------------------------------------------------------------- the event type


def test_server_sent_event_value_semantics() -> None:
    assert ServerSentEvent() == ServerSentEvent(event="message", data="", id="", retry=None)
    assert ServerSentEvent(data="x", id="1") == ServerSentEvent("message", "x", "1")
    assert ServerSentEvent(data="x") != ServerSentEvent(data="y")
    assert Comment("hb") == Comment(text="hb") != Comment("other")


def test_server_sent_event_json() -> None:
    event = ServerSentEvent(event="delta", data='{"a": [1, 2], "b": null, "c": "é"}')
    assert event.json() == {"a": [1, 2], "b": None, "c": "é"}
    assert ServerSentEvent(data="42").json() == 42
    with pytest.raises(ValueError):
        ServerSentEvent(data="{not json").json()
    with pytest.raises(ValueError):
        ServerSentEvent(data="").json()


def test_reprs_are_readable() -> None:
    text = repr(ServerSentEvent(event="delta", data='{"x": 1}\nnext', id="7", retry=5))
    assert text.startswith("ServerSentEvent(")
    for part in ("delta", repr('{"x": 1}\nnext'), "7", "5"):
        assert part in text
    assert "\n" not in text
    assert repr(Comment("hb")).startswith("Comment(") and "'hb'" in repr(Comment("hb"))
