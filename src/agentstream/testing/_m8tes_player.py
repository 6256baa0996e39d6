"""Plays scenarios as m8tes runs: each DSL step becomes the platform's frames.

The vocabulary is the AI-SDK stream the platform sends: a ``metadata`` frame first,
``reasoning-*`` and ``text-*`` blocks tied together by an ``id``, ``tool-call-*`` then
``tool-result-*`` frames tied by ``toolCallId``, gates announced by
``permission_request`` and ``awaiting_approval`` and closed by ``permission_resolved``,
and at the end ``run_metrics`` and ``done`` (or a lone ``error`` when the run fails).

Conventions where the platform documents no shape: a failed or denied tool call
answers ``{"error": "<reason>"}`` as its result, an answered question answers
``{"answers": {question: label}}``, and a run's ``output`` is its turn's streamed text
exactly (the concatenation of the ``text-delta`` frames).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from .._converter import unstructure
from ..types import m8tes
from ._http import ApiError
from ._m8tes_runs import TERMINAL_STATUSES, LiveRun, RunRecord, Runs, cost, now
from ._store import Store
from .scenarios import (
    AskApproval,
    AskQuestion,
    ClientTool,
    Fail,
    Say,
    Scenario,
    ScenarioBook,
    Sleep,
    Step,
    Think,
    Tool,
    Usage,
    json_pieces,
    text_pieces,
)

__all__ = ["Player"]

QUESTION_TOOL = "AskUserQuestion"
#: A tool "executes" for this many delta delays before its result arrives.
TOOL_LATENCY = 10

_BLOCKS: dict[str, tuple[type, type, type]] = {
    "txt": (m8tes.TextStartEvent, m8tes.TextDeltaEvent, m8tes.TextEndEvent),
    "r": (m8tes.ReasoningStartEvent, m8tes.ReasoningDeltaEvent, m8tes.ReasoningEndEvent),
}


class Player:
    """Creates, continues, gates and cancels runs by playing their scenarios."""

    def __init__(self, runs: Runs, store: Store, scenarios: ScenarioBook, speed: float) -> None:
        self.runs = runs
        self.store = store
        self.scenarios = scenarios
        self.speed = speed
        self._players: dict[type, Callable[[LiveRun, Any, int], Awaitable[bool]]] = {
            Say: self._play_say,
            Think: self._play_think,
            Tool: self._play_tool,
            ClientTool: self._play_clienttool,
            AskApproval: self._play_askapproval,
            AskQuestion: self._play_askquestion,
            Fail: self._play_fail,
            Usage: self._play_usage,
            Sleep: self._play_sleep,
        }

    # Turns -------------------------------------------------------------------------

    def create(self, request: m8tes.CreateRunRequest, scenario: Scenario) -> LiveRun:
        stamp = now()
        record = RunRecord(
            id=self.store.new_run_id(),
            message=request.message,
            scenario=scenario.name,
            created_at=stamp,
            updated_at=stamp,
            teammate_id=request.teammate_id,
            user_id=request.user_id,
            metadata=request.metadata,
            permission_mode=request.permission_mode or "autonomous",
            started_at=stamp,
        )
        record.begin_turn(request.message, scenario)
        live = self.runs.add(record)
        self._open_turn(live)
        return live

    def reply(self, live: LiveRun, request: m8tes.ReplyRequest, scenario: Scenario) -> LiveRun:
        """A new turn on a finished run: same id, fresh log, same totals."""
        record = live.record
        if record.status not in TERMINAL_STATUSES:
            raise ApiError(409, "run_active", f"Run {record.id} is still executing; wait for it.")
        record.turn += 1
        record.begin_turn(request.message, scenario)
        if request.permission_mode:
            record.permission_mode = request.permission_mode
        self.runs.new_turn(live)
        self._open_turn(live)
        return live

    def _open_turn(self, live: LiveRun) -> None:
        # The metadata frame is written before the response starts, so every stream of
        # this turn begins with it, however fast the scenario runs.
        self.runs.save(live)
        payload = m8tes.MetadataPayload(run_id=live.record.id)
        self.runs.emit(live, m8tes.MetadataEvent(payload=payload))
        self.runs.start(live, lambda: self._advance(live))

    def cancel(self, live: LiveRun) -> None:
        record = live.record
        if record.status in TERMINAL_STATUSES:
            raise ApiError(
                409, "run_not_active", f"Run {record.id} already ended ({record.status})."
            )
        if live.task is not None:
            live.task.cancel()
        if record.gate is not None:
            self._settle_gate(record.id, record.gate, "cancelled")
        record.gate = None
        record.end_turn("cancelled")
        self.runs.save(live)
        self.runs.emit(live, m8tes.CancelledEvent())
        self.runs.close_turn(live)

    def recover(self) -> None:
        """After a restart: a run that was executing lost its worker, so it fails."""
        for data in self.store.unfinished_runs(("running", "paused")):
            live = self.runs.get(data["id"])
            if live is not None and live.open:
                message = "The emulator stopped while this run was executing."
                self.runs.fail(live, message, "runner_restarted")

    # Steps -------------------------------------------------------------------------

    async def _advance(self, live: LiveRun) -> None:
        record = live.record
        scenario = self.scenarios.get(record.scenario)
        if scenario is None:
            self.runs.fail(
                live, f"scenario {record.scenario!r} is not registered", "unknown_scenario"
            )
            return
        while record.step < len(scenario.steps):
            index = record.step
            record.step += 1
            parked = await self._play(live, scenario.steps[index], index)
            if not live.open or parked:
                return
            self.runs.save(live)
        self._complete(live)

    async def _play(self, live: LiveRun, step: Step, index: int) -> bool:
        """Render one step; True when the run parked on a gate."""
        return await self._players[type(step)](live, step, index)

    async def _play_say(self, live: LiveRun, step: Say, index: int) -> bool:
        await self._block(live, "txt", step.text)
        live.record.turn_text += step.text
        return False

    async def _play_think(self, live: LiveRun, step: Think, index: int) -> bool:
        await self._block(live, "r", step.text)
        return False

    async def _play_tool(self, live: LiveRun, step: Tool, index: int) -> bool:
        call_id = await self._tool_call(live, step.name, step.input)
        await self._pause(TOOL_LATENCY)
        result = step.result if step.error is None else {"error": step.error}
        self._tool_result(live, call_id, result)
        return False

    async def _play_clienttool(self, live: LiveRun, step: ClientTool, index: int) -> bool:
        # m8tes has no client-side tools: the platform runs every tool itself.
        return await self._play_tool(live, Tool(step.name, step.input, step.result), index)

    async def _play_askapproval(self, live: LiveRun, step: AskApproval, index: int) -> bool:
        call_id = await self._tool_call(live, step.tool, step.input)
        if not self.store.is_remembered(step.tool):
            self._open_gate(live, step.tool, step.input, call_id, index)
            return True
        # The user said "always allow" for this tool (remember=true) on an earlier gate.
        self.runs.emit(live, m8tes.PermissionAutoAllowedEvent())
        await self._pause(TOOL_LATENCY)
        self._tool_result(live, call_id, step.result)
        return False

    async def _play_askquestion(self, live: LiveRun, step: AskQuestion, index: int) -> bool:
        questions = {"questions": list(step.questions)}
        call_id = await self._tool_call(live, QUESTION_TOOL, questions)
        self._open_gate(live, QUESTION_TOOL, questions, call_id, index)
        return True

    async def _play_fail(self, live: LiveRun, step: Fail, index: int) -> bool:
        self.runs.fail(live, step.message, step.code)
        return False

    async def _play_usage(self, live: LiveRun, step: Usage, index: int) -> bool:
        record = live.record
        record.turn_input_tokens += step.input_tokens
        record.turn_output_tokens += step.output_tokens
        record.turn_reported = True
        usage = m8tes.Usage(
            input_tokens=record.input_tokens + record.turn_input_tokens,
            output_tokens=record.output_tokens + record.turn_output_tokens,
        )
        payload = m8tes.MetadataPayload(run_id=record.id, usage=usage)
        self.runs.emit(live, m8tes.MetadataEvent(payload=payload))
        return False

    async def _play_sleep(self, live: LiveRun, step: Sleep, index: int) -> bool:
        await asyncio.sleep(step.seconds)
        return False

    async def _pause(self, factor: int = 1) -> None:
        # Even at speed 0 this yields, so that a hundred runs share the loop fairly.
        await asyncio.sleep(self.speed * factor)

    async def _block(self, live: LiveRun, prefix: str, text: str) -> None:
        start, delta, end = _BLOCKS[prefix]
        block_id = live.record.next_id(prefix)
        self.runs.emit(live, start(id=block_id))
        for piece in text_pieces(text):
            await self._pause()
            self.runs.emit(live, delta(delta=piece, id=block_id))
        self.runs.emit(live, end(id=block_id))

    async def _tool_call(self, live: LiveRun, name: str, arguments: dict[str, Any]) -> str:
        call_id = live.record.next_id("tc")
        self.runs.emit(live, m8tes.ToolCallStartEvent(tool_call_id=call_id, tool_name=name))
        for piece in json_pieces(json.dumps(arguments, separators=(",", ":"))):
            await self._pause()
            self.runs.emit(live, m8tes.ToolCallDeltaEvent(tool_call_id=call_id, delta=piece))
        self.runs.emit(live, m8tes.ToolCallEndEvent(tool_call_id=call_id))
        return call_id

    def _tool_result(self, live: LiveRun, call_id: str, result: Any) -> None:
        self.runs.emit(live, m8tes.ToolResultStartEvent(tool_call_id=call_id))
        self.runs.emit(live, m8tes.ToolResultEndEvent(tool_call_id=call_id, result=result))

    def _complete(self, live: LiveRun) -> None:
        record = live.record
        if not record.turn_reported:  # a scenario without usage() still costs something
            record.turn_input_tokens = 180 + len(record.message) // 4
            record.turn_output_tokens = max(1, len(record.turn_text) // 4)
        turn_in, turn_out = record.turn_input_tokens, record.turn_output_tokens
        started = datetime.fromisoformat((record.turn_started_at or now()).replace("Z", "+00:00"))
        elapsed = datetime.fromisoformat(now().replace("Z", "+00:00")) - started
        record.end_turn("completed")
        record.output, record.stop_reason = record.turn_text, "end_turn"
        self.runs.save(live)
        # Status first, frames after, with no await between: a client that reads
        # `done` and asks for the run at once finds it completed.
        metrics = m8tes.RunMetricsEvent(
            execution_time_ms=int(elapsed.total_seconds() * 1000),
            input_tokens_used=turn_in,
            output_tokens_used=turn_out,
            claude_token_cost_usd=round(cost(turn_in, turn_out), 6),
            stop_reason="end_turn",
        )
        self.runs.emit(live, metrics)
        done = m8tes.DoneEvent(
            stop_reason="end_turn", completion_state="complete", unresolved_tool_use_ids=[]
        )
        self.runs.emit(live, done)
        self.runs.close_turn(live)

    # Gates -------------------------------------------------------------------------

    def _open_gate(
        self, live: LiveRun, tool: str, tool_input: dict[str, Any], call_id: str, index: int
    ) -> None:
        record = live.record
        request_id = record.next_id("perm")
        gate = m8tes.PermissionRequest(
            request_id=request_id,
            tool_name=tool,
            status="pending",
            created_at=now(),
            tool_input=tool_input,
            tool_use_id=call_id,
        )
        self.store.save_gate(record.id, _wire_gate(gate))
        record.status, record.gate, record.gate_step = "awaiting_approval", request_id, index
        self.runs.save(live)
        self.runs.emit(
            live, m8tes.PermissionRequestEvent(request_id=request_id, tool_use_id=call_id)
        )
        self.runs.emit(
            live, m8tes.AwaitingApprovalEvent(request_id=request_id, tool_use_id=call_id)
        )

    def decide(
        self,
        live: LiveRun,
        request_id: str | None,
        *,
        allow: bool,
        reason: str | None = None,
        answers: dict[str, str] | None = None,
        remember: bool = False,
    ) -> dict[str, Any]:
        """Resolve a gate and resume the run; returns the updated PermissionRequest.

        Raises:
            ApiError: 404 for an unknown gate; 409 for a gate already decided the
                other way, cancelled, or no longer blocking the run.
        """
        record = live.record
        gate = self._find_gate(record, request_id, question=answers is not None)
        status = "allowed" if allow else "denied"
        if gate["status"] != "pending":
            return self._decided_before(gate, status)
        if record.gate != gate["request_id"]:
            raise _gate_refusal("run_not_active", f"Run {record.id} is not waiting on this gate.")
        gate = self._settle_gate(record.id, gate["request_id"], status)
        if remember and allow and gate["tool_name"] != QUESTION_TOOL:
            self.store.remember_tool(gate["tool_name"])
        result = self._gate_result(record, gate, allow, reason, answers)
        record.status, record.gate = "running", None
        self.runs.save(live)
        self.runs.emit(live, m8tes.PermissionResolvedEvent(request_id=gate["request_id"]))
        self.runs.start(live, lambda: self._resume(live, gate["tool_use_id"], result))
        return gate

    async def _resume(self, live: LiveRun, call_id: str, result: Any) -> None:
        await self._pause(TOOL_LATENCY)
        self._tool_result(live, call_id, result)
        await self._advance(live)

    def _find_gate(
        self, record: RunRecord, request_id: str | None, *, question: bool
    ) -> dict[str, Any]:
        gates = self.store.gates(record.id)
        found = next((g for g in gates if g["request_id"] == request_id), None)
        if found is None and request_id is None and question:  # the first open question
            found = next((g for g in gates if g["tool_name"] == QUESTION_TOOL and _open(g)), None)
        if found is not None:
            return found
        missing = f"no permission request {request_id!r} on run {record.id}"
        raise ApiError(404, "not_found", missing if request_id else "no open question")

    def _decided_before(self, gate: dict[str, Any], status: str) -> dict[str, Any]:
        if gate["status"] == "cancelled":
            raise _gate_refusal("gate_cancelled", "The run was cancelled; this gate is closed.")
        if gate["status"] != status:
            raise _gate_refusal(
                "gate_resolved_otherwise", f"This gate was already {gate['status']}."
            )
        return {**gate, "resumed": False}  # the same decision twice is harmless

    def _settle_gate(self, run_id: int, request_id: str, status: str) -> dict[str, Any]:
        gate = next(g for g in self.store.gates(run_id) if g["request_id"] == request_id)
        gate.update(status=status, resolved_at=now(), resumed=status != "cancelled")
        self.store.save_gate(run_id, gate)
        return gate

    def _gate_result(
        self,
        record: RunRecord,
        gate: dict[str, Any],
        allow: bool,
        reason: str | None,
        answers: dict[str, str] | None,
    ) -> Any:
        if gate["tool_name"] == QUESTION_TOOL:
            return (
                {"answers": answers or {}} if allow else {"error": "The user declined to answer."}
            )
        if not allow:
            return {"error": "Permission denied by the user" + (f": {reason}" if reason else ".")}
        scenario = self.scenarios.get(record.scenario)
        step = scenario.steps[record.gate_step or 0] if scenario else None
        return step.result if isinstance(step, AskApproval) else "ok"


def _wire_gate(gate: m8tes.PermissionRequest) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(gate)
    return data


def _open(gate: dict[str, Any]) -> bool:
    return bool(gate["status"] == "pending")


def _gate_refusal(code: str, message: str) -> ApiError:
    # The platform puts gate refusal codes in error.details.error_code.
    return ApiError(409, code, message, details={"error_code": code})
