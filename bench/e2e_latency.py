"""End to end added latency: the paced runs of the e2e rounds, and the deciding runs
(agentstream and the best peer measured again, alternately, with more events)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from bench.report import Section

Client = Callable[[list[str], float], dict[str, Any]]


def percentiles(series: list[list[float]]) -> tuple[list[float], list[float]]:
    """Each run's p50 and p99 (the runs' latencies sorted)."""
    p50s = [statistics.median(s) for s in series]
    p99s = [s[min(len(s) - 1, int(len(s) * 0.99))] for s in series]
    return p50s, p99s


def latency(
    results: dict[str, list[dict[str, Any]]], paced: int, runs_each: int, rounds: int
) -> tuple[Section, dict[str, float]]:
    """The table of the rounds' paced runs; each row's median p99."""
    rows: list[list[str]] = []
    p99: dict[str, float] = {}
    for name, runs in results.items():
        problem = next((str(run["error"]) for run in runs if "error" in run), None)
        series = [sorted(s) for run in runs if "latency" in run for s in run["latency"] if s]
        if problem or not series:
            rows.append([name, problem or "no latencies", "", "", ""])
            continue
        p50s, p99s = percentiles(series)
        p99[name] = statistics.median(p99s)
        cells = [f"{statistics.median(p50s):.3f}", f"{p99[name]:.3f}"]
        rows.append([name, *cells, f"{min(p99s):.3f} - {max(p99s):.3f}", str(len(series))])
    text = (
        f"The server sends {paced:,} events, one per millisecond and one per HTTP chunk,"
        " each carrying its send time; the client subtracts it from the time its JSON was"
        " parsed (with the parser in brackets; one monotonic clock on the machine). Each"
        f" client process makes {runs_each} such run(s) per parser, in each of {rounds}"
        " rounds (the first 5% of each dropped as warm-up); the table gives the medians"
        " over all runs of each run's p50 and p99, and the range of the p99s, which shows"
        " how much of it is this shared machine's noise."
    )
    headers = ["client [JSON parser]", "p50 ms", "p99 ms", "p99 range ms", "runs"]
    return Section("End to end: added latency", text, headers, rows), p99


def decide(
    url: str, p99: dict[str, float], paced: int, processes: int, timeout: float, client: Client
) -> tuple[Section, dict[str, dict[str, list[float]]]]:
    """Measure the peer with the lowest p99 in the rounds again, per mode, and
    agentstream with the same JSON parser, with more events per run, in alternating
    processes: a p99 of a few hundred samples is a handful of the slowest events, and
    two clients measured minutes apart see a different machine. Returns each one's
    per-run p99s, agentstream's first."""
    rows: list[list[str]] = []
    found: dict[str, dict[str, list[float]]] = {}
    for mode in ("sync", "async"):
        peers = {
            k: v
            for k, v in p99.items()
            if k.startswith(f"{mode}:") and not k.startswith(f"{mode}:agentstream ")
        }
        if not peers:
            continue
        best = min(peers, key=peers.__getitem__)
        mine = f"{mode}:agentstream [{best.partition(' [')[2]}"
        if mine not in p99:
            continue
        pair = [mine, best]
        series: dict[str, list[list[float]]] = {name: [] for name in pair}
        for r in range(processes):
            for name in pair if r % 2 == 0 else pair[::-1]:
                run = client([name, url, "latency", str(paced), "2"], timeout)
                series[name] += [sorted(s) for s in run.get("latency", []) if s]
        if not all(series.values()):
            continue
        found[mode] = {}
        for name in pair:
            p50s, p99s = percentiles(series[name])
            found[mode][name] = p99s
            pooled = sorted(x for s in series[name] for x in s)
            cells = [f"{statistics.median(p50s):.3f}", f"{statistics.median(p99s):.3f}"]
            rows.append(
                [
                    name,
                    *cells,
                    f"{min(p99s):.3f} - {max(p99s):.3f}",
                    f"{pooled[int(len(pooled) * 0.99)]:.3f}",
                    str(len(p99s)),
                ]
            )
    text = (
        "The peer with the lowest p99 above, per mode, and agentstream with the same JSON"
        f" parser, measured again: {paced:,} events one per millisecond per run, two runs"
        f" per process, {processes} processes each, the two clients alternating. Medians"
        " over the runs of each run's p50 and p99, their range, and the p99 of all the"
        " runs' latencies pooled. The latency targets are judged on this table."
    )
    headers = ["client [JSON parser]", "p50 ms", "p99 ms", "p99 range ms", "pooled p99 ms", "runs"]
    return Section("End to end: added latency, the deciding runs", text, headers, rows), found
