"""The HTTP server that hosts shipit's own AgentServer handler, with a bounded stop.

``AgentServer.start()`` binds a stdlib ``ThreadingHTTPServer`` and serves from a daemon
thread; each request gets another daemon thread, and ``stop()`` neither waits for them
nor cuts a stream in progress. A test cannot live with that: a thread still writing a
transcript after the test ended is a thread that outlives the server. So the server
here hosts the very same handler class (``AgentServer._make_handler()``: the routes,
the auth, the framing are shipit's) in a ``ThreadingHTTPServer`` that remembers its
connections and their threads. Stopping shuts the listener, cuts every open connection
(the handler's next write fails, which shipit treats as the client hanging up), and
joins every thread against one deadline.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["TrackedHTTPServer"]

log = logging.getLogger("agentstream.testing.shipit")

#: How often the listener looks for a shutdown request; bounds how long stop() waits.
POLL_INTERVAL = 0.05


class TrackedHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer whose request threads and sockets can be cut and joined."""

    daemon_threads = True
    block_on_close = False  # close() joins with a deadline instead (see stop)

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._lock = threading.Lock()
        self._open: dict[threading.Thread, socket.socket] = {}
        self._serving: threading.Thread | None = None
        self._name = "shipit-server"
        super().__init__(address, handler)

    def start(self, name: str) -> None:
        """Accept connections on a background thread (the socket is already bound)."""
        self._name = name
        self._serving = threading.Thread(
            target=self.serve_forever, args=(POLL_INTERVAL,), name=name, daemon=True
        )
        self._serving.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        # The handler writes a frame at a time; with Nagle on, each small write after
        # the first would wait for the client's delayed ACK.
        with contextlib.suppress(OSError):
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        thread = threading.Thread(
            target=self._handle,
            args=(request, client_address),
            name=f"{self._name}-request",
            daemon=True,
        )
        with self._lock:
            self._open[thread] = request
        thread.start()

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._open.pop(threading.current_thread(), None)

    def stop(self, timeout: float) -> list[threading.Thread]:
        """Stop accepting, cut every open connection, join every thread.

        Returns the threads still alive after `timeout` seconds (none, normally).
        """
        deadline = time.monotonic() + timeout
        if self._serving is not None:
            self.shutdown()
            self._serving.join(max(0.0, deadline - time.monotonic()))
        self.cut_connections()
        with self._lock:
            threads = list(self._open)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self.server_close()
        alive = [t for t in [self._serving, *threads] if t is not None and t.is_alive()]
        if alive:
            log.warning("shipit server threads still running after %.1fs: %s", timeout, alive)
        return alive

    def cut_connections(self) -> None:
        """End every open connection now; a handler writing to one gets BrokenPipeError."""
        with self._lock:
            sockets = list(self._open.values())
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-response is normal in tests; keep stderr quiet.
        log.debug("request from %s failed", client_address, exc_info=True)
