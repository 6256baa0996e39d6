"""Real clients of every library, as the end-to-end benches run them (``bench.measure``
runs one per process).

Each client reads the stream as that library's documentation shows and parses every
event's JSON data with the parser its label names, so that every row parses JSON the
same way: ``[json]`` is ``json.loads(data)`` (what httpx-sse's and the Stainless SDKs'
own ``.json()`` call), ``[orjson]`` is ``orjson.loads(data)`` (for agentstream its own
``event.json()``, which is exactly that). A label reads ``MODE:LIBRARY [PARSER]``, for
example ``sync:agentstream [json]``.

Every client first sets up what a user sets up once (its HTTP client or session), then
yields ``START``, then opens the connection and yields each event's parsed data: the
timed window runs from ``START`` to the last event, so it holds the connection, the
request, the response head and every event.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import orjson

Sync = Callable[[str, str], Iterator[Any]]
Async = Callable[[str, str], AsyncIterator[Any]]

PARSERS = ("json", "orjson")
LOADS: dict[str, Callable[[str], Any]] = {"json": json.loads, "orjson": orjson.loads}


class _Start:
    def __repr__(self) -> str:
        return "START"


#: Yielded once by every client when its setup is done, before it connects.
START: Any = _Start()


def label(client: str, parser: str) -> str:
    """``("sync:agentstream", "json")`` -> ``"sync:agentstream [json]"``."""
    return f"{client} [{parser}]"


def split(name: str) -> tuple[str, str, str]:
    """``"sync:agentstream [json]"`` -> ``("sync", "agentstream", "json")``."""
    kind, _, rest = name.partition(":")
    lib, _, parser = rest.partition(" [")
    return kind, lib, parser.rstrip("]") or "json"


# ---------------------------------------------------------------- sync clients


def agentstream_sync(url: str, parser: str) -> Iterator[Any]:
    from agentstream import EventSource

    with EventSource(url, reconnect=False) as source:  # connects when iterated
        yield START
        if parser == "orjson":
            for event in source:
                yield event.json()  # orjson.loads(event.data)
        else:
            loads = LOADS[parser]
            for event in source:
                yield loads(event.data)


def httpx_sse_sync(url: str, parser: str) -> Iterator[Any]:
    import httpx
    from httpx_sse import connect_sse

    loads = LOADS[parser]
    with httpx.Client(timeout=60) as client:
        yield START
        with connect_sse(client, "GET", url) as source:
            for event in source.iter_sse():
                yield loads(event.data) if event.data else None


def _stainless_sync(module: str) -> Sync:
    def events(url: str, parser: str) -> Iterator[Any]:
        import importlib

        import httpx

        loads = LOADS[parser]
        decoder = importlib.import_module(module).SSEDecoder()
        with httpx.Client(timeout=60) as client:
            yield START
            with client.stream("GET", url) as response:
                for event in decoder.iter_bytes(response.iter_bytes()):
                    yield loads(event.data) if event.data else None

    return events


def sseclient_sync(url: str, parser: str) -> Iterator[Any]:
    import requests
    from sseclient import SSEClient

    loads = LOADS[parser]
    headers = {"Accept": "text/event-stream"}
    with requests.Session() as session:
        yield START
        with session.get(url, stream=True, headers=headers, timeout=60) as response:
            for event in SSEClient(response).events():  # type: ignore[arg-type]
                yield loads(event.data)


def requests_sse_sync(url: str, parser: str) -> Iterator[Any]:
    from requests_sse import EventSource, InvalidStatusCodeError

    loads = LOADS[parser]
    source = EventSource(url, timeout=60, max_connect_retry=0)  # connects on enter
    yield START
    with source:
        try:
            for event in source:
                yield loads(event.data)
        except InvalidStatusCodeError:  # the server's 204 when it reconnects at the end
            return


def launchdarkly_sync(url: str, parser: str) -> Iterator[Any]:
    from ld_eventsource import SSEClient

    loads = LOADS[parser]
    client = SSEClient(url)  # connects when its events are read
    yield START
    try:
        for event in client.events:
            yield loads(event.data)
    finally:
        client.close()


# ---------------------------------------------------------------- async clients


async def agentstream_async(url: str, parser: str, client: Any = None) -> AsyncIterator[Any]:
    from agentstream import AsyncEventSource

    async with AsyncEventSource(url, client=client, reconnect=False) as source:
        yield START
        if parser == "orjson":
            async for event in source:
                yield event.json()  # orjson.loads(event.data)
        else:
            loads = LOADS[parser]
            async for event in source:
                yield loads(event.data)


async def httpx_sse_async(url: str, parser: str, client: Any = None) -> AsyncIterator[Any]:
    import httpx
    from httpx_sse import aconnect_sse

    loads = LOADS[parser]
    own = client is None
    client = client or httpx.AsyncClient(timeout=60)
    try:
        yield START
        async with aconnect_sse(client, "GET", url) as source:
            async for event in source.aiter_sse():
                yield loads(event.data) if event.data else None
    finally:
        if own:
            await client.aclose()


def _stainless_async(module: str) -> Async:
    async def events(url: str, parser: str) -> AsyncIterator[Any]:
        import importlib

        import httpx

        loads = LOADS[parser]
        decoder = importlib.import_module(module).SSEDecoder()
        async with httpx.AsyncClient(timeout=60) as client:
            yield START
            async with client.stream("GET", url) as response:
                async for event in decoder.aiter_bytes(response.aiter_bytes()):
                    yield loads(event.data) if event.data else None

    return events


async def launchdarkly_async(url: str, parser: str) -> AsyncIterator[Any]:
    import aiohttp
    from ld_eventsource.async_client import AsyncSSEClient
    from ld_eventsource.config.async_connect_strategy import AsyncConnectStrategy

    loads = LOADS[parser]
    # Its own session is made lazily at the connection: made first here, as for the others.
    async with aiohttp.ClientSession() as session:
        connect = AsyncConnectStrategy.http(url, session=session)
        async with AsyncSSEClient(connect) as client:
            yield START
            async for event in client.events:
                yield loads(event.data)


async def aiohttp_sse_async(url: str, parser: str, session: Any = None) -> AsyncIterator[Any]:
    from aiohttp_sse_client.client import EventSource

    loads = LOADS[parser]
    source = EventSource(url, session=session, max_connect_retry=0)  # connects on enter
    yield START
    async with source:
        try:
            async for event in source:
                yield loads(event.data)
        except ConnectionError:  # the server's 204 when it reconnects at the end
            return


SYNC: dict[str, Sync] = {
    "agentstream": agentstream_sync,
    "httpx-sse": httpx_sse_sync,
    "anthropic": _stainless_sync("anthropic._streaming"),
    "openai": _stainless_sync("openai._streaming"),
    "sseclient-py": sseclient_sync,
    "requests-sse": requests_sse_sync,
    "launchdarkly-eventsource": launchdarkly_sync,
}
ASYNC: dict[str, Async] = {
    "agentstream": agentstream_async,
    "httpx-sse": httpx_sse_async,
    "anthropic": _stainless_async("anthropic._streaming"),
    "openai": _stainless_async("openai._streaming"),
    "launchdarkly-eventsource": launchdarkly_async,
    "aiohttp-sse-client": aiohttp_sse_async,
}

#: What each library imports (``module:name`` also gets that name from it), loaded
#: before the baseline RSS is read.
MODULES = {
    "agentstream": ["agentstream:EventSource", "agentstream:AsyncEventSource"],
    "httpx-sse": ["httpx_sse", "httpx"],
    "anthropic": ["anthropic._streaming", "httpx"],
    "openai": ["openai._streaming", "httpx"],
    "sseclient-py": ["sseclient", "requests"],
    "requests-sse": ["requests_sse"],
    "launchdarkly-eventsource": [
        "ld_eventsource",
        "ld_eventsource.async_client",
        "ld_eventsource.async_http",
    ],
    "aiohttp-sse-client": ["aiohttp_sse_client.client", "aiohttp"],
}
