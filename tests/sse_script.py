"""The script vocabulary of the test SSE server (see :mod:`tests.sse_server`).

A script is a list of :class:`Reply` objects; a streamed reply body is a list of
actions (:class:`Send`, :class:`Sleep`, :class:`Stall`, :class:`Drop`,
:class:`Heartbeats`, :class:`Close`) that the server plays in order. :func:`frame`
builds the SSE bytes to send.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Send:
    """Write ``data`` as (part of) the body now: one chunk if chunked; ``b""`` writes nothing."""

    data: bytes


@dataclass(frozen=True)
class Sleep:
    """Pause for ``seconds``; the connection is dropped if the server stops meanwhile."""

    seconds: float


@dataclass(frozen=True)
class Stall:
    """Send nothing for ``seconds``, then drop the connection like :class:`Drop`."""

    seconds: float
    reset: bool | None = None


@dataclass(frozen=True)
class Drop:
    """End the connection abruptly, mid-body, without terminating the body.

    ``reset=False`` closes with a FIN: a chunked (or Content-Length) body is then visibly
    incomplete. ``reset=True`` sends a TCP RST (SO_LINGER 0) once the peer acknowledged
    all data sent: the client sees a connection reset. ``None`` (default) picks FIN, or
    RST for a close-delimited body, where a FIN would look like a clean end.
    """

    reset: bool | None = None


@dataclass(frozen=True)
class Heartbeats:
    """Send ``count`` copies of ``text``, each after waiting ``interval`` seconds."""

    count: int
    interval: float
    text: bytes = b": hb\n\n"


@dataclass(frozen=True)
class Close:
    """End the body cleanly now (terminating chunk, then FIN); later actions are skipped."""


Action = Send | Sleep | Stall | Drop | Heartbeats | Close
HeaderInput = Mapping[str, str] | Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Reply:
    """One scripted response.

    ``body`` is a list of actions, streamed chunked (or close-delimited if ``chunked`` is
    false), or ``bytes`` sent with a Content-Length; omitted, it is an empty stream for
    200 and ``b""`` otherwise. 1xx/204/304 replies and replies to HEAD have no body.
    Default headers: ``Content-Type: text/event-stream; charset=utf-8`` and
    ``Cache-Control: no-cache`` for 200 (``text/plain`` for other non-empty bodies), the
    framing header and ``Connection: close``; ``headers`` replace defaults of the same
    name. A ``Content-Length`` header on a streamed body turns chunking off, so a body
    can be declared longer than it is.
    """

    status: int = 200
    headers: HeaderInput = field(default_factory=dict)
    body: bytes | Sequence[Action] | None = None
    chunked: bool = True
    reason: str | None = None


def frame(
    data: str | None = None,
    *,
    event: str | None = None,
    id: str | None = None,
    retry: int | None = None,
) -> bytes:
    """Build one SSE frame (UTF-8), e.g. ``frame("a", id="1") == b"id: 1\\ndata: a\\n\\n"``."""
    lines = [] if id is None else [f"id: {id}"]
    lines += [] if event is None else [f"event: {event}"]
    lines += [] if retry is None else [f"retry: {retry}"]
    lines += [] if data is None else [f"data: {line}" for line in data.split("\n")]
    return ("\n".join(lines) + "\n\n").encode()
