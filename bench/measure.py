"""One end-to-end measurement in a fresh process: ``python -m bench.measure CLIENT URL
MODE N [R]``, printing one JSON line of measurements. CLIENT is a label of
``bench.clients`` (``sync:agentstream [json]``) or, for ``many``, ``LIBRARY [PARSER]``.

MODE is ``e2e`` with CLIENT ``sync:agentstream`` and a last argument naming the parsers
in the order to run them (``json,orjson``): a short warm-up stream, then for each parser
the corpus from URL/corpus, one event per HTTP chunk, and again in 64 KiB chunks (events,
the timed window, CPU seconds and RSS of each), then N paced events from URL/paced, R
times (each one's delay from its send time);
``latency`` (only those paced runs), ``many`` (N streams of URL in one event loop) or
``flat`` (RSS sampled while URL's long stream is consumed).

The timed window of a stream starts when the client yields ``START`` (its HTTP client
or session made, nothing sent yet) and ends at its last event: the connection, the
request, the response head and every event are inside it; events/s is the events over it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import resource
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from bench.clients import ASYNC, MODULES, START, SYNC, label, split
from bench.replay import quiet, skip_reconnect_waits

CHUNK64K = 64 * 1024


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024


def _peak_rss_kb() -> int:
    """This process's peak RSS (VmHWM) since the last ``_reset_peak``. Not ru_maxrss:
    that one keeps the high-water mark of the parent that forked us, from before exec."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    """Start the peak RSS afresh from the current RSS (Linux: clear_refs 5)."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _warm(lib: str) -> int:
    """Import `lib`'s modules; return the RSS (KiB) afterwards, the baseline."""
    for spec in MODULES[lib]:
        module, _, name = spec.partition(":")
        loaded = importlib.import_module(module)
        if name:
            getattr(loaded, name)
    skip_reconnect_waits()
    quiet()
    return _rss_kb()


def _note(obj: Any, latency: list[float] | None) -> None:
    if latency is not None and obj is not None and "t" in obj:
        latency.append((time.monotonic_ns() - obj["t"]) / 1e6)


def _consume(events: Iterator[Any], latency: list[float] | None) -> tuple[int, float, float, float]:
    """Count `events`; return the count and when the window started, the first event
    arrived and the last one did."""
    if next(events) is not START:
        raise RuntimeError("the client did not yield START before connecting")
    start = first = last = time.perf_counter()
    n = 0
    for obj in events:
        last = time.perf_counter()
        if not n:
            first = last
        n += 1
        _note(obj, latency)
    return n, start, first, last


async def _aconsume(
    events: AsyncIterator[Any], latency: list[float] | None
) -> tuple[int, float, float, float]:
    if await events.__anext__() is not START:
        raise RuntimeError("the client did not yield START before connecting")
    start = first = last = time.perf_counter()
    n = 0
    async for obj in events:
        last = time.perf_counter()
        if not n:
            first = last
        n += 1
        _note(obj, latency)
    return n, start, first, last


def measure(name: str, url: str, latency: list[float] | None) -> dict[str, Any]:
    """Stream `url` with client `name` (``sync:<lib> [<parser>]``); with a list for
    `latency`, also record each event's delay from its send time (ms)."""
    kind, lib, parser = split(name)
    base = _warm(lib)
    _reset_peak()
    before = resource.getrusage(resource.RUSAGE_SELF)
    if kind == "sync":
        count, start, first, last = _consume(SYNC[lib](url, parser), latency)
    else:
        count, start, first, last = asyncio.run(_aconsume(ASYNC[lib](url, parser), latency))
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    window = last - start
    return {
        "events": count,
        "window": window,  # from START (before the connection) to the last event
        "first": first - start,  # connection, request, response head, first event
        "rate": count / window if window > 0 else 0.0,
        "cpu": cpu,  # the whole run: setup and teardown too
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


def measure_e2e(
    client: str, base_url: str, paced: int, repeat: int, parsers: list[str]
) -> dict[str, Any]:
    """A warm-up stream (first-use work of the process is not the stream's); then for
    each parser in turn the corpus one event per HTTP chunk, the corpus in 64 KiB
    chunks, and the latency runs."""
    measure(label(client, parsers[0]), f"{base_url}/paced?count=50&ms=0", None)
    found = {}
    for parser in parsers:
        name = label(client, parser)
        found[parser] = {
            "stream": measure(name, f"{base_url}/corpus", None),
            "stream64k": measure(name, f"{base_url}/corpus?chunk={CHUNK64K}", None),
            "latency": measure_latency(name, base_url, paced, repeat),
        }
    return found


async def _many(lib: str, parser: str, url: str, n: int) -> int:
    import httpx

    from bench.clients import agentstream_async, aiohttp_sse_async, httpx_sse_async

    if lib == "aiohttp-sse-client":
        import aiohttp

        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            streams = [_aconsume(aiohttp_sse_async(url, parser, session), None) for _ in range(n)]
            return sum(count for count, *_ in await asyncio.gather(*streams))
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        source = agentstream_async if lib == "agentstream" else httpx_sse_async
        streams = [_aconsume(source(url, parser, client), None) for _ in range(n)]
        return sum(count for count, *_ in await asyncio.gather(*streams))


def measure_many(name: str, url: str, n: int) -> dict[str, Any]:
    _, lib, parser = split(f"async:{name}")
    base = _warm(lib)
    _reset_peak()
    start = time.perf_counter()
    count = asyncio.run(_many(lib, parser, url, n))
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


def main(argv: list[str]) -> dict[str, Any]:
    client, address, mode, number, *more = argv
    if mode == "many":
        return measure_many(client, address, int(number))
    if mode == "flat":
        return measure_flat(address)
    if mode == "latency":
        return {"latency": measure_latency(client, address, int(number), int(more[0]))}
    parsers = more[1].split(",") if len(more) > 1 else ["json"]
    return measure_e2e(client, address, int(number), int(more[0]) if more else 1, parsers)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
