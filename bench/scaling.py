"""Scaling: one event of 0.06 to 5 MB (a JSON document over 8 KB ``data:`` lines), in
tiny (1-7 B) and 64 KiB chunks. Linear cost means time / size stays flat; the table
gives the 5 MB time over the 0.5 MB time (10 is linear)."""

from __future__ import annotations

from collections.abc import Callable

from bench import corpus, peers
from bench.report import Section
from bench.timing import TimeLimit, best, fmt_seconds, time_limit

MB = 1_000_000
CHUNKINGS: dict[str, Callable[[bytes], list[bytes]]] = {
    "1-7 B": corpus.random_small,
    "64 KiB": lambda data: corpus.fixed(data, 64 * 1024),
}


def run(
    sizes: list[float], names: list[str], rounds: int, limit: float
) -> tuple[Section, dict[str, float]]:
    contenders = [p for p in peers.PEERS + peers.FLOORS if p.name in names]
    contenders = [p for p in contenders if peers.unavailable(p) is None]
    rows: list[list[str]] = []
    growth: dict[str, float] = {}
    for chunking, cut in CHUNKINGS.items():
        seconds: dict[str, dict[float, float]] = {p.name: {} for p in contenders}
        alive = list(contenders)
        for size in sizes:
            chunks = cut(corpus.big_event(int(size * MB), 8 * 1024))
            runs: dict[str, list[float]] = {p.name: [] for p in alive}
            for r in range(rounds):
                for peer in alive[r % len(alive) :] + alive[: r % len(alive)]:
                    if peer.name not in runs:
                        continue
                    try:
                        with time_limit(limit):
                            runs[peer.name].append(best(lambda p=peer, c=chunks: p.run(c)))  # type: ignore[misc]
                    except TimeLimit:
                        del runs[peer.name]  # too slow at this size: drop it from here on
            alive = [p for p in alive if p.name in runs]
            for name, times in runs.items():
                seconds[name][size] = min(times)  # the least disturbed: see the text
        for peer in contenders:
            got = seconds[peer.name]
            cells = [fmt_seconds(got[s]) if s in got else f"> {limit:g} s" for s in sizes]
            if 0.5 in got and 5 in got:
                growth[f"{peer.name}/{chunking}"] = got[5] / got[0.5]
                cells.append(f"{got[5] / got[0.5]:.1f}")
            else:
                cells.append("—")
            rows.append([f"{peer.name}, {chunking}", *cells])
    headers = ["library, chunks", *[f"{s:g} MB" for s in sizes], "5 MB / 0.5 MB"]
    text = (
        "One event of each size, parsed with its JSON; the fastest run of interleaved"
        " rounds (growth is a property of the code; other work on the machine only adds"
        " time, so the fastest run is the one it disturbed least). 5 MB no longer fits"
        " the CPU's L2 cache as 0.5 MB does, which costs every library a little more per"
        " byte, the floor included."
        " Linear growth gives 10 in the last column; a library still running after"
        f" {limit:g} s at one size is not tried at larger ones."
    )
    return Section("Scaling: one big event", text, headers, rows), growth
