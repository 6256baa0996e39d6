"""Real clients of every library, run one per process by the end-to-end benches:
``python -m bench.clients CLIENT URL MODE N [R]``, printing one JSON line of measurements.

Each client reads the stream as that library's documentation shows and parses every
event's JSON data (its own ``.json()`` where it has one). MODE is ``e2e`` (the corpus
from URL/corpus: events, CPU seconds and peak RSS of this process; then N paced events
from URL/paced, R times: each one's delay from its send time), ``latency`` (only those
paced runs), ``many`` (N streams of URL in one event loop) or ``flat`` (RSS sampled
while URL's long stream is consumed).
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from bench.replay import quiet, skip_reconnect_waits

Sync = Callable[[str], Iterator[Any]]
Async = Callable[[str], AsyncIterator[Any]]


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024


def _peak_rss_kb() -> int:
    """This process's peak RSS (VmHWM). Not ru_maxrss: that one keeps the high-water
    mark of the parent that forked us, from before exec."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


# ---------------------------------------------------------------- sync clients


def agentstream_sync(url: str) -> Iterator[Any]:
    from agentstream import EventSource

    with EventSource(url, reconnect=False) as source:
        for event in source:
            yield event.json()


def httpx_sse_sync(url: str) -> Iterator[Any]:
    import httpx
    from httpx_sse import connect_sse

    with httpx.Client(timeout=60) as client, connect_sse(client, "GET", url) as source:
        for event in source.iter_sse():
            yield event.json() if event.data else None


def _stainless_sync(module: str) -> Sync:
    def events(url: str) -> Iterator[Any]:
        import importlib

        import httpx

        decoder = importlib.import_module(module).SSEDecoder()
        with httpx.Client(timeout=60) as client, client.stream("GET", url) as response:
            for event in decoder.iter_bytes(response.iter_bytes()):
                yield event.json() if event.data else None

    return events


def sseclient_sync(url: str) -> Iterator[Any]:
    import requests
    from sseclient import SSEClient

    headers = {"Accept": "text/event-stream"}
    with requests.get(url, stream=True, headers=headers, timeout=60) as response:
        for event in SSEClient(response).events():  # type: ignore[arg-type]
            yield json.loads(event.data)


def requests_sse_sync(url: str) -> Iterator[Any]:
    from requests_sse import EventSource, InvalidStatusCodeError

    with EventSource(url, timeout=60, max_connect_retry=0) as source:
        try:
            for event in source:
                yield json.loads(event.data)
        except InvalidStatusCodeError:  # the server's 204 when it reconnects at the end
            return


def launchdarkly_sync(url: str) -> Iterator[Any]:
    from ld_eventsource import SSEClient

    client = SSEClient(url)
    try:
        for event in client.events:
            yield json.loads(event.data)
    finally:
        client.close()


# ---------------------------------------------------------------- async clients


async def agentstream_async(url: str, client: Any = None) -> AsyncIterator[Any]:
    from agentstream import AsyncEventSource

    async with AsyncEventSource(url, client=client, reconnect=False) as source:
        async for event in source:
            yield event.json()


async def httpx_sse_async(url: str, client: Any = None) -> AsyncIterator[Any]:
    import httpx
    from httpx_sse import aconnect_sse

    own = client is None
    client = client or httpx.AsyncClient(timeout=60)
    try:
        async with aconnect_sse(client, "GET", url) as source:
            async for event in source.aiter_sse():
                yield event.json() if event.data else None
    finally:
        if own:
            await client.aclose()


def _stainless_async(module: str) -> Async:
    async def events(url: str) -> AsyncIterator[Any]:
        import importlib

        import httpx

        decoder = importlib.import_module(module).SSEDecoder()
        client = httpx.AsyncClient(timeout=60)
        async with client, client.stream("GET", url) as response:
            async for event in decoder.aiter_bytes(response.aiter_bytes()):
                yield event.json() if event.data else None

    return events


async def launchdarkly_async(url: str) -> AsyncIterator[Any]:
    from ld_eventsource.async_client import AsyncSSEClient

    async with AsyncSSEClient(url) as client:
        async for event in client.events:
            yield json.loads(event.data)


async def aiohttp_sse_async(url: str, session: Any = None) -> AsyncIterator[Any]:
    from aiohttp_sse_client.client import EventSource

    source = EventSource(url, session=session, max_connect_retry=0)
    async with source:
        try:
            async for event in source:
                yield json.loads(event.data)
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


# ---------------------------------------------------------------- measuring

