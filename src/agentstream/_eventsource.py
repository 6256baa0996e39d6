"""What EventSource and AsyncEventSource share: their arguments and their state.

The two drivers differ only in how they do IO; everything here is the same object seen
from either side, so that the twins cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypedDict

from ._config import FIRST_CONNECT_TIMEOUT, check_headers, dump_json
from ._exceptions import (
    APITimeoutError,
    LocalProtocolError,
    ReconnectExhausted,
    redact_headers,
    timeout_error,
)
from ._machine import StreamConfig, StreamMachine, StreamState
from ._observe import (
    ReconnectInfo,
    StreamStats,
    call_all,
    describe,
    log_connect,
    log_give_up,
    log_reconnect,
)
from ._policy import LastEventIdPolicy, Request, ResumePolicy
from ._redirects import HEADERS_TIMEOUT, MAX_REDIRECTS, secret_names
from ._sse import DEFAULT_MAX_EVENT_BYTES, ServerSentEvent

#: Sent unless the caller sets them: the spec's Accept, and no caching by proxies.
DEFAULT_HEADERS = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
#: The size of each read from the socket.
CHUNK_SIZE = 64 * 1024


def build_request(
    url: str,
    method: str,
    headers: Mapping[str, str] | None,
    body: bytes | str | None,
    json: Any,
) -> Request:
    """The original request, with the default headers under the caller's."""
    merged = Request(url=url, headers=dict(DEFAULT_HEADERS))
    if json is not None:
        if body is not None:
            raise LocalProtocolError("pass body or json, not both")
        body = dump_json(json)
        merged = merged.with_headers({"Content-Type": "application/json"})
    if isinstance(body, str):
        body = body.encode("utf-8")
    merged = merged.with_headers(headers or {})
    check_headers(merged.headers)
    return Request(method=method.upper(), url=url, headers=merged.headers, body=body)


class EventSourceOptions(TypedDict, total=False):
    """The keyword arguments every event source takes; see BaseEventSource."""

    method: str
    headers: Mapping[str, str] | None
    body: bytes | str | None
    json: Any
    last_event_id: str
    retry: float
    connect_timeout: float
    headers_timeout: float | None
    read_timeout: float | None
    idle_timeout: float | None
    max_event_bytes: int | None
    max_reconnect_attempts: int | None
    max_reconnect_time: float | None
    reconnect: bool
    policy: ResumePolicy | None
    secret_headers: Iterable[str]
    max_redirects: int
    first_connect_timeout: float | None
    connect_hint: str


