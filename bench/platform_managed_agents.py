"""Claude Managed Agents: a long session stream, agentstream against the anthropic SDK.

One loopback server (a child process, so its work is not on the client's CPU clock)
serves the same session stream to every contender: `events` stored-looking events (agent
messages, tool calls and results, spans, usage) ending with
``session.status_terminated``, with the event list answering empty (nothing to
backfill). Contenders, in one process, paired against the SDK round by round
(``bench.timing.interleaved``):

- agentstream sync and async: ``sessions.events.stream(...)`` iterated to its end, each
  event decoded into its generated class and folded into the transcript;
- the anthropic SDK: ``client.beta.sessions.events.stream(...)`` iterated to its end
  (pydantic events), sync.

    python -m bench.platform_managed_agents [events] [rounds]
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.report import Section
from bench.timing import fmt_ratio, interleaved

SESSION = "sesn_bench"
GOAL = 2.0  # agentstream's events/s over the SDK's


def corpus(events: int) -> bytes:
    """The stream body: `events` frames of a realistic mix, then the terminal frame."""
    out = []
    for i in range(events):
        at = f"2026-04-07T04:{(i // 60_000) % 60:02d}:{(i // 1000) % 60:02d}.{i % 1000:03d}Z"
        base = {"id": f"sevt_{i:020d}", "processed_at": at}
        kind = i % 5
        if kind == 0:
            text = f"Step {i}: the agent reports progress on the ticket queue, item by item."
            data = {"type": "agent.message", "content": [{"type": "text", "text": text}]}
        elif kind == 1:
            data = {"type": "agent.tool_use", "name": "bash", "input": {"command": f"ls {i}"}}
            data["evaluated_permission"] = "allow"
        elif kind == 2:
            data = {"type": "agent.tool_result", "tool_use_id": f"sevt_{i - 1:020d}"}
            data["content"] = [{"type": "text", "text": "README.md\nsrc\ntests"}]
        elif kind == 3:
            data = {"type": "span.model_request_start"}
        else:
            usage = {"input_tokens": 3571, "output_tokens": 727}
            usage |= {"cache_creation_input_tokens": 0, "cache_read_input_tokens": 6656}
            data = {"type": "span.model_request_end", "model_usage": usage}
            data["model_request_start_id"] = f"sevt_{i - 1:020d}"
        frame = {**data, **base}
        out.append(f"event: {frame['type']}\ndata: {json.dumps(frame)}\n\n")
    end = {"type": "session.status_terminated", "id": "sevt_end", "processed_at": "2026-04-08"}
    out.append(f"event: {end['type']}\ndata: {json.dumps(end)}\n\n")
    return "".join(out).encode()


def serve(events: int) -> None:
    """The child process: print the port, then serve until killed."""
    body = corpus(events)
    empty = b'{"data": [], "next_page": null}'

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            stream = self.path.split("?")[0].endswith("/stream")
            payload = body if stream else empty
            self.send_response(200)
            kind = "text/event-stream" if stream else "application/json"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            view = memoryview(payload)
            for start in range(0, len(view), 65536):
                self.wfile.write(view[start : start + 65536])

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


@contextlib.contextmanager
def server(events: int) -> Iterator[str]:
    """Run `serve` in a child process; yield its base URL; stop it (by PID)."""
    code = f"from bench.platform_managed_agents import serve; serve({events})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield f"http://127.0.0.1:{proc.stdout.readline().strip()}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def contenders(url: str, events: int) -> list[tuple[str, Callable[[], object]]]:
    import anthropic

    from agentstream.providers.managed_agents import AsyncManagedAgents, ManagedAgents

    ours = ManagedAgents(api_key="k", base_url=url)
    theirs = anthropic.Anthropic(api_key="k", base_url=url, max_retries=0)
    loop = asyncio.new_event_loop()

    def agentstream_sync() -> None:
        with ours.sessions.events.stream(SESSION) as stream:
            count = sum(1 for _ in stream)
        assert count == events + 1 and stream.transcript.usage is not None

    async def consume() -> int:
        async with AsyncManagedAgents(api_key="k", base_url=url) as client:
            stream = await client.sessions.events.stream(SESSION)
            async with stream:
                return sum([1 async for _ in stream])

    def agentstream_async() -> None:
        assert loop.run_until_complete(consume()) == events + 1

    def anthropic_sdk() -> None:
        with theirs.beta.sessions.events.stream(SESSION) as stream:
            count = sum(1 for _ in stream)
        assert count == events + 1

    return [
        ("anthropic SDK (sync)", anthropic_sdk),
        ("agentstream sync", agentstream_sync),
        ("agentstream async", agentstream_async),
    ]


def _with_cpu(fn: Callable[[], object], into: list[float]) -> Callable[[], object]:
    def timed() -> object:
        start = time.process_time()
        result = fn()
        into.append(time.process_time() - start)
        return result

    return timed


def run(events: int, rounds: int) -> Section:
    """Events/s and CPU per event of each contender, paired against the SDK."""
    with server(events) as url:
        plain = contenders(url, events)
        cpu: dict[str, list[float]] = {name: [] for name, _ in plain}
        timed = [(name, _with_cpu(fn, cpu[name])) for name, fn in plain]
        for _, fn in timed:  # warm up: imports, connections, the generated types
            fn()
        for samples in cpu.values():
            samples.clear()
        reference = plain[0][0]
        timings = interleaved(timed, reference, rounds)
    rows = []
    for name, _ in plain:
        seconds = timings.median(name)
        speedup = 1 / timings.ratio(name)
        rows.append(
            [
                name,
                f"{events / seconds:,.0f}",
                f"{statistics.median(cpu[name]) / events * 1e6:.1f} µs",
                fmt_ratio(speedup),
            ]
        )
    best = max(1 / timings.ratio(name) for name, _ in plain[1:])
    worst = min(1 / timings.ratio(name) for name, _ in plain[1:])
    verdict = "met" if worst >= GOAL else "not met"
    return Section(
        title="Claude Managed Agents: a long session stream",
        text=(
            f"{events:,} events per stream over loopback (server in a child process), "
            f"{rounds} paired rounds; medians. agentstream decodes every event into its "
            "generated class and folds it into the transcript; the SDK builds pydantic "
            "models."
        ),
        headers=["client", "events/s", "CPU per event", "events/s vs SDK"],
        rows=rows,
        notes=[
            f"Goal: at least {GOAL:g}\u00d7 the SDK's events/s, sync and async: {verdict} "
            f"({fmt_ratio(worst)} to {fmt_ratio(best)}).",
            "Ratios are medians of per-round pairs (each run back to back with the SDK).",
        ],
    )


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    r = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(run(n, r).markdown())
