"""A sans-IO Server-Sent Events decoder (its items and the encoder, ``encode``, live in
``_sse_wire`` and are re-exported here).

The decoder implements the WHATWG "event stream interpretation"
(https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
exactly. It never touches a socket or a clock: ``feed(bytes)`` returns the events that
the bytes completed, ``feed_eof()`` ends the stream; ``iter_bytes(chunks)`` and
``aiter_bytes(chunks)`` decode a whole stream from an (async) iterable of chunks.

How it stays fast (``bench/`` measures it against the other Python SSE clients):

- Lines are found and split in bytes, by C code: ``10 in data`` (an int test, much
  cheaper than ``b"\\n" in data``) and ``bytes.splitlines()``, which breaks at CR, LF
  and CRLF only, exactly the spec's line endings. CR and LF never occur inside a UTF-8
  multi-byte sequence, so cutting there never splits a character.
- Bytes without a line ending, what small chunks mostly are, are only appended to the
  incomplete line's pieces and counted against the cap; the pieces are joined when the
  line completes, and every 16 KiB of a longer line, so a huge event in tiny chunks
  costs time linear in its size and memory about its size (a piece kept per chunk
  would cost ~40 bytes of memory each).
- Text is decoded once per event (its data lines joined) and once per new id, not per
  line; decoding pieces cut at line endings gives what decoding the stream would, since
  an ASCII byte ends any incomplete sequence. The cap counts ``len()`` of byte values.
- A chunk that completes a single data, id or blank line, or a data line and the blank
  line after it, the common cases with small chunks, skips the general loop; in that
  loop the state lives in locals.
- ``iter_bytes``/``aiter_bytes`` keep a chunk without a line ending in their own loop,
  so it costs no call at all; every other chunk goes through ``feed``.

Decisions the spec leaves to us, or that readers often get wrong:

- A block with no ``data`` line dispatches nothing (``event: x`` alone, ``retry: 5``
  alone), as the spec says, although it still updates the last event id at its blank
  line. Many decoders dispatch such blocks; we don't, because the spec doesn't and a
  heartbeat written as ``event: ping\\n\\n`` is not an event.
- ``data`` alone, or ``data:``, *is* an event, with empty data.
- An incomplete event at the end of the stream is discarded; a ``retry`` line inside it
  still took effect when its line completed.
- U+2028, U+2029 and NEL are not line endings (``str.splitlines`` would say they are).
- Invalid UTF-8 becomes U+FFFD, never an exception.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Generic, Literal, TypeVar, overload

from ._exceptions import RemoteProtocolError
from ._sse_cap import LOOK as _LOOK
from ._sse_cap import UNLIMITED as _UNLIMITED
from ._sse_cap import SizeCap
from ._sse_wire import Comment, ServerSentEvent, encode, encode_comment

__all__ = [
    "DEFAULT_MAX_EVENT_BYTES",
    "Comment",
    "SSEDecoder",
    "ServerSentEvent",
    "encode",
    "encode_comment",
]

#: 16 MiB: far above any real agent event, far below a memory problem.
DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024
#: A longer ``retry`` value is ignored: 15 digits of milliseconds is 30,000 years.
MAX_RETRY_DIGITS = 15


#: What a decoder returns: events only (the default), or events and comments.
T = TypeVar("T", ServerSentEvent, "ServerSentEvent | Comment")

_new_event = tuple.__new__


class SSEDecoder(SizeCap, Generic[T]):
    """Turns bytes into events. One decoder per connection.

    Typed by what it returns: ``SSEDecoder()`` gives ``ServerSentEvent`` items only, so
    ``feed(...)[0].data`` needs no narrowing; ``SSEDecoder(comments=True)`` gives
    ``ServerSentEvent | Comment`` (tell them apart with ``isinstance``).

    Args:
        max_event_bytes: the largest event (its data plus its incomplete line) accepted;
            None for no cap. A bigger one raises RemoteProtocolError.
        comments: also return comment lines, as Comment items, in stream order.
        last_event_id: the last event id carried over from an earlier connection of the
            same stream; events without an ``id`` line inherit it.
    """

    @overload
    def __init__(
        self: SSEDecoder[ServerSentEvent],
        *,
        max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES,
        comments: Literal[False] = False,
        last_event_id: str = "",
    ) -> None: ...

    @overload
    def __init__(
        self: SSEDecoder[ServerSentEvent | Comment],
        *,
        max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES,
        comments: bool,
        last_event_id: str = "",
    ) -> None: ...

    def __init__(
        self,
        *,
        max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES,
        comments: bool = False,
        last_event_id: str = "",
    ) -> None:
        self.max_event_bytes = max_event_bytes
        self.comments = comments
        #: The spec's "last event ID string": updated at every blank line.
        self.last_event_id = last_event_id
        #: The reconnection time (ms) from the last valid ``retry`` field, or None.
        self.retry: int | None = None
        self._error: RemoteProtocolError | None = None
        self._pending: list[bytes] = []  # raw pieces of the incomplete last line
        #: Earlier pieces of a long incomplete line, joined (see ``_spill``); while there
        #: are some, ``_pending`` is never empty.
        self._held: list[bytes] = []
        self._held_size = 0
        self._limit: float = _UNLIMITED if max_event_bytes is None else max_event_bytes
        #: What the incomplete line may still grow by before the next look: the cap, less
        #: the data buffered for the current event, less the pending bytes; at most
        #: _LOOK. Negative: time to look (``_spill``), or failed.
        self._room = min(self._limit - 1, _LOOK)
        #: The next bytes may start with something to drop: a BOM at the start of the
        #: stream, or after bytes that ended with CR, the LF that completes that CRLF.
        self._check_start = True
        self._at_start = True
        # The event being built. Lines are handled as bytes; text is decoded once per
        # event (its data joined) and once per new id.
        self._data: list[bytes] = []
        self._data_size = 0
        self._event_type = ""
        self._id_buffer = last_event_id.encode("utf-8", "surrogatepass")
        self._last_id = self._id_buffer  # bytes of last_event_id
        self._block_retry: int | None = None

    @property
    def error(self) -> RemoteProtocolError | None:
        """The error the decoder failed with, once it has (raised by the next call)."""
        return self._error

    def feed(self, data: bytes) -> list[T]:
        """Take the next bytes of the stream; return the events (and comments) they complete.

        Raises:
            RemoteProtocolError: an event outgrew ``max_event_bytes``. Events completed
                before it were returned by earlier calls (or this one: then the error is
                raised by the next call). The decoder stays failed.
        """
        # With small chunks Python's per-call overhead dominates, so the common cases
        # are handled here inline, each in a few operations (see the module docstring):
        # bytes without a line ending, then bytes that complete one data, id or blank
        # line; anything else goes to _run_lines.
        if 10 not in data and 13 not in data:  # LF, CR (an int test: far cheaper than b"\n")
            self._pending.append(data)
            room = self._room = self._room - len(data)
            if room < 0:  # a failed decoder has no room left: it raises here too
                self._spill()
            return []
        if self._error is not None:
            raise self._error
        pending = self._pending
        if pending:
            if self._held:  # a long line: its first pieces were joined by _spill
                pending[:0] = self._held
                self._held, self._held_size = [], 0
            pending.append(data)
            data = b"".join(pending)
            pending.clear()
        if self._check_start:
            data = self._fix_start(data)
            if 10 not in data and 13 not in data:  # that LF was the only line ending
                if data:
                    pending.append(data)
                room = self._limit - self._data_size - len(data) - 1
                self._room = room if room < _LOOK else _LOOK
                if room < 0:
                    self._look(None)
                return []
        # bytes.splitlines() breaks at CR, LF and CRLF only: exactly the spec's line
        # endings (str.splitlines would also break at U+2028, NEL, VT, FF...).
        lines = data.splitlines()
        last = data[-1]
        if last == 13:
            # A CR ends a line at once (no waiting to see if an LF follows); remember it
            # so that an LF at the start of the next bytes is not a second line ending.
            self._check_start = True
        elif last != 10:
            pending.append(lines.pop())  # the incomplete last line
        line = lines[0]
        if len(lines) != 1:
            # The end of an event in small chunks: its last data line, then the blank line.
            if len(lines) == 2 and not lines[1] and line[:5] == b"data:":
                value = line[6:] if line[5:6] == b" " else line[5:]
                if self._data_size + len(value) < self._limit:  # else _run_lines fails it
                    self._data.append(value)
                    return self._dispatch(pending)
            return self._run_lines(lines, pending)
        if line[:5] == b"data:":
            value = line[6:] if line[5:6] == b" " else line[5:]
            self._data.append(value)
            self._data_size += len(value) + 1
        elif line[:4] == b"id: " and 0 not in line and len(line) + self._data_size < self._limit:
            self._id_buffer = line[4:]
        elif line:
            return self._run_lines(lines, pending)
        else:
            return self._dispatch(pending)
        room = self._limit - self._data_size - (len(pending[0]) if pending else 0) - 1
        self._room = room if room < _LOOK else _LOOK
        if room < 0:
            self._look(None)
        return []

    def _dispatch(self, pending: list[bytes]) -> list[T]:
        """The blank line, as in _run_lines: dispatch the event being built, if it has
        data; `pending` holds the incomplete line after the blank line, if any."""
        out: list[T] = []
        if self._id_buffer is not self._last_id:
            self._set_last_id(self._id_buffer)
        if self._data:
            data = b"\n".join(self._data)
            try:
                text = data.decode()
            except UnicodeDecodeError:
                text = data.decode("utf-8", "replace")
            event = (self._event_type or "message", text, self.last_event_id, self._block_retry)
            out.append(_new_event(ServerSentEvent, event))
            self._data = []
            self._data_size = 0
        self._event_type = ""
        self._block_retry = None
        room = self._limit - (len(pending[0]) if pending else 0) - 1
        self._room = room if room < _LOOK else _LOOK
        if room < 0:
            self._look(out)
        return out

    def feed_eof(self) -> list[T]:
        """End the stream: "any pending data must be discarded", so an event without its
        final blank line is never dispatched. The decoder is spent afterwards.

        Raises:
            RemoteProtocolError: the decoder failed earlier (see ``feed``).
        """
        if self._error is not None:
            raise self._error
        self._pending, self._held, self._data = [], [], []
        self._held_size = 0
        return []

    def iter_bytes(self, chunks: Iterable[bytes]) -> Iterator[T]:
        """Decode a whole stream from `chunks` (``response.iter_bytes()``, say), ending it
        with ``feed_eof()`` when they run out: the events ``feed`` would give for each
        chunk, in order, at less cost per chunk. Call nothing else on the decoder while
        iterating.

        Raises:
            RemoteProtocolError: as ``feed``, after every earlier event was yielded.
        """
        pending, room = self._pending, self._room
        try:
            for chunk in chunks:
                # feed()'s first case, without the call: bytes without a line ending
                # are only kept. Anything else, or bytes over the cap, go to feed().
                if 10 not in chunk and 13 not in chunk and len(chunk) <= room:
                    room -= len(chunk)
                    pending.append(chunk)
                    continue
                self._room = room
                events = self.feed(chunk)
                pending, room = self._pending, self._room  # in step while yielding
                yield from events
        finally:
            if self._error is None:  # a failed decoder keeps its no-room mark
                self._room = room
        yield from self.feed_eof()

    async def aiter_bytes(self, chunks: AsyncIterable[bytes]) -> AsyncIterator[T]:
        """``iter_bytes`` for an async iterable (``response.aiter_bytes()``, say)."""
        pending, room = self._pending, self._room
        try:
            async for chunk in chunks:
                if 10 not in chunk and 13 not in chunk and len(chunk) <= room:
                    room -= len(chunk)
                    pending.append(chunk)
                    continue
                self._room = room
                events = self.feed(chunk)
                pending, room = self._pending, self._room
                for event in events:
                    yield event
        finally:
            if self._error is None:
                self._room = room
        for event in self.feed_eof():
            yield event

    def _fix_start(self, data: bytes) -> bytes:
        """Drop a BOM at the start of the stream, or the LF of a CRLF whose CR ended the
        previous bytes."""
        self._check_start = False
        if self._at_start:
            self._at_start = False
            # "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
            return data[3:] if data[:3] == b"\xef\xbb\xbf" else data
        return data[1:] if data[:1] == b"\n" else data

    def _run_lines(self, lines: list[bytes], pending: list[bytes]) -> list[T]:
        """The spec's line steps over `lines`; `pending` holds the incomplete line after
        them, if any. (Its own function: its many locals would slow every small call.)"""
        out: list[T] = []
        values = self._data
        size = self._data_size
        limit = self._limit
        event_type = self._event_type
        id_buffer = self._id_buffer
        last_id = self._last_id
        id_text = self.last_event_id  # the text of last_id, decoded again when it changes
        block_retry = self._block_retry
        for line in lines:
            if not line:
                # "If the line is empty (a blank line): dispatch the event." The last event
                # id moves even when there is nothing to dispatch.
                if last_id is not id_buffer:
                    last_id = id_buffer
                    try:
                        id_text = id_buffer.decode()
                    except UnicodeDecodeError:
                        id_text = id_buffer.decode("utf-8", "replace")
                if values:
                    data = b"\n".join(values)
                    try:
                        text = data.decode()
                    except UnicodeDecodeError:
                        text = data.decode("utf-8", "replace")
                    event = (event_type or "message", text, id_text, block_retry)
                    out.append(_new_event(ServerSentEvent, event))
                    values = []
                    size = 0
                event_type = ""
                block_retry = None
            elif line[:5] == b"data:":
                # "If value starts with a U+0020 SPACE character, remove it from value."
                value = line[6:] if line[5:6] == b" " else line[5:]
                values.append(value)
                size += len(value) + 1
                if size > limit:
                    self._last_id, self.last_event_id = last_id, id_text
                    self._fail(out)
                    return out
            elif size + len(line) >= limit:
                # Any other line costs its length plus one (see _sse_cap.line_cost),
                # complete or not: so the outcome never depends on where chunks were cut.
                self._last_id, self.last_event_id = last_id, id_text
                self._fail(out)
                return out
            elif line[:3] == b"id:":
                # "If the field value does not contain U+0000 NULL, then set the last
                # event ID buffer to the field value. Otherwise, ignore the field."
                value = line[4:] if line[3:4] == b" " else line[3:]
                if 0 not in value:
                    id_buffer = value
            elif line[0] == 58:  # b":"
                # "If the line starts with a U+003A COLON character: ignore the line."
                if self.comments:  # so T includes Comment
                    comment = Comment(_text(line[2:] if line[1:2] == b" " else line[1:]))
                    out.append(comment)  # type: ignore[arg-type]
            else:
                # Split at the first colon; "... does not contain a U+003A COLON character:
                # process the field using the whole line as the field name, and the empty
                # string as the field value."
                name, _, value = line.partition(b":")
                if value[:1] == b" ":
                    value = value[1:]
                if name == b"event":
                    event_type = _text(value)
                elif name == b"retry":
                    # "If the field value consists of only ASCII digits ..." (bytes.isdigit
                    # is ASCII only). More than MAX_RETRY_DIGITS digits (centuries) is
                    # ignored rather than handed to int(), which refuses very long strings.
                    if value.isdigit() and len(value) <= MAX_RETRY_DIGITS:
                        self.retry = block_retry = int(value)
                elif name == b"data":  # `data` with no colon
                    values.append(value)
                    size += 1
                    if size > limit:
                        self._last_id, self.last_event_id = last_id, id_text
                        self._fail(out)
                        return out
                elif name == b"id":  # `id` with no colon: an empty id
                    id_buffer = value
                # "Otherwise: the field is ignored."
        self._data = values
        self._data_size = size
        self._event_type = event_type
        self._id_buffer = id_buffer
        self._last_id, self.last_event_id = last_id, id_text
        self._block_retry = block_retry
        room = limit - size - (len(pending[0]) if pending else 0) - 1
        self._room = room if room < _LOOK else _LOOK
        if room < 0:
            self._look(out)
        return out

    def _set_last_id(self, raw: bytes) -> None:
        """The last event id moves to `raw` (bytes); ``last_event_id`` is its text."""
        self._last_id = raw
        try:
            self.last_event_id = raw.decode()
        except UnicodeDecodeError:
            self.last_event_id = raw.decode("utf-8", "replace")


def _text(data: bytes) -> str:
    """UTF-8 to text; invalid bytes become U+FFFD. Cutting at line endings never splits
    a character, and decoding the pieces gives what decoding the stream would: an ASCII
    byte ends any incomplete sequence."""
    try:
        return data.decode()
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")