#: What each library imports, loaded before the baseline RSS is read.
MODULES = {
    "agentstream": ["agentstream", "httpx", "requests"],
    "httpx-sse": ["httpx_sse", "httpx"],
    "anthropic": ["anthropic._streaming", "httpx"],
    "openai": ["openai._streaming", "httpx"],
    "sseclient-py": ["sseclient", "requests"],
    "requests-sse": ["requests_sse"],
    "launchdarkly-eventsource": ["ld_eventsource", "ld_eventsource.async_client"],
    "aiohttp-sse-client": ["aiohttp_sse_client.client", "aiohttp"],
}


def _warm(lib: str) -> int:
    """Import `lib`'s modules; return the RSS (KiB) afterwards, the baseline."""
    import importlib

    for module in MODULES[lib]:
        importlib.import_module(module)
    skip_reconnect_waits()
    quiet()
    return _rss_kb()


def _consume(events: Iterator[Any], latency: list[float] | None) -> tuple[int, float]:
    """Count `events`; return the count and when the first one arrived."""
    n, first = 0, 0.0
    for obj in events:
        if latency is not None and obj is not None and "t" in obj:
            latency.append((time.monotonic_ns() - obj["t"]) / 1e6)
        n += 1
        first = first or time.perf_counter()
    return n, first


async def _aconsume(events: AsyncIterator[Any], latency: list[float] | None) -> tuple[int, float]:
    n, first = 0, 0.0
    async for obj in events:
        if latency is not None and obj is not None and "t" in obj:
            latency.append((time.monotonic_ns() - obj["t"]) / 1e6)
        n += 1
        first = first or time.perf_counter()
    return n, first


def measure(name: str, url: str, latency: list[float] | None) -> dict[str, Any]:
    """Stream `url` with client `name` ("sync:<lib>" or "async:<lib>"); with a list for
    `latency`, also record each event's delay from its send time (ms)."""
    kind, _, lib = name.partition(":")
    base = _warm(lib)
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    if kind == "sync":
        count, first = _consume(SYNC[lib](url), latency)
    else:
        count, first = asyncio.run(_aconsume(ASYNC[lib](url), latency))
    end = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {
        "events": count,
        "wall": end - start,
        # Steady state: from the first event to the last (client setup, the connection
        # and the first response excluded).
        "rate": (count - 1) / (end - first) if count > 1 else 0.0,
        "cpu": cpu,
        "rss_base_kb": base,
        "rss_peak_kb": _peak_rss_kb(),
    }


def measure_latency(name: str, base_url: str, paced: int, repeat: int) -> list[list[float]]:
    """`repeat` latency runs on /paced (several, so that a burst of noise from a
    neighbour spoils one, not all), in this process; each without its 5% warm-up."""
    runs = []
    for _ in range(repeat):
        latency: list[float] = []
        measure(name, f"{base_url}/paced?count={paced}&ms=1", latency)
        runs.append(latency[len(latency) // 20 :])
    return runs


def measure_e2e(name: str, base_url: str, paced: int, repeat: int) -> dict[str, Any]:
    """The throughput run on /corpus, then the latency runs, in this process."""
    stream = measure(name, f"{base_url}/corpus", None)
    return {"stream": stream, "latency": measure_latency(name, base_url, paced, repeat)}


async def _many(lib: str, url: str, n: int) -> int:
    import httpx

    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    if lib == "aiohttp-sse-client":
        import aiohttp

        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            streams = [_aconsume(aiohttp_sse_async(url, session), None) for _ in range(n)]
            return sum(count for count, _ in await asyncio.gather(*streams))
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        source = agentstream_async if lib == "agentstream" else httpx_sse_async
        streams = [_aconsume(source(url, client), None) for _ in range(n)]
        return sum(count for count, _ in await asyncio.gather(*streams))


def measure_many(lib: str, url: str, n: int) -> dict[str, Any]:
    base = _warm(lib)
    start = time.perf_counter()
    count = asyncio.run(_many(lib, url, n))
    wall = time.perf_counter() - start
    return {"events": count, "wall": wall, "rss_base_kb": base, "rss_peak_kb": _peak_rss_kb()}


def measure_flat(url: str) -> dict[str, Any]:
    from agentstream import EventSource

    samples: list[tuple[int, int]] = []
    n = 0
    start = time.perf_counter()
    with EventSource(url, reconnect=False) as source:
        for event in source:
            event.json()
            n += 1
            if n % 50_000 == 0:
                samples.append((n, _rss_kb()))
    wall = time.perf_counter() - start
    return {"events": n, "wall": wall, "samples": samples, "rss_peak_kb": _peak_rss_kb()}


if __name__ == "__main__":
    client, address, mode, number, *more = sys.argv[1:]
    if mode == "many":
        result = measure_many(client, address, int(number))
    elif mode == "flat":
        result = measure_flat(address)
    elif mode == "latency":
        result = {"latency": measure_latency(client, address, int(number), int(more[0]))}
    else:
        result = measure_e2e(client, address, int(number), int(more[0]) if more else 1)
    print(json.dumps(result))
