"""shipit end to end: one long run streamed by the real shipit-agent ``AgentServer``,
read by agentstream (sync and async: typed events and the transcript) and by httpx-sse
plus ``json.loads`` (how a shipit user reads ``/v1/stream`` today, shipit having no
client), in one run.

The server (this module with ``serve``, in a child process so that its CPU is not the
clients') is agentstream's ``ShipitServer``: shipit's own request handler and runtime,
with a ``ScriptedLLM`` that says a long answer in token-sized pieces, so a run is about
`events` ``text_delta`` frames between ``run_started`` and ``run_completed``. Every POST
is a new run: the server's runtime works as hard for each client. Per round every client
runs once, in a rotating order; the ratio is taken within the round (agentstream's
events/s over httpx-sse's), and the table shows medians over rounds.

    python -m bench.platform_shipit            # the section's markdown
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import orjson

from bench.child import child_server
from bench.report import Section, version
from bench.timing import fmt_ratio

PROMPT = "Write the long report."


# -- the server ------------------------------------------------------------------------


def answer(events: int) -> str:
    """A text whose run is about `events` frames: shipit's runtime sends two frames per
    piece ScriptedLLM streams, and a piece is two of these words."""
    return "".join(f"w{n:06d} x{n:06d} " for n in range(max(1, events // 2)))


def serve(events: int) -> None:
    """Serve shipit's AgentServer on 127.0.0.1 (a free port, printed) until stdin closes."""
    from agentstream.testing import say
    from agentstream.testing.shipit import ScriptedLLM, ShipitServer

    with ShipitServer(llm=ScriptedLLM([say(answer(events))])) as server:
        print(server.port, flush=True)
        sys.stdin.read()


def server(events: int) -> AbstractContextManager[str]:
    """Run the server in a child process; yield its base URL; stop it (by PID)."""
    return child_server("bench.platform_shipit", ["serve", str(events)], stop_within=10)


# -- the clients: each returns the frames it read after the hello, done included --------


def agentstream_sync(url: str) -> int:
    from agentstream.providers.shipit import Shipit

    client = Shipit(base_url=url)
    try:
        with client.stream(prompt=PROMPT) as stream:
            for _ in stream:
                pass
        assert stream.text and stream.transcript.done
        return stream.delivered
    finally:
        client.close()


def agentstream_async(url: str) -> int:
    from agentstream.providers.shipit import AsyncShipit

    async def main() -> int:
        async with AsyncShipit(base_url=url) as client:
            async with client.stream(prompt=PROMPT) as stream:
                async for _ in stream:
                    pass
            assert stream.text and stream.transcript.done
            return stream.delivered

    return asyncio.run(main())


def httpx_sse_json(url: str, loads: Callable[[str], Any] = json.loads) -> int:
    """What a shipit user writes today: httpx-sse, and each frame's JSON parsed."""
    import httpx
    from httpx_sse import EventSource

    count = 0
    text = []
    with (
        httpx.Client(timeout=60) as client,
        client.stream("POST", url + "/v1/stream", json={"prompt": PROMPT}) as response,
    ):
        for sse in EventSource(response).iter_sse():
            if sse.event == "done":
                count += 1
                break
            frame = loads(sse.data)
            if frame["type"] == "stream_hello":
                continue
            count += 1
            if frame["type"] == "text_delta":
                text.append(frame["payload"]["chunk"])
    assert text
    return count


CLIENTS: dict[str, Callable[[str], int]] = {
    "agentstream (sync, typed + transcript)": agentstream_sync,
    "agentstream (async, typed + transcript)": agentstream_async,
    "httpx-sse + json (sync, dicts)": httpx_sse_json,
    # agentstream parses with orjson: the same parser on the peer, for a like-for-like row.
    "httpx-sse + orjson (sync, dicts)": lambda url: httpx_sse_json(url, orjson.loads),
}
PEER = "httpx-sse + json (sync, dicts)"


def _measure(fn: Callable[[str], int], url: str) -> tuple[int, float, float]:
    """(frames read, events/s, client CPU µs per event) of one run read whole."""
    wall, cpu = time.perf_counter(), time.process_time()
    got = fn(url)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return got, got / wall, cpu / got * 1e6


def run(events: int, rounds: int) -> Section:
    """The shipit section: medians over `rounds` of events/s, client CPU per event, and
    the paired ratio to httpx-sse + json."""
    names = list(CLIENTS)
    eps: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    ratios: dict[str, list[float]] = {n: [] for n in names}
    counts: set[int] = set()
    with server(events) as url:
        for fn in CLIENTS.values():
            _measure(fn, url)  # warm up: imports, the first run
        for r in range(rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            got = {name: _measure(CLIENTS[name], url) for name in order}
            counts.update(g[0] for g in got.values())
            for name in names:
                eps[name].append(got[name][1])
                cpu[name].append(got[name][2])
                ratios[name].append(got[name][1] / got[PEER][1])
    if len(counts) != 1:
        raise RuntimeError(f"the clients read different numbers of frames: {sorted(counts)}")
    rows = [
        [
            name,
            f"{statistics.median(eps[name]):,.0f}",
            f"{statistics.median(cpu[name]):.1f}",
            fmt_ratio(statistics.median(ratios[name])),
        ]
        for name in names
    ]
    return Section(
        title="shipit: one run from the real AgentServer, end to end",
        text=(
            f"shipit-agent {version('shipit-agent')}'s `AgentServer` on loopback (a child "
            f"process), one run of {counts.pop():,} frames per read (`text_delta` pieces "
            f"between `run_started` and `run_completed`, then `done`), a new run for every "
            f"read; medians of {rounds} rounds, the ratio taken within each round. "
            f"httpx-sse {version('httpx-sse')}. The server's runtime does most of the "
            f"work, so the ratio mostly shows whether the client keeps up; the CPU column "
            f"is the client's own. The run is short because shipit's runtime takes time "
            f"quadratic in a run's length (2x the frames, ~4x the time)."
        ),
        headers=["client", "events/s", "client CPU µs/event", "vs httpx-sse + json"],
        rows=rows,
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(int(sys.argv[2]))
    else:
        print(run(events=400, rounds=5).markdown())
