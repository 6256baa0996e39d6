"""The emulator base: a Starlette app served by uvicorn, in a thread or in the foreground.

Theory of operation. Each platform's emulator is a Starlette app whose lifespan opens
the SQLite store and starts the platform's run engine; everything that happens to a
run happens on the server's event loop. ``start()`` binds a socket on the calling
thread (so the port is known at once, even for port 0), runs uvicorn on that socket in
a daemon thread, and returns once uvicorn reports it is serving. ``stop()`` is bounded:
it tells the engine to cut every open stream (they drop, as they would when a real
server goes away), asks uvicorn to exit, gives it `shutdown_timeout` seconds, then
forces it; the thread is joined, so no thread outlives the emulator.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterable
from types import TracebackType
from typing import Any, ClassVar

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from typing_extensions import Self
from uvicorn.protocols.http.h11_impl import H11Protocol

from ._http import ApiError, new_request_id
from ._store import Store
from .faults import HEADER as FAULTS_HEADER
from .faults import FaultPlan, Faults
from .scenarios import Scenario, ScenarioBook, UnknownScenario

__all__ = ["Emulator"]

STARTUP_TIMEOUT = 10.0
#: The error code of an injected status, in the envelope.
_STATUS_CODES = {429: "rate_limited", 500: "internal_error", 502: "bad_gateway"}
_STATUS_CODES |= {503: "service_unavailable", 504: "gateway_timeout"}
_DROP_MESSAGE = "ASGI callable returned without completing response."


class _DroppedOnPurpose(logging.Filter):
    """A stream the emulator drops is a fault it injects, not an application error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != _DROP_MESSAGE


_server_log = logging.getLogger("agentstream.testing.server")
_server_log.addFilter(_DroppedOnPurpose())


