"""Parse-only: each corpus in three chunkings into every library; first checked against
the spec oracle (``tests/sse_oracle.py``), then timed interleaved with the two floors."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tests.sse_oracle import oracle

from bench import corpus, peers
from bench.report import Section
from bench.timing import TimeLimit, fmt_ratio, fmt_seconds, interleaved, time_limit

Key = peers.Key


@dataclass
class Check:
    """How one library did on one (corpus, chunking): its differences from the oracle."""

    differences: list[str]
    seconds: float
    completed: bool  # it ran to the end (an error or the time limit stops it)


def expected_events(data: bytes) -> list[Key]:
    return [(str(e[1]), str(e[2]), str(e[3])) for e in oracle(data).events]


def _short(key: Key) -> str:
    event, data, id = key
    data = data if len(data) <= 40 else data[:37] + "..."
    return f"({event!r}, {data!r}, id={id!r})"


def differences(expected: list[Key], got: list[Key]) -> list[str]:
    """What separates `got` from the oracle's `expected`, in a few lines."""
    if got == expected:
        return []
    extra = Counter(got) - Counter(expected)
    missing = Counter(expected) - Counter(got)
    if not extra and not missing:
        return ["the right events in the wrong order"]
    out: list[str] = (
        [f"{len(got)} events instead of {len(expected)}"] if len(got) != len(expected) else []
    )
    by_data: dict[str, Key] = {key[1]: key for key in missing}
    kinds: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for key, count in extra.items():
        twin = by_data.get(key[1])
        if twin is not None:
            kind = "events with " + ("another id" if twin[0] == key[0] else "another type")
            example = f"{_short(key)} for {_short(twin)}"
        elif key[1] == "":
            kind = "events with empty data (from blocks without a data line)"
            example = _short(key)
        else:
            kind = "events whose data is not in the oracle's"
            example = _short(key)
        kinds[kind] += count
        examples.setdefault(kind, example)
    out += [f"{n} {kind}, e.g. {examples[kind]}" for kind, n in kinds.most_common()]
    unmatched = sum(n for key, n in missing.items() if key[1] not in {k[1] for k in extra})
    if unmatched:
        out.append(f"{unmatched} oracle events missing")
    return out


def check(peer: peers.Peer, chunks: list[bytes], expected: list[Key], limit: float) -> Check:
    start = time.perf_counter()
    got: list[Key] = []
    try:
        with time_limit(limit):
            got.extend(peer.events(chunks))
    except TimeLimit:
        return Check([f"stopped after {limit:g} s ({len(got)} events so far)"], limit, False)
    except Exception as exc:
        why = f"{type(exc).__name__}: {' '.join(str(exc).split())[:90]}"
        return Check([f"raised {why} after {len(got)} events"], time.perf_counter() - start, False)
    return Check(differences(expected, got), time.perf_counter() - start, True)


@dataclass
class ParseConfig:
    agent_events: int
    big_size: int
    rounds: int
    check_limit: float  # seconds a library may take over one corpus and chunking
    slow: float  # slower than this in the check: timed by the check alone (1 run)
    floor_rounds: int  # pairs with each floor (the parse target is judged on them)


def corpora(cfg: ParseConfig) -> dict[str, bytes]:
    return {
        "agent": corpus.agent(cfg.agent_events),
        "agent CRLF": corpus.agent_crlf(cfg.agent_events),
        "big": corpus.big(cfg.big_size),
    }


def _guarded(peer: peers.Peer, chunks: list[bytes], failed: dict[str, str]) -> Callable[[], None]:
    """`peer`'s timed run; an exception (JSON that a wrong split broke) is noted instead."""

    def run() -> None:
        try:
            peer.run(chunks)
        except Exception as exc:
            failed[peer.name] = f"{type(exc).__name__} in its events' JSON"

    return run


def _cell(
    name: str, chunking: str, checks: dict[tuple[str, str], Check], times: dict[str, str]
) -> str:
    found = checks.get((name, chunking))
    if found is not None and not found.completed:
        first = found.differences[0]  # "stopped after N s (...)" or "raised X: ..."
        if first.startswith("stopped"):
            return "did not finish in " + first.split("after ")[1].split(" (")[0]
        return first.split(":")[0]
    cell = times.get(f"{name}/{chunking}", "—")
    return cell + (" ✗" if found is not None and found.differences else "")


