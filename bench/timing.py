"""Interleaved timing: every contender runs once per round, in a rotating order, and each
one's ratio to the reference is taken within the same round before the median.

On a shared 2-core machine absolute times drift from minute to minute; a ratio measured
back to back in the same round does not, which is why the tables report medians of
per-round ratios next to median times.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
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
    collected on its time."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@dataclass
class Timings:
    """Seconds per round for each contender, in insertion order."""

    reference: str
    seconds: dict[str, list[float]] = field(default_factory=dict)

    def median(self, name: str) -> float:
        return statistics.median(self.seconds[name])

    def ratio(self, name: str) -> float:
        """Median over rounds of (name's time / the reference's time in that round)."""
        ref = self.seconds[self.reference]
        return statistics.median(t / r for t, r in zip(self.seconds[name], ref, strict=True))


def interleaved(
    contenders: Sequence[tuple[str, Callable[[], object]]], reference: str, rounds: int
) -> Timings:
    """Run every contender once per round, rotating the order each round."""
    result = Timings(reference, {name: [] for name, _ in contenders})
    for r in range(rounds):
        shift = r % len(contenders)
        for name, fn in [*contenders[shift:], *contenders[:shift]]:
            result.seconds[name].append(once(fn))
    return result


def fmt_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.2f}\u00d7"
