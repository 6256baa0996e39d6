"""The httpx side of an exchange, shared by AsyncEventSource and AsyncHTTP: one request
sent hop by hop through its redirects (the rules are ``_redirects.py``). Deadlines are
cancel scopes around these calls, in the callers: with httpx, cancelling a read in
progress is all it takes."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import anyio
import anyio.abc
import h11
import httpcore
import httpx

from ._chunked import READ_SIZE, BodyFramer, framer_for
from ._exceptions import APIConnectionError, APITimeoutError, scrub, timeout_error
from ._http import BodyLimit
from ._policy import Request
from ._redirects import Redirects

__all__ = [
    "aclose_shielded",
    "body_chunks",
    "fetch",
    "is_timeout",
    "map_error",
    "open_response",
    "wire_headers",
]


_TIMEOUTS = (httpx.TimeoutException, httpcore.TimeoutException)


def is_timeout(exc: BaseException) -> bool:
    """A read that timed out, from httpx or (on the direct body path) httpcore."""
    return isinstance(exc, _TIMEOUTS)


def map_error(exc: BaseException) -> APIConnectionError:
    """httpx errors -> ours. The message names the cause, never a header."""
    kind = APITimeoutError if isinstance(exc, _TIMEOUTS) else APIConnectionError
    error = kind(f"{type(exc).__name__}: {scrub(str(exc))}")
    error.__cause__ = exc
    return error


def wire_headers(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    """Headers as the wire wants them: a non-ASCII value (a Last-Event-ID, say) goes
    as UTF-8, as the SSE spec says, where httpx would refuse anything but ASCII."""
    return [(k.encode("ascii"), v.encode("utf-8")) for k, v in headers.items()]


async def aclose_shielded(response: httpx.Response) -> None:
    """Close `response`, even in a cancelled scope, never raising."""
    with anyio.CancelScope(shield=True):
        with contextlib.suppress(Exception):
            await response.aclose()


async def open_response(
    client: httpx.AsyncClient,
    redirects: Redirects,
    *,
    timeout: httpx.Timeout | float,
    params: Mapping[str, Any] | None = None,
) -> httpx.Response:
    """Send ``redirects.request`` and follow its redirects; the final response, its
    body unread. `params` go with the first hop only (a Location carries its own query).

    Raises:
        RemoteProtocolError: too many redirects, or one to a location that is not http(s).
        httpx.HTTPError: as httpx raises it.
    """
    request: Request | None = redirects.request
    while request is not None:
        built = client.build_request(
            request.method,
            request.url,
            headers=wire_headers(request.headers),
            content=request.body,
            params=params,
            timeout=timeout,
        )
        if redirects.crossed:
            # httpx would strip its client's credentials on a redirect it follows
            # itself; we follow them, so we do: no default secret header, cookie or auth.
            for name in redirects.secret:
                built.headers.pop(name, None)
        response = await client.send(
            built,
            stream=True,
            follow_redirects=False,
            auth=None if redirects.crossed else httpx.USE_CLIENT_DEFAULT,
        )
        try:
            request = redirects.follow(response.status_code, response.headers)
        except BaseException:
            await aclose_shielded(response)
            raise
        if request is None:
            return response
        await aclose_shielded(response)
        params = None
    raise AssertionError("unreachable")  # pragma: no cover


async def fetch(
    client: httpx.AsyncClient,
    redirects: Redirects,
    *,
    timeout: float,
    connect: float,
    params: Mapping[str, Any] | None,
    max_bytes: int,
    opened: Callable[[], None],
) -> tuple[int, Mapping[str, str], bytes]:
    """One JSON exchange through its redirects: status, headers and the body, read as
    far as `max_bytes` allows and no further. `timeout` bounds it all, however slowly
    headers or body trickle in (a cancel scope: cancelling an httpx read is all it
    takes); `opened()` is called once a response has come.

    Raises:
        APITimeoutError: past `timeout` (naming the method, the URL and ``timeout``),
            or a library timeout.
        APIConnectionError: no answer.
        APIStatusError: a body over `max_bytes` (``BodyLimit``).
    """
    request = redirects.request
    with anyio.move_on_after(timeout):
        try:
            response = await open_response(
                client, redirects, timeout=httpx.Timeout(timeout, connect=connect), params=params
            )
            opened()
            try:  # read as far as the limit, no further
                limit = BodyLimit(request.method, request.url, response.status_code, max_bytes)
                async for chunk in response.aiter_bytes():
                    if not limit.take(chunk):
                        break
            finally:
                await aclose_shielded(response)
        except httpx.TransportError as exc:
            raise map_error(exc) from exc
        return response.status_code, response.headers, limit.body()
    raise timeout_error(f"no complete answer to {request.method}", request.url, "timeout", timeout)


def body_chunks(response: httpx.Response, read_timeout: float | None) -> AsyncIterator[bytes]:
    """The body of an open event-stream response, as it arrives.

    When the response came over HTTP/1.1 through httpx's own transport, the socket is
    read directly and each read's chunks framed at once (``_chunked.py``): everything the
    socket holds goes up as one piece, where ``aiter_bytes()`` would hand every HTTP
    chunk up through httpx, httpcore and h11 separately (a third of the time of a
    stream of small events). Anything else (HTTP/2, an encoded body, another transport)
    is read by httpx. The connection is not reused afterwards: httpcore sees a body it
    did not read and closes it with the response.
    """
    direct = _direct_reader(response)
    if direct is None:
        return response.aiter_bytes()
    stream, leading, framer = direct
    return _read_direct(stream, framer.feed(leading), framer, read_timeout)


def _direct_reader(
    response: httpx.Response,
) -> tuple[httpcore.AsyncNetworkStream, bytes, BodyFramer] | None:
    """The socket, the body bytes already read with the head, and the body's framer;
    None unless every one of them can be had for certain."""
    stream = response.extensions.get("network_stream")
    if response.http_version != "HTTP/1.1" or not isinstance(stream, httpcore.AsyncNetworkStream):
        return None
    h11_state = _h11_connection(response)
    if h11_state is None or h11_state.their_state is not h11.SEND_BODY:
        return None
    framer = framer_for({k.lower(): v for k, v in response.headers.items()})
    if framer is None:
        return None
    leading, closed = h11_state.trailing_data
    if closed:
        return None  # the peer already closed: let httpx report what it has
    _drop_buffered(h11_state)
    return stream, leading, framer


def _drop_buffered(h11_state: h11.Connection) -> None:
    """Let h11 forget the body bytes it read with the head (we have them now): up to
    64 KiB a stream, held for its whole life otherwise. The connection is closed, never
    reused, once a body has been read past h11, so its buffer has no further use."""
    buffer = getattr(h11_state, "_receive_buffer", None)
    if buffer is not None:
        with contextlib.suppress(Exception):
            h11_state._receive_buffer = type(buffer)()


def _h11_connection(response: httpx.Response) -> h11.Connection | None:
    """The h11 connection that read this response's head, found through the streams
    httpx and httpcore wrap around it; None for any other shape (another transport,
    or a version of them laid out otherwise: the caller then reads through httpx)."""
    node: object = response.stream
    for _ in range(6):
        state = getattr(node, "_h11_state", None)
        if isinstance(state, h11.Connection):
            return state
        node = next(
            (
                getattr(node, name)
                for name in ("_stream", "_httpcore_stream", "_connection")
                if hasattr(node, name)
            ),
            None,
        )
        if node is None:
            return None
    return None


async def _read_direct(
    stream: httpcore.AsyncNetworkStream,
    first: bytes,
    framer: BodyFramer,
    read_timeout: float | None,
) -> AsyncIterator[bytes]:
    if first:
        yield first
        first = b""  # not held for the life of the stream
    reads = _TimedReads.for_stream(stream, read_timeout)
    try:
        while not framer.done:
            if reads is not None:
                data = await reads.read()
            else:
                data = await stream.read(READ_SIZE, timeout=read_timeout)
            if not data:
                if framer.eof():
                    return
                raise httpx.RemoteProtocolError("the server closed the stream mid-body")
            if body := framer.feed(data):
                yield body
    finally:
        if reads is not None:
            reads.stop()


class _TimedReads:
    """Reads of httpcore's anyio stream on asyncio with one timer per connection.

    httpcore bounds each read with ``anyio.fail_after``, a cancel scope per read that
    costs more than the read itself when events come one per read (10-13 us here). A
    read timeout only has to fire when no byte came for `seconds` while a read waits,
    so one ``call_at`` timer serves them all: each read moves the deadline (a float),
    and the timer, when it comes due, looks whether it has really passed and otherwise
    sets itself again. When it has, it shuts the socket down: the waiting read ends,
    and the read raises ReadTimeout, as httpcore's would.
    """

    def __init__(self, receive: Any, seconds: float, sock: Any) -> None:
        self._receive = receive
        self._seconds = seconds
        self._sock = sock
        self._loop = asyncio.get_running_loop()
        self._deadline = self._loop.time() + seconds
        self._waiting = False
        self.expired = False
        self._timer: asyncio.TimerHandle | None = self._loop.call_at(self._deadline, self._due)

    @classmethod
    def for_stream(
        cls, stream: httpcore.AsyncNetworkStream, seconds: float | None
    ) -> _TimedReads | None:
        """None unless `stream` is httpcore's wrapper of an anyio byte stream, on
        asyncio, with a read timeout: the caller then reads through httpcore."""
        inner = getattr(stream, "_stream", None)
        if not seconds or seconds < 0 or not isinstance(inner, anyio.abc.ByteReceiveStream):
            return None
        sock = stream.get_extra_info("socket")
        try:
            asyncio.get_running_loop()  # anyio on trio has none: httpcore reads there
        except RuntimeError:
            return None
        return None if sock is None else cls(inner.receive, seconds, sock)

    async def read(self) -> bytes:
        self._deadline = self._loop.time() + self._seconds
        self._waiting = True
        try:
            data: bytes = await self._receive(READ_SIZE)
        except anyio.EndOfStream:
            data = b""
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError) as exc:
            if self.expired:
                raise self._timed_out() from exc
            raise httpcore.ReadError(f"{type(exc).__name__}: {exc}") from exc
        finally:
            self._waiting = False
        if self.expired:
            raise self._timed_out()
        return data

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _due(self) -> None:
        if self._sock.fileno() < 0:  # the connection is gone: nothing left to time
            self._timer = None
            return
        now = self._loop.time()
        if not self._waiting or now < self._deadline:
            # A read is not waiting (the caller is busy) or began since: look again.
            due = self._deadline if now < self._deadline else now + self._seconds
            self._timer = self._loop.call_at(due, self._due)
            return
        self._timer = None
        self.expired = True
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)

    def _timed_out(self) -> httpcore.ReadTimeout:
        return httpcore.ReadTimeout(f"no bytes for {self._seconds:g} s")
