"""The body framer (``_chunked.py``): any body, any chunking by the server, any split of
the wire into reads gives back exactly the body; broken framing is a typed error."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentstream import RemoteProtocolError
from agentstream._chunked import MAX_LINE, BodyFramer, framer_for


def encode(pieces: list[bytes], *, ext: bool, trailers: bool, lf_only: bool) -> bytes:
    end = b"\n" if lf_only else b"\r\n"
    out = b""
    for piece in pieces:
        out += b"%x%s%s%s%s" % (len(piece), b";name=val" if ext else b"", end, piece, end)
    out += b"0" + end
    if trailers:
        out += b"X-Trailer: 1" + end
    return out + end


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


def feed_all(framer: BodyFramer, reads: list[bytes]) -> bytes:
    return b"".join(framer.feed(read) for read in reads)


@given(
    pieces=st.lists(st.binary(min_size=1, max_size=40), max_size=12),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=20),
    ext=st.booleans(),
    trailers=st.booleans(),
    lf_only=st.booleans(),
    after=st.binary(max_size=10),
)
def test_chunked_any_split_gives_the_body(
    pieces: list[bytes], cuts: list[int], ext: bool, trailers: bool, lf_only: bool, after: bytes
) -> None:
    wire = encode(pieces, ext=ext, trailers=trailers, lf_only=lf_only) + after
    framer = BodyFramer(chunked=True, length=None)
    assert feed_all(framer, split(wire, cuts)) == b"".join(pieces)
    assert framer.done and framer.eof()


@given(
    body=st.binary(max_size=200),
    cuts=st.lists(st.integers(min_value=0, max_value=1000), max_size=10),
)
def test_content_length_and_close_delimited(body: bytes, cuts: list[int]) -> None:
    sized = BodyFramer(chunked=False, length=len(body))
    assert feed_all(sized, split(body + b"extra", cuts)) == body
    assert sized.done
    until_close = BodyFramer(chunked=False, length=None)
    assert feed_all(until_close, split(body, cuts)) == body
    assert not until_close.done and until_close.eof()


@given(st.lists(st.binary(min_size=1, max_size=30), min_size=1, max_size=5), st.data())
def test_an_incomplete_body_does_not_end_cleanly(pieces: list[bytes], data: st.DataObject) -> None:
    wire = encode(pieces, ext=False, trailers=False, lf_only=False)
    cut = data.draw(st.integers(min_value=0, max_value=len(wire) - 1))
    framer = BodyFramer(chunked=True, length=None)
    got = framer.feed(wire[:cut])
    assert b"".join(pieces).startswith(got)
    assert not framer.eof()


def test_a_partial_payload_is_passed_on_at_once() -> None:
    framer = BodyFramer(chunked=True, length=None)
    assert framer.feed(b"f\r\ndata: a") == b"data: a"
    assert framer.feed(b"bcdefghi") == b"bcdefghi"
    assert framer.feed(b"\r\n0\r\n\r\n") == b""
    assert framer.done


@pytest.mark.parametrize(
    "wire",
    [
        b"zz\r\nab\r\n",
        b"0x2\r\nab\r\n",
        b"1_0\r\n",
        b"\r\n",
        b"-1\r\n",
        b"2\r\nabXY",
        b"1" * 20 + b"\r\n",
        b"1;" + b"e" * (MAX_LINE + 10) + b"\r\n",
        b"1" * (MAX_LINE + 10),
    ],
)
def test_broken_framing_is_a_typed_error(wire: bytes) -> None:
    framer = BodyFramer(chunked=True, length=None)
    with pytest.raises(RemoteProtocolError):
        framer.feed(wire)


def test_broken_framing_keeps_what_came_before() -> None:
    framer = BodyFramer(chunked=True, length=None)
    assert framer.feed(b"3\r\nabc\r\n") == b"abc"
    with pytest.raises(RemoteProtocolError):
        framer.feed(b"q\r\n")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"transfer-encoding": "chunked"}, "chunked"),
        ({"transfer-encoding": "Chunked ", "content-encoding": "identity"}, "chunked"),
        ({"content-length": "12"}, "length"),
        ({}, "close"),
        ({"content-encoding": "gzip", "transfer-encoding": "chunked"}, None),
        ({"transfer-encoding": "gzip, chunked"}, None),
        ({"content-length": "x"}, None),
    ],
)
def test_framer_for(headers: dict[str, str], expected: str | None) -> None:
    framer = framer_for(headers)
    if expected is None:
        assert framer is None
        return
    assert framer is not None
    if expected == "length":
        assert framer.feed(b"0123456789abcdef") == b"0123456789ab" and framer.done
    elif expected == "close":
        assert framer.feed(b"abc") == b"abc" and framer.eof() and not framer.done
    else:
        assert framer.feed(b"1\r\nA\r\n0\r\n\r\n") == b"A" and framer.done


@pytest.mark.parametrize(
    ("reads", "body"),
    [
        ([b"4\r\nab\r\n\r\n"], b"ab\r\n"),  # a payload that ends with CRLF itself
        ([b"2\r\nab\r\n", b"3\r\ncde\r\n"], b"abcde"),  # one whole chunk a read
        ([b"2\r\nab\r\n2\r\ncd\r\n"], b"abcd"),  # two in one read
        ([b"2;x=1\r\nab\r\n"], b"ab"),  # an extension: the general path
        ([b"A\r\n0123456789\r\n"], b"0123456789"),  # upper-case hex
    ],
)
def test_whole_chunk_reads(reads: list[bytes], body: bytes) -> None:
    framer = BodyFramer(chunked=True, length=None)
    assert b"".join(framer.feed(read) for read in reads) == body
    assert not framer.done and framer.feed(b"0\r\n\r\n") == b"" and framer.done
