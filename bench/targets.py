"""The issue's targets, judged on the ratios measured in this run."""

from __future__ import annotations

import statistics
from typing import Any

from bench.clients import PARSERS
from bench.corpus import CHUNKINGS
from bench.report import Section

FLOOR = "floor: split + orjson"
FEED = "agentstream feed()"


def _row(target: str, measured: str, met: bool | str) -> list[str]:
    """A target's row; `met` is True, False, or a verdict in words."""
    verdict = met if isinstance(met, str) else ("met" if met else "**missed**")
    return [target, measured, verdict]


def _parse_rows(ratios: dict[str, float], correct: set[str]) -> list[list[str]]:
    rows = []
    worst = []
    for corpus in ("agent", "agent CRLF"):
        for chunking in CHUNKINGS:
            key = f"{FLOOR}/{corpus}/{chunking}"
            if key in ratios:
                worst.append((1 / ratios[key], f"{corpus} {chunking}"))
    if worst:
        cells = ", ".join(f"{r:.2f}\u00d7 ({where})" for r, where in worst)
        rows.append(_row("Parse + JSON ≤ 1.5\u00d7 the orjson floor", cells, max(worst)[0] <= 1.5))
    pushed = [
        (ratios[f"{FEED}/{c}/{ch}"] / ratios[f"{FLOOR}/{c}/{ch}"], f"{c} {ch}")
        for c in ("agent", "agent CRLF")
        for ch in CHUNKINGS
        if f"{FEED}/{c}/{ch}" in ratios and f"{FLOOR}/{c}/{ch}" in ratios
    ]
    if pushed:  # the push API, one call per chunk: shown, not judged (see the parse text)
        cells = ", ".join(f"{r:.2f}\u00d7 ({where})" for r, where in pushed)
        rows.append(_row("(for reference) the same through `feed()` per chunk", cells, "—"))
    peers = [
        (ratio, key)
        for key, ratio in ratios.items()
        if key in correct and not key.startswith(("agentstream", "floor"))
    ]
    if peers:
        closest = sorted(peers)[:3]
        cells = "closest: " + ", ".join(f"{key} {r:.2f}\u00d7 slower" for r, key in closest)
        rows.append(_row("Ahead of every correct peer", cells, closest[0][0] > 1))
    big = [(1 / r, k) for k, r in ratios.items() if k.startswith("httpx-sse/big/")]
    if big:
        cells = ", ".join(f"{r:.2f}\u00d7 ({k.rsplit('/', 1)[1]})" for r, k in big)
        rows.append(_row("Big events ≤ 1.5\u00d7 httpx-sse", cells, max(big)[0] <= 1.5))
    return rows


def judge(mine: list[float], theirs: list[float], higher_is_better: bool) -> str:
    """met: agentstream's median is at least as good as the other's; tie: it is not, but
    the two run-to-run ranges overlap; missed: every run of agentstream is worse than
    every run of the other."""
    sign = 1 if higher_is_better else -1
    ours, other = [sign * x for x in mine], [sign * x for x in theirs]
    if statistics.median(ours) >= statistics.median(other):
        return "met"
    if max(ours) >= min(other):
        return "tie: the run-to-run ranges overlap"
    return "**missed**"


def _span(values: list[float], fmt: str, unit: str = "") -> str:
    """The median, `unit`, and the range in brackets."""
    low, high = min(values), max(values)
    return f"{statistics.median(values):{fmt}}{unit} ({low:{fmt}} - {high:{fmt}})"


PEER = "launchdarkly-eventsource"
TIMES = "\u00d7"


def _throughput_rows(mode: str, found: dict[str, dict[str, list[float]]]) -> list[list[str]]:
    """Per JSON parser: agentstream's events/s against launchdarkly-eventsource's, both
    one event per HTTP chunk and parsing alike; the fastest peer named when it is
    another one."""
    rows = []
    for parser in PARSERS:
        mine, peer = (
            found.get(f"{mode}:agentstream [{parser}]"),
            found.get(f"{mode}:{PEER} [{parser}]"),
        )
        if mine is None or peer is None:
            continue
        paired = [1 / r for r in peer["ratios"]]  # agentstream's over the peer's, per round
        cells = (
            f"events/s, median (range): agentstream {_span(mine['rates'], ',.0f')}, {PEER}"
            f" {_span(peer['rates'], ',.0f')}; agentstream at {_span(paired, '.2f', TIMES)}"
            " the peer's in the same round"
        )
        others = {
            k: statistics.median(v["rates"])
            for k, v in found.items()
            if k.startswith(f"{mode}:") and k.endswith(f" [{parser}]") and "agentstream" not in k
        }
        fastest = max(others, key=others.__getitem__, default=None)
        if fastest is not None and not fastest.startswith(f"{mode}:{PEER} "):
            cells += f"; fastest peer {fastest} {others[fastest]:,.0f}"
        verdict = judge(mine["rates"], peer["rates"], higher_is_better=True)
        target = f"E2E events/s \u2265 {PEER} ({mode}, [{parser}])"
        rows.append(_row(target, cells, verdict))
    return rows


