"""Shared fixtures for the EventSource / AsyncEventSource integration tests.

One test body runs against both twins: parametrize on the ``mode`` fixture and call
``collect(mode, url, ...)``, which drives EventSource in the calling thread ("sync") or
AsyncEventSource in one task under ``asyncio.run`` ("async") against a real loopback
server, and returns what it saw. Errors are captured in the Outcome, never raised.

Hooks let a test act on the source the same way in both modes; each hook gets the
source and may return an awaitable (for the async twin), which is awaited:

- ``on_item(source, item)``: called after each delivered item;
- ``background=(delay, fn)``: ``fn(source)`` runs after ``delay`` seconds in another
  thread (sync) or another task (async), while the reader is iterating
  (``Outcome.acted_at`` and ``Outcome.ended_at`` time it against the reader);
- ``restarts``: after an error, call ``restart()`` and iterate again, up to this many times.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests

from agentstream import AsyncEventSource, Comment, EventSource, ServerSentEvent
from tests.sse_server import SSEServer

MODES = ("sync", "async")

Source = EventSource | AsyncEventSource
Item = ServerSentEvent | Comment


@pytest.fixture(scope="module")
def server() -> Iterator[SSEServer]:
    with SSEServer(join_timeout=2.0) as srv:
        yield srv


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def path(request: pytest.FixtureRequest) -> str:
    """A path unique to this test (and mode), so tests sharing a server never collide."""
    return "/" + "".join(c if c.isalnum() else "-" for c in request.node.name)


@dataclass
class Outcome:
    events: list[ServerSentEvent] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    #: Events and comments, in the order they were delivered.
    items: list[Item] = field(default_factory=list)
    #: The error that ended the last iteration, if any.
    error: BaseException | None = None
    #: Every error seen, including those followed by a restart.
    errors: list[BaseException] = field(default_factory=list)
    source: Any = None
    elapsed: float = 0.0
    #: Monotonic times: when the background hook ran, and when iteration ended.
    acted_at: float | None = None
    ended_at: float | None = None
    #: With caller_http: whether the caller's session/client was closed by the source.
    http_closed: bool | None = None

    @property
    def data(self) -> list[str]:
        return [ev.data for ev in self.events]

    @property
    def reaction(self) -> float:
        """Seconds from the background hook to the end of the iteration."""
        assert self.acted_at is not None and self.ended_at is not None, "hook never ran"
        return self.ended_at - self.acted_at


class CallerSession(requests.Session):
    """A caller's requests session that notes whether anyone closed it."""

    closed = False

    def close(self) -> None:
        self.closed = True
        super().close()


def collect(
    mode: str,
    url: str,
    *,
    limit: int | None = None,
    stop_when: Callable[[Item], bool] | None = None,
    comments: bool = False,
    on_item: Callable[[Any, Item], Any] | None = None,
    background: tuple[float, Callable[[Any], Any]] | None = None,
    restarts: int = 0,
    caller_http: dict[str, str] | None = None,
    **options: Any,
) -> Outcome:
    """Iterate a fresh source for `url` until the stream ends, `limit` events arrived,
    `stop_when(item)` is true (the loop is left with ``break`` inside the context
    manager), or an error is raised. See the module docstring for the hooks.

    `caller_http`: pass a caller-owned CallerSession / httpx.AsyncClient with these
    default headers (as ``session=`` / ``client=``); ``Outcome.http_closed`` tells
    whether it was closed when the source was; collect closes it afterwards."""
    run = _Run(Outcome(), limit, stop_when, comments, on_item, background, restarts)
    start = time.monotonic()
    if mode == "sync":
        session = None
        if caller_http is not None:
            session = CallerSession()
            session.headers.update(caller_http)
        try:
            run.sync(EventSource(url, session=session, **options))
        finally:
            if session is not None:
                run.out.http_closed = session.closed
                session.close()
    elif mode == "async":

        async def main() -> None:
            if caller_http is None:
                return await run.async_(AsyncEventSource(url, **options))
            async with httpx.AsyncClient(headers=caller_http) as client:
                try:
                    await run.async_(AsyncEventSource(url, client=client, **options))
                finally:
                    run.out.http_closed = client.is_closed

        asyncio.run(main())
    else:
        raise ValueError(mode)
    run.out.elapsed = time.monotonic() - start
    return run.out


