"""m8tes end to end: one long run stream, read by agentstream (sync and async, typed
events and the transcript) and by the official ``m8tes`` SDK, from the same loopback
server in one run; then agentstream's sync read path taken apart layer by layer.

The server (this module with ``serve``, in a child process so that its CPU is not the
clients') speaks the m8tes Runs API as far as a streamed run needs: ``POST /runs/``
answers the run's stream with ``X-Run-Id``, ``GET /runs/{id}/stream`` answers the same
stream (a join), ``GET /runs/{id}`` the finished run. The stream is what the platform
sends for a long answer: data-only frames, ``metadata``, ``text-start``, `events` minus
six ``text-delta`` pieces of 1-20 characters, ``text-end``, ``metadata`` with the usage,
``run_metrics``, ``done``; one SSE event per HTTP chunk (a write and a flush each).

Contenders, paired against the SDK round by round (``bench.timing.interleaved``): the
SDK's ``runs.create(message=...)`` iterated to its end (it builds its event classes from
dicts), and agentstream's ``M8tes`` / ``AsyncM8tes`` ``runs.create`` iterated to the end,
``.text`` read after. The layer passes, each paired against the whole sync run stream:

    (a) EventSource over the same POST: reading, SSE decode, the machine; events only
    (b) (a) + each frame's JSON (orjson, as the run stream parses it)
    (c) (b) + ``structure_event`` into the generated classes (lenient, the stream's mode)
    (c2) (c) with the run's RunResumePolicy in the source (it parses the JSON)
    (d) the whole run stream: (c2) + normalize, the transcript, the stream's layers

and, outside the chain, async (a): AsyncEventSource over httpx, events only.

    python -m bench.platform_m8tes [events] [rounds]
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socketserver
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any, ClassVar

from bench.child import child_server, serve_tcp
from bench.report import Section, version
from bench.timing import Timings, fmt_ratio, interleaved

KEY = "m8_bench"
RUN_ID = 4242
MESSAGE = "Write the long report."
GOAL = 2.0  # agentstream's events/s over the SDK's
SDK = "m8tes SDK (sync, classes from dicts)"
WHOLE = "(d) the whole run stream: (c2) + normalize, transcript, stream layers"
ASYNC_IO = "async (a): AsyncEventSource (httpx): read, SSE decode, machine"
#: Frames around the text deltas: metadata, text-start, text-end, metadata, run_metrics, done.
FIXED = 6
PIECES = (
    "Here are ", "the three ", "tickets ", "that need ", "you ", "today: ", "an ",
    "angry refund ", "request, ", "a login ", "bug on ", "mobile, ", "and a ",
    "billing question ", "about VAT. ",
)  # fmt: skip


# -- the server ------------------------------------------------------------------------


def _frame(data: dict[str, Any]) -> bytes:
    # json.dumps with its default separators, as the platform writes its frames.
    return b"data: %s\n\n" % json.dumps(data).encode()


def frames(events: int) -> list[bytes]:
    """The run's stream, one SSE event per element (each becomes one HTTP chunk)."""
    if events <= FIXED:
        raise ValueError(f"a run of {events} frames has no text: use more than {FIXED}")
    deltas = [PIECES[n % len(PIECES)] for n in range(events - FIXED)]
    usage = {"input_tokens": 5120, "output_tokens": len(deltas)}
    metrics: dict[str, Any] = {"execution_time_ms": 55, "input_tokens_used": 5120}
    metrics |= {"output_tokens_used": len(deltas), "claude_token_cost_usd": 0.02631}
    return [
        _frame({"type": "metadata", "payload": {"run_id": RUN_ID}}),
        _frame({"type": "text-start", "id": "txt_1"}),
        *(_frame({"type": "text-delta", "delta": d, "id": "txt_1"}) for d in deltas),
        _frame({"type": "text-end", "id": "txt_1"}),
        _frame({"type": "metadata", "payload": {"run_id": RUN_ID, "usage": usage}}),
        _frame({"type": "run_metrics", **metrics, "stop_reason": "end_turn"}),
        _frame({"type": "done", "stop_reason": "end_turn", "completion_state": "complete"}),
    ]


def run_record() -> bytes:
    """``GET /runs/{id}``: the finished run (no client asks for it on a clean run)."""
    stamp = "2026-05-01T10:30:00.000Z"
    run = {"id": RUN_ID, "teammate_id": None, "status": "completed", "output": None}
    run |= {"error": None, "user_id": None, "metadata": None, "created_at": stamp}
    return json.dumps({**run, "updated_at": stamp, "files": []}).encode()


