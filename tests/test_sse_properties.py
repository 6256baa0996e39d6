"""Property tests: the decoder agrees with the oracle, and encode() round-trips."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agentstream._sse import Comment, ServerSentEvent, SSEDecoder, encode, encode_comment
from tests.sse_oracle import oracle
from tests.strategies import blocks, chunked_streams, chunkings, encode_kwargs, sse_streams

SETTINGS = settings(max_examples=300, deadline=None, database=None)
FEWER = settings(SETTINGS, max_examples=150)
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def run(chunks: list[bytes], **kwargs: Any) -> tuple[list[Any], SSEDecoder]:
    decoder = SSEDecoder(**kwargs)
    items: list[Any] = []
    for chunk in chunks:
        items += decoder.feed(chunk)
    items += decoder.feed_eof()
    return items, decoder


def as_tuple(item: ServerSentEvent | Comment) -> tuple[object, ...]:
    if isinstance(item, Comment):
        return ("comment", item.text)
    return ("event", item.event, item.data, item.id, item.retry)


# ---------------------------------------------------------------- decoder == oracle


@SETTINGS
@given(chunked_streams())
def test_decoder_matches_oracle_at_any_chunking(stream: tuple[bytes, list[bytes]]) -> None:
    data, chunks = stream
    expected = oracle(data)

    items, decoder = run(chunks, comments=True)
    assert [as_tuple(item) for item in items] == expected.items
    assert (decoder.last_event_id, decoder.retry) == (expected.last_event_id, expected.retry)

    items, decoder = run(chunks)
    assert [as_tuple(item) for item in items] == expected.events
    assert (decoder.last_event_id, decoder.retry) == (expected.last_event_id, expected.retry)


@FEWER
@given(chunked_streams())
def test_state_after_every_chunk_matches_oracle_of_the_prefix(
    stream: tuple[bytes, list[bytes]],
) -> None:
    # Events come out of the feed() that completes them; retry applies when its line
    # completes; the last event id moves at each blank line.
    data, chunks = stream
    decoder = SSEDecoder(comments=True)
    seen: list[Any] = []
    offset = 0
    for chunk in chunks:
        seen += decoder.feed(chunk)
        offset += len(chunk)
        prefix = oracle(data[:offset])
        assert [as_tuple(item) for item in seen] == prefix.items
        assert (decoder.last_event_id, decoder.retry) == (prefix.last_event_id, prefix.retry)
    assert decoder.feed_eof() == []


@FEWER
@given(sse_streams, sse_streams)
def test_an_unterminated_tail_changes_nothing(data: bytes, noise: bytes) -> None:
    # Whatever follows the last line ending, without one of its own, is discarded at EOF.
    tail = noise.replace(b"\r", b"").replace(b"\n", b"")
    items, decoder = run([data], comments=True)
    state = (decoder.last_event_id, decoder.retry)
    for chunks in ([data + tail], [data, tail]):
        items_with_tail, decoder = run(chunks, comments=True)
        assert items_with_tail == items
        assert (decoder.last_event_id, decoder.retry) == state
    assert oracle(data + tail) == oracle(data)


# ---------------------------------------------------------------- encode round trip


def expected_items(stream_blocks: list[tuple[str, Any]]) -> tuple[list[Any], str, int | None]:
    items: list[Any] = []
    last_id, retry = "", None
    for kind, value in stream_blocks:
        if kind == "comment":
            items += [Comment(line) for line in LINE_BREAK.split(value)]
            continue
        last_id = value.get("id", last_id)
        retry = value.get("retry", retry)
        data = "\n".join(LINE_BREAK.split(value["data"]))
        event_type = value.get("event") or "message"
        items.append(ServerSentEvent(event_type, data, last_id, value.get("retry")))
    return items, last_id, retry


def encode_block(kind: str, value: Any) -> bytes:
    return encode_comment(value) if kind == "comment" else encode(**value)


@SETTINGS
@given(blocks, st.data())
def test_decode_of_encode_round_trips(stream_blocks: list[tuple[str, Any]], draw: Any) -> None:
    stream = b"".join(encode_block(kind, value) for kind, value in stream_blocks)
    chunks = draw.draw(chunkings(stream))
    items, last_id, retry = expected_items(stream_blocks)

    decoded, decoder = run(chunks, comments=True)
    assert decoded == items
    assert (decoder.last_event_id, decoder.retry) == (last_id, retry)

    assert run(chunks)[0] == [item for item in items if isinstance(item, ServerSentEvent)]
    assert oracle(stream).items == [as_tuple(item) for item in items]


@SETTINGS
@given(encode_kwargs)
def test_encode_is_one_block_of_utf8_lines(kwargs: dict[str, Any]) -> None:
    encoded = encode(**kwargs)
    assert encoded.endswith(b"\n\n")
    text = encoded.decode("utf-8")
    body_lines = LINE_BREAK.split(text[:-2])
    assert all(line and not line.startswith(":") for line in body_lines)
    assert len([line for line in body_lines if line.startswith("data")]) == len(
        LINE_BREAK.split(kwargs["data"])
    )
