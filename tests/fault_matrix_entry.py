"""What a client family is to the fault matrix: an Entry knows how its platform frames
an event, how a request says where to resume, and how to open its stream (sync and
async) against a URL with short timeouts. The entries themselves, and the list of them
(ENTRIES), are in ``tests/fault_matrix_entries.py``.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
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
    "PlatformEntry",
    "Transport",
    "dump",
    "sse",
]

#: Events in every stream; every fault strikes at event FAULTY, after the ones before.
EVENTS = 5
FAULTY = 3
#: The deadlines every client gets: small, so that each fault resolves in well under
#: a second or two.
HEADERS_TIMEOUT = 0.8
READ_TIMEOUT = 0.5
IDLE_TIMEOUT = 0.8
RECONNECTS = 5
RETRY = 0.01
#: Where each text goes inside a frame's JSON: replaced by the raw bytes of the text,
#: so that a fault can put bytes there that are not UTF-8.
TEXT = b"@@TEXT@@"
SECRET = "SECRET-f4u1t-m4tr1x"


class Transport:
    """The HTTP objects a test hands to the clients (to trust a test certificate, say):
    a requests.Session for the sync clients, and a factory of the httpx.AsyncClient
    the async clients use (made on the loop that uses it, closed by the runner).
    None: each client makes its own."""

    def __init__(
        self,
        session: requests.Session | None = None,
        client_factory: Callable[[], httpx.AsyncClient] | None = None,
    ) -> None:
        self.session = session
        self.client_factory = client_factory
        #: The httpx client of the current async run, if a factory made one.
        self.client: httpx.AsyncClient | None = None


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

    def open_sync(self, base: str, transport: Transport) -> Any:
        """A context manager: the client's stream (iterable, with ``on_reconnect``),
        opened against the server at `base`; leaving it closes the stream and client."""
        raise NotImplementedError

    def open_async(self, base: str, transport: Transport) -> Any:
        """The async twin of ``open_sync``: an async context manager."""
        raise NotImplementedError

    def json_sync(self, base: str, transport: Transport) -> Any:
        """One JSON call of the client (a GET) against the server at `base`."""
        raise NotImplementedError

    async def json_async(self, base: str, transport: Transport) -> Any:
        """The async twin of ``json_sync``."""
        raise NotImplementedError

    def marker(self, item: Any) -> str:
        """The text of a delivered item (``end``, ``?``)."""
        raw = item.raw if not isinstance(item, UnknownEvent) else None
        return "?" if raw is None else self.text_of(raw)

    def text_of(self, raw: dict[str, Any]) -> str:
        raise NotImplementedError


#: What every platform client is given: the deadlines and the retry knobs.
PLATFORM_OPTIONS = {
    "timeout": HEADERS_TIMEOUT,
    "stream_read_timeout": READ_TIMEOUT,
    "max_stream_reconnects": RECONNECTS,
    "reconnect_delay": RETRY,
    "max_retries": 0,
    "idle_timeout": IDLE_TIMEOUT,
}


class PlatformEntry(Entry):
    """An entry whose client is a platform client class pair (sync and async, the same
    method names): it only says which classes, which API key and base path, how a
    stream is opened and which JSON call to make."""

    sync_class: Any
    async_class: Any
    #: The path under the server's origin that is the client's base URL.
    prefix = ""

    def api_key(self) -> str:
        raise NotImplementedError

    def open_stream(self, client: Any) -> Any:
        """The client's stream (a context manager, or an awaitable of one)."""
        raise NotImplementedError

    def json_call(self, client: Any) -> Any:
        """The client's JSON call (its result, or an awaitable of it)."""
        raise NotImplementedError

    def options(self, base: str) -> dict[str, Any]:
        return {"api_key": self.api_key(), "base_url": base + self.prefix, **PLATFORM_OPTIONS}

    @contextmanager
    def open_sync(self, base: str, transport: Transport) -> Iterator[Any]:
        with (
            self.sync_class(session=transport.session, **self.options(base)) as client,
            self.open_stream(client) as stream,
        ):
            yield stream

    @asynccontextmanager
    async def open_async(self, base: str, transport: Transport) -> AsyncIterator[Any]:
        async with self.async_class(client=transport.client, **self.options(base)) as client:
            opened = self.open_stream(client)
            async with await opened if inspect.isawaitable(opened) else opened as stream:
                yield stream

    def json_sync(self, base: str, transport: Transport) -> Any:
        with self.sync_class(session=transport.session, **self.options(base)) as client:
            return self.json_call(client)

    async def json_async(self, base: str, transport: Transport) -> Any:
        async with self.async_class(client=transport.client, **self.options(base)) as client:
            return await self.json_call(client)


def dump(value: Any) -> bytes:
    """`value` as JSON, with the string ``@@TEXT@@`` left open for raw text bytes."""
    return json.dumps(value, separators=(",", ":")).encode()


def sse(data: bytes, *, event: str | None = None, id: str | None = None) -> bytes:
    lines = [] if id is None else [b"id: " + id.encode()]
    lines += [] if event is None else [b"event: " + event.encode()]
    return b"\n".join([*lines, b"data: " + data]) + b"\n\n"