class _Handler(socketserver.StreamRequestHandler):
    body: ClassVar[list[bytes]] = []
    run: ClassVar[bytes] = b""

    def handle(self) -> None:
        method, target, _ = self.rfile.readline().decode("latin-1").split(" ", 2)
        length = 0
        while (line := self.rfile.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        self.rfile.read(length)  # the request body, read so the close sends no reset
        path = target.split("?")[0].rstrip("/")
        if (method, path) == ("POST", "/api/v2/runs") or (
            method == "GET" and re.fullmatch(r"/api/v2/runs/\d+/stream", path)
        ):
            self._stream()
        elif method == "GET" and re.fullmatch(r"/api/v2/runs/\d+", path):
            self._json(200, self.run)
        else:
            self._json(404, b'{"error": {"message": "not here", "code": "not_found"}}')

    def _json(self, status: int, payload: bytes) -> None:
        self.wfile.write(
            b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
            b"Connection: close\r\n\r\n%s" % (status, len(payload), payload)
        )

    def _stream(self) -> None:
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
            b"Cache-Control: no-cache\r\nX-Run-Id: %d\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n" % RUN_ID
        )
        with contextlib.suppress(OSError):  # a client may stop reading at `done`
            for frame in self.body:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(frame), frame))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")


def serve(events: int) -> None:
    """Serve the run on 127.0.0.1 (a free port, printed) until stdin closes."""
    _Handler.body = frames(events)
    _Handler.run = run_record()
    serve_tcp(_Handler)


def server(events: int) -> contextlib.AbstractContextManager[str]:
    """Run the server in a child process; yield the API base URL; stop it (by PID)."""
    return child_server("bench.platform_m8tes", ["serve", str(events)], path="/api/v2")


# -- the contenders: each reads the whole run and checks what it read -------------------


def contenders(url: str, events: int) -> list[tuple[str, Callable[[], object]]]:
    """The SDK first (the reference), then agentstream sync and async."""
    import m8tes

    from agentstream import AsyncM8tes, M8tes

    theirs = m8tes.M8tes(api_key=KEY, base_url=url)
    ours = M8tes(api_key=KEY, base_url=url)
    loop = asyncio.new_event_loop()

    def m8tes_sdk() -> None:
        with theirs.runs.create(message=MESSAGE) as stream:
            count = sum(1 for _ in stream)
        assert count == events and stream.text, count

    def agentstream_sync() -> None:
        with ours.runs.create(message=MESSAGE) as stream:
            count = sum(1 for _ in stream)
        assert count == events and stream.text and stream.transcript.done, count

    async def make() -> AsyncM8tes:  # on the loop it serves, once, as the sync clients
        return AsyncM8tes(api_key=KEY, base_url=url)

    client = loop.run_until_complete(make())

    async def consume() -> None:
        async with client.runs.create(message=MESSAGE) as stream:
            count = sum([1 async for _ in stream])
        assert count == events and stream.text and stream.transcript.done, count

    return [
        (SDK, m8tes_sdk),
        ("agentstream (sync, typed + transcript)", agentstream_sync),
        ("agentstream (async, typed + transcript)", lambda: loop.run_until_complete(consume())),
    ]


def layers(url: str, events: int) -> list[tuple[str, Callable[[], object]]]:
    """agentstream sync's read path, one layer more in each pass, over the same POST."""
    import httpx
    import orjson
    import requests

    from agentstream import AsyncEventSource, EventSource, M8tes
    from agentstream._converter import structure_event
    from agentstream.providers.m8tes import RunResumePolicy

    session = requests.Session()
    headers = {"Authorization": f"Bearer {KEY}"}
    body = {"message": MESSAGE, "stream": True}
    ours = M8tes(api_key=KEY, base_url=url)
    loop = asyncio.new_event_loop()

    def typed(sse: Any, _: Any) -> Any:
        return structure_event("m8tes", orjson.loads(sse.data), strict=False)

    def reused(sse: Any, policy: Any) -> Any:  # the policy parsed the JSON: as the stream
        return structure_event("m8tes", policy.parsed.pop(id(sse)), strict=False)

    def layer(decode: Callable[[Any, Any], Any] | None, resume: bool = False) -> Callable[[], None]:
        """A pass reading the POST's events with EventSource, `decode`-ing each."""

        def read() -> None:
            policy = RunResumePolicy(url) if resume else None
            options: dict[str, Any] = {"policy": policy} if policy is not None else {}
            count, last = 0, None
            with EventSource(
                url + "/runs/", method="POST", json=body, headers=headers, session=session,
                **options,
            ) as source:  # fmt: skip
                for sse in source:
                    if decode is not None:
                        last = decode(sse, policy)
                    count += 1
                    if count == events:
                        break
            kind = last.get("type") if isinstance(last, dict) else getattr(last, "type", None)
            assert count == events and (decode is None or kind == "done"), (count, last)

        return read

    def whole() -> None:
        with ours.runs.create(message=MESSAGE) as stream:
            count = sum(1 for _ in stream)
        assert count == events and stream.text, count

    async def make() -> httpx.AsyncClient:
        return httpx.AsyncClient()

    client = loop.run_until_complete(make())

    async def reader() -> None:
        count = 0
        source = AsyncEventSource(
            url + "/runs/", method="POST", json=body, headers=headers, client=client
        )
        async with source:
            async for _ in source:
                count += 1
                if count == events:
                    break
        assert count == events, count

    return [
        (WHOLE, whole),
        (ASYNC_IO, lambda: loop.run_until_complete(reader())),
        ("(a) EventSource: read, SSE decode, machine", layer(None)),
        ("(b) + JSON (orjson)", layer(lambda sse, _: orjson.loads(sse.data))),
        ("(c) + structure_event (typed)", layer(typed)),
        (
            "(c2) (c), the run's RunResumePolicy classifying (and parsing) each frame",
            layer(reused, resume=True),
        ),
    ]