@dataclass
class _Run:
    out: Outcome
    limit: int | None
    stop_when: Callable[[Item], bool] | None
    comments: bool
    on_item: Callable[[Any, Item], Any] | None
    background: tuple[float, Callable[[Any], Any]] | None
    restarts: int

    def keep(self, item: Item) -> bool:
        """Record `item`; False when the loop should stop."""
        self.out.items.append(item)
        if type(item) is Comment:
            self.out.comments.append(item)
        else:
            self.out.events.append(item)  # type: ignore[arg-type]
        if self.stop_when is not None and self.stop_when(item):
            return False
        return self.limit is None or len(self.out.events) < self.limit

    def failed(self, exc: BaseException) -> None:
        self.out.error = exc
        self.out.errors.append(exc)

    def sync(self, source: EventSource) -> None:
        self.out.source = source
        worker = None
        if self.background is not None:
            delay, fn = self.background

            def later() -> None:
                time.sleep(delay)
                self.out.acted_at = time.monotonic()
                fn(source)

            worker = threading.Thread(target=later, daemon=True)
            worker.start()
        try:
            with source as es:
                self._rounds_sync(es)
                self.out.ended_at = time.monotonic()
        finally:
            if worker is not None:
                worker.join(5)

    def _rounds_sync(self, es: EventSource) -> None:
        for round_ in range(self.restarts + 1):
            if round_:
                es.restart()
            self.out.error = None
            try:
                for item in es.iter_with_comments() if self.comments else es:
                    if self.on_item is not None:
                        self.on_item(es, item)
                    if not self.keep(item):
                        return
                return
            except Exception as exc:
                self.failed(exc)

    async def async_(self, source: AsyncEventSource) -> None:
        self.out.source = source
        task = None
        if self.background is not None:
            delay, fn = self.background

            async def later() -> None:
                await asyncio.sleep(delay)
                self.out.acted_at = time.monotonic()
                await _maybe_await(fn(source))

            task = asyncio.create_task(later())
        try:
            async with source as es:
                await self._rounds_async(es)
                self.out.ended_at = time.monotonic()
        finally:
            if task is not None:
                await asyncio.wait_for(task, 5)

    async def _rounds_async(self, es: AsyncEventSource) -> None:
        for round_ in range(self.restarts + 1):
            if round_:
                await es.restart()
            self.out.error = None
            try:
                async for item in es.aiter_with_comments() if self.comments else es:
                    if self.on_item is not None:
                        await _maybe_await(self.on_item(es, item))
                    if not self.keep(item):
                        return
                return
            except Exception as exc:
                self.failed(exc)


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


def close_source(source: Source) -> Any:
    """``close()`` or ``aclose()``: for hooks, which may return an awaitable."""
    return source.aclose() if isinstance(source, AsyncEventSource) else source.close()


def server_conn_threads(server: SSEServer) -> list[threading.Thread]:
    """The server's connection-serving threads still alive."""
    name = f"sse-server-{server.port}-conn"
    return [t for t in threading.enumerate() if t.name == name]


class Arrivals:
    """Watches `path` and notes the monotonic time at which each of the next `n` requests
    arrived (the server records requests, not their times)."""

    def __init__(self, server: SSEServer, path: str, n: int, timeout: float = 5.0) -> None:
        self.times: list[float] = []
        first = len(server.requests(path)) + 1

        def watch() -> None:
            for k in range(first, first + n):
                try:
                    server.wait_for_requests(path, k, timeout)
                except TimeoutError:
                    return
                self.times.append(time.monotonic())

        self._thread = threading.Thread(target=watch, daemon=True)
        self._thread.start()

    def join(self, timeout: float = 5.0) -> list[float]:
        self._thread.join(timeout)
        return self.times
