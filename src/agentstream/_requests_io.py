"""The requests side of an exchange, shared by EventSource and SyncHTTP: one request sent
hop by hop through its redirects (the rules are ``_redirects.py``), in a worker thread
that its caller stops waiting for at a deadline.

Why a thread: requests' timeouts bound each socket operation, never the whole, so a
server that sends one header byte every half second holds a read for as long as it
likes. The caller waits for the worker with a deadline instead; when it gives up, it
shuts down the response the worker holds, which ends a body read in progress at once.
A worker still waiting for the response headers (it holds no response yet) ends when
the server stops or its read timeout fires, and closes whatever it gets: it is
abandoned, never waited for.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

import requests
import urllib3

from ._chunked import READ_SIZE, BodyFramer, framer_for
from ._exceptions import APIConnectionError, APITimeoutError, scrub, timeout_error
from ._http import BodyLimit
from ._policy import Request
from ._redirects import Redirects

__all__ = [
    "Worker",
    "body_chunks",
    "fetch",
    "is_timeout",
    "map_error",
    "open_response",
    "shutdown",
    "wire_headers",
]

T = TypeVar("T")


# TimeoutError: what the socket raises on the direct body path (``body_chunks``).
_TIMEOUTS = (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)


def is_timeout(exc: BaseException) -> bool:
    """A read that timed out, from requests, urllib3 or the socket itself."""
    return isinstance(exc, _TIMEOUTS)


def map_error(exc: BaseException) -> APIConnectionError:
    """requests/urllib3 errors -> ours. The message names the cause, never a header."""
    kind = APITimeoutError if isinstance(exc, _TIMEOUTS) else APIConnectionError
    error = kind(f"{type(exc).__name__}: {scrub(str(exc))}")
    error.__cause__ = exc
    return error


def wire_headers(headers: Mapping[str, str]) -> dict[str, str | bytes]:
    """Header values as the wire wants them: a non-ASCII value (a Last-Event-ID, say)
    goes as UTF-8 bytes, as the SSE spec says, not as requests' latin-1."""
    return {k: v if v.isascii() else v.encode("utf-8") for k, v in headers.items()}


def shutdown(response: requests.Response) -> None:
    """Unblock a read in progress in another thread (closing alone may not wake it)."""
    try:
        response.raw.shutdown()
    except Exception:  # already closed, or an urllib3 without shutdown(): close instead
        response.close()


def open_response(
    session: requests.Session,
    redirects: Redirects,
    *,
    timeout: tuple[float, float | None] | float,
    params: Mapping[str, Any] | None = None,
    hold: Callable[[requests.Response], None] = lambda _: None,
) -> requests.Response:
    """Send ``redirects.request`` and follow its redirects; the final response, its
    body unread. `params` go with the first hop only (a Location carries its own query);
    `hold(response)` is told of each response as it opens.

    Raises:
        RemoteProtocolError: too many redirects, or one to a location that is not http(s).
        requests.RequestException: as requests raises it.
    """
    request: Request | None = redirects.request
    while request is not None:
        response = session.request(
            request.method,
            request.url,
            headers=wire_headers(request.headers),
            data=request.body,
            params=params,
            stream=True,
            timeout=timeout,
            allow_redirects=False,
            # requests strips its session's credentials on redirects it follows itself;
            # we follow them, so this auth, applied last, does (and replaces the session's).
            auth=_StripSecrets(redirects.secret) if redirects.crossed else None,
        )
        hold(response)
        try:
            request = redirects.follow(response.status_code, response.headers)
        except BaseException:
            response.close()
            raise
        if request is None:
            return response
        response.close()
        params = None
    raise AssertionError("unreachable")  # pragma: no cover


