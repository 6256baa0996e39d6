"""Paired timing: every contender runs back to back with the reference, once per round,
in a rotating order; each ratio to the reference is taken within its pair before the
median.

On a shared 2-core machine absolute times drift from minute to minute; a ratio measured
back to back does not, which is why the tables report medians of paired ratios next to
median times. Within a round a short pass is repeated and its
fastest run kept (``best``): other work on the machine only ever adds time, so the
fastest run is the one it disturbed least.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType


class TimeLimit(Exception):
    """A run went past its time limit (see ``time_limit``)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimit in the block after `seconds` (main thread only; SIGALRM)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeLimit(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def once(fn: Callable[[], object]) -> float:
    """Seconds for one call of `fn`, after a full collection so no earlier garbage is
    collected on its time. What survives it is frozen (moved out of the collector's
    generations): the peers' imports alone are ~240k objects, which made every full
    collection ~150 ms and would make every later collection rescan them."""
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best(fn: Callable[[], object], budget: float = 0.05, most: int = 3) -> float:
    """The fastest of up to `most` calls of `fn`, repeated while the calls so far took
    under `budget` seconds in all: a pass longer than the budget runs once."""
    fastest = spent = once(fn)
    for _ in range(most - 1):
        if spent >= budget:
            break
        seconds = once(fn)
        spent += seconds
        fastest = min(fastest, seconds)
    return fastest


@dataclass
class Timings:
    """Seconds per run of each contender, and of the reference run next to it."""

    reference: str
    seconds: dict[str, list[float]] = field(default_factory=dict)
    #: For each contender, the reference's time in the pair next to each of its runs.
    paired: dict[str, list[float]] = field(default_factory=dict)

    def median(self, name: str) -> float:
        return statistics.median(self.seconds[name])

    def ratio(self, name: str) -> float:
        """Median over pairs of (name's time / the reference's time next to it)."""
        if name == self.reference:
            return 1.0
        pairs = zip(self.seconds[name], self.paired[name], strict=True)
        return statistics.median(t / r for t, r in pairs)


def interleaved(
    contenders: Sequence[tuple[str, Callable[[], object]]],
    reference: str,
    rounds: int,
    more: Mapping[str, int] | None = None,
) -> Timings:
    """Time every contender against the reference in pairs run back to back (each side
    its best of a few runs when short, see ``best``), alternating which side goes first
    and rotating the contenders' order each round. A ratio taken within a pair sees the
    machine in one state; a round of ten contenders takes long enough for it to change.
    `more` gives some contenders more rounds (the ones a target is judged on, say)."""
    result = Timings(reference, {name: [] for name, _ in contenders})
    ref = dict(contenders)[reference]
    others = [(name, fn) for name, fn in contenders if name != reference]
    wanted = {name: max(rounds, (more or {}).get(name, rounds)) for name, _ in others}
    for r in range(max(wanted.values(), default=0)):
        shift = r % len(others)
        for i, (name, fn) in enumerate([*others[shift:], *others[:shift]]):
            if r >= wanted[name]:
                continue
            if (r + i) % 2:
                mine, theirs = best(fn), best(ref)
            else:
                theirs, mine = best(ref), best(fn)
            result.seconds[name].append(mine)
            result.paired.setdefault(name, []).append(theirs)
            result.seconds[reference].append(theirs)
    return result


def fmt_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.2f}\u00d7"
