"""A sans-IO Server-Sent Events decoder and encoder.

The decoder implements the WHATWG "event stream interpretation"
(https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation)
exactly. It never touches a socket or a clock: ``feed(bytes)`` returns the events that
the bytes completed, ``feed_eof()`` ends the stream.

How it stays fast: bytes go through one incremental UTF-8 decoder per chunk (C code;
it also carries a multi-byte character split across chunks), the text is split into
lines with ``str.split`` (C code), and the per-line work is a handful of string
operations. An incomplete line is kept as a list of pieces and joined once, when it
completes, so a huge event arriving in tiny chunks costs time proportional to its size.

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

import codecs
import re
from typing import Any, NamedTuple

import orjson

from ._exceptions import LocalProtocolError, RemoteProtocolError

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


class ServerSentEvent(NamedTuple):
    """One dispatched event.

    Attributes:
        event: the event type; ``"message"`` when the stream gave none.
        data: the data lines joined with ``"\\n"``.
        id: the last event id when this event was dispatched (it persists across events).
        retry: the reconnection time (ms) given inside this event's own block, else None.
    """

    event: str = "message"
    data: str = ""
    id: str = ""
    retry: int | None = None

    def json(self) -> Any:
        """Parse `data` as JSON.

        Raises:
            ValueError: the data is not JSON (``orjson.JSONDecodeError`` subclasses it).
        """
        return orjson.loads(self.data)

    def __repr__(self) -> str:
        fields = [f"event={self.event!r}", f"data={self.data!r}"]
        if self.id:
            fields.append(f"id={self.id!r}")
        if self.retry is not None:
            fields.append(f"retry={self.retry}")
        return f"ServerSentEvent({', '.join(fields)})"


class Comment(NamedTuple):
    """A comment line (``: text``), returned only when the decoder is asked for comments."""

    text: str


_new_event = tuple.__new__


def _size(text: str) -> int:
    """UTF-8 size of `text`; ``isascii`` is O(1) in CPython, so ASCII costs nothing."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class SSEDecoder:
    """Turns bytes into events. One decoder per connection.

    Args:
        max_event_bytes: the largest event (its data plus its incomplete line) accepted;
            None for no cap. A bigger one raises RemoteProtocolError.
        comments: also return comment lines, as Comment items, in stream order.
        last_event_id: the last event id carried over from an earlier connection of the
            same stream; events without an ``id`` line inherit it.
    """

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
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        self._started = False  # the BOM check happens on the first decoded character
        self._skip_lf = False  # the last chunk ended with CR: a leading LF belongs to it
        self._pending: list[str] = []  # pieces of the incomplete last line
        self._pending_size = 0
        self._data: list[str] = []
        self._data_size = 0
        self._event_type = ""
        self._id_buffer = last_event_id
        self._block_retry: int | None = None
        self._error: RemoteProtocolError | None = None

    @property
    def error(self) -> RemoteProtocolError | None:
        """The error the decoder failed with, once it has (raised by the next call)."""
        return self._error

    def feed(self, data: bytes) -> list[ServerSentEvent | Comment]:
        """Take the next bytes of the stream; return the events (and comments) they complete.

        Raises:
            RemoteProtocolError: an event outgrew ``max_event_bytes``. Events completed
                before it were returned by earlier calls (or this one: then the error is
                raised by the next call). The decoder stays failed.
        """
        if self._error is not None:
            raise self._error
        text = self._decode(data)
        if not text:
            return []
        if not self._started:
            self._started = True
            # "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
            if text[0] == "\ufeff":
                text = text[1:]
                if not text:
                    return []
        return self._feed_text(text)

    def feed_eof(self) -> list[ServerSentEvent | Comment]:
        """End the stream: "any pending data must be discarded", so an event without its
        final blank line is never dispatched. The decoder is spent afterwards.

        Raises:
            RemoteProtocolError: the decoder failed earlier (see ``feed``).
        """
        if self._error is not None:
            raise self._error
        tail = self._decode(b"", final=True)  # a truncated character becomes U+FFFD
        items = self._feed_text(tail) if tail else []
        self._pending = []
        self._data = []
        return items

    def _feed_text(self, text: str) -> list[ServerSentEvent | Comment]:
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
                if not text:
                    return []
        if "\r" in text:
            # A CR ends a line at once (no waiting to see if an LF follows); remember it
            # so that an LF at the start of the next chunk is not a second line ending.
            self._skip_lf = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" not in text:
            self._pending.append(text)
            self._pending_size += _size(text)
            self._check_pending()
            return []
        lines = text.split("\n")
        if self._pending:
            self._pending.append(lines[0])
            lines[0] = "".join(self._pending)
            self._pending = []
            self._pending_size = 0
        tail = lines.pop()
        out = self._process(lines)
        if tail and self._error is None:
            self._pending.append(tail)
            self._pending_size = _size(tail)
            self._check_pending(out)
        return out

    def _check_pending(self, out: list[ServerSentEvent | Comment] | None = None) -> None:
        limit = self.max_event_bytes
        if limit is not None and self._data_size + self._pending_size > limit:
            self._fail(out)

    def _fail(self, out: list[ServerSentEvent | Comment] | None) -> None:
        self._error = RemoteProtocolError(
            f"event larger than max_event_bytes={self.max_event_bytes} bytes"
        )
        self._pending = []
        self._data = []
        if not out:
            raise self._error

    def _process(self, lines: list[str]) -> list[ServerSentEvent | Comment]:
        """Run the spec's line steps over complete lines.

        This is the hot loop, so the decoder's state lives in locals while it runs and is
        written back once at the end; ``data:`` lines, the most common, are tested first.
        """
        out: list[ServerSentEvent | Comment] = []
        data = self._data
        size = self._data_size
        limit = self.max_event_bytes
        event_type = self._event_type
        id_buffer = self._id_buffer
        block_retry = self._block_retry
        for line in lines:
            if line[:5] == "data:":
                # "If value starts with a U+0020 SPACE character, remove it from value."
                value = line[6:] if line[5:6] == " " else line[5:]
                data.append(value)
                size += (len(value) if value.isascii() else _size(value)) + 1
                if limit is not None and size > limit:
                    self._data_size = size
                    self._fail(out)
                    return out
                continue
            if not line:
                # "If the line is empty (a blank line): dispatch the event." The last event
                # id moves even when there is nothing to dispatch.
                self.last_event_id = id_buffer
                if data:
                    out.append(
                        _new_event(
                            ServerSentEvent,
                            (event_type or "message", "\n".join(data), id_buffer, block_retry),
                        )
                    )
                    data = self._data = []
                    size = 0
                event_type = ""
                block_retry = None
                continue
            colon = line.find(":")
            if colon == 0:
                # "If the line starts with a U+003A COLON character: ignore the line."
                if self.comments:
                    out.append(Comment(line[2:] if line[1:2] == " " else line[1:]))
                continue
            if colon < 0:
                # "... does not contain a U+003A COLON character: process the field using
                # the whole line as the field name, and the empty string as the field value."
                name, value = line, ""
            else:
                name = line[:colon]
                value = (
                    line[colon + 2 :] if line[colon + 1 : colon + 2] == " " else line[colon + 1 :]
                )
            if name == "event":
                event_type = value
            elif name == "id":
                # "If the field value does not contain U+0000 NULL, then set the last
                # event ID buffer to the field value. Otherwise, ignore the field."
                if "\0" not in value:
                    id_buffer = value
            elif name == "retry":
                # "If the field value consists of only ASCII digits ..."
                # More than MAX_RETRY_DIGITS digits (centuries) is ignored rather than
                # handed to int(), which refuses very long strings.
                if value.isascii() and value.isdigit() and len(value) <= MAX_RETRY_DIGITS:
                    self.retry = block_retry = int(value)
            elif name == "data":  # `data` with no colon
                data.append(value)
                size += 1
                if limit is not None and size > limit:
                    self._data_size = size
                    self._fail(out)
                    return out
            # "Otherwise: the field is ignored."
        self._data_size = size
        self._event_type = event_type
        self._id_buffer = id_buffer
        self._block_retry = block_retry
        return out


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _field(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise LocalProtocolError(f"SSE field {name!r} cannot contain a line break")
    return f"{name}: {value}\n"


def encode(
    data: str | None = None,
    *,
    event: str | None = None,
    id: str | None = None,
    retry: int | None = None,
) -> bytes:
    """Encode one event as bytes that decode back to the same event.

    Multi-line data (any of CRLF, CR, LF) becomes several ``data:`` lines. Without data
    the block dispatches nothing, but still sets ``id`` and ``retry`` at the client.

    Raises:
        LocalProtocolError: `event` or `id` contains a line break, `id` contains NUL,
            or `retry` is not a non-negative integer.
    """
    parts: list[str] = []
    if event is not None:
        parts.append(_field("event", event))
    if id is not None:
        if "\0" in id:
            raise LocalProtocolError("an SSE id cannot contain NUL (clients ignore it)")
        parts.append(_field("id", id))
    if retry is not None:
        if isinstance(retry, bool) or not isinstance(retry, int) or retry < 0:
            raise LocalProtocolError(f"retry must be a non-negative int, not {retry!r}")
        parts.append(f"retry: {retry}\n")
    if data is not None:
        parts.extend(f"data: {line}\n" for line in _LINE_BREAK.split(data))
    parts.append("\n")
    return "".join(parts).encode("utf-8")


def encode_comment(text: str = "") -> bytes:
    """Encode a comment block (a heartbeat, say): one ``:`` line per line of `text`."""
    lines = "".join(f": {line}\n" if line else ":\n" for line in _LINE_BREAK.split(text))
    return (lines + "\n").encode("utf-8")
