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
from collections.abc import Generator, Iterator

import requests
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
from ._eventsource import BaseEventSource, EventSourceOptions
from ._exceptions import RemoteProtocolError
from ._machine import StreamState
from ._policy import Request
from ._redirects import Redirects
from ._requests_io import Worker, body_chunks, is_timeout, map_error, open_response, shutdown
from ._sse import Comment, ServerSentEvent

__all__ = ["EventSource"]

Item = ServerSentEvent | Comment


def _raising(error: BaseException | None) -> Iterator[Item]:
    """An iterator that raises `error` (or ends at once), for a finished source."""
    if error is not None:
        raise error
    yield from ()


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
            shutdown(response)
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
            shutdown(response)

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
            if is_timeout(exc):
                return TimedOut()
            return Lost(map_error(exc))
        return Ended() if chunk is None else chunk

    def _stopping(self) -> bool:
        return self._closing.is_set() or self._restarting.is_set()

    def _connect(self, request: Request) -> Input:
        """Open the connection, through its redirects, in a worker thread waited for up
        to ``headers_timeout``; close() and restart() abandon it too, so a server that
        accepted the connection but never answers (or answers a byte at a time) does not
        hold the reader. The worker closes whatever it gets after that."""
        redirects = Redirects(request, self.secret_headers, self.max_redirects)
        try:
            result = Worker(lambda w: self._open(redirects, w), self._wakeup).wait(
                self.headers_timeout, self._stopping
            )
        except Exception as exc:
            error = exc if isinstance(exc, RemoteProtocolError) else map_error(exc)
            return self._interrupted() or Lost(error)
        if result is Worker.INTERRUPTED:
            return self._interrupted() or Close()
        if result is Worker.EXPIRED:
            return self._interrupted() or Lost(self._expired("no response headers from", request))
        response, body = result
        self._response = response
        if body is None:
            self._chunks = body_chunks(response)
            return Opened(response.status_code, dict(response.headers))
        return Opened(response.status_code, dict(response.headers), body)

    def _open(
        self, redirects: Redirects, worker: Worker[tuple[requests.Response, bytes | None]]
    ) -> tuple[requests.Response, bytes | None]:
        """In the worker: the final response, and the start of its body unless it is
        the event stream."""
        response = open_response(
            self._session, redirects, timeout=self._timeouts(), hold=worker.hold
        )
        lowered = {name.lower(): value for name, value in response.headers.items()}
        if is_event_stream(lowered) and 200 <= response.status_code < 300:
            return response, None
        try:
            body = response.raw.read(MAX_ERROR_BODY, decode_content=True) or b""
        except Exception:
            body = b""
        return response, body

    def _wait(self, seconds: float) -> Input:
        self._wakeup.clear()
        if self._closing.is_set() or self._restarting.is_set():
            return self._interrupted() or Waited()
        self._wakeup.wait(seconds)
        return self._interrupted() or Waited()

    def _fetch(self, request: Request) -> Input:
        """A backfill request, bounded as a whole by ``headers_timeout``."""
        redirects = Redirects(request, self.secret_headers, self.max_redirects)

        def fetch(worker: Worker[tuple[int, bytes]]) -> tuple[int, bytes]:
            response = open_response(
                self._session, redirects, timeout=self._timeouts(), hold=worker.hold
            )
            with response:
                return response.status_code, response.content

        try:
            result = Worker(fetch, self._wakeup).wait(self.headers_timeout, self._stopping)
        except Exception as exc:
            error = exc if isinstance(exc, RemoteProtocolError) else map_error(exc)
            return self._interrupted() or Lost(error)
        if result is Worker.INTERRUPTED:
            return self._interrupted() or Close()
        if result is Worker.EXPIRED:
            return self._interrupted() or Lost(self._expired("no complete answer from", request))
        return Fetched(*result)

    def _drop(self) -> None:
        response, self._response, self._chunks = self._response, None, None
        if response is not None:
            response.close()
