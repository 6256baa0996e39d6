"""Plays scenarios as Everruns turns: each DSL step becomes the platform's events.

A turn opens with ``input.message``, ``session.activated`` and ``turn.started`` and
runs as a reason/act loop, as the platform's engine does: model output (``think``,
``say``) happens inside a ``reason.started`` .. ``reason.completed`` iteration; a tool
call closes the iteration and runs in an ``act.started`` .. ``act.completed`` block
(``tool.started``, ``tool.output.delta``, ``tool.completed``); the next model output
opens a new iteration. The turn ends with ``turn.completed`` (carrying the usage),
``turn.failed`` or ``turn.cancelled``, always followed by ``session.idled``.

Three steps park the turn (status ``waitingfortoolresults``) until the client answers,
each in the platform's own way:

- ``client_tool``: ``tool.call_requested`` with the call; answered by ``/tool-results``.
- ``ask_question``: a call to the client-side ``ask_user`` tool; answered by
  ``/question-answers`` (or, as any client tool, by ``/tool-results``).
- ``ask_approval``: the gated call fails closed with ``tool_approval_required`` and an
  engine-authored ``approve_tool_call`` request is raised; ``/tool-approvals`` settles
  it, and the model then calls the tool again, which the recorded decision lets
  through or blocks. ``allow_always``/``reject_always`` hold for the whole session.

The parked state lives in the session record, so a parked turn survives a restart.
Conventions where the platform documents no shape: a tool's ``result`` content is one
text part (JSON unless the result is a string), and its output is echoed in
``tool.output.delta`` pieces on ``stdout`` (an error on ``stderr``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from ..types import everruns
from ._everruns_sessions import ACTIVE, WAITING, LiveSession, Sessions, new_id, now
from ._everruns_turn_events import (
    MODEL,
    Replace,
    TurnEvents,
    ask_user_question,
    not_waiting,
)
from ._http import ApiError
from .scenarios import (
    AskApproval,
    AskQuestion,
    ClientTool,
    Fail,
    Say,
    Scenario,
    ScenarioBook,
    Sleep,
    Think,
    Tool,
    Usage,
    text_pieces,
)

__all__ = ["MODEL", "Player", "Replace", "not_waiting"]

ASK_USER, APPROVE = "ask_user", "approve_tool_call"
Play = Callable[[LiveSession, Any, str], Awaitable[bool]]


class Player(TurnEvents):
    """Starts, continues, parks, resumes and cancels turns by playing scenarios."""

    def __init__(self, sessions: Sessions, scenarios: ScenarioBook, speed: float) -> None:
        self.sessions = sessions
        self.scenarios = scenarios
        self.speed = speed
        self._plays: dict[type, Play] = {
            Say: self._say,
            Think: self._think,
            Tool: self._tool,
            ClientTool: self._client_tool,
            AskApproval: self._ask_approval,
            AskQuestion: self._ask_question,
            Fail: self._fail,
            Usage: self._usage,
            Sleep: self._sleep,
            Replace: self._replace,
        }

    # Turns -------------------------------------------------------------------------

    def send(
        self, live: LiveSession, parts: list[everruns.ContentPart], scenario: Scenario | None
    ) -> everruns.Message:
        """A user message: starts a turn, or steers the running one (`scenario` None).

        A message to a session parked on a client-side call abandons that call first.
        """
        record = live.record
        message = everruns.Message(
            id=new_id("message"), role="user", content=parts, created_at=now()
        )
        if record.status == ACTIVE or scenario is None:
            # Steering: the running turn takes the message in; it starts nothing.
            self.sessions.emit(live, "input.message", everruns.InputMessageData(message=message))
            return message
        if record.status == WAITING:
            self._abandon(live)
        text = "".join(part.text or "" for part in parts if part.type == "text")
        turn = new_id("turn")
        record.begin_turn(turn, message.id, text, scenario.name)
        self.sessions.save(live)
        self.emit(live, "input.message", everruns.InputMessageData(message=message), turn)
        activated = everruns.SessionActivatedData(turn_id=turn, input_message_id=message.id)
        self.emit(live, "session.activated", activated, turn)
        started = everruns.TurnStartedData(
            turn_id=turn, input_message_id=message.id, input_content=text, agent_id=record.agent_id
        )
        self.emit(live, "turn.started", started, turn)
        self.sessions.start(live, lambda: self._advance(live, turn))
        return message

    def cancel(self, live: LiveSession) -> None:
        """Cancel the running or parked turn: ``turn.cancelled``, then idle.

        Raises:
            ApiError: 409 when no turn is running.
        """
        record = live.record
        if record.status not in (ACTIVE, WAITING) or record.turn_id is None:
            raise ApiError(409, "no_active_turn", f"No turn is running (status: {record.status}).")
        self._end_pending(live, "cancelled", "Cancelled by the user.")
        self._stop(live, "User requested")

    def recover(self) -> None:
        """After a restart: a turn that was executing lost its worker, so it fails."""
        for live in self.sessions.unfinished():
            message = "The emulator stopped while this turn was executing."
            self.sessions.fail(live, message, "runner_restarted")

    def _abandon(self, live: LiveSession) -> None:
        """A new message while parked: interrupted results keep the transcript valid."""
        record = live.record
        for call in (record.pending or {}).get("calls", []):
            repaired = everruns.TranscriptRepairedData(
                tool_call_id=call["id"], tool_name=call["name"], action="synthesize"
            )
            self.emit(live, "transcript.repaired", repaired, record.turn_id or "")
        self._end_pending(live, "cancelled", "Interrupted by a new message.")
        self._stop(live, "Superseded by a new message")

    def _stop(self, live: LiveSession, reason: str) -> None:
        record = live.record
        if live.task is not None:
            live.task.cancel()
        turn = record.turn_id or ""
        usage = everruns.TokenUsage(
            input_tokens=record.turn_input_tokens, output_tokens=record.turn_output_tokens
        )
        cancelled = everruns.TurnCancelledData(turn_id=turn, reason=reason, usage=usage)
        self.emit(live, "turn.cancelled", cancelled, turn)
        self.sessions.idle(live)

    async def _advance(self, live: LiveSession, turn: str) -> None:
        record = live.record
        scenario = self.scenarios.get(record.scenario)
        if scenario is None:
            message = f"scenario {record.scenario!r} is not registered"
            self.sessions.fail(live, message, "unknown_scenario")
            return
        while record.step < len(scenario.steps):
            step = scenario.steps[record.step]
            record.step += 1
            if await self._plays[type(step)](live, step, turn):
                return  # parked (or ended): the answer starts a new task
            self.sessions.save(live)
        self._complete(live, turn)

    def _complete(self, live: LiveSession, turn: str) -> None:
        record = live.record
        self._close_reason(live, turn, 0)
        if not record.turn_reported:  # a scenario without usage() still costs something
            record.turn_input_tokens = 180 + len(record.input_text) // 4
            record.turn_output_tokens = max(1, len(record.final_text) // 4)
        started = datetime.fromisoformat((record.turn_started_at or now()).replace("Z", "+00:00"))
        elapsed = datetime.fromisoformat(now().replace("Z", "+00:00")) - started
        completed = everruns.TurnCompletedData(
            turn_id=turn,
            iterations=record.iterations,
            duration_ms=int(elapsed.total_seconds() * 1000),
            usage=everruns.TokenUsage(
                input_tokens=record.turn_input_tokens, output_tokens=record.turn_output_tokens
            ),
            input_content=record.input_text,
            final_message_id=record.final_message_id,
            final_answer_preview=record.final_text[:200] or None,
            tool_call_count=record.tool_calls,
            llm_call_count=record.iterations,
            status="completed",
        )
        self.emit(live, "turn.completed", completed, turn)
        self.sessions.idle(live)

    # Steps -------------------------------------------------------------------------

    async def _say(self, live: LiveSession, step: Say, turn: str) -> bool:
        record = live.record
        self._open_reason(live, turn)
        message_id = new_id("message")
        started = everruns.OutputMessageStartedData(
            turn_id=turn, message_id=message_id, model=MODEL, iteration=record.iterations
        )
        self.emit(live, "output.message.started", started, turn)
        accumulated = ""
        for piece in text_pieces(step.text):
            await self._pause()
            accumulated += piece
            delta = everruns.OutputMessageDeltaData(
                turn_id=turn, message_id=message_id, delta=piece, accumulated=accumulated
            )
            self.emit(live, "output.message.delta", delta, turn)
        message = everruns.Message(
            id=message_id,
            role="agent",
            content=[everruns.ContentPart(type="text", text=step.text)],
            created_at=now(),
        )
        completed = everruns.OutputMessageCompletedData(
            message=message, metadata=everruns.ModelMetadata(model=MODEL)
        )
        self.emit(live, "output.message.completed", completed, turn)
        record.final_message_id, record.final_text = message_id, step.text
        record.reason_text += step.text
        return False

    async def _think(self, live: LiveSession, step: Think, turn: str) -> bool:
        self._open_reason(live, turn)
        started = everruns.ReasonThinkingStartedData(turn_id=turn, model=MODEL)
        self.emit(live, "reason.thinking.started", started, turn)
        accumulated = ""
        for piece in text_pieces(step.text):
            await self._pause()
            accumulated += piece
            delta = everruns.ReasonThinkingDeltaData(
                turn_id=turn, delta=piece, accumulated=accumulated
            )
            self.emit(live, "reason.thinking.delta", delta, turn)
        done = everruns.ReasonThinkingCompletedData(turn_id=turn, thinking=step.text)
        self.emit(live, "reason.thinking.completed", done, turn)
        return False

    async def _tool(self, live: LiveSession, step: Tool, turn: str) -> bool:
        call = {"id": new_id("call"), "name": step.name, "arguments": step.input}
        self._act(live, turn, [call])
        await self._run_tool(live, turn, call, step.result, step.error)
        self._act_done(live, turn, int(step.error is None), int(step.error is not None))
        return False

    async def _client_tool(self, live: LiveSession, step: ClientTool, turn: str) -> bool:
        call = {"id": new_id("call"), "name": step.name, "arguments": step.input}
        return self._request(live, turn, "client", call)

    async def _ask_question(self, live: LiveSession, step: AskQuestion, turn: str) -> bool:
        questions = [ask_user_question(i, q) for i, q in enumerate(step.questions, 1)]
        call = {"id": new_id("call"), "name": ASK_USER, "arguments": {"questions": questions}}
        return self._request(live, turn, "question", call)

    async def _ask_approval(self, live: LiveSession, step: AskApproval, turn: str) -> bool:
        call = {"id": new_id("call"), "name": step.tool, "arguments": step.input}
        allowed = live.record.always.get(step.tool)
        if allowed is not None:  # an "always" answer given earlier in this session
            self._act(live, turn, [call])
            await self._gated_call(live, turn, call, step.result, allowed)
            return False
        self._act(live, turn, [call])
        self._tool_started(live, turn, call)
        gate = f"tool_approval_required: {step.tool} needs a person's approval"
        self._tool_completed(live, turn, call, error=gate)
        request = {
            "id": f"tool_approval_{call['id']}",
            "name": APPROVE,
            "arguments": {"tool": step.tool, "arguments": step.input, "reason": "destructive"},
        }
        return self._request(live, turn, "approval", request, gated=call, act_open=False)

    async def _fail(self, live: LiveSession, step: Fail, turn: str) -> bool:
        self._close_reason(live, turn, 0, error=step.message)
        self.sessions.fail(live, step.message, step.code)
        return True

    async def _usage(self, live: LiveSession, step: Usage, turn: str) -> bool:
        record = live.record
        record.turn_input_tokens += step.input_tokens
        record.turn_output_tokens += step.output_tokens
        record.turn_reported = True
        return False

    async def _sleep(self, live: LiveSession, step: Sleep, turn: str) -> bool:
        await asyncio.sleep(step.seconds)
        return False

    async def _replace(self, live: LiveSession, step: Replace, turn: str) -> bool:
        record = live.record
        replaced = everruns.OutputMessageReplacedData(
            turn_id=turn,
            message_id=record.final_message_id or "",
            guardrail_capability_id="guardrails",
            guardrail_id="guardrail_output_secrets",
            reason_code=step.reason_code,
            replacement=step.replacement,
        )
        self.emit(live, "output.message.replaced", replaced, turn)
        record.final_text = step.replacement
        return False

    # Parking and resuming ------------------------------------------------------------

    def _request(
        self,
        live: LiveSession,
        turn: str,
        kind: str,
        call: dict[str, Any],
        *,
        gated: dict[str, Any] | None = None,
        act_open: bool = True,
    ) -> bool:
        """Ask the client for `call` and park the turn until it answers."""
        if act_open:
            self._act(live, turn, [call])
        tool_call = everruns.ToolCall(id=call["id"], name=call["name"], arguments=call["arguments"])
        requested = everruns.ToolCallRequestedData(tool_calls=[tool_call])
        record = live.record
        record.status = WAITING
        record.pending = {"kind": kind, "calls": [call], "gated": gated}
        self.sessions.save(live)
        self.emit(live, "tool.call_requested", requested, turn)
        return True

    def waiting(self, live: LiveSession, kinds: tuple[str, ...]) -> dict[str, Any]:
        """The pending request, if it is one of `kinds`.

        Raises:
            ApiError: 409 when the session waits for nothing, or for another answer.
        """
        record = live.record
        pending = record.pending
        if record.status != WAITING or pending is None:
            raise not_waiting(record.status)
        if pending["kind"] not in kinds:
            wanted = {"approval": "tool-approvals", "question": "question-answers"}
            endpoint = wanted.get(pending["kind"], "tool-results")
            message = f"The session waits for a different answer; use POST .../{endpoint}."
            raise ApiError(409, "wrong_pending_request", message)
        return pending

    def resolve(
        self,
        live: LiveSession,
        answers: list[tuple[dict[str, Any], Any, str | None]],
        then: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        """Complete the pending calls with (call, result, error) and resume the turn."""
        record = live.record
        turn = record.turn_id or ""
        record.status, record.pending = ACTIVE, None
        self.sessions.save(live)
        for call, result, error in answers:
            self._tool_completed(live, turn, call, result, error)
        failed = sum(error is not None for _, _, error in answers)
        self._act_done(live, turn, len(answers) - failed, failed)

        async def resume() -> None:
            if then is not None:
                await then(turn)
            await self._advance(live, turn)

        self.sessions.start(live, resume)

    def settle_approval(
        self, live: LiveSession, pending: dict[str, Any], decision: str
    ) -> dict[str, Any]:
        """Record a person's decision on the gate, then let the model call again."""
        request, gated = pending["calls"][0], pending["gated"]
        allowed = decision in ("allow", "allow_always")
        if decision in ("allow_always", "reject_always"):
            live.record.always[gated["name"]] = allowed
        scenario = self.scenarios.get(live.record.scenario)
        step = scenario.steps[live.record.step - 1] if scenario else None
        result = step.result if isinstance(step, AskApproval) else "ok"

        async def retry(turn: str) -> None:
            again = {**gated, "id": new_id("call")}
            self._act(live, turn, [again])
            await self._gated_call(live, turn, again, result, allowed)

        self.resolve(live, [(request, {"outcome": decision}, None)], retry)
        return {"tool_call_id": request["id"], "tool": gated["name"], "outcome": decision}

    async def _gated_call(
        self, live: LiveSession, turn: str, call: dict[str, Any], result: Any, allowed: bool
    ) -> None:
        error = None if allowed else "The user rejected this tool call."
        await self._run_tool(live, turn, call, result, error)
        self._act_done(live, turn, int(allowed), int(not allowed))

    def _end_pending(self, live: LiveSession, status: str, error: str) -> None:
        record = live.record
        for call in (record.pending or {}).get("calls", []):
            self._tool_completed(live, record.turn_id or "", call, error=error, status=status)
