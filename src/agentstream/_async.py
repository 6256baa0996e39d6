"""AsyncEventSource: the httpx driver of the stream machine, the twin of ``_sync.py``.

Same shape, method for method, as EventSource; only the IO differs. It runs on asyncio
or trio (through anyio, as httpx does). Errors of httpx are translated here, at the edge.

Tasks: iteration happens in one task; ``aclose()`` and ``restart()`` may be awaited from
another. They set a flag, wake a pending wait, and close the response, which ends a read
in progress with an error; the reading task then sees the flag and stops (or reconnects).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, AsyncIterator

import anyio
import httpx
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
from ._httpx_io import aclose_shielded, body_chunks, is_timeout, map_error, open_response
from ._machine import StreamState
from ._policy import Request
from ._redirects import Redirects
from ._sse import Comment, ServerSentEvent

__all__ = ["AsyncEventSource"]

Item = ServerSentEvent | Comment


class AsyncEventSource(BaseEventSource):
    """A Server-Sent Events stream over httpx that reconnects and resumes by itself.

    Iterate it with ``async for`` for ``ServerSentEvent`` items; ``aiter_with_comments()``
    also yields comment lines. Use it as an async context manager, or await ``aclose()``.

    Args:
        url: the stream's URL.
        client: an httpx.AsyncClient to use (the caller keeps ownership); by default the
            source makes its own and closes it.
        **options: see ``BaseEventSource`` (method, headers, body, json, last_event_id,
            retry, timeouts, limits, policy).
    """

    def __init__(
        self,
        url: str,
        *,
        client: httpx.AsyncClient | None = None,
        **options: Unpack[EventSourceOptions],
    ) -> None:
        super().__init__(url, **options)
        self._client = client if client is not None else httpx.AsyncClient()
        self._owns_client = client is None
        self._response: httpx.Response | None = None
        self._chunks: AsyncIterator[bytes] | None = None
        self._closing = False
        self._restarting = False
        self._wakeup = anyio.Event()
        self._gen: AsyncGenerator[Item, None] | None = None
        self._reader: int | None = None  # the task that runs the generator
        self._connecting: anyio.CancelScope | None = None

    async def __aenter__(self) -> AsyncEventSource:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def __aiter__(self) -> AsyncIterator[ServerSentEvent]:
        async for item in self._items():
            if type(item) is ServerSentEvent:
                yield item

    def aiter_with_comments(self) -> AsyncIterator[ServerSentEvent | Comment]:
        """Iterate events and comment lines (heartbeats), in stream order."""
        return self._items()

    async def aclose(self) -> None:
        """Close the stream. Safe from any task, any number of times, and shielded from
        cancellation so the connection is always released; a reader waiting in another
        task wakes up and its iteration ends."""
        self._user_closed = True
        self._closing = True
        self._wakeup.set()
        self._machine.send(Close())
        if self._connecting is not None:
            self._connecting.cancel()
        with anyio.CancelScope(shield=True):
            await self._close_response()
            gen = self._gen
            if gen is not None and self._reader == anyio.get_current_task().id:
                # Only the reading task closes the generator: from another task, closing
                # it (its cleanup awaits) races the reader's next step into "already
                # running". That task stops by itself at its next step, having seen
                # the flag.
                with contextlib.suppress(RuntimeError):
                    await gen.aclose()
            if self._owns_client:
                await self._client.aclose()

    async def restart(self) -> None:
        """Drop the connection and reconnect now, resuming from ``last_event_id``.

        Also the way to resume after a retryable error such as StreamIdleTimeout: await
        it, then iterate again.
        """
        self._restarting = True
        self._wakeup.set()
        if self._connecting is not None:
            self._connecting.cancel()
        await self._close_response()

    # -- the driver loop ------------------------------------------------------------

    def _items(self) -> AsyncIterator[Item]:
        if self._gen is None:
            state = self._machine.state
            if self._restarting and state is not StreamState.IDLE:
                self._restarting = False
                self._gen = self._run(Restart())
            elif state is StreamState.IDLE:
                self._restarting = False  # a restart before the start is just the start
                self._gen = self._run(Start())
            else:
                return _raising(self._machine.error if state is StreamState.FAILED else None)
        return self._gen

    async def _run(self, first: Input) -> AsyncGenerator[Item, None]:
        self._reader = anyio.get_current_task().id
        try:
            commands = self._send(first)
            while commands is not None:
                step: Input | None = None
                for command in commands:
                    if type(command) is ServerSentEvent or type(command) is Comment:
                        yield command
                    elif isinstance(command, Connect):
                        await self._drop()
                        self._announce_connect(command.request)
                        step = await self._connect(command.request)
                    elif isinstance(command, Wait):
                        await self._drop()
                        if (raised := self._announce_reconnect()) is not None:
                            await self.aclose()  # a reconnect callback raised
                            raise raised
                        step = await self._wait(command.seconds)
                    elif isinstance(command, Fetch):
                        step = await self._fetch(command.request)
                    elif isinstance(command, Finish):
                        return
                    elif isinstance(command, Fail):
                        self._gen = None
                        raise self._announce_failure(command.error)
                commands = self._send(step if step is not None else await self._read())
        finally:
            with anyio.CancelScope(shield=True):
                await self._drop()

    def _send(self, step: Input | bytes) -> list[Command] | None:
        if self._closing:
            return None
        if isinstance(step, bytes):  # a body chunk: the machine's hot path
            return self._machine.receive(step)
        return self._machine.send(step)

    def _interrupted(self) -> Input | None:
        if self._restarting:
            self._restarting = False
            return Restart()
        return Close() if self._closing else None

    async def _read(self) -> Input | bytes:
        """The next body chunk, or the input that stands for what happened instead."""
        interrupted = self._interrupted()
        if interrupted is not None:
            return interrupted
        assert self._chunks is not None
        try:
            chunk = await self._chunks.__anext__()
        except StopAsyncIteration:
            return Ended()
        except Exception as exc:
            interrupted = self._interrupted()
            if interrupted is not None:
                return interrupted
            if is_timeout(exc):
                return TimedOut()
            return Lost(map_error(exc))
        return chunk

    async def _connect(self, request: Request) -> Input:
        connect, read = self._timeouts()
        redirects = Redirects(request, self.secret_headers, self.max_redirects)
        result = None
        # aclose()/restart() from another task cancel this scope, so a server that
        # accepted the connection but never answers does not hold the reader; the
        # inner scope is headers_timeout, however slowly the headers trickle in.
        try:
            with anyio.CancelScope() as self._connecting:
                with anyio.move_on_after(self.headers_timeout) as deadline:
                    result = await self._open(redirects, httpx.Timeout(connect, read=read))
        except Exception as exc:
            error = exc if isinstance(exc, RemoteProtocolError) else map_error(exc)
            return self._interrupted() or Lost(error)
        finally:
            self._connecting = None
        if result is None:
            if deadline.cancelled_caught:
                return self._interrupted() or Lost(
                    self._expired("no response headers from", request)
                )
            return self._interrupted() or Close()
        self._response, body = result
        if body is None:
            self._chunks = body_chunks(self._response, self._timeouts()[1])
            return Opened(self._response.status_code, dict(self._response.headers))
        return Opened(self._response.status_code, dict(self._response.headers), body)

    async def _open(
        self, redirects: Redirects, timeout: httpx.Timeout
    ) -> tuple[httpx.Response, bytes | None]:
        """The final response, and the start of its body unless it is the event stream."""
        response = await open_response(self._client, redirects, timeout=timeout)
        lowered = {name.lower(): value for name, value in response.headers.items()}
        if is_event_stream(lowered) and 200 <= response.status_code < 300:
            return response, None
        body = b""
        try:
            with contextlib.suppress(Exception):
                async for part in response.aiter_bytes():
                    body += part
                    if len(body) >= MAX_ERROR_BODY:
                        break
        except BaseException:  # cancelled: by the deadline or aclose()
            await aclose_shielded(response)
            raise
        return response, body

    async def _wait(self, seconds: float) -> Input:
        self._wakeup = anyio.Event()
        if self._closing or self._restarting:
            return self._interrupted() or Waited()
        with anyio.move_on_after(seconds):
            await self._wakeup.wait()
        return self._interrupted() or Waited()

    async def _fetch(self, request: Request) -> Input:
        """A backfill request, bounded as a whole by ``headers_timeout``."""
        connect, read = self._timeouts()
        redirects = Redirects(request, self.secret_headers, self.max_redirects)
        with anyio.move_on_after(self.headers_timeout):
            try:
                response = await open_response(
                    self._client, redirects, timeout=httpx.Timeout(connect, read=read)
                )
                try:
                    return Fetched(response.status_code, await response.aread())
                finally:
                    await aclose_shielded(response)
            except Exception as exc:
                error = exc if isinstance(exc, RemoteProtocolError) else map_error(exc)
                return self._interrupted() or Lost(error)
        return self._interrupted() or Lost(self._expired("no complete answer from", request))

    async def _drop(self) -> None:
        self._chunks = None
        await self._close_response()

    async def _close_response(self) -> None:
        response, self._response = self._response, None
        if response is not None:
            with contextlib.suppress(Exception):
                await response.aclose()


async def _raising(error: BaseException | None) -> AsyncGenerator[Item, None]:
    """An iterator that raises `error` (or ends at once), for a finished source."""
    if error is not None:
        raise error
    return
    yield  # pragma: no cover - makes this an async generator
