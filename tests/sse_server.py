"""A small, scriptable HTTP/1.1 server for SSE client integration tests.

The server speaks just enough HTTP/1.1 over raw sockets on 127.0.0.1 to let the
``requests`` and ``httpx`` based clients talk to it, while giving tests byte-exact
control over what goes on the wire and how the connection ends::

    with SSEServer() as server:
        server.script("/s", [Reply(body=[Send(b"data: a\\n\\n"), Drop()]), Reply(status=204)])
        ...  # talk to server.url("/s"), then inspect server.requests("/s")

Each connection carries one request (responses say ``Connection: close``) and is
served by its own daemon thread. Successive requests to a path take successive
replies of its script; once the script is exhausted its last reply repeats.
Unscripted paths get a plain 404. Leaving the ``with`` block closes every client
connection and joins all server threads within ``join_timeout`` seconds.

The script vocabulary (:class:`Reply`, the body actions and :func:`frame`) lives in
:mod:`tests.sse_script`; it is re-exported here.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import urlsplit

from tests.sse_script import (
    Action,
    Close,
    Drop,
    HeaderInput,
    Heartbeats,
    Reply,
    Send,
    Sleep,
    Stall,
    frame,
)

__all__ = [
    "Action",
    "Close",
    "Drop",
    "HeaderInput",
    "Headers",
    "Heartbeats",
    "RecordedRequest",
    "Reply",
    "SSEServer",
    "Send",
    "Sleep",
    "Stall",
    "frame",
]


try:  # Used to wait until sent bytes are acknowledged before a reset (POSIX only).
    import fcntl
    import termios
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = termios = None  # type: ignore[assignment]

_HOST = "127.0.0.1"
_MAX_HEAD = 64 * 1024
_REASONS = {status.value: status.phrase for status in HTTPStatus}


class Headers(Mapping[str, str]):
    """Read-only, case-insensitive header mapping; repeated fields are joined by ", "."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            old = self._items.get(name.lower())
            self._items[name.lower()] = (old[0], f"{old[1]}, {value}") if old else (name, value)

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


@dataclass(frozen=True)
class RecordedRequest:
    """A request as received: ``target`` is the raw request target."""

    method: str
    path: str
    query: str
    headers: Headers
    body: bytes
    target: str

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)


class _BadRequest(Exception):
    """The bytes received are not an HTTP/1.1 request this server understands."""


class _Stopped(Exception):
    """The server stopped while a reply was in progress."""


_Ending = Literal["graceful", "fin", "rst"]


def _recv(sock: socket.socket) -> bytes:
    data = sock.recv(65536)
    if not data:
        raise EOFError  # the peer closed before sending a whole request
    return data


def _read_request(sock: socket.socket) -> RecordedRequest:
    """Read one request: head, then a body of ``Content-Length`` bytes."""
    data = b""
    while (end := data.find(b"\r\n\r\n")) < 0:
        if len(data) > _MAX_HEAD:
            raise _BadRequest("request head too long")
        data += _recv(sock)
    head, data = data[:end].decode("latin-1").lstrip("\r\n"), data[end + 4 :]
    request_line, *lines = head.split("\r\n")
    parts = request_line.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _BadRequest(f"bad request line {request_line!r}")
    method, target, _ = parts
    pairs = []
    for line in lines:
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise _BadRequest(f"bad header line {line!r}")
        pairs.append((name, value.strip()))
    headers = Headers(pairs)
    length = headers.get("Content-Length", "0").strip()
    if "Transfer-Encoding" in headers or not length.isdigit():
        raise _BadRequest("request bodies need a Content-Length")
    while len(data) < int(length):
        data += _recv(sock)
    url = urlsplit(target)
    return RecordedRequest(method, url.path, url.query, headers, data[: int(length)], target)


