"""Import time: what ``import agentstream`` and a platform client cost a program's start.

Each statement runs in a fresh interpreter (``python -c``) that times only the statement
itself (``perf_counter`` around it, so interpreter start-up, the same for every row, is
left out) and reports its resident memory afterwards. Rounds visit every statement in
turn, so a disturbed moment hits all of them alike; each ratio is taken within a round,
then the median.

Targets (the platform-kit issue): ``import agentstream`` at most 0.7 times ``import httpx``, and
``from agentstream import M8tes`` ≤ the official m8tes SDK's ``import m8tes``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from bench.report import Section

#: label -> statement. The peers are what a user of each stream client imports.
STATEMENTS = {
    "import agentstream": "import agentstream",
    "from agentstream import M8tes": "from agentstream import M8tes",
    "from agentstream import AsyncM8tes": "from agentstream import AsyncM8tes",
    "from agentstream import EventSource": "from agentstream import EventSource",
    "import httpx": "import httpx",
    "import requests": "import requests",
    "import httpx_sse": "import httpx_sse",
    "import m8tes (official SDK)": "import m8tes",
    "import openai": "import openai",
    "import anthropic": "import anthropic",
}
#: (ours, theirs, most ours may be as a multiple of theirs)
GOALS = [
    ("import agentstream", "import httpx", 0.7),
    ("from agentstream import M8tes", "import m8tes (official SDK)", 1.0),
]
# RSS after the import, from /proc: ru_maxrss would report the forking bench's own peak
# (Linux keeps the high-water mark across exec).
_PROBE = (
    "import os, time\n"
    "t = time.perf_counter()\n"
    "{statement}\n"
    "t = time.perf_counter() - t\n"
    "pages = int(open('/proc/self/statm').read().split()[1])\n"
    "print(t, pages * os.sysconf('SC_PAGE_SIZE') // 1024)\n"
)


def _once(statement: str) -> tuple[float, float] | None:
    """(seconds, RSS in MB) of one fresh import, or None when it cannot import."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(statement=statement)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        return None
    seconds, rss_kb = done.stdout.split()
    return float(seconds), int(rss_kb) / 1024


def measure(rounds: int) -> dict[str, list[tuple[float, float]]]:
    """label -> one (seconds, MB) per round; a statement that cannot import is left out."""
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in STATEMENTS}
    for label, statement in STATEMENTS.items():  # warm the file cache, and drop the absent
        if _once(statement) is None:
            del samples[label]
    for _ in range(rounds):
        for label in samples:
            result = _once(STATEMENTS[label])
            if result is not None:
                samples[label].append(result)
    return samples


def run(rounds: int) -> tuple[Section, list[tuple[str, str, float, float]]]:
    """The import-time table, and each goal as (ours, theirs, most, median paired ratio)."""
    samples = measure(rounds)
    base = statistics.median(s for s, _ in samples["import httpx"])
    rows = []
    for label, values in samples.items():
        times = sorted(s for s, _ in values)
        rss = statistics.median(m for _, m in values)
        median = statistics.median(times)
        rows.append(
            [
                f"`{label}`",
                f"{median * 1000:.1f}",
                f"{times[0] * 1000:.1f}\u2013{times[-1] * 1000:.1f}",
                f"{median / base:.2f}",
                f"{rss:.0f}",
            ]
        )
    goals = []
    notes = []
    for ours, theirs, most in GOALS:
        if ours not in samples or theirs not in samples:
            notes.append(f"`{theirs}` is not installed: no ratio for `{ours}`.")
            continue
        pairs = [a[0] / b[0] for a, b in zip(samples[ours], samples[theirs], strict=False)]
        ratio = statistics.median(pairs)
        goals.append((ours, theirs, most, ratio))
        notes.append(
            f"`{ours}` / `{theirs}`: median of paired ratios {ratio:.2f}\u00d7 "
            f"(range {min(pairs):.2f}\u2013{max(pairs):.2f}), goal \u2264 {most:g}\u00d7."
        )
    section = Section(
        "Import time",
        text=f"Each statement in a fresh interpreter, timed around the statement alone;"
        f" {rounds} rounds, every statement once per round.",
        headers=["statement", "median ms", "range ms", "\u00d7 import httpx", "RSS after MB"],
        rows=rows,
        notes=notes,
    )
    return section, goals
