"""Parse-only adapters: every library fed the same byte chunks through its real entry point.

Each adapter has two faces: ``events(chunks)`` yields ``(type, data, last_event_id)``
for the correctness check against the spec oracle, and ``run(chunks)`` is the timed
loop: decode every event and parse its JSON data the way a user of that library would
(its own ``.json()`` when it has one, else ``json.loads``). Blocks that a library
dispatches with empty data are counted but not parsed, for every library alike.

The chunks reach each library through the iterator or file object it reads in
production: agentstream's decoder gets them as an iterator (``iter_bytes``, as the
anthropic and openai decoders do), and in a second row one ``feed()`` call each (the
push API its own drivers use); httpx-sse gets an ``httpx.Response`` streaming them; requests-sse a
``requests.Response`` whose raw stream yields them (from a stand-in ``Session``);
launchdarkly-eventsource a ``ConnectStrategy``; aiohttp-sse-client an
``aiohttp.StreamReader`` they were fed into (from a stand-in ``ClientSession``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Any

import orjson

from agentstream import SSEDecoder
from bench.replay import AiohttpSession, Finished, RequestsSession, StreamProtocol

Key = tuple[str, str, str]
URL = "http://127.0.0.1:9/stream"


@dataclass(frozen=True)
class Peer:
    name: str
    module: str  # what must import for the adapter to work
    events: Callable[[list[bytes]], Iterator[Key]]
    run: Callable[[list[bytes]], int]


def unavailable(peer: Peer) -> str | None:
    """Why `peer` cannot run here (not installed, say), or None."""
    try:
        import_module(peer.module)
    except Exception as exc:
        return f"cannot import {peer.module} ({type(exc).__name__}: {exc})"
    return None


def _key(event: str | None, data: str | None, id: str | None) -> Key:
    return (event or "message", data or "", id or "")


# ---------------------------------------------------------------- agentstream


def agentstream_events(chunks: list[bytes]) -> Iterator[Key]:
    for ev in SSEDecoder().iter_bytes(chunks):
        yield ev[:3]  # type: ignore[misc]  # (event, data, id) of the NamedTuple


def agentstream_run(chunks: list[bytes]) -> int:
    n = 0
    for ev in SSEDecoder().iter_bytes(chunks):
        if ev.data:  # type: ignore[union-attr]
            ev.json()  # type: ignore[union-attr]
        n += 1
    return n


def agentstream_feed_events(chunks: list[bytes]) -> Iterator[Key]:
    decoder = SSEDecoder()
    for chunk in chunks:
        for ev in decoder.feed(chunk):
            yield ev[:3]  # type: ignore[misc]
    decoder.feed_eof()


def agentstream_feed_run(chunks: list[bytes]) -> int:
    decoder = SSEDecoder()
    n = 0
    for chunk in chunks:
        for ev in decoder.feed(chunk):
            if ev.data:  # type: ignore[union-attr]
                ev.json()  # type: ignore[union-attr]
            n += 1
    decoder.feed_eof()
    return n


# ---------------------------------------------------------------- floors


def _floor(loads: Callable[[bytes], Any]) -> Callable[[list[bytes]], int]:
    """Split on blank lines, join each block's ``data:`` lines, parse: no SSE rules.

    The line ending is the corpus's own (LF or CRLF), found in its first bytes. A chunk
    without LF cannot complete a block, so it is only kept; otherwise the separator is
    looked for in the chunk and across its boundary with the previous bytes.
    """

    def run(chunks: list[bytes]) -> int:
        nl = b"\r\n" if b"\r" in b"".join(chunks[:64]) else b"\n"
        sep = nl + nl
        keep = len(sep) - 1
        pending: list[bytes] = []
        n = 0
        for chunk in chunks:
            pending.append(chunk)
            if 10 not in chunk:  # no LF (an int test: much cheaper than b"\n" in chunk)
                continue
            if sep not in chunk:
                edge = b"".join([piece[-keep:] for piece in pending[-keep - 1 : -1]])
                if sep not in edge[-keep:] + chunk[:keep]:
                    continue
            blocks = b"".join(pending).split(sep)
            pending = [blocks.pop()]
            for block in blocks:
                data = [line[6:] for line in block.split(nl) if line[:6] == b"data: "]
                if data:
                    loads(nl.join(data) if len(data) > 1 else data[0])
                    n += 1
        return n

    return run


def _no_events(chunks: list[bytes]) -> Iterator[Key]:
    return iter(())


# ---------------------------------------------------------------- httpx-sse


def _httpx_sse(chunks: list[bytes]) -> Iterator[Any]:
    import httpx
    from httpx_sse import EventSource

    headers = {"content-type": "text/event-stream"}
    response = httpx.Response(200, headers=headers, content=iter(chunks))
    return EventSource(response).iter_sse()


def httpx_sse_run(chunks: list[bytes]) -> int:
    n = 0
    for ev in _httpx_sse(chunks):
        if ev.data:
            ev.json()
        n += 1
    return n


# ---------------------------------------------------------------- anthropic / openai


def _stainless(module: str) -> Callable[[list[bytes]], Iterator[Any]]:
    def events(chunks: list[bytes]) -> Iterator[Any]:
        decoder = import_module(module).SSEDecoder()
        return decoder.iter_bytes(iter(chunks))  # type: ignore[no-any-return]

    return events


def _stainless_run(module: str) -> Callable[[list[bytes]], int]:
    source = _stainless(module)

    def run(chunks: list[bytes]) -> int:
        n = 0
        for ev in source(chunks):
            if ev.data:
                ev.json()
            n += 1
        return n

    return run


# ---------------------------------------------------------------- sseclient-py


def sseclient_run(chunks: list[bytes]) -> int:
    from sseclient import SSEClient

    n = 0
    loads = json.loads
    for ev in SSEClient(iter(chunks)).events():
        if ev.data:
            loads(ev.data)
        n += 1
    return n


# ---------------------------------------------------------------- requests-sse


def _requests_sse(chunks: list[bytes]) -> Iterator[Any]:
    from requests_sse import EventSource

    session: Any = RequestsSession(chunks)
    source = EventSource(URL, session=session, reconnection_time=timedelta(0), max_connect_retry=0)
    with source:
        try:
            yield from source
        except Finished:
            return


def requests_sse_run(chunks: list[bytes]) -> int:
    n = 0
    loads = json.loads
    for ev in _requests_sse(chunks):
        if ev.data:
            loads(ev.data)
        n += 1
    return n


# ---------------------------------------------------------------- launchdarkly-eventsource


def _launchdarkly(chunks: list[bytes]) -> Iterator[Any]:
    from ld_eventsource import SSEClient
    from ld_eventsource.config import ConnectionClient, ConnectionResult, ConnectStrategy

    class Client(ConnectionClient):  # type: ignore[misc]
        def connect(self, last_event_id: str | None) -> ConnectionResult:
            return ConnectionResult(iter(chunks), None)

    class Replay(ConnectStrategy):  # type: ignore[misc]
        def create_client(self, logger: Any) -> ConnectionClient:
            return Client()

    return iter(SSEClient(Replay()).events)


def launchdarkly_run(chunks: list[bytes]) -> int:
    n = 0
    loads = json.loads
    for ev in _launchdarkly(chunks):
        if ev.data:
            loads(ev.data)
        n += 1
    return n


# ---------------------------------------------------------------- aiohttp-sse-client


async def _aiohttp_collect(chunks: list[bytes], sink: Callable[[Any], None]) -> None:
    import aiohttp
    from aiohttp_sse_client.client import EventSource

    reader = aiohttp.StreamReader(StreamProtocol(), 2**16, loop=asyncio.get_running_loop())  # type: ignore[arg-type]
    for chunk in chunks:
        reader.feed_data(chunk)
    reader.feed_eof()
    session: Any = AiohttpSession(reader)
    async with EventSource(URL, session=session, reconnection_time=timedelta(0)) as source:
        try:
            async for ev in source:
                sink(ev)
        except Finished:
            pass


def _aiohttp_sse(chunks: list[bytes]) -> Iterator[Any]:
    out: list[Any] = []
    asyncio.run(_aiohttp_collect(chunks, out.append))
    return iter(out)


def aiohttp_sse_run(chunks: list[bytes]) -> int:
    loads = json.loads
    count = [0]

    def sink(ev: Any) -> None:
        if ev.data:
            loads(ev.data)
        count[0] += 1

    asyncio.run(_aiohttp_collect(chunks, sink))
    return count[0]


# ---------------------------------------------------------------- the table


def _keys(
    source: Callable[[list[bytes]], Iterable[Any]], event: str, id: str
) -> Callable[[list[bytes]], Iterator[Key]]:
    def events(chunks: list[bytes]) -> Iterator[Key]:
        for ev in source(chunks):
            yield _key(getattr(ev, event), ev.data, getattr(ev, id))

    return events


def _sseclient(chunks: list[bytes]) -> Iterator[Any]:
    from sseclient import SSEClient

    events: Iterator[Any] = SSEClient(iter(chunks)).events()
    return events


PEERS: list[Peer] = [
    Peer("agentstream", "agentstream", agentstream_events, agentstream_run),
    Peer("agentstream feed()", "agentstream", agentstream_feed_events, agentstream_feed_run),
    Peer("httpx-sse", "httpx_sse", _keys(_httpx_sse, "event", "id"), httpx_sse_run),
    Peer(
        "anthropic",
        "anthropic._streaming",
        _keys(_stainless("anthropic._streaming"), "event", "id"),
        _stainless_run("anthropic._streaming"),
    ),
    Peer(
        "openai",
        "openai._streaming",
        _keys(_stainless("openai._streaming"), "event", "id"),
        _stainless_run("openai._streaming"),
    ),
    Peer("sseclient-py", "sseclient", _keys(_sseclient, "event", "id"), sseclient_run),
    Peer(
        "requests-sse",
        "requests_sse",
        _keys(_requests_sse, "type", "last_event_id"),
        requests_sse_run,
    ),
    Peer(
        "launchdarkly-eventsource",
        "ld_eventsource",
        _keys(_launchdarkly, "event", "last_event_id"),
        launchdarkly_run,
    ),
    Peer(
        "aiohttp-sse-client",
        "aiohttp_sse_client.client",
        _keys(_aiohttp_sse, "type", "last_event_id"),
        aiohttp_sse_run,
    ),
]

FLOORS: list[Peer] = [
    Peer("floor: split + json", "json", _no_events, _floor(json.loads)),
    Peer("floor: split + orjson", "orjson", _no_events, _floor(orjson.loads)),
]