def fetch(
    session: requests.Session,
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
    headers or body trickle in (in a ``Worker`` waited for with that deadline);
    `opened()` is called once a response has come.

    Raises:
        APITimeoutError: past `timeout` (naming the method, the URL and ``timeout``),
            or a library timeout.
        APIConnectionError: no answer.
        APIStatusError: a body over `max_bytes` (``BodyLimit``).
    """
    request = redirects.request

    def call(worker: Worker[tuple[int, Mapping[str, str], bytes]]) -> Any:
        response = open_response(
            session, redirects, timeout=(connect, timeout), params=params, hold=worker.hold
        )
        opened()
        with response:  # read as far as the limit, no further
            limit = BodyLimit(request.method, request.url, response.status_code, max_bytes)
            for chunk in response.iter_content(READ_SIZE):
                if not limit.take(chunk):
                    break
        return response.status_code, response.headers, limit.body()

    try:
        result = Worker(call).wait(timeout)
    except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
        raise map_error(exc) from exc
    if result is Worker.EXPIRED:
        raise timeout_error(
            f"no complete answer to {request.method}", request.url, "timeout", timeout
        )
    return result  # type: ignore[no-any-return]


def body_chunks(response: requests.Response) -> Iterator[bytes]:
    """The body of an open event-stream response, as it arrives, never waiting to fill
    a buffer.

    When nothing of the body has been read yet and it is not encoded, the socket's
    buffered file is read directly (``read1``: what has arrived, up to 64 KiB) and each
    read's chunks framed at once (``_chunked.py``), where urllib3 and http.client would
    hand up one HTTP chunk at a time through their layers. Otherwise urllib3 reads it.
    The connection is not reused afterwards: its response is closed half read.
    """
    direct = _direct_reader(response)
    if direct is not None:
        return _read_direct(*direct)
    return _library_chunks(response.raw)


def _direct_reader(response: requests.Response) -> tuple[Any, BodyFramer] | None:
    raw = response.raw
    inner = getattr(raw, "_fp", None)
    if not isinstance(inner, http.client.HTTPResponse) or inner.chunk_left is not None:
        return None
    file = inner.fp
    if file is None or not hasattr(file, "read1") or raw.tell() != 0:
        return None
    framer = framer_for({k.lower(): v for k, v in response.headers.items()})
    return None if framer is None else (file, framer)


def _read_direct(file: Any, framer: BodyFramer) -> Iterator[bytes]:
    while not framer.done:
        data = file.read1(READ_SIZE)
        if not data:
            if framer.eof():
                return
            raise urllib3.exceptions.ProtocolError("the server closed the stream mid-body")
        if body := framer.feed(data):
            yield body


def _library_chunks(raw: urllib3.HTTPResponse) -> Iterator[bytes]:
    if raw.chunked and raw.supports_chunked_reads():
        yield from raw.read_chunked(READ_SIZE, decode_content=True)
        return
    while chunk := raw.read1(READ_SIZE, decode_content=True):
        yield chunk


class _StripSecrets(requests.auth.AuthBase):
    """Removes every secret header (the session's, its cookies, its auth's) from a
    request that went to another origin than the first."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        for name in self.names:
            request.headers.pop(name, None)
        return request


class _Abandoned(Exception):
    """The caller stopped waiting: the worker stops at its next step."""


class Worker(Generic[T]):
    """Runs ``job(worker)`` in a daemon thread; ``wait()`` waits for it with a deadline.

    Args:
        job: the exchange; it calls ``worker.hold(response)`` for each response it opens.
        wakeup: the event the worker sets when it is done (the caller's own, so that
            close() and restart() wake the same wait).
    """

    EXPIRED: Any = object()
    INTERRUPTED: Any = object()

    def __init__(self, job: Callable[[Worker[T]], T], wakeup: threading.Event | None = None):
        self._job = job
        self._wakeup = wakeup if wakeup is not None else threading.Event()
        self._lock = threading.Lock()
        self._outcome: list[tuple[bool, Any]] = []
        self._held: requests.Response | None = None
        self._abandoned = False
        threading.Thread(target=self._main, name="agentstream-request", daemon=True).start()

    def hold(self, response: requests.Response) -> None:
        """Note the open response, which an abandon shuts down; raises if abandoned."""
        with self._lock:
            abandoned = self._abandoned
            if not abandoned:
                self._held = response
        if abandoned:
            response.close()
            raise _Abandoned

    def _main(self) -> None:
        try:
            outcome: tuple[bool, Any] = (True, self._job(self))
        except BaseException as exc:
            outcome = (False, exc)
        with self._lock:
            self._outcome.append(outcome)
            abandoned = self._abandoned
        if abandoned:  # nobody waits: close what it got, and wake no one
            if self._held is not None:
                self._held.close()
            return
        self._wakeup.set()

    def wait(self, seconds: float | None, interrupted: Callable[[], bool] = bool) -> T:
        """The job's result (its exception raised), or EXPIRED after `seconds`, or
        INTERRUPTED once ``interrupted()`` is true when the wakeup event is set; in
        those two cases the job is abandoned and the response it holds shut down."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            self._wakeup.clear()
            remaining = None if deadline is None else deadline - time.monotonic()
            with self._lock:
                if self._outcome:
                    ok, value = self._outcome[0]
                    if ok:
                        return value  # type: ignore[no-any-return]
                    raise value
                stop = self.INTERRUPTED if interrupted() else None
                if stop is None and remaining is not None and remaining <= 0:
                    stop = self.EXPIRED
                if stop is not None:
                    self._abandoned = True
                    held = self._held
            if stop is not None:
                if held is not None:
                    shutdown(held)
                return stop  # type: ignore[no-any-return]
            self._wakeup.wait(remaining)