class BaseEventSource:
    """The arguments and state of an event source; the IO lives in the subclasses.

    Args:
        url: the stream's URL.
        method: the HTTP method (GET, POST, REPORT, ...); reconnects re-send it.
        headers: extra request headers; reconnects re-send them.
        body: a request body (bytes or text); reconnects re-send it.
        json: a body to send as JSON (instead of `body`).
        last_event_id: resume from this id (sent as ``Last-Event-ID``).
        retry: the initial reconnection delay in seconds, until the server sends ``retry:``.
        connect_timeout: seconds to establish a connection.
        headers_timeout: seconds from sending a request to the end of its response
            headers, through its redirects (and the start of an error's body), however
            slowly they trickle in; it also bounds a platform policy's backfill request
            as a whole. When it fires, the connection is replaced (a reconnect whose
            cause is an APITimeoutError naming the URL and ``headers_timeout``). None:
            no deadline.
        read_timeout: seconds without any byte (heartbeats count) before the connection
            is declared dead and replaced. None: wait forever.
        idle_timeout: seconds without a real event (heartbeats don't count) before
            StreamIdleTimeout is raised. None: no limit.
        max_event_bytes: the largest event accepted; None: no cap.
        max_reconnect_attempts: failed connections in a row before ReconnectExhausted.
        max_reconnect_time: seconds of failing before ReconnectExhausted.
        reconnect: reconnect when the server ends the body cleanly (the spec's default).
        policy: a platform ResumePolicy instead of the Last-Event-ID one.
        secret_headers: header names that are secrets besides Authorization,
            Proxy-Authorization, Cookie, X-Api-Key and Api-Key: none of them follows a
            redirect to another origin (scheme, host or port, so never after an
            https -> http downgrade).
        max_redirects: redirects followed per connection; one more fails the stream
            with RemoteProtocolError. 303 (and 301/302 after a POST) turns the request
            into a GET without a body; 307 and 308 keep the method and the body.
        first_connect_timeout: seconds, retries included, that a stream which never
            opened keeps trying to connect (each try's connect timeout is at most this
            too) before UnreachableError names the URL: nothing listening there is most
            likely a wrong URL or a server not started. Once a connection opened, the
            reconnect limits above apply. None: no separate limit.
        connect_hint: added to that error's message (platform clients name the
            environment variable their base URL comes from).
    """

    def __init__(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
        json: Any = None,
        last_event_id: str = "",
        retry: float = 1.0,
        connect_timeout: float = 10.0,
        headers_timeout: float | None = HEADERS_TIMEOUT,
        read_timeout: float | None = 60.0,
        idle_timeout: float | None = None,
        max_event_bytes: int | None = DEFAULT_MAX_EVENT_BYTES,
        max_reconnect_attempts: int | None = 10,
        max_reconnect_time: float | None = None,
        reconnect: bool = True,
        policy: ResumePolicy | None = None,
        secret_headers: Iterable[str] = (),
        max_redirects: int = MAX_REDIRECTS,
        first_connect_timeout: float | None = FIRST_CONNECT_TIMEOUT,
        connect_hint: str = "",
    ) -> None:
        config = StreamConfig(
            read_timeout=read_timeout,
            idle_timeout=idle_timeout,
            initial_retry=retry,
            max_reconnect_attempts=max_reconnect_attempts,
            max_reconnect_time=max_reconnect_time,
            max_event_bytes=max_event_bytes,
            comments=True,  # always decoded; plain iteration filters them out
            first_connect_timeout=first_connect_timeout,
            connect_hint=connect_hint,
        )
        self._machine = StreamMachine(
            build_request(url, method, headers, body, json),
            config,
            policy=policy or LastEventIdPolicy(reconnect=reconnect),
            last_event_id=last_event_id,
        )
        self.connect_timeout = connect_timeout
        self.headers_timeout = headers_timeout
        #: The secret header names, lowercase (the defaults and ``secret_headers``).
        self.secret_headers = secret_names(secret_headers)
        self.max_redirects = max_redirects
        self._user_closed = False
        self._reconnect_callbacks: list[Callable[[ReconnectInfo], Any]] = []

    @property
    def url(self) -> str:
        """The URL of the stream (as the resume policy last rewrote it)."""
        return self._machine.request.url

    @property
    def last_event_id(self) -> str:
        """The id of the last event received; sent as ``Last-Event-ID`` on reconnect."""
        return self._machine.last_event_id

    @property
    def retry(self) -> float | None:
        """The server's reconnection time in seconds, once it sent one."""
        ms = self._machine.retry_ms
        return ms / 1000 if ms is not None else None

    @property
    def state(self) -> StreamState:
        """Where the stream machine is: CONNECTING, OPEN, BACKOFF, CLOSED, FAILED ..."""
        return self._machine.state

    @property
    def closed(self) -> bool:
        """True once the stream finished, or was closed by the caller (even after a
        failure, which otherwise keeps the state FAILED and its error)."""
        return self._user_closed or self._machine.state is StreamState.CLOSED

    @property
    def response_headers(self) -> Mapping[str, str]:
        """The headers of the stream's response (the connection open now, or the last
        one), names lowercased, secrets (``Set-Cookie``) redacted; empty before the
        first connection opens."""
        return redact_headers(self._machine.response_headers)

    @property
    def request_id(self) -> str | None:
        """The request id of the stream's response (``X-Request-Id`` or ``Request-Id``),
        or None when the server sent none (or before the stream opened)."""
        headers = self._machine.response_headers
        return headers.get("x-request-id") or headers.get("request-id") or None

    @property
    def stats(self) -> StreamStats:
        """The stream's counters so far (connections, reconnects, bytes, events, last
        error), as one immutable value."""
        machine = self._machine
        error = machine.error if machine.error is not None else machine.last_cause
        return StreamStats(
            connections=machine.connections,
            reconnects=machine.reconnects,
            bytes_received=machine.bytes_received,
            events_delivered=machine.events_delivered,
            last_error=describe(error, machine.request.headers),
        )

    def on_reconnect(
        self, callback: Callable[[ReconnectInfo], Any]
    ) -> Callable[[ReconnectInfo], Any]:
        """Call `callback` with a ReconnectInfo (reason, attempt, delay) each time the
        stream is about to wait and reconnect; return `callback` (usable as a decorator).

        The callback runs in the iterating thread or task, after the decision and before
        the wait, outside the stream's lock. It should return quickly; an exception it
        raises propagates to the iteration, and the source is then closed (as if the
        caller had closed it). ``remove_reconnect_callback()`` removes it.
        """
        self._reconnect_callbacks.append(callback)
        return callback

    def remove_reconnect_callback(self, callback: Callable[[ReconnectInfo], Any]) -> None:
        """Stop calling `callback` (added by ``on_reconnect``); absent is not an error."""
        if callback in self._reconnect_callbacks:
            self._reconnect_callbacks.remove(callback)

    # -- what the drivers announce (outside the machine's lock) ---------------------

    def _announce_connect(self, request: Request) -> None:
        log_connect(request.method, request.url)

    def _announce_reconnect(self) -> BaseException | None:
        """Log the reconnect the machine just scheduled and call the callbacks; return
        what a callback raised, for the driver to close the source and raise it."""
        info, self._machine.reconnect = self._machine.reconnect, None
        if info is None:
            return None
        request = self._machine.request
        log_reconnect(request.method, request.url, info)
        try:
            call_all(self._reconnect_callbacks, info)
        except Exception as exc:
            return exc
        return None

    def _announce_failure(self, error: BaseException) -> BaseException:
        """`error`, the one the stream ends with; logged when it is a give-up."""
        if isinstance(error, ReconnectExhausted):
            request = self._machine.request
            cause = describe(error.last_cause, request.headers)
            log_give_up(request.method, request.url, error.attempts, cause)
        return error

    def _timeouts(self) -> tuple[float, float | None]:
        machine, connect = self._machine, self.connect_timeout
        first = machine.config.first_connect_timeout
        if first is not None and machine.connections == 0:
            connect = min(connect, first)  # a server never reached: fail fast
        return connect, machine.read_timeout

    def _expired(self, what: str, request: Request) -> APITimeoutError:
        return timeout_error(what, request.url, "headers_timeout", self.headers_timeout or 0)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url} state={self.state.name}>"


def is_event(item: object) -> bool:
    return type(item) is ServerSentEvent
