"""Deterministic corpora and chunkings, generated in memory (never committed).

- ``agent``: an agent-like stream. It opens with a ``retry:`` block (no data: nothing
  may be dispatched), then mostly 1-20 character text deltas with ids (m8tes-shaped
  ``text-delta`` frames, ASCII and non-ASCII, U+2028 included), a 1-20 KB tool-call
  event every 200 events (a third of them pretty-printed over many ``data:`` lines), a
  ``usage`` event without an id line every 1,000 events (it inherits the last id), and a
  heartbeat comment every 500 events.
- ``agent-crlf``: the same bytes with every LF replaced by CRLF.
- ``big``: a few multi-megabyte events, each a JSON document split over ``data:`` lines
  of 100 B, 8 KB and 512 KB.

Every event's data is JSON, so each library's output can be decoded the same way.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from functools import cache
from itertools import accumulate, pairwise

KiB = 1024
MiB = 1024 * KiB

#: Text-delta vocabulary: plain words, accents, CJK, emoji, and the separators that
#: ``str.splitlines`` would wrongly treat as line endings.
_WORDS = [
    "the", " agent", " calls", " a tool", ".", "\n", " résumé", " naïve", " 日本語",
    " 豆腐", " 😀", " \u2028", "\u2029", " x\u0085y", " é", "Ж", " ok", ",", " {json}",
    ' "quoted"', " tab\there", " back\\slash", " emoji 🚀",
]  # fmt: skip


def _dump(obj: object, pretty: bool = False) -> str:
    if pretty:
        return json.dumps(obj, ensure_ascii=False, indent=2)
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _frame(data: str, *, id: str | None = None, event: str | None = None) -> str:
    head = (f"id: {id}\n" if id is not None else "") + (f"event: {event}\n" if event else "")
    return head + "".join(f"data: {line}\n" for line in data.split("\n")) + "\n"


def _delta(rng: random.Random, n: int) -> str:
    text = ""
    while len(text) < rng.randint(1, 20):
        text += rng.choice(_WORDS)
    payload = {"type": "text-delta", "id": f"blk_{n // 50}", "delta": text[:20]}
    return _frame(_dump(payload), id=f"evt_{n}")


def _tool_call(rng: random.Random, n: int) -> str:
    size = rng.randint(1 * KiB, 20 * KiB)
    rows = [
        {"path": f"src/mod_{i}.py", "line": i, "text": "x = 1  # é" * rng.randint(1, 8)}
        for i in range(size // 120 + 1)
    ]
    payload = {"type": "tool-call", "id": f"call_{n}", "name": "grep", "input": {"rows": rows}}
    return _frame(_dump(payload, pretty=n % 3 == 0), id=f"evt_{n}", event="tool-call")


def _usage(n: int) -> str:
    payload = {"type": "usage", "input_tokens": n, "output_tokens": n // 2}
    return _frame(_dump(payload), event="usage")


def agent_text(events: int, seed: int = 2024) -> str:
    """The agent corpus as text (LF line endings)."""
    rng = random.Random(seed)
    parts = ["retry: 10\n\n"]
    for n in range(events):
        if n % 500 == 499:
            parts.append(": keep-alive\n\n")
        if n % 200 == 100:
            parts.append(_tool_call(rng, n))
        elif n % 1000 == 999:
            parts.append(_usage(n))
        else:
            parts.append(_delta(rng, n))
    return "".join(parts)


@cache
def agent(events: int) -> bytes:
    return agent_text(events).encode("utf-8")


@cache
def agent_crlf(events: int) -> bytes:
    return agent(events).replace(b"\n", b"\r\n")


def big_event(size: int, line: int, n: int = 0) -> bytes:
    """One event of about `size` bytes: a JSON array of strings, one per ``data:`` line
    of about `line` bytes."""
    width = max(line - 4, 1)  # quotes, comma
    count = max(size // line, 1)
    filler = ("0123456789abcdef" * (width // 16 + 1))[:width]
    body = ",\n".join(f'"{filler}"' for _ in range(count))
    return _frame(f'{{"type":"blob","n":{n},"parts":[\n{body}\n]}}', id=f"big_{n}").encode()


@cache
def big(size: int = 5 * MiB) -> bytes:
    lines = (100, 8 * KiB, 512 * KiB)
    return b"".join(big_event(size, line, n) for n, line in enumerate(lines))


# ---------------------------------------------------------------- chunkings


def fixed(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def random_small(data: bytes, seed: int = 7, low: int = 1, high: int = 7) -> list[bytes]:
    """`data` cut into chunks of random sizes between `low` and `high` bytes."""
    rng = random.Random(seed)
    span = high - low + 1
    ends = [0]
    while ends[-1] < len(data):
        count = (len(data) - ends[-1]) * 2 // (low + high) + 64
        sizes = (b % span + low for b in rng.randbytes(count))
        ends += list(accumulate(sizes, initial=ends[-1]))[1:]
    return [data[a:b] for a, b in pairwise(ends) if a < len(data)]


CHUNKINGS: dict[str, Callable[[bytes], list[bytes]]] = {
    "64 KiB": lambda data: fixed(data, 64 * KiB),
    "16 B": lambda data: fixed(data, 16),
    "1-7 B": random_small,
}


@cache
def deltas(events: int, seed: int = 99) -> bytes:
    """Only m8tes ``text-delta`` frames, with ids: what a long answer streams."""
    rng = random.Random(seed)
    return "".join(_delta(rng, n) for n in range(events)).encode("utf-8")
