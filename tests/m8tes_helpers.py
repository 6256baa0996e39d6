"""Run one test body against both m8tes clients.

``Driver(mode, emulator)`` exposes the client's calls with sync signatures; in "async"
mode each call runs on one private event loop against AsyncM8tes (so its httpx client
lives on one loop for the whole test). Streams are consumed whole and summarised in a
``Streamed`` record, with the error they ended on, if any.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import attrs

import agentstream
from agentstream._accumulate import Transcript

API_KEY = "test-key"


@attrs.define
class Streamed:
    events: list[Any]
    text: str
    run_id: int | None
    transcript: Transcript
    error: BaseException | None = None
    chunks: list[str] = attrs.field(factory=list)

    @property
    def wire(self) -> list[dict[str, Any]]:
        """The delivered events as wire dicts."""
        return [event.raw for event in self.events]


class Driver:
    def __init__(self, mode: str, base_url: str, **options: Any) -> None:
        self.mode = mode
        options = {"api_key": API_KEY, "base_url": base_url, "reconnect_delay": 0.01, **options}
        if mode == "sync":
            self.client: Any = agentstream.M8tes(**options)
            self._loop = None
        else:
            self._loop = asyncio.new_event_loop()
            self.client = self._run(self._make_async(options))

    @staticmethod
    async def _make_async(options: dict[str, Any]) -> agentstream.AsyncM8tes:
        return agentstream.AsyncM8tes(**options)

    def _run(self, awaitable: Any) -> Any:
        assert self._loop is not None
        return self._loop.run_until_complete(awaitable)

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """``client.runs.<name>(...)``, awaited in async mode."""
        result = getattr(self.client.runs, name)(*args, **kwargs)
        return self._run(result) if self._loop is not None else result

    def collect(self, name: str, *args: Any, text_only: bool = False, **kwargs: Any) -> Streamed:
        """Open a stream with ``client.runs.<name>(...)`` and consume it whole."""
        if self._loop is None:
            return _collect_sync(getattr(self.client.runs, name)(*args, **kwargs), text_only)
        return self._run(_collect_async(getattr(self.client.runs, name), args, kwargs, text_only))

    def stream_text(self, **kwargs: Any) -> list[str]:
        if self._loop is None:
            return list(self.client.runs.stream_text(**kwargs))

        async def chunks() -> list[str]:
            return [chunk async for chunk in self.client.runs.stream_text(**kwargs)]

        return self._run(chunks())  # type: ignore[no-any-return]

    def list_runs(self, **kwargs: Any) -> list[Any]:
        if self._loop is None:
            return list(self.client.runs.list(**kwargs))

        async def runs() -> list[Any]:
            return [run async for run in self.client.runs.list(**kwargs)]

        return self._run(runs())  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._loop is None:
            self.client.close()
            return
        self._run(self.client.aclose())
        self._loop.close()


def _collect_sync(stream: Any, text_only: bool) -> Streamed:
    events: list[Any] = []
    chunks: list[str] = []
    error = None
    with stream:
        try:
            if text_only:
                chunks.extend(stream.iter_text())
            else:
                events.extend(stream)
        except agentstream.AgentStreamError as exc:
            error = exc
    return Streamed(events, stream.text, stream.run_id, stream.transcript, error, chunks)


async def _collect_async(
    method: Callable[..., Any], args: Any, kwargs: Any, text_only: bool
) -> Streamed:
    events: list[Any] = []
    chunks: list[str] = []
    error = None
    async with method(*args, **kwargs) as stream:
        try:
            # Loops, not comprehensions: what arrived before an error must be kept.
            if text_only:
                async for chunk in stream.iter_text():
                    chunks.append(chunk)  # noqa: PERF401
            else:
                async for event in stream:
                    events.append(event)  # noqa: PERF401
        except agentstream.AgentStreamError as exc:
            error = exc
    return Streamed(events, stream.text, stream.run_id, stream.transcript, error, chunks)


def real_frames(frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The frames a client delivers: everything but heartbeats."""
    return [frame for frame in frames if frame.get("type") not in ("keep-alive", "ping")]
