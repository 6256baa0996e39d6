"""A loopback server that answers every connection slowly: ``first`` at once, then the
bytes of ``drip`` one at a time, ``interval`` seconds apart, for as long as it likes
(until the client goes away or the server stops). It notes when each client went away,
so a test can tell whether a timed-out client also let go of the connection.

    with Trickler(b"HTTP/1.1 200 OK\\r\\n", b"X-Slow: " + b"a" * 1000) as srv:
        ...  # srv.url("/path?token=t")
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import suppress

__all__ = ["Trickler", "json_head", "sse_head"]

#: The status line alone: the headers then come a byte at a time, never ending.
STATUS_LINE = b"HTTP/1.1 200 OK\r\n"
#: Header bytes that never end the head.
SLOW_HEADER = b"X-Slow: " + b"a" * 4000


def sse_head() -> bytes:
    """A complete SSE response head, close-delimited: the body follows."""
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"


def json_head(length: int) -> bytes:
    """A complete JSON response head announcing `length` body bytes."""
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % length
    )


class Trickler:
    def __init__(self, first: bytes, drip: bytes, interval: float = 0.1) -> None:
        self.first = first
        self.drip = drip
        self.interval = interval
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        #: Monotonic times at which a connection was accepted and at which its client
        #: went away (None while it is still there).
        self.accepted: list[float] = []
        self.gone: list[float | None] = []

    def __enter__(self) -> Trickler:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._listener.close()
        for conn in self._conns:
            with suppress(OSError):
                conn.close()
        for thread in self._threads:
            thread.join(2)

    def url(self, path: str = "/") -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}{path}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._conns.append(conn)
            index = len(self.accepted)
            self.accepted.append(time.monotonic())
            self.gone.append(None)
            thread = threading.Thread(target=self._serve, args=(conn, index), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket, index: int) -> None:
        conn.settimeout(0.05)
        head = b""
        with suppress(OSError):
            while b"\r\n\r\n" not in head and not self._stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    break
                head += data
        try:
            conn.sendall(self.first)
            for i in range(len(self.drip)):
                if self._stop.wait(self.interval):
                    return
                conn.sendall(self.drip[i : i + 1])
                if _closed_by_peer(conn):
                    break
        except OSError:
            pass
        self.gone[index] = time.monotonic()

    def lingered(self, index: int = 0, wait: float = 0.5) -> float | None:
        """Seconds the client kept connection `index` open (None: it still does, after
        waiting up to `wait` seconds for it to go)."""
        deadline = time.monotonic() + wait
        while self.gone[index] is None and time.monotonic() < deadline:
            time.sleep(0.01)
        gone = self.gone[index]
        return None if gone is None else gone - self.accepted[index]


def _closed_by_peer(conn: socket.socket) -> bool:
    """True once the client closed or shut down its end (a read sees EOF or a reset)."""
    try:
        conn.setblocking(False)
        try:
            return conn.recv(1, socket.MSG_PEEK) == b""
        finally:
            conn.settimeout(0.05)
    except BlockingIOError:
        return False
    except OSError:
        return True
