"""The Everruns emulator's turn endpoints: messages (which start or steer a turn),
cancel, and the three ways a client answers a parked turn (``/tool-results``,
``/tool-approvals``, ``/question-answers``).

``TurnRoutes`` is a part of ``EverrunsEmulator``: the emulator supplies the session
lookup, the player and the idempotency store it names below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from .._converter import unstructure
from ..types import everruns
from ._everruns_http import read_body, read_model
from ._everruns_player import Player, not_waiting
from ._everruns_requests import answers, decisions, parse
from ._everruns_sessions import ACTIVE, LiveSession
from ._http import ApiError, json_response
from .scenarios import Scenario

__all__ = ["TurnRoutes"]


class TurnRoutes:
    """Messages, cancel, tool results, tool approvals and question answers."""

    max_body_bytes: int

    if TYPE_CHECKING:  # supplied by EverrunsEmulator (stubs here would shadow them)

        @property
        def _play(self) -> Player:
            raise NotImplementedError

        def _live(self, request: Request) -> LiveSession:
            raise NotImplementedError

        def _select(self, text: str) -> Scenario:
            raise NotImplementedError

        def _idempotent(
            self, request: Request, scope: str, body: Any
        ) -> tuple[str | None, tuple[int, int] | None]:
            raise NotImplementedError

        def _claim(
            self, key: str | None, request: Request, body: Any, live: LiveSession, seq: int
        ) -> None:
            raise NotImplementedError

    async def _send(self, request: Request) -> Response:
        live = self._live(request)
        body = await read_body(request, self.max_body_bytes)
        params = parse(body, everruns.CreateMessageRequest)
        if params.message.role != "user":
            raise ApiError(422, "validation_error", "message.role must be 'user'")
        key, first = self._idempotent(request, live.record.id, body)
        if first is not None:
            event = live.events[first[1] - 1]
            return json_response(event["data"]["message"], 201, {"Idempotent-Replay": "true"})
        text = "".join(p.text or "" for p in params.message.content if p.type == "text")
        scenario = None if live.record.status == ACTIVE else self._select(text)
        message = self._play.send(live, params.message.content, scenario)
        sequence = next(
            e["sequence"]
            for e in reversed(live.events)
            if e["type"] == "input.message" and e["data"]["message"]["id"] == message.id
        )
        self._claim(key, request, body, live, sequence)
        return json_response(unstructure(message), 201)

    async def _messages(self, request: Request) -> Response:
        live = self._live(request)
        kinds = ("input.message", "output.message.completed")
        data = [e["data"]["message"] for e in live.events if e["type"] in kinds]
        return json_response({"data": data})

    async def _cancel(self, request: Request) -> Response:
        self._play.cancel(self._live(request))
        return json_response({"status": "cancelled", "message": "Turn cancelled"})

    async def _tool_results(self, request: Request) -> Response:
        live = self._live(request)
        params = await read_model(request, self.max_body_bytes, everruns.ToolResultsRequest)
        pending = self._play.waiting(live, ("client", "question"))
        calls = {call["id"]: call for call in pending["calls"]}
        if not params.tool_results:
            raise ApiError(422, "validation_error", "tool_results must not be empty")
        unknown = [r.tool_call_id for r in params.tool_results if r.tool_call_id not in calls]
        if unknown:
            raise ApiError(400, "unknown_tool_call", f"No pending tool call {unknown[0]!r}.")
        answers = [(calls[r.tool_call_id], r.result, r.error) for r in params.tool_results]
        self._play.resolve(live, answers)
        return json_response({"accepted": len(answers), "status": "active"})

    async def _tool_approvals(self, request: Request) -> Response:
        live = self._live(request)
        body = await read_body(request, self.max_body_bytes)
        chosen = decisions(body)
        pending = self._play.waiting(live, ("approval",))
        request_id = pending["calls"][0]["id"]
        for call_id in chosen:
            if call_id != request_id:
                raise ApiError(404, "not_found", f"Pending request {call_id!r} not found.")
        decision = chosen.get(request_id, "not_approved")
        resolved = self._play.settle_approval(live, pending, decision)
        return json_response({"resolved": [resolved], "status": "active"})

    async def _question_answers(self, request: Request) -> Response:
        live = self._live(request)
        body = await read_body(request, self.max_body_bytes)
        if not isinstance(body, dict):
            raise ApiError(422, "validation_error", "the body must be a JSON object")
        if live.record.status != "waitingfortoolresults":
            raise not_waiting(live.record.status)
        pending = live.record.pending or {}
        if pending.get("kind") != "question":
            raise ApiError(404, "not_found", "Pending question set not found.")
        call = pending["calls"][0]
        if body.get("tool_call_id") not in (None, call["id"]):
            raise ApiError(
                409, "wrong_pending_call", "Session is waiting on a different tool call."
            )
        status = body.get("status", "answered")
        if status not in ("answered", "declined"):
            raise ApiError(422, "validation_error", "status must be 'answered' or 'declined'")
        given = answers(call["arguments"]["questions"], body.get("answers", []), status)
        result = {"status": status, "answered_by": "user", "answers": given}
        self._play.resolve(live, [(call, result, None)])
        return json_response({"status": status, "answered_by": "user", "session_status": "active"})
