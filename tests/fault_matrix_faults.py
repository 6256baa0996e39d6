"""The faults of the matrix, and the server side that plays them.

A Scene is one cell's server: it numbers the stream connections, plays the fault on the
connections the fault picks and an honest stream on the others, where an honest stream
starts where the request asks (its cursor; after what the server emitted, for a
platform whose stream does not replay; at the first event, for one that replays). Every
stream tells events 1..N (N = 5) and every fault strikes after events 1 and 2, at
event 3.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from tests.fault_matrix_entry import EVENTS, FAULTY, RECONNECTS, TEXT, Entry
from tests.fault_matrix_server import (
    CUT,
    Pause,
    Recorded,
    Step,
    chunk,
    head,
    json_reply,
    stream_head,
)

__all__ = ["FAULTS", "Fault", "Scene"]

#: Longer than any cell may take: how long a stall or a trickle would go on.
FOREVER = 8.0

HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>403 Forbidden</title></head>"
    b"<body><h1>Forbidden</h1><hr><center>nginx</center></body></html>"
)


class Scene:
    """One cell's server side: the entry's wire, the fault, and what was emitted."""

    def __init__(self, entry: Entry, fault: Fault) -> None:
        self.entry = entry
        self.fault = fault
        self.lock = threading.Lock()
        #: Stream connections so far (at every origin).
        self.connections = 0
        #: The data of each event emitted (started on the wire), by number.
        self.stored: dict[int, bytes] = {}
        self.listed = threading.Event()
        #: The other origin a redirect fault sends the client to (set by the test).
        self.elsewhere: str | None = None

    def handle(self, request: Recorded) -> Iterable[Step]:
        path = request.path.removeprefix("/moved")
        if self.entry.is_stream(path):
            with self.lock:
                self.connections += 1
                number = self.connections
            steps = self.fault.play(self, number, request)
            return steps if steps is not None else self.stream(request)
        with self.lock:
            stored = [self.stored[n] for n in sorted(self.stored)]
        body = self.entry.side(request, stored)
        if body is None:
            return [json_reply(404, b'{"error":{"message":"no such route"}}')]
        if self.entry.is_backfill(request):
            self.listed.set()
        return [json_reply(200, body)]

    def emit(self, n: int, text: bytes | None = None, cut: bool = False) -> bytes:
        """Event `n`'s frame (noted as emitted); `text` replaces ``e<n>``, `cut` cuts
        its JSON data in half."""
        last = n == EVENTS
        data = self.entry.payload(n, last).replace(TEXT, b"e%d" % n if text is None else text)
        if cut:
            data = data[: len(data) // 2]
        with self.lock:
            self.stored.setdefault(n, data)
        return self.entry.frame(n, data, last)

    def first(self, request: Recorded) -> int:
        """The first event an honest connection sends for `request`."""
        if self.entry.has_cursor:
            return (self.entry.cursor(request) or 0) + 1
        if self.entry.backfills:  # live only: the history comes from the listing
            with self.lock:
                return max(self.stored, default=0) + 1
        return 1  # a replay from the start

    def stream(
        self,
        request: Recorded,
        upto: int = EVENTS,
        end: bool = True,
        special: Callable[[int], bytes | None] = lambda n: None,
    ) -> Iterator[Step]:
        """An honest stream for `request` up to event `upto`; `special(n)` may give an
        event's frame instead; `end` ends the body cleanly after it."""
        yield stream_head(self.entry.stream_headers())
        if self.entry.backfills:
            self.listed.wait(1.0)
            self.listed.clear()
        if prologue := self.entry.prologue():
            yield chunk(prologue)
        for n in range(self.first(request), upto + 1):
            yield chunk(special(n) or self.emit(n))
        if end:
            yield chunk(b"")


