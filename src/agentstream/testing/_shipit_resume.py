"""ResumingShipitServer: shipit's framed transcript, with ``Last-Event-ID`` honoured.

shipit-agent frames a run for SSE and says how to resume one, but its own server does
not: ``AgentServer`` starts a new run on every ``POST /v1/stream`` and never reads
``Last-Event-ID``. What it offers is the pieces an app needs (``streaming.frame``,
``sse``, ``hello_frame``, ``replay_from``) and a rule: on a reconnect, replay only the
*canonical* events the client missed; *provisional* ones (``text_delta``,
``usage_tick``, ...) describe a moment that has passed and are dropped, even those the
client never saw.

This is that app, built on those pieces. It holds one transcript, the events of the
latest run (played through a real shipit ``Agent`` on a ``POST`` with a prompt, or
given), and serves it:

- ``POST /v1/stream`` ``{"prompt"}`` without ``Last-Event-ID``: run the prompt, then
  stream its transcript: ``stream_hello``, every event with ``id: <sequence>``, then
  ``event: done`` / ``data: [DONE]``, exactly as AgentServer frames it.
- ``GET`` or ``POST /v1/stream`` with ``Last-Event-ID: N``: ``stream_hello``, then
  ``replay_from(transcript, N)`` (canonical events with a sequence above N, keeping
  their sequence as id), then ``done``. The body of such a POST is ignored.
- ``GET /v1/stream`` without it: the whole current transcript again.
- ``GET /v1/packets``: the current transcript in shipit's plain packet format
  (``sse_event_packet`` per event, no ids, then ``sse_result_packet``'s
  ``event: agent_result``), as an app using ``packets.py`` serves it.
- ``GET /health``: ``{"status", "model", "stream_generation"}``.

Two things a client must know. The hello frame carries ``id: 0`` (shipit frames it with
sequence 0), so by the SSE rules it resets the last event id: a client that drops
right after a resumed hello reconnects with ``Last-Event-ID: 0`` and is sent every
canonical event again, unless it keeps its own high-water mark. And ``run_failed`` is
provisional in shipit's classification, so a resume never replays a failure.

Faults (``agentstream.testing.Faults``, for the server or per request with the
``X-Emulator-Faults`` header) break the stream: ``drop_after_events=3`` cuts the
connection after three frames, the hello included. ``new_generation()`` is a restart:
frames from then on carry a new generation, so a client can tell its provisional state
is stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from . import _shipit_compat as shipit
from ._emulator import Emulator
from ._http import ApiError, json_body, json_response, new_request_id
from ._shipit_llm import ScriptedLLM
from ._stream import EventStreamResponse, Frame, StreamAborted
from .faults import HEADER as FAULTS_HEADER
from .faults import Faults
from .scenarios import Scenario

__all__ = ["ResumingShipitServer"]

Handler = Callable[[Request], Awaitable[Response]]
_STATUS_CODES = {429: "rate_limited", 500: "internal_error", 502: "bad_gateway"}
_STATUS_CODES |= {503: "service_unavailable", 504: "gateway_timeout"}


class ResumingShipitServer(Emulator):
    """shipit's framed transcript on 127.0.0.1, resumable with ``Last-Event-ID``.

    Args:
        events: the transcript to serve (shipit ``AgentEvent`` objects), if known
            already; otherwise the first ``POST /v1/stream`` plays one.
        llm: the LLM runs are played with; by default a ``ScriptedLLM`` whose scenario
            each prompt picks (``[scenario:NAME]``, a keyword, else `default_scenario`).
        tools: the agent's tools; by default a ScriptedLLM's own.
        prompt: the agent's system prompt.
        api_key: the Bearer token the stream routes require; None for none.
        model_name: what ``/health`` reports.
        host, port, speed, scenarios, default_scenario, faults, shutdown_timeout:
            as for every emulator (``speed`` is seconds between frames).
        agent_options: more shipit ``Agent`` fields.
    """

    platform = "shipit"
    base_path = ""

    def __init__(
        self,
        events: Iterable[Any] | None = None,
        *,
        llm: Any = None,
        tools: Iterable[Any] | None = None,
        prompt: str = "",
        api_key: str | None = None,
        model_name: str = "shipit",
        host: str = "127.0.0.1",
        port: int = 0,
        speed: float = 0.0,
        scenarios: Iterable[Scenario] = (),
        default_scenario: str = "demo",
        faults: Faults | None = None,
        shutdown_timeout: float = 3.0,
        **agent_options: Any,
    ) -> None:
        scenarios = list(scenarios)
        super().__init__(
            host=host,
            port=port,
            api_key=api_key or "",
            speed=speed,
            scenarios=scenarios,
            default_scenario=default_scenario,
            faults=faults,
            shutdown_timeout=shutdown_timeout,
        )
        if llm is None:
            llm = ScriptedLLM(scenarios=scenarios, default_scenario=default_scenario)
        if tools is None:
            tools = llm.tools() if isinstance(llm, ScriptedLLM) else ()
        self.llm: Any = llm
        self.agent: Any = shipit.build_agent(llm, tools, prompt, agent_options)
        self.model_name = model_name
        #: The ``Last-Event-ID`` of every stream request, in order (None: none sent).
        self.last_event_ids: list[str | None] = []
        self._lock = threading.Lock()
        self._events: list[Any] = list(events or ())
        self._generation = ""
        self._last_ms = 0
        self.new_generation()

    # The transcript --------------------------------------------------------------

    @property
    def events(self) -> list[Any]:
        """The transcript being served: the latest run's shipit ``AgentEvent`` objects."""
        with self._lock:
            return list(self._events)

    @property
    def generation(self) -> str:
        """The stream generation every frame carries now (``{pid}-{ms}``, as shipit's)."""
        return self._generation

    def play(self, prompt: str) -> list[Any]:
        """Run `prompt` through the agent, in this thread; its events become the transcript."""
        events = list(self.agent.stream(prompt))
        with self._lock:
            self._events = events
        return events

    def new_generation(self, events: Iterable[Any] | None = None) -> str:
        """Act as a restarted server: a new generation (and, if given, a new transcript).

        Returns the new generation.
        """
        with self._lock:
            self._last_ms = max(int(time.time() * 1000), self._last_ms + 1)
            self._generation = f"{os.getpid()}-{self._last_ms}"
            if events is not None:
                self._events = list(events)
            return self._generation

    # HTTP ------------------------------------------------------------------------

    def _routes(self) -> list[BaseRoute]:
        methods = ["GET", "POST"]
        return [
            Route("/health", self._health, methods=["GET"]),
            Route("/v1/stream", self._endpoint(self._stream), methods=methods),
            Route("/stream", self._endpoint(self._stream), methods=methods),
            Route("/v1/packets", self._endpoint(self._packets), methods=["GET"]),
        ]

    def _abort_streams(self) -> None:
        # Streams see `_stopping` themselves; a run still being played is cancelled
        # (and a scripted sleep woken) so that the server's executor can be joined.
        self.agent.cancel()
        if isinstance(self.llm, ScriptedLLM):
            self.llm.interrupt()

    def _authenticate(self, request: Request) -> None:
        if self.api_key:
            super()._authenticate(request)

    def _endpoint(self, handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            try:
                self._authenticate(request)
                return await handler(request)
            except ApiError as exc:
                return exc.response(new_request_id())

        return endpoint

    async def _health(self, request: Request) -> Response:
        body = {"status": "ok", "model": self.model_name, "stream_generation": self.generation}
        return json_response(body)

    async def _stream(self, request: Request) -> Response:
        last_id = request.headers.get("Last-Event-ID")
        self.last_event_ids.append(last_id)
        after = _sequence(last_id)
        if after is None and request.method == "POST":
            prompt = await _prompt(request)
            await asyncio.get_running_loop().run_in_executor(None, self.play, prompt)
        with self._lock:
            events, generation = list(self._events), self._generation
        if not events:
            raise ApiError(404, "not_found", "no transcript yet; POST a prompt first")
        faults = self._take_faults(request)
        frames = self._frames(events, generation, after)
        headers = {"Connection": "close"}
        return EventStreamResponse(frames, faults=faults, closing=self._stopping, headers=headers)

    async def _packets(self, request: Request) -> Response:
        with self._lock:
            events = list(self._events)
        if not events:
            raise ApiError(404, "not_found", "no transcript yet; POST a prompt first")
        faults = self._take_faults(request)
        headers = {"Connection": "close"}
        frames = self._packet_frames(events)
        return EventStreamResponse(frames, faults=faults, closing=self._stopping, headers=headers)

    async def _packet_frames(self, events: list[Any]) -> AsyncGenerator[Frame, None]:
        """Every event as ``sse_event_packet`` writes it, then the result packet."""
        for event in events:
            await self._pause()
            yield Frame(shipit.packet_sse(event).encode())
        yield Frame(shipit.result_packet_sse(events).encode())

    def _take_faults(self, request: Request) -> Faults | None:
        """This stream request's faults; an injected error status is raised here."""
        try:
            faults = self._fault_plan.take(request.headers.get(FAULTS_HEADER))
        except ValueError as exc:
            raise ApiError(400, "invalid_faults", str(exc)) from None
        if faults is not None and faults.status is not None:
            retry = {} if faults.retry_after is None else {"Retry-After": str(faults.retry_after)}
            code = _STATUS_CODES.get(faults.status, "server_error")
            raise ApiError(faults.status, code, "Try again.", headers=retry)
        return faults

    async def _frames(
        self, events: list[Any], generation: str, after: int | None
    ) -> AsyncGenerator[Frame, None]:
        """hello, the events (all, or those ``replay_from`` gives after `after`), done."""
        yield Frame(shipit.hello_sse(generation).encode())
        for sequence, event in _numbered(events, after):
            await self._pause()
            yield Frame(shipit.event_sse(event, sequence, generation).encode())
        await self._pause()
        yield Frame(shipit.done_frame().encode())

    async def _pause(self) -> None:
        """Wait `speed` seconds between frames, unless the server is stopping."""
        stopping = self._stopping
        if self.speed and not stopping.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stopping.wait(), self.speed)
        if stopping.is_set():
            raise StreamAborted


