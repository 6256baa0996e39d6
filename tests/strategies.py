"""Hypothesis strategies for SSE byte streams, chunkings and encodable events."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

BOM = b"\xef\xbb\xbf"
EOLS = ("\n", "\r", "\r\n")

# ---------------------------------------------------------------- byte streams

#: Pieces that, glued together at random, make SSE-ish streams full of edge cases.
PIECES: list[bytes] = [
    b"data",
    b"data:",
    b"data: ",
    b"event",
    b"event: ",
    b"id",
    b"id: ",
    b"retry",
    b"retry: ",
    b"foo",
    b"Data",
    b":",
    b": ",
    b" ",
    b"  ",
    b"\r",
    b"\n",
    b"\r\n",
    b"\n\n",
    b"\r\r",
    BOM,
    b"\x00",
    b"1",
    b"42",
    b"x",
    b"ab",
    "é".encode(),
    "€".encode(),
    "😀".encode(),
    "\u2028".encode(),
    "\u0085".encode(),
    b"\xff",  # never valid
    b"\x80",  # a stray continuation byte
    b"\xc3",  # the first byte of a 2-byte character
    b"\xe2\x82",  # two bytes of a 3-byte character
    b"\xed\xa0\x80",  # an encoded surrogate
    b": comment\n",
    b"data: x\n\n",
    b"id: 7\x00\n",
    b"id: 8\n",
    b"retry: 5\n",
    b"event: e\n",
]

#: Characters for field values: separators, digits (and non-ASCII ones), NUL, BOM, text.
VALUE_CHARS = "ab :0129\x00\ufeff\u2028\u0085é€😀\u0661²"

#: Weighted towards the fields that matter; "Data" and a BOM-prefixed name are unknown.
field_names = st.sampled_from(
    ["data"] * 4 + ["id"] * 2 + ["retry"] * 2 + ["event"] * 2 + ["foo", "", "Data", "\ufeffdata"]
)
separators = st.sampled_from([": ", ":", "", ":  ", "::"])
numbers = st.integers(0, 10**6).map(str)
values = st.one_of(st.text(alphabet=VALUE_CHARS, max_size=6), numbers)
eols = st.sampled_from(EOLS)
retry_values = st.one_of(
    numbers, values, st.sampled_from(["", "1a", "-1", "+1", "1.5", "\u0661\u0662", "²", "1²"])
)


@st.composite
def field_lines(draw: st.DrawFn) -> str:
    name = draw(field_names)
    value = draw(retry_values if name == "retry" else values)
    if name == "id" and draw(st.integers(0, 3)) == 0:
        value += "\x00"  # such an id field is ignored
    return name + draw(separators) + value + draw(eols)


comment_lines = st.builds(lambda value, eol: ":" + value + eol, values, eols)
lines = st.one_of(field_lines(), comment_lines, eols)


@st.composite
def structured_streams(draw: st.DrawFn) -> bytes:
    """Mostly well-formed streams: blocks of lines, each ended by a blank line, with an
    optional BOM (or two) in front and an optional ragged end."""
    blocks = draw(st.lists(st.tuples(st.lists(lines, max_size=5), eols), max_size=6))
    text = "".join("".join(block) + blank for block, blank in blocks)
    head = draw(st.sampled_from([b"", b"", BOM, BOM + BOM]))
    tail = draw(st.sampled_from([b"", b"", b"data: incomplete", b"\xe2\x82", b"\r"]))
    return head + text.encode("utf-8") + tail


piece_soups = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map(b"".join)

#: Byte streams for the decoder: structured, random soup, or both glued together.
sse_streams = st.one_of(
    structured_streams(),
    structured_streams(),
    piece_soups,
    st.tuples(structured_streams(), piece_soups, structured_streams()).map(b"".join),
)


@st.composite
def chunkings(draw: st.DrawFn, data: bytes) -> list[bytes]:
    """`data` cut into chunks at random points (empty chunks included)."""
    if draw(st.booleans()) and len(data) < 200:
        return [data[i : i + 1] for i in range(len(data))]
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=10)))
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


@st.composite
def chunked_streams(draw: st.DrawFn) -> tuple[bytes, list[bytes]]:
    data = draw(sse_streams)
    return data, draw(chunkings(data))


# ---------------------------------------------------------------- encodable events

_any_char = st.characters(codec="utf-8")
#: Event data: anything, with line endings, U+2028/U+2029, NEL, BOM and colons favoured.
event_data = st.text(
    alphabet=st.one_of(st.sampled_from("\r\n\u2028\u2029\u0085\ufeff\x00: "), _any_char),
    max_size=30,
)
#: Event types: anything but CR and LF.  Ids: anything but CR, LF and NUL.
event_names = st.text(
    alphabet=st.one_of(
        st.sampled_from(" :\ufeff\x00"), st.characters(codec="utf-8", exclude_characters="\r\n")
    ),
    max_size=10,
)
event_ids = event_names.filter(lambda s: "\x00" not in s)

#: Keyword arguments for ``encode``.
encode_kwargs: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {"data": event_data},
    optional={
        "event": event_names,
        "id": event_ids,
        "retry": st.integers(0, 10**9),
    },
)

#: A stream's worth of blocks: ("event", kwargs) or ("comment", text).
blocks = st.lists(
    st.one_of(
        st.tuples(st.just("event"), encode_kwargs),
        st.tuples(st.just("comment"), event_data),
    ),
    max_size=8,
)
