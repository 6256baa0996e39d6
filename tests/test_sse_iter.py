"""iter_bytes / aiter_bytes: the same items as feed() per chunk, for any chunking, any
cap, and any point where the caller stops iterating and goes on with feed()."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentstream import RemoteProtocolError
from agentstream._sse import SSEDecoder
from tests.sse_oracle import oracle
from tests.strategies import chunked_streams
from tests.test_sse_properties import as_tuple

SETTINGS = settings(max_examples=200, deadline=None, database=None)
caps = st.one_of(st.none(), st.integers(0, 64))


def by_feed(chunks: Iterable[bytes], **kwargs: Any) -> tuple[list[Any], Exception | None]:
    """What feed() gives chunk by chunk, and the error it stops with, if any."""
    decoder, items = SSEDecoder(**kwargs), []
    try:
        for chunk in chunks:
            items += decoder.feed(chunk)
        items += decoder.feed_eof()
    except RemoteProtocolError as exc:
        return items, exc
    return items, None


def by_iter(
    chunks: Iterable[bytes], decoder: SSEDecoder | None = None, **kwargs: Any
) -> tuple[list[Any], Exception | None]:
    items: list[Any] = []
    try:
        items.extend(
            (decoder or SSEDecoder(**kwargs)).iter_bytes(chunks)
        )  # keeps what came before a raise
    except RemoteProtocolError as exc:
        return items, exc
    return items, None


async def _achunks(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def by_aiter(
    chunks: list[bytes], decoder: SSEDecoder | None = None, **kwargs: Any
) -> tuple[list[Any], Exception | None]:
    items: list[Any] = []

    async def main() -> Exception | None:
        try:
            async for item in (decoder or SSEDecoder(**kwargs)).aiter_bytes(_achunks(chunks)):
                items.append(item)  # noqa: PERF401 (a comprehension would lose them on a raise)
        except RemoteProtocolError as exc:
            return exc
        return None

    return items, anyio.run(main)


@SETTINGS
@given(chunked_streams())
def test_iter_bytes_matches_the_oracle(stream: tuple[bytes, list[bytes]]) -> None:
    data, chunks = stream
    expected = oracle(data)
    for run in (by_iter, by_aiter):
        items, error = run(chunks, comments=True)
        assert error is None
        assert [as_tuple(item) for item in items] == expected.items


@SETTINGS
@given(chunked_streams(), caps)
def test_iter_bytes_equals_feed_under_any_cap(
    stream: tuple[bytes, list[bytes]], cap: int | None
) -> None:
    # The same events before the error, and the same error (or none).
    _, chunks = stream
    expected, expected_error = by_feed(chunks, max_event_bytes=cap)
    for run in (by_iter, by_aiter):
        items, error = run(chunks, max_event_bytes=cap)
        assert items == expected
        assert type(error) is type(expected_error)


@settings(max_examples=600, deadline=None, database=None)
@given(chunked_streams(), st.integers(0, 48), st.booleans())
def test_the_cap_gives_the_same_outcome_at_any_chunking(
    stream: tuple[bytes, list[bytes]], cap: int, bom: bool
) -> None:
    """What the cap counts (a data line its value plus one, any other line its length
    plus one, the incomplete line as it will count once complete) never depends on where
    the chunks were cut: the same events, then the same error or none, as the whole
    stream in one piece. (It used to: with a cap of 10, `data: 123456789` passed whole
    and failed cut after 11 bytes.)"""
    data, chunks = stream
    if bom:  # a BOM, itself cut anywhere, must not count either
        data, chunks = b"\xef\xbb\xbf" + data, [b"\xef", b"\xbb\xbf", *chunks]
    whole, whole_error = by_feed([data], max_event_bytes=cap)
    for run in (by_feed, by_iter):
        items, error = run(chunks, max_event_bytes=cap)
        assert items == whole
        assert type(error) is type(whole_error)
    bytewise, error = by_feed([data[i : i + 1] for i in range(len(data))], max_event_bytes=cap)
    assert bytewise == whole and type(error) is type(whole_error)


def test_the_issue_case_is_the_same_whole_and_cut() -> None:
    line = b"data: 123456789\n\n"
    assert by_feed([line], max_event_bytes=10)[1] is None
    assert by_feed([line[:11], line[11:]], max_event_bytes=10)[1] is None


@SETTINGS
@given(chunked_streams(), caps, st.integers(0, 5))
def test_feed_goes_on_where_iteration_stopped(
    stream: tuple[bytes, list[bytes]], cap: int | None, stop: int
) -> None:
    # Stop iterating after the last event of some chunk (events a chunk completed but the
    # caller did not take are gone with the iterator, as with any generator); feed() on
    # the rest of the chunks then gives what one decoder fed them all would: the kept
    # bytes and the room left stayed in step.
    _, chunks = stream
    expected, expected_error = by_feed(chunks, max_event_bytes=cap)
    counts: list[int] = []
    decoder = SSEDecoder(max_event_bytes=cap)
    with contextlib.suppress(RemoteProtocolError):
        counts.extend(len(decoder.feed(chunk)) for chunk in chunks)
    ends = sorted({sum(counts[: i + 1]) for i, n in enumerate(counts) if n})
    stop_at = ends[stop % len(ends)] if ends else -1
    decoder, rest = SSEDecoder(max_event_bytes=cap), iter(chunks)
    items: list[Any] = []
    error: Exception | None = None
    try:
        iterator = decoder.iter_bytes(rest)
        for item in iterator:
            items.append(item)
            if len(items) == stop_at:
                break
        iterator.close()
        for chunk in rest:
            items += decoder.feed(chunk)
        items += decoder.feed_eof()
    except RemoteProtocolError as exc:
        error = exc
    assert items == expected
    assert type(error) is type(expected_error)


def test_iter_bytes_raises_after_the_events_before_an_oversized_one() -> None:
    stream = b"data: a\n\n" + b"data: " + b"x" * 200 + b"\n\n" + b"data: b\n\n"
    chunks = [stream[i : i + 3] for i in range(0, len(stream), 3)]
    seen: list[str] = []
    with pytest.raises(RemoteProtocolError, match="max_event_bytes=100"):
        seen.extend(e.data for e in SSEDecoder(max_event_bytes=100).iter_bytes(chunks))  # type: ignore[union-attr]
    assert seen == ["a"]


def test_iter_bytes_ends_the_stream_and_drops_an_unfinished_event() -> None:
    decoder = SSEDecoder()
    chunks: Iterator[bytes] = iter([b"id: 1\ndata: a\n\n", b"data: never finished\n"])
    assert [e.data for e in decoder.iter_bytes(chunks)] == ["a"]  # type: ignore[union-attr]
    assert decoder.last_event_id == "1"


@pytest.mark.parametrize("run", [by_iter, by_aiter])
def test_the_decoder_stays_failed_after_iteration_raised(run: Any) -> None:
    decoder = SSEDecoder(max_event_bytes=10)
    chunks = [b"data: " + b"x" * 20 + b"\n\n"]  # fails inside a line, not on the fast path
    _, error = run(chunks, decoder)
    assert isinstance(error, RemoteProtocolError)
    for more in (b"short", b"data: ok\n\n"):
        with pytest.raises(RemoteProtocolError):
            decoder.feed(more)
