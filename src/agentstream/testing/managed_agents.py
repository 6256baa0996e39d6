"""A faithful emulator of Claude Managed Agents sessions (``/v1/sessions``), offline.

It speaks the platform's wire protocol as the official ``anthropic`` SDK calls it:
``x-api-key`` with ``anthropic-version`` and ``anthropic-beta:
managed-agents-2026-04-01``; sessions created idle, updated, listed, archived and
deleted; events sent, listed with cursor pages (``next_page``/``page``), ``types[]``,
``created_at[gt|gte|lt|lte]`` and ``order``, and streamed as ``event: <type>`` SSE
blocks with ``event: ping`` heartbeats and no replay; the primary thread's views under
``/threads``; and Anthropic's ``{"type": "error", "error": {...}}`` answers. A
``user.message`` picks its scenario (see ``agentstream.testing.scenarios``)::

    import anthropic

    from agentstream.testing import ManagedAgentsEmulator

    with ManagedAgentsEmulator() as emulator:
        client = anthropic.Anthropic(base_url=emulator.base_url, api_key="test-key")
        session = client.beta.sessions.create(agent="agent_1", environment_id="env_1")
        with client.beta.sessions.events.stream(session.id) as stream:
            client.beta.sessions.events.send(
                session.id,
                events=[{"type": "user.message", "content": [{"type": "text", "text": "Hi"}]}],
            )
            types = []
            for event in stream:
                types.append(event.type)
                if event.type == "session.status_idle":
                    break
    assert "agent.message" in types
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..types import managed_agents as ma
from ._emulator import Emulator
from ._http import json_response
from ._managed_agents_http import (
    MaError,
    check_headers,
    new_request_id,
    query_int,
    query_list,
    query_order,
    query_time,
    read_json,
    validate,
)
from ._managed_agents_log import Clock, EventFilter, SessionLog, decode_cursor, encode_cursor
from ._managed_agents_player import Player
from ._managed_agents_sessions import LiveSession, SessionRecord, Sessions
from ._managed_agents_views import (
    agent_snapshot,
    apply_update,
    check_send,
    echo,
    list_sessions,
    thread_json,
)
from ._stream import EventStreamResponse
from .faults import HEADER as FAULTS_HEADER
from .faults import Faults
from .scenarios import Scenario

__all__ = ["ManagedAgentsEmulator"]

Handler = Callable[[Request], Awaitable[Response]]
log = logging.getLogger("agentstream.testing.managed_agents")
MAX_EVENTS_PAGE = 1000
_BOUNDS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_PREVIEWABLE = frozenset({"agent.message", "agent.thinking"})


class ManagedAgentsEmulator(Emulator):
    """Claude Managed Agents on ``http://127.0.0.1:PORT`` (options: see Emulator).

    ``base_url`` is the root the anthropic SDK takes as its ``base_url`` (the SDK adds
    ``/v1``). `keepalive_interval` is the heartbeat (``event: ping``) interval;
    `max_body_bytes` bounds request bodies (413 beyond it).
    """

    platform = "managed-agents"
    base_path = ""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        database: str | os.PathLike[str] | None = None,
        api_key: str = "test-key",
        speed: float = 0.0,
        keepalive_interval: float = 15.0,
        scenarios: Iterable[Scenario] = (),
        default_scenario: str = "demo",
        faults: Faults | None = None,
        shutdown_timeout: float = 3.0,
        max_body_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        super().__init__(
            host=host,
            port=port,
            database=database,
            api_key=api_key,
            speed=speed,
            keepalive_interval=keepalive_interval,
            scenarios=scenarios,
            default_scenario=default_scenario,
            faults=faults,
            shutdown_timeout=shutdown_timeout,
        )
        self.max_body_bytes = max_body_bytes
        self._sessions: Sessions | None = None
        self._player: Player | None = None

    def _routes(self) -> list[BaseRoute]:
        one = "/v1/sessions/{session_id}"
        thread = one + "/threads/{thread_id}"
        table: list[tuple[str, Handler, str]] = [
            ("/v1/sessions", self._create, "POST"),
            ("/v1/sessions", self._list, "GET"),
            (one, self._retrieve, "GET"),
            (one, self._update, "POST"),
            (one, self._delete, "DELETE"),
            (one + "/archive", self._archive, "POST"),
            (one + "/events", self._send, "POST"),
            (one + "/events", self._events, "GET"),
            (one + "/events/stream", self._stream, "GET"),
            (one + "/threads", self._threads, "GET"),
            (thread, self._thread_get, "GET"),
            (thread + "/archive", self._thread_archive, "POST"),
            (thread + "/events", self._thread_events, "GET"),
            (thread + "/stream", self._thread_stream, "GET"),
        ]
        return [Route(path, self._endpoint(fn), methods=[verb]) for path, fn, verb in table]

    async def _startup(self) -> None:
        session_log = SessionLog(self._db)
        clock = Clock(session_log.last_micros())
        self._sessions = Sessions(session_log, clock, self._stopping, self.keepalive_interval)
        self._player = Player(self._sessions, self.scenarios, self.speed)
        self._player.recover()

    async def _shutdown(self) -> None:
        if self._sessions is not None:
            await self._sessions.shutdown()
        self._sessions = self._player = None

    def _abort_streams(self) -> None:
        if self._sessions is not None:
            self._sessions.wake_all()

    def events(self, session_id: str) -> list[dict[str, Any]]:
        """The session's logged events, oldest first (works across restarts)."""
        return self._table.events(session_id)

    # Plumbing ----------------------------------------------------------------------

    @property
    def _table(self) -> Sessions:
        if self._sessions is None:
            raise RuntimeError("the emulator is not running")
        return self._sessions

    @property
    def _play(self) -> Player:
        if self._player is None:
            raise RuntimeError("the emulator is not running")
        return self._player

    def _endpoint(self, handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            request_id = new_request_id()
            try:
                check_headers(request, self.api_key)
                self._json_faults(request)
                response = await handler(request)
            except MaError as exc:
                response = exc.response(request_id)
            except Exception:  # a bug here still answers in the platform's shape
                log.exception("%s %s failed", request.method, request.url.path)
                response = MaError(500, "Internal server error").response(request_id)
            response.headers["request-id"] = request_id
            return response

        return endpoint

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = {404: "Not found", 405: "Method not allowed"}.get(status, "Internal server error")
        return MaError(status, message).response(new_request_id())

    def _json_faults(self, request: Request) -> None:
        """An ``X-Emulator-Faults`` header with `status` fails any request, JSON ones too
        (stream requests take their faults in `_take_faults`)."""
        header = request.headers.get(FAULTS_HEADER)
        if header is not None and not request.url.path.endswith("stream"):
            self._raise_status(self._parse_faults(header))

    def _parse_faults(self, header: str | None) -> Faults | None:
        try:
            return self._fault_plan.take(header)
        except ValueError as exc:
            raise MaError(400, f"{FAULTS_HEADER}: {exc}") from None

    @staticmethod
    def _raise_status(faults: Faults | None) -> None:
        if faults is None or faults.status is None:
            return
        headers = {} if faults.retry_after is None else {"Retry-After": str(faults.retry_after)}
        message = "Rate limited; retry later." if faults.status == 429 else "Try again later."
        raise MaError(faults.status, message, headers=headers)

    def _live(self, request: Request) -> LiveSession:
        session_id: str = request.path_params["session_id"]
        live = self._table.get(session_id)
        if live is None:
            raise MaError(404, f"Session {session_id!r} not found.")
        return live

    def _thread_of(self, request: Request) -> LiveSession:
        live = self._live(request)
        thread_id: str = request.path_params["thread_id"]
        if thread_id != live.record.thread_id:
            raise MaError(404, f"Thread {thread_id!r} not found in session {live.record.id!r}.")
        return live

    # Sessions ----------------------------------------------------------------------

    async def _create(self, request: Request) -> Response:
        body = await read_json(request, self.max_body_bytes)
        params = validate(body, ma.SessionCreateRequest)
        initial = list(params.initial_events or [])
        if len(initial) > 50:
            raise MaError(400, "initial_events: at most 50 events")
        clock, stamp = self._table.clock, self._table.clock.stamp()
        record = SessionRecord(
            id=clock.new_id("sesn"),
            thread_id=clock.new_id("sthr"),
            created_at=stamp,
            updated_at=stamp,
            environment_id=params.environment_id,
            agent=agent_snapshot(params.agent),
            title=params.title,
            metadata=dict(params.metadata or {}),
            budget=body.get("budget"),
            resources=list(body.get("resources") or []),
            vault_ids=list(params.vault_ids or []),
        )
        live = self._table.add(record)
        if initial:
            events = [dict(event) for event in body["initial_events"]]
            self._apply(live, check_send(self._play, live, events))
        return json_response(self._table.session_json(live.record))

    async def _list(self, request: Request) -> Response:
        return json_response(list_sessions(self._table, request))

    async def _retrieve(self, request: Request) -> Response:
        return json_response(self._table.session_json(self._live(request).record))

    async def _update(self, request: Request) -> Response:
        live = self._live(request)
        changed = apply_update(live.record, await read_json(request, self.max_body_bytes))
        self._table.save(live)
        if changed:
            self._table.emit(live, {"type": "session.updated", **changed})
        return json_response(self._table.session_json(live.record))

    async def _delete(self, request: Request) -> Response:
        live = self._live(request)
        self._table.remove(live)
        return json_response({"id": live.record.id, "type": "session_deleted"})

    async def _archive(self, request: Request) -> Response:
        live = self._live(request)
        if live.record.archived_at is None:
            live.record.archived_at = self._table.clock.stamp()
            self._table.save(live)
        return json_response(self._table.session_json(live.record))

    # Events ------------------------------------------------------------------------

    async def _send(self, request: Request) -> Response:
        live = self._live(request)
        body = await read_json(request, self.max_body_bytes)
        validate(body, ma.SendEventsRequest)
        if not body["events"]:
            raise MaError(400, "events: at least one event is required")
        if live.record.archived_at is not None:
            raise MaError(409, f"Session {live.record.id} is archived; it accepts no events.")
        plan = check_send(self._play, live, [dict(event) for event in body["events"]])
        return json_response({"data": self._apply(live, plan)})

    def _apply(self, live: LiveSession, plan: list[tuple[dict[str, Any], str | None]]) -> list[Any]:
        """Log each checked event, then let it act; the echoed events, in order."""
        echoed = []
        for event, scenario in plan:
            stored = echo(self._table, live, event)
            echoed.append(stored)
            self._act(live, stored, scenario)
        return echoed

    def _act(self, live: LiveSession, event: dict[str, Any], scenario: str | None) -> None:
        kind = event["type"]
        if kind == "user.message" and scenario is not None:
            self._play.message(live, scenario)
        elif kind == "user.interrupt":
            self._play.interrupt(live)
        elif kind == "user.custom_tool_result":
            self._play.answer_custom(live, event["custom_tool_use_id"])
        elif kind == "user.tool_confirmation":
            allow = event["result"] == "allow"
            self._play.confirm(live, event["tool_use_id"], allow, event.get("deny_message"))

    async def _events(self, request: Request) -> Response:
        live = self._live(request)
        order = query_order(request, "asc")
        bounds = []
        for name, operator in _BOUNDS.items():
            raw = request.query_params.get(f"created_at[{name}]")
            if raw is not None:
                bounds.append((operator, query_time(raw, f"created_at[{name}]")))
        where = EventFilter(types=query_list(request, "types"), bounds=bounds, order=order)
        return json_response(self._page(live, request, where))

    def _page(self, live: LiveSession, request: Request, where: EventFilter) -> dict[str, Any]:
        """One page of events: ``data``, and ``next_page`` when more follow."""
        limit = query_int(request, "limit", MAX_EVENTS_PAGE, 1, MAX_EVENTS_PAGE)
        token = request.query_params.get("page")
        if token:
            cursor = decode_cursor(token)
            if cursor is None or cursor[0] != where.order:
                raise MaError(400, "page: invalid pagination cursor")
            where.after = cursor[1]
        rows = self._table.log.events(live.record.id, where, limit + 1)
        page = rows[:limit]
        more = len(rows) > limit
        next_page = encode_cursor(where.order, page[-1][0]) if more and page else None
        return {"data": [event for _, event in page], "next_page": next_page}

    async def _stream(self, request: Request) -> Response:
        return self._open_stream(request, self._live(request))

    def _open_stream(self, request: Request, live: LiveSession) -> Response:
        faults = self._parse_faults(request.headers.get(FAULTS_HEADER))
        self._raise_status(faults)
        deltas = frozenset(query_list(request, "event_deltas"))
        if not deltas <= _PREVIEWABLE:
            unknown = ", ".join(sorted(deltas - _PREVIEWABLE))
            raise MaError(400, f"event_deltas: unsupported event type(s): {unknown}")
        frames = self._table.subscribe(live, deltas)
        return EventStreamResponse(frames, faults=faults, closing=self._stopping)

    # Threads (a session has one, its primary thread) -------------------------------------

    async def _threads(self, request: Request) -> Response:
        live = self._live(request)
        query_int(request, "limit", 20, 1, 1000)
        return json_response({"data": [thread_json(self._table, live)], "next_page": None})

    async def _thread_get(self, request: Request) -> Response:
        return json_response(thread_json(self._table, self._thread_of(request)))

    async def _thread_archive(self, request: Request) -> Response:
        self._thread_of(request)
        raise MaError(400, "The primary thread cannot be archived; archive the session instead.")

    async def _thread_events(self, request: Request) -> Response:
        live = self._thread_of(request)
        return json_response(self._page(live, request, EventFilter()))

    async def _thread_stream(self, request: Request) -> Response:
        return self._open_stream(request, self._thread_of(request))