class SSEServer:
    """A threaded, scriptable HTTP/1.1 server bound to an ephemeral port on 127.0.0.1."""

    def __init__(self, *, join_timeout: float = 2.0, io_timeout: float = 10.0) -> None:
        """``io_timeout`` bounds each blocking socket read/write of a connection."""
        self.join_timeout = join_timeout
        self.io_timeout = io_timeout
        self.port = 0
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._scripts: dict[str, list[Reply]] = {}
        self._served: dict[str, int] = {}
        self._requests: list[RecordedRequest] = []
        self._conns: dict[socket.socket, threading.Thread] = {}
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None

    def __enter__(self) -> SSEServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> SSEServer:
        """Bind, listen and start accepting in a daemon thread."""
        if self._listener is not None:
            raise RuntimeError("server already started")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind((_HOST, 0))
        listener.listen(64)
        listener.settimeout(0.5)  # stop() also wakes accept() by connecting
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._acceptor = threading.Thread(
            target=self._accept_loop, name=f"sse-server-{self.port}-accept", daemon=True
        )
        self._acceptor.start()
        return self

    def stop(self) -> None:
        """Stop accepting, cut every open connection and join all server threads."""
        if self._listener is None or self._stop.is_set():
            return
        deadline = time.monotonic() + self.join_timeout
        self._stop.set()
        with suppress(OSError), socket.create_connection((_HOST, self.port), timeout=0.2):
            pass  # wake the acceptor now rather than at its next poll
        if self._acceptor is not None:
            self._acceptor.join(self.join_timeout)
        self._listener.close()
        with self._lock:
            for conn in self._conns:
                with suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            threads = list(self._conns.values())
            self._arrived.notify_all()
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        if not self.port:
            raise RuntimeError("server not started")
        return f"http://{_HOST}:{self.port}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` (which may include a query) on this server."""
        return self.base_url + path

    def script(self, path: str, replies: Reply | Sequence[Reply]) -> None:
        """Set (or replace) the replies for ``path`` and restart its reply counter."""
        replies = [replies] if isinstance(replies, Reply) else list(replies)
        if not replies:
            raise ValueError("a script needs at least one Reply")
        with self._lock:
            self._scripts[path] = replies
            self._served[path] = 0

    def requests(self, path: str | None = None) -> list[RecordedRequest]:
        """Requests received so far, for ``path`` or for all paths, in arrival order."""
        with self._lock:
            return self._matching(path)

    def wait_for_requests(
        self, path: str | None, n: int, timeout: float = 2.0
    ) -> list[RecordedRequest]:
        """Wait until ``n`` requests for ``path`` (None: any) arrived, else ``TimeoutError``."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._matching(path)) >= n, timeout):
                got = len(self._matching(path))
                raise TimeoutError(f"{got} of {n} requests for {path!r} after {timeout}s")
            return self._matching(path)

    def _matching(self, path: str | None) -> list[RecordedRequest]:
        return [r for r in self._requests if path is None or r.path == path]

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(self.io_timeout)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            thread = threading.Thread(
                target=self._serve, args=(conn,), name=f"sse-server-{self.port}-conn", daemon=True
            )
            with self._lock:
                if self._stop.is_set():
                    conn.close()
                    return
                self._conns[conn] = thread
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        ending: _Ending = "fin"
        try:
            ending = self._exchange(conn)
        except (OSError, EOFError, _Stopped):
            pass  # the peer went away or the server stops: end with a plain FIN
        finally:
            with suppress(OSError):
                if ending == "rst":
                    self._wait_acked(conn)
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                elif ending == "graceful":
                    conn.shutdown(socket.SHUT_WR)
                    conn.setblocking(False)  # discard unread input so close sends no RST
                    while conn.recv(65536):
                        pass
                else:
                    conn.shutdown(socket.SHUT_RDWR)
            with self._lock:  # stop() only touches registered sockets, under this lock
                self._conns.pop(conn, None)
                conn.close()

    def _exchange(self, conn: socket.socket) -> _Ending:
        try:
            request = _read_request(conn)
        except _BadRequest as exc:
            text = f"{exc}\n".encode()
            conn.sendall(_head(400, None, [("Content-Length", str(len(text)))]) + text)
            return "graceful"
        with self._arrived:
            self._requests.append(request)
            self._arrived.notify_all()
        return self._respond(conn, request, self._next_reply(request.path))

    def _next_reply(self, path: str) -> Reply:
        with self._lock:
            replies = self._scripts.get(path)
            if replies is None:
                return Reply(404, body=f"no script for {path}\n".encode())
            index = self._served.get(path, 0)
            self._served[path] = index + 1
            return replies[min(index, len(replies) - 1)]

    def _respond(self, conn: socket.socket, request: RecordedRequest, reply: Reply) -> _Ending:
        status = reply.status
        body = reply.body if reply.body is not None else ([] if status == 200 else b"")
        bodiless = status < 200 or status in (204, 304)
        streamed = not isinstance(body, (bytes, bytearray))
        user = list(reply.headers.items() if isinstance(reply.headers, Mapping) else reply.headers)
        names = {name.lower() for name, _ in user}
        chunked = streamed and reply.chunked and not bodiless and "content-length" not in names
        defaults = []
        if status == 200:
            defaults += [("Content-Type", "text/event-stream; charset=utf-8")]
            defaults += [("Cache-Control", "no-cache")]
        elif body and not bodiless:
            defaults += [("Content-Type", "text/plain; charset=utf-8")]
        if chunked:
            defaults += [("Transfer-Encoding", "chunked")]
        elif not streamed and not bodiless:
            defaults += [("Content-Length", str(len(body)))]
        defaults += [("Connection", "close")]
        pairs = [p for p in defaults if p[0].lower() not in names] + user
        conn.sendall(_head(status, reply.reason, pairs))
        if bodiless or request.method == "HEAD":
            return "graceful"
        if isinstance(body, (bytes, bytearray)):
            conn.sendall(body)
            return "graceful"
        framed = chunked or "content-length" in names
        for action in body:
            if isinstance(action, Send):
                self._write(conn, action.data, chunked)
            elif isinstance(action, Sleep):
                self._pause(action.seconds)
            elif isinstance(action, Heartbeats):
                for _ in range(action.count):
                    self._pause(action.interval)
                    self._write(conn, action.text, chunked)
            elif isinstance(action, (Stall, Drop)):
                if isinstance(action, Stall):
                    self._pause(action.seconds)
                reset = not framed if action.reset is None else action.reset
                return "rst" if reset else "fin"
            elif isinstance(action, Close):
                break
            else:
                raise TypeError(f"not a body action: {action!r}")
        if chunked:
            conn.sendall(b"0\r\n\r\n")
        return "graceful"

    @staticmethod
    def _write(conn: socket.socket, data: bytes, chunked: bool) -> None:
        if data:
            conn.sendall(b"%x\r\n%b\r\n" % (len(data), data) if chunked else data)

    def _pause(self, seconds: float) -> None:
        if self._stop.wait(seconds):
            raise _Stopped

    def _wait_acked(self, conn: socket.socket, limit: float = 0.5) -> None:
        """Wait (bounded) until the peer acknowledged every byte sent, so a RST loses none."""
        if fcntl is None or not hasattr(termios, "TIOCOUTQ"):
            return
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and not self._stop.is_set():
            queued = fcntl.ioctl(conn.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
            if struct.unpack("i", queued)[0] == 0:
                return
            time.sleep(0.002)


def _head(status: int, reason: str | None, pairs: Iterable[tuple[str, str]]) -> bytes:
    reason = reason or _REASONS.get(status, "Unknown")
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{name}: {value}" for name, value in pairs]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
