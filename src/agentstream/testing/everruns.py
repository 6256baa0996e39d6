"""A faithful emulator of Everruns (``/api``), for offline tests and demos.

It serves both of the platform's APIs on one port:

- the **management API** under ``base_url`` (``http://127.0.0.1:PORT/api``): sessions,
  messages, the event log (list, summary, SSE), client tool results, tool approvals,
  question answers and cancel; ``Authorization: <token>`` as the official SDK sends it
  (``Bearer <token>`` works too), ``X-Org-Id`` accepted;
- the **agent execution API** under ``agent_url``
  (``.../api/v1/channels/apichan_<hex>``): the agent card, sessions, messages with
  ``Idempotency-Key``, events, SSE, cancel, question answers and tool approvals, with
  ``Authorization: Bearer <agent key>`` and an optional ``End-User`` header that
  confines a caller to its own sessions.

The SSE stream is framed as the platform documents it (see ``_everruns_stream``) and
resumes with ``since_id`` gap- and duplicate-free, across reconnects and across a
restart on the same database. A message picks its scenario (see
``agentstream.testing.scenarios``)::

    import agentstream
    from agentstream.testing import EverrunsEmulator

    with EverrunsEmulator() as emulator:
        agent = agentstream.Everruns.agent(agent_url=emulator.agent_url, credential="test-key")
        session = agent.sessions.create()
        text = "".join(agent.sessions.stream_text(session.id, message="Triage my inbox"))
        assert text
        agent.close()

Besides the shared scenarios, this emulator knows ``guardrail`` (a guardrail replaces
the agent's answer: ``output.message.replaced``) and ``client-tool`` (the turn waits
for the client to run ``calendar_lookup``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .._converter import unstructure
from ..types import everruns
from ._emulator import Emulator
from ._everruns_http import (
    agent_auth,
    check_session_id,
    error_response,
    management_auth,
    read_body,
)
from ._everruns_log_routes import LogRoutes
from ._everruns_player import Player
from ._everruns_requests import query_int, session_fields
from ._everruns_scenarios import CLIENT_TOOL, GUARDRAIL
from ._everruns_sessions import LiveSession, Sessions
from ._everruns_turn_routes import TurnRoutes
from ._http import ApiError, json_response, new_request_id

__all__ = ["EverrunsEmulator"]

Handler = Callable[[Request], Awaitable[Response]]
log = logging.getLogger("agentstream.testing.everruns")
MAX_SESSION_PAGE = 100


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


class EverrunsEmulator(TurnRoutes, LogRoutes, Emulator):
    """Everruns on ``http://127.0.0.1:PORT/api`` (other options: see Emulator).

    Args:
        heartbeat_interval: seconds of silence after which an open stream gets a
            ``: heartbeat`` comment (the platform's 30 s by default).
        cycle_interval: seconds after which the server cycles a stream with
            ``disconnecting`` (the platform's 5 minutes by default).
        max_body_bytes: the largest request body accepted (413 above it).
        agent_key: the agent execution API's bearer credential (default: `api_key`).
    """

    platform = "everruns"
    base_path = "/api"

    _sessions: Sessions | None = None
    _player: Player | None = None

    def __init__(
        self,
        *,
        heartbeat_interval: float | None = None,
        cycle_interval: float = 300.0,
        max_body_bytes: int = 1 << 20,
        agent_key: str | None = None,
        **options: Any,
    ) -> None:
        keepalive = options.pop("keepalive_interval", 30.0)
        options["keepalive_interval"] = (
            keepalive if heartbeat_interval is None else heartbeat_interval
        )
        if cycle_interval <= 0 or max_body_bytes <= 0:
            raise ValueError("cycle_interval and max_body_bytes must be > 0")
        super().__init__(**options)
        self.cycle_interval = cycle_interval
        self.max_body_bytes = max_body_bytes
        self.agent_key = agent_key or self.api_key
        self.channel_id = "apichan_" + _digest("channel", self.agent_key)
        self.organization_id = "org_" + _digest("org", self.api_key)
        self.agent_id = "agent_" + _digest("agent", self.agent_key)
        self.harness_id = "harness_" + _digest("harness", "generic")
        self.scenarios.own = {GUARDRAIL.name: GUARDRAIL, CLIENT_TOOL.name: CLIENT_TOOL} | (
            self.scenarios.own
        )

    @property
    def heartbeat_interval(self) -> float:
        """Seconds of silence after which an open stream gets a ``: heartbeat`` comment."""
        return self.keepalive_interval

    @property
    def agent_url(self) -> str:
        """The agent execution API's base URL, what ``AgentClient(agent_url=...)`` takes."""
        return f"{self.base_url}/v1/channels/{self.channel_id}"

    def events(self, session_id: str) -> list[dict[str, Any]]:
        """Every event the session logged, in order (works across restarts)."""
        live = self._table.get(session_id)
        return list(live.events) if live is not None else []

    # Lifecycle ---------------------------------------------------------------------

    def _routes(self) -> list[BaseRoute]:
        one = "/api/v1/sessions/{session_id}"
        agent = "/api/v1/channels/{channel_id}"
        a_one = agent + "/sessions/{session_id}"
        manage: list[tuple[str, Handler, str]] = [
            ("/api/v1/sessions", self._create_session, "POST"),
            ("/api/v1/sessions", self._list_sessions, "GET"),
            (one, self._get_session, "GET"),
            (one + "/messages", self._send, "POST"),
            (one + "/messages", self._messages, "GET"),
            (one + "/events", self._list_events, "GET"),
            (one + "/events/summary", self._summary, "GET"),
            (one + "/sse", self._sse, "GET"),
            (one + "/tool-results", self._tool_results, "POST"),
            (one + "/tool-approvals", self._tool_approvals, "POST"),
            (one + "/question-answers", self._question_answers, "POST"),
            (one + "/cancel", self._cancel, "POST"),
        ]
        execute: list[tuple[str, Handler, str]] = [
            (agent, self._card, "GET"),
            (agent + "/sessions", self._create_session, "POST"),
            (agent + "/sessions", self._agent_sessions, "GET"),
            (a_one, self._get_session, "GET"),
            (a_one + "/messages", self._send, "POST"),
            (a_one + "/events", self._agent_events, "GET"),
            (a_one + "/sse", self._sse, "GET"),
            (a_one + "/tool-approvals", self._tool_approvals, "POST"),
            (a_one + "/question-answers", self._question_answers, "POST"),
            (a_one + "/cancel", self._cancel, "POST"),
        ]
        routes: list[BaseRoute] = []
        for table, is_agent in ((manage, False), (execute, True)):
            for path, handler, verb in table:
                endpoint = self._endpoint(handler, agent=is_agent)
                routes.append(Route(path, endpoint, methods=[verb]))
        return routes

    async def _startup(self) -> None:
        self._sessions = Sessions(self._db, self._stopping)
        self._player = Player(self._sessions, self.scenarios, self.speed)
        self._player.recover()

    async def _shutdown(self) -> None:
        if self._sessions is not None:
            await self._sessions.shutdown()
        self._sessions = self._player = None

    def _abort_streams(self) -> None:
        if self._sessions is not None:
            self._sessions.wake_all()

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

    def _endpoint(self, handler: Handler, *, agent: bool) -> Handler:
        async def endpoint(request: Request) -> Response:
            request_id = new_request_id()
            request.state.agent = agent
            try:
                if agent:
                    agent_auth(request, self.agent_key)
                    if request.path_params.get("channel_id") != self.channel_id:
                        raise ApiError(404, "not_found", "Channel or session not found.")
                else:
                    management_auth(request, self.api_key)
                response = await handler(request)
            except ApiError as exc:
                return error_response(exc, request_id)
            except Exception:  # a bug here still answers in the platform's envelope
                log.exception("%s %s failed", request.method, request.url.path)
                return error_response(
                    ApiError(500, "internal_error", "Internal error."), request_id
                )
            response.headers["X-Request-Id"] = request_id
            return response

        return endpoint

    async def _http_error(self, request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, "error")
        message = {404: "No such endpoint.", 405: "Method not allowed."}.get(status, str(exc))
        return error_response(ApiError(status, code, message), new_request_id())

    def _end_user(self, request: Request) -> str | None:
        return request.headers.get("End-User") if request.state.agent else None

    def _live(self, request: Request) -> LiveSession:
        """The session the path names, as this caller may see it.

        Raises:
            ApiError: 404 for a malformed id, an unknown session, or another end
                user's session on the agent API.
        """
        session_id = check_session_id(request.path_params["session_id"])
        live = self._table.get(session_id)
        if live is None or (
            request.state.agent and live.record.end_user != self._end_user(request)
        ):
            raise ApiError(404, "not_found", f"Session {session_id} not found.")
        return live

    def _idempotent(
        self, request: Request, scope: str, body: Any
    ) -> tuple[str | None, tuple[int, int] | None]:
        """(the key to claim, or the (session key, sequence) its first request made).

        Raises:
            ApiError: 409 when the key was used for a different request.
        """
        key = request.headers.get("Idempotency-Key")
        if not key:
            return None, None
        stored = f"everruns:{scope}:{self._end_user(request)}:{key}"
        fingerprint = _digest(
            request.url.path, orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode()
        )
        found = self._db.find_key(stored)
        if found is None:
            return stored, None
        if found[0] != fingerprint:
            raise ApiError(
                409, "idempotency_key_reuse", "This Idempotency-Key was used for another request."
            )
        return stored, (found[1], found[2])

    def _claim(
        self, key: str | None, request: Request, body: Any, live: LiveSession, seq: int
    ) -> None:
        if key is not None:
            fingerprint = _digest(
                request.url.path, orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode()
            )
            self._db.claim_key(key, fingerprint, live.record.key, seq)

    # Sessions ------------------------------------------------------------------------

    def _session_json(self, live: LiveSession, *, pending: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = unstructure(live.record.to_session())
        if pending:
            calls = (live.record.pending or {}).get("calls", [])
            kind = (live.record.pending or {}).get("kind")
            data["pending_questions"] = calls if kind == "question" else []
            data["pending_approvals"] = calls if kind == "approval" else []
        return data

    async def _create_session(self, request: Request) -> Response:
        body = await read_body(request, self.max_body_bytes)
        if not isinstance(body, dict):
            raise ApiError(422, "validation_error", "the body must be a JSON object")
        fields = session_fields(body)
        key, first = self._idempotent(request, "sessions", body)
        if first is not None:
            found = [r for r in self._table.records() if r.key == first[0]]
            live = self._table.get(found[0].id) if found else None
            assert live is not None  # keys are stored with their session
            return json_response(self._session_json(live), 201, {"Idempotent-Replay": "true"})
        live = self._table.create(
            organization_id=request.headers.get("X-Org-Id") or self.organization_id,
            harness_id=fields.pop("harness_id", None) or self.harness_id,
            agent_id=fields.pop("agent_id", None) or self.agent_id,
            end_user=self._end_user(request),
            **fields,
        )
        started = everruns.SessionStartedData(
            harness_id=live.record.harness_id,
            agent_id=live.record.agent_id,
            model_id=live.record.model_id,
        )
        self._table.emit(live, "session.started", started)
        self._claim(key, request, body, live, 0)
        return json_response(self._session_json(live), 201)

    async def _get_session(self, request: Request) -> Response:
        return json_response(self._session_json(self._live(request), pending=request.state.agent))

    async def _list_sessions(self, request: Request) -> Response:
        query = request.query_params
        offset = query_int(query.get("offset"), "offset", 0)
        limit = query_int(query.get("limit"), "limit", 50)
        if not 1 <= limit <= MAX_SESSION_PAGE:
            raise ApiError(
                400, "invalid_request", f"limit must be between 1 and {MAX_SESSION_PAGE}"
            )
        records = self._table.records()
        if query.get("agent_id"):
            records = [r for r in records if r.agent_id == query["agent_id"]]
        if query.get("search"):
            records = [r for r in records if query["search"].lower() in (r.title or "").lower()]
        page = [unstructure(r.to_session()) for r in records[offset : offset + limit]]
        return json_response(
            {"data": page, "total": len(records), "offset": offset, "limit": limit}
        )

    async def _agent_sessions(self, request: Request) -> Response:
        limit = query_int(request.query_params.get("limit"), "limit", 50)
        if not 1 <= limit <= 200:
            raise ApiError(400, "invalid_request", "limit must be between 1 and 200")
        token = request.query_params.get("page_token")
        offset = query_int(token, "page_token", 0) if token is not None else 0
        user = self._end_user(request)
        records = [r for r in self._table.records() if r.end_user == user]
        page = [unstructure(r.to_session()) for r in records[offset : offset + limit]]
        body: dict[str, Any] = {"data": page}
        if offset + limit < len(records):
            body["next_page_token"] = str(offset + limit)
        return json_response(body)

    async def _card(self, request: Request) -> Response:
        return json_response(
            {
                "name": "everruns-emulator",
                "description": "An agentstream emulator of an Everruns agent.",
                "streaming": True,
                "input": ["text"],
                "auth": ["agent_key", "runtime_token"],
                "conversation_starters": ["Triage my inbox"],
                "links": {"sessions": f"/api/v1/channels/{self.channel_id}/sessions"},
            }
        )
