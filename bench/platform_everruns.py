"""Everruns end to end: one long session stream, read by agentstream (sync and async,
typed events and the transcript) and by the official ``everruns-sdk`` (async, dict
payloads), from the same loopback server in one run.

The server (this module with ``serve``, in a child process so that its CPU is not the
clients') answers ``GET .../v1/sessions/{id}/sse`` with the platform's framing:
``connected``, then `events` events (``output.message.delta`` envelopes with ``event:``,
``id:`` and ``retry:``, ending with ``turn.completed``), one SSE event per HTTP chunk.
Each client reads until ``turn.completed``. Per round every client runs once, in a
rotating order; the ratio is taken within the round (agentstream's events/s over the
SDK's), and the table shows medians over rounds.

    python -m bench.platform_everruns            # the section's markdown
"""

from __future__ import annotations

import asyncio
import contextlib
import socketserver
import statistics
import sys
import time
from collections.abc import Callable
from typing import ClassVar

import orjson

from bench.child import child_server, serve_tcp
from bench.report import Section, version
from bench.timing import fmt_ratio

SESSION = "session_0193" + "0" * 28
KEY = "bench-key"


# -- the server ------------------------------------------------------------------------


def frames(events: int) -> list[bytes]:
    """The stream's body, one SSE event per element (each becomes one HTTP chunk)."""
    out = [b'event: connected\ndata: {"status":"connected"}\n\n']
    accumulated = ""
    for n in range(1, events + 1):
        kind = "turn.completed" if n == events else "output.message.delta"
        if kind == "turn.completed":
            data = {
                "turn_id": "turn_1",
                "iterations": 1,
                "usage": {"input_tokens": 9, "output_tokens": n},
            }
        else:
            delta = f"word{n} "
            accumulated = accumulated[-200:] + delta
            data = {
                "turn_id": "turn_1",
                "message_id": "message_1",
                "delta": delta,
                "accumulated": accumulated,
            }
        event_id = f"event_{n:032x}"
        envelope = {
            "id": event_id,
            "type": kind,
            "ts": "2026-05-01T10:30:01.512Z",
            "session_id": SESSION,
            "sequence": n,
            "context": {"turn_id": "turn_1", "input_message_id": "message_0"},
            "data": data,
            "tags": [],
        }
        out.append(
            b"event: %s\nid: %s\nretry: 100\ndata: %s\n\n"
            % (kind.encode(), event_id.encode(), orjson.dumps(envelope))
        )
    return out


class _Handler(socketserver.StreamRequestHandler):
    body: ClassVar[list[bytes]] = []

    def handle(self) -> None:
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # the request line and headers: every request gets the stream
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            b"Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):  # a client stops reading at turn.completed
            for frame in self.body:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(frame), frame))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")


def serve(events: int) -> None:
    """Serve the stream on 127.0.0.1 (a free port, printed) until stdin closes."""
    _Handler.body = frames(events)
    serve_tcp(_Handler)


def server(events: int) -> contextlib.AbstractContextManager[str]:
    """Run the server in a child process; yield the API base URL; stop it (by PID)."""
    return child_server("bench.platform_everruns", ["serve", str(events)], path="/api")


# -- the clients: each returns the events it read ----------------------------------------


def agentstream_sync(url: str) -> int:
    from agentstream.providers.everruns import Everruns

    with Everruns(api_key=KEY, base_url=url) as client, client.events.stream(SESSION) as stream:
        for event in stream:
            if event.type == "turn.completed":
                break
        assert stream.transcript.usage is not None and stream.text
        return stream.delivered


def agentstream_async(url: str) -> int:
    from agentstream.providers.everruns import AsyncEverruns

    async def main() -> int:
        async with AsyncEverruns(api_key=KEY, base_url=url) as client:
            async with client.events.stream(SESSION) as stream:
                async for event in stream:
                    if event.type == "turn.completed":
                        break
            assert stream.transcript.usage is not None and stream.text
            return stream.delivered

    return asyncio.run(main())


def everruns_sdk(url: str) -> int:
    import warnings

    import everruns_sdk

    async def main() -> int:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the management client's deprecation notice
            client = everruns_sdk.Everruns(api_key=KEY, base_url=url)
        count = 0
        stream = client.events.stream(SESSION)
        try:
            async for event in stream:
                count += 1
                if event.type == "turn.completed":
                    break
        finally:
            stream.stop()
            await stream.aclose()
            await client.close()
        return count

    return asyncio.run(main())


CLIENTS: dict[str, Callable[[str], int]] = {
    "agentstream (sync, typed + transcript)": agentstream_sync,
    "agentstream (async, typed + transcript)": agentstream_async,
    "everruns-sdk (async, dicts)": everruns_sdk,
}
SDK = "everruns-sdk (async, dicts)"


def _measure(fn: Callable[[str], int], url: str, events: int) -> tuple[float, float]:
    """(events/s, CPU µs per event) of one read of the whole stream."""
    wall, cpu = time.perf_counter(), time.process_time()
    got = fn(url)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if got != events:
        raise RuntimeError(f"read {got} events, expected {events}")
    return events / wall, cpu / events * 1e6


def run(events: int, rounds: int) -> Section:
    """The Everruns section: medians over `rounds` of events/s, CPU per event, and the
    paired ratio to the SDK's events/s (goal: at least 2x)."""
    names = list(CLIENTS)
    eps: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    ratios: dict[str, list[float]] = {n: [] for n in names}
    with server(events) as url:
        for fn in CLIENTS.values():
            _measure(fn, url, events)  # warm up: imports, first connection
        for r in range(rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            got = {name: _measure(CLIENTS[name], url, events) for name in order}
            for name in names:
                eps[name].append(got[name][0])
                cpu[name].append(got[name][1])
                ratios[name].append(got[name][0] / got[SDK][0])
    rows = [
        [
            name,
            f"{statistics.median(eps[name]):,.0f}",
            f"{statistics.median(cpu[name]):.1f}",
            fmt_ratio(statistics.median(ratios[name])),
        ]
        for name in names
    ]
    mine = {n: statistics.median(ratios[n]) for n in names if n != SDK}
    verdicts = "; ".join(
        f"{n}: {fmt_ratio(r)} ({'met' if r >= 2 else 'missed'})" for n, r in mine.items()
    )
    return Section(
        title="Everruns: a long session stream end to end",
        text=(
            f"One loopback server, one SSE event per HTTP chunk, {events:,} events "
            f"(`output.message.delta` envelopes, then `turn.completed`); medians of "
            f"{rounds} rounds, the ratio taken within each round. everruns-sdk "
            f"{version('everruns-sdk')}. Goal: at least 2x the SDK's events/s, sync and"
            f" async: {verdicts}."
        ),
        headers=["client", "events/s", "CPU µs/event", "vs everruns-sdk"],
        rows=rows,
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(int(sys.argv[2]))
    else:
        print(run(events=20_000, rounds=5).markdown())