def _with_cpu(fn: Callable[[], object], into: list[float]) -> Callable[[], object]:
    def timed() -> object:
        start = time.process_time()
        result = fn()
        into.append(time.process_time() - start)
        return result

    return timed


def _pair(
    plain: list[tuple[str, Callable[[], object]]], rounds: int
) -> tuple[Timings, dict[str, list[float]]]:
    """Interleaved timings against the first contender, and each one's CPU seconds."""
    cpu: dict[str, list[float]] = {name: [] for name, _ in plain}
    timed = [(name, _with_cpu(fn, cpu[name])) for name, fn in plain]
    for _, fn in timed:  # warm up: imports, connections, the generated types
        fn()
    for samples in cpu.values():
        samples.clear()
    return interleaved(timed, plain[0][0], rounds), cpu


def run(events: int, rounds: int) -> list[Section]:
    """The m8tes section (events/s, CPU per event, ratio to the SDK, the goal) and the
    per-layer table of agentstream sync."""
    with server(events) as url:
        main = contenders(url, events)
        timings, cpu = _pair(main, rounds)
        parts = layers(url, events)
        layer_timings, layer_cpu = _pair(parts, rounds)
    us = 1e6 / events
    rows, speedups = [], {}
    for name, _ in main:
        speedup = speedups[name] = 1 / timings.ratio(name)
        rows.append(
            [
                name,
                f"{events / timings.median(name):,.0f}",
                f"{statistics.median(cpu[name]) * us:.1f}",
                fmt_ratio(speedup),
            ]
        )
    mine = {n: s for n, s in speedups.items() if n != SDK}
    verdict = "met" if min(mine.values()) >= GOAL else "missed"
    ratios = ", ".join(
        f"{'async' if 'async' in n else 'sync'} {fmt_ratio(s)}" for n, s in mine.items()
    )
    main_section = Section(
        title="m8tes: a long run stream end to end",
        text=(
            f"One loopback server (a child process), one SSE event per HTTP chunk, a run of "
            f"{events:,} frames (`metadata`, `text-start`, {events - FIXED:,} `text-delta`s, "
            f"`text-end`, `metadata` with usage, `run_metrics`, `done`), each read opened by "
            f"`runs.create(message=...)` on a client made once and iterated to its end; "
            f"{rounds} paired rounds, "
            f"medians, each ratio taken between two runs made back to back. m8tes "
            f"{version('m8tes')} (requests; builds its event classes from dicts)."
        ),
        headers=["client", "events/s", "CPU µs/event", "events/s vs SDK"],
        rows=rows,
        notes=[
            f"Goal: at least {GOAL:g}\u00d7 the SDK's events/s, sync and async: {verdict} "
            f"({ratios}).",
        ],
    )
    whole_cpu = statistics.median(layer_cpu[WHOLE]) * us
    async_cpu = statistics.median(cpu[main[2][0]]) * us
    layer_rows, before = [], 0.0
    for name, _ in [*parts[2:], parts[0], parts[1]]:
        cpu_us = statistics.median(layer_cpu[name]) * us
        row = [name, f"{layer_timings.median(name) * us:.2f}", f"{cpu_us:.2f}"]
        if name == ASYNC_IO:
            layer_rows.append([*row, "—", f"{cpu_us / async_cpu:.0%} of async's"])
        else:
            added, before = cpu_us - before, cpu_us
            layer_rows.append([*row, _signed(added), f"{added / whole_cpu:.0%}"])
    layer_section = Section(
        title="m8tes: where agentstream sync's time goes, layer by layer",
        text=(
            f"Separate timed passes over the same server and run ({events:,} frames), one "
            f"layer more in each, each pass paired with the whole sync run stream in "
            f"{rounds} rounds (`bench.timing.interleaved`); medians. Added: the client "
            f"process's CPU per event that the layer adds (the pass's CPU less the pass "
            f"above it; CPU, not wall time, because a pass's wall time also holds its "
            f"waits for the server); share: of the whole sync run stream's CPU per event. "
            f"The async row is the async read path's bottom layer alone, its share taken "
            f"of the whole async run stream's CPU in the table above."
        ),
        headers=["pass", "µs/event", "CPU µs/event", "added CPU µs/event", "share of CPU"],
        rows=layer_rows,
    )
    return [main_section, layer_section]


def _signed(value: float) -> str:
    # A leading digit keeps the column right-aligned in the report.
    return f"{value:.2f}" if value >= 0 else f"~{value:.2f}"


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(int(sys.argv[2]))
    else:
        n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
        r = int(sys.argv[2]) if len(sys.argv) > 2 else 3
        for section in run(n, r):
            print(section.markdown())
