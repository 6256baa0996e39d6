"""The events of a turn's reason/act loop, as the Everruns emulator writes them.

``TurnEvents`` is the part of the player (``_everruns_player``) that writes events and
does not decide anything: a reasoning iteration (``reason.started`` .. ``reason.completed``),
an act (``act.started`` .. ``act.completed``) and a server-side tool call inside it
(``tool.started``, ``tool.output.delta`` pieces on ``stdout``, or ``stderr`` for an
error, then ``tool.completed``). Also the one step only Everruns knows, ``Replace``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import attrs

from ..types import everruns
from ._everruns_sessions import LiveSession, Sessions
from ._http import ApiError
from .scenarios import text_pieces

__all__ = [
    "MODEL",
    "TOOL_LATENCY",
    "Replace",
    "TurnEvents",
    "ask_user_question",
    "not_waiting",
    "text_of",
]

MODEL = "claude-sonnet-4-5"
#: A tool "executes" for this many delta delays before its result arrives.
TOOL_LATENCY = 10


@attrs.frozen
class Replace:
    """Everruns only: a guardrail replaces the last message the agent streamed with
    `replacement` (``output.message.replaced``); clients discard the streamed text."""

    replacement: str
    reason_code: str = "sensitive_data"


def text_of(result: Any) -> str:
    return result if isinstance(result, str) else json.dumps(result)


def not_waiting(status: str) -> ApiError:
    # The SDK retries a 409 whose message says "not waiting for tool results".
    message = f"Session is not waiting for tool results (current status: {status})"
    return ApiError(409, "not_waiting", message)


class TurnEvents:
    """Writes the events of the reason/act loop into a session's log."""

    sessions: Sessions
    speed: float

    def emit(self, live: LiveSession, kind: str, data: Any, turn: str) -> None:
        self.sessions.emit(live, kind, data, turn=turn)

    async def _pause(self, factor: int = 1) -> None:
        # Even at speed 0 this yields, so that many sessions share the loop fairly.
        await asyncio.sleep(self.speed * factor)

    # The reason/act loop -------------------------------------------------------------

    def _open_reason(self, live: LiveSession, turn: str) -> None:
        record = live.record
        if record.in_reason:
            return
        record.in_reason, record.reason_text = True, ""
        record.iterations += 1
        started = everruns.ReasonStartedData(
            agent_id=record.agent_id, metadata=everruns.ModelMetadata(model=MODEL)
        )
        self.emit(live, "reason.started", started, turn)

    def _close_reason(
        self, live: LiveSession, turn: str, calls: int, error: str | None = None
    ) -> None:
        record = live.record
        if not record.in_reason:
            return
        record.in_reason = False
        completed = everruns.ReasonCompletedData(
            success=error is None,
            has_tool_calls=calls > 0,
            tool_call_count=calls,
            text_preview=record.reason_text[:120] or None,
            error=error,
        )
        self.emit(live, "reason.completed", completed, turn)

    def _act(self, live: LiveSession, turn: str, calls: list[dict[str, Any]]) -> None:
        """The model's tool calls end its iteration and start an act."""
        self._open_reason(live, turn)
        self._close_reason(live, turn, len(calls))
        live.record.tool_calls += len(calls)
        tools = [everruns.ActToolCall(id=call["id"], name=call["name"]) for call in calls]
        self.emit(live, "act.started", everruns.ActStartedData(tool_calls=tools), turn)

    def _act_done(self, live: LiveSession, turn: str, ok: int, failed: int) -> None:
        done = everruns.ActCompletedData(completed=True, success_count=ok, error_count=failed)
        self.emit(live, "act.completed", done, turn)

    def _tool_started(self, live: LiveSession, turn: str, call: dict[str, Any]) -> None:
        tool_call = everruns.ToolCall(id=call["id"], name=call["name"], arguments=call["arguments"])
        self.emit(live, "tool.started", everruns.ToolStartedData(tool_call=tool_call), turn)

    def _tool_completed(
        self,
        live: LiveSession,
        turn: str,
        call: dict[str, Any],
        result: Any = None,
        error: str | None = None,
        status: str | None = None,
    ) -> None:
        content = (
            None if error is not None else [everruns.ContentPart(type="text", text=text_of(result))]
        )
        completed = everruns.ToolCompletedData(
            tool_call_id=call["id"],
            tool_name=call["name"],
            success=error is None,
            status=status or ("success" if error is None else "error"),
            result=content,
            error=error,
        )
        self.emit(live, "tool.completed", completed, turn)

    async def _run_tool(
        self, live: LiveSession, turn: str, call: dict[str, Any], result: Any, error: str | None
    ) -> None:
        """A server-side tool, from ``tool.started`` to ``tool.completed``."""
        self._tool_started(live, turn, call)
        await self._pause(TOOL_LATENCY)
        stream, output = ("stdout", text_of(result)) if error is None else ("stderr", error)
        for piece in text_pieces(output) if output else []:
            delta = everruns.ToolOutputDeltaData(
                tool_call_id=call["id"], tool_name=call["name"], delta=piece, stream=stream
            )
            self.emit(live, "tool.output.delta", delta, turn)
        self._tool_completed(live, turn, call, result, error)


def ask_user_question(index: int, question: dict[str, Any]) -> dict[str, Any]:
    """A DSL question (the ``AskUserQuestion`` shape) as an ``ask_user`` question."""
    return {
        "id": question.get("id", f"q{index}"),
        "kind": "choice",
        "header": question.get("header", "Question"),
        "question": question.get("question", ""),
        "multi_select": bool(question.get("multiSelect", False)),
        "allow_other": False,
        "options": [
            {"label": o["label"], "description": o.get("description", "")}
            for o in question.get("options", [])
        ],
    }
