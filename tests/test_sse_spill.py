"""A long incomplete line is joined every ``_LOOK`` bytes (``SSEDecoder._spill``), so a
line arriving in tiny chunks holds memory in proportion to its bytes, not to its chunks.

Looking more often must never change what comes out: with ``_LOOK`` set to a few bytes,
nearly every chunk spills, and the decoder must give exactly what it gives with the
default (16 KiB, far above these streams' lines, so it never spills), under any cap,
through feed() and through iter_bytes()/aiter_bytes()."""

from __future__ import annotations

import contextlib
import tracemalloc
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentstream import _sse, _sse_cap
from agentstream._sse import SSEDecoder
from tests.sse_oracle import oracle
from tests.strategies import chunked_streams
from tests.test_sse_iter import SETTINGS, by_aiter, by_feed, by_iter, caps
from tests.test_sse_properties import as_tuple

looks = st.sampled_from([0, 1, 2, 3, 7])


@contextlib.contextmanager
def looking_every(size: int) -> Iterator[None]:
    """Decoders made inside look every `size` bytes (the module constant is read when a
    decoder is made and at each look)."""
    default = _sse._LOOK
    _sse._LOOK = _sse_cap.LOOK = size
    try:
        yield
    finally:
        _sse._LOOK = _sse_cap.LOOK = default


@SETTINGS
@given(chunked_streams(), looks)
def test_spilling_decoder_matches_the_oracle(stream: tuple[bytes, list[bytes]], look: int) -> None:
    data, chunks = stream
    expected = oracle(data).items
    with looking_every(look):
        for run in (by_feed, by_iter, by_aiter):
            items, error = run(chunks, comments=True)
            assert error is None
            assert [as_tuple(item) for item in items] == expected


@SETTINGS
@given(chunked_streams(), caps, looks)
def test_spilling_never_changes_the_items_or_the_error(
    stream: tuple[bytes, list[bytes]], cap: int | None, look: int
) -> None:
    _, chunks = stream
    for run in (by_feed, by_iter, by_aiter):
        expected, expected_error = run(chunks, max_event_bytes=cap)
        with looking_every(look):
            items, error = run(chunks, max_event_bytes=cap)
        assert items == expected
        assert type(error) is type(expected_error)


def _two_byte_chunks(count: int) -> Iterator[bytes]:
    """A data line in fresh 2-byte objects, made as they are read, as a socket makes them
    (1-byte bytes objects are shared singletons, and would cost nothing to keep)."""
    yield b"data: "
    for _ in range(count):
        yield bytes((120, 121))
    yield b"\n\n"


@pytest.mark.parametrize("how", ["feed", "iter_bytes"])
def test_a_line_in_tiny_chunks_holds_about_its_size(how: str) -> None:
    # Kept piece by piece, 500,000 pieces cost ~63 bytes each (object, allocator
    # rounding, list slot): ~63 MB for a 1 MB line. Joined every 16 KiB, the peak is the
    # held pieces, their join and the decoded text: ~4 MB.
    count = 500_000
    decoder = SSEDecoder(max_event_bytes=None)
    tracemalloc.start()
    try:
        if how == "feed":
            events = [e for chunk in _two_byte_chunks(count) for e in decoder.feed(chunk)]
        else:
            events = list(decoder.iter_bytes(_two_byte_chunks(count)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [len(e.data) for e in events] == [2 * count]  # type: ignore[union-attr]
    assert peak < 6 * (2 * count), f"peak {peak / 1e6:.1f} MB for a 1 MB line"


def _fed_before_the_cap(cap: int) -> int:
    """How many 1-byte chunks after ``data: `` a decoder takes before its cap trips."""
    decoder = SSEDecoder(max_event_bytes=cap)
    decoder.feed(b"data: ")
    fed = 0
    with pytest.raises(_sse.RemoteProtocolError, match=f"max_event_bytes={cap}"):
        while True:
            decoder.feed(b"x")
            fed += 1
    return fed


def test_the_cap_still_counts_the_joined_pieces() -> None:
    # An incomplete data line counts as it will once complete, its value plus one: 999
    # bytes fit in 1,000, the 1,000th does not. Joining every 100 bytes changes nothing.
    assert _fed_before_the_cap(1000) == 999
    with looking_every(100):
        assert _fed_before_the_cap(1000) == 999
