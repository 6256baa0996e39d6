"""What an event stream carries: the items the decoder gives (``ServerSentEvent``,
``Comment``) and the encoder that writes them as bytes any SSE client decodes back."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import orjson

from ._exceptions import LocalProtocolError

__all__ = ["Comment", "ServerSentEvent", "encode", "encode_comment"]


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
