"""The runner of the fault matrix: reads one client's stream (sync or async) through a
cell's server, to its end, its last event or its error, and times it; and the small
helpers the matrix's assertions use."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from agentstream import AgentStreamError
from agentstream._observe import ReconnectInfo
from tests.fault_matrix_entry import EVENTS, Entry, Transport

__all__ = ["HANG", "Outcome", "chain", "error_texts", "expected", "read", "secrets_in"]

#: A cell that has not ended by then has hung (its assertion on time fails first).
HANG = 15.0


@dataclass
class Outcome:
    """How a cell ended: the delivered markers, the error, the time, the reconnects."""

    markers: list[str] = field(default_factory=list)
    error: BaseException | None = None
    elapsed: float = 0.0
    reconnects: list[ReconnectInfo] = field(default_factory=list)


def _read_sync(entry: Entry, base: str, transport: Transport, out: Outcome) -> None:
    try:
        with entry.open_sync(base, transport) as stream:
            stream.on_reconnect(out.reconnects.append)
            for item in stream:
                out.markers.append(entry.marker(item))
                if len(out.markers) >= EVENTS:
                    break
    except AgentStreamError as exc:
        out.error = exc


async def _read_async(entry: Entry, base: str, transport: Transport, out: Outcome) -> None:
    factory = transport.client_factory
    transport.client = factory() if factory is not None else None
    try:
        async with entry.open_async(base, transport) as stream:
            stream.on_reconnect(out.reconnects.append)
            async for item in stream:
                out.markers.append(entry.marker(item))
                if len(out.markers) >= EVENTS:
                    break
    except AgentStreamError as exc:
        out.error = exc
    finally:
        if transport.client is not None:
            await transport.client.aclose()


def read(entry: Entry, mode: str, base: str, transport: Transport | None = None) -> Outcome:
    """Read `entry`'s stream from `base` in `mode` ("sync"/"async") to its end, its
    N-th event or its error; time it."""
    out = Outcome()
    transport = transport or Transport()
    started = time.monotonic()
    if mode == "sync":
        _read_sync(entry, base, transport, out)
    else:
        asyncio.run(asyncio.wait_for(_read_async(entry, base, transport, out), HANG))
    out.elapsed = time.monotonic() - started
    return out


def expected(entry: Entry, upto: int = EVENTS, replaced: dict[int, str] | None = None) -> list[str]:
    """The markers of events 1..`upto`; `replaced` gives some events' markers instead."""
    replaced = replaced or {}
    return [replaced.get(n, entry.expected(n, n == EVENTS)) for n in range(1, upto + 1)]


def secrets_in(text: str, values: Iterable[str]) -> list[str]:
    return [value for value in values if value in text]


def chain(error: BaseException | None) -> Iterator[BaseException]:
    """`error` and every error behind it (causes, contexts, a give-up's last cause)."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        error = todo.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        last: Any = getattr(error, "last_cause", None)
        todo += [error.__cause__, error.__context__, last]


def error_texts(error: BaseException | None) -> Iterator[str]:
    """The message and repr of `error` and of every error behind it."""
    for each in chain(error):
        yield str(each)
        yield repr(each)
