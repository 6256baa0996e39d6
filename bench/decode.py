"""Decoder throughput and scaling, medians of several rounds.

- 100k agent-like events (id + JSON text delta) fed in 64 KiB chunks, with and without
  parsing each event's JSON;
- one 8 MiB event fed in 1 KiB chunks against the same event in one chunk (the ratio
  shows whether the cost is linear in the event's size: ~1 means it is);
- 100k tiny events fed byte by byte (the worst case of per-call overhead).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable

from agentstream import SSEDecoder


def agent_stream(n: int) -> bytes:
    return b"".join(
        b'id: %d\ndata: {"type":"text-delta","delta":"token %d "}\n\n' % (i, i) for i in range(n)
    )


def chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def decode_all(parts: Iterable[bytes], parse_json: bool = False) -> int:
    decoder = SSEDecoder(max_event_bytes=None)
    count = 0
    for part in parts:
        for event in decoder.feed(part):
            if parse_json:
                event.json()
            count += 1
    return count + len(decoder.feed_eof())


def median_time(fn: Callable[[], object], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(quick: bool = True) -> list[tuple[str, float, str]]:
    rows: list[tuple[str, float, str]] = []
    n = 100_000
    stream = agent_stream(n)
    parts = chunks(stream, 64 * 1024)
    t = median_time(lambda: decode_all(parts))
    rows.append(("100k events, 64 KiB chunks", t, f"{n / t:,.0f} events/s"))
    t = median_time(lambda: decode_all(parts, parse_json=True))
    rows.append(("100k events + JSON, 64 KiB chunks", t, f"{n / t:,.0f} events/s"))
    big = b"data: " + b"x" * (8 * 1024 * 1024) + b"\n\n"
    one = median_time(lambda: decode_all([big]))
    small = median_time(lambda: decode_all(chunks(big, 1024)))
    rows.append(("8 MiB event, one chunk", one, ""))
    rows.append(("8 MiB event, 1 KiB chunks", small, f"{small / one:.2f}x the one-chunk time"))
    tiny_n = 20_000 if quick else n
    tiny = b"data: x\n\n" * tiny_n
    bytewise = chunks(tiny, 1)
    t = median_time(lambda: decode_all(bytewise), rounds=3)
    rows.append(
        (f"{tiny_n // 1000}k tiny events, byte by byte", t, f"{len(tiny) / t:,.0f} bytes/s")
    )
    return rows
