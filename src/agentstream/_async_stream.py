"""AsyncEventStream: the typed, resumable stream object every platform hands out.

This file is the async source; its sync twin is generated from it.

A stream wraps an event source (which already reconnects and resumes through the
platform's ResumePolicy) and adds the typed layer: each wire event is decoded into its
generated class (or UnknownEvent), folded into the normalized transcript, and handed to
the caller. The helpers (``iter_text()``, ``text``, ``until_done()``, ``on(...)``,
``raw_events()``) all read from one underlying iterator, so they can be mixed: iterate a
few events, then ``iter_text()`` the rest, then read ``.text``. Each has one name; the
aliases are for readers of other SDKs: ``output`` (m8tes), ``text_stream`` and
``get_final_text()`` (openai, anthropic).

What a platform provides is a StreamAdapter: how to decode a wire event, how to map it to
the common view, and which events end the stream. A stream that stops before its
terminal event raises StreamInterruptedError: it never just stops.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from typing_extensions import Self

from ._accumulate import ToolCall, Transcript
from ._async import AsyncEventSource
from ._exceptions import AgentStreamError
from ._observe import ReconnectInfo, StreamStats
from ._sse import ServerSentEvent
from ._stream import E, StreamAdapter, StreamCore
from .types import common

__all__ = ["AsyncEventStream"]


class AsyncEventStream(StreamCore[E]):
    """A typed, resumable stream: iterate it for the platform's events; use it as a
    context manager so that the connection is closed on the way out.

    Args:
        source: the event source, already configured with the platform's resume policy.
        adapter: the platform's typed layer (decode, normalize, terminal events).
    """

    def __init__(self, source: AsyncEventSource, adapter: StreamAdapter) -> None:
        super().__init__(adapter)
        self._source = source
        self._iterator: AsyncIterator[E] | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __aiter__(self) -> AsyncIterator[E]:
        if self._iterator is None:
            self._iterator = self._events()
        return self._iterator

    async def _events(self) -> AsyncIterator[E]:
        try:
            # Items with comments, skipped here: one generator layer less per event
            # than iterating the source, which filters them in a layer of its own.
            async for sse in self._source.aiter_with_comments():
                if type(sse) is ServerSentEvent:
                    yield self._handle(sse)
        except AgentStreamError as exc:
            error = await self._interrupted(exc)
            if error is exc:
                raise
            raise error from exc
        finally:
            await self._source.aclose()  # shielded from cancellation by the source
        self._check_complete()

    async def _interrupted(self, exc: AgentStreamError) -> AgentStreamError:
        """The error to raise for `exc`; platforms refine it (m8tes fetches the run)."""
        return exc

    async def aclose(self) -> None:
        """Close the connection: safe from any thread or task, any number of times, and
        never interrupted half-way by a cancellation."""
        self._closed_by_user = True
        await self._source.aclose()

    async def iter_text(self) -> AsyncIterator[str]:
        """Iterate the text deltas only; ``.text`` and the transcript stay up to date."""
        async for _ in self:
            for text in self._text_of_last():
                yield text

    async def raw_events(self) -> AsyncIterator[ServerSentEvent]:
        """Iterate the wire-level events (the typed layer still runs underneath)."""
        async for _ in self:
            assert self._sse is not None
            yield self._sse

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """Alias of ``iter_text()``, under the name the anthropic SDK's streams use."""
        return self.iter_text()

    async def until_done(self) -> Transcript:
        """Consume the stream to its end; return the transcript."""
        async for _ in self:
            pass
        return self.transcript

    async def get_final_text(self) -> str:
        """Consume the stream to its end; return ``.text``. An alias of
        ``(await until_done()).text``, under the anthropic SDK's name."""
        return (await self.until_done()).text

    @property
    def response_headers(self) -> Mapping[str, str]:
        """The headers of the stream's HTTP response (the connection open now, or the
        last one), names lowercased, secrets redacted; empty until it opened."""
        return self._source.response_headers

    @property
    def request_id(self) -> str | None:
        """The platform's request id for the stream's response (``X-Request-Id`` or
        ``Request-Id`` header), or None when it sent none."""
        return self._source.request_id

    @property
    def stats(self) -> StreamStats:
        """The stream's counters so far: connections, reconnects, bytes received, events
        delivered, last error (see StreamStats)."""
        return self._source.stats

    def on_reconnect(
        self, callback: Callable[[ReconnectInfo], Any]
    ) -> Callable[[ReconnectInfo], Any]:
        """Call `callback` with a ReconnectInfo each time the stream is about to wait and
        reconnect, however it is consumed; return `callback`. See
        ``EventSource.on_reconnect``: an exception it raises ends the stream."""
        return self._source.on_reconnect(callback)

    async def on(
        self,
        *,
        text: Callable[[str], Any] | None = None,
        text_replaced: Callable[[common.TextReplaced], Any] | None = None,
        reasoning: Callable[[str], Any] | None = None,
        tool_call: Callable[[ToolCall], Any] | None = None,
        tool_result: Callable[[ToolCall], Any] | None = None,
        event: Callable[[E], Any] | None = None,
        error: Callable[[common.StreamError], Any] | None = None,
        done: Callable[[Transcript], Any] | None = None,
        reconnect: Callable[[ReconnectInfo], Any] | None = None,
    ) -> Transcript:
        """Consume the stream, calling the handlers as their kind of event arrives;
        return the transcript.

        ``tool_call`` gets each call once, with its complete arguments: at its start when
        the start carries them, else as soon as the streamed arguments form a complete
        JSON object, at the latest when the call asks for approval, finishes (just
        before ``tool_result``) or the stream ends. ``text_replaced`` is told when text
        already handed to ``text`` was discarded and replaced (a guardrail rewrote a
        message; ``.text`` and the transcript show the replacement). ``reconnect`` gets
        a ReconnectInfo before each reconnect (see ``on_reconnect``). ``done`` gets the
        transcript at the end. An exception a handler raises propagates to the caller."""
        dispatch, flush = self._callbacks(locals())
        if reconnect is not None:
            self._source.on_reconnect(reconnect)
        try:
            async for item in self:
                dispatch(item)
        finally:
            if reconnect is not None:
                self._source.remove_reconnect_callback(reconnect)
        flush()
        transcript = self.transcript
        if done is not None:
            done(transcript)
        return transcript
