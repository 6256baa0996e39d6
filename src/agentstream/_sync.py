"""EventSource: the requests driver of the stream machine.

It does what the machine says and nothing else: open a connection, read the next chunk,
sleep, and report back. Errors of requests and urllib3 are translated here, at the edge,
and nowhere else.

Threads: iteration happens in one thread; ``close()`` and ``restart()`` may be called
from any other. They set a flag, wake a pending wait, and shut the socket down, which
unblocks a read in progress; the reading thread then sees the flag and stops (or
reconnects). Only the reading thread feeds the machine, under a lock that ``close()``
also takes, so the two never interleave.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Generator, Iterator, Mapping
from typing import Any

import requests
import urllib3
from typing_extensions import Unpack

from ._commands import (
    Close,
    Command,
    Connect,
    Ended,
    Fail,
    Fetch,
    Fetched,
    Finish,
    Input,
    Lost,
    Opened,
    Restart,
    Start,
    TimedOut,
    Wait,
    Waited,
)
from ._config import MAX_ERROR_BODY, is_event_stream
from ._eventsource import CHUNK_SIZE, BaseEventSource, EventSourceOptions
from ._exceptions import APIConnectionError, APITimeoutError
from ._machine import StreamState
from ._policy import Request
from ._sse import Comment, ServerSentEvent

__all__ = ["EventSource"]

Item = ServerSentEvent | Comment


def _map_error(exc: BaseException) -> APIConnectionError:
    """requests/urllib3 errors -> ours. The message names the cause, never a header."""
    timeouts = (requests.Timeout, urllib3.exceptions.TimeoutError)
    kind = APITimeoutError if isinstance(exc, timeouts) else APIConnectionError
    error = kind(f"{type(exc).__name__}: {exc}")
    error.__cause__ = exc
    return error


def _body_chunks(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives: one item per chunk, never waiting to fill a buffer."""
    raw = response.raw
    if raw.chunked and raw.supports_chunked_reads():
        yield from raw.read_chunked(CHUNK_SIZE, decode_content=True)
        return
    while chunk := raw.read1(CHUNK_SIZE, decode_content=True):
        yield chunk


def _wire_headers(headers: Mapping[str, str]) -> dict[str, str | bytes]:
    """Header values as the wire wants them: a non-ASCII value (a Last-Event-ID, say)
    goes as UTF-8 bytes, as the SSE spec says, not as requests' latin-1."""
    return {k: v if v.isascii() else v.encode("utf-8") for k, v in headers.items()}


def _raising(error: BaseException | None) -> Iterator[Item]:
    """An iterator that raises `error` (or ends at once), for a finished source."""
    if error is not None:
        raise error
    yield from ()


def _shutdown(response: requests.Response) -> None:
    """Unblock a read in progress in another thread (closing alone may not wake it)."""
    try:
        response.raw.shutdown()
    except Exception:  # already closed, or an urllib3 without shutdown(): close instead
        response.close()