def _latency_row(mode: str, e2e: dict[str, Any]) -> list[str] | None:
    """Judged on the deciding runs (agentstream against the best peer with the same
    parser, measured again alternately with more samples), on each run's p99."""
    decided = dict(e2e.get("decider", {}).get(mode, {}))
    mine = next((k for k in decided if k.startswith(f"{mode}:agentstream ")), None)
    if mine is None or len(decided) < 2:
        return None
    ours = decided.pop(mine)
    (name, theirs), *_ = decided.items()
    cells = (
        f"p99 ms, median (range) of the runs: {mine} {_span(ours, '.3f')},"
        f" best peer {name} {_span(theirs, '.3f')}"
    )
    verdict = judge(ours, theirs, higher_is_better=False)
    return _row(f"Added latency p99 \u2264 best peer's ({mode})", cells, verdict)


def _many_rows(e2e: dict[str, Any]) -> list[list[str]]:
    many = e2e.get("many", {})
    mine = many.get("agentstream")
    if mine is None:
        return []
    streams = f"{e2e.get('streams', 1000):,}"
    rows = []
    peer = many.get("aiohttp-sse-client")
    if peer is not None:
        cells = (
            f"wall s, median (range): agentstream {_span(mine['walls'], '.2f')},"
            f" aiohttp-sse-client {_span(peer['walls'], '.2f')}"
        )
        verdict = judge(mine["walls"], peer["walls"], higher_is_better=False)
        rows.append(_row(f"{streams} async streams faster than aiohttp-sse-client", cells, verdict))
    kb = mine["kb"]
    under: bool | str = statistics.median(kb) < 50
    if not under and min(kb) < 50:
        under = "tie: the run-to-run range reaches under 50 kB"
    cells = f"{_span(kb, '.0f')} kB per stream"
    rows.append(_row(f"{streams} async streams < 50 kB RSS per stream", cells, under))
    return rows


def summarize(measured: dict[str, Any]) -> Section:
    rows: list[list[str]] = []
    if "parse" in measured:
        rows += _parse_rows(measured["parse"], measured["correct"])
    growth = measured.get("growth", {})
    mine = {k: v for k, v in growth.items() if k.startswith("agentstream/")}
    if mine:
        cells = ", ".join(f"{v:.1f}\u00d7 ({k.split('/')[1]} chunks)" for k, v in mine.items())
        floor = growth.get(f"{FLOOR}/1-7 B")
        if floor is not None:  # 5 MB outgrows the L2 cache: the floor grows faster too
            cells += f"; the orjson floor: {floor:.1f}\u00d7 (1-7 B chunks)"
        tiny = mine.get("agentstream/1-7 B")
        linear: bool | str = "n/a" if tiny is None else tiny <= 12
        rows.append(
            _row("Big events linear: 5 MB in tiny chunks ≤ ~12\u00d7 0.5 MB", cells, linear)
        )
    for ours, theirs, most, ratio in measured.get("imports", []):
        target = f"`{ours}` ≤ {most:g}\u00d7 `{theirs}`"
        rows.append(_row(target, f"{ratio:.2f}\u00d7 (median paired ratio)", ratio <= most))
    if "typed" in measured:
        ratio = measured["typed"]
        rows.append(_row("Typed decode ≤ 2\u00d7 dict decode", f"{ratio:.2f}\u00d7", ratio <= 2))
    e2e = measured.get("e2e", {})
    for mode in ("sync", "async"):
        rows += _throughput_rows(mode, e2e.get("throughput", {}))
        row = _latency_row(mode, e2e)
        if row is not None:
            rows.append(row)
    rows += _many_rows(e2e)
    return Section(
        "Targets",
        "Each target of the issue, judged on what this run measured (see the tables below"
        " for every number). The end-to-end targets compare agentstream with a peer over"
        " the runs of this run: met when agentstream's median is at least as good, a tie"
        " when it is not but the two run-to-run ranges overlap, missed when every run of"
        " agentstream is behind every run of the peer.",
        ["target", "measured", "verdict"],
        rows,
    )
