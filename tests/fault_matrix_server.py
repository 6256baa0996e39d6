"""A loopback HTTP/1.1 server for the fault matrix whose answers are computed per
request: a handler gets the request (and the server it reached) and yields the raw
response, step by step, so a test controls every byte and every pause::

    def handler(request):
        yield stream_head()
        yield chunk(b"data: a\\n\\n")
        yield Pause(0.2)
        yield CUT  # no terminating chunk: the body is visibly incomplete

    with LoopServer(handler) as server:
        ...  # server.url("/s"); server.requests

Steps are bytes (written at once), ``Pause(seconds)`` (cut short when the server
stops) and ``CUT`` (end the connection now, with a FIN). When the handler is done the
connection is closed gracefully. Every connection has its own daemon thread; leaving
the ``with`` block shuts every connection down and joins every thread. An optional
``ssl.SSLContext`` makes it an https server.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "CUT",
    "LoopServer",
    "Pause",
    "Recorded",
    "chunk",
    "head",
    "json_reply",
    "stream_head",
]

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Pause:
    """Send nothing for `seconds` (ended early when the server stops)."""

    seconds: float


class _Cut:
    def __repr__(self) -> str:
        return "CUT"


#: End the connection abruptly: no more bytes, no terminating chunk.
CUT = _Cut()

Step = bytes | Pause | _Cut


@dataclass(frozen=True)
class Recorded:
    """A request as it arrived, at the server named `server`."""

    server: str
    method: str
    target: str
    headers: dict[str, str]  # names in lowercase
    body: bytes
    query: dict[str, list[str]] = field(default_factory=dict)
    #: It came over TLS.
    tls: bool = False

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def wire(self) -> str:
        """Everything the client sent, as text (to look for a secret anywhere in it)."""
        lines = [f"{self.method} {self.target}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return "\n".join(lines) + "\n" + self.body.decode("utf-8", "replace")


Handler = Callable[[Recorded], Iterable[Step]]


def head(status: int, headers: Mapping[str, str] | Sequence[tuple[str, str]] = ()) -> bytes:
    """A response head; ``Connection: close`` is always added."""
    pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Unknown"
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in pairs]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def stream_head(headers: Mapping[str, str] | None = None) -> bytes:
    """The head of a chunked ``text/event-stream`` 200."""
    pairs = {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache",
        "Transfer-Encoding": "chunked",
        **(headers or {}),
    }
    return head(200, pairs)


def chunk(data: bytes) -> bytes:
    """`data` as one chunk of a chunked body (``b""`` is the terminating chunk)."""
    return b"%x\r\n%b\r\n" % (len(data), data)


def json_reply(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    """A whole response with a Content-Length body."""
    return head(status, {"Content-Type": content_type, "Content-Length": str(len(body))}) + body


class _BadRequest(Exception):
    pass


def _read_request(conn: socket.socket, server: str, tls: bool) -> Recorded:
    data = b""
    while b"\r\n\r\n" not in data:
        more = conn.recv(65536)
        if not more or len(data) > 65536:
            raise _BadRequest
        data += more
    raw_head, _, rest = data.partition(b"\r\n\r\n")
    request_line, *lines = raw_head.decode("latin-1").split("\r\n")
    method, target, _ = request_line.split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        raise _BadRequest  # the clients send a Content-Length with every body
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        more = conn.recv(65536)
        if not more:
            raise _BadRequest
        rest += more
    query = parse_qs(urlsplit(target).query, keep_blank_values=True)
    return Recorded(server, method, target, headers, rest[:length], query, tls)


class LoopServer:
    """A threaded server on an ephemeral 127.0.0.1 port; see the module docstring.

    Args:
        handler: request -> response steps.
        name: recorded on each request (to tell two servers' requests apart).
        tls: serve https with this server-side context.
        plain_too: with `tls`, also serve plain http on the same port (a connection
            whose first byte does not start a TLS handshake), so that https://h:p and
            http://h:p differ by their scheme alone.
    """

    def __init__(
        self,
        handler: Handler,
        *,
        name: str = "a",
        tls: ssl.SSLContext | None = None,
        plain_too: bool = False,
    ):
        self.handler = handler
        self.name = name
        self.tls = tls
        self.plain_too = plain_too
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener = socket.create_server((HOST, 0))
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://{HOST}:{self.port}"

    @property
    def plain_origin(self) -> str:
        """The same host and port over plain http (served with ``plain_too``)."""
        return f"http://{HOST}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def __enter__(self) -> LoopServer:
        thread = threading.Thread(target=self._accept, name=f"loop-{self.port}", daemon=True)
        self._threads.append(thread)
        thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        with self._lock:
            conns, threads = list(self._conns), list(self._threads)
        for conn in conns:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(2.0)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.settimeout(5.0)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                if self._stop.is_set():
                    conn.close()
                    return
                self._conns.append(conn)
                self._threads.append(thread)
            thread.start()

    def _serve(self, raw: socket.socket) -> None:
        conn = raw
        graceful = True
        try:
            secure = self.tls is not None
            if self.tls is not None and self.plain_too:
                secure = raw.recv(1, socket.MSG_PEEK) == b"\x16"  # a TLS handshake record
            if self.tls is not None and secure:
                conn = self.tls.wrap_socket(raw, server_side=True)
                with self._lock:
                    self._conns.append(conn)
            request = _read_request(conn, self.name, secure)
            with self._lock:
                self.requests.append(request)
            for step in self.handler(request):
                if self._stop.is_set():
                    graceful = False
                    break
                if isinstance(step, Pause):
                    if self._stop.wait(step.seconds):
                        graceful = False
                        break
                elif isinstance(step, _Cut):
                    graceful = False
                    break
                elif step:
                    conn.sendall(step)
        except (OSError, _BadRequest, ValueError, ssl.SSLError):
            graceful = False
        finally:
            with suppress(OSError):
                if graceful:
                    conn.shutdown(socket.SHUT_WR)
                    conn.settimeout(0.5)
                    while conn.recv(65536):  # let the client read all before the close
                        pass
            with suppress(OSError):
                conn.close()

    def requests_to(self, predicate: Callable[[Recorded], bool]) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if predicate(r)]
