"""A loopback SSE server for the end-to-end benches: ``python -m bench.server EVENTS``.

It binds 127.0.0.1 on a free port, prints the port, and serves (HTTP/1.1, chunked, one
request per connection) until its parent closes its stdin or it gets SIGTERM:

- ``/corpus``: the agent corpus of EVENTS events, one event (or comment, or ``retry``
  block) per HTTP chunk, each written and drained on its own as a server that sends
  events as they happen does, as fast as the client reads; ``/corpus?chunk=65536``
  sends the same bytes in chunks of that size instead;
- ``/paced?count=N&ms=M``: N text deltas, one every M ms (``ms=0``: back to back), one
  per HTTP chunk, each carrying the send time (``time.monotonic_ns()``, one clock for
  every process on the machine);
- ``/bulk?bytes=N``: the agent corpus repeated in 64 KiB chunks until N bytes have gone.

A request that carries ``Last-Event-ID`` (a client reconnecting after the end) gets 204,
which tells every client to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from urllib.parse import parse_qs, urlsplit

from bench import corpus

CHUNK = 64 * 1024
HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
    b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
)
NO_CONTENT = b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%b\r\n" % (len(data), data)


class Server:
    def __init__(self, events: int) -> None:
        self.raw = corpus.agent(events)
        blocks = [block + b"\n\n" for block in self.raw.split(b"\n\n")[:-1]]
        assert b"".join(blocks) == self.raw  # every block ends with its blank line
        self.events = [_chunk(block) for block in blocks]
        self.corpus = self.sized(CHUNK)

    def sized(self, size: int) -> list[bytes]:
        raw = self.raw
        return [_chunk(raw[i : i + size]) for i in range(0, len(raw), size)]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b" ", 2)[1].decode()
            if b"\nlast-event-id:" in head.lower():
                writer.write(NO_CONTENT)
            else:
                writer.write(HEAD)
                await self.body(writer, urlsplit(target).path, parse_qs(urlsplit(target).query))
                writer.write(b"0\r\n\r\n")
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def body(
        self, writer: asyncio.StreamWriter, path: str, query: dict[str, list[str]]
    ) -> None:
        if path == "/corpus":
            size = int(query.get("chunk", ["0"])[0])
            pieces = self.events if not size else self.corpus if size == CHUNK else self.sized(size)
            for piece in pieces:
                writer.write(piece)
                await writer.drain()
        elif path == "/bulk":
            left = int(query["bytes"][0])
            while left > 0:
                for piece in self.corpus:
                    writer.write(piece)
                    await writer.drain()
                    left -= len(piece)
        elif path == "/paced":
            await self.paced(writer, int(query["count"][0]), float(query["ms"][0]) / 1e3)

    async def paced(self, writer: asyncio.StreamWriter, count: int, interval: float) -> None:
        writer.write(_chunk(b"retry: 10\n\n"))
        start = time.monotonic()
        for n in range(count):
            delay = start + n * interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            frame = b'id: %d\ndata: {"type":"text-delta","id":"blk_0","delta":"tok %d","t":%d}\n\n'
            writer.write(_chunk(frame % (n, n, time.monotonic_ns())))
            await writer.drain()


async def main(events: int) -> None:
    server = Server(events)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, backlog=4096)
    print(listener.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    # The parent ends us by closing our stdin (or with SIGTERM to our PID).
    await loop.run_in_executor(None, sys.stdin.read)
    listener.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