class EventSource(BaseEventSource):
    """A Server-Sent Events stream over requests that reconnects and resumes by itself.

    Iterate it for ``ServerSentEvent`` items; ``iter_with_comments()`` also yields
    comment lines. Use it as a context manager, or call ``close()``.

    Args:
        url: the stream's URL.
        session: a requests.Session to use (the caller keeps ownership); by default the
            source makes its own and closes it.
        **options: see ``BaseEventSource`` (method, headers, body, json, last_event_id,
            retry, timeouts, limits, policy).
    """

    def __init__(
        self,
        url: str,
        *,
        session: requests.Session | None = None,
        **options: Unpack[EventSourceOptions],
    ) -> None:
        super().__init__(url, **options)
        self._session = session if session is not None else requests.Session()
        self._owns_session = session is None
        self._response: requests.Response | None = None
        self._chunks: Iterator[bytes] | None = None
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._restarting = threading.Event()
        self._wakeup = threading.Event()
        self._gen: Generator[Item, None, None] | None = None
        self._reader: int | None = None  # the thread that runs the generator

    def __enter__(self) -> EventSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[ServerSentEvent]:
        for item in self._items():
            if type(item) is ServerSentEvent:
                yield item

    def iter_with_comments(self) -> Iterator[ServerSentEvent | Comment]:
        """Iterate events and comment lines (heartbeats), in stream order."""
        return self._items()

    def close(self) -> None:
        """Close the stream. Safe from any thread, any number of times; a reader blocked
        in another thread wakes up and its iteration ends."""
        self._user_closed = True
        self._closing.set()
        self._wakeup.set()
        with self._lock:
            self._machine.send(Close())
        response = self._response
        if response is not None:
            _shutdown(response)
        gen = self._gen
        if gen is not None and self._reader == threading.get_ident():
            # Only the reading thread closes the generator: from another thread, closing
            # it races the reader's next step into "generator already executing". That
            # thread stops by itself at its next step, having seen the flag, and the
            # shutdown above already woke it from a blocked read.
            with contextlib.suppress(ValueError):
                gen.close()
        if self._owns_session:
            self._session.close()

    def restart(self) -> None:
        """Drop the connection and reconnect now, resuming from ``last_event_id``.

        Also the way to resume after a retryable error such as StreamIdleTimeout: call
        it, then iterate again.
        """
        self._restarting.set()
        self._wakeup.set()
        response = self._response
        if response is not None:
            _shutdown(response)

    # -- the driver loop ------------------------------------------------------------

    def _items(self) -> Iterator[Item]:
        if self._gen is None:
            state = self._machine.state
            if self._restarting.is_set() and state is not StreamState.IDLE:
                self._restarting.clear()
                self._gen = self._run(Restart())
            elif state is StreamState.IDLE:
                self._restarting.clear()  # a restart before the start is just the start
                self._gen = self._run(Start())
            else:
                return _raising(self._machine.error if state is StreamState.FAILED else None)
        return self._gen

    def _run(self, first: Input) -> Generator[Item, None, None]:
        self._reader = threading.get_ident()
        try:
            commands = self._send(first)
            while commands is not None:
                step: Input | None = None
                for command in commands:
                    if type(command) is ServerSentEvent or type(command) is Comment:
                        yield command
                    elif isinstance(command, Connect):
                        self._drop()
                        self._announce_connect(command.request)
                        step = self._connect(command.request)
                    elif isinstance(command, Wait):
                        self._drop()
                        if (raised := self._announce_reconnect()) is not None:
                            self.close()  # a reconnect callback raised
                            raise raised
                        step = self._wait(command.seconds)
                    elif isinstance(command, Fetch):
                        step = self._fetch(command.request)
                    elif isinstance(command, Finish):
                        return
                    elif isinstance(command, Fail):
                        self._gen = None
                        raise self._announce_failure(command.error)
                commands = self._send(step if step is not None else self._read())
        finally:
            self._drop()

    def _send(self, step: Input | bytes) -> list[Command] | None:
        with self._lock:
            if self._closing.is_set():
                return None
            if isinstance(step, bytes):  # a body chunk: the machine's hot path
                return self._machine.receive(step)
            return self._machine.send(step)

    def _interrupted(self) -> Input | None:
        if self._restarting.is_set():
            self._restarting.clear()
            return Restart()
        return Close() if self._closing.is_set() else None

    def _read(self) -> Input | bytes:
        """The next body chunk, or the input that stands for what happened instead."""
        interrupted = self._interrupted()
        if interrupted is not None:
            return interrupted
        assert self._chunks is not None
        try:
            chunk = next(self._chunks, None)
        except Exception as exc:
            interrupted = self._interrupted()
            if interrupted is not None:
                return interrupted
            if isinstance(exc, (urllib3.exceptions.ReadTimeoutError, requests.Timeout)):
                return TimedOut()
            return Lost(_map_error(exc))
        return Ended() if chunk is None else chunk

    def _connect(self, request: Request) -> Input:
        """Open the connection in a helper thread, so that close() and restart() can
        abandon a server that accepted the connection but never answers; the helper
        then closes whatever it gets, when it gets it."""
        outcome: list[Any] = []
        lock = threading.Lock()

        def connect() -> None:
            try:
                result: Any = self._session.request(
                    request.method,
                    request.url,
                    headers=_wire_headers(request.headers),
                    data=request.body,
                    stream=True,
                    timeout=self._timeouts(),
                    allow_redirects=True,
                )
            except Exception as exc:
                result = exc
            with lock:
                outcome.append(result)
                abandoned = len(outcome) > 1
            if abandoned and isinstance(result, requests.Response):
                result.close()
            self._wakeup.set()

        self._wakeup.clear()
        threading.Thread(target=connect, name="agentstream-connect", daemon=True).start()
        while True:
            self._wakeup.wait()
            with lock:
                if outcome:
                    result = outcome[0]
                    break
                if self._closing.is_set() or self._restarting.is_set():
                    outcome.append(None)  # the helper sees it was abandoned
                    return self._interrupted() or Close()
            self._wakeup.clear()
        if isinstance(result, Exception):
            return self._interrupted() or Lost(_map_error(result))
        return self._opened(result)

    def _opened(self, response: requests.Response) -> Input:
        self._response = response
        headers = dict(response.headers)
        lowered = {name.lower(): value for name, value in headers.items()}
        if is_event_stream(lowered) and 200 <= response.status_code < 300:
            self._chunks = _body_chunks(response)
            return Opened(response.status_code, headers)
        try:
            body = response.raw.read(MAX_ERROR_BODY, decode_content=True) or b""
        except Exception:
            body = b""
        return Opened(response.status_code, headers, body)

    def _wait(self, seconds: float) -> Input:
        self._wakeup.clear()
        if self._closing.is_set() or self._restarting.is_set():
            return self._interrupted() or Waited()
        self._wakeup.wait(seconds)
        return self._interrupted() or Waited()

    def _fetch(self, request: Request) -> Input:
        try:
            response = self._session.request(
                request.method,
                request.url,
                headers=_wire_headers(request.headers),
                data=request.body,
                timeout=self._timeouts(),
            )
        except Exception as exc:
            return self._interrupted() or Lost(_map_error(exc))
        return Fetched(response.status_code, response.content)

    def _drop(self) -> None:
        response, self._response, self._chunks = self._response, None, None
        if response is not None:
            response.close()