# -- the faults -----------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """A fault: what the server does on some stream connections (None: an honest
    stream), and how the cell must end.

    Attributes:
        error: the typed error the cell must end with; None: it resumes and delivers
            every event exactly once, in order.
        reason: a text every reconnect reason must include at least once.
        connections: the stream connections the cell must have made, when fixed.
    """

    name: str
    play: Callable[[Scene, int, Recorded], Iterable[Step] | None]
    error: type[BaseException] | tuple[type[BaseException], ...] | None = None
    reason: str | None = None
    connections: int | None = None
    statuses: frozenset[int] = field(default_factory=frozenset)

    def __repr__(self) -> str:
        return self.name


def _cut_after_two(scene: Scene, request: Recorded) -> Iterator[Step]:
    """Events 1 and 2, then half of event 3's frame, then the connection ends."""
    yield from scene.stream(request, upto=FAULTY - 1, end=False)
    frame = scene.emit(FAULTY)
    yield chunk(frame[: len(frame) // 2])
    yield CUT


def no_fault(scene: Scene, k: int, request: Recorded) -> None:
    return None


def drop_mid_frame(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    return _cut_after_two(scene, request) if k == 1 else None


def stall(scene: Scene, k: int, request: Recorded) -> Iterator[Step] | None:
    """Events 1 and 2, then nothing."""
    if k != 1:
        return None

    def steps() -> Iterator[Step]:
        yield from scene.stream(request, upto=FAULTY - 1, end=False)
        yield Pause(FOREVER)
        yield CUT

    return steps()


def slow_headers(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """The status line, then one header byte every 0.2 s, never ending the head."""
    if k != 1:
        return None
    steps: list[Step] = [b"HTTP/1.1 200 OK\r\n"]
    for byte in b"X-Slow: " + b"a" * 100:
        steps += [Pause(0.2), bytes([byte])]
    return steps


def slow_body(scene: Scene, k: int, request: Recorded) -> Iterator[Step] | None:
    """Events 1 and 2, then a byte every 0.1 s of an event that never ends."""
    if k != 1:
        return None

    def steps() -> Iterator[Step]:
        yield from scene.stream(request, upto=FAULTY - 1, end=False)
        yield chunk(b"data: ")
        for _ in range(int(FOREVER / 0.1)):
            yield Pause(0.1)
            yield chunk(b"x")
        yield CUT

    return steps()


def _error_reply(k: int, request: Recorded) -> bytes:
    """A 5xx reply, each a different kind of body (JSON, an HTML page, text)."""
    if k % 3 == 2:
        return json_reply(500, b'{"error":{"message":"internal","request_id":"req_1"}}')
    if k % 3 == 0:
        page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        return json_reply(502, page, "text/html")
    return json_reply(503, b"upstream unavailable\n", "text/plain")


def storm(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """A drop after events 1 and 2, then three 5xx replies in a row (500, 502, 503)."""
    if k == 1:
        return _cut_after_two(scene, request)
    return [_error_reply(k, request)] if k <= 4 else None


def storm_forever(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """A drop after events 1 and 2, then 5xx replies for ever."""
    return _cut_after_two(scene, request) if k == 1 else [_error_reply(k, request)]


def rate_limited(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """A drop after events 1 and 2, then a 429 with ``Retry-After: 0``."""
    if k == 1:
        return _cut_after_two(scene, request)
    if k == 2:
        body = b'{"error":{"message":"slow down","code":"rate_limited"}}'
        pairs = {"Content-Type": "application/json", "Retry-After": "0"}
        return [head(429, {**pairs, "Content-Length": str(len(body))}) + body]
    return None


def _redirect(location: str) -> bytes:
    return head(307, {"Location": location, "Content-Length": "0"})


def redirect_elsewhere(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """A drop after events 1 and 2; the reconnect is sent to another origin (another
    port), which streams the rest."""
    if k == 1:
        return _cut_after_two(scene, request)
    if k == 2:
        assert scene.elsewhere is not None
        return [_redirect(scene.elsewhere + request.target)]
    return None


def redirect_same_origin(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """A drop after events 1 and 2; the reconnect is sent to another path here."""
    if k == 1:
        return _cut_after_two(scene, request)
    return [_redirect("/moved" + request.target)] if k == 2 else None


def oversized(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """Event 3 is larger than the client's cap."""
    if k != 1:
        return None
    big = b"e3-" + b"x" * scene.entry.max_event_bytes

    return scene.stream(request, special=lambda n: scene.emit(n, big) if n == FAULTY else None)


def invalid_utf8(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """Event 3's text holds bytes that are not UTF-8."""
    if k != 1:
        return None
    bad = b"e3-\xff\xfe"
    return scene.stream(request, special=lambda n: scene.emit(n, bad) if n == FAULTY else None)


def truncated_json(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """Event 3 is a whole SSE frame whose data is cut JSON."""
    if k != 1:
        return None
    return scene.stream(request, special=lambda n: scene.emit(n, cut=True) if n == FAULTY else None)


def wrong_content_type(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """A drop after events 1 and 2; the reconnect is answered 200 with JSON."""
    if k == 1:
        return _cut_after_two(scene, request)
    return [json_reply(200, b'{"detail":"this is not a stream"}')]


def html_error_page(scene: Scene, k: int, request: Recorded) -> Iterable[Step] | None:
    """A drop after events 1 and 2; the reconnect is answered by a proxy's 403 page."""
    if k == 1:
        return _cut_after_two(scene, request)
    return [json_reply(403, HTML_PAGE, "text/html")]


def _faults() -> list[Fault]:
    from agentstream import (
        APIStatusError,
        ReconnectExhausted,
        RemoteProtocolError,
        StreamIdleTimeout,
        StreamInterruptedError,
    )

    # shipit reports a give-up as the interruption of its run (raised from it).
    gave_up = (ReconnectExhausted, StreamInterruptedError)

    return [
        Fault("no_fault", no_fault, connections=1),
        Fault("drop_mid_frame", drop_mid_frame, connections=2),
        Fault("stall", stall, reason="read_timeout", connections=2),
        Fault("slow_headers", slow_headers, reason="headers_timeout", connections=2),
        Fault("slow_body", slow_body, error=StreamIdleTimeout, connections=1),
        Fault("5xx_storm", storm, connections=5, statuses=frozenset({500, 502, 503})),
        Fault("5xx_forever", storm_forever, error=gave_up, connections=RECONNECTS + 1),
        Fault("429_retry_after", rate_limited, connections=3, statuses=frozenset({429})),
        Fault("redirect_elsewhere", redirect_elsewhere, connections=3),
        Fault("redirect_same_origin", redirect_same_origin, connections=3),
        Fault("oversized_event", oversized, error=RemoteProtocolError, connections=1),
        Fault("invalid_utf8", invalid_utf8, connections=1),
        Fault("wrong_content_type", wrong_content_type, RemoteProtocolError, connections=2),
        Fault("html_error_page", html_error_page, error=APIStatusError, connections=2),
        Fault("truncated_json", truncated_json, connections=1),
    ]


#: The fault list every client is run against.
FAULTS = _faults()