def run(
    cfg: ParseConfig, only: Iterable[str] = ()
) -> tuple[list[Section], dict[str, float], set[str]]:
    """Check and time every library on every corpus; return the sections, the ratios
    the targets are judged on (``"<peer>/<corpus>/<chunking>"`` -> time / agentstream's)
    and which of those keys had output identical to the oracle's."""
    correct: set[str] = set()
    available = [p for p in peers.PEERS if peers.unavailable(p) is None]
    contenders = [p for p in available if not only or p.name in only]
    sections: list[Section] = []
    ratios: dict[str, float] = {}
    notes: dict[tuple[str, str], set[str]] = {}
    for corpus_name, data in corpora(cfg).items():
        expected = expected_events(data)
        checks: dict[tuple[str, str], Check] = {}
        times: dict[str, str] = {}
        for chunking, cut in corpus.CHUNKINGS.items():
            chunks = cut(data)
            for peer in contenders:
                result = check(peer, chunks, expected, cfg.check_limit)
                checks[peer.name, chunking] = result
                for line in result.differences:
                    notes.setdefault((peer.name, f"{corpus_name}: {line}"), set()).add(chunking)
            runnable = [p for p in contenders if checks[p.name, chunking].completed]
            slow = [
                p
                for p in runnable
                if checks[p.name, chunking].seconds > cfg.slow and p.name != "agentstream"
            ]
            runnable = [p for p in runnable if p not in slow]
            runnable += peers.FLOORS
            failed: dict[str, str] = {}
            timed = interleaved(
                [(p.name, _guarded(p, chunks, failed)) for p in runnable],
                "agentstream",
                cfg.rounds,
                {p.name: cfg.floor_rounds for p in peers.FLOORS},
            )
            for p in slow:  # timed once, by the check (without JSON): a lower bound
                seconds = checks[p.name, chunking].seconds
                ratio = seconds / timed.median("agentstream")
                ratios[f"{p.name}/{corpus_name}/{chunking}"] = ratio
                if not checks[p.name, chunking].differences:
                    correct.add(f"{p.name}/{corpus_name}/{chunking}")
                times[f"{p.name}/{chunking}"] = (
                    f"≥ {fmt_seconds(seconds)} (≥ {fmt_ratio(ratio)}, 1 run)"
                )
            for p in runnable:
                if p.name in failed:
                    times[f"{p.name}/{chunking}"] = failed[p.name]
                    continue
                ratio = timed.ratio(p.name)
                ratios[f"{p.name}/{corpus_name}/{chunking}"] = ratio
                if not checks.get((p.name, chunking), Check([], 0, True)).differences:
                    correct.add(f"{p.name}/{corpus_name}/{chunking}")
                times[f"{p.name}/{chunking}"] = (
                    f"{fmt_seconds(timed.median(p.name))} ({fmt_ratio(ratio)})"
                )
            del chunks
        names = [p.name for p in contenders] + [p.name for p in peers.FLOORS]
        rows = [[n] + [_cell(n, c, checks, times) for c in corpus.CHUNKINGS] for n in names]
        size = f"{len(data) / 1e6:.1f} MB, {len(expected):,} events"
        sections.append(
            Section(
                f"Parse + JSON: {corpus_name} ({size})",
                "Median over rounds of the time per pass over the corpus (in each round"
                " the fastest of up to 3 passes when they are short), and in brackets the"
                " median of the ratios to agentstream's pass run back to back with it"
                f" (below 1\u00d7 is faster than agentstream); {cfg.rounds} pairs per"
                f" library, {cfg.floor_rounds} with each floor."
                " ✗: the library's events differ from the spec oracle's (see"
                f" Correctness). ≥: slower than {cfg.slow:g} s in the correctness pass, so"
                " timed by that one pass (events only, no JSON).",
                ["library", *corpus.CHUNKINGS],
                rows,
            )
        )
    sections.insert(0, _correctness(contenders, notes))
    return sections, ratios, correct


def _correctness(contenders: list[peers.Peer], notes: dict[tuple[str, str], set[str]]) -> Section:
    order = list(corpus.CHUNKINGS)
    rows: list[list[str]] = []
    for peer in contenders:
        found = [
            (line, sorted(c, key=order.index)) for (n, line), c in notes.items() if n == peer.name
        ]
        if not found:
            rows.append([peer.name, "identical to the oracle on every corpus and chunking"])
        for line, chunkings in found:
            where = "all chunkings" if len(chunkings) == len(order) else ", ".join(chunkings)
            rows.append([peer.name, f"{line} [{where}]"])
    missing = [f"{p.name}: {peers.unavailable(p)}" for p in peers.PEERS if peers.unavailable(p)]
    return Section(
        "Correctness on the corpora",
        "Every library's events (type, data, last event id) compared with the slow,"
        " literal WHATWG oracle in `tests/sse_oracle.py`, for every corpus and chunking.",
        ["library", "difference from the oracle [chunkings]"],
        rows,
        [f"not benchmarked: {m}" for m in missing],
    )
