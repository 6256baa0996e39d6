"""What a client family is to the fault matrix: an Entry knows how its platform frames
an event, how a request says where to resume, and how to open its stream (sync and
async) against a URL with short timeouts. The entries themselves, and the list of them
(ENTRIES), are in ``tests/fault_matrix_entries.py``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx
import requests

from agentstream._sse import DEFAULT_MAX_EVENT_BYTES
from agentstream.types import UnknownEvent

if TYPE_CHECKING:
    from tests.fault_matrix_server import Recorded

__all__ = [
    "EVENTS",
    "FAULTY",
    "HEADERS_TIMEOUT",
    "IDLE_TIMEOUT",
    "READ_TIMEOUT",
    "RECONNECTS",
    "RETRY",
    "SECRET",
    "TEXT",
    "Entry",
    "Limits",
    "dump",
    "sse",
]

#: Events in every stream; every fault strikes at event FAULTY, after the ones before.
EVENTS = 5
FAULTY = 3
#: The deadlines every client gets: small, so that each fault resolves in well under
#: a second or two.
HEADERS_TIMEOUT = 0.5
READ_TIMEOUT = 0.3
IDLE_TIMEOUT = 0.6
RECONNECTS = 5
RETRY = 0.01
#: Where each text goes inside a frame's JSON: replaced by the raw bytes of the text,
#: so that a fault can put bytes there that are not UTF-8.
TEXT = b"@@TEXT@@"
SECRET = "SECRET-f4u1t-m4tr1x"


class Limits:
    """Sessions/clients a test hands to an entry (TLS trust, say); None: the default."""

    def __init__(
        self, session: requests.Session | None = None, client: httpx.AsyncClient | None = None
    ) -> None:
        self.session = session
        self.client = client


class Entry:
    """One client family in the matrix; subclasses fill in the platform's wire."""

    name = "?"
    #: The stream ends by itself at event N (else the reader stops after N events).
    terminal = False
    #: The largest event the client accepts (its configured or default cap).
    max_event_bytes = DEFAULT_MAX_EVENT_BYTES
    #: Whether a resumed request names the event it resumes after (``cursor()``).
    has_cursor = True
    #: The server emits live events only after the client listed the history (a
    #: backfill), as a platform whose stream does not replay is observed to.
    backfills = False
    #: The secret headers this client sends, by name.
    secrets: dict[str, str] = {}  # noqa: RUF012

    # -- the server side ------------------------------------------------------------

    def is_stream(self, path: str) -> bool:
        raise NotImplementedError

    def stream_headers(self) -> dict[str, str]:
        """Extra headers of a stream response."""
        return {}

    def prologue(self) -> bytes:
        """Frames each connection starts with (control frames, not events)."""
        return b""

    def payload(self, n: int, last: bool) -> bytes:
        """The JSON data of event `n`, with TEXT where its text goes."""
        raise NotImplementedError

    def frame(self, n: int, data: bytes, last: bool) -> bytes:
        """Event `n` as SSE bytes around its `data`."""
        raise NotImplementedError

    def cursor(self, request: Recorded) -> int | None:
        """The event a stream request resumes after (None: from the start)."""
        return None

    def side(self, request: Recorded, stored: list[bytes]) -> bytes | None:
        """The JSON answer to a request that is not the stream (None: 404), given the
        data of every event the server emitted so far."""
        return None

    def is_backfill(self, request: Recorded) -> bool:
        """Whether `request` lists the history a stream connection waits for."""
        return False

    def expected(self, n: int, last: bool) -> str:
        return "end" if last and self.terminal else f"e{n}"

    # -- the client side ------------------------------------------------------------

    def open_sync(self, base: str, limits: Limits) -> Any:
        """A context manager: the client's stream (iterable, with ``on_reconnect``),
        opened against the server at `base`; leaving it closes the stream and client."""
        raise NotImplementedError

    def open_async(self, base: str, limits: Limits) -> Any:
        """The async twin of ``open_sync``: an async context manager."""
        raise NotImplementedError

    def marker(self, item: Any) -> str:
        """The text of a delivered item (``end``, ``?``)."""
        raw = item.raw if not isinstance(item, UnknownEvent) else None
        return "?" if raw is None else self.text_of(raw)

    def text_of(self, raw: dict[str, Any]) -> str:
        raise NotImplementedError


def dump(value: Any) -> bytes:
    """`value` as JSON, with the string ``@@TEXT@@`` left open for raw text bytes."""
    return json.dumps(value, separators=(",", ":")).encode()


def sse(data: bytes, *, event: str | None = None, id: str | None = None) -> bytes:
    lines = [] if id is None else [b"id: " + id.encode()]
    lines += [] if event is None else [b"event: " + event.encode()]
    return b"\n".join([*lines, b"data: " + data]) + b"\n\n"
