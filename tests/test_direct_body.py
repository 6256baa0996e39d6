"""The drivers read an event stream's body from the socket themselves (``body_chunks`` in
``_httpx_io.py`` and ``_requests_io.py``) when they can: over real loopback, that path is
the one taken with the installed httpx and requests, body bytes that came in with the
head are not lost, and every framing arrives whole, however the server cut it."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import anyio
import httpx
import pytest
import requests

from agentstream import _httpx_io, _requests_io
from tests.conftest import collect

pytestmark = pytest.mark.timeout(20)

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n"


def chunk(data: bytes, ext: bytes = b"") -> bytes:
    return b"%x%s\r\n%s\r\n" % (len(data), ext, data)


def events(first: int, last: int) -> list[bytes]:
    return [b'id: %d\ndata: {"n": %d}\n\n' % (n, n) for n in range(first, last)]


@contextmanager
def raw_server(writes: list[bytes], hold: float = 0.0) -> Iterator[str]:
    """Serve `writes` (each one sendall, a pause between them) to every connection,
    then keep it open, silent, for `hold` seconds; a reconnect (Last-Event-ID) gets
    204. Yields the URL; stops by itself."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def answer(conn: socket.socket) -> None:
        with conn, suppress(OSError):  # a client may hang up early
            request = conn.recv(65536)
            if b"last-event-id" in request.lower():
                conn.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
                return
            for data in writes:
                conn.sendall(data)
                stop.wait(0.02)
            stop.wait(hold)

    def serve() -> None:  # a thread per connection: one held open blocks no other
        answering = []
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            answering.append(threading.Thread(target=answer, args=(conn,), daemon=True))
            answering[-1].start()
        for thread in answering:
            thread.join(5)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/s"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


CHUNKED = HEAD + b"Transfer-Encoding: chunked\r\n\r\n"
FRAMINGS = {
    # The head and the first events in one write: h11 holds them when the head is read.
    "chunked, events with the head": [
        CHUNKED + chunk(events(0, 1)[0]) + chunk(events(1, 2)[0], b";x=1"),
        b"".join(chunk(e) for e in events(2, 40)),
        chunk(b"".join(events(40, 45)))[:7],
        chunk(b"".join(events(40, 45)))[7:] + b"0\r\nTrailer: 1\r\n\r\n",
    ],
    "content-length": [
        HEAD + b"Content-Length: %d\r\n\r\n" % len(b"".join(events(0, 45))),
        b"".join(events(0, 45)),
    ],
    "until close": [HEAD + b"\r\n" + b"".join(events(0, 20)), b"".join(events(20, 45))],
}


@pytest.mark.parametrize("framing", FRAMINGS)
def test_every_framing_arrives_whole(mode: str, framing: str) -> None:
    with raw_server(FRAMINGS[framing]) as url:
        outcome = collect(mode, url, retry=0.01, read_timeout=5.0)
    assert outcome.error is None
    assert [e.id for e in outcome.events] == [str(n) for n in range(45)]
    assert [e.json()["n"] for e in outcome.events] == list(range(45))


def test_httpx_responses_are_read_directly() -> None:
    async def main() -> None:
        with raw_server(FRAMINGS["chunked, events with the head"]) as url:
            async with httpx.AsyncClient() as client, client.stream("GET", url) as response:
                h11_state = _httpx_io._h11_connection(response)
                assert h11_state is not None and h11_state.trailing_data[0]  # the head's
                chunks = _httpx_io.body_chunks(response, 5.0)
                assert h11_state.trailing_data[0] == b""  # h11 let go of them
                got = b"".join([c async for c in chunks])
                assert response.num_bytes_downloaded == 0  # nothing went through httpx
        assert got == b"".join(events(0, 45))

    anyio.run(main)


def test_requests_responses_are_read_directly() -> None:
    url_cm = raw_server(FRAMINGS["chunked, events with the head"])
    with url_cm as url, requests.Session() as session, session.get(url, stream=True) as response:
        assert _requests_io._direct_reader(response) is not None
        got = b"".join(_requests_io.body_chunks(response))
        assert response.raw.tell() == 0  # nothing went through urllib3
    assert got == b"".join(events(0, 45))


def test_an_encoded_body_is_left_to_the_library(mode: str) -> None:
    import zlib

    squeeze = zlib.compressobj(wbits=31)
    body = squeeze.compress(b"".join(events(0, 45))) + squeeze.flush()
    writes = [CHUNKED.replace(b"\r\n\r\n", b"\r\nContent-Encoding: gzip\r\n\r\n") + chunk(body)]
    with raw_server([*writes, b"0\r\n\r\n"]) as url:
        outcome = collect(mode, url, retry=0.01, read_timeout=5.0)
    assert [e.id for e in outcome.events] == [str(n) for n in range(45)]


