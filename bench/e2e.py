"""End to end over loopback: a server process (``bench.server``) and one client process
per measurement (``bench.measure``), all on 127.0.0.1, all started and stopped here.

Every client is measured with each JSON parser (``[json]`` and ``[orjson]`` rows, see
``bench.clients``); the server writes one SSE event per HTTP chunk, and the throughput
run is repeated in 64 KiB chunks as a second line."""

from __future__ import annotations

import contextlib
import json
import statistics
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from bench.child import child_server
from bench.clients import ASYNC, PARSERS, SYNC, label
from bench.e2e_latency import decide, latency
from bench.peers import PEERS, unavailable
from bench.report import Section

_MISSING = {p.name for p in PEERS if unavailable(p)}
CHUNKINGS = {"stream": "", "stream64k": " \u00b7 64 KiB chunks"}  # the run, its row suffix


@dataclass
class E2EConfig:
    events: int  # corpus events streamed per throughput run
    rounds: int
    paced: int  # events sent one per millisecond for the latency runs
    latency_runs: int  # latency runs per client process and parser
    decider_paced: int  # events per latency run when agentstream meets the best peer
    decider_runs: int  # client processes each for that, alternating (2 runs each)
    streams: int  # concurrent async streams
    many_events: int  # events per stream in that run, sent back to back
    many_runs: int  # runs of it per library, alternating
    many_libs: tuple[str, ...]
    gigabyte: bool  # the 1 GB flat-memory run
    timeout: float  # seconds one client process may take
    many_parser: str = "json"  # every library of the many-streams run parses alike
    leave_out: tuple[str, ...] = ()  # libraries not run end to end (quick mode)


def server(events: int) -> contextlib.AbstractContextManager[str]:
    """Run ``bench.server`` in a child process; yield its base URL; stop it (by PID)."""
    return child_server("bench.server", [str(events)])


