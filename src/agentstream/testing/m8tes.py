"""A faithful emulator of the m8tes Runs API (``/api/v2``), for offline tests and demos.

It speaks the platform's wire protocol: data-only SSE frames in the AI-SDK vocabulary,
the ``X-Run-Id`` header, idempotent creates, joins that replay a run from its start,
approvals and questions that park a run until a human decides, cancel, paging, and the
``{"error": {...}}`` envelope. Any client drives it through the normal API; a message
picks its scenario (see ``agentstream.testing.scenarios``)::

    import requests

    from agentstream.testing import M8tesEmulator

    with M8tesEmulator() as emulator:
        response = requests.post(
            emulator.base_url + "/runs/",
            json={"message": "Send the weekly report [scenario:approval]", "stream": False},
            headers={"Authorization": "Bearer test-key"},
            timeout=10,
        )
        assert response.json()["status"] in ("running", "awaiting_approval")
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
from ..types import m8tes
from ._emulator import Emulator
from ._http import ApiError, json_body, json_response, new_request_id, parse_body
from ._m8tes_player import Player
from ._m8tes_runs import TERMINAL_STATUSES, LiveRun, RunRecord, Runs
from ._stream import EventStreamResponse
from .faults import Faults
from .scenarios import Scenario

__all__ = ["M8tesEmulator"]

Handler = Callable[[Request], Awaitable[Response]]
log = logging.getLogger("agentstream.testing.m8tes")
MAX_PAGE = 100


class M8tesEmulator(Emulator):
    """The m8tes Runs API on ``http://127.0.0.1:PORT/api/v2`` (options: see Emulator)."""

    platform = "m8tes"
    base_path = "/api/v2"

    _runs: Runs | None = None
    _player: Player | None = None

    def _routes(self) -> list[BaseRoute]:
        runs = self.base_path + "/runs"
        one = runs + "/{run_id:int}"
        table: list[tuple[str, Handler, str]] = [
            (runs + "/", self._create, "POST"),
            (runs, self._create, "POST"),
            (runs + "/", self._list, "GET"),
            (runs, self._list, "GET"),
            (one, self._get, "GET"),
            (one + "/stream", self._join, "GET"),
            (one + "/reply", self._reply, "POST"),
            (one + "/cancel", self._cancel, "POST"),
            (one + "/permissions", self._permissions, "GET"),
            (one + "/approve", self._approve, "POST"),
            (one + "/answer", self._answer, "POST"),
        ]
        return [
            Route(path, self._endpoint(handler), methods=[verb]) for path, handler, verb in table
        ]

    async def _startup(self) -> None:
        self._runs = Runs(self._db, self._stopping, self.keepalive_interval)
        self._player = Player(self._runs, self._db, self.scenarios, self.speed)
        self._player.recover()

    async def _shutdown(self) -> None:
        if self._runs is not None:
            await self._runs.shutdown()
        self._runs = self._player = None

    def _abort_streams(self) -> None:
        if self._runs is not None:
            self._runs.wake_all()

    def frames(self, run_id: int, turn: int | None = None) -> list[dict[str, Any]]:
        """The frames the run streamed (one turn, or all), from the event log.

        Works for finished runs and across restarts on the same database.
        """
        return self._db.frames(run_id, turn)

    # Plumbing ----------------------------------------------------------------------

    @property
    def _run_table(self) -> Runs:
        if self._runs is None:
            raise RuntimeError("the emulator is not running")
        return self._runs

    @property
    def _scenario_player(self) -> Player:
        if self._player is None:
            raise RuntimeError("the emulator is not running")
        return self._player

    def _endpoint(self, handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            request_id = new_request_id()
            try:
                self._authenticate(request)
                response = await handler(request)
            except ApiError as exc:
                response = exc.response(request_id)
            except Exception:  # a bug here still answers in the platform's envelope
                log.exception("%s %s failed", request.method, request.url.path)
                response = ApiError(500, "internal_error", "Internal error.").response(request_id)
            response.headers["X-Request-Id"] = request_id
            return response

        return endpoint

    def _live(self, request: Request) -> LiveRun:
        run_id: int = request.path_params["run_id"]
        # Ids are SQLite integers: a larger number names no run (and must not overflow).
        live = self._run_table.get(run_id) if run_id <= _MAX_ID else None
        if live is None:
            raise ApiError(404, "not_found", f"Run {run_id} not found.")
        return live

    def _stream(self, live: LiveRun, faults: Faults | None, *, join: bool) -> Response:
        frames = self._run_table.subscribe(live, join=join)
        headers = {"X-Run-Id": str(live.record.id)}
        return EventStreamResponse(frames, faults=faults, closing=self._stopping, headers=headers)

    def _replay(self, key: str, fingerprint: str, *, stream: bool) -> Response | None:
        """The answer to a repeated Idempotency-Key, or None for a new key.

        A streaming repeat of a turn that already ended is a 409: there is no stream
        left to join. A non-streaming repeat answers the run as it is now.
        """
        found = self._db.find_key(key)
        if found is None:
            return None
        used_fingerprint, run_id, turn = found
        if used_fingerprint != fingerprint:
            raise ApiError(
                409, "idempotency_key_reuse", "This Idempotency-Key was used for another request."
            )
        live = self._run_table.get(run_id)
        assert live is not None  # keys are stored with their run
        record = live.record
        if stream and (record.turn != turn or record.status in TERMINAL_STATUSES):
            message = (
                f"Run {run_id} was already created with this Idempotency-Key and has finished "
                f"(status={record.status}); fetch it with GET /runs/{run_id}."
            )
            raise ApiError(409, "idempotent_replay_terminal", message)
        return _run_json(record, headers={"Idempotent-Replay": "true"})

    # Endpoints -----------------------------------------------------------------------

    async def _create(self, request: Request) -> Response:
        body = await json_body(request)
        params = parse_body(body, m8tes.CreateRunRequest)
        return self._new_turn(
            request, body, params, "create", lambda s: self._scenario_player.create(params, s)
        )

    async def _reply(self, request: Request) -> Response:
        live = self._live(request)
        body = await json_body(request)
        params = parse_body(body, m8tes.ReplyRequest)
        route = f"reply {live.record.id}"
        return self._new_turn(
            request, body, params, route, lambda s: self._scenario_player.reply(live, params, s)
        )

    def _new_turn(
        self,
        request: Request,
        body: dict[str, Any],
        params: m8tes.CreateRunRequest | m8tes.ReplyRequest,
        route: str,
        begin: Callable[[Scenario], LiveRun],
    ) -> Response:
        """Start a turn (create or reply), or replay the one its Idempotency-Key started."""
        stream = params.stream is not False
        faults = self._take_faults(request) if stream else None
        key = request.headers.get("Idempotency-Key")
        fingerprint = _fingerprint(route, body)
        if key and (replay := self._replay(key, fingerprint, stream=stream)) is not None:
            return replay
        live = begin(self._select(params.message))
        if key:
            self._db.claim_key(key, fingerprint, live.record.id, live.record.turn)
        return self._stream(live, faults, join=False) if stream else _run_json(live.record)

    async def _join(self, request: Request) -> Response:
        faults = self._take_faults(request)
        live = self._live(request)
        if live.record.status in TERMINAL_STATUSES:
            message = (
                f"Run {live.record.id} is no longer executing (status={live.record.status}); "
                f"fetch the result with GET /runs/{live.record.id}."
            )
            raise ApiError(409, "run_not_active", message)
        return self._stream(live, faults, join=True)

    async def _get(self, request: Request) -> Response:
        return _run_json(self._live(request).record)

    async def _list(self, request: Request) -> Response:
        query = request.query_params
        limit = _int_param(query.get("limit"), "limit")
        limit = 20 if limit is None else limit
        if not 1 <= limit <= MAX_PAGE:
            raise ApiError(422, "validation_error", f"limit must be within 1..{MAX_PAGE}")
        before = _int_param(query.get("starting_after"), "starting_after")
        where: dict[str, Any] = {
            name: query[name] for name in ("status", "user_id") if query.get(name) is not None
        }
        if query.get("teammate_id") is not None:
            where["teammate_id"] = _int_param(query["teammate_id"], "teammate_id")
        records = self._db.list_runs(limit=limit + 1, before=before, where=where)
        page = [RunRecord(**data).to_run() for data in records[:limit]]
        has_more = len(records) > limit
        return json_response(
            {
                "data": [unstructure(run) for run in page],
                "has_more": has_more,
                "next_starting_after": page[-1].id if has_more else None,
            }
        )

    async def _cancel(self, request: Request) -> Response:
        live = self._live(request)
        self._scenario_player.cancel(live)
        return _run_json(live.record)

    async def _permissions(self, request: Request) -> Response:
        live = self._live(request)
        return json_response(self._db.gates(live.record.id))

    async def _approve(self, request: Request) -> Response:
        live = self._live(request)
        params = parse_body(await json_body(request), m8tes.ApproveRequest)
        gate = self._scenario_player.decide(
            live,
            params.request_id,
            allow=params.decision == "allow",
            reason=params.reason,
            remember=params.remember,
        )
        return json_response(gate)

    async def _answer(self, request: Request) -> Response:
        live = self._live(request)
        params = parse_body(await json_body(request), m8tes.AnswerRequest)
        if live.record.status != "awaiting_approval":
            message = (
                f"Run {live.record.id} is not awaiting an answer (status={live.record.status})."
            )
            raise ApiError(
                409, "run_not_awaiting", message, details={"error_code": "run_not_awaiting"}
            )
        self._scenario_player.decide(live, params.request_id, allow=True, answers=params.answers)
        return json_response({"status": "ok", "resumed": True})


def _run_json(record: RunRecord, headers: dict[str, str] | None = None) -> Response:
    return json_response(unstructure(record.to_run()), headers=headers)


_MAX_ID = 2**63 - 1


def _fingerprint(route: str, body: dict[str, Any]) -> str:
    canonical = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(route.encode() + b"\0" + canonical).hexdigest()


def _int_param(raw: str | None, name: str) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ApiError(422, "validation_error", f"{name} must be an integer") from None