def test_a_body_cut_short_is_a_lost_connection_and_resumes(mode: str) -> None:
    cut = [CHUNKED + b"".join(chunk(e) for e in events(0, 3)) + b"40\r\nid: 3\nda"]
    with raw_server(cut) as url:
        outcome = collect(mode, url, retry=0.01, read_timeout=5.0)
    # The cut event never completed; the reconnect (Last-Event-ID: 2) got 204, the end.
    assert [e.id for e in outcome.events] == ["0", "1", "2"]
    assert outcome.error is None


# -- the async read timeout: one timer per connection ---------------------------------


def test_async_reads_take_the_one_timer_path() -> None:
    async def main() -> None:
        with raw_server(FRAMINGS["chunked, events with the head"]) as url:
            async with httpx.AsyncClient() as client, client.stream("GET", url) as response:
                stream = response.extensions["network_stream"]
                reads = _httpx_io._TimedReads.for_stream(stream, 5.0)
                assert reads is not None  # httpx's anyio stream on asyncio
                reads.stop()
                for no_timer in (None, 0.0):  # no read timeout: httpcore reads
                    assert _httpx_io._TimedReads.for_stream(stream, no_timer) is None

    asyncio.run(main())


def test_a_silent_server_times_the_read_out_and_the_stream_resumes() -> None:
    """Head and two events, then silence: the read times out after read_timeout, the
    stream reconnects (Last-Event-ID: 1 gets 204 here) and ends, in bounded time."""
    writes = [CHUNKED + b"".join(chunk(e) for e in events(0, 2)), b""]

    async def main() -> tuple[list[str], float, int]:
        from agentstream import AsyncEventSource

        start = time.monotonic()
        async with AsyncEventSource(url, read_timeout=0.4, retry=0.01) as source:
            got = [event.id async for event in source]
        return got, time.monotonic() - start, source.stats.reconnects

    with raw_server(writes, hold=3.0) as url:
        got, elapsed, reconnects = asyncio.run(main())
    assert got == ["0", "1"] and reconnects == 1
    assert 0.35 < elapsed < 2.5, elapsed


def test_a_busy_consumer_is_not_a_silent_server() -> None:
    """The read timeout counts only while a read waits: a consumer slower than
    read_timeout between events loses nothing and causes no reconnect."""
    writes = [CHUNKED + b"".join(chunk(e) for e in events(0, 4)) + b"0\r\n\r\n"]

    async def main() -> tuple[list[str], list[str]]:
        from agentstream import AsyncEventSource

        got, reasons = [], []
        async with AsyncEventSource(url, read_timeout=0.2, retry=0.01) as source:
            source.on_reconnect(lambda info: reasons.append(info.reason))
            async for event in source:
                got.append(event.id)
                await asyncio.sleep(0.3)
        return got, reasons

    with raw_server(writes) as url:
        got, reasons = asyncio.run(main())
    # One reconnect, after the body's clean end (answered 204), and no read timeout.
    assert got == ["0", "1", "2", "3"] and len(reasons) == 1, reasons
    assert "timeout" not in reasons[0].lower() and "Timeout" not in reasons[0], reasons


def test_the_timer_ends_with_the_connection() -> None:
    """Leaving a stream early (the read generator closed later, or never) leaves no
    timer going: it stops with the stream, or at its next due time once the socket is
    closed."""
    writes = [CHUNKED, b"".join(chunk(e) for e in events(0, 4))]  # events by a read

    def timers(loop: asyncio.AbstractEventLoop) -> list[object]:
        scheduled = getattr(loop, "_scheduled", [])  # asyncio's heap of TimerHandles
        return [h for h in scheduled if "_TimedReads" in repr(h) and not h.cancelled()]

    async def main() -> tuple[int, int]:
        from agentstream import AsyncEventSource

        loop = asyncio.get_running_loop()
        async with AsyncEventSource(url, read_timeout=0.1, retry=0.01) as source:
            async for _ in source:
                during = len(timers(loop))
                break
        await asyncio.sleep(0.3)  # past two due times
        return during, len(timers(loop))

    with raw_server(writes, hold=1.0) as url:
        during, after = asyncio.run(main())
    assert during == 1 and after == 0