class _Protocol(H11Protocol):
    """uvicorn's h11 protocol, logging to our own logger so that the filter above
    applies to the emulator's connections only, not to every uvicorn in the process."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.logger = _server_log


class Emulator:
    """A platform emulator on 127.0.0.1; a context manager, sync or async.

    Args:
        host: the interface to listen on; loopback by default.
        port: the port; 0 picks a free one (see ``.port`` once started).
        database: an SQLite file that keeps runs and their event logs across restarts;
            None keeps them in memory for as long as the server runs.
        api_key: the bearer token every request must carry.
        speed: seconds between streamed deltas; 0 runs as fast as possible.
        keepalive_interval: seconds of silence after which an open stream gets a
            keep-alive.
        scenarios: scenarios known to this emulator only (they win over registered ones).
        default_scenario: what runs when a message selects nothing.
        faults: faults applied to stream requests (see ``.faults``).
        shutdown_timeout: how long ``stop()`` waits before forcing the server down.
    """

    #: The platform name ``serve()`` knows this emulator by.
    platform: ClassVar[str] = ""
    #: The API's path prefix, part of ``base_url``.
    base_path: ClassVar[str] = ""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        database: str | os.PathLike[str] | None = None,
        api_key: str = "test-key",
        speed: float = 0.0,
        keepalive_interval: float = 15.0,
        scenarios: Iterable[Scenario] = (),
        default_scenario: str = "demo",
        faults: Faults | None = None,
        shutdown_timeout: float = 3.0,
    ) -> None:
        if speed < 0 or keepalive_interval <= 0:
            raise ValueError("speed must be >= 0 and keepalive_interval > 0")
        self.host = host
        self.database = database
        self.api_key = api_key
        self.speed = speed
        self.keepalive_interval = keepalive_interval
        self.scenarios = ScenarioBook(scenarios, default=default_scenario)
        self.shutdown_timeout = shutdown_timeout
        self._fault_plan = FaultPlan(faults)
        self._requested_port = port
        self._port: int | None = None
        self._store: Store | None = None
        self._closing: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._error: BaseException | None = None
        self.app = Starlette(
            routes=self._routes(),
            lifespan=self._lifespan,
            exception_handlers={HTTPException: self._http_error},
        )

    # What a platform provides ------------------------------------------------------

    def _routes(self) -> list[BaseRoute]:
        raise NotImplementedError

    async def _startup(self) -> None:
        """Called on the server loop once the store is open."""

    async def _shutdown(self) -> None:
        """Called on the server loop before the store closes."""

    def _abort_streams(self) -> None:
        """Called on the server loop when stopping: end every open stream now."""

    # State -------------------------------------------------------------------------

    @property
    def faults(self) -> Faults | None:
        """Faults for the stream requests that follow; setting it restarts its `times` count."""
        return self._fault_plan.faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        self._fault_plan.faults = faults

    @property
    def port(self) -> int:
        """The port the emulator listens on (known once started, even for port 0)."""
        if self._port is None:
            raise RuntimeError("the emulator is not started")
        return self._port

    @property
    def url(self) -> str:
        """The server's root URL, ``http://127.0.0.1:PORT``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API's base URL, what a client's ``base_url`` should be."""
        return self.url + self.base_path

    # What exists only while the server runs (its lifespan opens and closes them).

    @property
    def _db(self) -> Store:
        if self._store is None:
            raise RuntimeError("the emulator is not running")
        return self._store

    @property
    def _stopping(self) -> asyncio.Event:
        if self._closing is None:
            raise RuntimeError("the emulator is not running")
        return self._closing

    # Lifecycle ---------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self._loop = asyncio.get_running_loop()
        self._closing = asyncio.Event()
        self._store = Store(self.database)
        try:
            await self._startup()
            yield
        finally:
            self._closing.set()
            try:
                await self._shutdown()
            finally:
                self._store.close()
                self._store = None

    def _config(self, **options: Any) -> uvicorn.Config:
        settings: dict[str, Any] = {
            "lifespan": "on",
            "http": _Protocol,
            "ws": "none",
            "loop": "asyncio",
            "access_log": False,
            "log_config": None,
            "log_level": "warning",
            # Open streams are cut by stop() itself; this only bounds a stuck handler.
            "timeout_graceful_shutdown": 1,
        }
        return uvicorn.Config(self.app, **{**settings, **options})

    def start(self) -> Self:
        """Serve in a background thread; returns once connections are accepted.

        Raises:
            RuntimeError: already started, or the server did not come up.
            OSError: the port is taken.
        """
        if self._thread is not None:
            raise RuntimeError("the emulator is already started")
        self._socket = _bind(self.host, self._requested_port)
        self._port = self._socket.getsockname()[1]
        self._server = server = uvicorn.Server(self._config())
        self._error = None
        self._thread = threading.Thread(
            target=self._serve_in_thread,
            args=(server, self._socket),
            name=f"agentstream-{self.platform}-emulator-{self._port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                error = self._error
                self.stop()
                raise RuntimeError(f"the {self.platform} emulator did not start: {error!r}")
            time.sleep(0.002)
        return self

    def _serve_in_thread(self, server: uvicorn.Server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # uvicorn exits with SystemExit on startup failure
            self._error = exc

    def stop(self) -> None:
        """Stop serving: open streams drop, run tasks end, the thread is joined.

        Takes at most about twice `shutdown_timeout`, streams or not. Idempotent.
        """
        thread, server, loop = self._thread, self._server, self._loop
        if thread is None or server is None:
            return
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop is already closed
                loop.call_soon_threadsafe(self._begin_close)
        server.should_exit = True
        thread.join(self.shutdown_timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(self.shutdown_timeout)
        if self._socket is not None:
            self._socket.close()
        self._thread = self._server = self._loop = self._socket = None

    def _begin_close(self) -> None:
        if self._closing is not None:
            self._closing.set()
        self._abort_streams()

    def serve_forever(self, *, log_level: str = "info", env: tuple[str, str] | None = None) -> None:
        """Serve in the calling thread until interrupted (Ctrl+C). With `env` (the
        platform's base-URL and API-key variables), print the key and the ``export``
        line that points a client at this emulator."""
        sock = _bind(self.host, self._requested_port)
        self._port = sock.getsockname()[1]
        print(f"{self.platform} emulator on {self.base_url} (Ctrl+C to stop)", file=sys.stderr)
        if env is not None:
            print(f"API key: {self.api_key}", file=sys.stderr)
            print(f"export {env[0]}={self.base_url} {env[1]}={self.api_key}", file=sys.stderr)
            sys.stderr.flush()
        # uvicorn re-raises the Ctrl+C it handled once it has shut down cleanly.
        try:
            with contextlib.suppress(KeyboardInterrupt):
                uvicorn.Server(self._config(log_level=log_level)).run(sockets=[sock])
        finally:
            sock.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # Starting and stopping block the loop briefly (startup is milliseconds, shutdown
    # is bounded); a worker thread would outlive the test in some runners' pools.
    async def __aenter__(self) -> Self:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # Shared HTTP behaviour -----------------------------------------------------------

    def _select(self, text: str) -> Scenario:
        """The scenario a message selects (a 422 in the envelope for none)."""
        if not text.strip():
            raise ApiError(422, "validation_error", "the message must contain some text")
        try:
            return self.scenarios.select(text)
        except UnknownScenario as exc:
            raise ApiError(422, "unknown_scenario", str(exc)) from None

    def _take_faults(self, request: Request) -> Faults | None:
        """This stream request's faults; an injected error status is raised here, with
        Retry-After when the faults say so."""
        try:
            faults = self._fault_plan.take(request.headers.get(FAULTS_HEADER))
        except ValueError as exc:
            raise ApiError(400, "invalid_faults", str(exc)) from None
        if faults is not None and faults.status is not None:
            headers = {} if faults.retry_after is None else {"Retry-After": str(faults.retry_after)}
            code = _STATUS_CODES.get(faults.status, "server_error")
            message = "Too many requests; retry later." if faults.status == 429 else "Try again."
            raise ApiError(faults.status, code, message, headers=headers)
        return faults

    def _authenticate(self, request: Request) -> None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or token.strip() != self.api_key:
            raise ApiError(
                401,
                "invalid_api_key",
                "Invalid or missing API key; send 'Authorization: Bearer <key>'.",
                headers={"WWW-Authenticate": "Bearer"},
            )

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        """Unknown paths and methods get the platform's error envelope too."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, "error")
        message = {404: "No such endpoint.", 405: "Method not allowed."}.get(status, str(exc))
        return ApiError(status, code, message).response(new_request_id())


def _bind(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP explicitly: asyncio disables Nagle only on sockets that say they are
    # TCP, and with Nagle on, every response on a kept-alive connection waits 40 ms
    # for the client's delayed ACK.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock
