"""``python -m bench [--full]``: run the benchmark suite and write ``bench/RESULTS.md``
(``bench/RESULTS-full.md`` with ``--full``).

The default is the quick version (``make bench``, about five minutes): smaller corpora,
fewer rounds, fewer libraries in the scaling runs. ``--full`` runs the issue's sizes
(200k-event corpora, 5 MB events, every peer in the scaling runs, more rounds) and the
1 GB stream. ``--only NAME`` (repeatable) runs some sections: parse, scaling, typed, e2e,
imports, platforms (each platform's stream against its official SDK); ``--out PATH``
writes the report there instead (a partial run need not replace the committed one).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench import (
    conformance,
    e2e,
    imports,
    parse,
    peers,
    platform_everruns,
    platform_m8tes,
    platform_managed_agents,
    platform_shipit,
    replay,
    report,
    scaling,
    typed,
)
from bench.targets import summarize


@dataclass(frozen=True)
class Config:
    parse: parse.ParseConfig
    scaling_sizes: list[float]
    scaling_libs: list[str]
    scaling_limit: float  # seconds one scaling run may take
    scaling_rounds: int  # runs per library and size; the fastest is kept
    typed_events: int
    e2e: e2e.E2EConfig
    import_rounds: int
    platform_events: int  # events of each platform's long stream
    platform_rounds: int
    m8tes_events: int  # frames of the m8tes run (its section also times each layer)
    m8tes_rounds: int
    scope: str  # one sentence for the report's header


QUICK = Config(
    parse=parse.ParseConfig(
        agent_events=5_000, big_size=1_000_000, rounds=3, check_limit=1.0, slow=0.4,
        floor_rounds=9,
    ),
    scaling_sizes=[0.0625, 0.5, 5.0],
    scaling_libs=["agentstream", "httpx-sse", "floor: split + orjson"],
    scaling_limit=5.0,
    scaling_rounds=5,  # three libraries: more rounds, so the fastest is less disturbed
    typed_events=30_000,
    e2e=e2e.E2EConfig(
        events=20_000, rounds=2, paced=300, latency_runs=1, streams=1000,
        many_events=200, many_runs=2, decider_paced=1000, decider_runs=2,
        many_libs=("agentstream", "aiohttp-sse-client"), gigabyte=False, timeout=60,
        leave_out=("openai",),  # a Stainless decoder as anthropic's, and a slow import
    ),
    import_rounds=9,
    platform_events=5_000,
    platform_rounds=3,
    m8tes_events=5_000,
    m8tes_rounds=5,
    scope="Quick mode: 5,000-event agent corpora, 1 MB big events, 3 parse pairs per"
    " library (9 with each floor), 2 end-to-end rounds of 20,000 events (openai left"
    " out), 1,000 streams of 200 events twice; `python -m bench --full` runs the"
    " issue's sizes (200,000 events, 5 MB events, every peer in the scaling and"
    " end-to-end runs, 3 runs of the 1,000 streams) and the 1 GB stream.",
)  # fmt: skip
FULL = Config(
    parse=parse.ParseConfig(
        agent_events=200_000, big_size=5_000_000, rounds=3, check_limit=30, slow=10,
        floor_rounds=9,
    ),
    scaling_sizes=[0.0625, 0.125, 0.25, 0.5, 1.0, 2.0, 5.0],
    scaling_libs=[p.name for p in peers.PEERS + peers.FLOORS],
    scaling_limit=10.0,
    scaling_rounds=3,
    typed_events=100_000,
    e2e=e2e.E2EConfig(
        events=200_000, rounds=3, paced=1000, latency_runs=3, streams=1000,
        many_events=200, many_runs=3, decider_paced=2000, decider_runs=4,
        many_libs=("agentstream", "httpx-sse", "aiohttp-sse-client"), gigabyte=True, timeout=300,
    ),
    import_rounds=25,
    platform_events=20_000,
    platform_rounds=5,
    m8tes_events=100_000,
    m8tes_rounds=5,
    scope="Full mode: 200,000-event agent corpora, 5 MB big events, 3 parse pairs per"
    " library (9 with each floor), 3 end-to-end rounds of 200,000 events, every peer in"
    " the scaling runs, 3 runs of 1,000 streams of 200 events, and the 1 GB stream.",
)  # fmt: skip


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--full", action="store_true", help="the full suite")
    parser.add_argument("--only", action="append", default=[], help="run only this section")
    parser.add_argument("--out", help="write the report here (default: bench/RESULTS*.md)")
    args = parser.parse_args()
    cfg = FULL if args.full else QUICK
    wanted = set(args.only) or {"parse", "scaling", "typed", "e2e", "imports", "platforms"}
    replay.skip_reconnect_waits()
    replay.quiet()
    start = time.perf_counter()
    sections: list[report.Section] = []
    measured: dict[str, Any] = {}
    if "parse" in wanted:
        log("spec conformance: the named cases")
        sections.append(conformance.run())
        log("parse-only: correctness against the oracle, then timing")
        found, measured["parse"], measured["correct"] = parse.run(cfg.parse)
        sections += found
    if "scaling" in wanted:
        log("scaling: one big event")
        section, measured["growth"] = scaling.run(
            cfg.scaling_sizes, cfg.scaling_libs, cfg.scaling_rounds, cfg.scaling_limit
        )
        sections.append(section)
    if "typed" in wanted:
        log("typed decode")
        section, measured["typed"] = typed.run(cfg.typed_events, 7)
        sections.append(section)
    if "e2e" in wanted:
        log("end to end over loopback")
        found, measured["e2e"] = e2e.run(cfg.e2e, cfg.e2e.events)
        sections += found
    if "platforms" in wanted:
        log("platforms: each one's stream against its official SDK")
        for platform in (platform_everruns, platform_managed_agents):
            sections.append(platform.run(cfg.platform_events, cfg.platform_rounds))
        # shipit's own runtime slows quadratically with a run's length: a short run.
        sections.append(platform_shipit.run(400, cfg.platform_rounds))
        sections += platform_m8tes.run(cfg.m8tes_events, cfg.m8tes_rounds)
    if "imports" in wanted:
        log("import time")
        section, measured["imports"] = imports.run(cfg.import_rounds)
        sections.append(section)
    seconds = time.perf_counter() - start
    mode = "full" if args.full else "quick"
    path = report.write(mode, seconds, cfg.scope, sections, summarize(measured), args.out)
    log(f"wrote {path} in {seconds:.0f} s")


if __name__ == "__main__":
    main()