def _numbered(events: list[Any], after: int | None) -> list[tuple[int, Any]]:
    """(sequence, event) pairs to send: every event, or what a resume after `after` gets.

    ``replay_from`` yields events without their sequence, which is the event's
    1-based position in the run, so it is looked up by identity.
    """
    numbered = list(enumerate(events, start=1))
    if after is None:
        return numbered
    sequence = {id(event): index for index, event in numbered}
    return [(sequence[id(event)], event) for event in shipit.replay_from(events, after)]


def _sequence(last_id: str | None) -> int | None:
    """The sequence a ``Last-Event-ID`` names; None when there is none.

    Raises:
        ApiError: 400, the id is not a sequence number (shipit's ids are integers).
    """
    if last_id is None:
        return None
    try:
        value = int(last_id.strip())
    except ValueError:
        raise ApiError(400, "invalid_last_event_id", f"bad Last-Event-ID {last_id!r}") from None
    if value < 0:
        raise ApiError(400, "invalid_last_event_id", f"bad Last-Event-ID {last_id!r}")
    return value


async def _prompt(request: Request) -> str:
    """The ``prompt`` (or ``input``) of a POST body, as AgentServer reads it."""
    body = await json_body(request)
    prompt = str(body.get("prompt") or body.get("input") or "")
    if not prompt:
        raise ApiError(400, "invalid_request", "`prompt` is required")
    return prompt