def client(args: list[str], timeout: float) -> dict[str, Any]:
    """One measurement in a fresh process; {"error": ...} if it failed."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.measure", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:g} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": last[:100]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _clients(leave_out: tuple[str, ...]) -> list[str]:
    names = [f"sync:{n}" for n in SYNC if n not in _MISSING]
    names += [f"async:{n}" for n in ASYNC if n not in _MISSING]
    return [n for n in names if n.partition(":")[2] not in leave_out]


def _rounds(url: str, cfg: E2EConfig) -> dict[str, list[dict[str, Any]]]:
    """Every client once per round (rotating order), each in a fresh process that
    measures it with both parsers (their order alternating), keyed by row label."""
    names = _clients(cfg.leave_out)
    results: dict[str, list[dict[str, Any]]] = {label(n, p): [] for n in names for p in PARSERS}
    for r in range(cfg.rounds):
        shift = r % len(names)
        for i, name in enumerate(names[shift:] + names[:shift]):
            parsers = PARSERS if (r + i) % 2 == 0 else PARSERS[::-1]
            args = [name, url, "e2e", str(cfg.paced), str(cfg.latency_runs), ",".join(parsers)]
            run = client(args, cfg.timeout * len(parsers))
            for parser in PARSERS:
                results[label(name, parser)].append(run.get(parser) or {"error": run["error"]})
    return results


def _failed(runs: list[dict[str, Any]]) -> str | None:
    return next((str(run["error"]) for run in runs if "error" in run), None)


def _span(values: list[float], fmt: str) -> str:
    return f"{min(values):{fmt}} - {max(values):{fmt}}"


def _mine(name: str) -> str:
    """The agentstream row `name` is compared with: same mode, same parser."""
    mode, _, rest = name.partition(":")
    return f"{mode}:agentstream [{rest.partition(' [')[2]}"


def throughput(
    results: dict[str, list[dict[str, Any]]], cfg: E2EConfig, expected: int
) -> tuple[Section, dict[str, dict[str, list[float]]]]:
    rows: list[list[str]] = []
    found: dict[str, dict[str, list[float]]] = {}
    for mode in ("sync", "async"):
        for run_key, suffix in CHUNKINGS.items():
            for name, runs in results.items():
                if not name.startswith(f"{mode}:"):
                    continue
                base = results[_mine(name)]
                problem = _failed(runs) or (_failed(base) and "agentstream failed")
                if problem:
                    rows.append([name + suffix, problem, "", "", "", "", "", ""])
                    continue
                streams = [run[run_key] for run in runs]
                rates = [s["rate"] for s in streams]
                paired = [
                    s["rate"] / b[run_key]["rate"] for s, b in zip(streams, base, strict=True)
                ]
                found[name + suffix] = {"rates": rates, "ratios": paired}
                events = statistics.median(s["events"] for s in streams)
                note = "" if events == expected else f" ({events:,.0f} events)"
                peak = statistics.median(s["rss_peak_kb"] for s in streams)
                growth = statistics.median(s["rss_peak_kb"] - s["rss_base_kb"] for s in streams)
                rows.append(
                    [
                        name + suffix + note,
                        f"{statistics.median(rates):,.0f}",
                        _span(rates, ",.0f"),
                        f"{statistics.median(paired):.2f}\u00d7",
                        f"{statistics.median(s['first'] for s in streams) * 1e3:.1f}",
                        f"{statistics.median(s['cpu'] for s in streams):.2f}",
                        f"{peak / 1024:.0f}",
                        f"{growth / 1024:.1f}",
                    ]
                )
    text = (
        f"The agent corpus ({expected:,} events) streamed by the local server with one SSE"
        " event per HTTP chunk, each chunk written and drained on its own as a server does"
        " when events happen (chunked transfer encoding); the lines marked 64 KiB chunks"
        " read the same bytes cut into 64 KiB chunks. Each client parses every event's"
        " JSON with the parser in brackets: `[json]` is `json.loads(data)` (what httpx-sse's"
        " and the Stainless SDKs' `.json()` do), `[orjson]` is `orjson.loads(data)`"
        " (agentstream's own `event.json()`). One process per client and round measures"
        " both parsers, after a short warm-up stream. The timed window runs from just"
        " before the connection (the client's HTTP client or session already made) to the"
        " last event, so it holds the connection, the request, the response head and every"
        " event; events/s is the events over it; first event ms is the part of it up to"
        " the first event; CPU s covers the whole run, setup and teardown too. Medians of"
        f" {cfg.rounds} interleaved rounds and their range; the ratio is the median of the"
        " rounds' events/s relative to agentstream with the same parser, mode and chunking"
        " in the same round, above 1\u00d7 is faster. RSS growth: peak RSS of the run less"
        " the RSS before it."
    )
    if cfg.leave_out:
        text += f" Left out in this mode: {', '.join(cfg.leave_out)} (`--full` runs it)."
    headers = [
        "client [JSON parser]", "events/s", "events/s range", "vs agentstream",
        "first event ms", "CPU s", "peak RSS MiB", "RSS growth MiB",
    ]  # fmt: skip
    return Section("End to end: throughput over loopback", text, headers, rows), found


def many(url: str, cfg: E2EConfig) -> tuple[Section, dict[str, dict[str, list[float]]]]:
    """`cfg.streams` concurrent streams per run, `cfg.many_runs` runs per library with
    the libraries alternating; each library's walls and kB (1,000 B) of RSS per stream."""
    rows: list[list[str]] = []
    libs = [lib for lib in cfg.many_libs if lib not in _MISSING]
    runs: dict[str, list[dict[str, Any]]] = {lib: [] for lib in libs}
    target = f"{url}/paced?count={cfg.many_events}&ms=0"
    for r in range(cfg.many_runs):
        for lib in libs if r % 2 == 0 else libs[::-1]:
            name = f"{lib} [{cfg.many_parser}]"
            runs[lib].append(client([name, target, "many", str(cfg.streams)], 300))
    found: dict[str, dict[str, list[float]]] = {}
    for lib, got in runs.items():
        name = f"{lib} [{cfg.many_parser}]"
        problem = _failed(got)
        if problem:
            rows.append([name, problem, "", "", "", "", ""])
            continue
        walls = [run["wall"] for run in got]
        kb = [(run["rss_peak_kb"] - run["rss_base_kb"]) * 1.024 / cfg.streams for run in got]
        found[lib] = {"walls": walls, "kb": kb}
        rows.append(
            [
                name,
                f"{statistics.median(run['events'] for run in got):,.0f}",
                f"{statistics.median(walls):.2f}",
                _span(walls, ".2f"),
                f"{statistics.median(run['rss_peak_kb'] for run in got) / 1024:.0f}",
                f"{statistics.median(kb):.0f}",
                _span(kb, ".0f"),
            ]
        )
    text = (
        f"{cfg.streams:,} concurrent async streams in one process and one event loop,"
        f" sharing one HTTP client or session (connection limit off); each stream gets"
        f" {cfg.many_events} events back to back, one per HTTP chunk, and parses each"
        f" one's JSON (`{cfg.many_parser}.loads`). Wall s covers the connections and every"
        f" event of every stream. Medians of {cfg.many_runs} runs per library (the"
        " libraries alternating) and their range. RSS per stream: (peak RSS - RSS after"
        " imports) / streams, in kB (1,000 bytes)."
    )
    headers = [
        "library [JSON parser]", "events", "wall s", "wall range s", "peak RSS MiB",
        "kB per stream", "kB range",
    ]  # fmt: skip
    return Section("Scale: concurrent async streams", text, headers, rows), found


def gigabyte(url: str) -> Section:
    size = 1_000_000_000
    run = client(["sync:agentstream [orjson]", f"{url}/bulk?bytes={size}", "flat", "0"], 900)
    if "error" in run:
        return Section("Scale: a 1 GB stream", f"failed: {run['error']}")
    samples = run["samples"]
    first = samples[len(samples) // 20][1] if samples else 0
    last = max(kb for _, kb in samples) if samples else 0
    text = (
        f"agentstream's sync EventSource reads {size / 1e9:.0f} GB of the agent corpus in"
        f" 64 KiB chunks ({run['events']:,} events, {size / run['wall'] / 1e6:.0f} MB/s) and"
        f" parses every event (`event.json()`); RSS sampled every 50,000 events:"
        f" {first / 1024:.1f} MiB after 5% of the stream, at most {last / 1024:.1f} MiB"
        f" later (peak {run['rss_peak_kb'] / 1024:.1f} MiB)."
    )
    return Section("Scale: a 1 GB stream", text)


def run(cfg: E2EConfig, expected: int) -> tuple[list[Section], dict[str, Any]]:
    measured: dict[str, Any] = {}
    with server(cfg.events) as url:
        results = _rounds(url, cfg)
        section, measured["throughput"] = throughput(results, cfg, expected)
        sections = [section]
        section, p99 = latency(results, cfg.paced, cfg.latency_runs, cfg.rounds)
        sections.append(section)
        section, measured["decider"] = decide(
            url, p99, cfg.decider_paced, cfg.decider_runs, cfg.timeout, client
        )
        sections.append(section)
        section, measured["many"] = many(url, cfg)
        sections.append(section)
        if cfg.gigabyte:
            sections.append(gigabyte(url))
    measured["streams"] = cfg.streams
    return sections, measured
